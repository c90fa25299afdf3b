// Base64 decoding (RFC 4648 §4), checked: OTA signatures (documents.hpp) and the tool's blobs.
#ifndef IOTJOBS_DETAIL_BASE64_HPP
#define IOTJOBS_DETAIL_BASE64_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace iotjobs::detail {

constexpr int base64_digit(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// The size `text` decodes to, writing the bytes to `out` when it is not null; -1 when it is not
// base64: the `=` padding may be left out, but where it is given it is exact, and the bits left
// over in the last digit are zero (the canonical encoding).
constexpr std::ptrdiff_t base64_decode(std::string_view text, char* out) noexcept {
  std::size_t n = text.size();
  if (n % 4 == 0 && n > 0 && text[n - 1] == '=') n -= text[n - 2] == '=' ? 2 : 1;
  if (n % 4 == 1) return -1;
  std::uint32_t bits = 0;
  std::ptrdiff_t size = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const int d = base64_digit(text[i]);
    if (d < 0) return -1;
    bits = bits << 6 | static_cast<std::uint32_t>(d);
    if (i % 4 == 0) continue;
    const int shift = 6 - 2 * static_cast<int>(i % 4);  // 4, 2, 0: the bits left over
    if (out != nullptr) out[size] = static_cast<char>(bits >> shift & 0xFF);
    ++size;
    bits &= (1u << shift) - 1;
  }
  return bits == 0 ? size : -1;
}

}  // namespace iotjobs::detail

#endif  // IOTJOBS_DETAIL_BASE64_HPP
