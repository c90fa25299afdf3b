// The objects the Jobs messages share, read with the decoder's JSON reader: JobExecution,
// JobExecutionState, JobExecutionSummary (and lists of them), notify's status groups, and the
// status strings (docs/wire-protocol.md §4, §5, §8.5). The messages themselves are in
// messages.hpp.
#ifndef IOTJOBS_DETAIL_JOBS_SCHEMA_HPP
#define IOTJOBS_DETAIL_JOBS_SCHEMA_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "iotjobs/detail/json_reader.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/model.hpp"

namespace iotjobs::detail {

// A status string: the enum, and the wire text kept for `unknown`.
inline error read_status(walker& w, od::value& v, job_execution_status& status,
                         std::string_view& text) noexcept {
  if (const error e = w.string(v, text); e != error::ok) return e;
  status = job_execution_status_from_wire(text);
  return error::ok;
}

// A request's status: only what a device may set.
inline error read_update_status(walker& w, od::value& v, update_status& out) noexcept {
  std::string_view text;
  if (const error e = w.string(v, text); e != error::ok) return e;
  for (const auto s : {update_status::in_progress, update_status::succeeded, update_status::failed,
                       update_status::rejected}) {
    if (to_wire(s) == text) {
      out = s;
      return error::ok;
    }
  }
  return error::invalid_update_status;
}

// A rejection code (of the Jobs rejections and the commands ones): the enum and the wire text.
inline error read_rejection_code(walker& w, od::value& v, rejection_code& code,
                                 std::string_view& text) noexcept {
  const error e = w.string(v, text);
  code = rejection_code_from_wire(text);
  return e;
}

inline error read_summary(walker& w, od::value& v, std::size_t depth,
                          job_execution_summary_view& out) noexcept {
  static constexpr std::string_view names[] = {"jobId",         "queuedAt",      "startedAt",
                                               "lastUpdatedAt", "versionNumber", "executionNumber"};
  od::object obj;
  if (const error e = w.object_of(v, obj); e != error::ok) return e;
  return w.members(obj, names, depth + 1, 1u << 0, [&](int i, od::value& m) {
    switch (i) {
      case 0: return w.string(m, out.job_id);
      case 1: return w.integer(m, out.queued_at);
      case 2: return w.integer(m, out.started_at);
      case 3: return w.integer(m, out.last_updated_at);
      case 4: return w.integer(m, out.version_number);
      default: return w.integer(m, out.execution_number);
    }
  });
}

inline error read_summaries(walker& w, od::value& v, std::size_t depth,
                            list_view<job_execution_summary_view>& out) noexcept {
  if (depth + 1 >= max_nesting_depth) return error::nesting_too_deep;
  return w.list(v, out, [&](od::value& item, job_execution_summary_view& s) {
    return read_summary(w, item, depth + 1, s);
  });
}

inline error read_execution(walker& w, od::value& v, std::size_t depth,
                            std::optional<job_execution_view>& out) noexcept {
  static constexpr std::string_view names[] = {
      "jobId",         "status",          "thingName",     "statusDetails",
      "queuedAt",      "startedAt",       "lastUpdatedAt", "approximateSecondsBeforeTimedOut",
      "versionNumber", "executionNumber", "jobDocument"};
  od::object obj;
  if (const error e = w.object_of(v, obj); e != error::ok) return e;
  job_execution_view& x = out.emplace();
  return w.members(obj, names, depth + 1, 1u << 0 | 1u << 1, [&](int i, od::value& m) {
    switch (i) {
      case 0: return w.string(m, x.job_id);
      case 1: return read_status(w, m, x.status, x.status_text);
      case 2: return w.string(m, x.thing_name);
      case 3: return w.status_details(m, x.status_details);
      case 4: return w.integer(m, x.queued_at);
      case 5: return w.integer(m, x.started_at);
      case 6: return w.integer(m, x.last_updated_at);
      case 7: return w.integer(m, x.approximate_seconds_before_timed_out);
      case 8: return w.integer(m, x.version_number);
      case 9: return w.integer(m, x.execution_number);
      default: return w.job_document(m, depth + 1, x.job_document);
    }
  });
}

inline error read_state(walker& w, od::value& v, std::size_t depth,
                        std::optional<job_execution_state_view>& out) noexcept {
  static constexpr std::string_view names[] = {"status", "statusDetails", "versionNumber"};
  od::object obj;
  if (const error e = w.object_of(v, obj); e != error::ok) return e;
  job_execution_state_view& x = out.emplace();
  return w.members(obj, names, depth + 1, 1u << 0, [&](int i, od::value& m) {
    switch (i) {
      case 0: return read_status(w, m, x.status, x.status_text);
      case 1: return w.status_details(m, x.status_details);
      default: return w.integer(m, x.version_number);
    }
  });
}

// notify's `jobs`: status key -> summaries. Group records come from the arena's top while
// each group's summaries grow at the bottom, then are put back in payload order. A known status
// may appear once; unknown ones are not ours to judge.
inline error read_job_groups(walker& w, od::value& v, std::size_t depth,
                             list_view<job_group_view>& out) noexcept {
  od::object obj;
  if (const error e = w.object_of(v, obj); e != error::ok) return e;
  job_group_view* last = nullptr;
  std::size_t count = 0;
  std::uint32_t seen = 0;
  const error e = each_member(obj, [&](std::string_view key, od::value& jobs) {
    w.set_error_field(key);
    job_group_view* g = w.storage().push_top<job_group_view>();
    if (g == nullptr) return error::out_of_memory;
    last = g;
    ++count;
    g->status_text = key;
    g->status = job_execution_status_from_wire(key);
    const std::uint32_t bit = std::uint32_t{1} << static_cast<int>(g->status);
    if (g->status != job_execution_status::unknown && (seen & bit)) return error::duplicate_field;
    seen |= bit;
    return read_summaries(w, jobs, depth + 1, g->jobs);
  });
  if (e != error::ok) return e;
  std::reverse(last, last + count);
  out = list_view<job_group_view>(last, count);
  return error::ok;
}

}  // namespace iotjobs::detail

#endif  // IOTJOBS_DETAIL_JOBS_SCHEMA_HPP
