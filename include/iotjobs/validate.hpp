// iotjobs — the validation rules of the Jobs data plane (docs/wire-protocol.md §4.4, §4.5, §10),
// public so that callers can check values before they reach an encoder. Encoders apply the same
// functions to every field before they write the first byte.
#ifndef IOTJOBS_VALIDATE_HPP
#define IOTJOBS_VALIDATE_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "iotjobs/detail/byte_scan.hpp"
#include "iotjobs/detail/unicode_category_c.hpp"
#include "iotjobs/detail/utf8.hpp"
#include "iotjobs/error.hpp"

namespace iotjobs {

inline constexpr std::size_t max_thing_name_size = 128;
inline constexpr std::size_t max_job_id_size = 64;
inline constexpr std::size_t max_client_token_size = 64;
inline constexpr std::size_t max_status_details_key_size = 128;
/// A Greengrass namespace id (`namespace-<NS>` in a topic): the IoT model gives the pattern
/// [a-zA-Z0-9_-]+ but no length; 64 is iotjobs' bound, and a namespaced topic must also stay
/// within AWS IoT's 256-byte topic limit.
inline constexpr std::size_t max_namespace_id_size = 64;
/// statusDetails values are counted in code points, not bytes.
inline constexpr std::size_t max_status_details_value_length = 1024;
inline constexpr std::int64_t min_step_timeout_minutes = 1;
inline constexpr std::int64_t max_step_timeout_minutes = 10080;  // 7 days
/// On UpdateJobExecution, stepTimeoutInMinutes = -1 cancels the current step timer.
inline constexpr std::int64_t cancel_step_timer = -1;
/// The job id that names "the next pending execution" where an API allows it.
inline constexpr std::string_view next_job_id = "$next";
/// The Unicode version of the category C table behind is_valid_status_details_value().
inline constexpr std::string_view unicode_version = detail::unicode_version;

namespace detail {

constexpr bool is_id(std::string_view s, std::size_t max_size, bool allow_colon) noexcept {
  if (s.empty() || s.size() > max_size) return false;
  return allow_colon ? all_in_class<byte_class::id_or_colon>(s) : all_in_class<byte_class::id>(s);
}

constexpr bool is_category_c(std::uint32_t cp) noexcept {
  std::size_t lo = 0;
  std::size_t hi = sizeof(category_c_ranges) / sizeof(category_c_ranges[0]);
  while (lo < hi) {  // binary search for the first range whose end is >= cp
    const std::size_t mid = lo + (hi - lo) / 2;
    if (category_c_ranges[mid].last < cp) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < sizeof(category_c_ranges) / sizeof(category_c_ranges[0]) &&
         category_c_ranges[lo].first <= cp;
}

// Up to `max_length` code points of well-formed UTF-8, none of them in general category C; the
// empty text passes. The one check behind statusDetails values and command reason descriptions.
constexpr bool is_text_without_category_c(std::string_view s, std::size_t max_length) noexcept {
  // Printable ASCII is never in category C and is one code point per byte: most texts are all
  // of it, and are checked 16 bytes at a time.
  std::size_t i = leading_in_class<byte_class::printable_ascii>(s);
  std::size_t count = i;
  if (count > max_length) return false;
  std::uint32_t cp = 0;
  for (; i < s.size(); ++count) {
    if (count == max_length) return false;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F) {  // printable ASCII after the first other character
      ++i;
      continue;
    }
    if (!next_code_point(s, i, cp) || is_category_c(cp)) return false;
  }
  return true;
}

// True when two entries of `list` have equal keys (`key` names the member). Quadratic but free
// of allocation: the maps an encoder is given (statusDetails, command parameters and results)
// are short, and a map the service would read as fewer entries must not be sent.
template <class List, class Key>
constexpr bool has_duplicate_key(const List& list, Key key) noexcept {
  for (auto i = list.begin(); i != list.end(); ++i) {
    for (auto j = list.begin(); j != i; ++j) {
      if (std::string_view((*i).*key) == std::string_view((*j).*key)) return true;
    }
  }
  return false;
}

}  // namespace detail

/// ThingName: 1–128 of [a-zA-Z0-9:_-].
[[nodiscard]] constexpr bool is_valid_thing_name(std::string_view s) noexcept {
  return detail::is_id(s, max_thing_name_size, true);
}

/// JobId: 1–64 of [a-zA-Z0-9_-]. `$next` is not a job id here; see is_valid_job_id_or_next().
[[nodiscard]] constexpr bool is_valid_job_id(std::string_view s) noexcept {
  return detail::is_id(s, max_job_id_size, false);
}

/// DescribeJobExecution's job id: a JobId, or the literal `$next`.
[[nodiscard]] constexpr bool is_valid_job_id_or_next(std::string_view s) noexcept {
  return s == next_job_id || is_valid_job_id(s);
}

/// clientToken: 1–64 bytes of well-formed UTF-8 (the longest token AWS IoT accepts is 64).
[[nodiscard]] constexpr bool is_valid_client_token(std::string_view s) noexcept {
  return !s.empty() && s.size() <= max_client_token_size && detail::is_valid_utf8(s);
}

/// A Greengrass namespace id: 1–64 of [a-zA-Z0-9_-] (`aws-gg-deployment` is Greengrass's).
[[nodiscard]] constexpr bool is_valid_namespace_id(std::string_view s) noexcept {
  return detail::is_id(s, max_namespace_id_size, false);
}

/// statusDetails key: 1–128 of [a-zA-Z0-9:_-].
[[nodiscard]] constexpr bool is_valid_status_details_key(std::string_view s) noexcept {
  return detail::is_id(s, max_status_details_key_size, true);
}

/// statusDetails value: 1–1024 code points of well-formed UTF-8, none of them in Unicode general
/// category C (controls such as TAB/CR/LF, format characters such as U+200B and U+FEFF,
/// surrogates, private use, unassigned code points and noncharacters; Unicode `unicode_version`).
[[nodiscard]] constexpr bool is_valid_status_details_value(std::string_view s) noexcept {
  return !s.empty() && detail::is_text_without_category_c(s, max_status_details_value_length);
}

/// Which end of a text make_status_details_value() keeps when the text is too long.
enum class keep : std::uint8_t {
  start,  // the first 1024 code points: an error message
  end,    // the last 1024: the tail of a log
};

/// The most bytes a statusDetails value can take: 1024 code points of 4 bytes.
inline constexpr std::size_t max_status_details_value_size = 4 * max_status_details_value_length;

/// Makes any text a valid statusDetails value in `out`: each code point of Unicode category C (a
/// newline, a tab, U+FEFF, ...) and each byte that is not part of well-formed UTF-8 becomes a
/// space, and a text of more than 1024 code points is cut, on a code point boundary, to the 1024
/// that `which` keeps. The empty text becomes "(empty)": a value is never empty. The result views
/// `out`; buffer_too_small, with the bytes needed, when `out` cannot hold it (4096 bytes always
/// can).
[[nodiscard]] constexpr result<std::string_view> make_status_details_value(
    std::string_view text, mutable_buffer out, keep which = keep::start) noexcept {
  if (text.empty()) text = "(empty)";
  // For keep::end, a first pass counts the value's code points; then from the first one kept
  // they are written.
  std::size_t total = 0;
  for (std::size_t i = 0; which == keep::end && i < text.size(); ++total) {
    std::uint32_t cp = 0;
    if (!detail::next_code_point(text, i, cp)) ++i;
  }
  std::size_t skip =
      total > max_status_details_value_length ? total - max_status_details_value_length : 0;
  std::size_t written = 0, kept = 0, needed = 0;
  for (std::size_t i = 0; i < text.size() && kept < max_status_details_value_length;) {
    const std::size_t start = i;
    std::uint32_t cp = 0;
    const bool valid = detail::next_code_point(text, i, cp);
    if (!valid) i = start + 1;
    const bool space = !valid || detail::is_category_c(cp);
    if (skip > 0) {
      --skip;
      continue;
    }
    const std::size_t size = space ? 1 : i - start;
    needed += size;
    ++kept;
    if (needed > out.size) continue;  // counted, not written: the size needed is reported
    for (std::size_t k = 0; k < size; ++k)
      out.data[written + k] = space ? ' ' : text[start + k];
    written += size;
  }
  if (needed > out.size) return {error::buffer_too_small, needed};
  return std::string_view(out.data, written);
}

/// stepTimeoutInMinutes of StartNextPendingJobExecution: 1–10080.
[[nodiscard]] constexpr bool is_valid_step_timeout(std::int64_t minutes) noexcept {
  return minutes >= min_step_timeout_minutes && minutes <= max_step_timeout_minutes;
}

/// stepTimeoutInMinutes of UpdateJobExecution: 1–10080, or -1 to cancel the step timer.
[[nodiscard]] constexpr bool is_valid_update_step_timeout(std::int64_t minutes) noexcept {
  return minutes == cancel_step_timer || is_valid_step_timeout(minutes);
}

}  // namespace iotjobs

#endif  // IOTJOBS_VALIDATE_HPP
