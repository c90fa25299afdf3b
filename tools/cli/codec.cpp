// The tool's encode and decode (codec.hpp).
#include "codec.hpp"
#include "document_json.hpp"

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <system_error>
#include <type_traits>
#include <variant>
#include <vector>

#include "json_out.hpp"

namespace cli {

failure bad_input(iotjobs::error error, const std::string& detail) {
  return {1, std::string(iotjobs::name(error)) + ": " +
                 (detail.empty() ? std::string(iotjobs::message(error)) : detail)};
}
failure bad_input(const std::string& text) {
  return {1, text};
}
failure bad_usage(const std::string& text) {
  return {2, text};
}

// "invalid_json at byte 12 (member \"timestamp\"): the payload is not valid JSON"
failure decode_failure(iotjobs::error e, const iotjobs::decoder& dec) {
  std::string where = " at byte " + std::to_string(dec.last_error_offset());
  if (!dec.last_error_field().empty())
    where += " (member \"" + std::string(dec.last_error_field()) + "\")";
  return {1, std::string(iotjobs::name(e)) + where + ": " + std::string(iotjobs::message(e))};
}

namespace {

// ---------------------------------------------------------------------------------------------
// Views to JSON, under their wire names: each view's and request's members by its table
// (iotjobs/schema.hpp), in table order. `document_as_string`: the HTTPS shape, where the job
// document is a JSON string; over MQTT it is the object itself.

// The job document, checked JSON, without the white space between its tokens: one output line
// per message.
void put_compact(sink& out, std::string_view json) {
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        out.write(json.substr(i++, 2));  // the escape, whatever it is
        continue;
      }
      in_string = c != '"';
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      continue;
    } else {
      in_string = c == '"';
    }
    out.write(json.substr(i, 1));
  }
}

template <class View>
void put_object(sink& out, const View& v, bool document_as_string);

void put_value(object& o, std::string_view key, std::string_view s, bool) {
  o.string_member(key, s);
}
template <class Text, std::enable_if_t<std::is_convertible_v<Text, std::string_view>, int> = 0>
void put_value(object& o, std::string_view key, const std::optional<Text>& s, bool) {
  if (s) o.string_member(key, *s);
}
void put_value(object& o, std::string_view key, const std::optional<std::int64_t>& i, bool) {
  optional_int(o, key, i);
}
void put_value(object& o, std::string_view key, const std::optional<bool>& b, bool) {
  optional_bool(o, key, b);
}
void put_value(object& o, std::string_view key, iotjobs::update_status s, bool) {
  o.string_member(key, iotjobs::to_wire(s));
}
void put_value(object& o, std::string_view key,
               const std::optional<iotjobs::status_details_view>& details, bool) {
  if (!details) return;
  object map(o.member(key));
  for (const iotjobs::status_detail& d : *details)  // decoded keys are any text: escaped
    iotjobs::detail::write_json_string(map.escaped_member(d.key), d.value);
  map.finish();
}
void put_value(object& o, std::string_view key,
               const std::optional<iotjobs::job_document_view>& doc, bool document_as_string) {
  if (!doc) return;
  if (document_as_string) {
    o.string_member(key, doc->json());
  } else {
    put_compact(o.member(key), doc->json());
  }
}
void put_summaries(sink& out, iotjobs::list_view<iotjobs::job_execution_summary_view> list) {
  out.write("[");
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out.write(",");
    put_object(out, list[i], false);
  }
  out.write("]");
}
void put_value(object& o, std::string_view key,
               iotjobs::list_view<iotjobs::job_execution_summary_view> list, bool) {
  put_summaries(o.member(key), list);
}
void put_value(object& o, std::string_view key, iotjobs::list_view<iotjobs::job_group_view> groups,
               bool) {
  object jobs(o.member(key));
  for (const iotjobs::job_group_view& g : groups)  // an unknown status: any text, escaped
    put_summaries(jobs.escaped_member(g.status_text), g.jobs);
  jobs.finish();
}
template <class View, std::enable_if_t<!std::is_convertible_v<View, std::string_view>, int> = 0>
void put_value(object& o, std::string_view key, const std::optional<View>& nested,
               bool document_as_string) {
  if (nested) put_object(o.member(key), *nested, document_as_string);
}

