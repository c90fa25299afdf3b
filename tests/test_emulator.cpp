#include "../tools/emulator/emulator.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../tools/mqtt/transport.hpp"

using namespace iotjobs;
using iotjobs_emulator::jobs_emulator;
using job_status = job_execution_status;

namespace {

// The emulator with a clock the test moves and every publication captured.
struct fixture {
  std::int64_t now = 1000;
  std::vector<std::pair<std::string, std::string>> sent;
  jobs_emulator emu{[this](std::string_view t, std::string_view p) { sent.emplace_back(t, p); },
                    [this] { return now; }};
  decoder dec;

  std::vector<std::pair<std::string, std::string>> take() { return std::exchange(sent, {}); }

  // Sends a request and returns the one reply, checking its topic.
  std::string ask(const std::string& topic, std::string_view payload, const char* suffix) {
    take();
    emu.handle(topic, payload);
    REQUIRE(!sent.empty());
    CHECK(sent.front().first == topic + suffix);
    return sent.front().second;
  }
  rejected_view rejected(const std::string& topic, std::string_view payload, rejection_code code) {
    const auto r = dec.decode(iotjobs::mqtt::rejected, ask(topic, payload, "/rejected"));
    REQUIRE(r);
    CHECK(r->code == code);
    return *r;
  }
};

const std::string base = "$aws/things/t1/jobs/";

}  // namespace

TEST_CASE("emulator: a job's whole life, with the events the spec calls for") {
  fixture f;
  REQUIRE(f.emu.add_job("t1", {"j1", R"({"op":"a"})", {}, {}}) == error::ok);
  // Queued: the list changed (notify) and so did its first (notify-next).
  auto events = f.take();
  REQUIRE(events.size() == 2);
  CHECK(events[0].first == base + "notify");
  CHECK(events[1].first == base + "notify-next");
  const auto next = f.dec.decode(iotjobs::mqtt::notify_next, events[1].second);
  REQUIRE(next);
  REQUIRE(next->execution);
  CHECK(next->execution->job_id == "j1");
  CHECK(next->execution->version_number == 1);
  CHECK(next->execution->job_document->json() == R"({"op":"a"})");
  REQUIRE(f.emu.add_job("t1", {"j2", "{}", {}, {}}) == error::ok);
  events = f.take();
  REQUIRE(events.size() == 1);  // j1 is still first: notify only
  const auto list = f.dec.decode(iotjobs::mqtt::notify, events[0].second);
  REQUIRE(list);
  CHECK(list->find(job_status::queued).size() == 2);

  // StartNext: j1 to IN_PROGRESS at version 2, and no event (docs/wire-protocol.md §8.5).
  f.now = 1010;
  std::string reply =
      f.ask(base + "start-next", R"({"clientToken":"c1","statusDetails":{"s":"go"}})", "/accepted");
  CHECK(f.sent.size() == 1);
  auto started = f.dec.decode(iotjobs::mqtt::start_next_accepted, reply);
  REQUIRE(started);
  CHECK(started->client_token == "c1");
  CHECK(started->execution->job_id == "j1");
  CHECK(started->execution->status == job_status::in_progress);
  CHECK(started->execution->version_number == 2);
  CHECK(started->execution->started_at == 1010);
  CHECK(started->execution->status_details->find("s") == "go");

  // Describe j1 and $next; GetPending.
  reply = f.ask(base + "j1/get", R"({"includeJobDocument":false})", "/accepted");
  auto described = f.dec.decode(iotjobs::mqtt::describe_accepted, reply);
  REQUIRE(described);
  CHECK(described->execution->version_number == 2);
  CHECK_FALSE(described->execution->job_document);
  reply = f.ask(base + "$next/get", "", "/accepted");
  described = f.dec.decode(iotjobs::mqtt::describe_accepted, reply);
  REQUIRE(described);
  CHECK(described->execution->job_id == "j1");
  CHECK(described->execution->job_document);
  reply = f.ask(base + "get", "{}", "/accepted");
  const auto pending = f.dec.decode(iotjobs::mqtt::get_pending_accepted, reply);
  REQUIRE(pending);
  REQUIRE(pending->in_progress_jobs.size() == 1);
  REQUIRE(pending->queued_jobs.size() == 1);
  CHECK(pending->queued_jobs[0].job_id == "j2");

  // Updates: expectedVersion as a number and as AWS's embedded clients send it, a string.
  reply = f.ask(base + "j1/update",
                R"({"status":"IN_PROGRESS","expectedVersion":"2","includeJobExecutionState":true})",
                "/accepted");
  auto updated = f.dec.decode(iotjobs::mqtt::update_accepted, reply);
  REQUIRE(updated);
  CHECK(updated->execution_state->version_number == 3);
  CHECK(updated->execution_state->status_details->find("s") == "go");  // unchanged
  CHECK(f.sent.size() == 1);
  reply = f.ask(
      base + "j1/update",
      R"({"status":"SUCCEEDED","expectedVersion":3,"includeJobDocument":true,"clientToken":"c9"})",
      "/accepted");
  updated = f.dec.decode(iotjobs::mqtt::update_accepted, reply);
  REQUIRE(updated);
  CHECK_FALSE(updated->execution_state);
  CHECK(updated->job_document->json() == R"({"op":"a"})");
  CHECK(updated->client_token == "c9");
  // j1 left the list, j2 is first now: notify and notify-next follow the reply.
  REQUIRE(f.sent.size() == 3);
  CHECK(f.sent[1].first == base + "notify");
  CHECK(f.sent[2].first == base + "notify-next");
  const auto after = f.dec.decode(iotjobs::mqtt::notify_next, f.sent[2].second);
  REQUIRE(after);
  CHECK(after->execution->job_id == "j2");
  CHECK(f.emu.find("t1", "j1")->status == job_status::succeeded);
  CHECK(f.emu.find("t1", "j1")->version_number == 4);
  CHECK(f.emu.stats().updates_applied == 3);
}

