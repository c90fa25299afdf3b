// The job runner (runner.hpp), one path of its job loop per case: a scripted service answers
// with the payloads AWS sends, and every publish and event is checked byte for byte.
#include "iotjobs/runner.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace test_runner {

using namespace std::chrono_literals;
namespace rn = iotjobs::runner;
using iotjobs::error;
using iotjobs::job_execution_status;
using iotjobs::rejection_code;
using iotjobs::update_status;

const std::string jobs = "$aws/things/dev1/jobs/";

// An event with its views copied.
struct seen {
  enum { started, accepted, ended, nothing, refused } kind;
  std::string job_id;
  std::optional<std::int64_t> execution_number, version;
  std::string document;
  std::vector<std::pair<std::string, std::string>> details;
  bool resumed = false, reported = false;
  job_execution_status status = job_execution_status::unknown;
  std::optional<rejection_code> code;
  std::string message;
};

seen copy(const rn::event& e) {
  seen s{};
  if (const auto* x = std::get_if<rn::job_started>(&e)) {
    s.kind = seen::started;
    s.job_id = x->job_id;
    s.execution_number = x->execution_number;
    s.version = x->version_number;
    s.document = x->document.json();
    if (x->status_details) {
      for (const auto& d : *x->status_details)
        s.details.emplace_back(d.key, d.value);
    }
    s.resumed = x->resumed;
  } else if (const auto* a = std::get_if<rn::report_accepted>(&e)) {
    s.kind = seen::accepted;
    s.job_id = a->job_id;
    s.version = a->version_number;
  } else if (const auto* d = std::get_if<rn::job_ended>(&e)) {
    s.kind = seen::ended;
    s.job_id = d->job_id;
    s.execution_number = d->execution_number;
    s.version = d->version_number;
    s.status = d->status;
    s.reported = d->reported;
    s.code = d->code;
  } else if (std::holds_alternative<rn::nothing_pending>(e)) {
    s.kind = seen::nothing;
  } else {
    const auto& r = std::get<rn::request_refused>(e);
    s.kind = seen::refused;
    s.job_id = r.job_id;
    s.code = r.code;
    s.message = r.message.value_or("");
  }
  return s;
}

struct message {
  std::string topic, payload;

  // The clientToken the payload carries.
  std::string token() const {
    const std::string key = "\"clientToken\":\"";
    const auto at = payload.find(key);
    if (at == std::string::npos) return {};
    const auto from = at + key.size();
    return payload.substr(from, payload.find('"', from) - from);
  }
};

rn::config config_for(std::string_view thing = "dev1") {
  rn::config c;
  c.thing_name = thing;
  c.reply_timeout = 5s;
  c.retry_delay = 1s;
  c.max_retry_delay = 8s;
  c.empty_next_delay = 2s;
  return c;
}

// A device: the runner, a fake clock, and what came out of it.
struct device {
  rn::job_runner r;
  rn::instant now{std::chrono::seconds(100)};
  std::vector<message> sent;
  std::vector<seen> events;

  explicit device(const rn::config& c = config_for()) : r(make(c)) {}
  static rn::job_runner make(const rn::config& c) {
    auto r = rn::job_runner::create(c);
    REQUIRE(r);
    return std::move(*r);
  }

  void drain() {
    while (auto m = r.next_publish())
      sent.push_back({std::string(m->topic), std::string(m->payload)});
    while (auto e = r.next_event())
      events.push_back(copy(*e));
  }
  void connected() {
    r.connected(now);
    drain();
  }
  // A message the runner takes (error::ok), and one it may refuse.
  void receive(const std::string& topic, const std::string& payload) {
    CHECK(feed(topic, payload) == error::ok);
  }
  error feed(const std::string& topic, const std::string& payload) {
    const error e = r.receive(topic, payload, now);
    drain();
    return e;
  }
  void advance(std::chrono::milliseconds d) {
    now += d;
    r.tick(now);
    drain();
  }
  error report(update_status status, std::vector<iotjobs::status_detail> details = {},
               std::optional<std::int64_t> step_timeout = std::nullopt) {
    rn::job_report rp;
    rp.status = status;
    if (!details.empty()) rp.status_details = iotjobs::status_details_view(details);
    rp.step_timeout_in_minutes = step_timeout;
    const error e = r.report(rp, now);
    drain();
    return e;
  }

  // The one message published since the last call.
  message take() {
    REQUIRE(sent.size() == 1);
    message m = sent.front();
    sent.clear();
    return m;
  }
  seen take_event() {
    REQUIRE(events.size() == 1);
    seen e = events.front();
    events.clear();
    return e;
  }
};

std::string execution(std::string_view job, std::string_view status, int version,
                      std::string_view extra = "") {
  return "{\"jobId\":\"" + std::string(job) + "\",\"status\":\"" + std::string(status) +
         "\",\"versionNumber\":" + std::to_string(version) + ",\"executionNumber\":1" +
         std::string(extra) + "}";
}

std::string described(const std::string& token, const std::string& execution_json) {
  return "{\"timestamp\":1,\"clientToken\":\"" + token + "\"" +
         (execution_json.empty() ? "" : ",\"execution\":" + execution_json) + "}";
}

std::string applied(const std::string& token, std::string_view status, int version) {
  return "{\"executionState\":{\"status\":\"" + std::string(status) +
         "\",\"versionNumber\":" + std::to_string(version) +
         "},\"timestamp\":1,\"clientToken\":\"" + token + "\"}";
}

std::string rejected(const std::string& token, std::string_view code, std::string_view state = "") {
  return "{\"code\":\"" + std::string(code) +
         "\",\"message\":\"m\",\"timestamp\":1,\"clientToken\":\"" + token + "\"" +
         (state.empty() ? "" : ",\"executionState\":" + std::string(state)) + "}";
}

std::string state(std::string_view status, int version) {
  return "{\"status\":\"" + std::string(status) +
         "\",\"versionNumber\":" + std::to_string(version) + "}";
}

const std::string doc = R"({"op":"reboot"})";

// Connects and hands the device job `j` (QUEUED at version 1); returns the claim.
message start_queued(device& d, std::string_view j = "j1") {
  d.connected();
  const message ask = d.take();
  d.receive(jobs + "$next/get/accepted",
            described(ask.token(), execution(j, "QUEUED", 1, ",\"jobDocument\":" + doc)));
  const seen e = d.take_event();
  REQUIRE(e.kind == seen::started);
  return d.take();
}