template <class View, class Member>
void put_field(object& o, const iotjobs::schema::field<View, Member>& f, const View& v,
               bool document_as_string) {
  put_value(o, f.name, v.*f.member, document_as_string);
}
template <class View, class Enum>
void put_field(object& o, const iotjobs::schema::coded_field<View, Enum>& f, const View& v, bool) {
  o.string_member(f.name, v.*f.text);  // as it came, known or not
}

// The members of a view, written into an object already open.
template <class View>
void put(object& o, const View& v, bool document_as_string = false) {
  std::apply([&](const auto&... f) { (put_field(o, f, v, document_as_string), ...); },
             iotjobs::schema::of<View>::fields);
}

template <class View>
void put_object(sink& out, const View& v, bool document_as_string) {
  object o(out);
  put(o, v, document_as_string);
  o.finish();
}

// The commands replies echo the execution id that the topic gave already: it is written again
// only when it says something else.
void put(object& o, const iotjobs::command_accepted_view& v, std::string_view topic_execution_id) {
  if (v.execution_id && *v.execution_id != topic_execution_id)
    o.string_member("payloadExecutionId", *v.execution_id);
}
void put(object& o, const iotjobs::command_rejected_view& v, std::string_view topic_execution_id) {
  o.string_member("error", v.code_text);
  optional_string(o, "errorMessage", v.message);
  if (v.execution_id && *v.execution_id != topic_execution_id)
    o.string_member("payloadExecutionId", *v.execution_id);
}

// ---------------------------------------------------------------------------------------------
// encode: the operation's input, read with simdjson's DOM parser.

class input {
 public:
  explicit input(simdjson::dom::object obj) : obj_(obj) {}

  // Every member must be one of the operation's.
  std::optional<failure> check_members(std::string_view operation,
                                       std::initializer_list<std::string_view> allowed) const {
    for (const auto member : obj_) {
      bool known = false;
      for (std::string_view a : allowed)
        known = known || member.key == a;
      if (known) continue;
      std::string names;
      for (std::string_view a : allowed)
        names += (names.empty() ? "" : ", ") + std::string(a);
      return bad_input("unknown input member \"" + std::string(member.key) + "\" (" +
                       std::string(operation) + " takes " + names + ")");
    }
    return std::nullopt;
  }

