#include "emulator.hpp"

#include <simdjson.h>

#include <algorithm>
#include <iterator>
#include <type_traits>
#include <variant>

namespace iotjobs_emulator {
namespace {

namespace mqtt = iotjobs::mqtt;
using iotjobs::error;
using iotjobs::job_execution_status;
using iotjobs::rejection_code;

// The most executions GetPendingJobExecutions and notify list (the AWS IoT Jobs limits page).
constexpr std::size_t pending_limit = 10;

// The pending list: IN_PROGRESS executions, then QUEUED ones, each in queue order.
template <class State>
auto pending_of(State& t) {
  std::vector<decltype(&t.executions.front())> list;
  for (const job_execution_status s :
       {job_execution_status::in_progress, job_execution_status::queued}) {
    for (auto& x : t.executions) {
      if (x.status == s) list.push_back(&x);
    }
  }
  return list;
}

template <class State>
auto find_in(State& t, std::string_view job_id) -> decltype(&t.executions.front()) {
  for (auto& x : t.executions) {
    if (x.job_id == job_id) return &x;
  }
  return nullptr;
}

std::vector<iotjobs::status_detail> details_of(const execution& x) {
  std::vector<iotjobs::status_detail> d;
  for (const auto& [key, value] : x.status_details)
    d.push_back({key, value});
  return d;
}

// A request's statusDetails, when it has them, replace the execution's.
void set_details(execution& x, const std::optional<iotjobs::status_details_view>& details) {
  if (!details) return;
  x.status_details.clear();
  for (const iotjobs::status_detail& d : *details)
    x.status_details.emplace_back(d.key, d.value);
}

iotjobs::job_execution_summary_view summary_of(const execution& x) {
  iotjobs::job_execution_summary_view s;
  s.job_id = x.job_id;
  s.queued_at = x.queued_at;
  s.started_at = x.started_at;
  s.last_updated_at = x.last_updated_at;
  s.version_number = x.version_number;
  s.execution_number = x.execution_number;
  return s;
}

iotjobs::job_execution_state_view state_of(const execution& x,
                                           const std::vector<iotjobs::status_detail>& details) {
  iotjobs::job_execution_state_view s;
  s.status = x.status;
  if (!details.empty()) s.status_details = iotjobs::status_details_view(details);
  s.version_number = x.version_number;
  return s;
}

// An execution as the accepted responses carry it (`thing` set) or notify-next (`thing` empty:
// AWS's examples have no thingName and no statusDetails there).
iotjobs::job_execution_view view_of(const execution& x, std::string_view thing,
                                    const std::vector<iotjobs::status_detail>& details,
                                    bool with_document, std::int64_t now) {
  iotjobs::job_execution_view v;
  v.job_id = x.job_id;
  v.status = x.status;
  if (!thing.empty()) {
    v.thing_name = thing;
    if (!details.empty()) v.status_details = iotjobs::status_details_view(details);
  }
  v.queued_at = x.queued_at;
  v.started_at = x.started_at;
  v.last_updated_at = x.last_updated_at;
  // The sooner of the two timers.
  std::optional<std::int64_t> deadline = x.step_deadline;
  if (x.in_progress_deadline && (!deadline || *x.in_progress_deadline < *deadline))
    deadline = x.in_progress_deadline;
  if (deadline) v.approximate_seconds_before_timed_out = std::max<std::int64_t>(0, *deadline - now);
  v.version_number = x.version_number;
  v.execution_number = x.execution_number;
  if (with_document) v.job_document = iotjobs::job_document_view(x.document);
  return v;
}

std::string topic_of(mqtt::topic_kind kind, std::string_view thing, std::string_view ns) {
  char buf[mqtt::max_topic_size];
  const auto t = mqtt::build_topic(kind, thing, {}, buf, ns);
  return t ? std::string(*t) : std::string();
}

// The clientToken of a payload that failed typed decoding, if it has a readable one.
std::optional<std::string> token_in(std::string_view payload) {
  if (payload.empty()) return std::nullopt;  // and its data() may be null, which parse() copies
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  std::string_view token;
  if (parser.parse(payload.data(), payload.size()).get(obj) || obj["clientToken"].get(token) ||
      !iotjobs::is_valid_client_token(token))
    return std::nullopt;
  return std::string(token);
}

}  // namespace

jobs_emulator::jobs_emulator(publish_function publish, clock_function now)
    : publish_(std::move(publish)), now_(std::move(now)) {}

const execution* jobs_emulator::find(std::string_view thing, std::string_view job_id,
                                     std::string_view namespace_id) const {
  const auto t = things_.find({std::string(namespace_id), std::string(thing)});
  return t == things_.end() ? nullptr : find_in(t->second, job_id);
}

jobs_emulator::thing_state* jobs_emulator::list_of(const request_context& rq) {
  const auto t = things_.find({std::string(rq.namespace_id), std::string(rq.thing)});
  return t == things_.end() ? nullptr : &t->second;
}

bool jobs_emulator::replies_fit(const execution& x, std::string_view thing) const {
  const std::vector<iotjobs::status_detail> details = details_of(x);
  iotjobs::execution_accepted_view v;
  v.execution = view_of(x, thing, details, true, 0);
  v.timestamp = INT64_MIN;  // the longest a timestamp prints
  v.client_token =
      std::string_view("0123456789012345678901234567890123456789012345678901234567890123");
  const auto size = iotjobs::service::encoded_size(v);
  return size && *size <= iotjobs::max_payload_size;
}

jobs_emulator::pending_snapshot jobs_emulator::snapshot(const thing_state& t) const {
  pending_snapshot s;
  for (const execution* x : pending_of(t))
    s.ids.push_back(x->job_id);
  return s;
}

void jobs_emulator::publish_events(const list_key& key, const thing_state& t,
                                   const pending_snapshot& before) {
  const auto& [ns, thing] = key;
  const std::vector<const execution*> now_pending = pending_of(t);
  const std::int64_t now = now_();
  std::vector<std::string> ids_now;
  for (const execution* x : now_pending)
    ids_now.push_back(x->job_id);
  std::vector<std::string> a = before.ids, b = ids_now;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  if (a != b) {  // an execution joined or left the list
    std::vector<iotjobs::job_execution_summary_view> in_progress, queued;
    for (std::size_t i = 0; i < now_pending.size() && i < pending_limit; ++i) {
      const execution& x = *now_pending[i];
      (x.status == job_execution_status::in_progress ? in_progress : queued)
          .push_back(summary_of(x));
    }
    std::vector<iotjobs::job_group_view> groups;
    if (!in_progress.empty())
      groups.push_back({job_execution_status::in_progress, {}, in_progress});
    if (!queued.empty()) groups.push_back({job_execution_status::queued, {}, queued});
    if (const auto p = iotjobs::service::encode(iotjobs::notify_view{groups, now})) {
      publish_(topic_of(mqtt::topic_kind::notify, thing, ns), *p);
      ++stats_.notifications;
    }
  }
  const std::string first_before = before.ids.empty() ? std::string() : before.ids.front();
  const std::string first_now = ids_now.empty() ? std::string() : ids_now.front();
  if (first_before != first_now) {
    iotjobs::notify_next_view next;
    next.timestamp = now;
    const std::vector<iotjobs::status_detail> none;
    if (!now_pending.empty()) next.execution = view_of(*now_pending.front(), {}, none, true, now);
    if (const auto p = iotjobs::service::encode(next)) {
      publish_(topic_of(mqtt::topic_kind::notify_next, thing, ns), *p);
      ++stats_.notifications;
    }
  }
}

error jobs_emulator::add_job(std::string_view thing, const job_spec& job) {
  if (!iotjobs::is_valid_thing_name(thing)) return error::invalid_thing_name;
  if (!iotjobs::is_valid_job_id(job.job_id)) return error::invalid_job_id;
  if (!iotjobs::service::is_valid_job_document(job.document)) return error::invalid_job_document;
  if (!job.namespace_id.empty() && !iotjobs::is_valid_namespace_id(job.namespace_id))
    return error::invalid_namespace_id;
  if (job.in_progress_timeout_minutes &&
      !iotjobs::is_valid_step_timeout(*job.in_progress_timeout_minutes))
    return error::invalid_step_timeout;
  if (find(thing, job.job_id, job.namespace_id) != nullptr) return error::duplicate_field;
  const list_key key{job.namespace_id, std::string(thing)};
  thing_state& t = things_.try_emplace(key).first->second;
  const pending_snapshot before = snapshot(t);
  execution x;
  x.job_id = job.job_id;
  x.document = job.document;
  x.execution_number = 1;  // the first execution of this job on this thing
  x.queued_at = x.last_updated_at = now_();
  x.in_progress_timeout_minutes = job.in_progress_timeout_minutes;
  if (!replies_fit(x, thing)) return error::payload_too_large;
  t.executions.push_back(std::move(x));
  changed(key, t.executions.back());
  publish_events(key, t, before);
  return error::ok;
}

void jobs_emulator::changed(const list_key& key, const execution& x) const {
  if (on_change_) on_change_(key.second, key.first, x);
}

void jobs_emulator::accept(const request_context& rq, std::string_view payload) {
  publish_(rq.topic + "/accepted", payload);
  ++stats_.accepted;
}

void jobs_emulator::reject(const request_context& rq, rejection_code code, std::string_view message,
                           const execution* state) {
  iotjobs::rejected_view r;
  r.code = code;
  r.message = message;
  if (rq.client_token && iotjobs::is_valid_client_token(*rq.client_token))
    r.client_token = rq.client_token;
  r.timestamp = now_();
  std::vector<iotjobs::status_detail> details;
  if (state != nullptr) {
    details = details_of(*state);
    r.execution_state = state_of(*state, details);
  }
  if (const auto p = iotjobs::service::encode(r)) publish_(rq.topic + "/rejected", *p);
  ++stats_.rejected[std::string(iotjobs::to_wire(code))];
}

// An accepted response, or InternalError if it cannot be encoded (it always can: every value in
// it was checked on its way in).
template <class View>
void jobs_emulator::respond(const request_context& rq, const View& v) {
  const auto p = iotjobs::service::encode(v);
  if (!p) return reject(rq, rejection_code::internal_error, "the response could not be encoded");
  if (p->size() > iotjobs::max_payload_size)
    return reject(rq, rejection_code::invalid_request,
                  "the reply would pass the 128 KiB MQTT payload limit");
  accept(rq, *p);
}

void jobs_emulator::handle(std::string_view topic, std::string_view payload) {
  const auto parsed = mqtt::parse_topic(topic);
  if (!parsed) {
    if (parsed.error() == error::not_a_jobs_topic) return;
    // In the Jobs namespace, but no API: InvalidTopic, unless the topic is itself a response
    // (an answer to an answer would loop).
    const std::size_t slash = topic.rfind('/');
    const std::string_view last = topic.substr(slash + 1);
    if (last == "accepted" || last == "rejected") return;
    ++stats_.requests;
    const std::optional<std::string> token = token_in(payload);
    reject({{}, {}, {}, std::string(topic), token}, rejection_code::invalid_topic,
           "no Jobs API uses this topic");
    return;
  }
  if (!mqtt::is_request(parsed->kind)) return;  // responses and events, our own among them
  ++stats_.requests;
  request_context rq{
      parsed->thing_name, parsed->job_id, parsed->namespace_id, std::string(topic), {}};
  // The request, its thing and job from the topic; InvalidJson for a payload that is not JSON,
  // InvalidRequest for one that is not the request or whose values break the rules a device's
  // encoder applies (mqtt::check).
  const auto m = mqtt::decode(decoder_, topic, payload);
  if (!m) {
    const error e = m.error();
    const std::optional<std::string> token = token_in(payload);
    if (token) rq.client_token = *token;
    const bool not_json = e == error::invalid_json || e == error::invalid_utf8 ||
                          e == error::trailing_content || e == error::nesting_too_deep ||
                          e == error::payload_too_large || e == error::out_of_memory;
    return reject(rq, not_json ? rejection_code::invalid_json : rejection_code::invalid_request,
                  iotjobs::message(e));
  }
  std::visit(
      [&](const auto& request) {
        if constexpr (mqtt::is_request_v<std::decay_t<decltype(request)>>) {
          rq.client_token = request.client_token;
          if (const error e = mqtt::check(request); e != error::ok)
            return reject(rq, rejection_code::invalid_request, iotjobs::message(e));
          serve(rq, request);
        }
      },
      m->body);
}

void jobs_emulator::serve(const request_context& rq,
                          const iotjobs::get_pending_job_executions_request&) {  // nothing to read
  std::vector<iotjobs::job_execution_summary_view> in_progress, queued;
  if (const thing_state* t = list_of(rq)) {
    const std::vector<const execution*> list = pending_of(*t);
    for (std::size_t i = 0; i < list.size() && i < pending_limit; ++i)
      (list[i]->status == job_execution_status::in_progress ? in_progress : queued)
          .push_back(summary_of(*list[i]));
  }
  iotjobs::get_pending_accepted_view v;
  v.in_progress_jobs = in_progress;
  v.queued_jobs = queued;
  v.timestamp = now_();
  v.client_token = rq.client_token;
  respond(rq, v);
}

// The timers of an execution a request leaves IN_PROGRESS: the job's in-progress timer starts
// at the first move there; the step timer starts anew with a given stepTimeoutInMinutes, and
// -1 cancels it (the step timer only).
void jobs_emulator::start_timer(execution& x, std::optional<std::int64_t> minutes) {
  const std::int64_t now = now_();
  if (x.in_progress_timeout_minutes && !x.in_progress_deadline)
    x.in_progress_deadline = now + *x.in_progress_timeout_minutes * 60;
  if (minutes && *minutes > 0) {
    x.step_deadline = now + *minutes * 60;
  } else if (minutes) {
    x.step_deadline.reset();
  }
}

// StartNext and Update make their changes to a copy of the execution, and keep it only if every
// reply about the result fits a payload.
void jobs_emulator::serve(const request_context& rq,
                          const iotjobs::start_next_pending_job_execution_request& r) {
  const std::int64_t now = now_();
  iotjobs::execution_accepted_view v;
  v.timestamp = now;
  v.client_token = rq.client_token;
  std::vector<iotjobs::status_detail> details;
  thing_state* t = list_of(rq);
  const std::vector<execution*> list = t ? pending_of(*t) : std::vector<execution*>();
  if (list.empty()) return respond(rq, v);
  execution& x = *list.front();
  if (x.status != job_execution_status::queued) {  // IN_PROGRESS: returned unchanged
    details = details_of(x);
    v.execution = view_of(x, rq.thing, details, true, now);
    return respond(rq, v);
  }
  execution next = x;
  next.status = job_execution_status::in_progress;
  next.started_at = next.last_updated_at = now;
  ++next.version_number;
  set_details(next, r.status_details);
  start_timer(next, r.step_timeout_in_minutes);
  if (!replies_fit(next, rq.thing))
    return reject(rq, rejection_code::invalid_request,
                  "the execution's replies would pass the 128 KiB MQTT payload limit");
  const pending_snapshot before = snapshot(*t);
  x = std::move(next);
  ++stats_.updates_applied;
  changed({std::string(rq.namespace_id), std::string(rq.thing)}, x);
  details = details_of(x);
  v.execution = view_of(x, rq.thing, details, true, now);
  respond(rq, v);
  publish_events({std::string(rq.namespace_id), std::string(rq.thing)}, *t,
                 before);  // none, by the rules above
}

void jobs_emulator::serve(const request_context& rq,
                          const iotjobs::describe_job_execution_request& r) {
  const std::int64_t now = now_();
  iotjobs::execution_accepted_view v;
  v.timestamp = now;
  v.client_token = rq.client_token;
  const execution* x = nullptr;
  const thing_state* t = list_of(rq);
  if (rq.job_id == iotjobs::next_job_id) {
    if (t != nullptr) {
      const std::vector<const execution*> list = pending_of(*t);
      if (!list.empty()) x = list.front();
    }
  } else {
    x = t ? find_in(*t, rq.job_id) : nullptr;
    if (x == nullptr || (r.execution_number && *r.execution_number != x->execution_number))
      return reject(rq, rejection_code::resource_not_found, "no such job execution");
    if (iotjobs::is_terminal(x->status))
      return reject(rq, rejection_code::terminal_state_reached,
                    "the job execution is in a terminal state");
  }
  std::vector<iotjobs::status_detail> details;
  if (x != nullptr) {
    details = details_of(*x);
    v.execution = view_of(*x, rq.thing, details, r.include_job_document.value_or(true), now);
  }
  respond(rq, v);
}

void jobs_emulator::serve(const request_context& rq,
                          const iotjobs::update_job_execution_request& r) {
  thing_state* t = list_of(rq);
  execution* x = t ? find_in(*t, rq.job_id) : nullptr;
  if (x == nullptr || (r.execution_number && *r.execution_number != x->execution_number))
    return reject(rq, rejection_code::resource_not_found, "no such job execution");
  if (r.expected_version && *r.expected_version != x->version_number)
    return reject(rq, rejection_code::version_mismatch,
                  "expectedVersion does not match the current version", x);
  if (iotjobs::is_terminal(x->status))
    return reject(rq, rejection_code::invalid_state_transition,
                  "the job execution is in a terminal state", x);
  const std::int64_t now = now_();
  execution next = *x;
  if (next.status == job_execution_status::queued) next.started_at = now;
  next.status = iotjobs::to_job_execution_status(r.status);
  next.last_updated_at = now;
  ++next.version_number;
  set_details(next, r.status_details);
  if (iotjobs::is_terminal(next.status)) {
    next.step_deadline.reset();
    next.in_progress_deadline.reset();
  } else {
    start_timer(next, r.step_timeout_in_minutes);
  }
  if (!replies_fit(next, rq.thing))
    return reject(rq, rejection_code::invalid_request,
                  "the execution's replies would pass the 128 KiB MQTT payload limit", x);
  const pending_snapshot before = snapshot(*t);
  *x = std::move(next);
  ++stats_.updates_applied;
  changed({std::string(rq.namespace_id), std::string(rq.thing)}, *x);
  iotjobs::update_accepted_view v;
  const std::vector<iotjobs::status_detail> details = details_of(*x);
  if (r.include_job_execution_state.value_or(false)) v.execution_state = state_of(*x, details);
  if (r.include_job_document.value_or(false))
    v.job_document = iotjobs::job_document_view(x->document);
  v.timestamp = now;
  v.client_token = rq.client_token;
  respond(rq, v);
  publish_events({std::string(rq.namespace_id), std::string(rq.thing)}, *t, before);
}

// An execution ended by the service: timed out or canceled.
void jobs_emulator::end(execution& x, job_execution_status status) {
  x.status = status;
  x.last_updated_at = now_();
  x.step_deadline.reset();
  x.in_progress_deadline.reset();
  ++x.version_number;
}

void jobs_emulator::tick() {
  const std::int64_t now = now_();
  for (auto& [key, t] : things_) {
    const pending_snapshot before = snapshot(t);
    bool any = false;
    for (execution& x : t.executions) {
      const bool expired = (x.step_deadline && *x.step_deadline <= now) ||
                           (x.in_progress_deadline && *x.in_progress_deadline <= now);
      if (x.status == job_execution_status::in_progress && expired) {
        end(x, job_execution_status::timed_out);
        changed(key, x);
        any = true;
      }
    }
    if (any) publish_events(key, t, before);
  }
}

bool jobs_emulator::cancel(std::string_view thing, std::string_view job_id,
                           std::string_view namespace_id) {
  const list_key key{std::string(namespace_id), std::string(thing)};
  const auto t = things_.find(key);
  execution* x = t == things_.end() ? nullptr : find_in(t->second, job_id);
  if (x == nullptr || iotjobs::is_terminal(x->status)) return false;
  const pending_snapshot before = snapshot(t->second);
  end(*x, job_execution_status::canceled);
  changed(key, *x);
  publish_events(key, t->second, before);
  return true;
}

void serve(jobs_emulator& emulator, iotjobs_mqtt::transport& transport,
           const std::atomic<bool>& stop) {
  while (!stop) {
    transport.poll(
        std::chrono::milliseconds(20),
        [&](std::string_view topic, std::string_view payload) { emulator.handle(topic, payload); });
    emulator.tick();
  }
}

}  // namespace iotjobs_emulator
