// iotjobs — the device's job loop as a sans-I/O state machine: it finds the thing's current job,
// hands it to the application, carries the application's reports to the service, and sees the job
// end. It owns no socket, thread or clock. The caller feeds it what arrives and what time it is,
// and drains what it must publish, when to call back, and what happened:
//
//   auto r = iotjobs::runner::job_runner::create(config);   // result<job_runner>
//   for (std::string_view f : r->subscriptions()) mqtt.subscribe(f);
//   r->connected(now);                                      // after every (re)connect
//   r->receive(topic, payload, now);                        // every message that arrives
//   r->tick(now);                                           // at next_deadline(), or later
//   r->report({iotjobs::update_status::succeeded, details}, now);  // the application's
//   while (auto m = r->next_publish()) mqtt.publish(m->topic, m->payload);  // QoS 1
//   if (auto e = r->next_event()) ...                       // job_started, job_ended, ...
//
// docs/runner.md tells what it does on each path of the job loop, and why.
#ifndef IOTJOBS_RUNNER_HPP
#define IOTJOBS_RUNNER_HPP

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <string_view>
#include <utility>
#include <variant>

#include "iotjobs/decoder.hpp"
#include "iotjobs/detail/runner_parts.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/messages.hpp"
#include "iotjobs/model.hpp"
#include "iotjobs/mqtt.hpp"
#include "iotjobs/validate.hpp"