TEST_CASE("create refuses a config it cannot serve") {
  rn::config c = config_for("");
  CHECK(rn::job_runner::create(c).error() == error::invalid_thing_name);
  c = config_for("a/b");
  CHECK(rn::job_runner::create(c).error() == error::invalid_thing_name);
  c = config_for();
  c.namespace_id = "bad space";
  CHECK(rn::job_runner::create(c).error() == error::invalid_namespace_id);
  c = config_for();
  c.step_timeout_in_minutes = 0;
  CHECK(rn::job_runner::create(c).error() == error::invalid_step_timeout);
  c.step_timeout_in_minutes = -1;  // cancels a timer on update; means nothing for a claim
  CHECK(rn::job_runner::create(c).error() == error::invalid_step_timeout);
  c = config_for();
  c.max_report_size = 100;  // the claim alone takes more
  CHECK(rn::job_runner::create(c).error() == error::buffer_too_small);
  c = config_for();
  c.max_message_size = iotjobs::max_payload_size + 1;  // reserved as the largest there is
  CHECK(rn::job_runner::create(c));
}

TEST_CASE("the runner subscribes to the device filters") {
  device d;
  char buf[iotjobs::mqtt::device_filters_size];
  const auto f = iotjobs::mqtt::device_filters("dev1", buf);
  REQUIRE(f);
  CHECK(d.r.subscriptions() == *f);
  CHECK(d.sent.empty());  // nothing before connected()
  CHECK_FALSE(d.r.next_deadline());
}

TEST_CASE("at start it describes $next; nothing pending is an event, not an error") {
  device d;
  d.connected();
  const message ask = d.take();
  CHECK(ask.topic == jobs + "$next/get");
  CHECK(ask.payload == R"({"includeJobDocument":true,"clientToken":"7b1dcdaf-1"})");
  CHECK(d.r.next_deadline() == d.now + 5s);
  d.receive(jobs + "$next/get/accepted", described(ask.token(), ""));
  CHECK(d.take_event().kind == seen::nothing);
  CHECK(d.sent.empty());
  CHECK_FALSE(d.r.next_deadline());  // nothing waits on the clock: a notify-next wakes it
  CHECK_FALSE(d.r.running_job());
}

TEST_CASE("a QUEUED job: started, claimed at its version, reported, finished, then $next again") {
  device d;
  d.connected();
  const message ask = d.take();
  d.receive(jobs + "$next/get/accepted",
            described(ask.token(), execution("j1", "QUEUED", 1, ",\"jobDocument\":" + doc)));
  const seen e = d.take_event();
  CHECK(e.kind == seen::started);
  CHECK(e.job_id == "j1");
  CHECK(e.execution_number == 1);
  CHECK(e.version == 1);
  CHECK(e.document == doc);
  CHECK_FALSE(e.resumed);
  CHECK(d.r.running_job() == "j1");

  const message claim = d.take();
  CHECK(claim.topic == jobs + "j1/update");
  CHECK(
      claim.payload ==
      R"({"status":"IN_PROGRESS","expectedVersion":1,"includeJobExecutionState":true,"executionNumber":1,"clientToken":"7b1dcdaf-2"})");
  d.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 2));
  CHECK(d.events.empty());  // the claim is the runner's own: no report_accepted
  CHECK(d.sent.empty());

  CHECK(d.report(update_status::in_progress, {{"step", "download"}}) == error::ok);
  const message progress = d.take();
  CHECK(
      progress.payload ==
      R"({"status":"IN_PROGRESS","statusDetails":{"step":"download"},"expectedVersion":2,"includeJobExecutionState":true,"executionNumber":1,"clientToken":"7b1dcdaf-3"})");
  d.receive(jobs + "j1/update/accepted", applied(progress.token(), "IN_PROGRESS", 3));
  seen a = d.take_event();
  CHECK(a.kind == seen::accepted);
  CHECK(a.version == 3);

  CHECK(d.report(update_status::succeeded, {{"result", "ok"}}) == error::ok);
  const message done = d.take();
  CHECK(
      done.payload ==
      R"({"status":"SUCCEEDED","statusDetails":{"result":"ok"},"expectedVersion":3,"includeJobExecutionState":true,"executionNumber":1,"clientToken":"7b1dcdaf-4"})");
  d.receive(jobs + "j1/update/accepted", applied(done.token(), "SUCCEEDED", 4));
  const seen end = d.take_event();
  CHECK(end.kind == seen::ended);
  CHECK(end.job_id == "j1");
  CHECK(end.reported);
  CHECK(end.status == job_execution_status::succeeded);
  CHECK(end.version == 4);
  CHECK_FALSE(end.code);
  CHECK_FALSE(d.r.running_job());
  CHECK(d.take().topic == jobs + "$next/get");  // the next job may be queued already
}

TEST_CASE("an IN_PROGRESS job found at start is resumed with its statusDetails, not claimed") {
  device d;
  d.connected();
  const message ask = d.take();
  d.receive(jobs + "$next/get/accepted",
            described(ask.token(),
                      execution("j1", "IN_PROGRESS", 4,
                                ",\"statusDetails\":{\"step\":\"2\"},\"jobDocument\":" + doc)));
  const seen e = d.take_event();
  CHECK(e.kind == seen::started);
  CHECK(e.resumed);
  CHECK(e.details == std::vector<std::pair<std::string, std::string>>{{"step", "2"}});
  CHECK(d.sent.empty());  // no claim: it is IN_PROGRESS already
  CHECK(d.report(update_status::failed) == error::ok);
  CHECK(
      d.take().payload ==
      R"({"status":"FAILED","expectedVersion":4,"includeJobExecutionState":true,"executionNumber":1,"clientToken":"7b1dcdaf-2"})");
}