TEST_CASE("emulator: every rejection, and the state it carries") {
  fixture f;
  REQUIRE(f.emu.add_job("t1", {"j1", "{}", {}, {}}) == error::ok);
  f.ask(base + "start-next", "{}", "/accepted");

  auto r = f.rejected(base + "j1/update",
                      R"({"status":"IN_PROGRESS","expectedVersion":7,"clientToken":"v"})",
                      rejection_code::version_mismatch);
  CHECK(r.client_token == "v");
  REQUIRE(r.execution_state);
  CHECK(r.execution_state->version_number == 2);
  CHECK(r.execution_state->status == job_status::in_progress);

  f.rejected(base + "nope/update", R"({"status":"FAILED"})", rejection_code::resource_not_found);
  f.rejected(base + "nope/get", "{}", rejection_code::resource_not_found);
  f.rejected(base + "j1/get", R"({"executionNumber":9})", rejection_code::resource_not_found);
  f.rejected(base + "j1/update", R"({"status":"DONE"})", rejection_code::invalid_request);
  f.rejected(base + "j1/update", R"({"expectedVersion":2})", rejection_code::invalid_request);
  f.rejected(base + "j1/update", R"({"status":"FAILED","stepTimeoutInMinutes":0})",
             rejection_code::invalid_request);
  f.rejected(base + "j1/update", R"({"status":"FAILED","statusDetails":{"k":"tab\there"}})",
             rejection_code::invalid_request);
  f.rejected(base + "start-next", R"({"stepTimeoutInMinutes":-1})",
             rejection_code::invalid_request);
  f.rejected(base + "get", R"({"clientToken":""})", rejection_code::invalid_request);
  f.rejected(base + "get", R"({"clientToken":5})", rejection_code::invalid_request);
  r = f.rejected(base + "j1/update", R"({"status":"FAILED","clientToken":"x")",
                 rejection_code::invalid_json);
  CHECK_FALSE(r.client_token);  // not read from a payload that is not JSON
  f.rejected(base + "get", "\xFF", rejection_code::invalid_json);
  f.rejected(base + "j1/update/x", "{}", rejection_code::invalid_topic);
  f.rejected(base + "j1/fetch", "{}", rejection_code::invalid_topic);

  // Terminal: an update is InvalidStateTransition (with the state), a describe
  // TerminalStateReached.
  f.ask(base + "j1/update", R"({"status":"REJECTED"})", "/accepted");
  r = f.rejected(base + "j1/update", R"({"status":"IN_PROGRESS"})",
                 rejection_code::invalid_state_transition);
  REQUIRE(r.execution_state);
  CHECK(r.execution_state->status == job_status::rejected);
  f.rejected(base + "j1/get", "{}", rejection_code::terminal_state_reached);
  CHECK(f.emu.stats().rejected.at("InvalidRequest") == 7);
  CHECK(f.emu.find("t1", "j1")->version_number == 3);  // only the two updates were applied

  // Nothing pending is an answer, not an error.
  auto reply = f.ask(base + "start-next", "{}", "/accepted");
  CHECK_FALSE(f.dec.decode(iotjobs::mqtt::start_next_accepted, reply)->execution);
  reply = f.ask(base + "$next/get", "{}", "/accepted");
  CHECK_FALSE(f.dec.decode(iotjobs::mqtt::describe_accepted, reply)->execution);
}

