#include "device_agent.hpp"

#include <iterator>

namespace device {
namespace {

namespace mqtt = iotjobs::mqtt;
using iotjobs::job_execution_status;
using iotjobs::rejection_code;

std::string topic(mqtt::topic_kind kind, std::string_view thing) {
  char buf[mqtt::max_topic_size];
  const auto t = mqtt::build_topic(kind, thing, {}, buf);
  return t ? std::string(*t) : std::string();
}

std::string filter(mqtt::topic_kind request, std::string_view thing, std::string_view job = {}) {
  char buf[mqtt::max_topic_size];
  const auto t = mqtt::build_response_filter(request, thing, job, buf);
  return t ? std::string(*t) : std::string();
}

}  // namespace

agent::agent(std::string thing_name, iotjobs_mqtt::transport& transport, job_handler handler,
             std::chrono::milliseconds reply_timeout)
    : thing_(std::move(thing_name)),
      transport_(transport),
      handler_(std::move(handler)),
      reply_timeout_(reply_timeout) {}

void agent::say(const std::string& line) const {
  if (log) log(thing_ + ": " + line);
}

std::string agent::next_token() {
  return thing_.substr(0, 40) + "-" + std::to_string(++tokens_);
}

void agent::start() {
  transport_.subscribe(topic(mqtt::topic_kind::notify_next, thing_));
  transport_.subscribe(filter(mqtt::topic_kind::start_next, thing_));
  transport_.subscribe(filter(mqtt::topic_kind::update, thing_, "+"));
  ask_next();
}

void agent::step(std::chrono::milliseconds wait) {
  stats_.received +=
      transport_.poll(wait, [this](std::string_view t, std::string_view p) { on_message(t, p); });
  if (transport_.reconnected()) {
    ++stats_.reconnects;
    say("reconnected");
    if (outstanding_) {
      resend();
    } else if (!job_) {  // a job at work carries on: asking now would start it over
      ask_next();
    }
  } else if (outstanding_ &&
             std::chrono::steady_clock::now() - outstanding_->sent > reply_timeout_) {
    say("no reply: sending again");
    resend();
  } else if (job_ && job_->report_at && std::chrono::steady_clock::now() >= *job_->report_at) {
    job_->report_at.reset();
    report();
  }
}

// The step's work (simulated: a wait), then its report.
void agent::work_then_report() {
  if (job_->plan.work.count() == 0) return report();
  job_->report_at = std::chrono::steady_clock::now() + job_->plan.work;
}

void agent::send(std::string t, std::string payload, std::string token, bool is_update) {
  outstanding_ = request{std::move(t), std::move(payload), std::move(token), is_update,
                         std::chrono::steady_clock::now()};
  transport_.publish(outstanding_->topic, outstanding_->payload);
  ++stats_.published;
}

// The same request (its expectedVersion unchanged); a new token, so that a late reply to the
// first one is not taken for the reply to this one.
void agent::resend() {
  ++stats_.resends;
  if (!outstanding_->is_update) return ask_next();
  report();
}

void agent::ask_next() {
  iotjobs::start_next_pending_job_execution_request r;
  r.thing_name = thing_;
  std::string token = next_token();
  r.client_token = token;
  auto m = mqtt::encode(r);
  if (!m)
    return say(std::string("cannot encode start-next: ") +
               std::string(iotjobs::message(m.error())));
  send(std::move(m->topic), std::move(m->payload), std::move(token), false);
}

iotjobs::update_status agent::reported_status() const {
  return job_->next < job_->plan.progress.size() ? iotjobs::update_status::in_progress
                                                 : job_->plan.outcome;
}

void agent::report() {
  const details& d = job_->next < job_->plan.progress.size() ? job_->plan.progress[job_->next]
                                                             : job_->plan.outcome_details;
  std::vector<iotjobs::status_detail> entries;
  for (const auto& [key, value] : d)
    entries.push_back({key, value});
  iotjobs::update_job_execution_request r;
  r.thing_name = thing_;
  r.job_id = job_->job_id;
  r.status = reported_status();
  if (!entries.empty()) r.status_details = iotjobs::status_details_view(entries);
  r.expected_version = job_->version;
  r.include_job_execution_state = true;
  std::string token = next_token();
  r.client_token = token;
  auto m = mqtt::encode(r);
  if (!m) {  // the plan's statusDetails break the rules: the job fails, saying so
    say(std::string("cannot encode the update: ") + std::string(iotjobs::message(m.error())));
    job_->next = job_->plan.progress.size();
    job_->plan.outcome = iotjobs::update_status::failed;
    job_->plan.outcome_details = {{"error", std::string(iotjobs::name(m.error()))}};
    return report();
  }
  say("reports " + std::string(iotjobs::to_wire(r.status)) + " for " + job_->job_id +
      " at version " + std::to_string(job_->version));
  send(std::move(m->topic), std::move(m->payload), std::move(token), true);
}

void agent::finish(job_execution_status status, std::int64_t version) {
  say(job_->job_id + " ended " + std::string(iotjobs::to_wire(status)) + " at version " +
      std::to_string(version));
  finished_.push_back({job_->job_id, status, version});
  job_.reset();
  ask_next();
}

bool agent::is_reply(std::optional<std::string_view> token) const {
  return outstanding_ && token && *token == outstanding_->token;
}

void agent::on_message(std::string_view t, std::string_view payload) {
  const auto m = mqtt::decode(decoder_, t, payload);  // the decoder picked from the topic
  if (!m || m->topic.thing_name != thing_) return;    // not a Jobs message for this thing
  switch (m->topic.kind) {
    case mqtt::topic_kind::notify_next: {
      const auto& n = *m->get_if<iotjobs::notify_next_view>();
      if (n.execution && idle()) {
        say("notify-next: " + std::string(n.execution->job_id));
        ask_next();
      }
      return;
    }
    case mqtt::topic_kind::start_next_accepted:
    case mqtt::topic_kind::start_next_rejected: return on_start_next(*m);
    case mqtt::topic_kind::update_accepted:
    case mqtt::topic_kind::update_rejected: return on_update(*m);
    default: return;
  }
}

void agent::on_start_next(const mqtt::decoded_message& m) {
  if (outstanding_ && outstanding_->is_update) return;
  if (const auto* r = m.get_if<iotjobs::rejected_view>()) {
    if (!is_reply(r->client_token)) return;
    say("start-next rejected (" + std::string(r->code_text) + "): asking again after a pause");
    outstanding_->sent = std::chrono::steady_clock::now();  // the timeout sends it again
    return;
  }
  const auto* a = m.get_if<iotjobs::execution_accepted_view>();
  if (!is_reply(a->client_token)) return;
  const auto elapsed = std::chrono::steady_clock::now() - outstanding_->sent;
  stats_.round_trip_ms.push_back(std::chrono::duration<double, std::milli>(elapsed).count());
  outstanding_.reset();
  if (!a->execution) {
    ++stats_.nothing_pending;
    say("nothing pending");
    return;
  }
  const iotjobs::job_execution_view& x = *a->execution;
  const std::string_view document = x.job_document ? x.job_document->json() : "{}";
  job_ = running_job{std::string(x.job_id), x.version_number.value_or(0),
                     handler_(x.job_id, document), 0, std::nullopt};
  say("starts " + job_->job_id + " at version " + std::to_string(job_->version));
  work_then_report();
}

void agent::on_update(const mqtt::decoded_message& m) {
  if (!job_ || m.topic.job_id != job_->job_id || !outstanding_ || !outstanding_->is_update) return;
  const bool final_report = job_->next >= job_->plan.progress.size();
  const job_execution_status sent = iotjobs::to_job_execution_status(reported_status());
  if (const auto* a = m.get_if<iotjobs::update_accepted_view>()) {
    if (!is_reply(a->client_token)) return;
    const auto elapsed = std::chrono::steady_clock::now() - outstanding_->sent;
    stats_.round_trip_ms.push_back(std::chrono::duration<double, std::milli>(elapsed).count());
    outstanding_.reset();
    job_->version = a->execution_state && a->execution_state->version_number
                        ? *a->execution_state->version_number
                        : job_->version + 1;
    if (final_report) return finish(sent, job_->version);
    ++job_->next;
    return work_then_report();
  }
  const auto* r = m.get_if<iotjobs::rejected_view>();
  if (!is_reply(r->client_token)) return;
  const auto& state = r->execution_state;
  switch (r->code) {
    case rejection_code::version_mismatch:
    case rejection_code::invalid_state_transition:
    case rejection_code::terminal_state_reached:
    case rejection_code::resource_not_found: outstanding_.reset(); break;
    default:  // throttled, internal error: the same report when the timeout comes
      say("update rejected (" + std::string(r->code_text) + "): sending again after a pause");
      outstanding_->sent = std::chrono::steady_clock::now();
      return;
  }
  switch (r->code) {
    case rejection_code::version_mismatch: {
      ++stats_.version_mismatches;
      if (!state || !state->version_number) return report();
      const std::int64_t now = *state->version_number;
      if (state->status == sent && now == job_->version + 1) {  // applied; its reply was lost
        say("version mismatch: the report was applied already");
        job_->version = now;
        if (final_report) return finish(sent, now);
        ++job_->next;
        return work_then_report();
      }
      if (iotjobs::is_terminal(state->status)) return finish(state->status, now);
      say("version mismatch: reporting again at version " + std::to_string(now));
      job_->version = now;
      return report();
    }
    default:  // the job ended without this agent
      say("update rejected (" + std::string(r->code_text) + ")");
      return finish(state ? state->status : job_execution_status::unknown,
                    state && state->version_number ? *state->version_number : job_->version);
  }
}

}  // namespace device
