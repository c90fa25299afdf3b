#include "iotjobs/service.hpp"

#include <doctest/doctest.h>

#include <iterator>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "iotjobs/messages.hpp"
#include "support.hpp"

namespace test_service {

using namespace iotjobs;
using job_status = job_execution_status;

namespace {

// Encodes with all four forms, checks that they agree, and returns the payload.
template <class Response>
std::string encode(const Response& r) {
  char buf[8192];
  const auto fixed = service::encode_to_n(buf, r);
  REQUIRE(fixed);
  std::string via_iterator;
  REQUIRE(service::encode_to(std::back_inserter(via_iterator), r));
  CHECK(via_iterator == *fixed);
  const auto size = service::encoded_size(r);
  REQUIRE(size);
  CHECK(*size == fixed->size());
  const auto allocated = service::encode(r);
  REQUIRE(allocated);
  CHECK(*allocated == *fixed);
  return std::string(*fixed);
}

template <class Response>
error encode_error(const Response& r) {
  char buf[8192];
  const auto fixed = service::encode_to_n(buf, r);
  CHECK_FALSE(fixed);
  CHECK(service::encoded_size(r).error() == fixed.error());
  std::string via_iterator;
  CHECK(service::encode_to(std::back_inserter(via_iterator), r).error() == fixed.error());
  CHECK(via_iterator.empty());  // nothing written
  return fixed.error();
}

// A golden payload decoded on the device side, encoded on the service side: `first`. Decoding
// `first` and encoding it again must give the same bytes. Every field the views hold is written,
// so equal bytes mean equal fields.
void check_round_trip(const test::golden_file& f) {
  decoder dec, again;
  const auto original = iotjobs::mqtt::decode(dec, f.topic, f.payload);
  REQUIRE(original);
  // Golden payloads are what a service sends: responses and events, never requests.
  const auto encode_response = [](const auto& v) {
    if constexpr (service::is_response_v<std::decay_t<decltype(v)>>) {
      return encode(v);
    } else {
      FAIL("a golden file holds a request");
      return std::string();
    }
  };
  const std::string first = std::visit(encode_response, original->body);
  const auto decoded = iotjobs::mqtt::decode(again, f.topic, first);
  REQUIRE(decoded);
  CHECK(decoded->body.index() == original->body.index());
  CHECK(std::visit(encode_response, decoded->body) == first);
}

}  // namespace

TEST_CASE("round trip: every golden payload, decoded by a device and encoded by a service") {
  int files = 0;
  for (const test::golden_file& f : test::golden_files()) {
    CAPTURE(f.name);
    REQUIRE_FALSE(f.topic.empty());  // the file is named for a topic kind
    check_round_trip(f);
    ++files;
  }
  CHECK(files >= 18);
}

// The AWS examples of docs/wire-protocol.md §8.5, written compactly in the order AWS writes them.
TEST_CASE("notify and notify-next: the AWS examples, byte for byte") {
  const job_execution_summary_view job1[] = {{"job1", 1517016947, {}, 1517016947, 1, 1}};
  const job_group_view groups[] = {{job_status::queued, {}, job1}};
  CHECK(encode(notify_view{groups, 1517016948}) ==
        R"({"timestamp":1517016948,"jobs":{"QUEUED":[{"jobId":"job1","queuedAt":1517016947,)"
        R"("lastUpdatedAt":1517016947,"executionNumber":1,"versionNumber":1}]}})");
  CHECK(encode(notify_view{{}, 1517189551}) == R"({"timestamp":1517189551,"jobs":{}})");

  job_execution_view x;
  x.job_id = "job3";
  x.status = job_status::in_progress;
  x.queued_at = 1517017905;
  x.started_at = 1517186779;
  x.last_updated_at = 1517186779;
  x.version_number = 2;
  x.execution_number = 1;
  x.job_document = job_document_view(" {\n  \"operation\": \"test\"\n}\n");  // sent trimmed
  CHECK(encode(notify_next_view{x, 1517186779}) ==
        R"({"timestamp":1517186779,"execution":{"jobId":"job3","status":"IN_PROGRESS",)"
        R"("queuedAt":1517017905,"startedAt":1517186779,"lastUpdatedAt":1517186779,)"
        R"("versionNumber":2,"executionNumber":1,"jobDocument":{)"
        "\n  \"operation\": \"test\"\n}}}");
  CHECK(encode(notify_next_view{{}, 1517189551}) == R"({"timestamp":1517189551})");
}

TEST_CASE("accepted responses and rejections: every member, escaped where it must be") {
  const status_detail details[] = {{"step", "say \"hi\""}};
  const job_execution_summary_view running[] = {{"j-1", 10, 11, 12, 2, 1}};
  get_pending_accepted_view pending;
  pending.in_progress_jobs = running;
  pending.timestamp = 13;
  pending.client_token = "c-1";
  CHECK(encode(pending) ==
        R"({"inProgressJobs":[{"jobId":"j-1","queuedAt":10,"startedAt":11,"lastUpdatedAt":12,)"
        R"("executionNumber":1,"versionNumber":2}],"queuedJobs":[],"timestamp":13,)"
        R"("clientToken":"c-1"})");

  job_execution_view x;
  x.job_id = "j-1";
  x.thing_name = "thing:1";
  x.status = job_status::queued;
  x.status_details = details;
  x.approximate_seconds_before_timed_out = 60;
  CHECK(encode(execution_accepted_view{x, 5, "t"}) ==
        R"({"execution":{"jobId":"j-1","thingName":"thing:1","status":"QUEUED",)"
        R"("statusDetails":{"step":"say \"hi\""},"approximateSecondsBeforeTimedOut":60},)"
        R"("timestamp":5,"clientToken":"t"})");
  CHECK(encode(execution_accepted_view{{}, 5, {}}) == R"({"timestamp":5})");  // nothing pending

  const job_execution_state_view state{job_status::succeeded, {}, details, 4};
  CHECK(encode(
            update_accepted_view{state, job_document_view(R"({"a":[1,2.5,true,null]})"), 6, "u"}) ==
        R"({"executionState":{"status":"SUCCEEDED","statusDetails":{"step":"say \"hi\""},)"
        R"("versionNumber":4},"jobDocument":{"a":[1,2.5,true,null]},"timestamp":6,)"
        R"("clientToken":"u"})");

  rejected_view r;
  r.code = rejection_code::version_mismatch;
  r.message = "expected 3, found 4";
  r.client_token = "u";
  r.timestamp = 7;
  r.execution_state = job_execution_state_view{job_status::in_progress, {}, {}, 4};
  CHECK(encode(r) ==
        R"({"code":"VersionMismatch","message":"expected 3, found 4","clientToken":"u",)"
        R"("timestamp":7,"executionState":{"status":"IN_PROGRESS","versionNumber":4}})");
}