TEST_CASE("emulator: the step timer, from StartNext's or Update's stepTimeoutInMinutes") {
  fixture f;
  REQUIRE(f.emu.add_job("t1", {"j1", "{}", {}, {}}) == error::ok);
  REQUIRE(f.emu.add_job("t1", {"j2", "{}", {}, {}}) == error::ok);
  f.ask(base + "start-next", R"({"stepTimeoutInMinutes":2})", "/accepted");
  f.now += 60;
  f.emu.tick();
  CHECK(f.emu.find("t1", "j1")->status == job_status::in_progress);
  const auto described =
      f.dec.decode(iotjobs::mqtt::describe_accepted, f.ask(base + "j1/get", "{}", "/accepted"));
  CHECK(described->execution->approximate_seconds_before_timed_out == 60);
  // An update without a timeout leaves the timer; one with a timeout starts it anew.
  f.ask(base + "j1/update", R"({"status":"IN_PROGRESS"})", "/accepted");
  f.ask(base + "j1/update", R"({"status":"IN_PROGRESS","stepTimeoutInMinutes":10})", "/accepted");
  f.now += 120;
  f.take();
  f.emu.tick();
  CHECK(f.emu.find("t1", "j1")->status == job_status::in_progress);
  f.now += 480;
  f.emu.tick();
  CHECK(f.emu.find("t1", "j1")->status == job_status::timed_out);
  CHECK(f.emu.find("t1", "j1")->version_number == 5);
  const auto events = f.take();
  REQUIRE(events.size() == 2);  // it left the list, and j2 is first now
  CHECK(f.dec.decode(iotjobs::mqtt::notify_next, events[1].second)->execution->job_id == "j2");

  // An execution that UpdateJobExecution moved to IN_PROGRESS (no StartNext) has a step timer
  // too, and -1 cancels it.
  f.ask(base + "j2/update", R"({"status":"IN_PROGRESS","stepTimeoutInMinutes":1})", "/accepted");
  f.ask(base + "j2/update", R"({"status":"IN_PROGRESS","stepTimeoutInMinutes":-1})", "/accepted");
  f.now += 100000;
  f.emu.tick();
  CHECK(f.emu.find("t1", "j2")->status == job_status::in_progress);
}

