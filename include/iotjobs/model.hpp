// iotjobs — the data model shared by every binding: statuses, rejection codes, and the views
// that decoders hand out (docs/wire-protocol.md §4, §5, §8.3–§8.5).
//
// Lifetime rule, one for the whole library: a view (every type named *_view here, and every
// string_view inside one) points into the decoder that produced it. It stays valid until the next
// decode on that decoder, or the decoder's destruction, and not one call longer. Copy what you need
// to keep.
//
// Numbers, as the AWS clients read them (docs/wire-protocol.md §3, §7): an integer member takes
// any JSON number whose value is an integer (`1.0`, `1e2`) or a string of decimal digits, and
// refuses a fraction; a time (`queued_at`, `started_at`, `last_updated_at`, `timestamp`: epoch
// seconds) takes any number and keeps its whole seconds, rounded toward negative infinity, so
// 1517016947.5 is 1517016947. A statusDetails entry whose value is null is dropped, as the AWS
// clients drop null map values; members the view does not name are ignored.
#ifndef IOTJOBS_MODEL_HPP
#define IOTJOBS_MODEL_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "iotjobs/error.hpp"

namespace iotjobs {

/// Arrays and objects may nest this deep in a payload, the top-level object counting as 1: the
/// decoders refuse deeper payloads, the service encoders deeper job documents.
inline constexpr std::size_t max_nesting_depth = 64;

/// The largest payload AWS IoT Core accepts in one MQTT PUBLISH (128 KiB); the decoders refuse
/// larger payloads and HTTPS bodies.
inline constexpr std::size_t max_payload_size = 128 * 1024;

/// JobExecutionStatus: the 8 wire values (docs/wire-protocol.md §5) and `unknown` for any other
/// string, whose raw text the views keep beside the enum. "SUCCESS" and "INPROGRESS" in AWS prose
/// are typos, not wire values: they decode to `unknown`.
enum class job_execution_status : std::uint8_t {
  unknown = 0,
  queued,
  in_progress,
  succeeded,
  failed,
  timed_out,
  rejected,
  removed,
  canceled,
};

/// The statuses a device may set with UpdateJobExecution; the service-set ones (QUEUED,
/// TIMED_OUT, REMOVED, CANCELED) cannot be expressed here.
enum class update_status : std::uint8_t { in_progress, succeeded, failed, rejected };

/// The `code` of a Jobs `/rejected` payload (docs/wire-protocol.md §8.4), and `unknown` for any
/// other string.
enum class rejection_code : std::uint8_t {
  unknown = 0,
  invalid_topic,
  invalid_json,
  invalid_request,
  invalid_state_transition,
  resource_not_found,
  version_mismatch,
  internal_error,
  request_throttled,
  terminal_state_reached,
};

/// The wire string of a status; empty for `unknown`.
[[nodiscard]] constexpr std::string_view to_wire(job_execution_status s) noexcept {
  switch (s) {
    case job_execution_status::queued: return "QUEUED";
    case job_execution_status::in_progress: return "IN_PROGRESS";
    case job_execution_status::succeeded: return "SUCCEEDED";
    case job_execution_status::failed: return "FAILED";
    case job_execution_status::timed_out: return "TIMED_OUT";
    case job_execution_status::rejected: return "REJECTED";
    case job_execution_status::removed: return "REMOVED";
    case job_execution_status::canceled: return "CANCELED";
    case job_execution_status::unknown: break;
  }
  return {};
}

[[nodiscard]] constexpr job_execution_status to_job_execution_status(update_status s) noexcept {
  switch (s) {
    case update_status::in_progress: return job_execution_status::in_progress;
    case update_status::succeeded: return job_execution_status::succeeded;
    case update_status::failed: return job_execution_status::failed;
    case update_status::rejected: return job_execution_status::rejected;
  }
  return job_execution_status::unknown;
}

[[nodiscard]] constexpr std::string_view to_wire(update_status s) noexcept {
  return to_wire(to_job_execution_status(s));
}

/// The wire string of a rejection code; empty for `unknown`.
[[nodiscard]] constexpr std::string_view to_wire(rejection_code c) noexcept {
  switch (c) {
    case rejection_code::invalid_topic: return "InvalidTopic";
    case rejection_code::invalid_json: return "InvalidJson";
    case rejection_code::invalid_request: return "InvalidRequest";
    case rejection_code::invalid_state_transition: return "InvalidStateTransition";
    case rejection_code::resource_not_found: return "ResourceNotFound";
    case rejection_code::version_mismatch: return "VersionMismatch";
    case rejection_code::internal_error: return "InternalError";
    case rejection_code::request_throttled: return "RequestThrottled";
    case rejection_code::terminal_state_reached: return "TerminalStateReached";
    case rejection_code::unknown: break;
  }
  return {};
}

/// Exact, case-sensitive match of a wire string; anything else is `unknown`.
[[nodiscard]] constexpr job_execution_status job_execution_status_from_wire(
    std::string_view text) noexcept {
  for (int i = 1; i <= static_cast<int>(job_execution_status::canceled); ++i) {
    const auto s = static_cast<job_execution_status>(i);
    if (to_wire(s) == text) return s;
  }
  return job_execution_status::unknown;
}

/// Exact, case-sensitive match of a wire string; anything else is `unknown`.
[[nodiscard]] constexpr rejection_code rejection_code_from_wire(std::string_view text) noexcept {
  for (int i = 1; i <= static_cast<int>(rejection_code::terminal_state_reached); ++i) {
    const auto c = static_cast<rejection_code>(i);
    if (to_wire(c) == text) return c;
  }
  return rejection_code::unknown;
}

/// SUCCEEDED, FAILED, REJECTED, TIMED_OUT, REMOVED and CANCELED end an execution; QUEUED and
/// IN_PROGRESS do not. An `unknown` status is not known to be terminal.
[[nodiscard]] constexpr bool is_terminal(job_execution_status s) noexcept {
  return s != job_execution_status::unknown && s != job_execution_status::queued &&
         s != job_execution_status::in_progress;
}

/// The text a request borrows: a std::string_view that cannot be made from a temporary
/// std::string, whose characters would be gone before the request is encoded. It is made from
/// everything else a string_view is made from (literals, char arrays, string_views, a std::string
/// that outlives the request) and is used as one.
class borrowed_string : public std::string_view {
 public:
  using std::string_view::string_view;
  constexpr borrowed_string() noexcept = default;
  constexpr borrowed_string(std::string_view s) noexcept  // NOLINT: implicit by design
      : std::string_view(s) {}
  template <class Traits, class Alloc>
  borrowed_string(const std::basic_string<char, Traits, Alloc>& s) noexcept  // NOLINT: implicit
      : std::string_view(s) {}
  template <class Traits, class Alloc>
  borrowed_string(std::basic_string<char, Traits, Alloc>&&) = delete;
};

/// A contiguous, read-only sequence of elements: decoded ones, or the caller's own (an array or a
/// container with data() and size()) handed to an encoder.
///
/// Lifetime: a decoded list is valid until the next decode on the decoder that produced it, or
/// its destruction; a list made from caller storage is valid as long as that storage.
template <class T>
class list_view {
 public:
  constexpr list_view() noexcept = default;
  constexpr list_view(const T* data, std::size_t size) noexcept : data_(data), size_(size) {}
  template <std::size_t N>
  constexpr list_view(const T (&array)[N]) noexcept  // NOLINT: implicit by design
      : data_(array), size_(N) {}
  template <class Container, class = std::enable_if_t<std::is_convertible_v<
                                 decltype(std::declval<const Container&>().data()), const T*>>>
  constexpr list_view(const Container& c) noexcept  // NOLINT: implicit by design
      : data_(c.data()), size_(c.size()) {}
  // A temporary container would be gone before the list is read.
  template <class Container, class = std::enable_if_t<std::is_convertible_v<
                                 decltype(std::declval<const Container&>().data()), const T*>>>
  list_view(const Container&&) = delete;