TEST_CASE("replies are matched by token and topic; other things, namespaces and APIs are ignored") {
  device d;
  const message claim = start_queued(d);
  const std::string reply = applied(claim.token(), "IN_PROGRESS", 2);
  // Not the reply: another token, another job, another thing, a namespace, another API.
  d.receive(jobs + "j1/update/accepted", applied("other", "IN_PROGRESS", 2));
  d.receive(jobs + "j1/update/accepted",
            R"({"executionState":{"status":"IN_PROGRESS","versionNumber":2},"timestamp":1})");
  d.receive(jobs + "j2/update/accepted", reply);
  d.receive("$aws/things/dev2/jobs/j1/update/accepted", reply);
  d.receive(jobs + "j1/namespace-aws-gg-deployment/update/accepted", reply);
  d.receive(jobs + "j1/get/accepted", reply);
  d.receive("sensors/temperature", "21.5");
  d.receive("$aws/things/dev1/shadow/update", "{}");
  CHECK(d.events.empty());
  CHECK(d.sent.empty());
  // The reply itself: the claim is done, so a report goes straight out.
  d.receive(jobs + "j1/update/accepted", reply);
  CHECK(d.report(update_status::succeeded) == error::ok);
  CHECK(d.take().payload.find("\"expectedVersion\":2") != std::string::npos);
  // A duplicate of the claim's reply, delivered again by the broker, is no reply to the report.
  d.receive(jobs + "j1/update/accepted", reply);
  CHECK(d.events.empty());
}

TEST_CASE(
    "no reply before the deadline: the same bytes again, and a reply to either copy answers") {
  device d;
  const message claim = start_queued(d);
  d.advance(4999ms);
  CHECK(d.sent.empty());
  d.advance(1ms);
  const message again = d.take();
  CHECK(again.topic == claim.topic);
  CHECK(again.payload == claim.payload);  // the same expectedVersion and token
  CHECK(d.r.next_deadline() == d.now + 5s);
  d.advance(5s);
  CHECK(d.take().payload == claim.payload);
  d.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 2));
  CHECK_FALSE(d.r.next_deadline());
  CHECK(d.sent.empty());
}

TEST_CASE("VersionMismatch is repaired from executionState") {
  device d;
  const message claim = start_queued(d);
  d.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 2));
  REQUIRE(d.report(update_status::in_progress, {{"step", "1"}}) == error::ok);
  const message first = d.take();

  SUBCASE("applied already (its reply lost): the runner moves on") {
    d.advance(5s);
    CHECK(d.take().payload == first.payload);
    d.receive(jobs + "j1/update/rejected",
              rejected(first.token(), "VersionMismatch", state("IN_PROGRESS", 3)));
    const seen a = d.take_event();
    CHECK(a.kind == seen::accepted);
    CHECK(a.version == 3);
    CHECK(d.sent.empty());  // not sent again: it was applied once
    REQUIRE(d.report(update_status::succeeded) == error::ok);
    CHECK(d.take().payload.find("\"expectedVersion\":3") != std::string::npos);
  }
  SUBCASE("not applied: sent again at the current version, with a new token") {
    d.receive(jobs + "j1/update/rejected",
              rejected(first.token(), "VersionMismatch", state("IN_PROGRESS", 7)));
    CHECK(d.events.empty());
    const message again = d.take();
    CHECK(
        again.payload ==
        R"({"status":"IN_PROGRESS","statusDetails":{"step":"1"},"expectedVersion":7,"includeJobExecutionState":true,"executionNumber":1,"clientToken":"7b1dcdaf-4"})");
    d.receive(jobs + "j1/update/accepted", applied(again.token(), "IN_PROGRESS", 8));
    CHECK(d.take_event().version == 8);
  }
  SUBCASE("the job has ended: canceled while the device worked") {
    d.receive(jobs + "j1/update/rejected",
              rejected(first.token(), "VersionMismatch", state("CANCELED", 3)));
    const seen e = d.take_event();
    CHECK(e.kind == seen::ended);
    CHECK(e.status == job_execution_status::canceled);
    CHECK(e.code == rejection_code::version_mismatch);
    CHECK(e.version == 3);
    CHECK_FALSE(e.reported);
    CHECK(d.take().topic == jobs + "$next/get");
  }
  SUBCASE("no executionState: the job is described, then the same repair") {
    d.receive(jobs + "j1/update/rejected", rejected(first.token(), "VersionMismatch"));
    const message ask = d.take();
    CHECK(ask.topic == jobs + "j1/get");
    CHECK(ask.payload ==
          R"({"includeJobDocument":false,"executionNumber":1,"clientToken":"7b1dcdaf-4"})");
    SUBCASE("applied") {
      d.receive(jobs + "j1/get/accepted",
                described(ask.token(), execution("j1", "IN_PROGRESS", 3)));
      CHECK(d.take_event().kind == seen::accepted);
      CHECK(d.sent.empty());
    }
    SUBCASE("not applied") {
      d.receive(jobs + "j1/get/accepted",
                described(ask.token(), execution("j1", "IN_PROGRESS", 9)));
      CHECK(d.events.empty());
      CHECK(d.take().payload.find("\"expectedVersion\":9") != std::string::npos);
    }
  }
}

TEST_CASE("RequestThrottled and InternalError: a capped, jittered, doubling backoff") {
  const auto waits = [](std::uint64_t seed, std::string_view code) {
    rn::config c = config_for();
    c.seed = seed;
    device d(c);
    const message claim = start_queued(d);
    std::vector<std::chrono::milliseconds> out;
    for (int i = 0; i < 6; ++i) {
      d.receive(jobs + "j1/update/rejected", rejected(claim.token(), code));
      CHECK(d.sent.empty());  // nothing until the backoff is over
      REQUIRE(d.r.next_deadline());
      const auto wait = *d.r.next_deadline() - d.now;
      out.push_back(wait);
      d.advance(wait - 1ms);
      CHECK(d.sent.empty());
      d.advance(1ms);
      CHECK(d.take().payload == claim.payload);  // the same request: its token and version
    }
    return out;
  };
  const auto a = waits(1, "RequestThrottled");
  // 1 s, 2 s, 4 s, then 8 s (the cap): each between half its step and the step.
  const std::chrono::milliseconds steps[] = {1s, 2s, 4s, 8s, 8s, 8s};
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i] >= steps[i] / 2);
    CHECK(a[i] <= steps[i]);
  }
  CHECK(waits(1, "InternalError") == a);     // the same schedule for both codes
  CHECK(waits(2, "RequestThrottled") != a);  // another seed, other waits
}