TEST_CASE("emulator: the job's in-progress timeout, from the first move to IN_PROGRESS") {
  fixture f;
  // A 5-minute in-progress timeout (the jobs file's inProgressTimeoutInMinutes).
  REQUIRE(f.emu.add_job("t1", {"j1", "{}", 5, {}}) == error::ok);
  REQUIRE(f.emu.add_job("t1", {"j2", "{}", {}, {}}) == error::ok);
  f.now += 3600;  // queued time does not count
  f.emu.tick();
  CHECK(f.emu.find("t1", "j1")->status == job_status::queued);

  // Moved to IN_PROGRESS by UpdateJobExecution, not StartNext: the timer runs all the same.
  f.ask(base + "j1/update", R"({"status":"IN_PROGRESS"})", "/accepted");
  f.now += 240;
  // A new step timer, and then -1, leave the in-progress timer alone: -1 cancels the step timer
  // only.
  f.ask(base + "j1/update", R"({"status":"IN_PROGRESS","stepTimeoutInMinutes":30})", "/accepted");
  auto described =
      f.dec.decode(iotjobs::mqtt::describe_accepted, f.ask(base + "j1/get", "{}", "/accepted"));
  CHECK(described->execution->approximate_seconds_before_timed_out == 60);  // the sooner timer
  f.ask(base + "j1/update", R"({"status":"IN_PROGRESS","stepTimeoutInMinutes":-1})", "/accepted");
  f.now += 59;
  f.emu.tick();
  CHECK(f.emu.find("t1", "j1")->status == job_status::in_progress);
  f.now += 1;
  f.emu.tick();
  CHECK(f.emu.find("t1", "j1")->status == job_status::timed_out);

  // Via StartNext, and a step timer shorter than the job's: the step timer ends it first.
  f.ask(base + "start-next", R"({"stepTimeoutInMinutes":1})", "/accepted");
  described =
      f.dec.decode(iotjobs::mqtt::describe_accepted, f.ask(base + "j2/get", "{}", "/accepted"));
  CHECK(described->execution->approximate_seconds_before_timed_out == 60);
  f.now += 60;
  f.emu.tick();
  CHECK(f.emu.find("t1", "j2")->status == job_status::timed_out);
}

TEST_CASE("emulator: executionNumber counts one job's executions on a thing: each starts at 1") {
  fixture f;
  for (const char* job : {"a1", "a2", "a3"})
    REQUIRE(f.emu.add_job("t1", {job, "{}", {}, {}}) == error::ok);
  REQUIRE(f.emu.add_job("t2", {"a1", "{}", {}, {}}) == error::ok);
  for (const char* job : {"a1", "a2", "a3"}) {
    CAPTURE(job);
    CHECK(f.emu.find("t1", job)->execution_number == 1);
    // As in the AWS notification walkthrough: describe with executionNumber 1 finds each.
    const auto reply =
        f.dec.decode(iotjobs::mqtt::describe_accepted,
                     f.ask(base + job + "/get", R"({"executionNumber":1})", "/accepted"));
    REQUIRE(reply);
    CHECK(reply->execution->execution_number == 1);
  }
  f.rejected(base + "a2/get", R"({"executionNumber":2})", rejection_code::resource_not_found);
  f.rejected(base + "a2/update", R"({"status":"FAILED","executionNumber":2})",
             rejection_code::resource_not_found);
}

TEST_CASE("emulator: get-pending and notify list at most 10, in progress first, then queued") {
  fixture f;
  for (int i = 0; i < 14; ++i)
    REQUIRE(f.emu.add_job("t1", {"j" + std::to_string(i), "{}", {}, {}}) == error::ok);
  f.ask(base + "j12/update", R"({"status":"IN_PROGRESS"})", "/accepted");
  f.ask(base + "j13/update", R"({"status":"IN_PROGRESS"})", "/accepted");
  const auto pending =
      f.dec.decode(iotjobs::mqtt::get_pending_accepted, f.ask(base + "get", "{}", "/accepted"));
  REQUIRE(pending);
  REQUIRE(pending->in_progress_jobs.size() == 2);
  CHECK(pending->in_progress_jobs[0].job_id == "j12");
  CHECK(pending->in_progress_jobs[1].job_id == "j13");
  REQUIRE(pending->queued_jobs.size() == 8);  // 10 in all: j0 to j7, in queue order
  for (std::size_t i = 0; i < 8; ++i)
    CHECK(pending->queued_jobs[i].job_id == "j" + std::to_string(i));
  // A notify: j0 leaves the list.
  f.ask(base + "j0/update", R"({"status":"SUCCEEDED"})", "/accepted");
  REQUIRE(f.sent.size() >= 2);
  CHECK(f.sent[1].first == base + "notify");
  const auto notified = f.dec.decode(iotjobs::mqtt::notify, f.sent[1].second);
  REQUIRE(notified);
  CHECK(notified->find(job_status::in_progress).size() == 2);
  REQUIRE(notified->find(job_status::queued).size() == 8);
  CHECK(notified->find(job_status::queued)[0].job_id == "j1");
  CHECK(notified->find(job_status::queued)[7].job_id == "j8");
}

