// The Jobs emulator and device agents, end to end: every agent runs every job queued for its
// thing to SUCCEEDED, reporting two progress steps first: the steps of its Device Client
// document, read through iotjobs/documents.hpp. In-process by default (a loopback
// broker, no network); with --broker HOST:PORT, through a real MQTT broker such as mosquitto.
// It checks the outcome (every job SUCCEEDED at versionNumber 5, every update applied once),
// prints the message rate and round-trip latencies, and exits 0 only when all is well.
//
//   jobs_demo [--broker HOST:PORT [--agents-only]] [--things N] [--jobs M] [--work MS]
//             [--timeout SECONDS] [--quiet]
// --agents-only: the agents alone, against an emulator already on the broker (`iotjobs emulate`
//   with N things named thing-001... and M jobs each); the checks are the agents' side alone.
// --work: how long each of a job's three steps takes on the device (0 by default).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "../tools/emulator/emulator.hpp"
#include "../tools/mqtt/loopback.hpp"
#ifdef IOTJOBS_HAVE_MOSQUITTO
#include "../tools/mqtt/mosquitto.hpp"
#endif
#include "device_agent.hpp"

namespace {

struct options {
  std::string broker;  // empty: in-process
  int things = 2;
  int jobs = 3;
  int timeout_s = 60;
  int work_ms = 0;
  bool quiet = false;
  bool agents_only = false;
};

bool parse(int argc, char** argv, options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--broker" && has_value) {
      o.broker = argv[++i];
    } else if (a == "--things" && has_value) {
      o.things = std::atoi(argv[++i]);
    } else if (a == "--jobs" && has_value) {
      o.jobs = std::atoi(argv[++i]);
    } else if (a == "--work" && has_value) {
      o.work_ms = std::atoi(argv[++i]);
    } else if (a == "--timeout" && has_value) {
      o.timeout_s = std::atoi(argv[++i]);
    } else if (a == "--agents-only") {
      o.agents_only = true;
    } else if (a == "--quiet") {
      o.quiet = true;
    } else {
      return false;
    }
  }
  return o.things > 0 && o.jobs > 0 && o.timeout_s > 0 && o.work_ms >= 0 &&
         !(o.agents_only && o.broker.empty());
}

std::string numbered(const char* prefix, int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s-%03d", prefix, i);
  return buf;
}

// Each job's document: a Device Client document of two steps, which installs version 1.0.J.
std::string install_document(int j) {
  const std::string archive = "app-1.0." + std::to_string(j) + ".tar.gz";
  return R"({"version":"1.0","steps":[{"action":{"name":"download","type":"runHandler",)"
         R"("input":{"handler":"download.sh","args":[")" +
         archive +
         R"("]}}},{"action":{"name":"install","type":"runCommand","input":{"command":"tar,-xzf,)" +
         archive + R"("}}}]})";
}

// A progress report per step of a Device Client document (its name, and how far the job is),
// then SUCCEEDED; each step takes `work`. A document of another kind (the jobs of a jobs file given
// to `iotjobs emulate`) gets the demo's own two steps, download and install.
device::job_plan plan_of(const iotjobs::documents::document_view& doc,
                         std::chrono::milliseconds work) {
  device::job_plan plan;
  plan.work = work;
  std::vector<std::string> steps = {"download", "install"};
  if (doc.kind == iotjobs::documents::kind::device_client) {
    steps.clear();
    for (const iotjobs::documents::action_view& step : doc.device_client()->steps)
      steps.emplace_back(step.name);
  }
  for (std::size_t i = 0; i < steps.size(); ++i)
    plan.progress.push_back(
        {{"step", steps[i]},
         {"progress", std::to_string(i + 1) + "/" + std::to_string(steps.size())}});
  plan.outcome_details = {{"result", "ok"}};
  return plan;
}

