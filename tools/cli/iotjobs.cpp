// iotjobs — encode and decode AWS IoT Jobs messages from the shell, on the library's public API.
//
//   iotjobs encode OPERATION [--http] --input JSON|@FILE
//   iotjobs decode --topic TOPIC [FILE]
//   iotjobs decode --http OPERATION --status CODE [--header 'Name: value']... [FILE]
//   iotjobs decode --stream [FILE]
//   iotjobs emulate --broker HOST:PORT --jobs FILE
//
// Exit status: 0 success (a service error is data: 0 too), 1 a decode or validation error (its
// name and byte offset on stderr, nothing on stdout), 2 a usage error.
#include <simdjson.h>

#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <iotjobs/iotjobs.hpp>

#include "emulate.hpp"

namespace {

constexpr const char* usage_text =
    "usage: iotjobs encode OPERATION [--http] --input JSON|@FILE\n"
    "       iotjobs decode --topic TOPIC [FILE]\n"
    "       iotjobs decode --http OPERATION --status CODE [--header 'Name: value']... [FILE]\n"
    "       iotjobs decode --stream [FILE]\n"
    "       iotjobs emulate --broker HOST:PORT --jobs FILE\n"
    "OPERATION: describe-job-execution, get-pending-job-executions,\n"
    "           start-next-pending-job-execution, update-job-execution, start-command-execution\n";

constexpr const char* encode_help =
    "usage: iotjobs encode OPERATION [--http] --input JSON|@FILE\n"
    "Encodes one request. JSON is the operation's input in the AWS API's shape (thingName, jobId,\n"
    "status, statusDetails, expectedVersion, ...; MQTT adds clientToken). Prints\n"
    "{\"topic\":...,\"payload\":...} for MQTT, or with --http\n"
    "{\"method\":...,\"path\":...,\"query\":...,\"headers\":{...},\"body\":... or null}.\n"
    "start-command-execution exists over HTTPS only.\n";

constexpr const char* decode_help =
    "usage: iotjobs decode --topic TOPIC [FILE]\n"
    "       iotjobs decode --http OPERATION --status CODE [--header 'Name: value']... [FILE]\n"
    "       iotjobs decode --stream [FILE]\n"
    "Decodes a payload read from FILE or standard input and prints it as one line of JSON.\n"
    "--topic: an MQTT message of the Jobs or commands topics; \"kind\", \"thingName\" and "
    "\"jobId\"\n"
    "  come from the topic, the rest from the payload.\n"
    "--http: an HTTPS response of OPERATION, in the AWS output shape; an error response prints\n"
    "  {\"error\":{\"name\":...,\"fault\":...,...}} and still exits 0.\n"
    "--stream: `mosquitto_sub -v` output, one `TOPIC PAYLOAD` line per message; one JSON line\n"
    "  per message, {\"error\":...} for a bad one, and on to the next.\n";

// ---------------------------------------------------------------------------------------------
// JSON output

void put_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 0xF];
    } else {
      out += ch;
    }
  }
  out += '"';
}

// Builds one compact JSON object member by member.
class json_object {
 public:
  explicit json_object(std::string& out) : out_(out) { out_ += '{'; }
  void end() { out_ += '}'; }

  std::string& key(std::string_view k) {
    if (!first_) out_ += ',';
    first_ = false;
    put_string(out_, k);
    out_ += ':';
    return out_;
  }
  void string(std::string_view k, std::string_view v) { put_string(key(k), v); }
  void optional_string(std::string_view k, const std::optional<std::string_view>& v) {
    if (v) string(k, *v);
  }
  void optional_integer(std::string_view k, const std::optional<std::int64_t>& v) {
    if (v) key(k) += std::to_string(*v);
  }
  void optional_boolean(std::string_view k, const std::optional<bool>& v) {
    if (v) key(k) += *v ? "true" : "false";
  }
  void raw(std::string_view k, std::string_view json) { key(k) += json; }

 private:
  std::string& out_;
  bool first_ = true;
};

// ---------------------------------------------------------------------------------------------
// Views to JSON, under their wire names. `document_as_string`: the HTTPS shape, where the job
// document is a JSON string; over MQTT it is the object itself.

