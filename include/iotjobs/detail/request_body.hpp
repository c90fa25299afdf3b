// The JSON members that StartNextPendingJobExecution and UpdateJobExecution send in both
// bindings (the MQTT payload adds clientToken), and the checks of their values.
#ifndef IOTJOBS_DETAIL_REQUEST_BODY_HPP
#define IOTJOBS_DETAIL_REQUEST_BODY_HPP

#include <optional>
#include <string_view>

#include "iotjobs/detail/json_writer.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/model.hpp"
#include "iotjobs/validate.hpp"

namespace iotjobs::detail {

// Of a request (borrowed_string) or of a response view (string_view).
template <class Text>
constexpr error check_client_token(const std::optional<Text>& token) noexcept {
  return !token || is_valid_client_token(*token) ? error::ok : error::invalid_client_token;
}

constexpr error check_status_details(const std::optional<status_details_view>& details) noexcept {
  if (!details) return error::ok;
  for (const status_detail& d : *details) {
    if (!is_valid_status_details_key(d.key)) return error::invalid_status_details_key;
    if (!is_valid_status_details_value(d.value)) return error::invalid_status_details_value;
  }
  return error::ok;
}

constexpr error check_body_fields(const start_next_pending_job_execution_request& r) noexcept {
  if (const error e = check_status_details(r.status_details); e != error::ok) return e;
  if (r.step_timeout_in_minutes && !is_valid_step_timeout(*r.step_timeout_in_minutes))
    return error::invalid_step_timeout;
  return error::ok;
}

constexpr error check_body_fields(const update_job_execution_request& r) noexcept {
  if (to_wire(r.status).empty()) return error::invalid_update_status;  // outside the enum
  if (const error e = check_status_details(r.status_details); e != error::ok) return e;
  if (r.step_timeout_in_minutes && !is_valid_update_step_timeout(*r.step_timeout_in_minutes))
    return error::invalid_step_timeout;
  return error::ok;
}

template <class Writer>
void write_status_details(Writer& obj, const std::optional<status_details_view>& details) {
  if (!details) return;
  json_object_writer map(obj.member("statusDetails"));
  for (const status_detail& d : *details)
    map.string_member(d.key, d.value);
  map.finish();
}

template <class Writer>
void write_body_fields(Writer& obj, const start_next_pending_job_execution_request& r) {
  write_status_details(obj, r.status_details);
  if (r.step_timeout_in_minutes) obj.int_member("stepTimeoutInMinutes", *r.step_timeout_in_minutes);
}

// Member order follows the service model: status, statusDetails, stepTimeoutInMinutes,
// expectedVersion, includeJobExecutionState, includeJobDocument, executionNumber.
template <class Writer>
void write_body_fields(Writer& obj, const update_job_execution_request& r) {
  obj.string_member("status", to_wire(r.status));
  write_status_details(obj, r.status_details);
  if (r.step_timeout_in_minutes) obj.int_member("stepTimeoutInMinutes", *r.step_timeout_in_minutes);
  if (r.expected_version) obj.int_member("expectedVersion", *r.expected_version);
  if (r.include_job_execution_state)
    obj.bool_member("includeJobExecutionState", *r.include_job_execution_state);
  if (r.include_job_document) obj.bool_member("includeJobDocument", *r.include_job_document);
  if (r.execution_number) obj.int_member("executionNumber", *r.execution_number);
}

}  // namespace iotjobs::detail

#endif  // IOTJOBS_DETAIL_REQUEST_BODY_HPP