TEST_CASE("InvalidStateTransition, TerminalStateReached and ResourceNotFound end the job") {
  const auto end_with = [](std::string_view code, std::string_view st) {
    device d;
    const message claim = start_queued(d);
    d.receive(jobs + "j1/update/rejected", rejected(claim.token(), code, st));
    const seen e = d.take_event();
    CHECK(e.kind == seen::ended);
    CHECK(d.take().topic == jobs + "$next/get");  // on to the next job
    CHECK(d.report(update_status::succeeded) == error::no_running_job);
    return e;
  };
  seen e = end_with("InvalidStateTransition", state("TIMED_OUT", 2));
  CHECK(e.status == job_execution_status::timed_out);
  CHECK(e.code == rejection_code::invalid_state_transition);
  e = end_with("TerminalStateReached", "");
  CHECK(e.status == job_execution_status::unknown);
  CHECK(e.code == rejection_code::terminal_state_reached);
  e = end_with("ResourceNotFound", "");  // the job was deleted
  CHECK(e.code == rejection_code::resource_not_found);
  CHECK_FALSE(e.reported);

  // A final report whose reply was lost, refused when sent again: it was applied.
  device d;
  const message claim = start_queued(d);
  d.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 2));
  REQUIRE(d.report(update_status::succeeded) == error::ok);
  const message done = d.take();
  d.receive(jobs + "j1/update/rejected",
            rejected(done.token(), "InvalidStateTransition", state("SUCCEEDED", 3)));
  e = d.take_event();
  CHECK(e.reported);
  CHECK(e.status == job_execution_status::succeeded);
}

TEST_CASE("other rejections are handed to the application, never retried") {
  device d;
  const message claim = start_queued(d);
  d.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 2));
  REQUIRE(d.report(update_status::succeeded, {{"k", "v"}}) == error::ok);
  const message done = d.take();
  d.receive(jobs + "j1/update/rejected", rejected(done.token(), "InvalidRequest"));
  const seen e = d.take_event();
  CHECK(e.kind == seen::refused);
  CHECK(e.job_id == "j1");
  CHECK(e.code == rejection_code::invalid_request);
  CHECK(e.message == "m");
  d.advance(60s);
  CHECK(d.sent.empty());  // not retried
  CHECK(d.r.running_job() == "j1");
  CHECK(d.report(update_status::failed) == error::ok);  // the job goes on: it may report again
  CHECK(d.take().payload.find("FAILED") != std::string::npos);

  device idle;
  idle.connected();
  const message ask = idle.take();
  idle.receive(jobs + "$next/get/rejected", rejected(ask.token(), "SomethingNew"));
  const seen r = idle.take_event();
  CHECK(r.kind == seen::refused);
  CHECK(r.job_id.empty());
  CHECK(r.code == rejection_code::unknown);
  idle.advance(60s);
  CHECK(idle.sent.empty());
}

TEST_CASE("a notify-next during a job is remembered: an empty $next after it is asked again once") {
  device d;
  const message claim = start_queued(d);
  d.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 2));
  d.receive(jobs + "notify-next",
            "{\"timestamp\":1,\"execution\":" + execution("j2", "QUEUED", 1) + "}");
  // It names another job: the runner asks whether j1 still runs.
  const message check = d.take();
  CHECK(check.topic == jobs + "j1/get");
  d.receive(jobs + "j1/get/accepted", described(check.token(), execution("j1", "IN_PROGRESS", 2)));
  CHECK(d.events.empty());
  REQUIRE(d.report(update_status::succeeded) == error::ok);
  const message done = d.take();
  d.receive(jobs + "j1/update/accepted", applied(done.token(), "SUCCEEDED", 3));
  CHECK(d.take_event().kind == seen::ended);
  const message ask = d.take();
  d.receive(jobs + "$next/get/accepted", described(ask.token(), ""));
  CHECK(d.events.empty());  // not "nothing pending" yet
  CHECK(d.r.next_deadline() == d.now + 2s);
  d.advance(2s);
  const message again = d.take();
  CHECK(again.topic == jobs + "$next/get");
  d.receive(jobs + "$next/get/accepted",
            described(again.token(), execution("j2", "QUEUED", 1, ",\"jobDocument\":{}")));
  CHECK(d.take_event().job_id == "j2");
}

TEST_CASE("an empty $next after a notify-next while idle is asked again once, then it is idle") {
  device d;
  d.connected();
  d.receive(jobs + "$next/get/accepted", described(d.take().token(), ""));
  CHECK(d.take_event().kind == seen::nothing);
  d.receive(jobs + "notify-next",
            "{\"timestamp\":1,\"execution\":" + execution("j2", "QUEUED", 1) + "}");
  const message ask = d.take();
  d.receive(jobs + "$next/get/accepted", described(ask.token(), ""));
  CHECK(d.events.empty());
  d.receive(jobs + "$next/get/accepted", described(ask.token(), ""));  // delivered twice
  CHECK(d.events.empty());
  CHECK(d.r.next_deadline() == d.now + 2s);
  d.advance(2s);
  const message again = d.take();
  d.receive(jobs + "$next/get/accepted", described(again.token(), ""));
  CHECK(d.take_event().kind == seen::nothing);
  d.advance(60s);
  CHECK(d.sent.empty());
  // A notify-next without an execution (the queue emptied) asks nothing.
  d.receive(jobs + "notify-next", "{\"timestamp\":2}");
  CHECK(d.sent.empty());
}