void put_details(json_object& o, const std::optional<iotjobs::status_details_view>& details) {
  if (!details) return;
  json_object map(o.key("statusDetails"));
  for (const iotjobs::status_detail& d : *details)
    map.string(d.key, d.value);
  map.end();
}

// Valid JSON without the white space between its tokens: one output line per message.
void put_compact(std::string& out, std::string_view json) {
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      out += c;
      if (c == '\\') {
        out += json[++i];  // the escaped character, whatever it is
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      out += c;
      in_string = c == '"';
    }
  }
}

void put_document(json_object& o, const std::optional<iotjobs::job_document_view>& doc,
                  bool document_as_string) {
  if (!doc) return;
  if (document_as_string) {
    o.string("jobDocument", doc->json());
  } else {
    put_compact(o.key("jobDocument"), doc->json());
  }
}

void put_execution(std::string& out, const iotjobs::job_execution_view& x,
                   bool document_as_string) {
  json_object o(out);
  o.string("jobId", x.job_id);
  o.optional_string("thingName", x.thing_name);
  o.string("status", x.status_text);
  put_details(o, x.status_details);
  o.optional_integer("queuedAt", x.queued_at);
  o.optional_integer("startedAt", x.started_at);
  o.optional_integer("lastUpdatedAt", x.last_updated_at);
  o.optional_integer("approximateSecondsBeforeTimedOut", x.approximate_seconds_before_timed_out);
  o.optional_integer("versionNumber", x.version_number);
  o.optional_integer("executionNumber", x.execution_number);
  put_document(o, x.job_document, document_as_string);
  o.end();
}

void put_state(std::string& out, const iotjobs::job_execution_state_view& s) {
  json_object o(out);
  o.string("status", s.status_text);
  put_details(o, s.status_details);
  o.optional_integer("versionNumber", s.version_number);
  o.end();
}

void put_summaries(std::string& out,
                   const iotjobs::list_view<iotjobs::job_execution_summary_view>& list) {
  out += '[';
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out += ',';
    json_object o(out);
    o.string("jobId", list[i].job_id);
    o.optional_integer("queuedAt", list[i].queued_at);
    o.optional_integer("startedAt", list[i].started_at);
    o.optional_integer("lastUpdatedAt", list[i].last_updated_at);
    o.optional_integer("versionNumber", list[i].version_number);
    o.optional_integer("executionNumber", list[i].execution_number);
    o.end();
  }
  out += ']';
}

// The members of each decoded view, written into an object already open.
void put(json_object& o, const iotjobs::get_pending_accepted_view& v) {
  put_summaries(o.key("inProgressJobs"), v.in_progress_jobs);
  put_summaries(o.key("queuedJobs"), v.queued_jobs);
  o.optional_integer("timestamp", v.timestamp);
  o.optional_string("clientToken", v.client_token);
}
void put(json_object& o, const iotjobs::execution_accepted_view& v, bool document_as_string) {
  if (v.execution) put_execution(o.key("execution"), *v.execution, document_as_string);
  o.optional_integer("timestamp", v.timestamp);
  o.optional_string("clientToken", v.client_token);
}
void put(json_object& o, const iotjobs::update_accepted_view& v, bool document_as_string) {
  if (v.execution_state) put_state(o.key("executionState"), *v.execution_state);
  put_document(o, v.job_document, document_as_string);
  o.optional_integer("timestamp", v.timestamp);
  o.optional_string("clientToken", v.client_token);
}
void put(json_object& o, const iotjobs::rejected_view& v) {
  o.string("code", v.code_text);
  o.optional_string("message", v.message);
  o.optional_string("clientToken", v.client_token);
  o.optional_integer("timestamp", v.timestamp);
  if (v.execution_state) put_state(o.key("executionState"), *v.execution_state);
}
void put(json_object& o, const iotjobs::notify_view& v) {
  o.optional_integer("timestamp", v.timestamp);
  json_object jobs(o.key("jobs"));
  for (const iotjobs::job_group_view& g : v.jobs)
    put_summaries(jobs.key(g.status_text), g.jobs);
  jobs.end();
}
void put(json_object& o, const iotjobs::notify_next_view& v) {
  o.optional_integer("timestamp", v.timestamp);
  if (v.execution) put_execution(o.key("execution"), *v.execution, false);
}
void put(json_object& o, const iotjobs::command_accepted_view& v) {
  o.optional_string("executionId", v.execution_id);
}
void put(json_object& o, const iotjobs::command_rejected_view& v) {
  o.string("error", v.code_text);
  o.optional_string("errorMessage", v.message);
  o.optional_string("executionId", v.execution_id);
}
void put(json_object& o, const iotjobs::get_pending_job_executions_request& r) {
  o.optional_string("clientToken", r.client_token);
}
void put(json_object& o, const iotjobs::start_next_pending_job_execution_request& r) {
  put_details(o, r.status_details);
  o.optional_integer("stepTimeoutInMinutes", r.step_timeout_in_minutes);
  o.optional_string("clientToken", r.client_token);
}
void put(json_object& o, const iotjobs::describe_job_execution_request& r) {
  o.optional_boolean("includeJobDocument", r.include_job_document);
  o.optional_integer("executionNumber", r.execution_number);
  o.optional_string("clientToken", r.client_token);
}
void put(json_object& o, const iotjobs::update_job_execution_request& r) {
  o.string("status", iotjobs::to_wire(r.status));
  put_details(o, r.status_details);
  o.optional_integer("stepTimeoutInMinutes", r.step_timeout_in_minutes);
  o.optional_integer("expectedVersion", r.expected_version);
  o.optional_boolean("includeJobExecutionState", r.include_job_execution_state);
  o.optional_boolean("includeJobDocument", r.include_job_document);
  o.optional_integer("executionNumber", r.execution_number);
  o.optional_string("clientToken", r.client_token);
}
void put(json_object& o, const iotjobs::start_command_execution_view& v) {
  o.string("executionId", v.execution_id);
}

