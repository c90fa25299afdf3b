// The plain structs every decode contender fills, and the check that two fillings agree. Strings
// are views into the contender's own storage (its DOM, its copy of the payload, its decoder), valid
// until its next decode; a job document is its JSON text. Vectors are cleared, never shrunk, so a
// contender that allocates nothing itself reaches a steady state of 0 allocations.
#ifndef IOTJOBS_BENCH_PLAIN_HPP
#define IOTJOBS_BENCH_PLAIN_HPP

#include <iotjobs/model.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

using iotjobs::job_execution_status;
using iotjobs::rejection_code;
using opt_int = std::optional<std::int64_t>;
using opt_text = std::optional<std::string_view>;

struct detail_pair {
  std::string_view key, value;
};

struct details {
  bool present = false;
  std::vector<detail_pair> pairs;
  void clear() {
    present = false;
    pairs.clear();
  }
};

struct execution {
  std::string_view job_id;
  opt_text thing_name;
  job_execution_status status = job_execution_status::unknown;
  bench::details details;
  opt_int queued_at, started_at, last_updated_at, approximate_seconds_before_timed_out,
      version_number, execution_number;
  opt_text job_document;
  void clear() {
    details.clear();
    thing_name.reset();
    queued_at = started_at = last_updated_at = approximate_seconds_before_timed_out =
        version_number = execution_number = std::nullopt;
    job_document.reset();
  }
};

struct summary {
  std::string_view job_id;
  opt_int queued_at, started_at, last_updated_at, version_number, execution_number;
};

struct state {
  job_execution_status status = job_execution_status::unknown;
  bench::details details;
  opt_int version_number;
};

struct notify_next {
  bool has_execution = false;
  bench::execution execution;
  opt_int timestamp;
};

struct get_pending {
  std::vector<summary> in_progress, queued;
  opt_int timestamp;
  opt_text client_token;
};

struct update_accepted {
  bool has_state = false;
  bench::state state;
  opt_text job_document;
  opt_int timestamp;
  opt_text client_token;
};

struct rejected {
  rejection_code code = rejection_code::unknown;
  opt_text message, client_token;
  opt_int timestamp;
  bool has_state = false;
  bench::state state;
};

// DescribeJobExecution over HTTPS: the execution, its job document a string of JSON text.
struct describe_response {
  bool has_execution = false;
  bench::execution execution;
};

// A FreeRTOS OTA job document (afr_ota): what an OTA agent reads from it.
struct ota_file {
  opt_text path;
  std::int64_t size = 0, id = 0;
  std::string_view signature_key, signature;  // the one signature, if any
  opt_int file_type;
  opt_text url, auth_scheme;
};

struct ota_update {
  std::vector<std::string_view> protocols;
  opt_text stream;
  std::vector<ota_file> files;
};

// Whether two fillings agree; on a difference, `why` names the first field that differs. Job
// documents agree when they are the same JSON value (contenders that re-serialize may order
// whitespace and escapes differently).
bool same(const notify_next& a, const notify_next& b, std::string& why);
bool same(const get_pending& a, const get_pending& b, std::string& why);
bool same(const update_accepted& a, const update_accepted& b, std::string& why);
bool same(const rejected& a, const rejected& b, std::string& why);
bool same(const describe_response& a, const describe_response& b, std::string& why);
bool same(const ota_update& a, const ota_update& b, std::string& why);

}  // namespace bench

#endif  // IOTJOBS_BENCH_PLAIN_HPP
