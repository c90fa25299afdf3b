// Every rejection the emulator sends, and each behaviour it shares with the service, through a
// broker: the emulator on one client, a device on another, each request published and its reply
// awaited as a device would. Over the in-process
// broker by default; with IOTJOBS_BROKER=HOST:PORT (tests/e2e/e2e_mosquitto.py sets it), through
// that broker.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <thread>

#include "../tools/emulator/emulator.hpp"
#include "../tools/mqtt/loopback.hpp"
#ifdef IOTJOBS_HAVE_MOSQUITTO
#include "../tools/mqtt/mosquitto.hpp"
#endif

using namespace iotjobs;

namespace {

std::unique_ptr<iotjobs_mqtt::transport> connect(iotjobs_mqtt::loopback_broker& loop,
                                                 const std::string& client_id) {
  const char* broker = std::getenv("IOTJOBS_BROKER");
  if (broker == nullptr) return loop.connect();
#ifdef IOTJOBS_HAVE_MOSQUITTO
  const std::string address = broker;
  const std::size_t colon = address.rfind(':');
  std::string error;
  auto c = iotjobs_mqtt::mosquitto_client::connect(
      address.substr(0, colon), std::atoi(address.c_str() + colon + 1), client_id, error);
  REQUIRE_MESSAGE(c, error);
  REQUIRE(c->wait_connected(std::chrono::seconds(10)));
  return c;
#else
  FAIL("IOTJOBS_BROKER is set, but this build has no libmosquitto");
  return nullptr;
#endif
}

// A device's side: publishes a request and waits for the reply on <topic>/accepted|rejected.
struct device {
  iotjobs_mqtt::transport& link;
  decoder dec;

  std::string ask(const std::string& topic, std::string_view payload, bool& accepted) {
    link.publish(topic, payload);
    std::string reply;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (reply.empty() && std::chrono::steady_clock::now() < deadline) {
      link.poll(std::chrono::milliseconds(50), [&](std::string_view t, std::string_view p) {
        if (t == topic + "/accepted" || t == topic + "/rejected") {
          accepted = t == topic + "/accepted";
          reply = std::string(p);
        }
      });
    }
    REQUIRE_MESSAGE(!reply.empty(), "no reply on " << topic);
    return reply;
  }
  void accepted(const std::string& topic, std::string_view payload) {
    bool ok = false;
    const std::string reply = ask(topic, payload, ok);
    CHECK_MESSAGE(ok, topic << ": " << reply);
  }
  rejection_code rejected(const std::string& topic, std::string_view payload) {
    bool ok = true;
    const std::string reply = ask(topic, payload, ok);
    CHECK_FALSE_MESSAGE(ok, topic << ": " << reply);
    const auto r = dec.decode(iotjobs::mqtt::rejected, reply);
    REQUIRE(r);
    return r->code;
  }
};

}  // namespace

TEST_CASE("through a broker: every rejection code a device can meet") {
  iotjobs_mqtt::loopback_broker loop;
  auto service_link = connect(loop, "e2e-emulator");
  auto device_link = connect(loop, "e2e-device");
  iotjobs_emulator::jobs_emulator emulator(
      [&](std::string_view t, std::string_view p) { service_link->publish(t, p); },
      [] { return static_cast<std::int64_t>(std::time(nullptr)); });
  REQUIRE(emulator.add_job("e2e-thing", {"job-1", R"({"op":"x"})", {}, {}}) == error::ok);
  service_link->subscribe(iotjobs_emulator::jobs_emulator::subscription);
  REQUIRE(service_link->wait_subscribed(std::chrono::seconds(10)));
  std::atomic<bool> stop{false};
  std::thread service([&] { iotjobs_emulator::serve(emulator, *service_link, stop); });

  device d{*device_link, {}};
  d.link.subscribe("$aws/things/e2e-thing/jobs/#");
  REQUIRE(d.link.wait_subscribed(std::chrono::seconds(10)));
  const std::string base = "$aws/things/e2e-thing/jobs/";
  CHECK(d.rejected(base + "job-1/fetch", "{}") == rejection_code::invalid_topic);
  CHECK(d.rejected(base + "get", "{\"clientToken\":") == rejection_code::invalid_json);
  CHECK(d.rejected(base + "job-1/update", R"({"status":"QUEUED"})") ==
        rejection_code::invalid_request);
  CHECK(d.rejected(base + "job-2/update", R"({"status":"FAILED"})") ==
        rejection_code::resource_not_found);
  d.accepted(base + "start-next", "{}");
  CHECK(d.rejected(base + "job-1/update", R"({"status":"IN_PROGRESS","expectedVersion":1})") ==
        rejection_code::version_mismatch);
  d.accepted(base + "job-1/update", R"({"status":"SUCCEEDED","expectedVersion":"2"})");
  CHECK(d.rejected(base + "job-1/update", R"({"status":"IN_PROGRESS"})") ==
        rejection_code::invalid_state_transition);
  CHECK(d.rejected(base + "job-1/get", "{}") == rejection_code::terminal_state_reached);
  stop = true;
  service.join();
  CHECK(emulator.find("e2e-thing", "job-1")->version_number == 3);
  CHECK(emulator.stats().updates_applied == 2);
}

