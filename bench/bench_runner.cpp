// The job runner's cost per message, beside the decode it cannot do without. One job is four
// messages the device receives: the `$next` reply (QUEUED, with the firmware document of
// tests/data/mqtt/notify_next-firmware.json), and the replies to the claim, to an IN_PROGRESS
// report with statusDetails and to the final report. `runner/job/decode` decodes those four
// payloads by their topics (mqtt::decode), as any device must; `runner/job/runner` has the
// runner take them (its decode, its logic, the events, the two reports of the application and
// the encoding of each next request). Both splice the request's token into the reply first.
#include <iotjobs/messages.hpp>
#include <iotjobs/runner.hpp>

#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <variant>

#include "../tests/support.hpp"
#include "bench.hpp"

namespace bench {
namespace {

namespace rn = iotjobs::runner;
using iotjobs::update_status;

constexpr int job_ids = 8;  // jobs take turns: the runner does not run a job it just ended
constexpr int messages_per_job = 4;

// A reply: its topic, and its payload around the token.
struct reply {
  std::string topic, before, after;
};

struct job_replies {
  std::array<reply, messages_per_job> replies;
};

std::string document() {
  const std::string s =
      test::read_file(std::filesystem::path(IOTJOBS_TEST_DATA) / "mqtt/notify_next-firmware.json");
  const std::size_t at = s.find("\"jobDocument\":");
  const std::size_t end = s.rfind('}', s.rfind('}') - 1);  // the execution's, then the payload's
  return at == std::string::npos ? std::string("{}") : s.substr(at + 14, end - at - 14);
}

const std::array<job_replies, job_ids> scripts = [] {
  std::array<job_replies, job_ids> all;
  const std::string doc = document();
  const std::string t = "$aws/things/dev1/jobs/";
  for (int i = 0; i < job_ids; ++i) {
    const std::string j = "fw-" + std::to_string(i);
    const auto state = [](const char* status, int version) {
      return std::string("{\"executionState\":{\"status\":\"") + status +
             "\",\"versionNumber\":" + std::to_string(version) +
             "},\"timestamp\":1700000000,\"clientToken\":\"";
    };
    all[i].replies = {
        reply{t + "$next/get/accepted", "{\"clientToken\":\"",
              "\",\"timestamp\":1700000000,\"execution\":{\"jobId\":\"" + j +
                  "\",\"status\":\"QUEUED\",\"queuedAt\":1700000000,\"lastUpdatedAt\":1700000000,"
                  "\"versionNumber\":1,\"executionNumber\":1,\"jobDocument\":" +
                  doc + "}}"},
        reply{t + j + "/update/accepted", state("IN_PROGRESS", 2), "\"}"},
        reply{t + j + "/update/accepted", state("IN_PROGRESS", 3), "\"}"},
        reply{t + j + "/update/accepted", state("SUCCEEDED", 4), "\"}"},
    };
  }
  return all;
}();

// The reply with `token` spliced in, in `buf`.
std::string_view assemble(char* buf, const reply& r, std::string_view token) {
  std::memcpy(buf, r.before.data(), r.before.size());
  std::memcpy(buf + r.before.size(), token.data(), token.size());
  std::memcpy(buf + r.before.size() + token.size(), r.after.data(), r.after.size());
  return {buf, r.before.size() + token.size() + r.after.size()};
}

// The token of a request the runner publishes: its payload ends `"clientToken":"TOKEN"}`.
std::string_view token_of(std::string_view payload) {
  const std::size_t end = payload.size() - 2;
  const std::size_t start = payload.rfind('"', end - 1) + 1;
  return payload.substr(start, end - start);
}

const iotjobs::status_detail progress[] = {{"step", "download"}, {"progress", "50%"}};

// The application: claims are the runner's; it reports progress once, then SUCCEEDED.
struct device {
  rn::job_runner runner;
  rn::instant now{std::chrono::seconds(1)};
  std::string_view token;
  int ended = 0;

  void drain() {
    while (auto e = runner.next_event()) {
      if (std::holds_alternative<rn::job_started>(*e)) {
        (void)runner.report(
            {update_status::in_progress, iotjobs::status_details_view(progress), {}}, now);
      } else if (std::holds_alternative<rn::report_accepted>(*e)) {
        (void)runner.report({update_status::succeeded, {}, {}}, now);
      } else if (std::holds_alternative<rn::job_ended>(*e)) {
        ++ended;
      }
    }
    if (auto m = runner.next_publish()) token = token_of(m->payload);
  }

  // One job: its four replies, each answering the request in flight.
  void run_job(const job_replies& s, char* buf) {
    for (const reply& r : s.replies) {
      (void)runner.receive(r.topic, assemble(buf, r, token), now);
      drain();
    }
  }
};

std::optional<device> make_device() {
  rn::config c;
  c.thing_name = "dev1";
  auto r = rn::job_runner::create(c);
  if (!r) return std::nullopt;
  device d{std::move(*r), rn::instant(std::chrono::seconds(1)), {}, 0};
  d.runner.connected(d.now);
  d.drain();
  return d;
}

void runner_job(benchmark::State& state) {
  auto d = make_device();
  char buf[4096];
  int i = 0;
  const long before = iotjobs_allocation_count();
  for (auto _ : state) {
    d->run_job(scripts[i], buf);
    i = (i + 1) % job_ids;
  }
  count_allocations(state, before);
  state.SetItemsProcessed(state.iterations() * messages_per_job);
}

void decode_job(benchmark::State& state) {
  iotjobs::decoder dec;
  char buf[4096];
  const std::string_view token = "7b1dcdaf-12345";
  int i = 0;
  for (const reply& r : scripts[0].replies)  // the storage, before the count
    (void)iotjobs::mqtt::decode(dec, r.topic, assemble(buf, r, token));
  const long before = iotjobs_allocation_count();
  for (auto _ : state) {
    for (const reply& r : scripts[i].replies) {
      auto m = iotjobs::mqtt::decode(dec, r.topic, assemble(buf, r, token));
      benchmark::DoNotOptimize(m);
    }
    i = (i + 1) % job_ids;
  }
  count_allocations(state, before);
  state.SetItemsProcessed(state.iterations() * messages_per_job);
}

}  // namespace

void register_runner() {
  // Interleaved with --benchmark_enable_random_interleaving by bench/run.sh.
  benchmark::RegisterBenchmark("runner/job/decode", decode_job);
  benchmark::RegisterBenchmark("runner/job/runner", runner_job);
}

// Every script decodes, and the runner takes each job from `$next` to its end.
bool check_runner() {
  auto d = make_device();
  if (!d) return false;
  char buf[4096];
  iotjobs::decoder dec;
  for (int round = 0; round < 2; ++round) {
    for (const job_replies& s : scripts) {
      for (const reply& r : s.replies) {
        if (!iotjobs::mqtt::decode(dec, r.topic, assemble(buf, r, "t"))) {
          std::fprintf(stderr, "runner: a reply on %s does not decode\n", r.topic.c_str());
          return false;
        }
      }
      d->run_job(s, buf);
    }
  }
  if (d->ended != 2 * job_ids) {
    std::fprintf(stderr, "runner: %d of %d jobs ended\n", d->ended, 2 * job_ids);
    return false;
  }
  return true;
}

}  // namespace bench
