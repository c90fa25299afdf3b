#include "plain.hpp"

#include <nlohmann/json.hpp>

namespace bench {
namespace {

struct comparer {
  std::string& why;
  bool ok = true;

  template <class T>
  void eq(const char* name, const T& a, const T& b) {
    if (ok && !(a == b)) {
      ok = false;
      why = name;
    }
  }
  void document(const opt_text& a, const opt_text& b) {
    eq("jobDocument present", a.has_value(), b.has_value());
    if (!ok || !a) return;
    const auto parsed = [](std::string_view s) {
      return nlohmann::json::parse(s.begin(), s.end(), nullptr, false);
    };
    const nlohmann::json x = parsed(*a), y = parsed(*b);
    eq("jobDocument", !x.is_discarded() && x == y, true);
  }
  void details(const bench::details& a, const bench::details& b) {
    eq("statusDetails present", a.present, b.present);
    eq("statusDetails size", a.pairs.size(), b.pairs.size());
    for (std::size_t i = 0; ok && i < a.pairs.size(); ++i) {
      eq("statusDetails key", a.pairs[i].key, b.pairs[i].key);
      eq("statusDetails value", a.pairs[i].value, b.pairs[i].value);
    }
  }
  void execution(const bench::execution& a, const bench::execution& b) {
    eq("jobId", a.job_id, b.job_id);
    eq("thingName", a.thing_name, b.thing_name);
    eq("status", a.status, b.status);
    details(a.details, b.details);
    eq("queuedAt", a.queued_at, b.queued_at);
    eq("startedAt", a.started_at, b.started_at);
    eq("lastUpdatedAt", a.last_updated_at, b.last_updated_at);
    eq("approximateSecondsBeforeTimedOut", a.approximate_seconds_before_timed_out,
       b.approximate_seconds_before_timed_out);
    eq("versionNumber", a.version_number, b.version_number);
    eq("executionNumber", a.execution_number, b.execution_number);
    document(a.job_document, b.job_document);
  }
  void summaries(const std::vector<summary>& a, const std::vector<summary>& b) {
    eq("summaries", a.size(), b.size());
    for (std::size_t i = 0; ok && i < a.size(); ++i) {
      eq("summary jobId", a[i].job_id, b[i].job_id);
      eq("summary queuedAt", a[i].queued_at, b[i].queued_at);
      eq("summary startedAt", a[i].started_at, b[i].started_at);
      eq("summary lastUpdatedAt", a[i].last_updated_at, b[i].last_updated_at);
      eq("summary versionNumber", a[i].version_number, b[i].version_number);
      eq("summary executionNumber", a[i].execution_number, b[i].execution_number);
    }
  }
  void state(bool has_a, const bench::state& a, bool has_b, const bench::state& b) {
    eq("executionState present", has_a, has_b);
    if (!ok || !has_a) return;
    eq("state status", a.status, b.status);
    details(a.details, b.details);
    eq("state versionNumber", a.version_number, b.version_number);
  }
};

}  // namespace

bool same(const notify_next& a, const notify_next& b, std::string& why) {
  comparer c{why};
  c.eq("timestamp", a.timestamp, b.timestamp);
  c.eq("execution present", a.has_execution, b.has_execution);
  if (c.ok && a.has_execution) c.execution(a.execution, b.execution);
  return c.ok;
}

bool same(const get_pending& a, const get_pending& b, std::string& why) {
  comparer c{why};
  c.summaries(a.in_progress, b.in_progress);
  c.summaries(a.queued, b.queued);
  c.eq("timestamp", a.timestamp, b.timestamp);
  c.eq("clientToken", a.client_token, b.client_token);
  return c.ok;
}

bool same(const update_accepted& a, const update_accepted& b, std::string& why) {
  comparer c{why};
  c.state(a.has_state, a.state, b.has_state, b.state);
  c.document(a.job_document, b.job_document);
  c.eq("timestamp", a.timestamp, b.timestamp);
  c.eq("clientToken", a.client_token, b.client_token);
  return c.ok;
}

bool same(const rejected& a, const rejected& b, std::string& why) {
  comparer c{why};
  c.eq("code", a.code, b.code);
  c.eq("message", a.message, b.message);
  c.eq("clientToken", a.client_token, b.client_token);
  c.eq("timestamp", a.timestamp, b.timestamp);
  c.state(a.has_state, a.state, b.has_state, b.state);
  return c.ok;
}

bool same(const describe_response& a, const describe_response& b, std::string& why) {
  comparer c{why};
  c.eq("execution present", a.has_execution, b.has_execution);
  if (c.ok && a.has_execution) c.execution(a.execution, b.execution);
  return c.ok;
}

bool same(const ota_update& a, const ota_update& b, std::string& why) {
  comparer c{why};
  c.eq("protocols", a.protocols, b.protocols);
  c.eq("streamname", a.stream, b.stream);
  c.eq("files", a.files.size(), b.files.size());
  for (std::size_t i = 0; c.ok && i < a.files.size(); ++i) {
    const ota_file &x = a.files[i], &y = b.files[i];
    c.eq("filepath", x.path, y.path);
    c.eq("filesize", x.size, y.size);
    c.eq("fileid", x.id, y.id);
    c.eq("signature key", x.signature_key, y.signature_key);
    c.eq("signature", x.signature, y.signature);
    c.eq("fileType", x.file_type, y.file_type);
    c.eq("update_data_url", x.url, y.url);
    c.eq("auth_scheme", x.auth_scheme, y.auth_scheme);
  }
  return c.ok;
}

}  // namespace bench
