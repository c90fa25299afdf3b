// Strict UTF-8 decoding (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
#ifndef IOTJOBS_DETAIL_UTF8_HPP
#define IOTJOBS_DETAIL_UTF8_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "iotjobs/detail/byte_scan.hpp"

namespace iotjobs::detail {

/// Decodes the code point starting at s[i] and advances i past it. Returns false (i unchanged)
/// when the bytes there are not a well-formed UTF-8 sequence.
constexpr bool next_code_point(std::string_view s, std::size_t& i, std::uint32_t& cp) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    cp = b0;
    i += 1;
    return true;
  }
  std::size_t len = 0;
  std::uint32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, min = 0x80, cp = b0 & 0x1Fu;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, min = 0x800, cp = b0 & 0x0Fu;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, cp = b0 & 0x07u;
  } else {
    return false;
  }
  if (s.size() - i < len) return false;
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  i += len;
  return true;
}

constexpr bool is_valid_utf8(std::string_view s) noexcept {
  std::uint32_t cp = 0;
  for (std::size_t i = leading_in_class<byte_class::ascii>(s); i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;  // ASCII fast path
    } else if (!next_code_point(s, i, cp)) {
      return false;
    }
  }
  return true;
}

}  // namespace iotjobs::detail

#endif  // IOTJOBS_DETAIL_UTF8_HPP