TEST_CASE("emulator: a rejection echoes the clientToken whenever the payload has a readable one") {
  fixture f;
  REQUIRE(f.emu.add_job("t1", {"j1", "{}", {}, {}}) == error::ok);
  struct row {
    std::string topic;
    const char* payload;
    rejection_code code;
  };
  const row rows[] = {
      // A status a device may not set; a statusDetails value of the wrong type; a bad value.
      {base + "j1/update", R"({"status":"QUEUED","clientToken":"c13"})",
       rejection_code::invalid_request},
      {base + "j1/update", R"({"status":"FAILED","statusDetails":{"k":1},"clientToken":"c13"})",
       rejection_code::invalid_request},
      {base + "j1/update", R"({"clientToken":"c13"})", rejection_code::invalid_request},
      {base + "start-next", R"({"stepTimeoutInMinutes":0,"clientToken":"c13"})",
       rejection_code::invalid_request},
      {base + "j1/fetch", R"({"clientToken":"c13"})", rejection_code::invalid_topic},
  };
  for (const row& r : rows) {
    CAPTURE(r.payload);
    CHECK(f.rejected(r.topic, r.payload, r.code).client_token == "c13");
  }
  // Unknown members are ignored: accepted, the token echoed.
  CHECK(f.dec
            .decode(iotjobs::mqtt::get_pending_accepted,
                    f.ask(base + "get", R"({"clientToken":"c13","x":[1,{"y":null}]})", "/accepted"))
            ->client_token == "c13");
  // No readable token: none echoed (not JSON, not an object, a token of the wrong type, an
  // invalid one).
  const row none[] = {
      {base + "j1/update", R"({"status":"FAILED","clientToken":"x")", rejection_code::invalid_json},
      {base + "j1/update", "[]", rejection_code::invalid_request},
      {base + "j1/update", R"({"status":"X","clientToken":5})", rejection_code::invalid_request},
      {base + "j1/update", R"({"status":"X","clientToken":""})", rejection_code::invalid_request},
  };
  for (const row& r : none) {
    CAPTURE(r.payload);
    CHECK_FALSE(f.rejected(r.topic, r.payload, r.code).client_token);
  }
}

TEST_CASE("emulator: nothing a device's decoder would refuse is published") {
  fixture f;
  // A document near the 32 KiB limit and statusDetails that would push the describe reply past
  // 128 KiB: refused before anything changes.
  const std::string document = R"({"blob":")" + std::string(30000, 'd') + R"("})";
  REQUIRE(f.emu.add_job("t1", {"j1", document, {}, {}}) == error::ok);
  std::string details = "{";
  for (int i = 0; i < 100; ++i)
    details += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":\"" + std::string(1000, 'v') + "\"";
  details += "}";
  const std::string update =
      R"({"status":"IN_PROGRESS","clientToken":"big","statusDetails":)" + details + "}";
  REQUIRE(update.size() < max_payload_size);  // the request itself fits
  const rejected_view r = f.rejected(base + "j1/update", update, rejection_code::invalid_request);
  CHECK(r.client_token == "big");
  CHECK(r.message->find("128 KiB") != std::string_view::npos);
  CHECK(f.emu.find("t1", "j1")->status == job_status::queued);
  CHECK(f.emu.find("t1", "j1")->version_number == 1);
  f.rejected(base + "start-next", R"({"statusDetails":)" + details + "}",
             rejection_code::invalid_request);
  CHECK(f.emu.find("t1", "j1")->status == job_status::queued);
  // A job whose own describe reply would pass the limit is not queued at all.
  const std::string huge = R"({"blob":")" + std::string(max_payload_size, 'd') + R"("})";
  CHECK(f.emu.add_job("t1", {"j2", huge, {}, {}}) == error::payload_too_large);
  CHECK_FALSE(f.emu.find("t1", "j2"));
  // Every reply the emulator sent decodes.
  f.ask(base + "j1/update", R"({"status":"IN_PROGRESS","statusDetails":{"k":"v"}})", "/accepted");
  for (const auto& [topic, payload] : f.take())
    CHECK(mqtt::decode(f.dec, topic, payload));
}

