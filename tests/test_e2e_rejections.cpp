// Every rejection the emulator sends, through a broker: the emulator on one client, a device on
// another, each request published and its reply awaited as a device would. Over the in-process
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
  REQUIRE(emulator.add_job("e2e-thing", {"job-1", R"({"op":"x"})", {}}) == error::ok);
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