// ---------------------------------------------------------------------------------------------
// Failures

struct failure {
  int status;  // 1 decode/validation, 2 usage
  std::string text;
};

failure usage(std::string text) {
  return {2, std::move(text)};
}

// "invalid_json at byte 12 (member \"timestamp\"): the payload is not valid JSON"
failure decode_failure(iotjobs::error e, const iotjobs::decoder* dec) {
  std::string text(iotjobs::name(e));
  if (dec) {
    text += " at byte " + std::to_string(dec->last_error_offset());
    if (!dec->last_error_field().empty())
      text += " (member \"" + std::string(dec->last_error_field()) + "\")";
  }
  text += ": " + std::string(iotjobs::message(e));
  return {1, text};
}

// ---------------------------------------------------------------------------------------------
// encode

// The operation's input, read with simdjson's DOM parser; every key must be one of the
// operation's members.
class input {
 public:
  explicit input(simdjson::dom::object obj) : obj_(obj) {}

  std::optional<failure> check_keys(std::initializer_list<std::string_view> allowed) const {
    for (const auto member : obj_) {
      bool known = false;
      for (std::string_view a : allowed)
        known = known || member.key == a;
      if (!known) return usage("unknown input member \"" + std::string(member.key) + "\"");
    }
    return std::nullopt;
  }

  // An optional member of type T; `what` names the type for the error.
  template <class T>
  std::optional<failure> member(std::string_view key, std::optional<T>& out,
                                std::string_view what) const {
    simdjson::dom::element e;
    if (obj_[key].get(e)) return std::nullopt;  // absent
    T value{};
    if (e.get(value)) return type_error(key, what);
    out = value;
    return std::nullopt;
  }
  std::optional<failure> string(std::string_view key, std::optional<std::string_view>& out) const {
    return member(key, out, "a string");
  }
  std::optional<failure> string(std::string_view key, std::string_view& out) const {
    std::optional<std::string_view> s;
    if (auto f = string(key, s)) return f;
    if (s) out = *s;
    return std::nullopt;
  }
  std::optional<failure> integer(std::string_view key, std::optional<std::int64_t>& out) const {
    return member(key, out, "an integer");
  }
  std::optional<failure> boolean(std::string_view key, std::optional<bool>& out) const {
    return member(key, out, "a boolean");
  }
  std::optional<failure> details(std::vector<iotjobs::status_detail>& storage,
                                 std::optional<iotjobs::status_details_view>& out) const {
    simdjson::dom::element e;
    if (obj_["statusDetails"].get(e)) return std::nullopt;
    simdjson::dom::object map;
    if (e.get(map)) return type_error("statusDetails", "an object");
    for (const auto member : map) {
      std::string_view value;
      if (member.value.get(value)) return type_error("statusDetails", "an object of strings");
      storage.push_back({member.key, value});
    }
    out = iotjobs::status_details_view(storage);
    return std::nullopt;
  }
  simdjson::dom::object object() const { return obj_; }