// The behaviours of the emulator that follow the service (tools/emulator/emulator.hpp), each
// through the broker; the clock is the test's, so that timers run out on demand.
TEST_CASE("through a broker: the emulator behaves like the service") {
  iotjobs_mqtt::loopback_broker loop;
  auto service_link = connect(loop, "e2e-emulator-2");
  auto device_link = connect(loop, "e2e-device-2");
  std::atomic<std::int64_t> now{1000};
  iotjobs_emulator::jobs_emulator emulator(
      [&](std::string_view t, std::string_view p) { service_link->publish(t, p); },
      [&] { return now.load(); });
  // All jobs before the emulator's thread starts: 12 on one thing, the first with a one-minute
  // in-progress timeout and a 30 000-byte document; one in a Greengrass namespace.
  const std::string big_document = R"({"blob":")" + std::string(30000, 'd') + R"("})";
  REQUIRE(emulator.add_job("e2e-t", {"job-0", big_document, 1, {}}) == error::ok);
  for (int i = 1; i < 12; ++i)
    REQUIRE(emulator.add_job("e2e-t", {"job-" + std::to_string(i), "{}", {}, {}}) == error::ok);
  REQUIRE(emulator.add_job("e2e-t", {"deploy", "{}", {}, "aws-gg-deployment"}) == error::ok);
  service_link->subscribe(iotjobs_emulator::jobs_emulator::subscription);
  REQUIRE(service_link->wait_subscribed(std::chrono::seconds(10)));
  std::atomic<bool> stop{false};
  std::thread service([&] { iotjobs_emulator::serve(emulator, *service_link, stop); });

  device d{*device_link, {}};
  d.link.subscribe("$aws/things/e2e-t/jobs/#");
  REQUIRE(d.link.wait_subscribed(std::chrono::seconds(10)));
  const std::string base = "$aws/things/e2e-t/jobs/";
  bool ok = false;

  // executionNumber per (thing, job): each job's first execution is 1.
  for (const char* job : {"job-1", "job-2", "job-3"}) {
    const auto r = d.dec.decode(iotjobs::mqtt::describe_accepted,
                                d.ask(base + job + "/get", R"({"executionNumber":1})", ok));
    CHECK(ok);
    REQUIRE(r);
    CHECK(r->execution->execution_number == 1);
  }
  // At most 10 pending executions listed, in queue order.
  const auto pending =
      d.dec.decode(iotjobs::mqtt::get_pending_accepted, d.ask(base + "get", "{}", ok));
  REQUIRE(pending);
  CHECK(pending->queued_jobs.size() == 10);
  CHECK(pending->queued_jobs[9].job_id == "job-9");
  // The clientToken of a request that failed typed decoding comes back.
  const std::string reply =
      d.ask(base + "job-1/update", R"({"status":"QUEUED","clientToken":"c13"})", ok);
  CHECK_FALSE(ok);
  CHECK(d.dec.decode(iotjobs::mqtt::rejected, reply)->client_token == "c13");
  // A request whose result would not fit a reply is InvalidRequest: 100 KB of statusDetails on
  // job-0's 30 KB document.
  std::string details;
  for (int i = 0; i < 100; ++i)
    details += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":\"" + std::string(1000, 'v') + "\"";
  CHECK(d.rejected(base + "job-0/update", R"({"status":"IN_PROGRESS","statusDetails":{)" + details +
                                              "}}") == rejection_code::invalid_request);
  // The in-progress timeout runs from the first move to IN_PROGRESS, by an update here, and an
  // update's -1 cancels only the step timer.
  d.accepted(base + "job-0/update", R"({"status":"IN_PROGRESS","stepTimeoutInMinutes":5})");
  d.accepted(base + "job-0/update", R"({"status":"IN_PROGRESS","stepTimeoutInMinutes":-1})");
  now += 61;
  // The emulator's loop ticks every 20 ms: wait for the notify that job-0 left the list; it
  // lists 10 of the 11 pending executions.
  const auto notify_after_timeout = [&] {
    std::string notified;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (notified.empty() && std::chrono::steady_clock::now() < deadline) {
      d.link.poll(std::chrono::milliseconds(50), [&](std::string_view t, std::string_view p) {
        if (t == base + "notify") notified = std::string(p);
      });
    }
    REQUIRE_MESSAGE(!notified.empty(), "no notify after the timeout");
    const auto n = d.dec.decode(iotjobs::mqtt::notify, notified);
    REQUIRE(n);
    return n->find(job_execution_status::queued).size();
  };
  CHECK(notify_after_timeout() == 10);
  CHECK(d.rejected(base + "job-0/get", "{}") == rejection_code::terminal_state_reached);
  // The step timer from StartNext: job-1 times out a minute later.
  d.accepted(base + "start-next", R"({"stepTimeoutInMinutes":1})");
  now += 61;
  CHECK(notify_after_timeout() == 10);  // job-2 to job-11
  CHECK(d.rejected(base + "job-1/get", "{}") == rejection_code::terminal_state_reached);
  // A Greengrass namespace's execution, on its own topics only.
  CHECK(d.rejected(base + "deploy/get", "{}") == rejection_code::resource_not_found);
  d.accepted(base + "deploy/namespace-aws-gg-deployment/update", R"({"status":"SUCCEEDED"})");
  stop = true;
  service.join();
  CHECK(emulator.find("e2e-t", "job-0")->status == job_execution_status::timed_out);
  CHECK(emulator.find("e2e-t", "job-1")->status == job_execution_status::timed_out);
  CHECK(emulator.find("e2e-t", "deploy", "aws-gg-deployment")->status ==
        job_execution_status::succeeded);
}
