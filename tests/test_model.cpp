#include "iotjobs/model.hpp"

#include <doctest/doctest.h>

#include <string_view>
#include <vector>

namespace test_model {

using iotjobs::job_execution_status;
using iotjobs::rejection_code;

TEST_CASE("job execution statuses round-trip through their wire names") {
  const std::pair<job_execution_status, std::string_view> all[] = {
      {job_execution_status::queued, "QUEUED"},
      {job_execution_status::in_progress, "IN_PROGRESS"},
      {job_execution_status::succeeded, "SUCCEEDED"},
      {job_execution_status::failed, "FAILED"},
      {job_execution_status::timed_out, "TIMED_OUT"},
      {job_execution_status::rejected, "REJECTED"},
      {job_execution_status::removed, "REMOVED"},
      {job_execution_status::canceled, "CANCELED"},
  };
  for (const auto& [status, wire] : all) {
    CHECK(iotjobs::to_wire(status) == wire);
    CHECK(iotjobs::job_execution_status_from_wire(wire) == status);
  }
}

TEST_CASE("the AWS prose typos and other strings are unknown statuses") {
  for (std::string_view s : {"SUCCESS", "INPROGRESS", "CANCELLED", "queued", "", "QUEUED "}) {
    CAPTURE(s);
    CHECK(iotjobs::job_execution_status_from_wire(s) == job_execution_status::unknown);
  }
  CHECK(iotjobs::to_wire(job_execution_status::unknown).empty());
}

TEST_CASE("update statuses are the four a device may set") {
  using iotjobs::update_status;
  CHECK(iotjobs::to_wire(update_status::in_progress) == "IN_PROGRESS");
  CHECK(iotjobs::to_wire(update_status::succeeded) == "SUCCEEDED");
  CHECK(iotjobs::to_wire(update_status::failed) == "FAILED");
  CHECK(iotjobs::to_wire(update_status::rejected) == "REJECTED");
  CHECK(iotjobs::to_job_execution_status(update_status::rejected) ==
        job_execution_status::rejected);
}

TEST_CASE("terminal statuses") {
  CHECK_FALSE(iotjobs::is_terminal(job_execution_status::queued));
  CHECK_FALSE(iotjobs::is_terminal(job_execution_status::in_progress));
  CHECK_FALSE(iotjobs::is_terminal(job_execution_status::unknown));
  for (auto s : {job_execution_status::succeeded, job_execution_status::failed,
                 job_execution_status::timed_out, job_execution_status::rejected,
                 job_execution_status::removed, job_execution_status::canceled}) {
    CHECK(iotjobs::is_terminal(s));
  }
}

TEST_CASE("rejection codes round-trip through their wire names") {
  const std::pair<rejection_code, std::string_view> all[] = {
      {rejection_code::invalid_topic, "InvalidTopic"},
      {rejection_code::invalid_json, "InvalidJson"},
      {rejection_code::invalid_request, "InvalidRequest"},
      {rejection_code::invalid_state_transition, "InvalidStateTransition"},
      {rejection_code::resource_not_found, "ResourceNotFound"},
      {rejection_code::version_mismatch, "VersionMismatch"},
      {rejection_code::internal_error, "InternalError"},
      {rejection_code::request_throttled, "RequestThrottled"},
      {rejection_code::terminal_state_reached, "TerminalStateReached"},
  };
  for (const auto& [code, wire] : all) {
    CHECK(iotjobs::to_wire(code) == wire);
    CHECK(iotjobs::rejection_code_from_wire(wire) == code);
  }
  CHECK(iotjobs::rejection_code_from_wire("ResourceNotFoundException") == rejection_code::unknown);
  CHECK(iotjobs::rejection_code_from_wire("invalidtopic") == rejection_code::unknown);
}

TEST_CASE("status details are made from caller storage and searched by key") {
  const iotjobs::status_detail array[] = {{"step", "download"}, {"progress", "40%"}};
  const iotjobs::status_details_view from_array = array;
  CHECK(from_array.size() == 2);
  CHECK(from_array.find("progress") == std::optional<std::string_view>("40%"));
  CHECK_FALSE(from_array.find("missing"));

  const std::vector<iotjobs::status_detail> vec = {{"a", "b"}};
  const iotjobs::status_details_view from_vector = vec;
  CHECK(from_vector.size() == 1);
  CHECK(from_vector[0].value == "b");
  CHECK(iotjobs::status_details_view{}.empty());
}

}  // namespace test_model