  static failure type_error(std::string_view key, std::string_view what) {
    return {1,
            "wrong_type: input member \"" + std::string(key) + "\" must be " + std::string(what)};
  }

 private:
  simdjson::dom::object obj_;
};

std::optional<failure> base64_decode(std::string_view text, std::string& out) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (text.size() % 4 != 0) return failure{1, "invalid_command_parameter: BIN is not base64"};
  for (std::size_t i = 0; i < text.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text[i + k];
      const bool last = i + 4 == text.size();
      if (c == '=' && last && k >= 2 && (k == 3 || text[i + 3] == '=')) {
        v[k] = 0;
        ++pad;
      } else if ((v[k] = value(c)) < 0 || pad) {
        return failure{1, "invalid_command_parameter: BIN is not base64"};
      }
    }
    const std::uint32_t n = static_cast<std::uint32_t>(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
    out += static_cast<char>(n >> 16);
    if (pad < 2) out += static_cast<char>(n >> 8 & 0xFF);
    if (pad < 1) out += static_cast<char>(n & 0xFF);
  }
  return std::nullopt;
}

std::optional<failure> read_status(std::string_view text, iotjobs::update_status& out) {
  using iotjobs::update_status;
  for (const update_status s : {update_status::in_progress, update_status::succeeded,
                                update_status::failed, update_status::rejected}) {
    if (iotjobs::to_wire(s) == text) {
      out = s;
      return std::nullopt;
    }
  }
  return failure{1, "invalid_status: \"" + std::string(text) +
                        "\": a device sets IN_PROGRESS, SUCCEEDED, FAILED or REJECTED"};
}

// Everything a request's views point into lives here while it is encoded.
struct request_storage {
  std::vector<iotjobs::status_detail> details;
  std::vector<iotjobs::command_parameter> parameters;
  std::vector<std::string> bytes;  // BIN values, decoded
};

std::string encode_message(const iotjobs::mqtt::message_view& m) {
  std::string out;
  json_object o(out);
  o.string("topic", m.topic);
  o.string("payload", m.payload);
  o.end();
  return out;
}

std::string encode_request(const iotjobs::https::request_view& r) {
  std::string out;
  json_object o(out);
  o.string("method", r.method);
  o.string("path", r.path);
  o.string("query", r.query);
  json_object headers(o.key("headers"));
  for (const iotjobs::https::header& h : r.headers)
    headers.string(h.name, h.value);
  headers.end();
  if (r.body) {
    o.string("body", *r.body);
  } else {
    o.raw("body", "null");
  }
  o.end();
  return out;
}

template <class Request>
std::variant<std::string, failure> encode_as(const Request& req, bool http) {
  static char topic[iotjobs::mqtt::max_topic_size];
  static char body[iotjobs::mqtt::max_payload_size];
  if (http) {
    const auto r = iotjobs::https::encode_to(req, body);
    if (!r) return decode_failure(r.error(), nullptr);
    return encode_request(*r);
  }
  if constexpr (std::is_same_v<Request, iotjobs::start_command_execution_request>) {
    return usage("start-command-execution exists over HTTPS only: add --http");
  } else {
    const auto m = iotjobs::mqtt::encode_to(req, topic, body);
    if (!m) return decode_failure(m.error(), nullptr);
    return encode_message(*m);
  }
}

