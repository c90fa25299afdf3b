// JSON text without a parser: whitespace, the number grammar, and a strict check of a whole text
// (RFC 8259) — the service-side encoders embed a job document given as text, and must not send
// one that a device's decoder would refuse. No allocation, no recursion (the open containers are
// bits of one word).
#ifndef IOTJOBS_DETAIL_JSON_TEXT_HPP
#define IOTJOBS_DETAIL_JSON_TEXT_HPP

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <system_error>

#include "iotjobs/detail/byte_scan.hpp"
#include "iotjobs/detail/utf8.hpp"

namespace iotjobs::detail {

constexpr bool is_json_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

constexpr bool is_blank(std::string_view s) noexcept {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

constexpr std::string_view trim_right(std::string_view s) noexcept {
  while (!s.empty() && is_json_space(s.back()))
    s.remove_suffix(1);
  return s;
}

enum class number_syntax { invalid, integer, other };

/// Classifies a token against the RFC 8259 number grammar:
/// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
constexpr number_syntax classify_number(std::string_view s) noexcept {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
      ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return number_syntax::invalid;
  }
  bool integer = true;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return number_syntax::invalid;
    integer = false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return number_syntax::invalid;
    integer = false;
  }
  if (i != s.size()) return number_syntax::invalid;
  return integer ? number_syntax::integer : number_syntax::other;
}

enum class whole_number { exact, fraction, out_of_range };

/// The whole part of a number token that classify_number() accepts, read exactly from its digits
/// (not through a double, which cannot hold every int64): `out` is the value rounded toward
/// negative infinity; the result says whether that dropped a fraction, or the value lies
/// outside int64. `1.0`, `1e2` and `100e-2` are exact; `1.5` and `1e-9` are a fraction.
constexpr whole_number whole_part(std::string_view s, std::int64_t& out) noexcept {
  // The grammar is checked already: `-`? int (`.` frac)? ([eE] [+-]? exp)?, each part digits.
  const bool negative = s[0] == '-';
  const std::size_t int_begin = negative ? 1 : 0;
  const std::size_t exponent_at = std::min(s.find_first_of("eE"), s.size());
  const std::size_t point_at = std::min(s.find('.'), exponent_at);
  const std::size_t int_size = point_at - int_begin;
  const std::size_t frac_begin = std::min(point_at + 1, exponent_at);
  const std::size_t frac_size = exponent_at - frac_begin;
  const std::string_view exponent_text = s.substr(std::min(exponent_at + 1, s.size()));
  const bool exponent_negative = exponent_text.substr(0, 1) == "-";
  std::int64_t exponent = 0;  // saturates: past a million digits nothing fits int64 anyway
  for (const char c : exponent_text.substr(
           std::min(exponent_text.find_first_of("0123456789"), exponent_text.size()))) {
    if (exponent < 1000000) exponent = exponent * 10 + (c - '0');
  }
  if (exponent_negative) exponent = -exponent;
  // The digits of the integer and fraction parts, one sequence; the point stands after `point`
  // of them (past the last one, the digits are zeros).
  const std::int64_t digits = static_cast<std::int64_t>(int_size + frac_size);
  const auto digit = [&](std::int64_t j) -> unsigned {
    if (j >= digits) return 0;
    const auto k = static_cast<std::size_t>(j);
    return static_cast<unsigned>((k < int_size ? s[int_begin + k] : s[frac_begin + k - int_size]) -
                                 '0');
  };
  const std::int64_t point = static_cast<std::int64_t>(int_size) + exponent;
  std::uint64_t magnitude = 0;
  for (std::int64_t j = 0; j < point; ++j) {
    if (j >= digits && magnitude == 0) break;  // zeros times ten are zeros
    const unsigned d = digit(j);
    if (magnitude > (UINT64_MAX - d) / 10) return whole_number::out_of_range;
    magnitude = magnitude * 10 + d;
  }
  bool fraction = false;
  for (std::int64_t j = point < 0 ? 0 : point; j < digits && !fraction; ++j)
    fraction = digit(j) != 0;
  const std::uint64_t limit = std::uint64_t{INT64_MAX} + (negative ? 1 : 0);
  if (magnitude > limit || (negative && fraction && magnitude == limit))
    return whole_number::out_of_range;
  if (negative) {
    // -magnitude, less one when a fraction was dropped; written so that -2^63 does not overflow.
    out = magnitude == 0 ? 0 : -static_cast<std::int64_t>(magnitude - 1) - 1;
    if (fraction) --out;
  } else {
    out = static_cast<std::int64_t>(magnitude);
  }
  return fraction ? whole_number::fraction : whole_number::exact;
}

constexpr std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_json_space(s.front()))
    s.remove_prefix(1);
  return trim_right(s);
}

class json_text_checker {
 public:
  /// Whether `text` is one JSON object and nothing else (whitespace aside), its containers nested
  /// at most `max_depth` deep (the object counting as 1; at most 64). Strings must be UTF-8 with
  /// valid escapes and paired surrogates; numbers must be what iotjobs' decoders (simdjson)
  /// accept: integers in [-2^63, 2^64), other numbers finite doubles — and also not so small
  /// that they underflow a double (1e-400), which simdjson would read as 0.
  static bool is_object(std::string_view text, std::size_t max_depth) noexcept {
    json_text_checker c(text);
    c.space();
    return c.peek() == '{' && c.values(max_depth < 64 ? max_depth : 64);
  }

