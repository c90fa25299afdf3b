#include "iotjobs/messages.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace test_messages {

using namespace iotjobs;
using mqtt::topic_kind;

namespace {

std::string topic_of(topic_kind k, std::string_view job = "j") {
  char buf[mqtt::max_topic_size];
  const auto t = mqtt::build_topic(k, "thing-1", mqtt::has_job_id(k) ? job : "", buf);
  REQUIRE(t);
  return std::string(*t);
}

// A payload each kind of topic may carry, and the view it must decode to.
struct expected {
  std::string_view payload;
  std::size_t view;  // the index of the view in mqtt::message_body
};

template <class V>
constexpr std::size_t index_of() {
  return mqtt::message_body(V{}).index();
}

expected for_kind(topic_kind k) {
  switch (k) {
    case topic_kind::get_pending:
      return {R"({"clientToken":"c1"})", index_of<get_pending_job_executions_request>()};
    case topic_kind::start_next:
      return {R"({"stepTimeoutInMinutes":5})",
              index_of<start_next_pending_job_execution_request>()};
    case topic_kind::describe:
      return {R"({"executionNumber":2})", index_of<describe_job_execution_request>()};
    case topic_kind::update:
      return {R"({"status":"IN_PROGRESS","expectedVersion":"3"})",
              index_of<update_job_execution_request>()};
    case topic_kind::get_pending_accepted:
      return {R"({"inProgressJobs":[],"queuedJobs":[{"jobId":"j"}],"timestamp":1})",
              index_of<get_pending_accepted_view>()};
    case topic_kind::start_next_accepted:
    case topic_kind::describe_accepted:
      return {R"({"execution":{"jobId":"j","status":"QUEUED"},"timestamp":1})",
              index_of<execution_accepted_view>()};
    case topic_kind::update_accepted:
      return {R"({"executionState":{"status":"SUCCEEDED","versionNumber":4},"timestamp":1})",
              index_of<update_accepted_view>()};
    case topic_kind::get_pending_rejected:
    case topic_kind::start_next_rejected:
    case topic_kind::describe_rejected:
    case topic_kind::update_rejected:
      return {R"({"code":"VersionMismatch","executionState":{"status":"IN_PROGRESS"}})",
              index_of<rejected_view>()};
    case topic_kind::notify:
      return {R"({"timestamp":1,"jobs":{"QUEUED":[{"jobId":"j"}]}})", index_of<notify_view>()};
    case topic_kind::notify_next:
      return {R"({"timestamp":1,"execution":{"jobId":"j","status":"QUEUED"}})",
              index_of<notify_next_view>()};
  }
  return {};
}

}  // namespace

TEST_CASE("mqtt::decode: every topic kind decodes to its view, with the topic taken apart") {
  decoder dec;
  for (std::size_t i = 0; i < mqtt::topic_kind_count; ++i) {
    const auto k = static_cast<topic_kind>(i);
    CAPTURE(mqtt::name(k));
    const std::string topic = topic_of(k);
    const expected e = for_kind(k);
    const auto m = mqtt::decode(dec, topic, e.payload);
    REQUIRE(m);
    CHECK(m->topic.kind == k);
    CHECK(m->topic.thing_name == "thing-1");
    CHECK(m->topic.job_id == (mqtt::has_job_id(k) ? "j" : ""));
    CHECK(m->body.index() == e.view);
    // The same payload through the tag the list names gives the same view.
    CHECK(std::visit(
        [](const auto& view) { return !std::is_empty_v<std::decay_t<decltype(view)>>; }, m->body));
  }
}

