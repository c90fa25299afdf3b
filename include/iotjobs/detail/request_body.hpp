// The checks of the members StartNextPendingJobExecution and UpdateJobExecution send in both
// bindings, and of a client token; the members themselves are written by their tables
// (schema.hpp, detail/schema_writer.hpp).
#ifndef IOTJOBS_DETAIL_REQUEST_BODY_HPP
#define IOTJOBS_DETAIL_REQUEST_BODY_HPP

#include <optional>
#include <string_view>

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
  return has_duplicate_key(*details, &status_detail::key) ? error::duplicate_key : error::ok;
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

}  // namespace iotjobs::detail

#endif  // IOTJOBS_DETAIL_REQUEST_BODY_HPP
