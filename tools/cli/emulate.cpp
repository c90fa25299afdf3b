// `iotjobs emulate --broker HOST:PORT --jobs FILE [--time-scale N]`: the Jobs emulator
// (tools/emulator) on an MQTT broker until SIGINT or SIGTERM. FILE:
//   {"things": {"<thingName>": [{"jobId": "...", "document": {...},
//                                "inProgressTimeoutInMinutes": N, "namespaceId": "..."}, ...]}}
// each thing's executions queued in that order (the job's in-progress timeout and its Greengrass
// namespace optional). One line on stdout when it is subscribed and ready, one when it stops.
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
#ifdef IOTJOBS_HAVE_MOSQUITTO
#include "../mqtt/mosquitto.hpp"
#endif

namespace {

std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void request_stop(int) {
  stop_requested = true;
}

struct queued_job {
  std::string thing;
  iotjobs_emulator::job_spec job;
};

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
      out.push_back(std::move(q));
    }
  }
  return {};
}

}  // namespace

int run_emulate(const std::string& broker, const std::string& jobs_text, double time_scale) {
  std::vector<queued_job> jobs;
  if (const std::string e = read_jobs(jobs_text, jobs); !e.empty()) {
    std::fprintf(stderr, "iotjobs emulate: the jobs file: %s\n", e.c_str());
    return 1;
  }
#ifdef IOTJOBS_HAVE_MOSQUITTO
  const std::size_t colon = broker.rfind(':');
  const std::string host = broker.substr(0, colon);
  const int port = colon == std::string::npos ? 1883 : std::atoi(broker.c_str() + colon + 1);
  std::string error;
  auto link = iotjobs_mqtt::mosquitto_client::connect(host, port, "iotjobs-emulate", error);
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
  if (!link->wait_subscribed(std::chrono::seconds(10))) {
    std::fprintf(stderr, "iotjobs emulate: no subscription on %s\n", broker.c_str());
    return 1;
  }
  std::printf("iotjobs emulate: ready on %s, %zu jobs queued, subscribed to %s\n", broker.c_str(),
              jobs.size(), std::string(iotjobs_emulator::jobs_emulator::subscription).c_str());
  std::fflush(stdout);
  iotjobs_emulator::serve(emulator, *link, stop_requested);
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
  (void)broker;
  (void)time_scale;
  std::fprintf(stderr, "iotjobs emulate: built without libmosquitto (libmosquitto-dev)\n");
  return 1;
#endif
}
