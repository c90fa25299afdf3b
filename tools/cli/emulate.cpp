// `iotjobs emulate --broker HOST:PORT --jobs FILE [--time-scale N] [--trace]`: the Jobs emulator
// (tools/emulator) on an MQTT broker until SIGINT or SIGTERM. FILE:
//   {"things": {"<thingName>": [{"jobId": "...", "document": {...},
//                                "inProgressTimeoutInMinutes": N, "namespaceId": "..."}, ...]}}
// each thing's executions queued in that order (the job's in-progress timeout and its Greengrass
// namespace optional). One line on stdout when it is subscribed and ready, one when it stops;
// with --trace, one between for every change of an execution after the start. The control
// plane, over the same broker: a job of FILE's shape with its "thing" published to
// `iotjobs-emulate/add` is queued; {"thing", "jobId", "namespaceId"} to `iotjobs-emulate/cancel`
// cancels that execution (CancelJobExecution with force).
#include "emulate.hpp"

#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "../emulator/emulator.hpp"
#include "address.hpp"
#include "json_out.hpp"
#ifdef IOTJOBS_HAVE_MOSQUITTO
#include "../mqtt/mosquitto.hpp"
#endif

namespace {

std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void request_stop(int) {
  stop_requested = true;
}

// The control topics: `iotjobs-emulate/add` and `iotjobs-emulate/cancel`.
constexpr std::string_view control_prefix = "iotjobs-emulate/";
constexpr std::string_view control_filter = "iotjobs-emulate/+";

struct queued_job {
  std::string thing;
  iotjobs_emulator::job_spec job;
};

// One job of the jobs file (or of a control message), or an error message.
std::string read_job(simdjson::dom::element j, queued_job& q) {
  std::string_view id;
  if (j["jobId"].get_string().get(id)) return "every job needs a \"jobId\" string";
  q.job.job_id = std::string(id);
  simdjson::dom::object doc;
  if (j["document"].get_object().get(doc))
    return "job " + q.job.job_id + ": \"document\" must be an object";
  q.job.document = simdjson::minify(doc);
  std::int64_t minutes = 0;
  if (const auto e = j["inProgressTimeoutInMinutes"].get_int64().get(minutes);
      e == simdjson::SUCCESS) {
    q.job.in_progress_timeout_minutes = minutes;
  } else if (e != simdjson::NO_SUCH_FIELD) {
    return "job " + q.job.job_id + ": \"inProgressTimeoutInMinutes\" must be an integer";
  }
  std::string_view ns;
  if (const auto e = j["namespaceId"].get_string().get(ns); e == simdjson::SUCCESS) {
    q.job.namespace_id = std::string(ns);
  } else if (e != simdjson::NO_SUCH_FIELD) {
    return "job " + q.job.job_id + ": \"namespaceId\" must be a string";
  }
  return {};
}

// The jobs file, or an error message.
std::string read_jobs(const std::string& text, std::vector<queued_job>& out) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto e = parser.parse(text).get(root)) return simdjson::error_message(e);
  simdjson::dom::object things;
  if (root["things"].get_object().get(things)) return "needs {\"things\": {...}}";
  for (auto [thing, list] : things) {
    simdjson::dom::array jobs;
    if (list.get_array().get(jobs)) return "things." + std::string(thing) + " must be an array";
    for (simdjson::dom::element j : jobs) {
      queued_job q;
      q.thing = std::string(thing);
      if (std::string e = read_job(j, q); !e.empty()) return e;
      out.push_back(std::move(q));
    }
  }
  return {};
}

// An execution as --trace prints it: one line of JSON.
[[maybe_unused]] std::string trace_line(std::string_view thing, std::string_view ns,
                                        const iotjobs_emulator::execution& x) {
  std::string out;
  cli::sink s{std::back_inserter(out)};
  cli::object o(s);
  o.string_member("thing", thing);
  if (!ns.empty()) o.string_member("namespaceId", ns);
  o.string_member("jobId", x.job_id);
  o.string_member("status", iotjobs::to_wire(x.status));
  o.int_member("versionNumber", x.version_number);
  o.int_member("executionNumber", x.execution_number);
  if (!x.status_details.empty()) {
    cli::object d(o.member("statusDetails"));
    for (const auto& [key, value] : x.status_details)
      d.string_member(key, value);  // keys the emulator validated: [a-zA-Z0-9:_-]
    d.finish();
  }
  o.finish();
  return out;
}