TEST_CASE("a job that ended here is not run again") {
  const std::string signed1 =
      R"({"url":"https://b.s3.amazonaws.com/f.bin?X-Amz-Date=20261201T000000Z&X-Amz-Expires=3600&X-Amz-Signature=aa"})";
  const std::string signed2 =
      R"({"url":"https://b.s3.amazonaws.com/f.bin?X-Amz-Date=20261201T000500Z&X-Amz-Expires=3600&X-Amz-Signature=bb"})";
  const std::string other = R"({"url":"https://b.s3.amazonaws.com/g.bin?X-Amz-Signature=aa"})";
  // Runs j1 with `first` to its end, then is handed `again` by a stale $next.
  const auto run_then = [&](const std::string& first, const std::string& again) {
    device d;
    d.connected();
    d.receive(jobs + "$next/get/accepted", described(d.take().token(), first));
    d.take_event();
    REQUIRE(d.report(update_status::succeeded) == error::ok);
    const message done = d.take();
    d.receive(jobs + "j1/update/accepted", applied(done.token(), "SUCCEEDED", 2));
    d.take_event();
    d.receive(jobs + "$next/get/accepted", described(d.take().token(), again));
    return d.take_event();
  };
  const auto with = [](std::string_view extra, std::string_view document) {
    return "{\"jobId\":\"j1\",\"status\":\"IN_PROGRESS\",\"versionNumber\":1" + std::string(extra) +
           ",\"jobDocument\":" + std::string(document) + "}";
  };
  // The same jobId and executionNumber: the same execution, whatever the document says.
  CHECK(run_then(with(",\"executionNumber\":1", doc), with(",\"executionNumber\":1", doc)).kind ==
        seen::nothing);
  // A retry of the job is a new execution: run.
  CHECK(run_then(with(",\"executionNumber\":1", doc), with(",\"executionNumber\":2", doc)).kind ==
        seen::started);
  // No executionNumber: the document decides, its presigned URLs' queries aside.
  CHECK(run_then(with("", signed1), with("", signed2)).kind == seen::nothing);
  CHECK(run_then(with("", signed1), with("", other)).kind == seen::started);
  // (documents::fingerprint, whose own cases are in test_documents.cpp.)
  CHECK(iotjobs::documents::fingerprint(signed1) == iotjobs::documents::fingerprint(signed2));
  // One delivery with an executionNumber, one without: not the same execution, as far as the
  // runner can tell (the service sends the number always, or never).
  rn::detail::execution_key one, two;
  one.id_size = two.id_size = 1;
  one.id[0] = two.id[0] = 'j';
  CHECK(one.same(two));
  one.execution_number = 1;
  CHECK_FALSE(one.same(two));
  two.execution_number = 1;
  two.fingerprint = 1;  // not looked at: the numbers decide
  CHECK(one.same(two));
}

TEST_CASE("leave: a job of someone else's is neither claimed nor reported, nor started again") {
  device d;
  CHECK(d.r.leave() == error::no_running_job);
  d.connected();
  // The application sees the job_started first and leaves it: the claim is never handed out.
  CHECK(d.r.receive(jobs + "$next/get/accepted",
                    described(d.take().token(),
                              execution("ota", "QUEUED", 1, ",\"jobDocument\":{\"afr_ota\":{}}")),
                    d.now) == error::ok);
  const auto e = d.r.next_event();
  REQUIRE(e);
  CHECK(std::get<rn::job_started>(*e).job_id == "ota");
  CHECK(d.r.leave() == error::ok);
  CHECK_FALSE(d.r.next_publish());
  CHECK_FALSE(d.r.running_job());
  CHECK_FALSE(d.r.next_deadline());  // nothing waits on the clock
  CHECK(d.report(update_status::succeeded) == error::no_running_job);
  CHECK(d.r.leave() == error::no_running_job);
  // A reconnect finds it first in the queue still: nothing pending for this device.
  d.connected();
  d.receive(jobs + "$next/get/accepted",
            described(d.take().token(), execution("ota", "QUEUED", 1, ",\"jobDocument\":{}")));
  CHECK(d.take_event().kind == seen::nothing);
  // Its owner ran it, and the next job is this device's.
  d.receive(jobs + "notify-next", "{\"timestamp\":1,\"execution\":" +
                                      execution("j2", "QUEUED", 1, ",\"jobDocument\":{}") + "}");
  d.receive(jobs + "$next/get/accepted",
            described(d.take().token(), execution("j2", "QUEUED", 1, ",\"jobDocument\":{}")));
  CHECK(d.take_event().job_id == "j2");
  CHECK(d.take().topic == jobs + "j2/update");  // claimed
  // An IN_PROGRESS job left after the application reported: its report is dropped.
  device r;
  r.connected();
  r.receive(jobs + "$next/get/accepted",
            described(r.take().token(), execution("j3", "IN_PROGRESS", 4, ",\"jobDocument\":{}")));
  CHECK(r.take_event().resumed);
  CHECK(r.report(update_status::in_progress, {{"step", "1"}}) == error::ok);
  CHECK(r.take().topic == jobs + "j3/update");
  CHECK(r.r.leave() == error::ok);
  CHECK(r.feed(jobs + "j3/update/accepted", applied("x", "IN_PROGRESS", 5)) == error::ok);
  CHECK(r.events.empty());  // its reply is no longer awaited
  CHECK(r.sent.empty());
}

TEST_CASE("the step timer: set by the claim, kept alive by the reports that ask") {
  rn::config c = config_for();
  c.step_timeout_in_minutes = 15;
  device d(c);
  const message claim = start_queued(d);
  CHECK(claim.payload.find("\"stepTimeoutInMinutes\":15,") != std::string::npos);
  d.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 2));
  REQUIRE(d.report(update_status::in_progress, {{"step", "1"}}, 15) == error::ok);
  CHECK(
      d.take().payload ==
      R"({"status":"IN_PROGRESS","statusDetails":{"step":"1"},"stepTimeoutInMinutes":15,"expectedVersion":2,"includeJobExecutionState":true,"executionNumber":1,"clientToken":"7b1dcdaf-3"})");
  CHECK(d.report(update_status::in_progress, {}, 0) == error::invalid_step_timeout);
}

TEST_CASE("a Greengrass namespace: its topics alone") {
  rn::config c = config_for();
  c.namespace_id = "aws-gg-deployment";
  device d(c);
  char buf[iotjobs::mqtt::device_filters_size];
  CHECK(d.r.subscriptions() == *iotjobs::mqtt::device_filters("dev1", buf, "aws-gg-deployment"));
  d.connected();
  const message ask = d.take();
  CHECK(ask.topic == jobs + "$next/namespace-aws-gg-deployment/get");
  // The plain topic's reply is not for this runner.
  d.receive(jobs + "$next/get/accepted", described(ask.token(), execution("j1", "QUEUED", 1)));
  CHECK(d.events.empty());
  d.receive(jobs + "$next/namespace-aws-gg-deployment/get/accepted",
            described(ask.token(), execution("j1", "QUEUED", 1)));
  CHECK(d.take_event().kind == seen::started);
  const message claim = d.take();
  CHECK(claim.topic == jobs + "j1/namespace-aws-gg-deployment/update");
  d.receive(jobs + "j1/namespace-aws-gg-deployment/update/accepted",
            applied(claim.token(), "IN_PROGRESS", 2));
  REQUIRE(d.report(update_status::succeeded) == error::ok);
  const message done = d.take();
  d.receive(jobs + "j1/namespace-aws-gg-deployment/update/accepted",
            applied(done.token(), "SUCCEEDED", 3));
  CHECK(d.take_event().reported);
}

