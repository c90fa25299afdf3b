// Fills the plain structs from any DOM-style JSON library, through an adapter `A` that names the
// library's node type and answers a handful of questions about a node. This is the code a user
// of a general JSON library writes: look members up by name, check each type, copy out views.
// Required members (jobId and status of an execution, status of a state, code of a rejection)
// must be present with their type; a member of the wrong type fails the decode; null or absent
// optional members are absent.
#ifndef IOTJOBS_BENCH_EXTRACT_HPP
#define IOTJOBS_BENCH_EXTRACT_HPP

#include "plain.hpp"

namespace bench {

template <class A>
struct extract {
  using node = typename A::node;
  A& lib;  // a job document is serialized into lib's storage

  bool optional_int(node obj, const char* key, opt_int& out) {
    node v{};
    out.reset();
    if (!A::member(obj, key, v) || A::is_null(v)) return true;
    std::int64_t i = 0;
    if (!A::int64(v, i)) return false;
    out = i;
    return true;
  }
  bool optional_text(node obj, const char* key, opt_text& out) {
    node v{};
    out.reset();
    if (!A::member(obj, key, v) || A::is_null(v)) return true;
    std::string_view s;
    if (!A::string(v, s)) return false;
    out = s;
    return true;
  }
  bool required_text(node obj, const char* key, std::string_view& out) {
    node v{};
    return A::member(obj, key, v) && A::string(v, out);
  }
  bool status(node obj, job_execution_status& out) {
    std::string_view s;
    if (!required_text(obj, "status", s)) return false;
    out = iotjobs::job_execution_status_from_wire(s);
    return true;
  }
  bool status_details(node obj, bench::details& out) {
    out.clear();
    node v{};
    if (!A::member(obj, "statusDetails", v) || A::is_null(v)) return true;
    out.present = true;
    return A::each_member(v, [&](std::string_view key, node value) {
      std::string_view s;
      if (!A::string(value, s)) return false;
      out.pairs.push_back({key, s});
      return true;
    });
  }
  // An object is serialized to text; a string (HTTPS) is the text.
  bool job_document(node obj, opt_text& out) {
    node v{};
    out.reset();
    if (!A::member(obj, "jobDocument", v) || A::is_null(v)) return true;
    std::string_view s;
    if (A::string(v, s)) {
      out = s;
      return true;
    }
    if (!A::is_object(v)) return false;
    out = lib.serialize(v);
    return true;
  }
  bool execution(node x, bench::execution& out) {
    out.clear();
    return A::is_object(x) && required_text(x, "jobId", out.job_id) &&
           optional_text(x, "thingName", out.thing_name) && status(x, out.status) &&
           status_details(x, out.details) && optional_int(x, "queuedAt", out.queued_at) &&
           optional_int(x, "startedAt", out.started_at) &&
           optional_int(x, "lastUpdatedAt", out.last_updated_at) &&
           optional_int(x, "approximateSecondsBeforeTimedOut",
                        out.approximate_seconds_before_timed_out) &&
           optional_int(x, "versionNumber", out.version_number) &&
           optional_int(x, "executionNumber", out.execution_number) &&
           job_document(x, out.job_document);
  }
  bool state(node obj, bool& has, bench::state& out) {
    node x{};
    has = false;
    if (!A::member(obj, "executionState", x) || A::is_null(x)) return true;
    has = true;
    return A::is_object(x) && status(x, out.status) && status_details(x, out.details) &&
           optional_int(x, "versionNumber", out.version_number);
  }
  bool summaries(node obj, const char* key, std::vector<summary>& out) {
    out.clear();
    node list{};
    if (!A::member(obj, key, list) || A::is_null(list)) return true;
    return A::each_element(list, [&](node x) {
      summary& s = out.emplace_back();
      return A::is_object(x) && required_text(x, "jobId", s.job_id) &&
             optional_int(x, "queuedAt", s.queued_at) &&
             optional_int(x, "startedAt", s.started_at) &&
             optional_int(x, "lastUpdatedAt", s.last_updated_at) &&
             optional_int(x, "versionNumber", s.version_number) &&
             optional_int(x, "executionNumber", s.execution_number);
    });
  }

  bool operator()(node root, notify_next& out) {
    node x{};
    out.has_execution = A::is_object(root) && A::member(root, "execution", x) && !A::is_null(x);
    return A::is_object(root) && optional_int(root, "timestamp", out.timestamp) &&
           (!out.has_execution || execution(x, out.execution));
  }
  bool operator()(node root, get_pending& out) {
    return A::is_object(root) && summaries(root, "inProgressJobs", out.in_progress) &&
           summaries(root, "queuedJobs", out.queued) &&
           optional_int(root, "timestamp", out.timestamp) &&
           optional_text(root, "clientToken", out.client_token);
  }
  bool operator()(node root, update_accepted& out) {
    return A::is_object(root) && state(root, out.has_state, out.state) &&
           job_document(root, out.job_document) && optional_int(root, "timestamp", out.timestamp) &&
           optional_text(root, "clientToken", out.client_token);
  }
  bool operator()(node root, rejected& out) {
    std::string_view code;
    if (!A::is_object(root) || !required_text(root, "code", code)) return false;
    out.code = iotjobs::rejection_code_from_wire(code);
    return optional_text(root, "message", out.message) &&
           optional_text(root, "clientToken", out.client_token) &&
           optional_int(root, "timestamp", out.timestamp) && state(root, out.has_state, out.state);
  }
  // afr_ota: the members an OTA agent reads, and the first of the four signature keys present.
  bool operator()(node root, ota_update& out) {
    node ota{}, list{};
    out.protocols.clear();
    out.files.clear();
    if (!A::is_object(root) || !A::member(root, "afr_ota", ota) || !A::is_object(ota) ||
        !A::member(ota, "protocols", list) || !optional_text(ota, "streamname", out.stream))
      return false;
    if (!A::each_element(list, [&](node p) {
          std::string_view s;
          if (!A::string(p, s)) return false;
          out.protocols.push_back(s);
          return true;
        }))
      return false;
    return A::member(ota, "files", list) && A::each_element(list, [&](node f) {
             ota_file& file = out.files.emplace_back();
             if (!A::is_object(f)) return false;
             file.signature_key = {};
             file.signature = {};
             node v{};
             for (const char* key :
                  {"sig-sha1-rsa", "sig-sha256-rsa", "sig-sha1-ecdsa", "sig-sha256-ecdsa"}) {
               if (A::member(f, key, v) && !A::is_null(v)) {
                 file.signature_key = key;
                 if (!A::string(v, file.signature)) return false;
               }
             }
             opt_int size, id;
             if (!optional_text(f, "filepath", file.path) || !optional_int(f, "filesize", size) ||
                 !optional_int(f, "fileid", id) || !size || !id ||
                 !optional_int(f, "fileType", file.file_type) ||
                 !optional_text(f, "update_data_url", file.url) ||
                 !optional_text(f, "auth_scheme", file.auth_scheme))
               return false;
             file.size = *size;
             file.id = *id;
             return true;
           });
  }
  bool operator()(node root, describe_response& out) {
    node x{};
    out.has_execution = A::is_object(root) && A::member(root, "execution", x) && !A::is_null(x);
    return A::is_object(root) && (!out.has_execution || execution(x, out.execution));
  }
};

}  // namespace bench

#endif  // IOTJOBS_BENCH_EXTRACT_HPP