  constexpr const T* begin() const noexcept { return data_; }
  constexpr const T* end() const noexcept { return data_ + size_; }
  constexpr std::size_t size() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  /// Precondition: i < size().
  constexpr const T& operator[](std::size_t i) const noexcept { return data_[i]; }

 private:
  const T* data_ = nullptr;
  std::size_t size_ = 0;
};

/// One statusDetails entry, both sides unescaped.
///
/// Lifetime: a decoded entry is valid until the next decode on the decoder that produced it, or
/// its destruction; one the caller makes borrows its text (a temporary std::string is refused).
struct status_detail {
  borrowed_string key;
  borrowed_string value;
};

/// statusDetails: the entries in payload order, keys and values unescaped.
///
/// Lifetime: valid until the next decode on the decoder that produced it, or its destruction.
class status_details_view : public list_view<status_detail> {
 public:
  using list_view<status_detail>::list_view;

  /// The value of the first entry whose key is `key`, if any.
  constexpr std::optional<std::string_view> find(std::string_view key) const noexcept {
    for (const status_detail& d : *this) {
      if (d.key == key) return d.value;
    }
    return std::nullopt;
  }
};

/// A job document: its JSON text exactly as it stood in the payload (an object over MQTT), checked
/// to be valid JSON in full, without surrounding whitespace.
///
/// Lifetime: valid until the next decode on the decoder that produced it, or its destruction.
class job_document_view {
 public:
  constexpr job_document_view() noexcept = default;
  constexpr explicit job_document_view(std::string_view json) noexcept : json_(json) {}
  constexpr std::string_view json() const noexcept { return json_; }