TEST_CASE("unknown statuses and codes are sent as their text; without one they are refused") {
  job_execution_view x;
  x.job_id = "j";
  x.status = job_status::unknown;
  x.status_text = "PAUSED";
  CHECK(encode(notify_next_view{x, {}}) == R"({"execution":{"jobId":"j","status":"PAUSED"}})");
  x.status_text = {};
  CHECK(encode_error(notify_next_view{x, {}}) == error::invalid_execution_status);
  x.status = job_status::failed;
  x.status_text = "ignored when the status is known";
  CHECK(encode(notify_next_view{x, {}}) == R"({"execution":{"jobId":"j","status":"FAILED"}})");

  rejected_view r;
  r.code_text = "SomethingNew";
  CHECK(encode(r) == R"({"code":"SomethingNew"})");
  r.code_text = {};
  CHECK(encode_error(r) == error::invalid_rejection_code);
  r.code_text = "\xFF";
  CHECK(encode_error(r) == error::invalid_rejection_code);

  const job_group_view groups[] = {{job_status::unknown, "", {}}};
  CHECK(encode_error(notify_view{groups, {}}) == error::invalid_execution_status);

  // Values outside the enums are refused, whatever text sits beside them.
  x.status = static_cast<job_status>(40);
  x.status_text = "QUEUED";
  CHECK(encode_error(notify_next_view{x, {}}) == error::invalid_execution_status);
  r.code = static_cast<rejection_code>(40);
  r.code_text = "VersionMismatch";
  CHECK(encode_error(r) == error::invalid_rejection_code);
}

TEST_CASE("every field is validated before the first byte") {
  job_execution_view x;
  x.job_id = "j";
  x.status = job_status::queued;
  const auto refused = [](job_execution_view bad) {
    return encode_error(execution_accepted_view{bad, {}, {}});
  };
  job_execution_view bad = x;
  bad.job_id = "$next";
  CHECK(refused(bad) == error::invalid_job_id);
  bad = x;
  bad.thing_name = "a/b";
  CHECK(refused(bad) == error::invalid_thing_name);
  const status_detail bad_key[] = {{"a b", "v"}};
  bad = x;
  bad.status_details = bad_key;
  CHECK(refused(bad) == error::invalid_status_details_key);
  const status_detail bad_value[] = {{"k", "tab\there"}};
  bad.status_details = bad_value;
  CHECK(refused(bad) == error::invalid_status_details_value);
  const status_detail same_key[] = {{"k", "1"}, {"k", "2"}};
  bad.status_details = same_key;
  CHECK(refused(bad) == error::duplicate_key);
  for (const char* doc : {"", "[]", "\"{}\"", "{", "{} {}", "{\"a\":01}", "{\"a\":1e999}",
                          "{\"a\":18446744073709551616}", "{\"a\":\"\\ud800\"}", "{'a':1}"}) {
    CAPTURE(doc);
    bad = x;
    bad.job_document = job_document_view(doc);
    CHECK(refused(bad) == error::invalid_job_document);
  }

  CHECK(encode_error(execution_accepted_view{x, {}, ""}) == error::invalid_client_token);
  const std::string long_token(65, 't');
  CHECK(encode_error(execution_accepted_view{x, {}, long_token}) == error::invalid_client_token);

  const job_execution_summary_view bad_summary[] = {{"j/1", {}, {}, {}, {}, {}}};
  get_pending_accepted_view pending;
  pending.queued_jobs = bad_summary;
  CHECK(encode_error(pending) == error::invalid_job_id);

  rejected_view r;
  r.code = rejection_code::invalid_request;
  r.message = "\xC3";
  CHECK(encode_error(r) == error::invalid_string);

  const job_group_view twice[] = {{job_status::queued, {}, {}},
                                  {job_status::unknown, "QUEUED", {}}};
  CHECK(encode_error(notify_view{twice, {}}) == error::duplicate_field);
}