std::variant<std::string, failure> encode(std::string_view operation, bool http, const input& in) {
  request_storage storage;
  std::optional<failure> f;
  const auto check = [&](std::optional<failure> r) {
    if (r && !f) f = std::move(r);
  };
  if (operation == "describe-job-execution") {
    check(in.check_keys(
        {"thingName", "jobId", "includeJobDocument", "executionNumber", "clientToken"}));
    iotjobs::describe_job_execution_request r;
    check(in.string("thingName", r.thing_name));
    check(in.string("jobId", r.job_id));
    check(in.boolean("includeJobDocument", r.include_job_document));
    check(in.integer("executionNumber", r.execution_number));
    check(in.string("clientToken", r.client_token));
    if (f) return *f;
    return encode_as(r, http);
  }
  if (operation == "get-pending-job-executions") {
    check(in.check_keys({"thingName", "clientToken"}));
    iotjobs::get_pending_job_executions_request r;
    check(in.string("thingName", r.thing_name));
    check(in.string("clientToken", r.client_token));
    if (f) return *f;
    return encode_as(r, http);
  }
  if (operation == "start-next-pending-job-execution") {
    check(in.check_keys({"thingName", "statusDetails", "stepTimeoutInMinutes", "clientToken"}));
    iotjobs::start_next_pending_job_execution_request r;
    check(in.string("thingName", r.thing_name));
    check(in.details(storage.details, r.status_details));
    check(in.integer("stepTimeoutInMinutes", r.step_timeout_in_minutes));
    check(in.string("clientToken", r.client_token));
    if (f) return *f;
    return encode_as(r, http);
  }
  if (operation == "update-job-execution") {
    check(in.check_keys({"thingName", "jobId", "status", "statusDetails", "stepTimeoutInMinutes",
                         "expectedVersion", "includeJobExecutionState", "includeJobDocument",
                         "executionNumber", "clientToken"}));
    iotjobs::update_job_execution_request r;
    check(in.string("thingName", r.thing_name));
    check(in.string("jobId", r.job_id));
    std::optional<std::string_view> status;
    check(in.string("status", status));
    if (!status) check(failure{1, "missing_field: input member \"status\" is required"});
    if (status) check(read_status(*status, r.status));
    check(in.details(storage.details, r.status_details));
    check(in.integer("stepTimeoutInMinutes", r.step_timeout_in_minutes));
    check(in.integer("expectedVersion", r.expected_version));
    check(in.boolean("includeJobExecutionState", r.include_job_execution_state));
    check(in.boolean("includeJobDocument", r.include_job_document));
    check(in.integer("executionNumber", r.execution_number));
    check(in.string("clientToken", r.client_token));
    if (f) return *f;
    return encode_as(r, http);
  }
  if (operation == "start-command-execution") {
    check(in.check_keys(
        {"targetArn", "commandArn", "parameters", "executionTimeoutSeconds", "clientToken"}));
    iotjobs::start_command_execution_request r;
    check(in.string("targetArn", r.target_arn));
    check(in.string("commandArn", r.command_arn));
    check(in.integer("executionTimeoutSeconds", r.execution_timeout_seconds));
    check(in.string("clientToken", r.client_token));
    simdjson::dom::element parameters;
    if (!f && !in.object()["parameters"].get(parameters)) {
      simdjson::dom::object map;
      if (parameters.get(map)) return input::type_error("parameters", "an object");
      storage.bytes.reserve(map.size());  // the parameters point into these strings
      for (const auto member : map) {
        simdjson::dom::object value;
        if (member.value.get(value) || value.size() != 1)
          return input::type_error("parameters", "an object of {\"S\"|\"B\"|...: value}");
        const auto [kind, v] = *value.begin();
        using value_t = iotjobs::command_parameter_value;
        std::string_view s;
        bool b = false;
        std::int64_t i = 0;
        std::uint64_t u = 0;
        double d = 0;
        if (kind == "S" && !v.get(s)) {
          storage.parameters.push_back({member.key, value_t::string(s)});
        } else if (kind == "B" && !v.get(b)) {
          storage.parameters.push_back({member.key, value_t::boolean(b)});
        } else if (kind == "I" && !v.get(i) && i >= INT32_MIN && i <= INT32_MAX) {
          storage.parameters.push_back({member.key, value_t::int32(static_cast<std::int32_t>(i))});
        } else if (kind == "L" && !v.get(i)) {
          storage.parameters.push_back({member.key, value_t::int64(i)});
        } else if (kind == "D" && !v.get(d)) {
          storage.parameters.push_back({member.key, value_t::float64(d)});
        } else if (kind == "BIN" && !v.get(s)) {
          storage.bytes.emplace_back();
          if (auto bad = base64_decode(s, storage.bytes.back())) return *bad;
          storage.parameters.push_back({member.key, value_t::binary(storage.bytes.back())});
        } else if (kind == "UL" && !v.get(s) && !s.empty() &&
                   std::from_chars(s.data(), s.data() + s.size(), u).ptr == s.data() + s.size()) {
          storage.parameters.push_back({member.key, value_t::uint64(u)});
        } else {
          return failure{1, "invalid_command_parameter: \"" + std::string(member.key) +
                                "\" has no valid S, B, I, L, D, BIN or UL value"};
        }
      }
      r.parameters = iotjobs::list_view<iotjobs::command_parameter>(storage.parameters);
    }
    if (f) return *f;
    return encode_as(r, http);
  }
  return usage("unknown operation \"" + std::string(operation) + "\"");
}