 private:
  std::string_view json_;
};

/// JobExecution (docs/wire-protocol.md §4.1). `job_id` and `status` are required; every other
/// member is optional and present only when it was in the payload (a missing startedAt is not 0).
///
/// Lifetime: valid until the next decode on the decoder that produced it, or its destruction.
struct job_execution_view {
  std::string_view job_id;
  job_execution_status status = job_execution_status::unknown;
  std::string_view status_text;  // the wire text, kept for `unknown`
  std::optional<std::string_view> thing_name;
  std::optional<status_details_view> status_details;
  std::optional<std::int64_t> queued_at;        // epoch seconds
  std::optional<std::int64_t> started_at;       // epoch seconds
  std::optional<std::int64_t> last_updated_at;  // epoch seconds
  std::optional<std::int64_t> approximate_seconds_before_timed_out;
  std::optional<std::int64_t> version_number;
  std::optional<std::int64_t> execution_number;
  std::optional<job_document_view> job_document;
};

/// JobExecutionState (docs/wire-protocol.md §4.2). `status` is required.
///
/// Lifetime: valid until the next decode on the decoder that produced it, or its destruction.
struct job_execution_state_view {
  job_execution_status status = job_execution_status::unknown;
  std::string_view status_text;
  std::optional<status_details_view> status_details;
  std::optional<std::int64_t> version_number;
};

/// JobExecutionSummary (docs/wire-protocol.md §4.3). `job_id` is required. It has no status: the
/// list it is in tells it.
///
/// Lifetime: valid until the next decode on the decoder that produced it, or its destruction.
struct job_execution_summary_view {
  std::string_view job_id;
  std::optional<std::int64_t> queued_at;  // epoch seconds
  std::optional<std::int64_t> started_at;
  std::optional<std::int64_t> last_updated_at;
  std::optional<std::int64_t> version_number;
  std::optional<std::int64_t> execution_number;
};

/// `$aws/things/T/jobs/get/accepted`. An absent list and an empty one mean the same to AWS and
/// decode the same: as an empty list_view.
///
/// Lifetime: valid until the next decode on the decoder that produced it, or its destruction.
struct get_pending_accepted_view {
  list_view<job_execution_summary_view> in_progress_jobs;
  list_view<job_execution_summary_view> queued_jobs;
  std::optional<std::int64_t> timestamp;  // epoch seconds
  std::optional<std::string_view> client_token;
};

/// `…/start-next/accepted` and `…/<J>/get/accepted`. No `execution` means nothing is pending:
/// a normal reply, not an error.
///
/// Lifetime: valid until the next decode on the decoder that produced it, or its destruction.
struct execution_accepted_view {
  std::optional<job_execution_view> execution;
  std::optional<std::int64_t> timestamp;
  std::optional<std::string_view> client_token;
};

/// `…/<J>/update/accepted`. `execution_state` and `job_document` are present only when the
/// request asked for them.
///
/// Lifetime: valid until the next decode on the decoder that produced it, or its destruction.
struct update_accepted_view {
  std::optional<job_execution_state_view> execution_state;
  std::optional<job_document_view> job_document;
  std::optional<std::int64_t> timestamp;
  std::optional<std::string_view> client_token;
};

/// Any Jobs `/rejected` payload: a successful decode of the service's refusal. `code` is
/// required; `execution_state` comes with VersionMismatch and InvalidStateTransition.
///
/// Lifetime: valid until the next decode on the decoder that produced it, or its destruction.
struct rejected_view {
  rejection_code code = rejection_code::unknown;
  std::string_view code_text;  // the wire text, kept for `unknown`
  std::optional<std::string_view> message;
  std::optional<std::string_view> client_token;
  std::optional<std::int64_t> timestamp;
  std::optional<job_execution_state_view> execution_state;
};

/// One status key of a notify payload's `jobs` object with its executions.
///
/// Lifetime: valid until the next decode on the decoder that produced it, or its destruction.
struct job_group_view {
  job_execution_status status = job_execution_status::unknown;
  std::string_view status_text;
  list_view<job_execution_summary_view> jobs;
};

/// `$aws/things/T/jobs/notify` (JobExecutionsChanged): the pending executions grouped by status,
/// in payload order. `"jobs": {}` (nothing pending) and an absent `jobs` give an empty list.
///
/// Lifetime: valid until the next decode on the decoder that produced it, or its destruction.
struct notify_view {
  list_view<job_group_view> jobs;
  std::optional<std::int64_t> timestamp;

