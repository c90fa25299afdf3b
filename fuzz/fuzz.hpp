// What the fuzz targets share: the checks they assert, a payload placed against an unreadable
// page, and a reader that draws request fields from the fuzz input.
#ifndef IOTJOBS_FUZZ_FUZZ_HPP
#define IOTJOBS_FUZZ_FUZZ_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <iotjobs/service.hpp>  // detail::is_blank (JSON text helpers, no parser)

// A failed property: says which and where, then aborts so that libFuzzer records the input.
#define IOTJOBS_FUZZ_CHECK(cond) ((cond) ? (void)0 : iotjobs_fuzz::fail(#cond, __FILE__, __LINE__))

namespace iotjobs {
class decoder;
}

namespace iotjobs_fuzz {

// decode.cpp: the decoder every decoding target reuses, as an application would (stale state
// must not leak from one input to the next).
iotjobs::decoder& shared_decoder();

// documents.cpp: a job document's properties: the decoders' (check_decoder below), and its view
// written back as a document of its kind decodes to a view that writes the same bytes, of the
// same kind and template.
void check_document(std::string_view text);

[[noreturn]] void fail(const char* what, const char* file, int line);

// Copies `bytes` so that they end exactly where a PROT_NONE page begins: reading one byte past
// them faults. The view is valid until the next call.
std::string_view against_guard_page(std::string_view bytes);

// Whether simdjson's DOM parser (full validation, UTF-8 included) accepts `text` as JSON.
bool dom_accepts(std::string_view text);

using iotjobs::detail::is_blank;  // a request payload of only whitespace means `{}`

// Asserts the properties every decoder shares, for one fuzz input: the decode reads nothing
// outside the payload (it sits against a guard page); what it accepts, DOM accepts; and when it
// accepts, every strict prefix of the payload (up to its closing brace) is refused. Blank
// prefixes are skipped when `blank_is_empty_object`, as a blank request payload means `{}`.
// `decode` returns whether the decode succeeded.
template <class Decode>
void check_decoder(std::string_view payload, bool blank_is_empty_object, Decode&& decode) {
  if (!decode(against_guard_page(payload))) return;
  IOTJOBS_FUZZ_CHECK(is_blank(payload) || dom_accepts(payload));
  std::size_t end = payload.size();
  while (end > 0 && payload[end - 1] != '}')
    --end;
  if (end == 0) return;  // a blank payload taken as `{}`
  // Every prefix of a short payload; for longer ones (fuzzing speed) 128 spread out and the
  // last 64.
  const std::size_t step = end <= 1024 ? 1 : end / 128;
  for (std::size_t n = 0; n < end; n += (end - n <= 64 ? 1 : step)) {
    const std::string_view prefix = payload.substr(0, n);
    if (blank_is_empty_object && is_blank(prefix)) continue;
    IOTJOBS_FUZZ_CHECK(!decode(against_guard_page(prefix)));
  }
}

// Draws typed values from the fuzz input, front to back; past its end every draw is zero/empty.
class reader {
 public:
  reader(const std::uint8_t* data, std::size_t size) noexcept : data_(data), size_(size) {}

  std::uint8_t byte() noexcept { return pos_ < size_ ? data_[pos_++] : 0; }
  bool flag() noexcept { return byte() & 1; }
  // Mostly the edges a validator cares about; otherwise any 64-bit value.
  std::int64_t integer() noexcept;
  // Either raw bytes (always, for an empty alphabet), or a string of `alphabet` characters (so
  // valid names come often), of a length drawn up to 255 + the largest limit that matters (1024
  // code points).
  std::string text(std::string_view alphabet);
  template <class F>
  auto maybe(F&& draw) -> std::optional<decltype(draw())> {
    if (!flag()) return std::nullopt;
    return draw();
  }
  bool done() const noexcept { return pos_ >= size_; }
  std::string_view rest() noexcept {
    const std::string_view r(reinterpret_cast<const char*>(data_) + pos_, size_ - pos_);
    pos_ = size_;
    return r;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

inline constexpr std::string_view thing_chars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_-";
inline constexpr std::string_view job_chars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
// Printable text with the characters JSON must escape, and some multi-byte UTF-8.
inline constexpr std::string_view text_chars = "aZ09 \"\\/\x7f\xc3\xa9\xe2\x82\xac{}:,";

}  // namespace iotjobs_fuzz

#endif  // IOTJOBS_FUZZ_FUZZ_HPP