namespace iotjobs::runner {

/// What a runner is for and how patient it is. The strings are copied by create().
struct config {
  borrowed_string thing_name;
  borrowed_string namespace_id;  // a Greengrass namespace (`aws-gg-deployment`); empty: none
  /// Seeds the clientTokens' prefix and the retry jitter: give each start of the device a
  /// different one (a boot counter, a random number), so that replies meant for an earlier run
  /// are not taken for this one's.
  std::uint64_t seed = 0;
  std::chrono::milliseconds reply_timeout = std::chrono::seconds(10);
  std::chrono::milliseconds retry_delay = std::chrono::seconds(1);  // the first backoff
  std::chrono::milliseconds max_retry_delay = std::chrono::seconds(64);
  std::chrono::milliseconds empty_next_delay = std::chrono::seconds(2);
  /// Sent with the update that claims a QUEUED job: the service times the job out if no update
  /// follows in time (1-10080). A job_report can set it again, to keep the timer alive.
  std::optional<std::int64_t> step_timeout_in_minutes;
  /// The largest update payload, in bytes: report() refuses larger ones (buffer_too_small).
  std::size_t max_report_size = 4096;
  /// Reserved in the decoder up front, so that messages up to this size never allocate; a larger
  /// one grows it once.
  std::size_t max_message_size = 16384;
};

/// What the application reports for the running job: IN_PROGRESS as it goes, then SUCCEEDED,
/// FAILED or REJECTED once. The service replaces the execution's statusDetails with each
/// report's (an absent one keeps them).
struct job_report {
  update_status status = update_status::in_progress;
  std::optional<status_details_view> status_details;
  /// Restarts the step timer for this many minutes (1-10080); -1 stops it.
  std::optional<std::int64_t> step_timeout_in_minutes;
};

// The events. Lifetime of every view in them: valid until the next call of connected(),
// receive() or tick() on the runner, or its destruction; job_id alone lives until the job has
// ended. Copy a job_started's document to keep it.

/// A job for the application to run. `resumed`: the execution was IN_PROGRESS already (this
/// device started it before a restart); `status_details` are what it last reported, to carry on
/// from. A QUEUED one is claimed (moved to IN_PROGRESS) by the runner as the event is handed out.
struct job_started {
  std::string_view job_id;
  std::optional<std::int64_t> execution_number;
  std::optional<std::int64_t> version_number;
  job_document_view document;
  std::optional<status_details_view> status_details;
  std::optional<std::int64_t> approximate_seconds_before_timed_out;
  bool resumed = false;
};

/// An IN_PROGRESS report of the application's, applied by the service.
struct report_accepted {
  std::string_view job_id;
  std::optional<std::int64_t> version_number;
};

/// The running job has ended: by the application's final report (`reported`), or without it.
/// `status` is the execution's, when the service said it (CANCELED, TIMED_OUT, ...: a describe
/// of an ended execution is TerminalStateReached, which does not say); `code` is the rejection
/// that told, if one did (ResourceNotFound for a deleted job); `version_number` the execution's
/// version as last known.
struct job_ended {
  std::string_view job_id;
  std::optional<std::int64_t> execution_number;
  std::optional<std::int64_t> version_number;
  job_execution_status status = job_execution_status::unknown;
  bool reported = false;
  std::optional<rejection_code> code;
};

/// `$next` is empty: nothing to do until a notify-next or a reconnect.
struct nothing_pending {};

/// The service refused a request for a reason retrying cannot mend (InvalidRequest, InvalidJson,
/// an unknown code, ...). For a report (`job_id` set), the job goes on and the report is dropped:
/// the application may report again. For `$next` (`job_id` empty), the runner waits for a
/// notify-next or a reconnect.
struct request_refused {
  std::string_view job_id;
  rejection_code code = rejection_code::unknown;
  std::string_view code_text;
  std::optional<std::string_view> message;
  /// Not ok: no rejection came, but three replies in a row that could not be read (this error):
  /// a job document nested too deeply, say. The request is given up as if refused.
  error unreadable = error::ok;
};

using event =
    std::variant<job_started, report_accepted, job_ended, nothing_pending, request_refused>;

/// The job loop of one thing (in one namespace). Movable, not copyable; not thread-safe.
///
/// Memory: create() allocates everything it will use: the decoder's storage for messages up to
/// max_message_size (about 24 bytes a byte), and about 12 bytes a byte of max_report_size for the
/// request it sends and two reports' copies; after it, nothing allocates unless a message larger
/// than any before arrives. A moved-from runner may only be destroyed or assigned to.
class job_runner {
 public:
  /// A runner for `c`: error::invalid_thing_name, invalid_namespace_id, invalid_step_timeout or
  /// invalid_timing for a bad config, buffer_too_small when max_report_size cannot hold the
  /// runner's own claim, out_of_memory.
  [[nodiscard]] static result<job_runner> create(const config& c) noexcept {
    std::unique_ptr<state> s(new (std::nothrow) state);
    if (!s) return error::out_of_memory;
    if (c.step_timeout_in_minutes && !is_valid_step_timeout(*c.step_timeout_in_minutes))
      return error::invalid_step_timeout;
    if (!detail::valid_timing(c.reply_timeout, c.retry_delay, c.max_retry_delay,
                              c.empty_next_delay))
      return error::invalid_timing;
    s->random = c.seed;
    if (const error e = s->names.set(c.thing_name, c.namespace_id, s->random); e != error::ok)
      return e;
    s->cfg = c;
    s->cfg.thing_name = s->names.thing_name();
    s->cfg.namespace_id = s->names.namespace_id();
    s->payload.reset(new (std::nothrow) char[c.max_report_size]);
    if (!s->pending.allocate(c.max_report_size) || !s->sent.allocate(c.max_report_size) ||
        !s->payload)
      return error::out_of_memory;
    if (const error e = s->dec.reserve(std::min(c.max_message_size, max_payload_size));
        e != error::ok)
      return e;
    job_runner r(std::move(s));
    if (const error e = detail::check_fits(
            detail::update_request(r.s_->names, nullptr, update_status::in_progress, std::nullopt,
                                   c.step_timeout_in_minutes),
            c.max_report_size);
        e != error::ok)
      return e;
    return r;
  }

  // ---- inputs ---------------------------------------------------------------------------------

  /// The MQTT session is up, for the first time or again: asks the service where things stand.
  void connected(instant now) noexcept {
    begin_input();
    if (s_->in_flight) {
      resend(now);
    } else if (s_->job) {
      ask_job(now);
    } else {
      ask_next(now);
    }
  }

