// A local AWS IoT Jobs service for the device MQTT API (docs/wire-protocol.md §5, §8): executions
// queued per thing, StartNext, Describe (`$next` too), Update with version numbers, step timeouts,
// the notify and notify-next events, and every rejection a device can meet. It speaks through
// iotjobs alone (request decoders, service encoders, topics) and owns no transport: hand it each
// message that arrives on `subscription`, and it publishes through the function it was given.
//
// As AWS runs them:
// - executionNumber counts the executions of one job on one thing: each job's first is 1.
// - GetPendingJobExecutions lists at most 10 executions, as does notify (the AWS IoT Jobs limits
//   page, "Maximum number of pending job executions").
// - Every rejection echoes the request's clientToken when the payload has a readable one (a
//   valid token in a JSON object), however the rest of it failed.
// - Two timers end an IN_PROGRESS execution as TIMED_OUT: the job's in-progress timeout
//   (`inProgressTimeoutInMinutes`, job_spec), from the execution's first move to IN_PROGRESS by
//   any request, never reset; and the step timer, from StartNext's or Update's
//   `stepTimeoutInMinutes`, which an update's -1 cancels (the step timer only).
// - Nothing is published that a device's decoder would refuse: a request whose reply, or whose
//   result's describe reply, would pass 128 KiB is InvalidRequest, and nothing changes.
// - Greengrass namespaces: a job queued in a namespace is served and announced on that
//   namespace's topics alone (`…/jobs/J/namespace-NS/…`, `notify-namespace-NS`), and the plain
//   topics never see it: each namespace's executions are a pending list of their own, so that a
//   device agent that knows no namespace is never handed a Greengrass deployment (AWS's pages
//   describe the namespaced topics, not how the lists mix: this is our reading).
// Behaviour where AWS's documents leave room, chosen here:
// - The pending list is IN_PROGRESS executions, then QUEUED ones, each in queue order; StartNext
//   and `$next` take its first. StartNext on an IN_PROGRESS execution returns it unchanged.
// - notify is published when an execution joins or leaves the pending list, notify-next when
//   the list's first execution changes; a QUEUED -> IN_PROGRESS change alone publishes neither
//   (docs/wire-protocol.md §8.5).
// - A device may move an execution from QUEUED or IN_PROGRESS to IN_PROGRESS, SUCCEEDED, FAILED
//   or REJECTED; any update of a terminal execution is InvalidStateTransition. Describe of a
//   terminal execution is TerminalStateReached. Every accepted update adds 1 to versionNumber.
// - A request whose payload is not JSON is InvalidJson; one with a member of the wrong type, a
//   missing status or a value outside the rules of validate.hpp is InvalidRequest; a topic in
//   the Jobs namespace that no API uses is InvalidTopic (on `<topic>/rejected`).
// Still different from AWS: replies go through the broker, so every client subscribed to a
// thing's response topics sees them (AWS delivers them to the requesting client alone); one
// execution per job (no retries, no re-runs of a continuous job); no scheduling or rollouts.
#ifndef IOTJOBS_TOOLS_EMULATOR_HPP
#define IOTJOBS_TOOLS_EMULATOR_HPP

#include <iotjobs/iotjobs.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../mqtt/transport.hpp"

namespace iotjobs_emulator {

/// A job to queue for a thing.
struct job_spec {
  std::string job_id;
  std::string document = "{}";                              // a JSON object
  std::optional<std::int64_t> in_progress_timeout_minutes;  // the job's timeoutConfig, 1-10080
  std::string namespace_id;                                 // empty: none
};

/// One job execution, as the emulator holds it.
struct execution {
  std::string job_id;
  std::string document;
  iotjobs::job_execution_status status = iotjobs::job_execution_status::queued;
  std::vector<std::pair<std::string, std::string>> status_details;
  std::int64_t version_number = 1;
  std::int64_t execution_number = 1;
  std::int64_t queued_at = 0;
  std::optional<std::int64_t> started_at;
  std::int64_t last_updated_at = 0;
  std::optional<std::int64_t> in_progress_timeout_minutes;  // the job's
  std::optional<std::int64_t> in_progress_deadline;         // epoch seconds, once IN_PROGRESS
  std::optional<std::int64_t> step_deadline;  // epoch seconds, while a step timer runs
};

/// What the emulator has done, for tests and logs.
struct statistics {
  std::uint64_t requests = 0;
  std::uint64_t accepted = 0;
  std::uint64_t updates_applied = 0;
  std::uint64_t notifications = 0;
  std::map<std::string, std::uint64_t> rejected;  // by code
};

class jobs_emulator {
 public:
  using publish_function = std::function<void(std::string_view topic, std::string_view payload)>;
  using clock_function = std::function<std::int64_t()>;  // epoch seconds