TEST_CASE("mqtt::decode: one subscription to …/update/+ gets the reply and the rejection apart") {
  // A device subscribed to `$aws/things/T/jobs/J/update/+` receives both. Decoded by its tag, a
  // rejection read as an update reply succeeds (every member of update_accepted_view is
  // optional): picking the decoder by topic is what keeps the two apart.
  const std::string_view rejection =
      R"({"code":"VersionMismatch","message":"m","clientToken":"c7","timestamp":1,)"
      R"("executionState":{"status":"IN_PROGRESS","versionNumber":5}})";
  decoder dec;
  CHECK(dec.decode(mqtt::update_accepted, rejection));  // the trap, as it stands
  const auto m = mqtt::decode(dec, "$aws/things/t/jobs/j/update/rejected", rejection);
  REQUIRE(m);
  const rejected_view* r = m->get_if<rejected_view>();
  REQUIRE(r != nullptr);
  CHECK(r->code == rejection_code::version_mismatch);
  CHECK(r->client_token == "c7");
  REQUIRE(r->execution_state);
  CHECK(r->execution_state->version_number == 5);
  CHECK(m->get_if<update_accepted_view>() == nullptr);

  const auto a = mqtt::decode(dec, "$aws/things/t/jobs/j/update/accepted", R"({"timestamp":2})");
  REQUIRE(a);
  REQUIRE(a->get_if<update_accepted_view>() != nullptr);
  CHECK(a->get_if<update_accepted_view>()->timestamp == 2);
}

TEST_CASE("mqtt::decode: start-next's rejection is not \"nothing pending\"") {
  decoder dec;
  const std::string_view throttled = R"({"code":"RequestThrottled","message":"slow down"})";
  const auto wrong = dec.decode(mqtt::start_next_accepted, throttled);
  REQUIRE(wrong);
  CHECK_FALSE(wrong->execution);  // looks like an empty queue: the trap
  const auto m = mqtt::decode(dec, "$aws/things/t/jobs/start-next/rejected", throttled);
  REQUIRE(m);
  REQUIRE(m->get_if<rejected_view>() != nullptr);
  CHECK(m->get_if<rejected_view>()->code == rejection_code::request_throttled);
}

TEST_CASE("mqtt::decode: a request's thing name and job id come from its topic") {
  decoder dec;
  const auto m = mqtt::decode(dec, "$aws/things/dev-9/jobs/fw-2/update", R"({"status":"FAILED"})");
  REQUIRE(m);
  const auto* r = m->get_if<update_job_execution_request>();
  REQUIRE(r != nullptr);
  CHECK(r->thing_name == "dev-9");
  CHECK(r->job_id == "fw-2");
  CHECK(r->status == update_status::failed);
  CHECK(mqtt::check(*r) == error::ok);  // the service's check, on what it decoded
  // Decoded by tag, the names stay empty: the payload does not carry them.
  const auto by_tag = dec.decode(mqtt::update_request, R"({"status":"FAILED"})");
  REQUIRE(by_tag);
  CHECK(by_tag->thing_name.empty());

  const auto blank = mqtt::decode(dec, "$aws/things/dev-9/jobs/get", "");  // the service takes it
  REQUIRE(blank);
  REQUIRE(blank->get_if<get_pending_job_executions_request>() != nullptr);
  CHECK(blank->get_if<get_pending_job_executions_request>()->thing_name == "dev-9");
}