TEST_CASE("emulator: each Greengrass namespace's executions apart from the others") {
  fixture f;
  const std::string gg = "$aws/things/core/jobs/";
  REQUIRE(f.emu.add_job("core", {"plain", "{}", {}, {}}) == error::ok);
  f.take();
  REQUIRE(f.emu.add_job("core", {"deploy", R"({"d":1})", {}, "aws-gg-deployment"}) == error::ok);
  // Announced on the namespace's topics only.
  auto events = f.take();
  REQUIRE(events.size() == 2);
  CHECK(events[0].first == gg + "notify-namespace-aws-gg-deployment");
  CHECK(events[1].first == gg + "notify-next-namespace-aws-gg-deployment");
  CHECK(f.dec.decode(iotjobs::mqtt::notify_next, events[1].second)->execution->job_id == "deploy");
  // $next in the namespace is the namespace's job; outside it, the plain one.
  auto next = f.dec.decode(iotjobs::mqtt::describe_accepted,
                           f.ask(gg + "$next/namespace-aws-gg-deployment/get", "{}", "/accepted"));
  CHECK(next->execution->job_id == "deploy");
  next = f.dec.decode(iotjobs::mqtt::describe_accepted, f.ask(gg + "$next/get", "{}", "/accepted"));
  CHECK(next->execution->job_id == "plain");
  f.rejected(gg + "deploy/get", "{}", rejection_code::resource_not_found);
  f.rejected(gg + "plain/namespace-aws-gg-deployment/get", "{}",
             rejection_code::resource_not_found);
  f.rejected(gg + "deploy/namespace-other/update", R"({"status":"SUCCEEDED"})",
             rejection_code::resource_not_found);
  // An update in the namespace: replied to and announced there.
  f.ask(gg + "deploy/namespace-aws-gg-deployment/update", R"({"status":"SUCCEEDED"})", "/accepted");
  REQUIRE(f.sent.size() == 3);
  CHECK(f.sent[1].first == gg + "notify-namespace-aws-gg-deployment");
  CHECK(f.sent[2].first == gg + "notify-next-namespace-aws-gg-deployment");
  CHECK(f.emu.find("core", "deploy", "aws-gg-deployment")->status == job_status::succeeded);
  CHECK(f.emu.find("core", "plain")->status == job_status::queued);
  CHECK(f.emu.add_job("core", {"x", "{}", {}, "bad/ns"}) == error::invalid_namespace_id);
}

TEST_CASE("emulator: add_job refuses what the service would") {
  fixture f;
  CHECK(f.emu.add_job("a/b", {"j", "{}", {}, {}}) == error::invalid_thing_name);
  CHECK(f.emu.add_job("t", {"$next", "{}", {}, {}}) == error::invalid_job_id);
  CHECK(f.emu.add_job("t", {"j", "[1]", {}, {}}) == error::invalid_job_document);
  CHECK(f.emu.add_job("t", {"j", "{}", 10081, {}}) == error::invalid_step_timeout);
  CHECK(f.emu.add_job("t", {"j", "{}", {}, {}}) == error::ok);
  CHECK(f.emu.add_job("t", {"j", "{}", {}, {}}) == error::duplicate_field);
}