  /// A message from the broker. Topics of other things, other namespaces and other APIs are
  /// ignored (error::ok); so are replies to requests not in flight. A Jobs message of this thing
  /// that does not decode gives the decoder's error and changes nothing; so does a `$next` reply
  /// naming a job by an id no request could carry (error::invalid_job_id). The third such reply
  /// to one request in a row ends it: request_refused, with `unreadable` set.
  error receive(std::string_view topic, std::string_view payload, instant now) noexcept {
    begin_input();
    const auto t = mqtt::parse_topic(topic);
    if (!t || t->thing_name != s_->names.thing_name() ||
        t->namespace_id != s_->names.namespace_id())
      return error::ok;
    // Decodes the payload as `tag` says and hands the view to `handle`; counts a reply that
    // cannot be read (`awaited`: one on the topic of the request in flight).
    error refused = error::ok;  // a reply that decodes but cannot be acted on
    const auto read = [&](auto tag, auto handle, bool awaited = false) {
      const auto m = s_->dec.decode(tag, payload);
      if (m) handle(*m);
      const error e = m ? refused : m.error();
      if (awaited && e != error::ok && ++s_->in_flight->unreadable == 3)
        refuse({}, {}, std::nullopt, e, now);
      return e;
    };
    using k = mqtt::topic_kind;
    switch (t->kind) {
      case k::notify_next:
        return read(mqtt::notify_next, [&](const notify_next_view& n) { on_notify_next(n, now); });
      case k::notify: return read(mqtt::notify, [&](const notify_view& n) { on_notify(n, now); });
      case k::describe_accepted:
        if (!awaits(request::describe, t->job_id)) return error::ok;
        return read(
            mqtt::describe_accepted,
            [&](const execution_accepted_view& a) {
              if (!is_reply(a.client_token)) return;
              // The job runs under this id: one no request could name is refused (AWS sends none).
              if (a.execution && !is_valid_job_id(a.execution->job_id)) {
                refused = error::invalid_job_id;
                return;
              }
              on_described(a.execution, now);
            },
            true);
      case k::update_accepted:
        if (!awaits(request::update, t->job_id)) return error::ok;
        return read(
            mqtt::update_accepted,
            [&](const update_accepted_view& a) {
              if (is_reply(a.client_token)) on_applied(a.execution_state, now);
            },
            true);
      case k::describe_rejected:
      case k::update_rejected:
        if (!awaits(t->kind == k::update_rejected ? request::update : request::describe, t->job_id))
          return error::ok;
        return read(
            mqtt::rejected,
            [&](const rejected_view& r) {
              if (is_reply(r.client_token)) on_rejected(r, now);
            },
            true);
      default: return error::ok;
    }
  }

  /// Time has passed: sends again what went unanswered, and what waited out a backoff.
  void tick(instant now) noexcept {
    begin_input();
    if (s_->in_flight && now >= s_->in_flight->resend_at) resend(now);
  }

  /// The application's report on the running job. Checked as the encoder checks it, then kept
  /// (its statusDetails copied) until the service has applied it; a report given while another
  /// is on its way replaces any that waits behind it. error::no_running_job when no job runs or
  /// its final report was given; buffer_too_small when it would pass max_report_size.
  error report(const job_report& r, instant now) noexcept {
    if (!s_->job || s_->job->final_given) return error::no_running_job;
    if (const error e =
            detail::check_fits(detail::update_request(s_->names, &*s_->job, r.status,
                                                      r.status_details, r.step_timeout_in_minutes),
                               s_->cfg.max_report_size);
        e != error::ok)
      return e;
    // Copied: the application's strings may be gone by the time the report is sent. They fit,
    // as the payload they make fits.
    s_->pending.keep(r.status, r.status_details, r.step_timeout_in_minutes, false);
    s_->job->final_given = r.status != update_status::in_progress;
    if (!s_->in_flight) send_pending(now);
    return error::ok;
  }

  /// Leaves the running job to its owner (another agent of the device): nothing more is sent
  /// about it, unapplied reports are dropped, and `$next` naming it again is nothing pending.
  /// Call it on its job_started, before draining next_publish(), and a QUEUED job's claim is
  /// never sent (docs/runner.md). error::no_running_job when no job runs.
  error leave() noexcept {
    if (!s_->job) return error::no_running_job;
    s_->ended.add(s_->job->key);
    s_->job.reset();
    s_->pending.used = s_->sent.used = false;
    s_->in_flight.reset();
    return error::ok;
  }

  // ---- outputs --------------------------------------------------------------------------------

  /// The request to publish now (QoS 1), once for each time it is due: after each input, drain
  /// until empty. Lifetime: valid until the next input.
  std::optional<message_view> next_publish() noexcept {
    if (!s_->in_flight || !s_->in_flight->due) return std::nullopt;
    s_->in_flight->due = false;
    return message_view{{s_->topic.data(), s_->in_flight->topic_size},
                        {s_->payload.get(), s_->in_flight->payload_size}};
  }