TEST_CASE("job documents: as deep as the device's decoder takes where they sit, and no deeper") {
  const auto nested = [](std::size_t depth) {  // depth objects, one inside the other
    std::string s;
    for (std::size_t i = 1; i < depth; ++i)
      s += "{\"a\":";
    s += "{}";
    for (std::size_t i = 1; i < depth; ++i)
      s += "}";
    return s;
  };
  decoder dec;
  // In update/accepted the document is inside the payload: 63 levels of its own.
  const std::string deepest = nested(max_nesting_depth - 1);
  const std::string payload = encode(update_accepted_view{{}, job_document_view(deepest), {}, {}});
  CHECK(dec.decode(iotjobs::mqtt::update_accepted, payload));
  const std::string too_deep = nested(max_nesting_depth);
  CHECK(encode_error(update_accepted_view{{}, job_document_view(too_deep), {}, {}}) ==
        error::invalid_job_document);
  // In an execution it is inside the payload and the execution: 62.
  job_execution_view x;
  x.job_id = "j";
  x.status = job_status::queued;
  const std::string deepest_in_execution = nested(max_nesting_depth - 2);
  x.job_document = job_document_view(deepest_in_execution);
  CHECK(dec.decode(iotjobs::mqtt::notify_next, encode(notify_next_view{x, {}})));
  x.job_document = job_document_view(deepest);
  CHECK(encode_error(notify_next_view{x, {}}) == error::invalid_job_document);
  // The public check: a document that fits wherever the encoders put it.
  CHECK(service::is_valid_job_document(deepest_in_execution));
  CHECK_FALSE(service::is_valid_job_document(deepest));
}

TEST_CASE("JSON text check: what simdjson accepts in a job document") {
  const auto ok = [](std::string_view s) {
    return detail::json_text_checker::is_object(s, max_nesting_depth);
  };
  CHECK(ok("{}"));
  CHECK(ok(" \t\r\n{ } \n"));
  CHECK(ok(R"({"a":{"b":[1,-0,0.5,-1.25e+10,1E-3,true,false,null,"x",[],{}]}})"));
  CHECK(ok(R"({"s":"\" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00 caf)"
           "\xC3\xA9"
           R"("})"));
  CHECK(ok(R"({"big":18446744073709551615,"small":-9223372036854775808})"));
  for (const char* bad : {"",
                          " ",
                          "[]",
                          "1",
                          "\"s\"",
                          "{",
                          "}",
                          "{]",
                          "{\"a\"}",
                          "{\"a\":}",
                          "{\"a\":1,}",
                          "{,\"a\":1}",
                          "{\"a\":1 \"b\":2}",
                          "{\"a\":[1,]}",
                          "{\"a\":[,1]}",
                          "{\"a\":tru}",
                          "{\"a\":nul}",
                          "{\"a\":True}",
                          "{\"a\":+1}",
                          "{\"a\":.5}",
                          "{\"a\":5.}",
                          "{\"a\":1e}",
                          "{\"a\":-}",
                          "{\"a\":00}",
                          "{\"a\":0x1}",
                          "{\"a\":\"\\x\"}",
                          "{\"a\":\"\\u12\"}",
                          "{\"a\":\"\\udc00\"}",
                          "{\"a\":\"\\ud800\\u0041\"}",
                          "{\"a\":\"tab\there\"}",
                          "{\"a\":\"\xFF\"}",
                          "{\"a\":\"\xC3\"}",
                          "{\"a\":\"open}",
                          "{\"a\":1}x",
                          "{\"a\":-9223372036854775809}",
                          "{\"a\":1e400}"}) {
    CAPTURE(bad);
    CHECK_FALSE(ok(bad));
  }
  CHECK_FALSE(ok(std::string_view("{\"a\":\"\0\"}", 8)));
  CHECK_FALSE(ok(std::string_view("{\"a\":1}\0", 8)));
  CHECK(detail::json_text_checker::is_object("{\"a\":[{}]}", 3));
  CHECK_FALSE(detail::json_text_checker::is_object("{\"a\":[{}]}", 2));
}

TEST_CASE("a buffer too small reports the size needed") {
  const std::string expected = R"({"code":"InternalError","timestamp":1})";
  rejected_view r;
  r.code = rejection_code::internal_error;
  r.timestamp = 1;
  char small[8];
  const auto m = service::encode_to_n(small, r);
  CHECK(m.error() == error::buffer_too_small);
  CHECK(m.required_size() == expected.size());
  char exact[38];
  REQUIRE(sizeof exact == expected.size());
  const auto fits = service::encode_to_n(exact, r);
  REQUIRE(fits);
  CHECK(*fits == expected);
}

}  // namespace test_service