  // Into a request's members, which borrow the input document's text.
  std::optional<failure> string(std::string_view key,
                                std::optional<iotjobs::borrowed_string>& out) const {
    simdjson::dom::element e;
    if (obj_[key].get(e)) return std::nullopt;  // absent
    std::string_view s;
    if (e.get(s)) return type_error(key, "a string");
    out = s;
    return std::nullopt;
  }
  std::optional<failure> string(std::string_view key, iotjobs::borrowed_string& out) const {
    std::optional<iotjobs::borrowed_string> s;
    if (auto f = string(key, s)) return f;
    if (s) out = *s;
    return std::nullopt;
  }
  std::optional<failure> boolean(std::string_view key, std::optional<bool>& out) const {
    simdjson::dom::element e;
    if (obj_[key].get(e)) return std::nullopt;
    bool b = false;
    if (e.get(b)) return type_error(key, "a boolean");
    out = b;
    return std::nullopt;
  }
  std::optional<failure> integer(std::string_view key, std::optional<std::int64_t>& out) const {
    simdjson::dom::element e;
    if (obj_[key].get(e)) return std::nullopt;
    std::int64_t v = 0;
    switch (read_int64(e, v)) {
      case iotjobs::error::ok: out = v; return std::nullopt;
      case iotjobs::error::number_out_of_range:
        return bad_input(iotjobs::error::number_out_of_range,
                         "input member \"" + std::string(key) + "\" is beyond int64");
      default: return type_error(key, "an integer");
    }
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

  // An integer within int64: ok, wrong_type (not an integer) or number_out_of_range (beyond
  // int64; simdjson keeps integers beyond 2^64 as doubles).
  static iotjobs::error read_int64(simdjson::dom::element e, std::int64_t& out) {
    const auto r = e.get(out);
    if (!r) return iotjobs::error::ok;
    double d = 0;
    if (r == simdjson::NUMBER_OUT_OF_RANGE ||
        (!e.get(d) && std::nearbyint(d) == d && std::fabs(d) >= 0x1p63))
      return iotjobs::error::number_out_of_range;
    return iotjobs::error::wrong_type;
  }
  static failure type_error(std::string_view key, std::string_view what) {
    return bad_input(iotjobs::error::wrong_type,
                     "input member \"" + std::string(key) + "\" must be " + std::string(what));
  }

 private:
  simdjson::dom::object obj_;
};

// A blob in base64, padded, as the AWS CLI takes it.
std::optional<failure> base64_decode(std::string_view name, std::string_view text, iotjobs::error e,
                                     std::string& out) {
  const std::string what = e == iotjobs::error::invalid_command_parameter ? "BIN" : "bin";
  const std::ptrdiff_t size = iotjobs::detail::base64_decode(text, nullptr);
  if (text.size() % 4 != 0 || size < 0)
    return bad_input(e, "\"" + std::string(name) + "\": " + what + " is not base64");
  const std::size_t at = out.size();
  out.resize(at + static_cast<std::size_t>(size));
  (void)iotjobs::detail::base64_decode(text, out.data() + at);
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
  return bad_input(
      iotjobs::error::invalid_update_status,
      "\"" + std::string(text) + "\": a device sets IN_PROGRESS, SUCCEEDED, FAILED or REJECTED");
}

// One command parameter: {"S"|"B"|"I"|"L"|"D"|"BIN"|"UL": value}, as the AWS API writes it.
std::optional<failure> read_parameter(std::string_view name, simdjson::dom::element e,
                                      std::vector<std::string>& bytes,
                                      iotjobs::command_parameter_value& out) {
  using value_t = iotjobs::command_parameter_value;
  const auto bad = [&](const std::string& why) {
    return bad_input(iotjobs::error::invalid_command_parameter,
                     "\"" + std::string(name) + "\": " + why);
  };
  const auto out_of_range = [&](std::string_view kind, std::string_view range) {
    return bad_input(
        iotjobs::error::number_out_of_range,
        "\"" + std::string(name) + "\": " + std::string(kind) + " is beyond " + std::string(range));
  };
  simdjson::dom::object value;
  if (e.get(value) || value.size() != 1)
    return input::type_error("parameters", "an object of {\"S\"|\"B\"|...: value}");
  const auto [kind, v] = *value.begin();
  std::string_view s;
  bool b = false;
  double d = 0;
  std::int64_t i = 0;
  if (kind == "S" && !v.get(s)) {
    out = value_t::string(s);
  } else if (kind == "B" && !v.get(b)) {
    out = value_t::boolean(b);
  } else if (kind == "D" && !v.get(d)) {
    out = value_t::float64(d);
  } else if (kind == "BIN" && !v.get(s)) {
    bytes.emplace_back();
    if (auto f = base64_decode(name, s, iotjobs::error::invalid_command_parameter, bytes.back()))
      return f;
    out = value_t::binary(bytes.back());
  } else if (kind == "I" || kind == "L") {
    const iotjobs::error e = input::read_int64(v, i);
    if (e == iotjobs::error::wrong_type) return bad(std::string(kind) + " must be an integer");
    if (kind == "L") {
      if (e != iotjobs::error::ok) return out_of_range("L", "int64");
      out = value_t::int64(i);
    } else {
      if (e != iotjobs::error::ok || i < INT32_MIN || i > INT32_MAX)
        return out_of_range("I", "int32");
      out = value_t::int32(static_cast<std::int32_t>(i));
    }
  } else if (kind == "UL" && !v.get(s)) {
    // A decimal string of 1-20 digits, within uint64.
    std::uint64_t u = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), u);
    if (ec == std::errc::result_out_of_range) return out_of_range("UL", "2^64-1");
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
      return bad("UL must be a string of decimal digits");
    out = value_t::uint64(u);
  } else {
    return bad("no valid S, B, I, L, D, BIN or UL value");
  }
  return std::nullopt;
}