  /// What the last input made happen (one event at most). Take it after each input: the next one
  /// drops it (its views would point into messages that are gone).
  std::optional<event> next_event() noexcept { return std::exchange(s_->event, std::nullopt); }

  /// When to call tick() next, if anything waits on the clock.
  std::optional<instant> next_deadline() const noexcept {
    if (!s_->in_flight) return std::nullopt;
    return s_->in_flight->resend_at;
  }

  /// The filters to subscribe to before the first connected() (mqtt::device_filters()), each
  /// followed by a NUL. Lifetime: as long as the runner.
  const std::array<std::string_view, mqtt::device_filter_count>& subscriptions() const noexcept {
    return s_->names.filters;
  }

  /// The id of the job the application runs, if one runs. Lifetime: until the job has ended.
  std::optional<std::string_view> running_job() const noexcept {
    return s_->job ? std::optional<std::string_view>(s_->job->key.job_id()) : std::nullopt;
  }

 private:
  enum class request : std::uint8_t { describe, update };  // what a reply answers
  struct state {
    config cfg;
    detail::names names;
    std::uint64_t tokens = 0, random = 0;  // the last token's counter; the jitter's state
    iotjobs::decoder dec;
    std::optional<detail::running> job;
    std::optional<detail::flight> in_flight;
    std::optional<std::int64_t> sent_version;  // the expectedVersion `sent` went with
    detail::report_slot pending, sent;
    std::array<char, mqtt::max_topic_size> topic{};
    std::unique_ptr<char[]> payload;
    detail::ended_jobs ended;  // not to be run again
    detail::execution_key last_ended;
    bool next_announced = false;  // a notify-next named a job since `$next` was last answered
    std::optional<iotjobs::runner::event> event;  // an input makes at most one
  };

  explicit job_runner(std::unique_ptr<state> s) noexcept : s_(std::move(s)) {}

  void begin_input() noexcept { s_->event.reset(); }
  void emit(event e) noexcept { s_->event = std::move(e); }

  // ---- requests -------------------------------------------------------------------------------

  // A new request in flight, due now, with a token of its own.
  template <class Request>
  void send(detail::purpose why, Request rq, instant now) noexcept {
    detail::flight f{why, true, now + s_->cfg.reply_timeout};
    f.set_token(s_->names.token_prefix, ++s_->tokens);
    rq.client_token = f.client_token();
    if constexpr (std::is_same_v<Request, update_job_execution_request>)
      s_->sent_version = rq.expected_version;
    // Cannot fail: the names were checked by create() or came from a decoded message, and every
    // report was checked by check_fits().
    const auto m = mqtt::encode_to_n(
        s_->topic, mutable_buffer(s_->payload.get(), s_->cfg.max_report_size), rq);
    if (!m) return s_->in_flight.reset();
    f.topic_size = m->topic.size();
    f.payload_size = m->payload.size();
    s_->in_flight = f;
  }

  void ask_next(instant now) noexcept {
    send(detail::purpose::find_next,
         detail::describe_request(s_->names, next_job_id, true, std::nullopt), now);
  }

  void ask_job(instant now, detail::purpose why = detail::purpose::check_job) noexcept {
    s_->job->check_wanted = false;
    send(why,
         detail::describe_request(s_->names, s_->job->key.job_id(), false,
                                  s_->job->key.execution_number),
         now);
  }

  // Sends the report in `sent` at the job's current version.
  void send_sent(instant now) noexcept {
    const detail::report_slot& r = s_->sent;
    send(detail::purpose::report,
         detail::update_request(s_->names, &*s_->job, r.status, r.details(),
                                r.step_timeout_in_minutes),
         now);
  }

  void send_pending(instant now) noexcept {
    std::swap(s_->pending, s_->sent);
    s_->pending.used = false;
    send_sent(now);
  }

  // The request in flight about the running job is answered: what the job waits for next.
  void carry_on(instant now) noexcept {
    s_->in_flight.reset();
    if (s_->pending.used) return send_pending(now);
    if (s_->job->check_wanted) ask_job(now);
  }

