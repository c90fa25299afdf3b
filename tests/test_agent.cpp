// The device agent (examples/device_agent.cpp) against the emulator over the in-process broker,
// in the situations the demo's happy path does not meet: nothing pending, then a job arriving;
// a job timing out under it; a plan that cannot be sent; a document that breaks its schema.
#include "../examples/device_agent.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../tools/emulator/emulator.hpp"
#include "../tools/mqtt/loopback.hpp"

using namespace iotjobs;
using job_status = job_execution_status;

namespace {

// The emulator on its own thread, with a clock the test moves.
struct jobs_service {
  iotjobs_mqtt::loopback_broker broker;
  std::unique_ptr<iotjobs_mqtt::transport> link = broker.connect();
  std::atomic<std::int64_t> now{1000};
  iotjobs_emulator::jobs_emulator emulator{
      [this](std::string_view t, std::string_view p) { link->publish(t, p); },
      [this] { return now.load(); }};
  std::atomic<bool> stop{false};
  std::thread thread;

  // Jobs are queued before the thread starts, or through `queue` (on the emulator's thread).
  void start() {
    link->subscribe(iotjobs_emulator::jobs_emulator::subscription);
    thread = std::thread([this] { iotjobs_emulator::serve(emulator, *link, stop); });
  }
  ~jobs_service() {
    stop = true;
    if (thread.joinable()) thread.join();
  }
};

device::job_plan steps(int n, std::chrono::milliseconds work = std::chrono::milliseconds(0)) {
  device::job_plan plan;
  for (int i = 0; i < n; ++i)
    plan.progress.push_back({{"step", std::to_string(i + 1)}});
  plan.work = work;
  return plan;
}

template <class Done>
void run(device::agent& a, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done() && std::chrono::steady_clock::now() < deadline)
    a.step(std::chrono::milliseconds(10));
  REQUIRE(done());
}

}  // namespace

TEST_CASE("agent: nothing pending is normal; a job queued later arrives by notify-next") {
  jobs_service s;
  s.start();
  auto link = s.broker.connect();
  device::agent a("thing-a", *link, [](std::string_view, const iotjobs::documents::document_view&) {
    return steps(1);
  });
  REQUIRE(a.start() == error::ok);
  run(a, [&] { return a.stats().nothing_pending == 1 && a.idle(); });
  // Queue a job from outside the emulator's thread: stop it, queue, start again.
  s.stop = true;
  s.thread.join();
  s.stop = false;
  REQUIRE(s.emulator.add_job("thing-a", {"late", "{}", {}, {}}) ==
          error::ok);  // publishes notify-next
  s.thread = std::thread([&] { iotjobs_emulator::serve(s.emulator, *s.link, s.stop); });
  run(a, [&] { return a.finished().size() == 1; });
  CHECK(a.finished()[0].job_id == "late");
  CHECK(a.finished()[0].status == job_status::succeeded);
  CHECK(a.finished()[0].version_number == 4);  // queued 1, started 2, one step 3, done 4
}

TEST_CASE("agent: a job that times out under it ends, and the next one starts") {
  jobs_service s;
  REQUIRE(s.emulator.add_job("thing-b", {"slow", "{}", 1, {}}) == error::ok);  // 1 minute to run
  REQUIRE(s.emulator.add_job("thing-b", {"next", "{}", {}, {}}) == error::ok);
  s.start();
  auto link = s.broker.connect();
  device::agent a(
      "thing-b", *link, [](std::string_view job, const iotjobs::documents::document_view&) {
        return steps(
            2, job == "slow" ? std::chrono::milliseconds(1000) : std::chrono::milliseconds(0));
      });
  REQUIRE(a.start() == error::ok);
  run(a, [&] { return a.stats().published == 2; });             // $next, then the claim of "slow"
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the emulator applies the claim
  s.now += 120;  // the emulator's next tick times "slow" out while the device works
  run(a, [&] { return a.finished().size() == 2; });
  CHECK(a.finished()[0].job_id == "slow");
  // The agent learns that the job ended without it; how, the service tells only when asked by an
  // update (a describe of an ended execution is TerminalStateReached, saying no status).
  CHECK_FALSE(a.finished()[0].reported);
  const iotjobs_emulator::execution* slow = s.emulator.find("thing-b", "slow");
  REQUIRE(slow);
  CHECK(slow->status == job_status::timed_out);
  CHECK(a.finished()[1].job_id == "next");
  CHECK(a.finished()[1].status == job_status::succeeded);
}

TEST_CASE("agent: a plan whose statusDetails cannot be sent fails its job, saying why") {
  jobs_service s;
  REQUIRE(s.emulator.add_job("thing-c", {"bad", "{}", {}, {}}) == error::ok);
  s.start();
  auto link = s.broker.connect();
  device::agent a("thing-c", *link, [](std::string_view, const iotjobs::documents::document_view&) {
    device::job_plan plan;
    plan.progress.push_back({{"not a key", "v"}});
    return plan;
  });
  REQUIRE(a.start() == error::ok);
  run(a, [&] { return a.finished().size() == 1; });
  CHECK(a.finished()[0].status == job_status::failed);
  s.stop = true;
  s.thread.join();
  const iotjobs_emulator::execution* x = s.emulator.find("thing-c", "bad");
  REQUIRE(x);
  CHECK(x->status == job_status::failed);
  REQUIRE(x->status_details.size() == 1);
  CHECK(x->status_details[0].second == "invalid_status_details_key");
}

TEST_CASE("agent: the handler sees the document's typed view; a broken one is REJECTED unseen") {
  jobs_service s;
  REQUIRE(s.emulator.add_job(
              "thing-d",
              {"broken", R"({"version":"1.0","steps":[{"action":{"name":"x"}}]})", {}, {}}) ==
          error::ok);
  REQUIRE(
      s.emulator.add_job("thing-d", {"reboot",
                                     R"({"version":"1.0","steps":[{"action":{"name":"Reboot",)"
                                     R"("type":"runHandler","input":{"handler":"reboot.sh"}}}]})",
                                     {},
                                     {}}) == error::ok);
  s.start();
  auto link = s.broker.connect();
  std::vector<std::string> seen;
  device::agent a(
      "thing-d", *link, [&](std::string_view job, const iotjobs::documents::document_view& doc) {
        seen.push_back(std::string(job) + " " + std::string(to_string(doc.kind)));
        if (doc.device_client())
          seen.back() += " " + std::string(to_string(doc.device_client()->aws_template));
        return steps(1);
      });
  REQUIRE(a.start() == error::ok);
  run(a, [&] { return a.finished().size() == 2; });
  CHECK(a.finished()[0].status == job_status::rejected);
  CHECK(a.finished()[1].status == job_status::succeeded);
  CHECK(seen == std::vector<std::string>{"reboot device_client AWS-Reboot"});
  s.stop = true;
  s.thread.join();
  const iotjobs_emulator::execution* x = s.emulator.find("thing-d", "broken");
  REQUIRE(x);
  CHECK(x->status == job_status::rejected);
  CHECK(x->status_details == std::vector<std::pair<std::string, std::string>>{
                                 {"error", "missing_field"}, {"member", "type"}});
}