// ---------------------------------------------------------------------------------------------
// decode

constexpr std::string_view kind_name(iotjobs::mqtt::topic_kind k) {
  using iotjobs::mqtt::topic_kind;
  switch (k) {
    case topic_kind::get_pending: return "get_pending";
    case topic_kind::start_next: return "start_next";
    case topic_kind::describe: return "describe";
    case topic_kind::update: return "update";
    case topic_kind::get_pending_accepted: return "get_pending_accepted";
    case topic_kind::get_pending_rejected: return "get_pending_rejected";
    case topic_kind::start_next_accepted: return "start_next_accepted";
    case topic_kind::start_next_rejected: return "start_next_rejected";
    case topic_kind::describe_accepted: return "describe_accepted";
    case topic_kind::describe_rejected: return "describe_rejected";
    case topic_kind::update_accepted: return "update_accepted";
    case topic_kind::update_rejected: return "update_rejected";
    case topic_kind::notify: return "notify";
    case topic_kind::notify_next: return "notify_next";
  }
  return "";
}

template <class View, class... Extra>
std::variant<std::string, failure> finish(iotjobs::decoder& dec, const iotjobs::result<View>& r,
                                          std::string& out, json_object& o, Extra... extra) {
  if (!r) return decode_failure(r.error(), &dec);
  put(o, *r, extra...);
  o.end();
  return out;
}

std::variant<std::string, failure> decode_mqtt(iotjobs::decoder& dec, std::string_view topic,
                                               std::string_view payload) {
  using iotjobs::mqtt::topic_kind;
  std::string out;
  if (const auto c = iotjobs::commands::parse_topic(topic); c) {
    using iotjobs::commands::topic_kind;
    json_object o(out);
    const char* kinds[] = {"command_request", "command_response", "command_accepted",
                           "command_rejected"};
    o.string("kind", kinds[static_cast<int>(c->kind)]);
    o.string(c->device == iotjobs::commands::device_type::thing ? "thingName" : "clientId",
             c->device_id);
    o.string("executionId", c->execution_id);
    switch (c->kind) {
      case topic_kind::response_accepted:
        return finish(dec, dec.decode_command_accepted(payload), out, o);
      case topic_kind::response_rejected:
        return finish(dec, dec.decode_command_rejected(payload), out, o);
      default: return failure{1, "a command's own payload is opaque to iotjobs: nothing to decode"};
    }
  } else if (c.error() != iotjobs::error::not_a_jobs_topic) {
    return decode_failure(c.error(), nullptr);
  }
  const auto t = iotjobs::mqtt::parse_topic(topic);
  if (!t) return decode_failure(t.error(), nullptr);
  json_object o(out);
  o.string("kind", kind_name(t->kind));
  o.string("thingName", t->thing_name);
  if (!t->job_id.empty()) o.string("jobId", t->job_id);
  switch (t->kind) {
    case topic_kind::get_pending_accepted:
      return finish(dec, dec.decode_get_pending_accepted(payload), out, o);
    case topic_kind::start_next_accepted:
      return finish(dec, dec.decode_start_next_accepted(payload), out, o, false);
    case topic_kind::describe_accepted:
      return finish(dec, dec.decode_describe_accepted(payload), out, o, false);
    case topic_kind::update_accepted:
      return finish(dec, dec.decode_update_accepted(payload), out, o, false);
    case topic_kind::get_pending_rejected:
    case topic_kind::start_next_rejected:
    case topic_kind::describe_rejected:
    case topic_kind::update_rejected: return finish(dec, dec.decode_rejected(payload), out, o);
    case topic_kind::notify: return finish(dec, dec.decode_notify(payload), out, o);
    case topic_kind::notify_next: return finish(dec, dec.decode_notify_next(payload), out, o);
    case topic_kind::get_pending:
      return finish(dec, dec.decode_get_pending_request(payload), out, o);
    case topic_kind::start_next: return finish(dec, dec.decode_start_next_request(payload), out, o);
    case topic_kind::describe: return finish(dec, dec.decode_describe_request(payload), out, o);
    case topic_kind::update: return finish(dec, dec.decode_update_request(payload), out, o);
  }
  return failure{1, "unknown topic kind"};
}