  // The request in flight, due again as it was.
  void resend(instant now) noexcept {
    s_->in_flight->due = true;
    s_->in_flight->resend_at = now + s_->cfg.reply_timeout;
  }

  void back_off(instant now) noexcept {
    detail::flight& f = *s_->in_flight;
    f.due = false;
    f.resend_at = now + detail::backoff(f.backoffs++, s_->cfg.retry_delay, s_->cfg.max_retry_delay,
                                        s_->random);
  }

  // ---- replies --------------------------------------------------------------------------------

  bool awaits(request kind, std::string_view job_id) const noexcept {
    if (!s_->in_flight) return false;
    const bool describe = s_->in_flight->why != detail::purpose::report;
    if (describe != (kind == request::describe)) return false;
    if (s_->in_flight->why == detail::purpose::find_next) return job_id == next_job_id;
    return job_id == s_->job->key.job_id();  // a job runs: only $next is asked without one
  }

  bool is_reply(std::optional<std::string_view> token) const noexcept {
    return token && *token == s_->in_flight->client_token();
  }

  // Whether the update in `sent` made `status` at `version`: it was applied, its reply lost.
  bool was_applied(job_execution_status status,
                   std::optional<std::int64_t> version) const noexcept {
    return status == to_job_execution_status(s_->sent.status) && version &&
           version == detail::next_version(s_->sent_version);
  }

  void on_described(const std::optional<job_execution_view>& x, instant now) noexcept {
    if (s_->in_flight->why == detail::purpose::find_next) return on_next(x, now);
    // The running job, described: no execution at all is as good as gone.
    if (!x) return end_job(job_execution_status::unknown, std::nullopt, false, now);
    on_job_state(x->status, x->version_number, std::nullopt, now);
  }

  // The running job's state, as a describe or a rejection told it.
  // `code`: the rejection that carried it, if one did.
  void on_job_state(job_execution_status status, std::optional<std::int64_t> version,
                    std::optional<rejection_code> code, instant now) noexcept {
    if (s_->in_flight->why != detail::purpose::check_job && was_applied(status, version))
      return on_applied_version(version, now);
    s_->job->version = version;
    if (is_terminal(status)) return end_job(status, code, false, now);
    if (s_->in_flight->why == detail::purpose::check_job) return carry_on(now);
    send_sent(now);  // at the current version
  }

  void on_next(const std::optional<job_execution_view>& x, instant now) noexcept {
    const bool runnable = x && (x->status == job_execution_status::queued ||
                                x->status == job_execution_status::in_progress);
    const detail::execution_key key =
        runnable ? detail::execution_key::of(*x) : detail::execution_key();
    const bool ended_here = runnable && s_->ended.holds(key);
    if (!runnable || ended_here) {
      if (s_->next_announced) {  // once for each notify-next
        s_->next_announced = false;
        ask_next(now);  // a new token: a second copy of this reply is no answer to it
        s_->in_flight->due = false;
        s_->in_flight->resend_at = now + s_->cfg.empty_next_delay;
        return;
      }
      s_->in_flight.reset();
      return emit(nothing_pending{});
    }
    s_->next_announced = false;
    s_->in_flight.reset();
    s_->job = detail::running{key, x->version_number, false, false};
    s_->pending.used = false;
    const bool resumed = x->status == job_execution_status::in_progress;
    emit(job_started{s_->job->key.job_id(), x->execution_number, x->version_number,
                     x->job_document.value_or(job_document_view("{}")), x->status_details,
                     x->approximate_seconds_before_timed_out, resumed});
    if (resumed) return;
    s_->sent.keep(update_status::in_progress, std::nullopt, s_->cfg.step_timeout_in_minutes, true);
    send_sent(now);
  }

  // An update/accepted with the request's token. Its executionState (always asked for) must be
  // what the update made, or it answers another update: one of an earlier run of the device,
  // whose tokens this one's repeat when both had the same seed.
  void on_applied(const std::optional<job_execution_state_view>& st, instant now) noexcept {
    const auto made = detail::next_version(s_->sent_version);
    if (st && (st->status != to_job_execution_status(s_->sent.status) ||
               (st->version_number && made && st->version_number != made)))
      return;
    on_applied_version(st && st->version_number ? st->version_number : made, now);
  }

