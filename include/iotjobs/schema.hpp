// iotjobs — what each view and request holds on the wire, written down once: for every member, its
// JSON name, the C++ member it fills and whether it is required. The decoder reads by these
// tables, the service and request encoders write by them, in table order (the order AWS writes
// its members), and the tool prints by them. Plain C++17.
//
// A member whose wire text is kept beside the enum read from it (`status` and `status_text`,
// `code` and `code_text`) is a coded field; every other member is read and written by its C++
// type (see detail/jobs_schema.hpp and service.hpp). The HTTPS error body, whose members are
// resolved rather than read (docs/wire-protocol.md §6.2), has no table.
#ifndef IOTJOBS_SCHEMA_HPP
#define IOTJOBS_SCHEMA_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <tuple>

#include "iotjobs/model.hpp"

namespace iotjobs::schema {

/// Which bindings carry a member: a request's clientToken travels over MQTT only.
enum class carried : std::uint8_t { always, mqtt_only };

/// How an integer member reads a JSON number not written as an integer: as the AWS clients do,
/// `1.0` and `1e2` are the integers 1 and 100 and a fraction is the wrong type; but a time in
/// epoch seconds takes any number, and keeps its whole seconds (rounded toward negative
/// infinity: 1517016947.5 is 1517016947).
enum class numbers : std::uint8_t { integer, whole_seconds };

/// A member read and written by its type.
template <class View, class Member>
struct field {
  std::string_view name;
  Member View::*member;
  bool required;
  carried by;
  schema::numbers numbers = numbers::integer;
};

/// A member whose wire text is kept beside its enum. Always required.
template <class View, class Enum>
struct coded_field {
  std::string_view name;
  Enum View::*member;
  std::string_view View::*text;
};

/// Whether a table's field is a coded one.
template <class Field>
inline constexpr bool is_coded_v = false;
template <class View, class Enum>
inline constexpr bool is_coded_v<coded_field<View, Enum>> = true;

template <class View, class Member>
constexpr field<View, Member> member(std::string_view name, Member View::*m) noexcept {
  return {name, m, false, carried::always};
}
template <class View, class Member>
constexpr field<View, Member> required(std::string_view name, Member View::*m) noexcept {
  return {name, m, true, carried::always};
}
template <class View, class Member>
constexpr field<View, Member> mqtt_only(std::string_view name, Member View::*m) noexcept {
  return {name, m, false, carried::mqtt_only};
}
/// A time in epoch seconds: queuedAt, startedAt, lastUpdatedAt, timestamp.
template <class View>
constexpr field<View, std::optional<std::int64_t>> seconds(
    std::string_view name, std::optional<std::int64_t> View::*m) noexcept {
  return {name, m, false, carried::always, numbers::whole_seconds};
}
template <class View, class Enum>
constexpr coded_field<View, Enum> coded(std::string_view name, Enum View::*m,
                                        std::string_view View::*text) noexcept {
  return {name, m, text};
}

/// The table of a view or a request: `of<V>::fields`, a tuple of fields.
template <class View>
struct of;

template <>
struct of<job_execution_summary_view> {
  using v = job_execution_summary_view;
  static constexpr auto fields = std::make_tuple(
      required("jobId", &v::job_id), seconds("queuedAt", &v::queued_at),
      seconds("startedAt", &v::started_at), seconds("lastUpdatedAt", &v::last_updated_at),
      member("executionNumber", &v::execution_number), member("versionNumber", &v::version_number));
};

template <>
struct of<job_execution_view> {
  using v = job_execution_view;
  static constexpr auto fields = std::make_tuple(
      required("jobId", &v::job_id), member("thingName", &v::thing_name),
      coded("status", &v::status, &v::status_text), member("statusDetails", &v::status_details),
      seconds("queuedAt", &v::queued_at), seconds("startedAt", &v::started_at),
      seconds("lastUpdatedAt", &v::last_updated_at),
      member("approximateSecondsBeforeTimedOut", &v::approximate_seconds_before_timed_out),
      member("versionNumber", &v::version_number), member("executionNumber", &v::execution_number),
      member("jobDocument", &v::job_document));
};

template <>
struct of<job_execution_state_view> {
  using v = job_execution_state_view;
  static constexpr auto fields = std::make_tuple(coded("status", &v::status, &v::status_text),
                                                 member("statusDetails", &v::status_details),
                                                 member("versionNumber", &v::version_number));
};

template <>
struct of<get_pending_accepted_view> {
  using v = get_pending_accepted_view;
  static constexpr auto fields = std::make_tuple(
      member("inProgressJobs", &v::in_progress_jobs), member("queuedJobs", &v::queued_jobs),
      seconds("timestamp", &v::timestamp), member("clientToken", &v::client_token));
};

template <>
struct of<execution_accepted_view> {
  using v = execution_accepted_view;
  static constexpr auto fields =
      std::make_tuple(member("execution", &v::execution), seconds("timestamp", &v::timestamp),
                      member("clientToken", &v::client_token));
};

template <>
struct of<update_accepted_view> {
  using v = update_accepted_view;
  static constexpr auto fields = std::make_tuple(
      member("executionState", &v::execution_state), member("jobDocument", &v::job_document),
      seconds("timestamp", &v::timestamp), member("clientToken", &v::client_token));
};

template <>
struct of<rejected_view> {
  using v = rejected_view;
  static constexpr auto fields =
      std::make_tuple(coded("code", &v::code, &v::code_text), member("message", &v::message),
                      member("clientToken", &v::client_token), seconds("timestamp", &v::timestamp),
                      member("executionState", &v::execution_state));
};

template <>
struct of<notify_view> {
  using v = notify_view;
  static constexpr auto fields =
      std::make_tuple(seconds("timestamp", &v::timestamp), member("jobs", &v::jobs));
};

template <>
struct of<notify_next_view> {
  using v = notify_next_view;
  static constexpr auto fields =
      std::make_tuple(seconds("timestamp", &v::timestamp), member("execution", &v::execution));
};

// The requests' payloads (the MQTT one; over HTTPS the body, without clientToken). thingName and
// jobId travel in the topic or the path, not here.

template <>
struct of<get_pending_job_executions_request> {
  using v = get_pending_job_executions_request;
  static constexpr auto fields = std::make_tuple(mqtt_only("clientToken", &v::client_token));
};

template <>
struct of<start_next_pending_job_execution_request> {
  using v = start_next_pending_job_execution_request;
  static constexpr auto fields =
      std::make_tuple(member("statusDetails", &v::status_details),
                      member("stepTimeoutInMinutes", &v::step_timeout_in_minutes),
                      mqtt_only("clientToken", &v::client_token));
};

template <>
struct of<describe_job_execution_request> {
  using v = describe_job_execution_request;
  static constexpr auto fields = std::make_tuple(
      member("includeJobDocument", &v::include_job_document),
      member("executionNumber", &v::execution_number), mqtt_only("clientToken", &v::client_token));
};

// Member order follows the service model.
template <>
struct of<update_job_execution_request> {
  using v = update_job_execution_request;
  static constexpr auto fields = std::make_tuple(
      required("status", &v::status), member("statusDetails", &v::status_details),
      member("stepTimeoutInMinutes", &v::step_timeout_in_minutes),
      member("expectedVersion", &v::expected_version),
      member("includeJobExecutionState", &v::include_job_execution_state),
      member("includeJobDocument", &v::include_job_document),
      member("executionNumber", &v::execution_number), mqtt_only("clientToken", &v::client_token));
};

/// The number of members a table lists.
template <class View>
inline constexpr std::size_t size_v = std::tuple_size_v<std::decay_t<decltype(of<View>::fields)>>;

}  // namespace iotjobs::schema

#endif  // IOTJOBS_SCHEMA_HPP