  /// Where a text that is not JSON stops being JSON, for the decoder's error position.
  struct stop {
    bool json = false;       // the text is JSON: nothing stops it
    std::size_t offset = 0;  // else the first byte no JSON text has there (its size: it ends early)
    bool after_value = false;   // a whole value came before `offset`
    std::string_view last_key;  // the last member name read before `offset`, as written
  };
  static stop find_stop(std::string_view text) noexcept {
    json_text_checker c(text);
    stop r;
    r.json = c.values(64);
    r.offset = c.i_;
    r.after_value = c.after_value_;
    r.last_key = c.last_key_;
    return r;
  }

 private:
  explicit json_text_checker(std::string_view s) noexcept : s_(s) {}

  char peek() const noexcept { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool take(char c) noexcept {
    if (peek() != c || i_ == s_.size()) return false;
    ++i_;
    return true;
  }
  void space() noexcept {
    while (i_ < s_.size() && is_json_space(s_[i_]))
      ++i_;
  }

  // The top-level value and everything in it, then the end of the text.
  bool values(std::size_t max_depth) noexcept {
    std::uint64_t objects = 0;  // bit d: the container at depth d + 1 is an object
    std::size_t depth = 0;
    for (;;) {
      space();
      const char c = peek();
      if (c == '{' || c == '[') {
        if (depth == max_depth) return false;
        ++i_;
        objects =
            c == '{' ? objects | std::uint64_t{1} << depth : objects & ~(std::uint64_t{1} << depth);
        ++depth;
        space();
        if (take(c == '{' ? '}' : ']')) {
          --depth;
        } else {
          if (c == '{' && !key()) return false;
          continue;  // the first value
        }
      } else if (!scalar()) {
        return false;
      }
      // After a value: a comma and the next one, or the end of containers.
      for (;;) {
        space();
        if (depth == 0) {
          after_value_ = true;
          return i_ == s_.size();
        }
        const bool object = (objects >> (depth - 1) & 1) != 0;
        if (take(',')) {
          if (object && !key()) return false;
          break;
        }
        if (!take(object ? '}' : ']')) return false;
        --depth;
      }
    }
  }

  bool key() noexcept {
    space();
    const std::size_t start = i_;
    if (!string()) return false;
    last_key_ = s_.substr(start + 1, i_ - start - 2);
    space();
    return take(':');
  }

  bool scalar() noexcept {
    const char c = peek();
    if (c == '"') return string();
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    for (const std::string_view word : {"true", "false", "null"}) {
      if (s_.substr(i_, word.size()) == word) {
        i_ += word.size();
        return true;
      }
    }
    return false;
  }

  bool string() noexcept {
    if (!take('"')) return false;
    for (;;) {
      const std::size_t run = leading_in_class<byte_class::json_plain>(s_.substr(i_));
      if (!is_valid_utf8(s_.substr(i_, run))) return false;
      i_ += run;
      if (take('"')) return true;
      if (!take('\\')) return false;  // the end of the text, or a control character
      if (i_ == s_.size()) return false;
      const char e = s_[i_++];
      if (e == 'u') {
        std::uint32_t unit = 0;
        if (!hex4(unit)) return false;
        if (unit >= 0xDC00 && unit <= 0xDFFF) return false;  // a low surrogate alone
        if (unit >= 0xD800 && unit <= 0xDBFF) {              // needs its low surrogate
          if (!take('\\') || !take('u') || !hex4(unit) || unit < 0xDC00 || unit > 0xDFFF)
            return false;
        }
      } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
        return false;
      }
    }
  }

  bool hex4(std::uint32_t& unit) noexcept {
    if (s_.size() - i_ < 4) return false;
    const auto r = std::from_chars(s_.data() + i_, s_.data() + i_ + 4, unit, 16);
    if (r.ec != std::errc() || r.ptr != s_.data() + i_ + 4) return false;
    i_ += 4;
    return true;
  }

  // The token runs over the characters a number can hold; classify_number() judges it.
  bool number() noexcept {
    const std::size_t start = i_;
    while (i_ < s_.size() &&
           std::string_view("0123456789+-.eE").find(s_[i_]) != std::string_view::npos)
      ++i_;
    const char* first = s_.data() + start;
    const char* last = s_.data() + i_;
    switch (classify_number(std::string_view(first, i_ - start))) {
      case number_syntax::invalid: return false;
      case number_syntax::integer: {
        std::int64_t i;
        std::uint64_t u;
        return *first == '-' ? std::from_chars(first, last, i).ec == std::errc()
                             : std::from_chars(first, last, u).ec == std::errc();
      }
      case number_syntax::other: {
        double d;
        return std::from_chars(first, last, d).ec == std::errc();  // refuses infinities
      }
    }
    return false;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  bool after_value_ = false;
  std::string_view last_key_;
};

}  // namespace iotjobs::detail

#endif  // IOTJOBS_DETAIL_JSON_TEXT_HPP
