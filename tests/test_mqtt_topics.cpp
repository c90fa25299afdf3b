#include "iotjobs/mqtt.hpp"

#include <doctest/doctest.h>

#include <array>
#include <string>
#include <string_view>

namespace test_mqtt_topics {

using namespace iotjobs;
using mqtt::topic_kind;

namespace {

std::string build(topic_kind kind, std::string_view thing, std::string_view job = {}) {
  char buf[mqtt::max_topic_size];
  const auto t = mqtt::build_topic(kind, thing, job, buf);
  REQUIRE(t);
  return std::string(*t);
}

}  // namespace

TEST_CASE("every topic of the Jobs API, built and parsed back") {
  struct row {
    topic_kind kind;
    const char* job;
    const char* topic;
  };
  const row rows[] = {
      {topic_kind::get_pending, "", "$aws/things/T1/jobs/get"},
      {topic_kind::start_next, "", "$aws/things/T1/jobs/start-next"},
      {topic_kind::describe, "j-1", "$aws/things/T1/jobs/j-1/get"},
      {topic_kind::describe, "$next", "$aws/things/T1/jobs/$next/get"},
      {topic_kind::update, "j-1", "$aws/things/T1/jobs/j-1/update"},
      {topic_kind::get_pending_accepted, "", "$aws/things/T1/jobs/get/accepted"},
      {topic_kind::get_pending_rejected, "", "$aws/things/T1/jobs/get/rejected"},
      {topic_kind::start_next_accepted, "", "$aws/things/T1/jobs/start-next/accepted"},
      {topic_kind::start_next_rejected, "", "$aws/things/T1/jobs/start-next/rejected"},
      {topic_kind::describe_accepted, "j-1", "$aws/things/T1/jobs/j-1/get/accepted"},
      {topic_kind::describe_accepted, "$next", "$aws/things/T1/jobs/$next/get/accepted"},
      {topic_kind::describe_rejected, "j-1", "$aws/things/T1/jobs/j-1/get/rejected"},
      {topic_kind::update_accepted, "j-1", "$aws/things/T1/jobs/j-1/update/accepted"},
      {topic_kind::update_rejected, "j-1", "$aws/things/T1/jobs/j-1/update/rejected"},
      {topic_kind::notify, "", "$aws/things/T1/jobs/notify"},
      {topic_kind::notify_next, "", "$aws/things/T1/jobs/notify-next"},
  };
  for (const row& r : rows) {
    CAPTURE(r.topic);
    CHECK(build(r.kind, "T1", r.job) == r.topic);
    const auto parsed = mqtt::parse_topic(r.topic);
    REQUIRE(parsed);
    CHECK(parsed->kind == r.kind);
    CHECK(parsed->thing_name == "T1");
    CHECK(parsed->job_id == r.job);
  }
}

TEST_CASE("job ids that look like topic words are read from the right") {
  struct row {
    const char* topic;
    topic_kind kind;
    const char* job;
  };
  const row rows[] = {
      {"$aws/things/t/jobs/get/get", topic_kind::describe, "get"},
      {"$aws/things/t/jobs/get/get/accepted", topic_kind::describe_accepted, "get"},
      {"$aws/things/t/jobs/update/update", topic_kind::update, "update"},
      {"$aws/things/t/jobs/update/get/rejected", topic_kind::describe_rejected, "update"},
      {"$aws/things/t/jobs/notify/get", topic_kind::describe, "notify"},
      {"$aws/things/t/jobs/notify-next/update/accepted", topic_kind::update_accepted,
       "notify-next"},
      {"$aws/things/t/jobs/start-next/get", topic_kind::describe, "start-next"},
      {"$aws/things/t/jobs/accepted/update", topic_kind::update, "accepted"},
      {"$aws/things/t/jobs/namespace-x/get", topic_kind::describe, "namespace-x"},
      {"$aws/things/get/jobs/get", topic_kind::get_pending, ""},
  };
  for (const row& r : rows) {
    CAPTURE(r.topic);
    const auto parsed = mqtt::parse_topic(r.topic);
    REQUIRE(parsed);
    CHECK(parsed->kind == r.kind);
    CHECK(parsed->job_id == r.job);
  }
}

TEST_CASE("names at their limits") {
  const std::string thing(128, 'T');
  const std::string job(64, 'J');
  const std::string longest = build(topic_kind::update_accepted, thing, job);
  CHECK(longest.size() == 226);  // outside a namespace, well within AWS IoT's 256 bytes
  const auto parsed = mqtt::parse_topic(longest);
  REQUIRE(parsed);
  CHECK(parsed->thing_name == thing);
  CHECK(parsed->job_id == job);

  CHECK(mqtt::parse_topic("$aws/things/" + std::string(129, 'T') + "/jobs/get").error() ==
        error::invalid_thing_name);
  CHECK(mqtt::parse_topic("$aws/things/t/jobs/" + std::string(65, 'J') + "/get").error() ==
        error::invalid_job_id);
}

TEST_CASE("foreign and malformed topics are refused with their reason") {
  struct row {
    const char* topic;
    error expected;
  };
  const row rows[] = {
      {"", error::not_a_jobs_topic},
      {"$aws/things/t/shadow/update", error::not_a_jobs_topic},
      {"$aws/things/t", error::not_a_jobs_topic},
      {"$aws/commands/things/t/executions/e/request/json", error::not_a_jobs_topic},
      {"aws/things/t/jobs/get", error::not_a_jobs_topic},
      {"$AWS/things/t/jobs/get", error::not_a_jobs_topic},
      {"$aws/things/t/jobs", error::invalid_topic},
      {"$aws/things/t/jobs/", error::invalid_topic},
      {"$aws/things/t/jobs/get/", error::invalid_topic},
      {"$aws/things/t/jobs//get", error::invalid_topic},
      {"$aws/things/t/jobs/j1", error::invalid_topic},
      {"$aws/things/t/jobs/j1/accepted", error::invalid_topic},
      {"$aws/things/t/jobs/j1/delete", error::invalid_topic},
      {"$aws/things/t/jobs/notify/accepted", error::invalid_topic},
      {"$aws/things/t/jobs/j1/get/accepted/x", error::invalid_topic},
      {"$aws/things/t/jobs/j1/get/other", error::invalid_topic},
      {"$aws/things/t/jobs/a/b/c/d/e", error::invalid_topic},
      {"$aws/things//jobs/get", error::invalid_thing_name},
      {"$aws/things/+/jobs/get", error::invalid_thing_name},
      {"$aws/things/#/jobs/get", error::invalid_thing_name},
      {"$aws/things/a b/jobs/get", error::invalid_thing_name},
      {"$aws/things/t/jobs/+/get", error::invalid_job_id},
      {"$aws/things/t/jobs/#/update", error::invalid_job_id},
      {"$aws/things/t/jobs/a:b/get", error::invalid_job_id},
      {"$aws/things/t/jobs/$next/update", error::invalid_job_id},  // update takes no $next
      {"$aws/things/t/jobs/$next/update/accepted", error::invalid_job_id},
      {"$aws/things/t/jobs/$nex/get", error::invalid_job_id},
      // Namespaced forms that are not Greengrass's, and bad namespace ids.
      {"$aws/things/t/jobs/j1/notify-namespace-ns", error::unsupported_namespace},
      {"$aws/things/t/jobs/j1/namespace-ns/start-next", error::invalid_topic},
      {"$aws/things/t/jobs/j1/namespace-ns/notify", error::invalid_topic},
      {"$aws/things/t/jobs/j1/namespace-ns/get/other", error::invalid_topic},
      {"$aws/things/t/jobs/j1/namespace-ns/get/accepted/x", error::invalid_topic},
      {"$aws/things/t/jobs/j1/other-ns/get", error::invalid_topic},
      {"$aws/things/t/jobs/j1/namespace-/get", error::invalid_namespace_id},
      {"$aws/things/t/jobs/j1/namespace-a.b/update", error::invalid_namespace_id},
      {"$aws/things/t/jobs/notify-namespace-", error::invalid_namespace_id},
      {"$aws/things/t/jobs/notify-next-namespace-a:b", error::invalid_namespace_id},
      {"$aws/things/t/jobs/notify-next-namespace-", error::invalid_namespace_id},
      {"$aws/things/t/jobs/notify-next-x", error::invalid_topic},
      {"$aws/things/t/jobs/notify-x", error::invalid_topic},
      {"$aws/things/t/jobs/$next/namespace-ns/update", error::invalid_job_id},
      {"$aws/things/t/jobs/+/namespace-ns/get", error::invalid_job_id},
  };
  for (const row& r : rows) {
    CAPTURE(r.topic);
    const auto parsed = mqtt::parse_topic(r.topic);
    CHECK_FALSE(parsed);
    CHECK(parsed.error() == r.expected);
  }
}

TEST_CASE("Greengrass namespaced topics, built and parsed back, the namespace never a job id") {
  struct row {
    topic_kind kind;
    const char* job;
    const char* topic;
  };
  // The forms of Greengrass's clients (docs/wire-protocol.md §8.1), in namespace
  // aws-gg-deployment.
  const row rows[] = {
      {topic_kind::describe, "j1", "$aws/things/t/jobs/j1/namespace-aws-gg-deployment/get"},
      {topic_kind::describe, "$next", "$aws/things/t/jobs/$next/namespace-aws-gg-deployment/get"},
      {topic_kind::describe_accepted, "$next",
       "$aws/things/t/jobs/$next/namespace-aws-gg-deployment/get/accepted"},
      {topic_kind::describe_rejected, "j1",
       "$aws/things/t/jobs/j1/namespace-aws-gg-deployment/get/rejected"},
      {topic_kind::update, "j1", "$aws/things/t/jobs/j1/namespace-aws-gg-deployment/update"},
      {topic_kind::update_accepted, "j1",
       "$aws/things/t/jobs/j1/namespace-aws-gg-deployment/update/accepted"},
      {topic_kind::update_rejected, "j1",
       "$aws/things/t/jobs/j1/namespace-aws-gg-deployment/update/rejected"},
      {topic_kind::notify, "", "$aws/things/t/jobs/notify-namespace-aws-gg-deployment"},
      {topic_kind::notify_next, "", "$aws/things/t/jobs/notify-next-namespace-aws-gg-deployment"},
  };
  for (const row& r : rows) {
    CAPTURE(r.topic);
    char buf[mqtt::max_topic_size];
    const auto built = mqtt::build_topic(r.kind, "t", r.job, buf, "aws-gg-deployment");
    REQUIRE(built);
    CHECK(*built == r.topic);
    const auto parsed = mqtt::parse_topic(r.topic);
    REQUIRE(parsed);
    CHECK(parsed->kind == r.kind);
    CHECK(parsed->thing_name == "t");
    CHECK(parsed->job_id == r.job);
    CHECK(parsed->namespace_id == "aws-gg-deployment");
  }
  // Jobs named like the words of a namespaced topic: the segments are placed, not guessed.
  const auto job_named_namespace = mqtt::parse_topic("$aws/things/t/jobs/namespace-x/get");
  REQUIRE(job_named_namespace);
  CHECK(job_named_namespace->job_id == "namespace-x");
  CHECK(job_named_namespace->namespace_id.empty());
  const auto both = mqtt::parse_topic("$aws/things/t/jobs/namespace-a/namespace-b/update/accepted");
  REQUIRE(both);
  CHECK(both->kind == topic_kind::update_accepted);
  CHECK(both->job_id == "namespace-a");
  CHECK(both->namespace_id == "b");
  const auto job_get = mqtt::parse_topic("$aws/things/t/jobs/get/namespace-ns/get");
  REQUIRE(job_get);
  CHECK(job_get->kind == topic_kind::describe);
  CHECK(job_get->job_id == "get");
  CHECK(job_get->namespace_id == "ns");

  // Kinds without a namespaced form, bad ids, and AWS IoT's 256-byte topic limit.
  char buf[mqtt::max_topic_size];
  CHECK(mqtt::build_topic(topic_kind::get_pending, "t", "", buf, "ns").error() ==
        error::invalid_topic);
  CHECK(mqtt::build_topic(topic_kind::start_next_accepted, "t", "", buf, "ns").error() ==
        error::invalid_topic);
  CHECK(mqtt::build_topic(topic_kind::update, "t", "j", buf, "a/b").error() ==
        error::invalid_namespace_id);
  CHECK(mqtt::build_topic(topic_kind::update, "t", "j", buf, std::string(65, 'n')).error() ==
        error::invalid_namespace_id);
  const std::string thing(128, 'T'), job(64, 'J');
  // 12 + 128 + 6 + 64 + 11 + 19 + 16 = 256 bytes: the longest topic AWS IoT takes.
  const auto at_limit =
      mqtt::build_topic(topic_kind::update_accepted, thing, job, buf, std::string(19, 'n'));
  REQUIRE(at_limit);
  CHECK(at_limit->size() == mqtt::max_topic_bytes);
  CHECK(at_limit->size() + 1 == mqtt::max_topic_size);
  CHECK(mqtt::parse_topic(*at_limit)->namespace_id == std::string(19, 'n'));
  CHECK(mqtt::build_topic(topic_kind::update_accepted, thing, job, buf, std::string(20, 'n'))
            .error() == error::invalid_namespace_id);

  // A filter for every job's responses in the namespace.
  const auto filter =
      mqtt::build_response_filter(topic_kind::update, "t", "+", buf, "aws-gg-deployment");
  REQUIRE(filter);
  CHECK(*filter == "$aws/things/t/jobs/+/namespace-aws-gg-deployment/update/+");
  CHECK(mqtt::build_response_filter(topic_kind::update, "t", "+", buf, "a b").error() ==
        error::invalid_namespace_id);
  CHECK_FALSE(mqtt::has_namespace_form(static_cast<topic_kind>(99)));
  CHECK_FALSE(mqtt::has_namespace_form(topic_kind::get_pending_accepted));
  CHECK(mqtt::has_namespace_form(topic_kind::notify_next));
}

TEST_CASE("builders refuse names that would inject topic levels or wildcards") {
  char buf[mqtt::max_topic_size];
  CHECK(mqtt::build_topic(topic_kind::get_pending, "", "", buf).error() ==
        error::invalid_thing_name);
  CHECK(mqtt::build_topic(topic_kind::get_pending, "a/b", "", buf).error() ==
        error::invalid_thing_name);
  CHECK(mqtt::build_topic(topic_kind::notify, "+", "", buf).error() == error::invalid_thing_name);
  CHECK(mqtt::build_topic(topic_kind::update, "t", "", buf).error() == error::invalid_job_id);
  CHECK(mqtt::build_topic(topic_kind::update, "t", "a/b", buf).error() == error::invalid_job_id);
  CHECK(mqtt::build_topic(topic_kind::update, "t", "#", buf).error() == error::invalid_job_id);
  CHECK(mqtt::build_topic(topic_kind::update, "t", "$next", buf).error() == error::invalid_job_id);
  // A request topic is published: no wildcard.
  CHECK(mqtt::build_topic(topic_kind::describe, "t", "+", buf).error() == error::invalid_job_id);
  // A kind without a job id refuses one rather than dropping it.
  CHECK(mqtt::build_topic(topic_kind::notify, "t", "j", buf).error() == error::invalid_job_id);
}

TEST_CASE("subscription filters") {
  CHECK(build(topic_kind::update_accepted, "t", "+") == "$aws/things/t/jobs/+/update/accepted");
  CHECK(build(topic_kind::describe_rejected, "t", "+") == "$aws/things/t/jobs/+/get/rejected");

  char buf[mqtt::max_topic_size];
  const auto filter = [&](topic_kind k, std::string_view job) {
    const auto r = mqtt::build_response_filter(k, "t", job, buf);
    REQUIRE(r);
    return std::string(*r);
  };
  CHECK(filter(topic_kind::get_pending, "") == "$aws/things/t/jobs/get/+");
  CHECK(filter(topic_kind::start_next, "") == "$aws/things/t/jobs/start-next/+");
  CHECK(filter(topic_kind::describe, "$next") == "$aws/things/t/jobs/$next/get/+");
  CHECK(filter(topic_kind::update, "j1") == "$aws/things/t/jobs/j1/update/+");
  CHECK(filter(topic_kind::update, "+") == "$aws/things/t/jobs/+/update/+");
  CHECK(mqtt::build_response_filter(topic_kind::notify, "t", "", buf).error() ==
        error::invalid_topic);
  CHECK(mqtt::build_response_filter(topic_kind::update_accepted, "t", "j", buf).error() ==
        error::invalid_topic);
}

TEST_CASE("a topic buffer too small reports the size needed, its NUL counted") {
  char small[20];
  const auto r = mqtt::build_topic(topic_kind::notify_next, "thing", "", small);
  CHECK(r.error() == error::buffer_too_small);
  CHECK(r.required_size() == std::string_view("$aws/things/thing/jobs/notify-next").size() + 1);
  char no_room_for_nul[34];
  CHECK(mqtt::build_topic(topic_kind::notify_next, "thing", "", no_room_for_nul).error() ==
        error::buffer_too_small);
  char exact[35];
  const auto t = mqtt::build_topic(topic_kind::notify_next, "thing", "", exact);
  REQUIRE(t);
  CHECK(t->size() == 34);
  CHECK(t->data() == exact);
  CHECK(exact[34] == '\0');  // a C client (libmosquitto) publishes `exact` as it is
}

TEST_CASE("a topic kind outside the enum is error::invalid_topic, never an empty tail") {
  char buf[mqtt::max_topic_size];
  const auto bad = static_cast<topic_kind>(mqtt::topic_kind_count);
  CHECK(mqtt::build_topic(bad, "t", "", buf).error() == error::invalid_topic);
  CHECK(mqtt::build_response_filter(bad, "t", "", buf).error() == error::invalid_topic);
  CHECK_FALSE(mqtt::has_job_id(bad));
  CHECK_FALSE(mqtt::is_request(bad));
  CHECK_FALSE(mqtt::is_rejected(bad));
  CHECK(mqtt::name(bad).empty());
  CHECK(mqtt::name(topic_kind::update_rejected) == "update_rejected");
}

TEST_CASE("device_filters: what a device's job loop subscribes to, each matching its replies") {
  char buf[mqtt::device_filters_size];
  const auto f = mqtt::device_filters("dev1", buf);
  REQUIRE(f);
  CHECK(*f == std::array<std::string_view, 4>{
                  "$aws/things/dev1/jobs/notify-next", "$aws/things/dev1/jobs/notify",
                  "$aws/things/dev1/jobs/+/get/+", "$aws/things/dev1/jobs/+/update/+"});
  for (std::string_view filter : *f)
    CHECK(filter.data()[filter.size()] == '\0');
  const auto g = mqtt::device_filters("dev1", buf, "aws-gg-deployment");
  REQUIRE(g);
  CHECK(*g == std::array<std::string_view, 4>{
                  "$aws/things/dev1/jobs/notify-next-namespace-aws-gg-deployment",
                  "$aws/things/dev1/jobs/notify-namespace-aws-gg-deployment",
                  "$aws/things/dev1/jobs/+/namespace-aws-gg-deployment/get/+",
                  "$aws/things/dev1/jobs/+/namespace-aws-gg-deployment/update/+"});
  // The longest thing and namespace fit the room device_filters_size promises.
  const std::string thing(max_thing_name_size, 't'), ns(max_namespace_id_size, 'n');
  CHECK(mqtt::device_filters(thing, buf, ns));
  char small[100];
  CHECK(mqtt::device_filters("dev1", small, "aws-gg-deployment").error() ==
        error::buffer_too_small);
  CHECK(mqtt::device_filters("dev/1", buf).error() == error::invalid_thing_name);
  CHECK(mqtt::device_filters("dev1", buf, "a+b").error() == error::invalid_namespace_id);
}

TEST_CASE("topics parse at compile time") {
  static_assert(mqtt::parse_topic("$aws/things/t/jobs/get/update")->kind == topic_kind::update);
  static_assert(mqtt::parse_topic("$aws/things/t/jobs/x/y").error() == error::invalid_topic);
}

}  // namespace test_mqtt_topics