TEST_CASE("after a reconnect it asks where things stand") {
  SUBCASE("a request in flight is sent again") {
    device d;
    const message claim = start_queued(d);
    d.connected();
    CHECK(d.take().payload == claim.payload);
  }
  SUBCASE("idle: $next, which finds a job queued while the device was away") {
    device d;
    d.connected();
    d.receive(jobs + "$next/get/accepted", described(d.take().token(), ""));
    d.take_event();
    d.connected();
    const message ask = d.take();
    CHECK(ask.topic == jobs + "$next/get");
    d.receive(jobs + "$next/get/accepted", described(ask.token(), execution("j3", "QUEUED", 1)));
    CHECK(d.take_event().job_id == "j3");
  }
  SUBCASE("a job at work: it is described by its id, and a cancel meanwhile ends it") {
    device d;
    const message claim = start_queued(d);
    d.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 2));
    d.connected();
    const message ask = d.take();
    CHECK(ask.topic == jobs + "j1/get");
    d.receive(jobs + "j1/get/rejected", rejected(ask.token(), "TerminalStateReached"));
    const seen e = d.take_event();
    CHECK(e.kind == seen::ended);
    CHECK(e.code == rejection_code::terminal_state_reached);
  }
  SUBCASE("a job at work that still runs carries on, at the version the service gives") {
    device d;
    const message claim = start_queued(d);
    d.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 2));
    d.connected();
    d.receive(jobs + "j1/get/accepted",
              described(d.take().token(), execution("j1", "IN_PROGRESS", 5)));
    CHECK(d.events.empty());
    REQUIRE(d.report(update_status::succeeded) == error::ok);
    CHECK(d.take().payload.find("\"expectedVersion\":5") != std::string::npos);
  }
}

TEST_CASE("a notify that no longer lists the running job: asked, and ended when it has") {
  device d;
  const message claim = start_queued(d);
  d.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 2));
  // Still listed: nothing to ask.
  d.receive(jobs + "notify", R"({"timestamp":1,"jobs":{"IN_PROGRESS":[{"jobId":"j1"}]}})");
  CHECK(d.sent.empty());
  d.receive(jobs + "notify", R"({"timestamp":2,"jobs":{}})");
  const message ask = d.take();
  CHECK(ask.topic == jobs + "j1/get");
  d.receive(jobs + "j1/get/accepted", described(ask.token(), execution("j1", "CANCELED", 3)));
  const seen e = d.take_event();
  CHECK(e.kind == seen::ended);
  CHECK(e.status == job_execution_status::canceled);
  CHECK_FALSE(e.code);

  // While a report is in flight, the question waits for its reply, which may tell as much.
  device busy;
  const message c2 = start_queued(busy);
  busy.receive(jobs + "notify", R"({"timestamp":2,"jobs":{}})");
  CHECK(busy.sent.empty());
  busy.receive(jobs + "j1/update/accepted", applied(c2.token(), "IN_PROGRESS", 2));
  CHECK(busy.take().topic == jobs + "j1/get");
  // Idle, a notify that lists a job asks for it.
  device idle;
  idle.connected();
  idle.receive(jobs + "$next/get/accepted", described(idle.take().token(), ""));
  idle.take_event();
  idle.receive(jobs + "notify", R"({"timestamp":3,"jobs":{"QUEUED":[{"jobId":"j9"}]}})");
  CHECK(idle.take().topic == jobs + "$next/get");
}

TEST_CASE("report: refused with a named error, and nothing kept") {
  device d;
  CHECK(d.report(update_status::succeeded) == error::no_running_job);
  const message claim = start_queued(d);
  // While the claim is in flight, reports wait behind it; the latest replaces the one waiting.
  CHECK(d.report(update_status::in_progress, {{"step", "1"}}) == error::ok);
  CHECK(d.report(update_status::in_progress, {{"step", "2"}}) == error::ok);
  // Refused, and the waiting report untouched.
  CHECK(d.report(update_status::in_progress, {{"bad key", "x"}}) ==
        error::invalid_status_details_key);
  CHECK(d.report(update_status::in_progress, {{"k", ""}}) == error::invalid_status_details_value);
  CHECK(d.report(update_status::in_progress, {{"k", "a"}, {"k", "b"}}) == error::duplicate_key);
  const std::string big(1000, 'x');  // four of them pass max_report_size (4096)
  CHECK(d.report(update_status::in_progress, {{"k", big}, {"l", big}, {"m", big}, {"n", big}}) ==
        error::buffer_too_small);
  CHECK(d.sent.empty());
  d.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 2));
  const message second = d.take();
  CHECK(second.payload.find(R"("statusDetails":{"step":"2"})") != std::string::npos);
  // A final report is the last.
  CHECK(d.report(update_status::succeeded) == error::ok);
  CHECK(d.report(update_status::failed) == error::no_running_job);
  CHECK(d.report(update_status::in_progress) == error::no_running_job);
  d.receive(jobs + "j1/update/accepted", applied(second.token(), "IN_PROGRESS", 3));
  CHECK(d.take_event().kind == seen::accepted);
  CHECK(d.take().payload.find("SUCCEEDED") != std::string::npos);
}