std::string_view fault_name(iotjobs::fault f) {
  return f == iotjobs::fault::server ? "server" : "client";
}

template <class View, class... Extra>
std::variant<std::string, failure> http_output(
    iotjobs::decoder& dec, const iotjobs::result<iotjobs::https_response<View>>& r,
    Extra... extra) {
  if (!r) return decode_failure(r.error(), &dec);
  std::string out;
  json_object o(out);
  if (r->error) {
    const iotjobs::service_error_view& e = *r->error;
    json_object err(o.key("error"));
    err.string("name", e.name);
    err.string("fault", fault_name(e.fault));
    err.key("status") += std::to_string(e.http_status);
    err.optional_string("message", e.message);
    err.optional_string("resourceId", e.resource_id);
    err.optional_string("payload", e.payload);
    if (e.execution_state) put_state(err.key("executionState"), *e.execution_state);
    err.end();
  } else {
    put(o, *r->value, extra...);
  }
  o.end();
  return out;
}

std::variant<std::string, failure> decode_http(iotjobs::decoder& dec, std::string_view operation,
                                               int status, std::string_view error_type,
                                               std::string_view body) {
  if (operation == "describe-job-execution")
    return http_output(dec, dec.decode_describe_response(status, error_type, body), true);
  if (operation == "get-pending-job-executions")
    return http_output(dec, dec.decode_get_pending_response(status, error_type, body));
  if (operation == "start-next-pending-job-execution")
    return http_output(dec, dec.decode_start_next_response(status, error_type, body), true);
  if (operation == "update-job-execution")
    return http_output(dec, dec.decode_update_response(status, error_type, body), true);
  if (operation == "start-command-execution")
    return http_output(dec, dec.decode_start_command_execution_response(status, error_type, body));
  return usage("unknown operation \"" + std::string(operation) + "\"");
}

// ---------------------------------------------------------------------------------------------
// main

std::optional<std::string> read_all(const char* path) {
  std::ostringstream s;
  if (path == nullptr) {
    s << std::cin.rdbuf();
    return s.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  s << in.rdbuf();
  return s.str();
}

int report(const std::variant<std::string, failure>& r) {
  if (const auto* f = std::get_if<failure>(&r)) {
    std::fprintf(stderr, "iotjobs: %s\n", f->text.c_str());
    if (f->status == 2) std::fputs(usage_text, stderr);
    return f->status;
  }
  std::printf("%s\n", std::get<std::string>(r).c_str());
  return 0;
}

int fail_usage(const std::string& text) {
  return report(usage(text));
}

int run_encode(int argc, char** argv) {
  std::string_view operation;
  std::optional<std::string> json;
  bool http = false;
  for (int i = 2; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(encode_help, stdout);
      return 0;
    }
    if (a == "--http") {
      http = true;
    } else if (a == "--input" && i + 1 < argc) {
      const std::string_view value = argv[++i];
      if (!value.empty() && value[0] == '@') {
        json = read_all(argv[i] + 1);
        if (!json) return fail_usage("cannot read " + std::string(value.substr(1)));
      } else {
        json = std::string(value);
      }
    } else if (operation.empty() && !a.empty() && a[0] != '-') {
      operation = a;
    } else {
      return fail_usage("unexpected argument \"" + std::string(a) + "\"");
    }
  }
  if (operation.empty()) return fail_usage("encode needs an OPERATION");
  if (!json) return fail_usage("encode needs --input");
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  if (const auto e = parser.parse(*json).get(obj)) {
    return report(
        failure{1, std::string(e == simdjson::INCORRECT_TYPE ? "wrong_type" : "invalid_json") +
                       ": --input must be a JSON object (" + simdjson::error_message(e) + ")"});
  }
  return report(encode(operation, http, input(obj)));
}

