// The validation functions against references written here from the spec's rules, without the
// library's helpers: exact for the ASCII rules, and for the Unicode ones (statusDetails values
// and reason descriptions, which exclude category C) exact on ASCII text and a necessary
// condition (well-formed UTF-8, per simdjson, and the length bound) on the rest.
#include <simdjson.h>
#include <iotjobs/commands.hpp>
#include <iotjobs/service.hpp>  // detail::json_text_checker
#include <iotjobs/validate.hpp>

#include "fuzz.hpp"
#include "targets.hpp"

namespace iotjobs_fuzz {
namespace {

bool all_of_chars(std::string_view s, std::string_view allowed, std::size_t max) {
  return !s.empty() && s.size() <= max && s.find_first_not_of(allowed) == std::string_view::npos;
}

bool is_ascii(std::string_view s) {
  for (const char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

bool well_formed(std::string_view s) {
  return simdjson::validate_utf8(s.data(), s.size());
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s)
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Unicode text whose exact rule needs tables: exact on ASCII, necessary otherwise.
void check_unicode_rule(bool valid, std::string_view s, std::size_t min_length,
                        std::size_t max_length, bool (*ascii_allowed)(char)) {
  const std::size_t length = code_points(s);
  if (is_ascii(s)) {
    bool expected = length >= min_length && length <= max_length;
    for (const char c : s)
      expected = expected && ascii_allowed(c);
    IOTJOBS_FUZZ_CHECK(valid == expected);
  } else if (valid) {
    IOTJOBS_FUZZ_CHECK(well_formed(s) && length >= min_length && length <= max_length);
  }
}

}  // namespace

void validate(const std::uint8_t* data, std::size_t size) {
  reader in(data, size);
  const std::uint8_t which = in.byte();
  const std::string_view s = against_guard_page(in.rest());
  constexpr std::string_view thing = thing_chars;
  constexpr std::string_view job = job_chars;
  constexpr std::string_view parameter =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.$";
  constexpr std::string_view reason = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
  switch (which % 14) {
    case 0:
      IOTJOBS_FUZZ_CHECK(iotjobs::is_valid_thing_name(s) == all_of_chars(s, thing, 128));
      break;
    case 1: IOTJOBS_FUZZ_CHECK(iotjobs::is_valid_job_id(s) == all_of_chars(s, job, 64)); break;
    case 2:
      IOTJOBS_FUZZ_CHECK(iotjobs::is_valid_job_id_or_next(s) ==
                         (s == "$next" || all_of_chars(s, job, 64)));
      break;
    case 3:
      IOTJOBS_FUZZ_CHECK(iotjobs::is_valid_client_token(s) ==
                         (!s.empty() && s.size() <= 64 && well_formed(s)));
      break;
    case 4:
      IOTJOBS_FUZZ_CHECK(iotjobs::is_valid_status_details_key(s) == all_of_chars(s, thing, 128));
      break;
    case 5:
      check_unicode_rule(iotjobs::is_valid_status_details_value(s), s, 1, 1024,
                         [](char c) { return c >= 0x20 && c < 0x7F; });
      break;
    case 6:
      IOTJOBS_FUZZ_CHECK(iotjobs::is_valid_command_parameter_name(s) ==
                         all_of_chars(s, parameter, 192));
      break;
    case 7: {
      bool expected = !s.empty() && s.size() <= 64;
      for (const char c : s)
        expected = expected && c >= 0x21 && c <= 0x7E;
      IOTJOBS_FUZZ_CHECK(iotjobs::is_valid_command_client_token(s) == expected);
      break;
    }
    case 8:
      IOTJOBS_FUZZ_CHECK(iotjobs::is_valid_execution_id(s) == all_of_chars(s, job, 64));
      break;
    case 9:
      IOTJOBS_FUZZ_CHECK(iotjobs::is_valid_client_id(s) ==
                         (!s.empty() && s.size() <= 128 && well_formed(s) &&
                          s.find_first_of(std::string_view("/+#\0", 4)) == std::string_view::npos));
      break;
    case 10:
      IOTJOBS_FUZZ_CHECK(iotjobs::is_valid_reason_code(s) == all_of_chars(s, reason, 64));
      break;
    case 11:
      // The statusDetails value's rule (no category C), but 0-1024 code points.
      check_unicode_rule(iotjobs::is_valid_reason_description(s), s, 0, 1024,
                         [](char c) { return c >= 0x20 && c < 0x7F; });
      break;
    case 12:
      IOTJOBS_FUZZ_CHECK(iotjobs::is_valid_command_result_name(s) == all_of_chars(s, job, 32));
      break;
    default:
      IOTJOBS_FUZZ_CHECK(iotjobs::is_valid_namespace_id(s) == all_of_chars(s, job, 64));
      break;
  }
  // The service encoders' check of job document text: what it accepts, simdjson accepts (it may
  // refuse a little more: numbers that underflow a double).
  if (iotjobs::detail::json_text_checker::is_object(s, iotjobs::max_nesting_depth))
    IOTJOBS_FUZZ_CHECK(dom_accepts(s));
  // The step timeouts, on a drawn integer.
  reader numbers(data, size);
  const std::int64_t minutes = numbers.integer();
  IOTJOBS_FUZZ_CHECK(iotjobs::is_valid_step_timeout(minutes) == (minutes >= 1 && minutes <= 10080));
  IOTJOBS_FUZZ_CHECK(iotjobs::is_valid_update_step_timeout(minutes) ==
                     (minutes == -1 || (minutes >= 1 && minutes <= 10080)));
}

}  // namespace iotjobs_fuzz