TEST_CASE(
    "mqtt::decode: a topic that is not one fails as parse_topic does, a bad payload as the "
    "decoder does") {
  decoder dec;
  CHECK(mqtt::decode(dec, "$aws/things/t/shadow/get", "{}").error() == error::not_a_jobs_topic);
  CHECK(mqtt::decode(dec, "$aws/things/t/jobs/j/get/x", "{}").error() == error::invalid_topic);
  CHECK(
      mqtt::decode(dec, "$aws/things/t/jobs/j/notify-namespace-aws-gg-deployment", "{}").error() ==
      error::unsupported_namespace);
  // A Greengrass namespaced event decodes as the event, the namespace on the topic.
  const auto gg = mqtt::decode(dec, "$aws/things/t/jobs/notify-namespace-aws-gg-deployment",
                               R"({"timestamp":5,"jobs":{}})");
  REQUIRE(gg);
  CHECK(gg->topic.kind == mqtt::topic_kind::notify);
  CHECK(gg->topic.namespace_id == "aws-gg-deployment");
  CHECK(gg->get_if<notify_view>()->timestamp == 5);
  CHECK(mqtt::decode(dec, "$aws/things/t/jobs/j/update/rejected", R"({"message":"m"})").error() ==
        error::missing_field);
  CHECK(dec.last_error_field() == "code");
  CHECK(mqtt::decode(dec, "$aws/things/t/jobs/notify", R"({"timestamp":1)").error() ==
        error::invalid_json);
  // A request whose status is not a string, or not one a device may set.
  CHECK(mqtt::decode(dec, "$aws/things/t/jobs/j/update", R"({"status":5})").error() ==
        error::wrong_type);
  CHECK(mqtt::decode(dec, "$aws/things/t/jobs/j/update", R"({"status":"QUEUED"})").error() ==
        error::invalid_update_status);
}

TEST_CASE("commands::decode: the command untouched, and each reply to a status update") {
  decoder dec;
  const std::string payload = "\xa1\x61\x78\x01";  // CBOR {"x": 1}
  const auto c =
      commands::decode(dec, "$aws/commands/things/t/executions/e-9/request/cbor", payload);
  REQUIRE(c);
  CHECK(c->topic.kind == commands::topic_kind::request);
  CHECK(c->topic.format == commands::payload_format::cbor);
  CHECK(c->topic.execution_id == "e-9");
  REQUIRE(c->get_if<commands::command_view>() != nullptr);
  CHECK(c->get_if<commands::command_view>()->payload == payload);

  const auto a = commands::decode(dec, "$aws/commands/clients/c-1/executions/e-1/response/accepted",
                                  R"({"executionId":"e-1"})");
  REQUIRE(a);
  CHECK(a->topic.device == commands::device_type::client);
  REQUIRE(a->get_if<command_accepted_view>() != nullptr);
  CHECK(a->get_if<command_accepted_view>()->execution_id == "e-1");

  const auto r =
      commands::decode(dec, "$aws/commands/things/t/executions/e-1/response/rejected/json",
                       R"({"error":"InvalidStateTransition","errorMessage":"done"})");
  REQUIRE(r);
  REQUIRE(r->get_if<command_rejected_view>() != nullptr);
  CHECK(r->get_if<command_rejected_view>()->code == rejection_code::invalid_state_transition);

  CHECK(
      commands::decode(dec, "$aws/commands/things/t/executions/e-1/response/json", "{}").error() ==
      error::invalid_topic);  // the device's own publish
  CHECK(commands::decode(dec, "$aws/things/t/jobs/notify", "{}").error() ==
        error::not_a_jobs_topic);
  CHECK(commands::decode(dec, "$aws/commands/things/t/executions/e-1/response/rejected",
                         R"({"errorMessage":"m"})")
            .error() == error::missing_field);
  CHECK(commands::decode(dec, "$aws/commands/things/t/executions/e-1/response/accepted",
                         R"({"executionId":5})")
            .error() == error::wrong_type);
  CHECK(commands::decode(dec, "$aws/commands/things/t/executions/e-1/bogus", "{}").error() ==
        error::invalid_topic);
}

TEST_CASE("tags: HTTPS responses decode from a raw response, the MQTT views in its envelope") {
  decoder dec;
  const auto ok = dec.decode(https::start_command_response, {200, {}, R"({"executionId":"x-1"})"});
  REQUIRE(ok);
  REQUIRE(ok->value);
  CHECK(ok->value->execution_id == "x-1");
  const auto refused = dec.decode(
      https::describe_response, {404, "ResourceNotFoundException", R"({"message":"no such job"})"});
  REQUIRE(refused);
  REQUIRE(refused->error);
  CHECK(refused->error->type == service_exception::resource_not_found);
  CHECK(refused->error->message == "no such job");
}

}  // namespace test_messages