// simdjson refuses a number beyond its range as it refuses a malformed one (NUMBER_ERROR), where
// the library's decoder says number_out_of_range: the number grammar tells the two apart.
bool numbers_well_formed(std::string_view text) {
  constexpr std::string_view number_chars = "0123456789+-.eE";
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      in_string = c != '"';
    } else if (c == '"') {
      in_string = true;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      const std::size_t start = i;
      while (i < text.size() && number_chars.find(text[i]) != std::string_view::npos)
        ++i;
      if (iotjobs::detail::classify_number(text.substr(start, i - start)) ==
          iotjobs::detail::number_syntax::invalid)
        return false;
      --i;
    }
  }
  return true;
}

std::string message_json(const iotjobs::message_view& m) {
  std::string line;
  sink out{std::back_inserter(line)};
  object o(out);
  o.string_member("topic", m.topic);
  o.string_member("payload", m.payload);
  o.finish();
  return line;
}

std::string request_json(const iotjobs::https::request_view& r) {
  std::string line;
  sink out{std::back_inserter(line)};
  object o(out);
  o.string_member("method", r.method);
  o.string_member("path", r.path);
  o.string_member("query", r.query);
  object headers(o.member("headers"));
  for (const iotjobs::https::header& h : r.headers)
    headers.string_member(h.name, h.value);  // the library's own header names
  headers.finish();
  if (r.body) {
    o.string_member("body", *r.body);
  } else {
    o.member("body").write("null");
  }
  o.finish();
  return line;
}

// An MQTT message whose payload is text, in the chosen format.
outcome message_output(const iotjobs::message_view& m, encode_format format) {
  switch (format) {
    case encode_format::json: return message_json(m);
    case encode_format::line: return std::string(m.topic) + ' ' + std::string(m.payload);
    case encode_format::topic: return std::string(m.topic);
    case encode_format::payload: return std::string(m.payload);
  }
  return bad_usage("unknown format");
}

template <class Request>
outcome encode_as(const Request& req, bool http, encode_format format) {
  static char topic[iotjobs::mqtt::max_topic_size];
  static char body[iotjobs::max_payload_size];
  if (http) {
    const auto r = iotjobs::https::encode_to_n(body, req);
    if (!r) return bad_input(r.error());
    switch (format) {
      case encode_format::json: return request_json(*r);
      case encode_format::payload: return std::string(r->body.value_or(""));
      default: return bad_usage("--format line and topic are for MQTT: without --http");
    }
  }
  if constexpr (std::is_same_v<Request, iotjobs::start_command_execution_request>) {
    return bad_usage("start-command-execution exists over HTTPS only: add --http");
  } else {
    const auto m = iotjobs::mqtt::encode_to_n(topic, body, req);
    if (!m) return bad_input(m.error());
    return message_output(*m, format);
  }
}

// A commands status update: MQTT only. A CBOR payload is printed as hex (`payloadHex`, or
// alone with --format payload), so that the output stays text.
outcome encode_command_update(const iotjobs::commands::update_request& req, bool http,
                              encode_format format) {
  if (http) return bad_usage("update-command-execution exists over MQTT only: without --http");
  static char topic[iotjobs::commands::max_topic_size];
  static char body[iotjobs::max_payload_size];
  const auto m = iotjobs::commands::encode_to_n(topic, body, req);
  if (!m) return bad_input(m.error());
  if (req.format == iotjobs::commands::payload_format::json) return message_output(*m, format);
  constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  for (const char c : m->payload) {
    const auto b = static_cast<unsigned char>(c);
    hex += digits[b >> 4];
    hex += digits[b & 15];
  }
  switch (format) {
    case encode_format::json: {
      std::string line;
      sink out{std::back_inserter(line)};
      object o(out);
      o.string_member("topic", m->topic);
      o.string_member("payloadHex", hex);
      o.finish();
      return line;
    }
    case encode_format::topic: return std::string(m->topic);
    case encode_format::payload: return hex;
    case encode_format::line: break;
  }
  return bad_usage("--format line is for text payloads: a CBOR update has json, topic or payload");
}

// Everything a request's views point into lives here while it is encoded.
struct request_storage {
  std::vector<iotjobs::status_detail> details;
  std::vector<iotjobs::command_parameter> parameters;
  std::vector<std::string> bytes;  // BIN values, decoded
  std::vector<iotjobs::commands::result_entry> results;
};

