// The decoder's bump storage for decoded lists.
#ifndef IOTJOBS_DETAIL_ARENA_HPP
#define IOTJOBS_DETAIL_ARENA_HPP

#include <cstddef>
#include <new>

namespace iotjobs::detail {

/// Bump storage for the decoded lists. Lists grow from the bottom; notify's group records,
/// built while their own lists grow, come from the top. Sized from the payload so that it can
/// never run out (see decoder::arena_bytes).
class arena {
 public:
  void reset(unsigned char* base, std::size_t size) noexcept {
    base_ = base;
    bottom_ = 0;
    top_ = size;
  }
  template <class T>
  T* push_bottom() noexcept {
    const std::size_t at = (bottom_ + alignof(T) - 1) & ~(alignof(T) - 1);
    if (at > top_ || top_ - at < sizeof(T)) return nullptr;
    bottom_ = at + sizeof(T);
    return new (base_ + at) T{};
  }
  // n contiguous Ts at the bottom (nullptr for none).
  template <class T>
  T* push_bottom_n(std::size_t n) noexcept {
    const std::size_t at = (bottom_ + alignof(T) - 1) & ~(alignof(T) - 1);
    if (n == 0 || at > top_ || (top_ - at) / sizeof(T) < n) return nullptr;
    bottom_ = at + n * sizeof(T);
    T* first = nullptr;
    for (std::size_t i = 0; i < n; ++i) {
      T* t = new (base_ + at + i * sizeof(T)) T{};
      if (i == 0) first = t;
    }
    return first;
  }
  template <class T>
  T* push_top() noexcept {
    if (top_ < sizeof(T)) return nullptr;
    const std::size_t at = (top_ - sizeof(T)) & ~(alignof(T) - 1);
    if (at < bottom_) return nullptr;
    top_ = at;
    return new (base_ + at) T{};
  }

 private:
  unsigned char* base_ = nullptr;
  std::size_t bottom_ = 0;
  std::size_t top_ = 0;
};

}  // namespace iotjobs::detail

#endif  // IOTJOBS_DETAIL_ARENA_HPP