int run_decode(int argc, char** argv) {
  std::optional<std::string_view> topic, http_operation;
  std::optional<int> status;
  std::string error_type;
  bool stream = false;
  const char* file = nullptr;
  for (int i = 2; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(decode_help, stdout);
      return 0;
    }
    if (a == "--topic" && i + 1 < argc) {
      topic = argv[++i];
    } else if (a == "--http" && i + 1 < argc) {
      http_operation = argv[++i];
    } else if (a == "--status" && i + 1 < argc) {
      const std::string_view v = argv[++i];
      int s = 0;
      if (std::from_chars(v.data(), v.data() + v.size(), s).ptr != v.data() + v.size() || s < 100 ||
          s > 599)
        return fail_usage("--status takes an HTTP status code");
      status = s;
    } else if (a == "--header" && i + 1 < argc) {
      const std::string_view h = argv[++i];
      const std::size_t colon = h.find(':');
      if (colon == std::string_view::npos) return fail_usage("--header takes 'Name: value'");
      std::string name(h.substr(0, colon));
      for (char& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string_view value = h.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
      if (name == "x-amzn-errortype") error_type = std::string(value);
    } else if (a == "--stream") {
      stream = true;
    } else if (file == nullptr && !a.empty() && a[0] != '-') {
      file = argv[i];
    } else {
      return fail_usage("unexpected argument \"" + std::string(a) + "\"");
    }
  }
  if (int(topic.has_value()) + int(http_operation.has_value()) + int(stream) != 1)
    return fail_usage("decode takes exactly one of --topic, --http and --stream");
  if (http_operation && !status) return fail_usage("--http needs --status");
  if (!http_operation && (status || !error_type.empty()))
    return fail_usage("--status and --header go with --http");
  const auto text = read_all(file);
  if (!text) return fail_usage("cannot read " + std::string(file));
  iotjobs::decoder dec;
  if (topic) return report(decode_mqtt(dec, *topic, *text));
  if (http_operation) return report(decode_http(dec, *http_operation, *status, error_type, *text));

  // --stream: `TOPIC PAYLOAD` per line; a bad line gives an error line and the stream goes on.
  int result = 0;
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::size_t space = line.find(' ');
    const std::string_view l = line;
    const auto r =
        decode_mqtt(dec, l.substr(0, space),
                    space == std::string_view::npos ? std::string_view() : l.substr(space + 1));
    if (const auto* f = std::get_if<failure>(&r)) {
      std::string out;
      json_object o(out);
      o.string("topic", l.substr(0, space));
      o.string("error", f->text);
      o.end();
      std::printf("%s\n", out.c_str());
      result = 1;
    } else {
      std::printf("%s\n", std::get<std::string>(r).c_str());
    }
  }
  return result;
}

constexpr const char* emulate_help =
    "usage: iotjobs emulate --broker HOST:PORT --jobs FILE\n"
    "Runs a local AWS IoT Jobs service for the device MQTT API on the broker until SIGINT or\n"
    "SIGTERM. FILE: {\"things\": {\"<thingName>\": [{\"jobId\": \"...\", \"document\": {...},\n"
    "\"stepTimeoutInMinutes\": N}, ...]}}, each thing's executions queued in that order.\n"
    "Prints one line when it is subscribed and ready, one when it stops.\n";

int emulate_command(int argc, char** argv) {
  std::string broker;
  const char* jobs_file = nullptr;
  for (int i = 2; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(emulate_help, stdout);
      return 0;
    }
    if (a == "--broker" && i + 1 < argc) {
      broker = argv[++i];
      continue;
    }
    if (a == "--jobs" && i + 1 < argc) {
      jobs_file = argv[++i];
      continue;
    }
    return fail_usage("unexpected argument \"" + std::string(a) + "\"");
  }
  if (broker.empty() || jobs_file == nullptr)
    return fail_usage("emulate needs --broker and --jobs");
  const auto text = read_all(jobs_file);
  if (!text) return fail_usage("cannot read " + std::string(jobs_file));
  return run_emulate(broker, *text);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view command = argc > 1 ? argv[1] : "";
  if (command == "encode") return run_encode(argc, argv);
  if (command == "decode") return run_decode(argc, argv);
  if (command == "emulate") return emulate_command(argc, argv);
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(usage_text, stdout);
    return 0;
  }
  return fail_usage(command.empty() ? "a command is needed"
                                    : "unknown command \"" + std::string(command) + "\"");
}