// A commands result: {"name": {"s": text} | {"b": bool} | {"bin": base64}}.
std::optional<failure> read_results(
    const input& in, request_storage& storage,
    std::optional<iotjobs::list_view<iotjobs::commands::result_entry>>& out) {
  using iotjobs::commands::result_value;
  simdjson::dom::element e;
  if (in.object()["result"].get(e)) return std::nullopt;
  simdjson::dom::object map;
  if (e.get(map)) return input::type_error("result", "an object");
  storage.bytes.reserve(map.size());  // the entries borrow these strings: no reallocation
  for (const auto member : map) {
    simdjson::dom::object value;
    if (member.value.get(value) || value.size() != 1)
      return input::type_error("result", "an object of {\"s\"|\"b\"|\"bin\": value}");
    const auto [kind, v] = *value.begin();
    std::string_view text;
    bool b = false;
    if (kind == "s" && !v.get(text)) {
      storage.results.push_back({member.key, result_value::string(text)});
    } else if (kind == "b" && !v.get(b)) {
      storage.results.push_back({member.key, result_value::boolean(b)});
    } else if (kind == "bin" && !v.get(text)) {
      storage.bytes.emplace_back();
      if (auto f = base64_decode(member.key, text, iotjobs::error::invalid_command_result,
                                 storage.bytes.back()))
        return f;
      storage.results.push_back({member.key, result_value::binary(storage.bytes.back())});
    } else {
      return input::type_error("result",
                               "an object of {\"s\": string} | {\"b\": bool} | {\"bin\": base64}");
    }
  }
  out = iotjobs::list_view<iotjobs::commands::result_entry>(storage.results);
  return std::nullopt;
}

