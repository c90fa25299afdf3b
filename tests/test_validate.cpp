#include "iotjobs/validate.hpp"

#include <doctest/doctest.h>

#include <string>

namespace test_validate {

using namespace iotjobs;

TEST_CASE("thing names: 1-128 of [a-zA-Z0-9:_-]") {
  CHECK(is_valid_thing_name("a"));
  CHECK(is_valid_thing_name("my:thing_1-2"));
  CHECK(is_valid_thing_name(std::string(128, 'x')));
  CHECK_FALSE(is_valid_thing_name(""));
  CHECK_FALSE(is_valid_thing_name(std::string(129, 'x')));
  for (const char* bad : {"a/b", "a+", "#", "a b", "caf\xC3\xA9", "a.b", "$next", "a\n"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_valid_thing_name(bad));
  }
}

TEST_CASE("long names: a bad byte anywhere is found (16-byte blocks where SSE2 is used)") {
  const std::string good = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-:";
  REQUIRE(good.size() == 65);
  CHECK(is_valid_thing_name(good));
  CHECK(is_valid_thing_name(good + good.substr(0, 63)));  // 128
  CHECK(is_valid_job_id(good.substr(0, 64)));
  CHECK_FALSE(is_valid_job_id(good.substr(1)));  // ends in ':', not a job id character
  for (std::size_t at = 0; at < good.size(); ++at) {
    for (const char bad : {'/', '+', '#', ' ', '.', '@', '[', '`', '{', '\x80', '\xFF', '\0'}) {
      std::string s = good;
      s[at] = bad;
      CAPTURE(at);
      CAPTURE(static_cast<int>(static_cast<unsigned char>(bad)));
      CHECK_FALSE(is_valid_thing_name(s));
    }
  }
}

// The block scans against the byte rule they speed up: every length up to 48 (short strings,
// one block, several and a partial one), every position, every byte value there.
template <detail::byte_class K>
void check_scans_agree_with_byte_rule() {
  const std::string good(48, K == detail::byte_class::json_plain ? '\xC3' : '7');
  REQUIRE(detail::in_class<K>(good[0]));
  for (std::size_t size = 0; size <= good.size(); ++size) {
    CHECK(detail::all_in_class<K>(std::string_view(good).substr(0, size)));
    CHECK(detail::leading_in_class<K>(std::string_view(good).substr(0, size)) == size);
    for (std::size_t at = 0; at < size; ++at) {
      for (int byte = 0; byte < 256; ++byte) {
        std::string s = good.substr(0, size);
        s[at] = static_cast<char>(byte);
        const bool in = detail::in_class<K>(s[at]);
        if (detail::all_in_class<K>(s) != in ||
            detail::leading_in_class<K>(s) != (in ? size : at)) {
          FAIL_CHECK("size " << size << ", byte " << byte << " at " << at);
        }
      }
    }
  }
}

TEST_CASE("byte classes: the 16-byte scans agree with the byte rule") {
  check_scans_agree_with_byte_rule<detail::byte_class::id>();
  check_scans_agree_with_byte_rule<detail::byte_class::id_or_colon>();
  check_scans_agree_with_byte_rule<detail::byte_class::ascii>();
  check_scans_agree_with_byte_rule<detail::byte_class::printable_ascii>();
  check_scans_agree_with_byte_rule<detail::byte_class::json_plain>();
  // The byte rules themselves, at their edges.
  CHECK(detail::in_class<detail::byte_class::json_plain>('\x20'));
  CHECK_FALSE(detail::in_class<detail::byte_class::json_plain>('\x1F'));
  CHECK_FALSE(detail::in_class<detail::byte_class::json_plain>('"'));
  CHECK_FALSE(detail::in_class<detail::byte_class::json_plain>('\\'));
  CHECK(detail::in_class<detail::byte_class::json_plain>('\xFF'));
  CHECK(detail::in_class<detail::byte_class::printable_ascii>('~'));
  CHECK_FALSE(detail::in_class<detail::byte_class::printable_ascii>('\x7F'));
  CHECK_FALSE(detail::in_class<detail::byte_class::ascii>('\x80'));
  CHECK(detail::in_class<detail::byte_class::id_or_colon>(':'));
  CHECK_FALSE(detail::in_class<detail::byte_class::id>(':'));
}

TEST_CASE("job ids: 1-64 of [a-zA-Z0-9_-], $next only where allowed") {
  CHECK(is_valid_job_id("a"));
  CHECK(is_valid_job_id("fw-update_42"));
  CHECK(is_valid_job_id(std::string(64, '9')));
  CHECK(is_valid_job_id("get"));
  CHECK_FALSE(is_valid_job_id(""));
  CHECK_FALSE(is_valid_job_id(std::string(65, '9')));
  CHECK_FALSE(is_valid_job_id("a:b"));  // ':' is for thing names only
  CHECK_FALSE(is_valid_job_id("a/b"));
  CHECK_FALSE(is_valid_job_id("+"));
  CHECK_FALSE(is_valid_job_id("$next"));
  CHECK(is_valid_job_id_or_next("$next"));
  CHECK(is_valid_job_id_or_next("job-1"));
  CHECK_FALSE(is_valid_job_id_or_next("$nex"));
  CHECK_FALSE(is_valid_job_id_or_next("$next$"));
  CHECK_FALSE(is_valid_job_id_or_next("$NEXT"));
  CHECK_FALSE(is_valid_job_id_or_next(""));
}

TEST_CASE("client tokens: 1-64 bytes of UTF-8") {
  CHECK(is_valid_client_token("c"));
  CHECK(is_valid_client_token(std::string(64, 't')));
  CHECK(is_valid_client_token("444f8f5d-bf38-417e-a7f0-8741e156b660"));
  CHECK(is_valid_client_token("with space \"and\" quotes"));
  CHECK_FALSE(is_valid_client_token(""));
  CHECK_FALSE(is_valid_client_token(std::string(65, 't')));
  CHECK_FALSE(is_valid_client_token("bad\xFF"));
  CHECK_FALSE(is_valid_client_token("\xC3"));  // truncated sequence
}

TEST_CASE("statusDetails keys: 1-128 of [a-zA-Z0-9:_-]") {
  CHECK(is_valid_status_details_key("k"));
  CHECK(is_valid_status_details_key("a:b_c-d"));
  CHECK(is_valid_status_details_key(std::string(128, 'k')));
  CHECK_FALSE(is_valid_status_details_key(""));
  CHECK_FALSE(is_valid_status_details_key(std::string(129, 'k')));
  CHECK_FALSE(is_valid_status_details_key("a b"));
  CHECK_FALSE(is_valid_status_details_key("a.b"));
  CHECK_FALSE(is_valid_status_details_key("\"q\""));
}

TEST_CASE("statusDetails values: 1-1024 code points, no Unicode category C") {
  CHECK(unicode_version == "15.0.0");
  CHECK(is_valid_status_details_value("x"));
  CHECK(is_valid_status_details_value("40% \"done\" \\ ok"));
  CHECK(is_valid_status_details_value(std::string(1024, 'v')));
  CHECK_FALSE(is_valid_status_details_value(""));
  CHECK_FALSE(is_valid_status_details_value(std::string(1025, 'v')));

  // Counted in code points: 1024 two-byte characters (2048 bytes) pass, 1025 do not.
  std::string e_acute;
  for (int i = 0; i < 1024; ++i)
    e_acute += "\xC3\xA9";
  CHECK(is_valid_status_details_value(e_acute));
  CHECK_FALSE(is_valid_status_details_value(e_acute + "\xC3\xA9"));
  CHECK(is_valid_status_details_value("\xF0\x9F\x98\x80"));  // U+1F600, 4 bytes

  // Cc controls.
  for (const char* bad : {"a\tb", "a\nb", "a\rb", "\x7F", "\x01", "\xC2\x80", "\xC2\x9F"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_valid_status_details_value(bad));
  }
  // Cf format characters: U+00AD, U+200B, U+200F, U+FEFF, U+E0001.
  for (const char* bad :
       {"\xC2\xAD", "\xE2\x80\x8B", "\xE2\x80\x8F", "\xEF\xBB\xBF", "\xF3\xA0\x80\x81"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_valid_status_details_value(bad));
  }
  // Co private use (U+E000, U+F8FF, U+F0000), Cn unassigned (U+0378) and noncharacters
  // (U+FDD0, U+FFFE, U+10FFFF).
  for (const char* bad : {"\xEE\x80\x80", "\xEF\xA3\xBF", "\xF3\xB0\x80\x80", "\xCD\xB8",
                          "\xEF\xB7\x90", "\xEF\xBF\xBE", "\xF4\x8F\xBF\xBF"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_valid_status_details_value(bad));
  }
  // Cs surrogates cannot be UTF-8 at all; nor overlong forms or stray bytes.
  for (const char* bad :
       {"\xED\xA0\x80", "\xC0\xAF", "\xE0\x80\xAF", "\x80", "\xF4\x90\x80\x80", "ok\xC3"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_valid_status_details_value(bad));
  }
  // Unicode 15.0: U+1FA77 (assigned in 15.0) passes; U+13439 (a format control since 15.0,
  // unassigned before) and U+1FA7D (still unassigned) do not.
  CHECK(is_valid_status_details_value("\xF0\x9F\xA9\xB7"));
  CHECK_FALSE(is_valid_status_details_value("\xF0\x93\x90\xB9"));
  CHECK_FALSE(is_valid_status_details_value("\xF0\x9F\xA9\xBD"));
  // Assigned neighbours of the excluded ranges pass: U+00A0, U+00AE, U+200A, U+2010, U+FFFD.
  for (const char* good :
       {"\xC2\xA0", "\xC2\xAE", "\xE2\x80\x8A", "\xE2\x80\x90", "\xEF\xBF\xBD"}) {
    CAPTURE(good);
    CHECK(is_valid_status_details_value(good));
  }
}

TEST_CASE("stepTimeoutInMinutes: 1-10080, -1 on update only") {
  CHECK(is_valid_step_timeout(1));
  CHECK(is_valid_step_timeout(10080));
  CHECK_FALSE(is_valid_step_timeout(0));
  CHECK_FALSE(is_valid_step_timeout(10081));
  CHECK_FALSE(is_valid_step_timeout(-1));
  CHECK(is_valid_update_step_timeout(-1));
  CHECK(is_valid_update_step_timeout(1));
  CHECK(is_valid_update_step_timeout(10080));
  CHECK_FALSE(is_valid_update_step_timeout(0));
  CHECK_FALSE(is_valid_update_step_timeout(-2));
  CHECK_FALSE(is_valid_update_step_timeout(10081));
  CHECK_FALSE(is_valid_update_step_timeout(INT64_MIN));
}

TEST_CASE("validation is usable at compile time") {
  static_assert(is_valid_thing_name("t1"));
  static_assert(!is_valid_job_id("$next"));
  static_assert(is_valid_status_details_value("ok"));
}

}  // namespace test_validate
