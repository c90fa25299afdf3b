// The job runner (runner.hpp) against the Jobs emulator (tools/emulator), through an in-process
// broker that drops, duplicates, delays and reorders messages and disconnects, all as the fuzz
// input says, on a fake clock; the application reports progress and finishes jobs when the input
// says so. Then a calm phase (every message delivered, the clock moving, the application
// finishing what it runs) must bring every job to its end. The properties:
// - every publish of the runner decodes as a Jobs request of its thing, with a clientToken, and
//   every update carries expectedVersion;
// - no update is applied twice (each report is told apart by a statusDetails entry of its own);
// - no job is started twice;
// - a job the runner says it ended by its report has the reported status on the emulator, and
//   one it says ended without it is TIMED_OUT there (nothing else ends a job here);
// - after the calm phase every job is terminal and the runner waits on nothing;
// - the runner allocates nothing after create() (checked where no sanitizer owns operator new).
// The service may also be busy: a request answered RequestThrottled or InternalError, unserved.
#include <iotjobs/messages.hpp>
#include <iotjobs/runner.hpp>

#include "../tools/emulator/emulator.hpp"
#include "../tools/mqtt/transport.hpp"

#include <cstdlib>
#include <deque>
#include <map>
#include <new>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fuzz.hpp"
#include "targets.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define IOTJOBS_FUZZ_COUNT_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IOTJOBS_FUZZ_COUNT_ALLOCATIONS 0
#endif
#endif
#ifndef IOTJOBS_FUZZ_COUNT_ALLOCATIONS
#define IOTJOBS_FUZZ_COUNT_ALLOCATIONS 1
#endif

namespace iotjobs_fuzz {
namespace {

bool counting = false;  // while the runner works
long allocations = 0;

}  // namespace
}  // namespace iotjobs_fuzz