outcome encode_input(std::string_view operation, bool http, encode_format format, const input& in) {
  request_storage storage;
  std::optional<failure> f;
  const auto check = [&](std::optional<failure> r) {
    if (r && !f) f = std::move(r);
  };
  if (operation == "describe-job-execution") {
    check(in.check_members(operation, {"thingName", "jobId", "namespaceId", "includeJobDocument",
                                       "executionNumber", "clientToken"}));
    iotjobs::describe_job_execution_request r;
    check(in.string("thingName", r.thing_name));
    check(in.string("jobId", r.job_id));
    check(in.string("namespaceId", r.namespace_id));
    check(in.boolean("includeJobDocument", r.include_job_document));
    check(in.integer("executionNumber", r.execution_number));
    check(in.string("clientToken", r.client_token));
    if (f) return *f;
    return encode_as(r, http, format);
  }
  if (operation == "get-pending-job-executions") {
    check(in.check_members(operation, {"thingName", "clientToken"}));
    iotjobs::get_pending_job_executions_request r;
    check(in.string("thingName", r.thing_name));
    check(in.string("clientToken", r.client_token));
    if (f) return *f;
    return encode_as(r, http, format);
  }
  if (operation == "start-next-pending-job-execution") {
    check(in.check_members(operation,
                           {"thingName", "statusDetails", "stepTimeoutInMinutes", "clientToken"}));
    iotjobs::start_next_pending_job_execution_request r;
    check(in.string("thingName", r.thing_name));
    check(in.details(storage.details, r.status_details));
    check(in.integer("stepTimeoutInMinutes", r.step_timeout_in_minutes));
    check(in.string("clientToken", r.client_token));
    if (f) return *f;
    return encode_as(r, http, format);
  }
  if (operation == "update-job-execution") {
    check(in.check_members(operation,
                           {"thingName", "jobId", "namespaceId", "status", "statusDetails",
                            "stepTimeoutInMinutes", "expectedVersion", "includeJobExecutionState",
                            "includeJobDocument", "executionNumber", "clientToken"}));
    iotjobs::update_job_execution_request r;
    check(in.string("thingName", r.thing_name));
    check(in.string("jobId", r.job_id));
    check(in.string("namespaceId", r.namespace_id));
    std::optional<iotjobs::borrowed_string> status;
    check(in.string("status", status));
    if (!status)
      check(bad_input(iotjobs::error::missing_field, "input member \"status\" is required"));
    if (status) check(read_status(*status, r.status));
    check(in.details(storage.details, r.status_details));
    check(in.integer("stepTimeoutInMinutes", r.step_timeout_in_minutes));
    check(in.integer("expectedVersion", r.expected_version));
    check(in.boolean("includeJobExecutionState", r.include_job_execution_state));
    check(in.boolean("includeJobDocument", r.include_job_document));
    check(in.integer("executionNumber", r.execution_number));
    check(in.string("clientToken", r.client_token));
    if (f) return *f;
    return encode_as(r, http, format);
  }
  if (operation == "start-command-execution") {
    check(in.check_members(operation, {"targetArn", "commandArn", "parameters",
                                       "executionTimeoutSeconds", "clientToken"}));
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
        iotjobs::command_parameter p{member.key, {}};
        if (auto bad = read_parameter(member.key, member.value, storage.bytes, p.value))
          return *bad;
        storage.parameters.push_back(p);
      }
      r.parameters = iotjobs::list_view<iotjobs::command_parameter>(storage.parameters);
    }
    if (f) return *f;
    return encode_as(r, http, format);
  }
  if (operation == "update-command-execution") {
    namespace cmd = iotjobs::commands;
    check(in.check_members(operation, {"thingName", "clientId", "executionId", "status",
                                       "statusReason", "result", "format"}));
    cmd::update_request r;
    std::optional<iotjobs::borrowed_string> thing, client, status, payload_format;
    check(in.string("thingName", thing));
    check(in.string("clientId", client));
    if (thing.has_value() == client.has_value())
      check(bad_input(iotjobs::error::missing_field, "give one of thingName and clientId"));
    r.device = client ? cmd::device_type::client : cmd::device_type::thing;
    r.device_id = client ? *client : thing.value_or(iotjobs::borrowed_string());
    check(in.string("executionId", r.execution_id));
    check(in.string("status", status));
    bool known_status = false;
    for (const auto s : {cmd::execution_status::in_progress, cmd::execution_status::succeeded,
                         cmd::execution_status::failed, cmd::execution_status::rejected,
                         cmd::execution_status::timed_out}) {
      if (status && cmd::to_wire(s) == *status) {
        r.status = s;
        known_status = true;
      }
    }
    if (!known_status)
      check(bad_input(iotjobs::error::invalid_update_status,
                      "input member \"status\" must be IN_PROGRESS, SUCCEEDED, FAILED, REJECTED "
                      "or TIMED_OUT"));
    simdjson::dom::element reason;
    if (!in.object()["statusReason"].get(reason)) {
      simdjson::dom::object reason_object;
      if (reason.get(reason_object)) {
        check(input::type_error("statusReason", "an object"));
      } else {
        const input fields(reason_object);
        check(fields.check_members("statusReason", {"reasonCode", "reasonDescription"}));
        cmd::status_reason sr;
        check(fields.string("reasonCode", sr.reason_code));
        check(fields.string("reasonDescription", sr.reason_description));
        r.status_reason = sr;
      }
    }
    check(read_results(in, storage, r.result));
    check(in.string("format", payload_format));
    if (payload_format && *payload_format != "json" && *payload_format != "cbor")
      check(bad_usage("input member \"format\" must be \"json\" or \"cbor\""));
    r.format = payload_format && *payload_format == "cbor" ? cmd::payload_format::cbor
                                                           : cmd::payload_format::json;
    if (f) return *f;
    return encode_command_update(r, http, format);
  }
  return bad_usage("unknown operation \"" + std::string(operation) + "\"");
}

// ---------------------------------------------------------------------------------------------
// decode

// The line for a message decoded by its topic: `line` holds the object begun with the topic's
// members; `extra` goes to the view's put().
// A command's own payload is not iotjobs' to read (decode_command does not get here with one).
void put(object&, const iotjobs::commands::command_view&, std::string_view) {}

template <class Decoded, class... Extra>
outcome finish(const iotjobs::decoder& dec, const iotjobs::result<Decoded>& m, std::string& line,
               object& o, Extra... extra) {
  if (!m) return decode_failure(m.error(), dec);
  std::visit([&](const auto& view) { put(o, view, extra...); }, m->body);
  o.finish();
  return std::move(line);
}