  /// The MQTT filter that carries every request to the emulator.
  static constexpr std::string_view subscription = "$aws/things/+/jobs/#";

  jobs_emulator(publish_function publish, clock_function now);

  /// Queues an execution of `job.job_id` for `thing`, and publishes the events that follow.
  /// Refused (nothing queued): an invalid thing name, job id or namespace, a document that is
  /// not a JSON object, an in-progress timeout outside 1-10080, or a job the thing already has
  /// in that namespace.
  iotjobs::error add_job(std::string_view thing, const job_spec& job);

  /// Handles one message from the broker. Messages that are not Jobs requests (the emulator's
  /// own responses and events among them) are ignored.
  void handle(std::string_view topic, std::string_view payload);

  /// Times out every IN_PROGRESS execution whose in-progress or step timer has run out.
  void tick();

  /// Cancels an execution that has not ended, as the control plane's CancelJobExecution with
  /// `force` does (an IN_PROGRESS one too): CANCELED, its version one more, and the events that
  /// follow published. False when the thing has no such execution, or it has ended.
  bool cancel(std::string_view thing, std::string_view job_id, std::string_view namespace_id = {});

  /// Called after every change of an execution: queued, updated by a device, timed out,
  /// canceled. `namespace_id` is empty for none.
  using change_function =
      std::function<void(std::string_view thing, std::string_view namespace_id, const execution&)>;
  void on_change(change_function f) { on_change_ = std::move(f); }

  const execution* find(std::string_view thing, std::string_view job_id,
                        std::string_view namespace_id = {}) const;
  const statistics& stats() const noexcept { return stats_; }

 private:
  struct thing_state {
    std::vector<execution> executions;  // in queue order
  };
  struct pending_snapshot {
    std::vector<std::string> ids;  // in pending order
  };
  // A thing's executions in one namespace (empty for none): the key of things_.
  using list_key = std::pair<std::string, std::string>;  // namespace, thing
  struct request_context {
    std::string_view thing;
    std::string_view job_id;  // of the topic, for the per-job requests
    std::string_view namespace_id;
    std::string topic;  // the request topic, to which /accepted or /rejected is added
    std::optional<std::string_view> client_token;
  };

  pending_snapshot snapshot(const thing_state& t) const;
  void publish_events(const list_key& key, const thing_state& t, const pending_snapshot& before);
  thing_state* list_of(const request_context& rq);
  // Whether every reply about `x` (its describe with the document, the largest) fits a payload.
  bool replies_fit(const execution& x, std::string_view thing) const;

  // One request each, decoded and checked.
  void serve(const request_context& rq, const iotjobs::get_pending_job_executions_request&);
  void serve(const request_context& rq, const iotjobs::start_next_pending_job_execution_request& r);
  void serve(const request_context& rq, const iotjobs::describe_job_execution_request& r);
  void serve(const request_context& rq, const iotjobs::update_job_execution_request& r);

  void accept(const request_context& rq, std::string_view payload);
  void reject(const request_context& rq, iotjobs::rejection_code code, std::string_view message,
              const execution* state = nullptr);
  template <class View>
  void respond(const request_context& rq, const View& v);
  void start_timer(execution& x, std::optional<std::int64_t> minutes);

  void changed(const list_key& key, const execution& x) const;
  void end(execution& x, iotjobs::job_execution_status status);

  publish_function publish_;
  clock_function now_;
  change_function on_change_;
  iotjobs::decoder decoder_;
  std::map<list_key, thing_state> things_;
  statistics stats_;
};

/// Runs `emulator` on `transport`, which the caller has subscribed to
/// jobs_emulator::subscription, until `stop` is set: hands it every message and lets its step
/// timers run out.
void serve(jobs_emulator& emulator, iotjobs_mqtt::transport& transport,
           const std::atomic<bool>& stop);

}  // namespace iotjobs_emulator

#endif  // IOTJOBS_TOOLS_EMULATOR_HPP