#if IOTJOBS_FUZZ_COUNT_ALLOCATIONS
// Counts the allocations made while `counting` (this harness is a program of its own).
void* operator new(std::size_t n) {
  iotjobs_fuzz::allocations += iotjobs_fuzz::counting;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  return operator new(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  iotjobs_fuzz::allocations += iotjobs_fuzz::counting;
  return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept {
  return operator new(n, t);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
#endif

namespace iotjobs_fuzz {
namespace {

namespace mqtt = iotjobs::mqtt;
namespace rn = iotjobs::runner;
using iotjobs::job_execution_status;
using iotjobs::update_status;

using message = std::pair<std::string, std::string>;

// Runs `fn` with the allocation counter on.
template <class Fn>
void counted(Fn&& fn) {
  counting = true;
  fn();
  counting = false;
}

struct world {
  std::string ns;  // the runner's namespace, and its jobs'
  std::int64_t now_ms = 0;
  std::deque<message> to_service, to_device;
  iotjobs_emulator::jobs_emulator emulator{
      [this](std::string_view t, std::string_view p) { to_device.emplace_back(t, p); },
      [this] { return 1'700'000'000 + now_ms / 1000; }};
  std::optional<rn::job_runner> runner;
  iotjobs::decoder dec;
  std::vector<std::string> jobs;                          // queued on the emulator
  std::set<std::pair<std::string, std::string>> applied;  // (job, report) pairs
  std::set<std::string> started;
  std::map<std::string, job_execution_status> reported;  // what the application finished with
  std::optional<std::string> running;                    // the job the application runs
  bool final_given = false;
  int reports = 0;

  rn::instant at() const { return rn::instant(std::chrono::milliseconds(now_ms)); }

  void add_job(int n, std::optional<std::int64_t> timeout) {
    const std::string id = "j" + std::to_string(n);
    iotjobs_emulator::job_spec spec{id,
                                    "{\"url\":\"https://b.s3.amazonaws.com/" + id +
                                        "?X-Amz-Signature=" + std::to_string(now_ms) + "\"}",
                                    timeout, ns};
    if (emulator.add_job("t1", spec) == iotjobs::error::ok) jobs.push_back(id);
  }

  // What the runner has to say: its publishes to the broker, its events to the application.
  void drain() {
    for (;;) {
      std::optional<iotjobs::message_view> m;
      counted([&] { m = runner->next_publish(); });
      if (!m) break;
      const auto r = mqtt::decode(dec, m->topic, m->payload);
      IOTJOBS_FUZZ_CHECK(r && mqtt::is_request(r->topic.kind));
      IOTJOBS_FUZZ_CHECK(r->topic.thing_name == "t1" && r->topic.namespace_id == ns);
      if (const auto* d = r->get_if<iotjobs::describe_job_execution_request>())
        IOTJOBS_FUZZ_CHECK(d->client_token.has_value());
      if (const auto* u = r->get_if<iotjobs::update_job_execution_request>())
        IOTJOBS_FUZZ_CHECK(u->client_token && u->expected_version);
      to_service.emplace_back(m->topic, m->payload);
    }
    for (;;) {
      std::optional<rn::event> e;
      counted([&] { e = runner->next_event(); });
      if (!e) break;
      if (const auto* s = std::get_if<rn::job_started>(&*e)) {
        IOTJOBS_FUZZ_CHECK(!running);
        IOTJOBS_FUZZ_CHECK(started.insert(std::string(s->job_id)).second);  // never twice
        running = std::string(s->job_id);
        final_given = false;
      } else if (const auto* d = std::get_if<rn::job_ended>(&*e)) {
        IOTJOBS_FUZZ_CHECK(running && *running == d->job_id);
        const iotjobs_emulator::execution* x = emulator.find("t1", d->job_id, ns);
        IOTJOBS_FUZZ_CHECK(x != nullptr);
        if (d->reported) {
          IOTJOBS_FUZZ_CHECK(reported.count(*running) && x->status == reported[*running]);
        } else {
          IOTJOBS_FUZZ_CHECK(x->status == job_execution_status::timed_out);
        }
        running.reset();
      }
    }
  }

  // The emulator takes a request; an update it applies must be one it never applied before.
  void serve(const message& m) {
    const auto r = mqtt::decode(dec, m.first, m.second);
    const iotjobs::update_job_execution_request* u =
        r ? r->get_if<iotjobs::update_job_execution_request>() : nullptr;
    std::string job, report;
    std::int64_t before = 0;
    if (u != nullptr) {
      job = std::string(u->job_id);
      const auto seq = u->status_details ? u->status_details->find("seq") : std::nullopt;
      report = seq ? std::string(*seq) : "claim";
      const iotjobs_emulator::execution* x = emulator.find("t1", job, ns);
      before = x ? x->version_number : 0;
    }
    emulator.handle(m.first, m.second);
    if (u == nullptr) return;
    const iotjobs_emulator::execution* x = emulator.find("t1", job, ns);
    if (x && x->version_number > before) IOTJOBS_FUZZ_CHECK(applied.emplace(job, report).second);
  }

  // The service's answer to a request it is too busy for: `code` on `<topic>/rejected`.
  void busy(const message& m, const char* code) {
    const auto r = mqtt::decode(dec, m.first, m.second);
    std::optional<std::string_view> token;
    if (const auto* d = r ? r->get_if<iotjobs::describe_job_execution_request>() : nullptr)
      token = d->client_token;
    if (const auto* u = r ? r->get_if<iotjobs::update_job_execution_request>() : nullptr)
      token = u->client_token;
    to_device.emplace_back(m.first + "/rejected", std::string("{\"code\":\"") + code +
                                                      "\",\"message\":\"busy\",\"clientToken\":\"" +
                                                      std::string(token.value_or("")) + "\"}");
  }

  void deliver(const message& m) {
    bool subscribed = false;
    for (std::string_view f : runner->subscriptions())
      subscribed = subscribed || iotjobs_mqtt::topic_matches(f, m.first);
    if (!subscribed) return;
    counted([&] { (void)runner->receive(m.first, m.second, at()); });
    drain();
  }

  void advance(std::int64_t ms) {
    now_ms += ms;
    emulator.tick();
    counted([&] {
      if (const auto d = runner->next_deadline(); d && at() >= *d) runner->tick(at());
    });
    drain();
  }

  void connected() {
    to_service.clear();  // what was in flight is lost
    to_device.clear();
    counted([&] { runner->connected(at()); });
    drain();
  }

  void report(update_status status) {
    if (!running || final_given) return;
    const std::string seq = std::to_string(++reports);
    const iotjobs::status_detail d[] = {{"seq", seq}};
    iotjobs::error e = iotjobs::error::ok;
    counted([&] {
      e = runner->report({status, iotjobs::status_details_view(d), std::nullopt}, at());
    });
    IOTJOBS_FUZZ_CHECK(e == iotjobs::error::ok);
    if (status != update_status::in_progress) {
      final_given = true;
      reported[*running] = iotjobs::to_job_execution_status(status);
    }
    drain();
  }
};

}  // namespace

void runner(const std::uint8_t* data, std::size_t size) {
  reader in(data, size);
  world w;
  const std::uint8_t setup = in.byte();
  if (setup & 1) w.ns = "ns1";
  rn::config c;
  c.thing_name = "t1";
  c.namespace_id = w.ns;
  c.seed = in.byte();
  c.reply_timeout = std::chrono::milliseconds(1000);
  c.retry_delay = std::chrono::milliseconds(100);
  c.max_retry_delay = std::chrono::milliseconds(3000);
  c.empty_next_delay = std::chrono::milliseconds(500);
  c.max_message_size = 2048;  // the emulator's replies here are small
  if (setup & 2) c.step_timeout_in_minutes = 1;
  auto made = rn::job_runner::create(c);
  IOTJOBS_FUZZ_CHECK(made);
  w.runner.emplace(std::move(*made));
  allocations = 0;
  w.add_job(1, std::nullopt);
  w.add_job(2, 2);  // times out two minutes after it starts
  w.connected();
  int next_job = 3;
  for (int steps = 0; steps < 400 && !in.done(); ++steps) {
    const std::uint8_t op = in.byte();
    auto& q = op & 1 ? w.to_device : w.to_service;
    switch (op >> 1 & 15) {
      case 0:
      case 1:
      case 2:  // deliver the oldest message
        if (q.empty()) break;
        if (&q == &w.to_device) {
          const message m = q.front();
          q.pop_front();
          w.deliver(m);
        } else {
          const message m = q.front();
          q.pop_front();
          w.serve(m);
        }
        break;
      case 3:  // lose it
        if (!q.empty()) q.pop_front();
        break;
      case 4:  // deliver it twice
        if (!q.empty()) q.push_front(q.front());
        break;
      case 5:  // let another overtake it
        if (q.size() >= 2) std::swap(q[0], q[1 + in.byte() % (q.size() - 1)]);
        break;
      case 6: w.advance(in.byte() * 10); break;
      case 7: w.advance(61'000); break;  // the emulator's timers
      case 8: w.connected(); break;
      case 9:
      case 10: w.report(update_status::in_progress); break;
      case 11: w.report(in.flag() ? update_status::succeeded : update_status::failed); break;
      case 12: w.report(update_status::rejected); break;
      case 13:
        if (next_job < 8)
          w.add_job(next_job++, in.flag() ? std::optional<std::int64_t>(1) : std::nullopt);
        break;
      case 14:  // the service is busy: the oldest request is refused, and not served
        if (!w.to_service.empty()) {
          w.busy(w.to_service.front(), in.flag() ? "RequestThrottled" : "InternalError");
          w.to_service.pop_front();
        }
        break;
      default: w.advance(1000); break;
    }
  }
  // The calm phase: the device reconnects, and from then on every message arrives; the
  // application finishes what it runs.
  w.connected();
  for (int round = 0; round < 200; ++round) {
    while (!w.to_service.empty() || !w.to_device.empty()) {
      while (!w.to_service.empty()) {
        const message m = w.to_service.front();
        w.to_service.pop_front();
        w.serve(m);
      }
      while (!w.to_device.empty()) {
        const message m = w.to_device.front();
        w.to_device.pop_front();
        w.deliver(m);
      }
    }
    w.report(update_status::succeeded);
    if (!w.running && !w.runner->next_deadline() && w.to_service.empty()) break;
    w.advance(1000);
  }
  for (const std::string& j : w.jobs) {
    const iotjobs_emulator::execution* x = w.emulator.find("t1", j, w.ns);
    IOTJOBS_FUZZ_CHECK(x != nullptr && iotjobs::is_terminal(x->status));
  }
  IOTJOBS_FUZZ_CHECK(!w.running && !w.runner->running_job() && !w.runner->next_deadline());
  IOTJOBS_FUZZ_CHECK(!IOTJOBS_FUZZ_COUNT_ALLOCATIONS || allocations == 0);
}

}  // namespace iotjobs_fuzz
