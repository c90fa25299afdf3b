#include "device_agent.hpp"

#include <algorithm>
#include <functional>

namespace device {

using iotjobs::update_status;
namespace rn = iotjobs::runner;

namespace {

rn::config config_of(const std::string& thing, std::chrono::milliseconds reply_timeout) {
  rn::config c;
  c.thing_name = thing;
  c.reply_timeout = reply_timeout;
  c.empty_next_delay = reply_timeout / 4;
  // Each start of the device draws other tokens and other retry jitter.
  c.seed = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
           std::hash<std::string>()(thing);
  return c;
}

std::vector<iotjobs::status_detail> entries_of(const details& d) {
  std::vector<iotjobs::status_detail> entries;
  for (const auto& [key, value] : d)
    entries.push_back({key, value});
  return entries;
}

}  // namespace

agent::agent(std::string thing_name, iotjobs_mqtt::transport& transport, job_handler handler,
             std::chrono::milliseconds reply_timeout)
    : thing_(std::move(thing_name)),
      transport_(transport),
      handler_(std::move(handler)),
      runner_(rn::job_runner::create(config_of(thing_, reply_timeout))) {}

void agent::say(const std::string& line) const {
  if (log) log(thing_ + ": " + line);
}

rn::instant agent::now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now());
}

iotjobs::error agent::start() {
  if (!runner_) return runner_.error();
  for (std::string_view filter : runner_->subscriptions())
    transport_.subscribe(filter);
  runner_->connected(now());
  flush();
  return iotjobs::error::ok;
}

// The glue: whatever the runner has to say, published or handled.
void agent::flush() {
  while (const auto m = runner_->next_publish()) {
    transport_.publish(m->topic, m->payload);
    ++stats_.published;
  }
  while (const auto e = runner_->next_event())
    on_event(*e);
}

void agent::step(std::chrono::milliseconds wait) {
  if (!runner_) return;
  stats_.received += transport_.poll(wait, [this](std::string_view t, std::string_view p) {
    if (const iotjobs::error e = runner_->receive(t, p, now()); e != iotjobs::error::ok)
      say("refused a message on " + std::string(t) + ": " + std::string(iotjobs::message(e)));
    flush();
  });
  if (transport_.reconnected()) {
    ++stats_.reconnects;
    say("reconnected");
    runner_->connected(now());
  }
  if (const auto at = runner_->next_deadline(); at && now() >= *at) runner_->tick(now());
  flush();
  if (job_ && job_->report_at && std::chrono::steady_clock::now() >= *job_->report_at) {
    job_->report_at.reset();
    report();
  }
}

void agent::on_event(const rn::event& e) {
  if (const auto* s = std::get_if<rn::job_started>(&e)) {
    job_ = running_plan{plan_for(*s), 0, std::nullopt, std::nullopt};
    if (s->resumed && s->status_details) {  // carry on after the last step reported
      const auto& progress = job_->plan.progress;
      for (std::size_t i = 0; i < progress.size(); ++i) {
        if (progress[i].size() == s->status_details->size() &&
            std::equal(progress[i].begin(), progress[i].end(), s->status_details->begin(),
                       [](const auto& mine, const iotjobs::status_detail& theirs) {
                         return mine.first == theirs.key && mine.second == theirs.value;
                       }))
          job_->next = i + 1;
      }
    }
    say(std::string(s->resumed ? "resumes " : "starts ") + std::string(s->job_id) + " at step " +
        std::to_string(job_->next + 1));
    return begin_step();
  }
  if (const auto* a = std::get_if<rn::report_accepted>(&e)) {
    if (!job_) return;
    ++job_->next;
    if (job_->reported_at) {
      stats_.round_trip_ms.push_back(std::chrono::duration<double, std::milli>(
                                         std::chrono::steady_clock::now() - *job_->reported_at)
                                         .count());
    }
    say("report applied at version " + std::to_string(a->version_number.value_or(0)));
    return begin_step();
  }
  if (const auto* d = std::get_if<rn::job_ended>(&e)) {
    if (job_ && job_->reported_at && d->reported) {
      stats_.round_trip_ms.push_back(std::chrono::duration<double, std::milli>(
                                         std::chrono::steady_clock::now() - *job_->reported_at)
                                         .count());
    }
    say(std::string(d->job_id) + " ended " +
        std::string(d->status == iotjobs::job_execution_status::unknown
                        ? "(" + std::string(d->code ? iotjobs::to_wire(*d->code) : "") + ")"
                        : std::string(iotjobs::to_wire(d->status))) +
        (d->reported ? "" : " without the agent"));
    finished_.push_back(
        {std::string(d->job_id), d->status, d->version_number.value_or(0), d->reported});
    job_.reset();
    return;
  }
  if (std::holds_alternative<rn::nothing_pending>(e)) {
    ++stats_.nothing_pending;
    return say("nothing pending");
  }
  const auto& r = std::get<rn::request_refused>(e);
  ++stats_.refused;
  say("refused (" + std::string(r.code_text) + "): " + std::string(r.message.value_or("")));
}

// The handler's plan for the job's document, or REJECTED with what is wrong with the document.
job_plan agent::plan_for(const rn::job_started& job) {
  const auto doc = documents_.decode(iotjobs::documents::job_document, job.document.json());
  if (doc) return handler_(job.job_id, *doc);
  say("rejects " + std::string(job.job_id) + ": " + std::string(iotjobs::message(doc.error())));
  job_plan plan;
  plan.outcome = update_status::rejected;
  plan.outcome_details = {{"error", std::string(iotjobs::name(doc.error()))}};
  char member[iotjobs::max_status_details_value_size];  // the member's name is any text
  if (const std::string_view field = documents_.last_error_field(); !field.empty())
    plan.outcome_details.emplace_back(
        "member", std::string(*iotjobs::make_status_details_value(field, member)));
  return plan;
}

// The step's work (simulated: a wait), then its report.
void agent::begin_step() {
  if (job_->plan.work.count() == 0) return report();
  job_->report_at = std::chrono::steady_clock::now() + job_->plan.work;
}

void agent::report() {
  const bool last = job_->next >= job_->plan.progress.size();
  const details& d = last ? job_->plan.outcome_details : job_->plan.progress[job_->next];
  const std::vector<iotjobs::status_detail> entries = entries_of(d);
  rn::job_report r;
  r.status = last ? job_->plan.outcome : update_status::in_progress;
  if (!entries.empty()) r.status_details = iotjobs::status_details_view(entries);
  iotjobs::error e = runner_->report(r, now());
  if (e != iotjobs::error::ok) {  // statusDetails that break the rules: the job fails, saying so
    say(std::string("cannot report: ") + std::string(iotjobs::message(e)));
    const iotjobs::status_detail why[] = {{"error", iotjobs::name(e)}};
    r = {update_status::failed, iotjobs::status_details_view(why), std::nullopt};
    e = runner_->report(r, now());
  }
  if (e == iotjobs::error::ok) {
    job_->reported_at = std::chrono::steady_clock::now();
    say("reports " + std::string(iotjobs::to_wire(r.status)));
  }
  flush();
}

}  // namespace device
