#include "iotjobs/mqtt.hpp"

#include <doctest/doctest.h>

#include <array>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>
#if __has_include(<span>) && __cplusplus >= 202002L
#include <span>
#endif

#include "iotjobs/messages.hpp"

namespace test_mqtt_encode {

using namespace iotjobs;

namespace {

// Encodes with all four forms and checks that they agree; returns the topic and payload.
template <class Request>
std::pair<std::string, std::string> encode(const Request& req) {
  char topic[mqtt::max_topic_size];
  char payload[4096];
  const auto m = mqtt::encode_to_n(topic, payload, req);
  REQUIRE(m);
  std::string via_iterator;
  REQUIRE(mqtt::encode_to(std::back_inserter(via_iterator), req));
  CHECK(via_iterator == m->payload);
  const auto size = mqtt::encoded_size(req);
  REQUIRE(size);
  CHECK(size->topic == m->topic.size() + 1);  // the NUL after the topic
  CHECK(topic[m->topic.size()] == '\0');
  CHECK(size->payload == m->payload.size());
  const auto allocated = mqtt::encode(req);
  REQUIRE(allocated);
  CHECK(allocated->topic == m->topic);
  CHECK(allocated->payload == m->payload);
  return {std::string(m->topic), std::string(m->payload)};
}

template <class Request>
error encode_error(const Request& req) {
  char topic[mqtt::max_topic_size];
  char payload[4096];
  const error e = mqtt::encode_to_n(topic, payload, req).error();
  std::string out;
  CHECK(mqtt::encode_to(std::back_inserter(out), req).error() == e);
  CHECK(out.empty());  // nothing written before validation passes
  CHECK(mqtt::encoded_size(req).error() == e);
  return e;
}

}  // namespace

TEST_CASE("an update status outside the enum is refused, never sent as \"\"") {
  update_job_execution_request u;
  u.thing_name = "t";
  u.job_id = "j";
  u.status = static_cast<update_status>(42);
  CHECK(encode_error(u) == error::invalid_update_status);
  CHECK(mqtt::check(u) == error::invalid_update_status);
  CHECK(mqtt::encode(u).error() == error::invalid_update_status);
}

TEST_CASE("the fixed-buffer forms take std::array, std::string and std::vector") {
  update_job_execution_request u;
  u.thing_name = "t";
  u.job_id = "j";
  std::array<char, mqtt::max_topic_size> topic;
  std::string payload(256, ' ');  // its size, not its capacity, is the room
  const auto m = mqtt::encode_to_n(topic, payload, u);
  REQUIRE(m);
  CHECK(m->topic == "$aws/things/t/jobs/j/update");
  CHECK(m->topic.data() == topic.data());
  CHECK(m->payload == R"({"status":"IN_PROGRESS"})");
  CHECK(m->payload.data() == payload.data());
  std::vector<char> small(4);
  CHECK(mqtt::encode_to_n(topic, small, u).error() == error::buffer_too_small);
#if defined(__cpp_lib_span)
  char storage[64];
  const auto spanned = mqtt::encode_to_n(topic, std::span<char>(storage, 40), u);  // C++20
  REQUIRE(spanned);
  CHECK(spanned->payload.data() == storage);
  CHECK(mqtt::encode_to_n(topic, std::span<char>(storage, 10), u).error() ==
        error::buffer_too_small);
#endif
}

TEST_CASE("GetPendingJobExecutions") {
  get_pending_job_executions_request req;
  req.thing_name = "T1";
  CHECK(encode(req) == std::pair<std::string, std::string>{"$aws/things/T1/jobs/get", "{}"});
  req.client_token = "client-001";
  CHECK(encode(req).second == R"({"clientToken":"client-001"})");
}

TEST_CASE("StartNextPendingJobExecution") {
  start_next_pending_job_execution_request req;
  req.thing_name = "T1";
  CHECK(encode(req) == std::pair<std::string, std::string>{"$aws/things/T1/jobs/start-next", "{}"});
  const status_detail details[] = {{"k", "v"}, {"step", "download"}};
  req.status_details = details;
  req.step_timeout_in_minutes = 5;
  req.client_token = "c-1";
  CHECK(
      encode(req).second ==
      R"({"statusDetails":{"k":"v","step":"download"},"stepTimeoutInMinutes":5,"clientToken":"c-1"})");
  req.status_details = status_details_view{};  // present and empty is sent as {}
  req.step_timeout_in_minutes.reset();
  req.client_token.reset();
  CHECK(encode(req).second == R"({"statusDetails":{}})");
}

TEST_CASE("DescribeJobExecution") {
  describe_job_execution_request req;
  req.thing_name = "my:thing_1-2";
  req.job_id = "job-1_a";
  CHECK(encode(req) ==
        std::pair<std::string, std::string>{"$aws/things/my:thing_1-2/jobs/job-1_a/get", "{}"});
  req.include_job_document = false;  // present, so sent, although false
  req.execution_number = 0;          // present, so sent, although 0
  req.client_token = "c-3";
  CHECK(encode(req).second ==
        R"({"includeJobDocument":false,"executionNumber":0,"clientToken":"c-3"})");
  req.job_id = "$next";
  CHECK(encode(req).first == "$aws/things/my:thing_1-2/jobs/$next/get");
}

TEST_CASE("UpdateJobExecution, minimal and full") {
  update_job_execution_request req;
  req.thing_name = "t1";
  req.job_id = "j1";
  req.status = update_status::succeeded;
  CHECK(encode(req) == std::pair<std::string, std::string>{"$aws/things/t1/jobs/j1/update",
                                                           R"({"status":"SUCCEEDED"})"});

  const status_detail details[] = {{"a", "b"}};
  req.status_details = details;
  req.step_timeout_in_minutes = cancel_step_timer;
  req.expected_version = 2;
  req.include_job_execution_state = true;
  req.include_job_document = true;
  req.execution_number = 1;
  req.client_token = "tok";
  // The member order of the service model (docs/wire-protocol.md §2.5), clientToken last.
  CHECK(encode(req).second ==
        R"({"status":"SUCCEEDED","statusDetails":{"a":"b"},"stepTimeoutInMinutes":-1,)"
        R"("expectedVersion":2,"includeJobExecutionState":true,"includeJobDocument":true,)"
        R"("executionNumber":1,"clientToken":"tok"})");

  req.expected_version = 0;
  req.include_job_document = false;
  req.include_job_execution_state = false;
  req.execution_number = INT64_MIN;
  req.status_details.reset();
  req.step_timeout_in_minutes = 10080;
  req.client_token.reset();
  req.status = update_status::rejected;
  CHECK(encode(req).second ==
        R"({"status":"REJECTED","stepTimeoutInMinutes":10080,"expectedVersion":0,)"
        R"("includeJobExecutionState":false,"includeJobDocument":false,)"
        R"("executionNumber":-9223372036854775808})");
}

TEST_CASE("strings are JSON-escaped; valid UTF-8 passes through") {
  update_job_execution_request req;
  req.thing_name = "t";
  req.job_id = "j";
  req.status = update_status::in_progress;
  const status_detail details[] = {{"q", "say \"hi\" \\ caf\xC3\xA9 \xF0\x9F\x98\x80 /"}};
  req.status_details = details;
  req.client_token = std::string_view("\"\\\x01\x1F\n\t\x7F", 7);
  CHECK(encode(req).second ==
        "{\"status\":\"IN_PROGRESS\",\"statusDetails\":{\"q\":\"say \\\"hi\\\" \\\\ caf\xC3\xA9 "
        "\xF0\x9F\x98\x80 /\"},\"clientToken\":\"\\\"\\\\\\u0001\\u001f\\u000a\\u0009\x7F\"}");
}

TEST_CASE(
    "an escape is found wherever it is in a long string (16-byte blocks where SSE2 is used)") {
  update_job_execution_request req;
  req.thing_name = "t";
  req.job_id = "j";
  const std::string plain = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM";  // 49 bytes
  for (std::size_t at = 0; at < plain.size(); ++at) {
    for (const char* escaped : {"\"", "\\", "\n"}) {
      std::string token = plain;
      token[at] = escaped[0];
      req.client_token = token;
      const std::string expected = plain.substr(0, at) +
                                   (escaped[0] == '\n' ? "\\u000a" : std::string("\\") + escaped) +
                                   plain.substr(at + 1);
      CAPTURE(at);
      CHECK(encode(req).second ==
            "{\"status\":\"IN_PROGRESS\",\"clientToken\":\"" + expected + "\"}");
    }
  }
}

TEST_CASE("every field is validated before the first byte") {
  update_job_execution_request req;
  req.thing_name = "t";
  req.job_id = "j";

  SUBCASE("thing name") {
    req.thing_name = "";
    CHECK(encode_error(req) == error::invalid_thing_name);
    req.thing_name = "a/b";
    CHECK(encode_error(req) == error::invalid_thing_name);
  }
  SUBCASE("job id") {
    req.job_id = "";
    CHECK(encode_error(req) == error::invalid_job_id);
    req.job_id = "$next";  // not on update
    CHECK(encode_error(req) == error::invalid_job_id);
    req.job_id = "+";
    CHECK(encode_error(req) == error::invalid_job_id);
  }
  SUBCASE("client token") {
    req.client_token = "";
    CHECK(encode_error(req) == error::invalid_client_token);
    req.client_token = std::string_view("\xC3\x28", 2);
    CHECK(encode_error(req) == error::invalid_client_token);
  }
  SUBCASE("status details") {
    const status_detail bad_key[] = {{"ok", "v"}, {"bad key", "v"}};
    req.status_details = bad_key;
    CHECK(encode_error(req) == error::invalid_status_details_key);
    const status_detail empty_value[] = {{"k", ""}};
    req.status_details = empty_value;
    CHECK(encode_error(req) == error::invalid_status_details_value);
    const status_detail control[] = {{"k", "line\nbreak"}};
    req.status_details = control;
    CHECK(encode_error(req) == error::invalid_status_details_value);
    const status_detail bad_utf8[] = {{"k", "\xFF"}};
    req.status_details = bad_utf8;
    CHECK(encode_error(req) == error::invalid_status_details_value);
    // A map: the service would read {"p":"1","p":"2"} as one entry.
    const status_detail twice[] = {{"p", "1"}, {"q", "x"}, {"p", "2"}};
    req.status_details = twice;
    CHECK(encode_error(req) == error::duplicate_key);
    const status_detail distinct[] = {{"p", "1"}, {"pp", "1"}, {"P", "1"}};
    req.status_details = distinct;
    CHECK(mqtt::check(req) == error::ok);
    start_next_pending_job_execution_request next;
    next.thing_name = "t";
    next.status_details = twice;
    CHECK(encode_error(next) == error::duplicate_key);
  }
  SUBCASE("step timeout") {
    req.step_timeout_in_minutes = 0;
    CHECK(encode_error(req) == error::invalid_step_timeout);
    req.step_timeout_in_minutes = 10081;
    CHECK(encode_error(req) == error::invalid_step_timeout);
  }
}

TEST_CASE("describe and update in a Greengrass namespace") {
  update_job_execution_request u;
  u.thing_name = "core-1";
  u.job_id = "deployment-7";
  u.namespace_id = "aws-gg-deployment";
  u.status = update_status::succeeded;
  const auto [update_topic, update_payload] = encode(u);  // all four forms
  CHECK(update_topic == "$aws/things/core-1/jobs/deployment-7/namespace-aws-gg-deployment/update");
  CHECK(update_payload == R"({"status":"SUCCEEDED"})");  // the namespace is in the topic alone

  describe_job_execution_request d;
  d.thing_name = "core-1";
  d.job_id = "$next";
  d.namespace_id = "aws-gg-deployment";
  CHECK(encode(d).first == "$aws/things/core-1/jobs/$next/namespace-aws-gg-deployment/get");
  const auto m = mqtt::encode(d);
  REQUIRE(m);

  // The service side reads the namespace back from the topic.
  decoder dec;
  const auto back = mqtt::decode(dec, m->topic, m->payload);
  REQUIRE(back);
  CHECK(back->topic.namespace_id == "aws-gg-deployment");
  REQUIRE(back->get_if<describe_job_execution_request>());
  CHECK(back->get_if<describe_job_execution_request>()->namespace_id == "aws-gg-deployment");
  const auto plain = mqtt::decode(dec, "$aws/things/core-1/jobs/j/get", "{}");
  REQUIRE(plain);
  CHECK_FALSE(plain->get_if<describe_job_execution_request>()->namespace_id);

  u.namespace_id = "";  // given, so not "no namespace"
  CHECK(encode_error(u) == error::invalid_namespace_id);
  u.namespace_id = "a/b";
  CHECK(encode_error(u) == error::invalid_namespace_id);
  d.namespace_id = "";
  CHECK(encode_error(d) == error::invalid_namespace_id);
}

TEST_CASE("start-next refuses -1: cancelling the timer is for updates only") {
  start_next_pending_job_execution_request req;
  req.thing_name = "t";
  req.step_timeout_in_minutes = cancel_step_timer;
  CHECK(encode_error(req) == error::invalid_step_timeout);
}

TEST_CASE("describe refuses a bad job id but takes $next") {
  describe_job_execution_request req;
  req.thing_name = "t";
  req.job_id = "a:b";
  CHECK(encode_error(req) == error::invalid_job_id);
  req.job_id = "$next";
  CHECK(encode(req).first == "$aws/things/t/jobs/$next/get");
}

TEST_CASE("a payload buffer too small reports the size needed") {
  update_job_execution_request req;
  req.thing_name = "t";
  req.job_id = "j";
  req.client_token = "0123456789";
  constexpr std::string_view expected = R"({"status":"IN_PROGRESS","clientToken":"0123456789"})";
  char topic[mqtt::max_topic_size];
  char payload[16];
  const auto m = mqtt::encode_to_n(topic, payload, req);
  CHECK(m.error() == error::buffer_too_small);
  CHECK(m.required_size() == expected.size());

  char exact[51];
  static_assert(sizeof exact == expected.size());
  const auto fits = mqtt::encode_to_n(topic, exact, req);
  REQUIRE(fits);
  CHECK(fits->payload == expected);

  char short_topic[10];
  const auto t = mqtt::encode_to_n(short_topic, exact, req);
  CHECK(t.error() == error::buffer_too_small);
  CHECK(t.required_size() == std::string_view("$aws/things/t/jobs/j/update").size() + 1);
}

}  // namespace test_mqtt_encode
