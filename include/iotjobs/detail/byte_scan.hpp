// Whole-string checks of a byte class ("every byte is a name character", "no byte needs escaping
// in JSON"), 16 bytes at a time with SSE2 where the compiler offers it, byte by byte in constant
// evaluation and elsewhere. Every name, token and statusDetails value that an encoder writes or
// a topic parser reads goes through one of them, so they are the hot path of both.
#ifndef IOTJOBS_DETAIL_BYTE_SCAN_HPP
#define IOTJOBS_DETAIL_BYTE_SCAN_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#endif

namespace iotjobs::detail {

enum class byte_class {
  id,               // [a-zA-Z0-9_-]
  id_or_colon,      // [a-zA-Z0-9:_-]
  ascii,            // 0x00-0x7F
  printable_ascii,  // 0x20-0x7E
  json_plain,       // written as itself in a JSON string: not '"', '\' or below 0x20
};

template <byte_class K>
constexpr bool in_class(char ch) noexcept {
  const auto c = static_cast<unsigned char>(ch);
  if constexpr (K == byte_class::id || K == byte_class::id_or_colon) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || (K == byte_class::id_or_colon && c == ':');
  } else if constexpr (K == byte_class::ascii) {
    return c < 0x80;
  } else if constexpr (K == byte_class::printable_ascii) {
    return c >= 0x20 && c < 0x7F;
  } else {
    return c >= 0x20 && c != '"' && c != '\\';
  }
}

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
namespace sse2 {

// in_class() for the 16 bytes of v, all at once: bit i of the result is set when byte i is in K.
template <byte_class K>
inline int class_mask(__m128i v) noexcept {
  if constexpr (K == byte_class::ascii) {
    return ~_mm_movemask_epi8(v) & 0xFFFF;
  } else if constexpr (K == byte_class::json_plain) {
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);  // <= 0x1F
    const __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    const __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    return ~_mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))) & 0xFFFF;
  } else {
    // Bytes from 0x80 are negative here, so they fall outside every signed range below.
    const auto in = [](__m128i x, char lo, char hi) {
      return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(static_cast<char>(lo - 1))),
                           _mm_cmplt_epi8(x, _mm_set1_epi8(static_cast<char>(hi + 1))));
    };
    if constexpr (K == byte_class::printable_ascii) {
      return _mm_movemask_epi8(in(v, 0x20, 0x7E));
    } else {
      const __m128i letter = in(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z');   // A-Z folded
      const __m128i digit = in(v, '0', K == byte_class::id_or_colon ? ':' : '9');  // ':' is '9'+1
      const __m128i mark = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')),
                                        _mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
      return _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), mark));
    }
  }
}

inline __m128i load16(const char* p) noexcept {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// 16 bytes holding every byte of p[0, n), 4 <= n <= 16, read without touching a byte outside the
// string: two overlapping 8-byte loads (p[0, 8) in lanes 0-7, p[n-8, n) in lanes 8-15), or for
// n < 8 two 4-byte ones (p[0, 4) in lanes 0-3, p[n-4, n) in lanes 4-7, and again).
inline __m128i load_covering(const char* p, std::size_t n) noexcept {
  if (n >= 8) {
    return _mm_unpacklo_epi64(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)),
                              _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + n - 8)));
  }
  std::int32_t head, tail;
  std::memcpy(&head, p, 4);
  std::memcpy(&tail, p + n - 4, 4);
  return _mm_set_epi32(tail, head, tail, head);
}

// Whether all of p[0, n), n >= 4, is in K: cheaper than leading_in_class() when only that counts.
template <byte_class K>
inline bool all_in_class(const char* p, std::size_t n) noexcept {
  if (n <= 16) return class_mask<K>(load_covering(p, n)) == 0xFFFF;
  for (std::size_t i = 0; i + 16 < n; i += 16) {
    if (class_mask<K>(load16(p + i)) != 0xFFFF) return false;
  }
  return class_mask<K>(load16(p + n - 16)) == 0xFFFF;  // overlaps the block before it
}

// The length of the longest prefix of p[0, n) in K, or at least how far it surely reaches: a
// tail of 1 to 3 bytes is left to the caller.
template <byte_class K>
inline std::size_t leading_in_class(const char* p, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const int outside = ~class_mask<K>(load16(p + i)) & 0xFFFF;
    if (outside != 0) return i + static_cast<std::size_t>(__builtin_ctz(outside));
  }
  const std::size_t rest = n - i;
  if (rest < 4) return i;
  // load_covering() puts the first half-load in the low lanes: a lane there is its own offset,
  // a lane of the second half-load counts from rest - half.
  const int outside = ~class_mask<K>(load_covering(p + i, rest)) & 0xFFFF;
  if (outside == 0) return n;
  const auto lane = static_cast<std::size_t>(__builtin_ctz(outside));
  const std::size_t half = rest >= 8 ? 8 : 4;
  return i + (lane < half ? lane : rest - half + (lane - half));
}

}  // namespace sse2
#endif

/// The length of the longest prefix of `s` whose bytes are all in class K.
template <byte_class K>
constexpr std::size_t leading_in_class(std::string_view s) noexcept {
  std::size_t i = 0;
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
  if (!__builtin_is_constant_evaluated()) i = sse2::leading_in_class<K>(s.data(), s.size());
#endif
  while (i < s.size() && in_class<K>(s[i]))
    ++i;
  return i;
}

/// Whether every byte of `s` is in class K (true for the empty string).
template <byte_class K>
constexpr bool all_in_class(std::string_view s) noexcept {
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
  if (!__builtin_is_constant_evaluated() && s.size() >= 4)
    return sse2::all_in_class<K>(s.data(), s.size());
#endif
  return leading_in_class<K>(s) == s.size();
}

/// The first '"' or '\\' at or after `p`: where a JSON string's text ends, or its first escape.
/// One must lie ahead, and the 15 bytes after it must be readable (a simdjson padded buffer's
/// padding): the search reads 16 bytes at a time.
inline const char* find_quote_or_backslash(const char* p) noexcept {
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
  for (;; p += 16) {
    const __m128i v = sse2::load16(p);
    const int hits = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                                    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
    if (hits != 0) return p + __builtin_ctz(static_cast<unsigned>(hits));
  }
#else
  while (*p != '"' && *p != '\\')
    ++p;
  return p;
#endif
}

}  // namespace iotjobs::detail

#endif  // IOTJOBS_DETAIL_BYTE_SCAN_HPP