TEST_CASE("messages the runner does not wait for change nothing") {
  device d;
  d.connected();
  const message ask = d.take();
  // While $next is asked: an update's replies, other kinds of topic, requests, another token.
  d.receive(jobs + "j1/update/accepted", applied(ask.token(), "IN_PROGRESS", 2));
  d.receive(jobs + "j1/update/rejected", rejected(ask.token(), "InvalidRequest"));
  d.receive(jobs + "get/accepted", "{\"clientToken\":\"" + ask.token() + "\"}");
  d.receive(jobs + "start-next/accepted", described(ask.token(), execution("j1", "QUEUED", 1)));
  d.receive(jobs + "j1/update", "{\"status\":\"SUCCEEDED\"}");
  d.receive(jobs + "$next/get/rejected", rejected("other", "InvalidRequest"));
  d.receive(jobs + "j1/get/accepted", described(ask.token(), execution("j1", "QUEUED", 1)));
  CHECK(d.feed(jobs + "$next/get/accepted", "{\"execution\":") == error::invalid_json);
  CHECK(d.feed(jobs + "notify", "{\"jobs\":[]}") == error::wrong_type);
  // A notify-next while $next is in flight asks nothing more.
  d.receive(jobs + "notify-next",
            "{\"timestamp\":1,\"execution\":" + execution("j1", "QUEUED", 1) + "}");
  d.receive(jobs + "notify", R"({"timestamp":1,"jobs":{"QUEUED":[{"jobId":"j1"}]}})");
  CHECK(d.events.empty());
  CHECK(d.sent.empty());
  // A $next that is not runnable (AWS lists only QUEUED and IN_PROGRESS ones) is nothing pending,
  // once asked again: the notify-next above announced a job.
  d.receive(jobs + "$next/get/accepted", described(ask.token(), execution("j1", "TIMED_OUT", 3)));
  CHECK(d.events.empty());
  d.advance(2s);
  d.receive(jobs + "$next/get/accepted",
            described(d.take().token(), execution("j1", "SUCCEEDED", 3)));
  CHECK(d.take_event().kind == seen::nothing);
  // Idle: replies to nothing.
  d.receive(jobs + "$next/get/accepted", described(ask.token(), execution("j1", "QUEUED", 1)));
  d.receive(jobs + "notify", R"({"timestamp":2,"jobs":{}})");
  CHECK(d.events.empty());
  CHECK(d.sent.empty());
}

TEST_CASE("rejections of a describe: refused, or the job's end") {
  const auto refused_next = [](std::string_view code) {
    device d;
    d.connected();
    d.receive(jobs + "$next/get/rejected", rejected(d.take().token(), code));
    return d.take_event();
  };
  // Codes about an execution, given for `$next`: the service says something it cannot mean.
  CHECK(refused_next("VersionMismatch").code == rejection_code::version_mismatch);
  CHECK(refused_next("InvalidStateTransition").kind == seen::refused);
  CHECK(refused_next("ResourceNotFound").kind == seen::refused);

  device d;
  const message claim = start_queued(d);
  d.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 2));
  SUBCASE("the running job described, without an execution: gone") {
    d.connected();
    d.receive(jobs + "j1/get/accepted", described(d.take().token(), ""));
    const seen e = d.take_event();
    CHECK(e.kind == seen::ended);
    CHECK(e.status == job_execution_status::unknown);
    CHECK_FALSE(e.code);
  }
  SUBCASE("the running job's check refused: the job goes on") {
    d.connected();
    d.receive(jobs + "j1/get/rejected", rejected(d.take().token(), "InvalidRequest"));
    CHECK(d.take_event().kind == seen::refused);
    REQUIRE(d.report(update_status::succeeded) == error::ok);
    CHECK(d.take().payload.find("SUCCEEDED") != std::string::npos);
  }
  SUBCASE("a repair refused: the final report may be given again") {
    REQUIRE(d.report(update_status::succeeded) == error::ok);
    const message done = d.take();
    d.receive(jobs + "j1/update/rejected", rejected(done.token(), "VersionMismatch"));
    const message ask = d.take();
    CHECK(ask.topic == jobs + "j1/get");
    d.receive(jobs + "j1/get/rejected", rejected(ask.token(), "InvalidRequest"));
    CHECK(d.take_event().kind == seen::refused);
    CHECK(d.report(update_status::failed) == error::ok);
  }
  SUBCASE("a repair that finds the job ended") {
    REQUIRE(d.report(update_status::in_progress) == error::ok);
    d.receive(jobs + "j1/update/rejected", rejected(d.take().token(), "VersionMismatch"));
    d.receive(jobs + "j1/get/rejected", rejected(d.take().token(), "ResourceNotFound"));
    CHECK(d.take_event().code == rejection_code::resource_not_found);
  }
}

TEST_CASE("the version an update leaves, when the reply does not say it") {
  device d;
  const message claim = start_queued(d);
  // Accepted without executionState: expectedVersion + 1.
  d.receive(jobs + "j1/update/accepted",
            "{\"timestamp\":1,\"clientToken\":\"" + claim.token() + "\"}");
  REQUIRE(d.report(update_status::in_progress) == error::ok);
  const message first = d.take();
  CHECK(first.payload.find("\"expectedVersion\":2") != std::string::npos);
  // A VersionMismatch whose state has no version cannot show the update applied: sent again.
  d.receive(jobs + "j1/update/rejected",
            rejected(first.token(), "VersionMismatch", R"({"status":"IN_PROGRESS"})"));
  const message again = d.take();
  CHECK(again.payload.find("\"expectedVersion\"") == std::string::npos);
  CHECK(again.token() != first.token());
}

TEST_CASE("notify-next while a job runs") {
  device d;
  const message claim = start_queued(d);
  d.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 2));
  // The job itself is next: all is well.
  d.receive(jobs + "notify-next",
            "{\"timestamp\":1,\"execution\":" + execution("j1", "IN_PROGRESS", 2) + "}");
  CHECK(d.sent.empty());
  // Nothing is next: the job may be over.
  d.receive(jobs + "notify-next", "{\"timestamp\":2}");
  const message ask = d.take();
  CHECK(ask.topic == jobs + "j1/get");
  d.receive(jobs + "j1/get/accepted", described(ask.token(), execution("j1", "IN_PROGRESS", 2)));
  // No job was announced: an empty $next after this job is nothing pending at once.
  REQUIRE(d.report(update_status::succeeded) == error::ok);
  d.receive(jobs + "j1/update/accepted", applied(d.take().token(), "SUCCEEDED", 3));
  d.take_event();
  d.receive(jobs + "$next/get/accepted", described(d.take().token(), ""));
  CHECK(d.take_event().kind == seen::nothing);
}

static_assert(std::is_nothrow_move_constructible_v<rn::job_runner> &&
              std::is_nothrow_move_assignable_v<rn::job_runner> &&
              !std::is_copy_constructible_v<rn::job_runner>);

