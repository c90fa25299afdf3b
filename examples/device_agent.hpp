// A device's job agent, written against iotjobs and a small MQTT interface (tools/mqtt): it
// subscribes to its thing's Jobs topics, asks for the next job (at start, on notify-next, after
// each job, after a reconnect), runs the job's plan, and reports every step with statusDetails
// and expectedVersion, waiting for each report to be accepted before the next.
//
// What it does when things go wrong:
// - "Nothing pending" (start-next accepted without an execution) is normal: it waits for
//   notify-next.
// - VersionMismatch: the rejection carries the execution's state. If that state is what the
//   report would have made (its status, at expectedVersion + 1), the report was applied and only
//   its reply was lost: it moves on. Otherwise it reports again at the current version.
// - No reply within `reply_timeout`: the same report again, with the same expectedVersion, so a
//   report is never applied twice. Throttling and internal errors: the same, after the timeout.
// - InvalidStateTransition, TerminalStateReached, ResourceNotFound: the job ended without it
//   (timed out, canceled, removed); it asks for the next one.
// - A plan whose statusDetails break the rules of validate.hpp: the job is reported FAILED with
//   {"error": <the error's name>}.
// - A reconnect (a broker restart): it sends its pending request again; idle, it asks for the
//   next job (one may have been queued while it was away); at work, it carries on.
#ifndef IOTJOBS_EXAMPLES_DEVICE_AGENT_HPP
#define IOTJOBS_EXAMPLES_DEVICE_AGENT_HPP

#include <iotjobs/iotjobs.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../tools/mqtt/transport.hpp"

namespace device {

using details = std::vector<std::pair<std::string, std::string>>;

/// What to report for a job: one IN_PROGRESS update per entry of `progress`, then `outcome`.
struct job_plan {
  std::vector<details> progress;
  iotjobs::update_status outcome = iotjobs::update_status::succeeded;
  details outcome_details;
  std::chrono::milliseconds work{0};  // the time each step takes, before its report
};

using job_handler = std::function<job_plan(std::string_view job_id, std::string_view document)>;

struct finished_job {
  std::string job_id;
  iotjobs::job_execution_status status;  // as the service last reported it
  std::int64_t version_number;
};

struct agent_stats {
  std::uint64_t published = 0;
  std::uint64_t received = 0;
  std::uint64_t nothing_pending = 0;
  std::uint64_t version_mismatches = 0;
  std::uint64_t resends = 0;
  std::uint64_t reconnects = 0;
  std::vector<double> round_trip_ms;  // request to its reply
};

class agent {
 public:
  agent(std::string thing_name, iotjobs_mqtt::transport& transport, job_handler handler,
        std::chrono::milliseconds reply_timeout = std::chrono::seconds(2));

  /// Subscribes and asks for the next job.
  void start();
  /// Waits up to `wait` for messages and handles them; resends what timed out.
  void step(std::chrono::milliseconds wait);
  /// Whether no request is waiting for its reply and no job is running.
  bool idle() const noexcept { return !outstanding_ && !job_; }

  const std::vector<finished_job>& finished() const noexcept { return finished_; }
  const agent_stats& stats() const noexcept { return stats_; }
  const std::string& thing_name() const noexcept { return thing_; }
  /// Called with a line for each thing the agent does (none by default).
  std::function<void(const std::string&)> log;

 private:
  struct running_job {
    std::string job_id;
    std::int64_t version;
    job_plan plan;
    std::size_t next = 0;  // index of the report to send: progress..., then the outcome
    std::optional<std::chrono::steady_clock::time_point> report_at;  // while a step works
  };
  struct request {
    std::string topic, payload, token;
    bool is_update;
    std::chrono::steady_clock::time_point sent;
  };

  void on_message(std::string_view topic, std::string_view payload);
  void on_start_next(const iotjobs::mqtt::decoded_message& m);
  void on_update(const iotjobs::mqtt::decoded_message& m);
  void ask_next();
  void report();
  void work_then_report();
  void send(std::string topic, std::string payload, std::string token, bool is_update);
  void resend();
  void finish(iotjobs::job_execution_status status, std::int64_t version);
  bool is_reply(std::optional<std::string_view> token) const;
  iotjobs::update_status reported_status() const;
  std::string next_token();
  void say(const std::string& line) const;

  std::string thing_;
  iotjobs_mqtt::transport& transport_;
  job_handler handler_;
  std::chrono::milliseconds reply_timeout_;
  iotjobs::decoder decoder_;
  std::optional<running_job> job_;
  std::optional<request> outstanding_;
  std::uint64_t tokens_ = 0;
  std::vector<finished_job> finished_;
  agent_stats stats_;
};

}  // namespace device

#endif  // IOTJOBS_EXAMPLES_DEVICE_AGENT_HPP