TEST_CASE("emulator: cancel ends a queued or running execution, and says so to the device") {
  fixture f;
  std::vector<std::string> changes;
  f.emu.on_change([&](std::string_view thing, std::string_view ns, const auto& x) {
    changes.push_back(std::string(thing) + "/" + std::string(ns) + "/" + x.job_id + " " +
                      std::string(to_wire(x.status)) + " v" + std::to_string(x.version_number));
  });
  REQUIRE(f.emu.add_job("t1", {"j1", "{}", 30, {}}) == error::ok);
  REQUIRE(f.emu.add_job("t1", {"j2", "{}", {}, {}}) == error::ok);
  f.ask(base + "j1/update", R"({"status":"IN_PROGRESS","stepTimeoutInMinutes":5})", "/accepted");
  f.take();
  // The running j1: CANCELED at version 3; it leaves the list (notify) and j2 is first
  // (notify-next).
  CHECK(f.emu.cancel("t1", "j1"));
  const auto events = f.take();
  REQUIRE(events.size() == 2);
  CHECK(events[0].first == base + "notify");
  CHECK(events[1].first == base + "notify-next");
  const auto next = f.dec.decode(iotjobs::mqtt::notify_next, events[1].second);
  REQUIRE(next);
  CHECK(next->execution->job_id == "j2");
  const auto* j1 = f.emu.find("t1", "j1");
  REQUIRE(j1 != nullptr);
  CHECK(j1->status == job_status::canceled);
  CHECK(j1->version_number == 3);
  CHECK(!j1->step_deadline);  // its timers stopped: it never times out
  CHECK(!j1->in_progress_deadline);
  // The device's next update is too late; a describe says the execution has ended.
  f.rejected(base + "j1/update", R"({"status":"SUCCEEDED"})",
             rejection_code::invalid_state_transition);
  f.rejected(base + "j1/get", "{}", rejection_code::terminal_state_reached);
  // Nothing to cancel: an ended execution, an unknown one, another thing's, another namespace's.
  CHECK(!f.emu.cancel("t1", "j1"));
  CHECK(!f.emu.cancel("t1", "nope"));
  CHECK(!f.emu.cancel("t2", "j2"));
  CHECK(!f.emu.cancel("t1", "j2", "aws-gg-deployment"));
  // A queued one: CANCELED at version 2.
  CHECK(f.emu.cancel("t1", "j2"));
  CHECK(f.emu.find("t1", "j2")->version_number == 2);
  CHECK(changes == std::vector<std::string>{"t1//j1 QUEUED v1", "t1//j2 QUEUED v1",
                                            "t1//j1 IN_PROGRESS v2", "t1//j1 CANCELED v3",
                                            "t1//j2 CANCELED v2"});
}

TEST_CASE("emulator: what is not a request is ignored, its own messages included") {
  fixture f;
  REQUIRE(f.emu.add_job("t1", {"j1", "{}", {}, {}}) == error::ok);
  const auto own = f.take();
  for (const auto& [topic, payload] : own)
    f.emu.handle(topic, payload);
  for (const char* topic :
       {"$aws/things/t1/shadow/get", "other/topic", "$aws/things/t1/jobs/get/accepted",
        "$aws/things/t1/jobs/x/y/z/rejected"}) {
    CAPTURE(topic);
    f.emu.handle(topic, "{}");
  }
  CHECK(f.sent.empty());
  CHECK(f.emu.stats().requests == 0);
}

TEST_CASE("MQTT topic filters, as the in-process broker matches them") {
  using iotjobs_mqtt::topic_matches;
  CHECK(topic_matches("$aws/things/+/jobs/#", "$aws/things/t/jobs/get"));
  CHECK(topic_matches("$aws/things/+/jobs/#", "$aws/things/t/jobs"));
  CHECK(topic_matches("$aws/things/t/jobs/+/update/+", "$aws/things/t/jobs/j/update/accepted"));
  CHECK_FALSE(topic_matches("$aws/things/t/jobs/+/update/+", "$aws/things/t/jobs/j/update"));
  CHECK_FALSE(topic_matches("$aws/things/+/jobs/#", "$aws/things/t/shadow/get"));
  CHECK_FALSE(topic_matches("#", "$aws/things/t/jobs/get"));  // $ topics need an explicit level
  CHECK(topic_matches("#", "a/b"));
  CHECK(topic_matches("a/b", "a/b"));
  CHECK_FALSE(topic_matches("a/b", "a/b/c"));
  CHECK_FALSE(topic_matches("a/b/c", "a/b"));
}