TEST_CASE("create refuses timings it cannot add to an instant") {
  rn::config c = config_for();
  c.reply_timeout = 0ms;
  CHECK(rn::job_runner::create(c).error() == error::invalid_timing);
  c = config_for();
  c.retry_delay = 10s;
  c.max_retry_delay = 5s;  // below the first
  CHECK(rn::job_runner::create(c).error() == error::invalid_timing);
  c = config_for();
  c.max_retry_delay = std::chrono::milliseconds::max();
  CHECK(rn::job_runner::create(c).error() == error::invalid_timing);
  c = config_for();
  c.empty_next_delay = -1ms;
  CHECK(rn::job_runner::create(c).error() == error::invalid_timing);
  c.empty_next_delay = 0ms;  // ask again at once
  CHECK(rn::job_runner::create(c));
  c.reply_timeout = std::chrono::hours(24 * 7);
  c.max_retry_delay = std::chrono::hours(24 * 7);
  CHECK(rn::job_runner::create(c));
}

TEST_CASE("a reply that cannot be read, three times in a row, gives the request up") {
  std::string deep = "{\"a\":";
  for (int i = 0; i < 70; ++i)
    deep += "[";
  device d;
  d.connected();
  const message ask = d.take();
  const std::string poison =
      described(ask.token(), execution("j1", "QUEUED", 1, ",\"jobDocument\":" + deep));
  for (int i = 0; i < 2; ++i) {
    CHECK(d.feed(jobs + "$next/get/accepted", poison) != error::ok);
    CHECK(d.events.empty());
    d.advance(5s);
    CHECK(d.take().payload == ask.payload);  // asked again
  }
  CHECK(d.feed(jobs + "$next/get/accepted", poison) != error::ok);
  const seen e = d.take_event();
  CHECK(e.kind == seen::refused);
  CHECK(e.job_id.empty());
  CHECK_FALSE(d.r.next_deadline());  // until a notify-next or a reconnect

  // About the running job: refused, and the job goes on.
  device j;
  const message claim = start_queued(j);
  j.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 2));
  REQUIRE(j.report(update_status::succeeded) == error::ok);
  const message done = j.take();
  for (int i = 0; i < 3; ++i)
    CHECK(j.feed(jobs + "j1/update/rejected", "{\"code\":") == error::invalid_json);
  const seen r = j.take_event();
  CHECK(r.kind == seen::refused);
  CHECK(r.job_id == "j1");
  CHECK(j.r.running_job() == "j1");
  CHECK(j.report(update_status::failed) == error::ok);  // the final report may be given again
}

TEST_CASE("an accepted reply that contradicts its update answers another one") {
  device d;
  const message claim = start_queued(d);
  // The claim's token, but the state of some other update (a run of the device before this one,
  // with the same seed): not this reply.
  d.receive(jobs + "j1/update/accepted", applied(claim.token(), "SUCCEEDED", 2));
  d.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 7));
  CHECK(d.events.empty());
  CHECK(d.r.next_deadline());
  d.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 2));
  CHECK_FALSE(d.r.next_deadline());
}

TEST_CASE("rejections that would end a job, with the execution still on: refused, not ended") {
  device d;
  const message claim = start_queued(d);
  d.receive(jobs + "j1/update/rejected",
            rejected(claim.token(), "InvalidStateTransition", state("IN_PROGRESS", 5)));
  const seen e = d.take_event();
  CHECK(e.kind == seen::refused);
  CHECK(e.code == rejection_code::invalid_state_transition);
  CHECK(d.r.running_job() == "j1");
}

TEST_CASE("versions at the end of int64 do not overflow") {
  device d;
  d.connected();
  d.receive(
      jobs + "$next/get/accepted",
      described(d.take().token(),
                "{\"jobId\":\"j1\",\"status\":\"QUEUED\",\"versionNumber\":9223372036854775807,"
                "\"executionNumber\":1}"));
  d.take_event();
  const message claim = d.take();
  // Accepted without a state: the version that follows is not known.
  d.receive(jobs + "j1/update/accepted", "{\"clientToken\":\"" + claim.token() + "\"}");
  REQUIRE(d.report(update_status::succeeded) == error::ok);
  CHECK(d.take().payload.find("expectedVersion") == std::string::npos);
}

TEST_CASE("a retry of the running job (its next execution) in a notify is not the running one") {
  device d;
  const message claim = start_queued(d);
  d.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 2));
  d.receive(jobs + "notify",
            R"({"timestamp":1,"jobs":{"QUEUED":[{"jobId":"j1","executionNumber":2}]}})");
  CHECK(d.take().topic == jobs + "j1/get");
}

TEST_CASE("a job described as gone without a word of its end is run if handed over again") {
  device d;
  const message claim = start_queued(d);
  d.receive(jobs + "j1/update/accepted", applied(claim.token(), "IN_PROGRESS", 2));
  d.connected();
  d.receive(jobs + "j1/get/accepted", described(d.take().token(), ""));
  CHECK(d.take_event().kind == seen::ended);
  d.receive(jobs + "$next/get/accepted",
            described(d.take().token(), execution("j1", "IN_PROGRESS", 2)));
  const seen e = d.take_event();
  CHECK(e.kind == seen::started);
  CHECK(e.resumed);
}

TEST_CASE("a Jobs message that does not decode is an error, and changes nothing") {
  device d;
  const message claim = start_queued(d);
  CHECK(d.feed(jobs + "j1/update/accepted", "{\"executionState\":") == error::invalid_json);
  CHECK(d.feed(jobs + "notify-next", "[]") == error::wrong_type);
  CHECK(d.feed(jobs + "j1/update/rejected", "{\"clientToken\":\"" + claim.token() + "\"}") ==
        error::missing_field);
  CHECK(d.events.empty());
  CHECK(d.sent.empty());
  d.advance(5s);
  CHECK(d.take().payload == claim.payload);  // still waiting for its reply

  // A `$next` naming a job by an id no update could carry: refused, and asked again later.
  device e;
  e.connected();
  const message ask = e.take();
  CHECK(e.feed(jobs + "$next/get/accepted",
               described(ask.token(), execution("j/1", "QUEUED", 1))) == error::invalid_job_id);
  CHECK(e.events.empty());
  CHECK_FALSE(e.r.running_job());
  e.advance(5s);
  CHECK(e.take().payload == ask.payload);
}

TEST_CASE("events left undrained are dropped by the next input") {
  device d;
  d.r.connected(d.now);
  REQUIRE(d.r.next_publish());
  const std::string token = "7b1dcdaf-1";
  CHECK(d.r.receive(jobs + "$next/get/accepted", described(token, ""), d.now) == error::ok);
  d.r.tick(d.now);
  CHECK_FALSE(d.r.next_event());
}

}  // namespace test_runner
