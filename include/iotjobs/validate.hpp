// iotjobs — the validation rules of the Jobs data plane (spec §4.4, §4.5, §10), public so that
// callers can check values before they reach an encoder. Encoders apply the same functions to
// every field before they write the first byte.
#ifndef IOTJOBS_VALIDATE_HPP
#define IOTJOBS_VALIDATE_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "iotjobs/detail/byte_scan.hpp"
#include "iotjobs/detail/unicode_category_c.hpp"
#include "iotjobs/detail/utf8.hpp"

namespace iotjobs {

inline constexpr std::size_t max_thing_name_size = 128;
inline constexpr std::size_t max_job_id_size = 64;
inline constexpr std::size_t max_client_token_size = 64;
inline constexpr std::size_t max_status_details_key_size = 128;
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

}  // namespace detail

/// ThingName: 1–128 of [a-zA-Z0-9:_-].
constexpr bool is_valid_thing_name(std::string_view s) noexcept {
  return detail::is_id(s, max_thing_name_size, true);
}

/// JobId: 1–64 of [a-zA-Z0-9_-]. `$next` is not a job id here; see is_valid_job_id_or_next().
constexpr bool is_valid_job_id(std::string_view s) noexcept {
  return detail::is_id(s, max_job_id_size, false);
}

/// DescribeJobExecution's job id: a JobId, or the literal `$next`.
constexpr bool is_valid_job_id_or_next(std::string_view s) noexcept {
  return s == next_job_id || is_valid_job_id(s);
}

/// clientToken: 1–64 bytes of well-formed UTF-8 (the longest token AWS IoT accepts is 64).
constexpr bool is_valid_client_token(std::string_view s) noexcept {
  return !s.empty() && s.size() <= max_client_token_size && detail::is_valid_utf8(s);
}

/// statusDetails key: 1–128 of [a-zA-Z0-9:_-].
constexpr bool is_valid_status_details_key(std::string_view s) noexcept {
  return detail::is_id(s, max_status_details_key_size, true);
}

/// statusDetails value: 1–1024 code points of well-formed UTF-8, none of them in Unicode general
/// category C (controls such as TAB/CR/LF, format characters such as U+200B and U+FEFF,
/// surrogates, private use, unassigned code points and noncharacters; Unicode `unicode_version`).
constexpr bool is_valid_status_details_value(std::string_view s) noexcept {
  // Printable ASCII is never in category C and is one code point per byte: most values are all
  // of it, and are checked 16 bytes at a time.
  std::size_t i = detail::leading_in_class<detail::byte_class::printable_ascii>(s);
  std::size_t count = i;
  if (count > max_status_details_value_length) return false;
  std::uint32_t cp = 0;
  for (; i < s.size(); ++count) {
    if (count == max_status_details_value_length) return false;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F) {  // printable ASCII after the first other character
      ++i;
      continue;
    }
    if (!detail::next_code_point(s, i, cp) || detail::is_category_c(cp)) return false;
  }
  return count > 0;
}

/// stepTimeoutInMinutes of StartNextPendingJobExecution: 1–10080.
constexpr bool is_valid_step_timeout(std::int64_t minutes) noexcept {
  return minutes >= min_step_timeout_minutes && minutes <= max_step_timeout_minutes;
}

/// stepTimeoutInMinutes of UpdateJobExecution: 1–10080, or -1 to cancel the step timer.
constexpr bool is_valid_update_step_timeout(std::int64_t minutes) noexcept {
  return minutes == cancel_step_timer || is_valid_step_timeout(minutes);
}

// ---------------------------------------------------------------------------------------------
// Commands (spec §4.6, §9).

inline constexpr std::size_t max_target_arn_size = 2048;
inline constexpr std::size_t max_command_parameter_name_size = 192;
inline constexpr std::size_t max_execution_id_size = 64;
inline constexpr std::size_t max_client_id_size = 128;  // AWS IoT's MQTT client id limit
inline constexpr std::size_t max_reason_code_size = 64;
inline constexpr std::size_t max_reason_description_length = 1024;  // code points

/// CommandParameterName: 1–192 of [.$a-zA-Z0-9_-].
constexpr bool is_valid_command_parameter_name(std::string_view s) noexcept {
  if (s.empty() || s.size() > max_command_parameter_name_size) return false;
  for (char c : s) {
    if (!detail::in_class<detail::byte_class::id>(c) && c != '.' && c != '$') return false;
  }
  return true;
}

/// StartCommandExecution's clientToken: 1–64 printable ASCII characters (0x21–0x7E).
constexpr bool is_valid_command_client_token(std::string_view s) noexcept {
  if (s.empty() || s.size() > max_client_token_size) return false;
  for (char c : s) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

/// CommandExecutionId: 1–64 of [a-zA-Z0-9_-].
constexpr bool is_valid_execution_id(std::string_view s) noexcept {
  return detail::is_id(s, max_execution_id_size, false);
}

/// An MQTT client id as a topic level: 1–128 bytes of UTF-8 with no `/`, `+`, `#` or NUL.
constexpr bool is_valid_client_id(std::string_view s) noexcept {
  if (s.empty() || s.size() > max_client_id_size) return false;
  for (char c : s) {
    if (c == '/' || c == '+' || c == '#' || c == '\0') return false;
  }
  return detail::is_valid_utf8(s);
}

/// A command statusReason's reasonCode: 1–64 of [A-Z0-9_-].
constexpr bool is_valid_reason_code(std::string_view s) noexcept {
  if (s.empty() || s.size() > max_reason_code_size) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

/// A command statusReason's reasonDescription: up to 1024 code points of UTF-8, no controls.
constexpr bool is_valid_reason_description(std::string_view s) noexcept {
  std::size_t count = 0;
  std::uint32_t cp = 0;
  for (std::size_t i = 0; i < s.size(); ++count) {
    if (count == max_reason_description_length) return false;
    if (!detail::next_code_point(s, i, cp) || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return false;
  }
  return true;
}

}  // namespace iotjobs

#endif  // IOTJOBS_VALIDATE_HPP
