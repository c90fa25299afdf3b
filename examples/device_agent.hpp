// A device's job agent: the job runner (iotjobs/runner.hpp) on an MQTT client (tools/mqtt), and
// an application that runs each job as a plan of steps. The runner does the Jobs protocol: it
// finds the job, claims or resumes it, carries every report with expectedVersion, resends,
// repairs a VersionMismatch, backs off when throttled, sees a job end without the device. What is
// left here is what every device writes for itself:
// - the glue: the runner's subscriptions, every message handed to it, "connected" after a
//   reconnect, tick() at its deadline, its publishes sent;
// - the application: a plan for each job (`job_handler`), made from its document as the decoder
//   reads it (iotjobs/documents.hpp: its kind and typed view), whose steps each take `work` and
//   end with a report; the next step starts when the service has applied the last one's report.
//   A document that breaks its kind's schema never reaches the handler: the job is REJECTED with
//   {"error": <the error's name>, "member": <the member>}. A resumed job (IN_PROGRESS already,
//   after a restart) carries on after the step whose statusDetails it last reported. A report the
//   runner refuses (statusDetails that break the rules of validate.hpp) fails the job with
//   {"error": <the error's name>}.
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

using job_handler = std::function<job_plan(std::string_view job_id,
                                           const iotjobs::documents::document_view& document)>;

struct finished_job {
  std::string job_id;
  iotjobs::job_execution_status status;  // as the service last told it (unknown if it did not)
  std::int64_t version_number;           // 0 if not known
  bool reported;                         // ended by the agent's own final report
};

struct agent_stats {
  std::uint64_t published = 0;
  std::uint64_t received = 0;
  std::uint64_t nothing_pending = 0;
  std::uint64_t refused = 0;
  std::uint64_t reconnects = 0;
  std::vector<double> round_trip_ms;  // a report to the service's word that it was applied
};

class agent {
 public:
  agent(std::string thing_name, iotjobs_mqtt::transport& transport, job_handler handler,
        std::chrono::milliseconds reply_timeout = std::chrono::seconds(2));

  /// Subscribes and asks for the current job; the runner's error for a thing name it refuses.
  iotjobs::error start();
  /// Waits up to `wait` for messages and handles them, and whatever the clock has made due.
  void step(std::chrono::milliseconds wait);
  /// Whether no job runs and the runner waits on nothing.
  bool idle() const noexcept {
    return runner_ && !runner_->running_job() && !runner_->next_deadline();
  }

  const std::vector<finished_job>& finished() const noexcept { return finished_; }
  const agent_stats& stats() const noexcept { return stats_; }
  const std::string& thing_name() const noexcept { return thing_; }
  /// Called with a line for each thing the agent does (none by default).
  std::function<void(const std::string&)> log;

 private:
  struct running_plan {
    job_plan plan;
    std::size_t next = 0;  // the step to run: progress..., then the outcome
    std::optional<std::chrono::steady_clock::time_point> report_at;    // while a step works
    std::optional<std::chrono::steady_clock::time_point> reported_at;  // its report, in flight
  };

  void flush();
  void on_event(const iotjobs::runner::event& e);
  job_plan plan_for(const iotjobs::runner::job_started& job);
  void begin_step();
  void report();
  void say(const std::string& line) const;
  iotjobs::runner::instant now() const;

  std::string thing_;
  iotjobs_mqtt::transport& transport_;
  job_handler handler_;
  iotjobs::result<iotjobs::runner::job_runner> runner_;
  iotjobs::decoder documents_;  // the running job's document: its views live until the next job
  std::optional<running_plan> job_;
  std::vector<finished_job> finished_;
  agent_stats stats_;
};

}  // namespace device

#endif  // IOTJOBS_EXAMPLES_DEVICE_AGENT_HPP