  /// The executions listed under `status`; empty when there are none.
  constexpr list_view<job_execution_summary_view> find(job_execution_status status) const noexcept {
    for (const job_group_view& g : jobs) {
      if (g.status == status && status != job_execution_status::unknown) return g.jobs;
    }
    return {};
  }
};

/// `$aws/things/T/jobs/notify-next` (NextJobExecutionChanged). No `execution` means the queue
/// is empty.
///
/// Lifetime: valid until the next decode on the decoder that produced it, or its destruction.
struct notify_next_view {
  std::optional<job_execution_view> execution;
  std::optional<std::int64_t> timestamp;
};

// ---------------------------------------------------------------------------------------------
// Requests (docs/wire-protocol.md §8.2). The same structs serve every binding. An optional member
// is sent when it is present, whatever its value: `include_job_document = false` and
// `expected_version = 0` are sent.
//
// Requests are views: a request owns nothing, and its text and status details borrow the
// caller's storage, which must outlive the encode (a temporary std::string or container does not
// compile there). A request a decoder returns points into that decoder (the lifetime rule).

/// GetPendingJobExecutions.
struct get_pending_job_executions_request {
  borrowed_string thing_name;
  std::optional<borrowed_string> client_token;
};

/// StartNextPendingJobExecution.
struct start_next_pending_job_execution_request {
  borrowed_string thing_name;
  std::optional<status_details_view> status_details;
  std::optional<std::int64_t> step_timeout_in_minutes;  // 1-10080
  std::optional<borrowed_string> client_token;
};

/// DescribeJobExecution. `job_id` may be `$next`.
struct describe_job_execution_request {
  borrowed_string thing_name;
  borrowed_string job_id;
  std::optional<bool> include_job_document;  // the service's default is true
  std::optional<std::int64_t> execution_number;
  std::optional<borrowed_string> client_token;
  std::optional<borrowed_string> namespace_id;  // MQTT only: a Greengrass namespace
};

/// UpdateJobExecution. `status` is required and limited to what a device may set.
struct update_job_execution_request {
  borrowed_string thing_name;
  borrowed_string job_id;
  update_status status = update_status::in_progress;
  std::optional<status_details_view> status_details;
  std::optional<std::int64_t> step_timeout_in_minutes;  // 1-10080, or cancel_step_timer (-1)
  std::optional<std::int64_t> expected_version;
  std::optional<bool> include_job_execution_state;  // the service's default is false
  std::optional<bool> include_job_document;         // the service's default is false
  std::optional<std::int64_t> execution_number;
  std::optional<borrowed_string> client_token;
  std::optional<borrowed_string> namespace_id;  // MQTT only: a Greengrass namespace
};

// ---------------------------------------------------------------------------------------------
// HTTPS responses (docs/wire-protocol.md §6).

/// The exceptions of the service model (docs/wire-protocol.md §6.1), and `unknown` for any other
/// name.
enum class service_exception : std::uint8_t {
  unknown = 0,
  certificate_validation,
  invalid_request,
  validation,
  service_quota_exceeded,
  resource_not_found,
  conflict,
  invalid_state_transition,
  terminal_state,
  throttling,
  internal_server,
  service_unavailable,
};

/// Whose fault an error is: the caller's (4xx) or the service's (5xx).
enum class fault : std::uint8_t { client, server };

/// The exception's name on the wire, e.g. "ResourceNotFoundException"; empty for `unknown`.
[[nodiscard]] constexpr std::string_view to_wire(service_exception e) noexcept {
  switch (e) {
    case service_exception::certificate_validation: return "CertificateValidationException";
    case service_exception::invalid_request: return "InvalidRequestException";
    case service_exception::validation: return "ValidationException";
    case service_exception::service_quota_exceeded: return "ServiceQuotaExceededException";
    case service_exception::resource_not_found: return "ResourceNotFoundException";
    case service_exception::conflict: return "ConflictException";
    case service_exception::invalid_state_transition: return "InvalidStateTransitionException";
    case service_exception::terminal_state: return "TerminalStateException";
    case service_exception::throttling: return "ThrottlingException";
    case service_exception::internal_server: return "InternalServerException";
    case service_exception::service_unavailable: return "ServiceUnavailableException";
    case service_exception::unknown: break;
  }
  return {};
}

/// Exact, case-sensitive match of an exception name; anything else is `unknown`.
[[nodiscard]] constexpr service_exception service_exception_from_name(
    std::string_view name) noexcept {
  for (int i = 1; i <= static_cast<int>(service_exception::service_unavailable); ++i) {
    const auto e = static_cast<service_exception>(i);
    if (to_wire(e) == name) return e;
  }
  return service_exception::unknown;
}

/// Cleans an error code as the AWS SDKs do (docs/wire-protocol.md §6.2): keep the text before the
/// first `,`, then before the first `:`; then, if a `#` remains, the text between the first and
/// second `#`. `ResourceNotFoundException:http://internal.amazon.com/...` ->
/// `ResourceNotFoundException`, `com.amazonaws.iotjobsdataplane#TerminalStateException` ->
/// `TerminalStateException`.
[[nodiscard]] constexpr std::string_view sanitize_error_code(std::string_view code) noexcept {
  code = code.substr(0, code.find(','));
  code = code.substr(0, code.find(':'));
  if (const std::size_t hash = code.find('#'); hash != std::string_view::npos) {
    code.remove_prefix(hash + 1);
    code = code.substr(0, code.find('#'));
  }
  return code;
}

/// The HTTP status the service model gives an exception (0 for `unknown`). The type of an error
/// is read from its name, never from its status: AWS pages say 400 for throttling, the models 429.
[[nodiscard]] constexpr int http_status_of(service_exception e) noexcept {
  switch (e) {
    case service_exception::certificate_validation:
    case service_exception::invalid_request:
    case service_exception::validation: return 400;
    case service_exception::service_quota_exceeded: return 402;
    case service_exception::resource_not_found: return 404;
    case service_exception::conflict:
    case service_exception::invalid_state_transition: return 409;
    case service_exception::terminal_state: return 410;
    case service_exception::throttling: return 429;
    case service_exception::internal_server: return 500;
    case service_exception::service_unavailable: return 503;
    case service_exception::unknown: break;
  }
  return 0;
}

/// The model's fault for a known exception; for an unknown one, the HTTP status decides.
[[nodiscard]] constexpr fault fault_of(service_exception e, int http_status) noexcept {
  if (e == service_exception::unknown) return http_status >= 500 ? fault::server : fault::client;
  return e == service_exception::internal_server || e == service_exception::service_unavailable
             ? fault::server
             : fault::client;
}

/// An error response of the HTTPS binding, decoded: the service's refusal is data.
///
/// Lifetime: valid until the next decode on the decoder that produced it, or its destruction.
struct service_error_view {
  service_exception type = service_exception::unknown;
  std::string_view
      name;  // the resolved error name (docs/wire-protocol.md §6.2); "Unknown" when none was sent
  iotjobs::fault fault = fault::client;
  int http_status = 0;
  std::optional<std::string_view> message;      // `message`, else `Message`
  std::optional<std::string_view> resource_id;  // ConflictException
  std::optional<std::string_view> payload;      // ThrottlingException: base64 text, as sent
  std::optional<job_execution_state_view> execution_state;  // InvalidStateTransitionException
};

namespace https {

/// An HTTPS response as the HTTP client received it, for the decoder: the status, the value of
/// the `x-amzn-ErrorType` header (empty when absent) and the body.
///
/// Lifetime: the string_views are the caller's, and need to live only as long as the decode.
struct raw_response {
  int status = 0;
  std::string_view error_type;
  std::string_view body;
};

}  // namespace https

/// An HTTPS response: `value` on success, `error` when the service refused the request (an
/// error status, or a 2xx whose body has the error shape `{"Output":{"__type":...}}`).
///
/// Lifetime: valid until the next decode on the decoder that produced it, or its destruction.
template <class View>
struct https_response {
  int http_status = 0;
  std::optional<View> value;
  std::optional<service_error_view> error;
};

}  // namespace iotjobs

#endif  // IOTJOBS_MODEL_HPP
