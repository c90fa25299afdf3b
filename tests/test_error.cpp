#include "iotjobs/error.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string_view>

namespace test_error {

TEST_CASE("every error value has its own message") {
  std::set<std::string_view> seen;
  for (int i = 0; i < iotjobs::error_count; ++i) {
    const std::string_view m = iotjobs::message(static_cast<iotjobs::error>(i));
    CAPTURE(i);
    CHECK(!m.empty());
    CHECK(m != "unknown error");
    CHECK(seen.insert(m).second);
  }
  CHECK(iotjobs::message(static_cast<iotjobs::error>(iotjobs::error_count)) == "unknown error");
  CHECK(iotjobs::message(static_cast<iotjobs::error>(-1)) == "unknown error");
}

TEST_CASE("every error value has its own name") {
  std::set<std::string_view> seen;
  for (int i = 0; i < iotjobs::error_count; ++i) {
    const std::string_view n = iotjobs::name(static_cast<iotjobs::error>(i));
    CAPTURE(i);
    CHECK(!n.empty());
    CHECK(seen.insert(n).second);
  }
  CHECK(iotjobs::name(iotjobs::error::invalid_json) == "invalid_json");
  CHECK(iotjobs::name(iotjobs::error::invalid_update_status) == "invalid_update_status");
  CHECK(iotjobs::name(static_cast<iotjobs::error>(iotjobs::error_count)).empty());
}

TEST_CASE("error values are stable") {
  // Append-only: these numbers are part of the API.
  CHECK(static_cast<int>(iotjobs::error::ok) == 0);
  CHECK(static_cast<int>(iotjobs::error::invalid_json) == 1);
  CHECK(static_cast<int>(iotjobs::error::buffer_too_small) == 18);
  CHECK(static_cast<int>(iotjobs::error::unsupported_namespace) == 21);
  CHECK(static_cast<int>(iotjobs::error::invalid_command_result) == 29);
  CHECK(static_cast<int>(iotjobs::error::invalid_update_status) == 30);
  CHECK(static_cast<int>(iotjobs::error::invalid_execution_status) == 31);
  CHECK(static_cast<int>(iotjobs::error::invalid_job_document) == 32);
  CHECK(static_cast<int>(iotjobs::error::invalid_rejection_code) == 33);
  CHECK(static_cast<int>(iotjobs::error::valueless_result) == 34);
  CHECK(static_cast<int>(iotjobs::error::unsupported_field) == 35);
}

TEST_CASE("result holds a value or an error") {
  const iotjobs::result<int> good = 42;
  CHECK(good);
  CHECK(good.has_value());
  CHECK(*good == 42);
  CHECK(good.error() == iotjobs::error::ok);

  const iotjobs::result<int> bad = iotjobs::error::invalid_json;
  CHECK_FALSE(bad);
  CHECK(bad.error() == iotjobs::error::invalid_json);

  const iotjobs::result<int> small{iotjobs::error::buffer_too_small, 120};
  CHECK(small.error() == iotjobs::error::buffer_too_small);
  CHECK(small.required_size() == 120);

  CHECK(good.value_or(7) == 42);
  CHECK(bad.value_or(7) == 7);
}

// `return error::ok;` from a function that owes a value compiles (error::ok is an error value),
// so it cannot be refused at compile time: it is a failure, never a success without a value.
TEST_CASE("a result made from error::ok is no success: error::valueless_result") {
  const auto forgot_the_value = []() -> iotjobs::result<int> { return iotjobs::error::ok; };
  const iotjobs::result<int> r = forgot_the_value();
  CHECK_FALSE(r);
  CHECK_FALSE(r.has_value());
  CHECK(r.error() == iotjobs::error::valueless_result);
  CHECK(r.value_or(-1) == -1);
  const iotjobs::result<int> sized{iotjobs::error::ok, 8};
  CHECK(sized.error() == iotjobs::error::valueless_result);
}

}  // namespace test_error