  // The update in `sent` was applied, making the job's version `version`.
  void on_applied_version(std::optional<std::int64_t> version, instant now) noexcept {
    s_->job->version = version;
    s_->sent.used = false;
    if (s_->sent.status != update_status::in_progress)
      return end_job(to_job_execution_status(s_->sent.status), std::nullopt, true, now);
    if (!s_->sent.claim) emit(report_accepted{s_->job->key.job_id(), version});
    carry_on(now);
  }

  void on_rejected(const rejected_view& r, instant now) noexcept {
    const auto& st = r.execution_state;
    switch (r.code) {
      case rejection_code::request_throttled:
      case rejection_code::internal_error: return back_off(now);
      case rejection_code::version_mismatch:
        if (s_->in_flight->why != detail::purpose::report) break;
        if (!st) return ask_job(now, detail::purpose::repair);
        return on_job_state(st->status, st->version_number, r.code, now);
      case rejection_code::invalid_state_transition:
      case rejection_code::terminal_state_reached:
      case rejection_code::resource_not_found:
        if (s_->in_flight->why == detail::purpose::find_next) break;
        if (st && s_->in_flight->why == detail::purpose::report &&
            was_applied(st->status, st->version_number))
          return on_applied_version(st->version_number, now);
        if (st && !is_terminal(st->status)) break;  // the execution goes on: only refused
        if (st) s_->job->version = st->version_number;
        return end_job(st ? st->status : job_execution_status::unknown, r.code, false, now);
      default: break;
    }
    refuse(r.code, r.code_text, r.message, error::ok, now);
  }

  // The request in flight is given up: request_refused, and the report it carried dropped.
  void refuse(rejection_code code, std::string_view code_text,
              std::optional<std::string_view> message, error unreadable, instant now) noexcept {
    const bool about_job = s_->in_flight->why != detail::purpose::find_next;
    if (s_->in_flight->why == detail::purpose::report ||
        s_->in_flight->why == detail::purpose::repair) {
      if (s_->sent.status != update_status::in_progress) s_->job->final_given = false;
      s_->sent.used = false;
    }
    emit(request_refused{about_job ? s_->job->key.job_id() : std::string_view(), code, code_text,
                         message, unreadable});
    if (about_job) return carry_on(now);
    s_->in_flight.reset();
  }

  void end_job(job_execution_status status, std::optional<rejection_code> code, bool reported,
               instant now) noexcept {
    detail::running& j = *s_->job;
    s_->last_ended = j.key;  // the event's job_id points here
    // Not run again: an end the service said (a describe that found no execution is not one).
    if (is_terminal(status) || code) s_->ended.add(j.key);
    emit(job_ended{s_->last_ended.job_id(), j.key.execution_number, j.version, status, reported,
                   code});
    s_->job.reset();
    s_->pending.used = s_->sent.used = false;
    ask_next(now);
  }

  // ---- events ---------------------------------------------------------------------------------

  void on_notify_next(const notify_next_view& n, instant now) noexcept {
    const auto& x = n.execution;
    if (s_->job) {
      const bool running = x && s_->job->key.named_by(x->job_id, x->execution_number);
      if (x && !running) s_->next_announced = true;
      if (!running) suspect(now);
      return;
    }
    if (!x) return;
    s_->next_announced = true;
    if (!s_->in_flight) ask_next(now);
  }

  void on_notify(const notify_view& n, instant now) noexcept {
    const auto listed = [&](job_execution_status status) {
      const auto jobs = n.find(status);
      return std::any_of(jobs.begin(), jobs.end(), [&](const job_execution_summary_view& j) {
        return s_->job->key.named_by(j.job_id, j.execution_number);
      });
    };
    if (s_->job) {
      if (!listed(job_execution_status::in_progress) && !listed(job_execution_status::queued))
        suspect(now);
      return;
    }
    if (!s_->in_flight && !(n.find(job_execution_status::queued).empty() &&
                            n.find(job_execution_status::in_progress).empty()))
      ask_next(now);
  }

  // The running job may have ended without the device: ask, once nothing else is in flight (a
  // reply to an update in flight tells as much).
  void suspect(instant now) noexcept {
    if (!s_->in_flight) return ask_job(now);
    s_->job->check_wanted = true;
  }

  std::unique_ptr<state> s_;
};

}  // namespace iotjobs::runner

#endif  // IOTJOBS_RUNNER_HPP