// A message on a control topic: `add` queues a job ({"thing": ..., and a job of the jobs
// file}), `cancel` cancels one ({"thing", "jobId", "namespaceId"}). An error message, or "".
[[maybe_unused]] std::string control(iotjobs_emulator::jobs_emulator& emulator,
                                     std::string_view command, std::string_view payload) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto e = parser.parse(payload.data(), payload.size()).get(root))
    return simdjson::error_message(e);
  std::string_view thing;
  if (root["thing"].get_string().get(thing)) return "needs a \"thing\" string";
  if (command == "add") {
    queued_job q;
    if (std::string e = read_job(root, q); !e.empty()) return e;
    const iotjobs::error e = emulator.add_job(thing, q.job);
    return e == iotjobs::error::ok ? std::string() : std::string(iotjobs::message(e));
  }
  if (command == "cancel") {
    std::string_view id, ns;
    if (root["jobId"].get_string().get(id)) return "needs a \"jobId\" string";
    if (const auto e = root["namespaceId"].get_string().get(ns);
        e != simdjson::SUCCESS && e != simdjson::NO_SUCH_FIELD)
      return "\"namespaceId\" must be a string";
    return emulator.cancel(thing, id, ns) ? std::string() : "no such execution that has not ended";
  }
  return "no such command (add, cancel)";
}

}  // namespace

int run_emulate(const std::string& broker, const std::string& jobs_text, double time_scale,
                bool trace) {
  const auto address = cli::parse_address(broker, 1883);
  if (!address) {
    std::fprintf(stderr, "iotjobs emulate: --broker takes HOST:PORT\n");
    return 2;
  }
  std::vector<queued_job> jobs;
  if (const std::string e = read_jobs(jobs_text, jobs); !e.empty()) {
    std::fprintf(stderr, "iotjobs emulate: the jobs file: %s\n", e.c_str());
    return 1;
  }
#ifdef IOTJOBS_HAVE_MOSQUITTO
  std::string error;
  auto link = iotjobs_mqtt::mosquitto_client::connect(address->host, address->port,
                                                      "iotjobs-emulate", error);
  if (!link) {
    std::fprintf(stderr, "iotjobs emulate: %s\n", error.c_str());
    return 1;
  }
  iotjobs_emulator::jobs_emulator emulator(
      [&](std::string_view topic, std::string_view payload) { link->publish(topic, payload); },
      // Epoch seconds from the start, the time since then scaled.
      [start = std::time(nullptr), since = std::chrono::steady_clock::now(), time_scale] {
        const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - since;
        return static_cast<std::int64_t>(start) +
               static_cast<std::int64_t>(std::floor(elapsed.count() * time_scale));
      });
  for (const queued_job& q : jobs) {
    if (const iotjobs::error e = emulator.add_job(q.thing, q.job); e != iotjobs::error::ok) {
      std::fprintf(stderr, "iotjobs emulate: %s/%s: %s\n", q.thing.c_str(), q.job.job_id.c_str(),
                   std::string(iotjobs::message(e)).c_str());
      return 1;
    }
  }
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  link->subscribe(iotjobs_emulator::jobs_emulator::subscription);
  link->subscribe(control_filter);
  if (!link->wait_subscribed(std::chrono::seconds(10))) {
    std::fprintf(stderr, "iotjobs emulate: no subscription on %s\n", broker.c_str());
    return 1;
  }
  std::printf("iotjobs emulate: ready on %s, %zu jobs queued, subscribed to %s\n", broker.c_str(),
              jobs.size(), std::string(iotjobs_emulator::jobs_emulator::subscription).c_str());
  std::fflush(stdout);
  if (trace) {
    emulator.on_change(
        [](std::string_view thing, std::string_view ns, const iotjobs_emulator::execution& x) {
          std::printf("%s\n", trace_line(thing, ns, x).c_str());
          std::fflush(stdout);
        });
  }
  while (!stop_requested) {
    link->poll(std::chrono::milliseconds(20),
               [&](std::string_view topic, std::string_view payload) {
                 if (topic.substr(0, control_prefix.size()) != control_prefix)
                   return emulator.handle(topic, payload);
                 const std::string_view command = topic.substr(control_prefix.size());
                 if (const std::string e = control(emulator, command, payload); !e.empty())
                   std::fprintf(stderr, "iotjobs emulate: %.*s: %s\n",
                                static_cast<int>(topic.size()), topic.data(), e.c_str());
               });
    emulator.tick();
  }
  const iotjobs_emulator::statistics& s = emulator.stats();
  std::uint64_t rejected = 0;
  for (const auto& [code, n] : s.rejected)
    rejected += n;
  std::printf("iotjobs emulate: stopped; %llu requests, %llu updates applied, %llu rejected\n",
              static_cast<unsigned long long>(s.requests),
              static_cast<unsigned long long>(s.updates_applied),
              static_cast<unsigned long long>(rejected));
  return 0;
#else
  (void)time_scale;
  (void)trace;
  std::fprintf(stderr, "iotjobs emulate: built without libmosquitto (libmosquitto-dev)\n");
  return 1;
#endif
}