// Connects a client: to the loopback broker, or to host:port.
std::unique_ptr<iotjobs_mqtt::transport> connect(const options& o,
                                                 iotjobs_mqtt::loopback_broker& loop,
                                                 const std::string& client_id) {
  if (o.broker.empty()) return loop.connect();
#ifdef IOTJOBS_HAVE_MOSQUITTO
  const std::size_t colon = o.broker.rfind(':');
  const std::string host = o.broker.substr(0, colon);
  const int port = colon == std::string::npos ? 1883 : std::atoi(o.broker.c_str() + colon + 1);
  std::string error;
  auto c = iotjobs_mqtt::mosquitto_client::connect(host, port, client_id, error);
  if (!c) {
    std::fprintf(stderr, "%s: %s\n", client_id.c_str(), error.c_str());
    return nullptr;
  }
  if (!c->wait_connected(std::chrono::seconds(10))) {
    std::fprintf(stderr, "%s: no connection to %s\n", client_id.c_str(), o.broker.c_str());
    return nullptr;
  }
  return c;
#else
  (void)client_id;
  std::fprintf(stderr, "built without libmosquitto: --broker is not available\n");
  return nullptr;
#endif
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: jobs_demo [--broker HOST:PORT [--agents-only]] [--things N] [--jobs M] "
                 "[--work MS] "
                 "[--timeout SECONDS] [--quiet]\n");
    return 2;
  }
  iotjobs_mqtt::loopback_broker loop;
  std::mutex print_mutex;
  const auto print = [&](const std::string& line) {
    std::lock_guard<std::mutex> lock(print_mutex);
    std::printf("%s\n", line.c_str());
  };

  std::unique_ptr<iotjobs_mqtt::transport> service_link;
  std::optional<iotjobs_emulator::jobs_emulator> emulator;
  std::atomic<bool> stop{false};
  std::thread service;
  const auto started = std::chrono::steady_clock::now();
  if (!o.agents_only) {
    service_link = connect(o, loop, "jobs-emulator");
    if (!service_link) return 1;
    emulator.emplace([&](std::string_view topic,
                         std::string_view payload) { service_link->publish(topic, payload); },
                     [] { return static_cast<std::int64_t>(std::time(nullptr)); });
    for (int t = 1; t <= o.things; ++t) {
      for (int j = 1; j <= o.jobs; ++j) {
        if (emulator->add_job(numbered("thing", t),
                              {numbered("job", j), install_document(j), 30, {}}) !=
            iotjobs::error::ok)
          return 1;
      }
    }
    service_link->subscribe(iotjobs_emulator::jobs_emulator::subscription);
    service = std::thread([&] { iotjobs_emulator::serve(*emulator, *service_link, stop); });
    // A broker keeps no requests for subscribers to come (the agents would send again after
    // their reply timeout, but the run would be slower for it).
    service_link->wait_subscribed(std::chrono::seconds(5));
    if (!o.quiet)
      print(std::string("emulator up (") + (o.broker.empty() ? "in-process broker" : o.broker) +
            "): " + std::to_string(o.things) + " things, " + std::to_string(o.jobs) + " jobs each");
  }
  const auto stop_service = [&] {
    stop = true;
    if (service.joinable()) service.join();
  };

  std::vector<std::unique_ptr<iotjobs_mqtt::transport>> links;
  std::vector<std::unique_ptr<device::agent>> agents;
  for (int t = 1; t <= o.things; ++t) {
    links.push_back(connect(o, loop, "agent-" + numbered("thing", t)));
    if (!links.back()) {
      stop_service();
      return 1;
    }
    agents.push_back(std::make_unique<device::agent>(
        numbered("thing", t), *links.back(),
        [&](std::string_view, const iotjobs::documents::document_view& doc) {
          return plan_of(doc, std::chrono::milliseconds(o.work_ms));
        }));
    if (!o.quiet) agents.back()->log = print;
  }
  const auto deadline = started + std::chrono::seconds(o.timeout_s);
  std::vector<std::thread> devices;
  for (auto& a : agents) {
    devices.emplace_back([&, agent = a.get()] {
      if (agent->start() != iotjobs::error::ok) return;
      while (agent->finished().size() < static_cast<std::size_t>(o.jobs) &&
             std::chrono::steady_clock::now() < deadline)
        agent->step(std::chrono::milliseconds(50));
    });
  }
  for (std::thread& d : devices)
    d.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  stop_service();

  // The outcome, from both sides.
  int failures = 0;
  std::uint64_t agent_messages = 0;
  std::vector<double> round_trips;
  for (const auto& a : agents) {
    agent_messages += a->stats().published;
    round_trips.insert(round_trips.end(), a->stats().round_trip_ms.begin(),
                       a->stats().round_trip_ms.end());
    for (const device::finished_job& f : a->finished()) {
      if (f.status != iotjobs::job_execution_status::succeeded || f.version_number != 5) {
        ++failures;
        print("FAIL " + a->thing_name() + "/" + f.job_id +
              " as the agent saw it: " + std::string(iotjobs::to_wire(f.status)) + " at version " +
              std::to_string(f.version_number));
      }
    }
    for (int j = 1; emulator && j <= o.jobs; ++j) {
      const iotjobs_emulator::execution* x = emulator->find(a->thing_name(), numbered("job", j));
      if (x == nullptr || x->status != iotjobs::job_execution_status::succeeded ||
          x->version_number != 5) {
        ++failures;
        print("FAIL " + a->thing_name() + "/" + numbered("job", j) + ": " +
              (x ? std::string(iotjobs::to_wire(x->status)) + " at version " +
                       std::to_string(x->version_number)
                 : std::string("missing")));
      }
    }
    if (a->finished().size() != static_cast<std::size_t>(o.jobs)) {
      ++failures;
      print("FAIL " + a->thing_name() + ": finished " + std::to_string(a->finished().size()) +
            " jobs");
    }
  }
  std::uint64_t messages = agent_messages, applied = 0, rejected = 0;
  if (emulator) {
    const iotjobs_emulator::statistics& e = emulator->stats();
    const std::uint64_t expected =
        static_cast<std::uint64_t>(o.things) * static_cast<std::uint64_t>(o.jobs) * 4;
    if (e.updates_applied != expected) {
      ++failures;
      print("FAIL updates applied: " + std::to_string(e.updates_applied) + ", expected " +
            std::to_string(expected));
    }
    applied = e.updates_applied;
    for (const auto& [code, n] : e.rejected)
      rejected += n;
    messages += e.accepted + e.notifications + rejected;
  }
  const std::string service_side = emulator
                                       ? "; " + std::to_string(applied) + " updates applied, " +
                                             std::to_string(rejected) + " rejected"
                                       : std::string();
  // The timing first; the verdict, which does not change from run to run, last.
  std::printf(
      "%llu messages published in %.2f s (%.0f msg/s); round trip p50 %.2f ms, p99 %.2f ms\n",
      static_cast<unsigned long long>(messages), seconds, static_cast<double>(messages) / seconds,
      percentile(round_trips, 0.5), percentile(round_trips, 0.99));
  std::printf("%d jobs on %d things: %s%s\n", o.things * o.jobs, o.things,
              failures == 0 ? "all SUCCEEDED at versionNumber 5" : "FAILED", service_side.c_str());
  return failures == 0 ? 0 : 1;
}