outcome decode_command(iotjobs::decoder& dec, const iotjobs::commands::topic_view& t,
                       std::string_view topic, std::string_view payload) {
  using iotjobs::commands::topic_kind;
  if (t.kind == topic_kind::request || t.kind == topic_kind::response)
    return bad_input("a command's own payload is opaque to iotjobs: nothing to decode");
  std::string line;
  sink out{std::back_inserter(line)};
  object o(out);
  o.string_member("kind", "command_" + std::string(iotjobs::commands::name(t.kind)));
  o.string_member(t.device == iotjobs::commands::device_type::thing ? "thingName" : "clientId",
                  t.device_id);
  o.string_member("executionId", t.execution_id);
  return finish(dec, iotjobs::commands::decode(dec, topic, payload), line, o, t.execution_id);
}

template <class View, class... Extra>
outcome http_output(const iotjobs::decoder& dec,
                    const iotjobs::result<iotjobs::https_response<View>>& r, Extra... extra) {
  if (!r) return decode_failure(r.error(), dec);
  std::string line;
  sink out{std::back_inserter(line)};
  object o(out);
  if (r->error) {
    const iotjobs::service_error_view& e = *r->error;
    object err(o.member("error"));
    err.string_member("name", e.name);
    err.string_member("fault", e.fault == iotjobs::fault::server ? "server" : "client");
    err.int_member("status", e.http_status);
    optional_string(err, "message", e.message);
    optional_string(err, "resourceId", e.resource_id);
    optional_string(err, "payload", e.payload);
    if (e.execution_state) put_object(err.member("executionState"), *e.execution_state, false);
    err.finish();
  } else {
    put(o, *r->value, extra...);
  }
  o.finish();
  return line;
}

}  // namespace

outcome encode(std::string_view operation, bool http, encode_format format, std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  if (const auto e = parser.parse(text.data(), text.size()).get(obj)) {
    const auto error = e == simdjson::INCORRECT_TYPE ? iotjobs::error::wrong_type
                       : e == simdjson::UTF8_ERROR   ? iotjobs::error::invalid_utf8
                       : e == simdjson::NUMBER_ERROR && numbers_well_formed(text)
                           ? iotjobs::error::number_out_of_range
                           : iotjobs::error::invalid_json;
    return bad_input(
        error, std::string("--input must be a JSON object (") + simdjson::error_message(e) + ")");
  }
  return encode_input(operation, http, format, input(obj));
}

outcome decode_mqtt(iotjobs::decoder& dec, std::string_view topic, std::string_view payload) {
  if (const auto c = iotjobs::commands::parse_topic(topic); c) {
    return decode_command(dec, *c, topic, payload);
  } else if (c.error() != iotjobs::error::not_a_jobs_topic) {
    return bad_input(c.error());
  }
  const auto t = iotjobs::mqtt::parse_topic(topic);
  if (!t) return bad_input(t.error());
  std::string line;
  sink out{std::back_inserter(line)};
  object o(out);
  o.string_member("kind", iotjobs::mqtt::name(t->kind));
  o.string_member("thingName", t->thing_name);
  if (!t->job_id.empty()) o.string_member("jobId", t->job_id);
  if (!t->namespace_id.empty()) o.string_member("namespaceId", t->namespace_id);
  return finish(dec, iotjobs::mqtt::decode(dec, topic, payload), line, o);
}

outcome decode_http(iotjobs::decoder& dec, std::string_view operation, int status,
                    std::string_view error_type, std::string_view body) {
  if (operation == "describe-job-execution")
    return http_output(
        dec, dec.decode(iotjobs::https::describe_response, {status, error_type, body}), true);
  if (operation == "get-pending-job-executions")
    return http_output(
        dec, dec.decode(iotjobs::https::get_pending_response, {status, error_type, body}));
  if (operation == "start-next-pending-job-execution")
    return http_output(
        dec, dec.decode(iotjobs::https::start_next_response, {status, error_type, body}), true);
  if (operation == "update-job-execution")
    return http_output(dec, dec.decode(iotjobs::https::update_response, {status, error_type, body}),
                       true);
  if (operation == "start-command-execution")
    return http_output(
        dec, dec.decode(iotjobs::https::start_command_response, {status, error_type, body}));
  return bad_usage("unknown operation \"" + std::string(operation) + "\"");
}

outcome decode_document(iotjobs::decoder& dec, std::string_view text) {
  const auto doc = dec.decode(iotjobs::documents::job_document, text);
  if (!doc) return decode_failure(doc.error(), dec);
  return *document_json(*doc, commands::as_list);  // a list can always be written
}

}  // namespace cli
