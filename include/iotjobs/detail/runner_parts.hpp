// iotjobs — the parts of the job runner (runner.hpp) that hold no logic of its: what it keeps of
// a job, a report and a request in flight, and the checks and sums they need.
#ifndef IOTJOBS_DETAIL_RUNNER_PARTS_HPP
#define IOTJOBS_DETAIL_RUNNER_PARTS_HPP

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <string_view>

#include "iotjobs/documents.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/model.hpp"
#include "iotjobs/mqtt.hpp"
#include "iotjobs/validate.hpp"

namespace iotjobs::runner {

/// A moment on the caller's monotonic clock. Any clock will do: a fake one builds instants from
/// durations, `instant(std::chrono::seconds(5))`; a real one is
/// `std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now())`.
using instant = std::chrono::time_point<std::chrono::steady_clock, std::chrono::milliseconds>;

namespace detail {

// splitmix64: the jitter's generator.
constexpr std::uint64_t next_random(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// The thing and namespace a runner serves, copied, with what follows from them.
struct names {
  std::array<char, max_thing_name_size> thing{};
  std::size_t thing_size = 0;
  std::array<char, max_namespace_id_size> ns{};
  std::size_t ns_size = 0;
  std::array<char, 8> token_prefix{};  // 8 hex digits drawn from the seed
  char filter_text[mqtt::device_filters_size];
  std::array<std::string_view, mqtt::device_filter_count> filters;

  std::string_view thing_name() const noexcept { return {thing.data(), thing_size}; }
  std::string_view namespace_id() const noexcept { return {ns.data(), ns_size}; }

  error set(std::string_view thing_name, std::string_view namespace_id,
            std::uint64_t& random) noexcept {
    const auto f = mqtt::device_filters(thing_name, filter_text, namespace_id);
    if (!f) return f.error();  // a thing name or namespace no topic can carry
    filters = *f;
    thing_size = thing_name.copy(thing.data(), thing.size());
    ns_size = namespace_id.copy(ns.data(), ns.size());  // not memcpy: data() is null for none
    const auto prefix = static_cast<std::uint32_t>(next_random(random));
    for (std::size_t i = 0; i < token_prefix.size(); ++i)
      token_prefix[i] = "0123456789abcdef"[prefix >> (28 - 4 * i) & 15];
    return error::ok;
  }
};

// Whether a config's durations are ones the runner can add to a caller's instant: 1 ms (0 for
// the empty-$next delay) to 7 days, and a first retry no longer than the longest.
constexpr bool valid_timing(std::chrono::milliseconds reply_timeout,
                            std::chrono::milliseconds retry_delay,
                            std::chrono::milliseconds max_retry_delay,
                            std::chrono::milliseconds empty_next_delay) noexcept {
  constexpr std::chrono::milliseconds week = std::chrono::hours(24 * 7);
  const auto within = [&](std::chrono::milliseconds d, std::chrono::milliseconds least) {
    return d >= least && d <= week;
  };
  const std::chrono::milliseconds one(1);
  return within(reply_timeout, one) && within(retry_delay, one) &&
         within(max_retry_delay, retry_delay) && within(empty_next_delay, {});
}

// The wait before retry `n` (0 first): `first` doubled n times, at most `most`; then half of it
// and a random part of the other half ("equal jitter"), so that devices throttled together do
// not come back together.
inline std::chrono::milliseconds backoff(std::uint32_t n, std::chrono::milliseconds first,
                                         std::chrono::milliseconds most,
                                         std::uint64_t& random) noexcept {
  const std::int64_t cap = std::max<std::int64_t>(most.count(), 1);
  std::int64_t delay = std::clamp<std::int64_t>(first.count(), 1, cap);
  for (std::uint32_t i = 0; i < n && delay < cap; ++i)
    delay = delay > cap / 2 ? cap : delay * 2;
  const std::int64_t half = delay / 2;
  const auto jitter = next_random(random) % static_cast<std::uint64_t>(delay - half + 1);
  return std::chrono::milliseconds(half + static_cast<std::int64_t>(jitter));
}

// The version an update at `v` makes, if `v` is known and below the largest int64.
constexpr std::optional<std::int64_t> next_version(std::optional<std::int64_t> v) noexcept {
  if (!v || *v == std::numeric_limits<std::int64_t>::max()) return std::nullopt;
  return *v + 1;
}

// A report kept until the service has applied it: its status and timer, and its statusDetails
// copied into storage of the runner's own.
struct report_slot {
  bool used = false;
  bool claim = false;  // the runner's own IN_PROGRESS, not the application's
  update_status status = update_status::in_progress;
  std::optional<std::int64_t> step_timeout_in_minutes;
  bool has_details = false;
  std::size_t count = 0;
  std::unique_ptr<status_detail[]> entries;
  std::unique_ptr<char[]> text;

  // Room for the reports of up to `max_report_size` bytes: their text, and their entries, of
  // which each takes at least 7 bytes (`"k":"v"`).
  bool allocate(std::size_t max_report_size) noexcept {
    entries.reset(new (std::nothrow) status_detail[max_report_size / 7 + 1]);
    text.reset(new (std::nothrow) char[max_report_size]);
    return entries && text;
  }

  std::optional<status_details_view> details() const noexcept {
    if (!has_details) return std::nullopt;
    return status_details_view(entries.get(), count);
  }

  // Keeps a report, its strings copied (the caller checked that they fit).
  void keep(update_status s, const std::optional<status_details_view>& d,
            std::optional<std::int64_t> step_timeout, bool is_claim) noexcept {
    used = true;
    claim = is_claim;
    status = s;
    step_timeout_in_minutes = step_timeout;
    has_details = d.has_value();
    count = 0;
    std::size_t size = 0;
    const auto copy = [&](std::string_view from) {
      std::memcpy(text.get() + size, from.data(), from.size());
      size += from.size();
      return std::string_view(text.get() + size - from.size(), from.size());
    };
    for (const status_detail& e : d.value_or(status_details_view())) {
      const std::string_view key = copy(e.key);
      entries[count++] = status_detail{key, copy(e.value)};
    }
  }
};

// A job's identity: its id and execution number or, for a delivery without one, its document's
// fingerprint.
struct execution_key {
  std::array<char, max_job_id_size> id{};
  std::size_t id_size = 0;
  std::optional<std::int64_t> execution_number;
  std::uint64_t fingerprint = 0;  // without an execution number

  // Of an execution whose job id was checked (at most 64 bytes).
  static execution_key of(const job_execution_view& x) noexcept {
    execution_key key;
    key.id_size = x.job_id.copy(key.id.data(), key.id.size());
    key.execution_number = x.execution_number;
    if (!key.execution_number)  // AWS always sends one: the document's scan is the fallback
      key.fingerprint =
          iotjobs::documents::fingerprint(x.job_document ? x.job_document->json() : "");
    return key;
  }

  std::string_view job_id() const noexcept { return {id.data(), id_size}; }
  // Whether a notification names this execution (a retry of its job is another one).
  bool named_by(std::string_view job, std::optional<std::int64_t> execution) const noexcept {
    return job == job_id() && (!execution || !execution_number || execution == execution_number);
  }
  bool same(const execution_key& o) const noexcept {
    if (job_id() != o.job_id()) return false;
    if (execution_number || o.execution_number) return execution_number == o.execution_number;
    return fingerprint == o.fingerprint;
  }
};

// The last four jobs that ended here (or were left to their owner), as a ring: a `$next` that
// names one of them again is not run.
struct ended_jobs {
  std::array<execution_key, 4> keys;
  std::size_t next = 0;

  void add(const execution_key& key) noexcept {
    keys[next] = key;
    next = (next + 1) % keys.size();
  }
  bool holds(const execution_key& key) const noexcept {
    for (const execution_key& k : keys) {
      if (k.same(key)) return true;
    }
    return false;
  }
};

enum class purpose : std::uint8_t {
  find_next,  // describe $next
  check_job,  // describe the running job: is it still on?
  repair,     // describe the running job: was the update in `sent` applied?
  report,     // update: the report in `sent`
};

struct running {
  detail::execution_key key;
  std::optional<std::int64_t> version;
  bool final_given = false;   // the application's final report is kept or sent
  bool check_wanted = false;  // to ask whether the job is still on, once nothing is in flight
};

struct flight {
  purpose why = purpose::find_next;
  bool due = false;  // next_publish() hands it out
  instant resend_at;
  std::uint32_t backoffs = 0;    // consecutive RequestThrottled and InternalError
  std::uint32_t unreadable = 0;  // replies on its topic that did not decode
  std::array<char, 32> token{};  // 8 hex digits, '-', a counter
  std::size_t token_size = 0;
  std::size_t topic_size = 0;
  std::size_t payload_size = 0;

  std::string_view client_token() const noexcept { return {token.data(), token_size}; }

  // The token `<prefix>-<counter>`.
  void set_token(const std::array<char, 8>& prefix, std::uint64_t counter) noexcept {
    std::memcpy(token.data(), prefix.data(), prefix.size());
    token[8] = '-';
    char digits[20];
    std::size_t n = 0;
    do {
      digits[n++] = static_cast<char>('0' + counter % 10);
      counter /= 10;
    } while (counter != 0);
    for (std::size_t i = 0; i < n; ++i)
      token[9 + i] = digits[n - 1 - i];
    token_size = 9 + n;
  }
};

// An update of the running job `job` (none: a stand-in for the checks) at its current version,
// without a token yet.
inline update_job_execution_request update_request(
    const names& n, const running* job, update_status status,
    const std::optional<status_details_view>& details,
    std::optional<std::int64_t> step_timeout) noexcept {
  update_job_execution_request u;
  u.thing_name = n.thing_name();
  if (job) {
    u.job_id = job->key.job_id();
    u.expected_version = job->version;
    u.execution_number = job->key.execution_number;
  }
  u.status = status;
  u.status_details = details;
  u.step_timeout_in_minutes = step_timeout;
  u.include_job_execution_state = true;
  if (!n.namespace_id().empty()) u.namespace_id = n.namespace_id();
  return u;
}

inline describe_job_execution_request describe_request(
    const names& n, std::string_view job, bool document,
    std::optional<std::int64_t> execution) noexcept {
  describe_job_execution_request d;
  d.thing_name = n.thing_name();
  d.job_id = job;
  d.include_job_document = document;
  d.execution_number = execution;
  if (!n.namespace_id().empty()) d.namespace_id = n.namespace_id();
  return d;
}

// Whether `u` can be sent whatever the job, its version, execution number and the token: the
// encoder's checks, and the size of the longest such update within max_report_size.
inline error check_fits(update_job_execution_request u, std::size_t max_report_size) noexcept {
  u.job_id = std::string_view("0123456789012345678901234567890123456789012345678901234567890123");
  u.expected_version = std::numeric_limits<std::int64_t>::min();
  u.execution_number = std::numeric_limits<std::int64_t>::min();
  u.client_token = std::string_view("ffffffff-18446744073709551615");  // the longest token
  const auto size = mqtt::encoded_size(u);
  if (!size) return size.error();
  return size->payload <= max_report_size ? error::ok : error::buffer_too_small;
}

}  // namespace detail

}  // namespace iotjobs::runner

#endif  // IOTJOBS_DETAIL_RUNNER_PARTS_HPP
