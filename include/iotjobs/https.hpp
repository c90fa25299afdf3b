// iotjobs — the HTTPS (restJson1) binding of the Jobs data plane: request encoders for the five
// operations (docs/wire-protocol.md §2, §3). Plain C++17: the responses are decoded by
// iotjobs::decoder.
//
// What goes on the wire is what the AWS SDKs send: path labels percent-encoded as the JS v3
// client's extendedEncodeURIComponent does (`:` -> `%3A`, a `$next` job id -> `%24next`, while
// the literal `$next` of StartNext's path stays raw); query keys sorted, booleans as true/false;
// `Content-Type: application/json` and a JSON body (at least `{}`) for the operations that have
// body members; neither for the GET operations. Signing (SigV4) is the HTTP client's business.
#ifndef IOTJOBS_HTTPS_HPP
#define IOTJOBS_HTTPS_HPP

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "iotjobs/commands.hpp"
#include "iotjobs/detail/encoding.hpp"
#include "iotjobs/detail/json_writer.hpp"
#include "iotjobs/detail/request_body.hpp"
#include "iotjobs/detail/schema_writer.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/model.hpp"
#include "iotjobs/validate.hpp"

namespace iotjobs::https {

struct header {
  std::string_view name;
  std::string_view value;
};

/// The one header an encoded request carries when it has a body.
inline constexpr header json_content_type[] = {{"Content-Type", "application/json"}};

/// A request ready for an HTTP client: `method` + `path` (+ `?` + `query` when not empty),
/// `headers`, and `body` when the operation has one.
///
/// Lifetime: path, query and body point into the buffer given to encode_to(); method and
/// headers are static.
struct request_view {
  std::string_view method;
  std::string_view path;
  std::string_view query;  // without the `?`; empty when there is none
  list_view<header> headers;
  std::optional<std::string_view> body;
};

namespace detail {

using iotjobs::detail::json_object_writer;

// extendedEncodeURIComponent: the unreserved characters stay, every other byte is %XX (upper case).
template <class Sink>
void write_label(Sink& sink, std::string_view s) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) continue;
    sink.write(s.substr(run, i - run));
    constexpr char upper_hex[] = "0123456789ABCDEF";
    const char escaped[3] = {'%', upper_hex[c >> 4], upper_hex[c & 0xF]};
    sink.write(std::string_view(escaped, 3));
    run = i + 1;
  }
  sink.write(s.substr(run));
}

template <class Sink>
void write_things_path(Sink& sink, std::string_view thing) {
  sink.write("/things/");
  write_label(sink, thing);
  sink.write("/jobs");
}

constexpr error check_thing(std::string_view thing) noexcept {
  return is_valid_thing_name(thing) ? error::ok : error::invalid_thing_name;
}

// --- DescribeJobExecution: GET /things/T/jobs/J?executionNumber=&includeJobDocument=
constexpr std::string_view method_of(const describe_job_execution_request&) noexcept {
  return "GET";
}
constexpr bool has_body(const describe_job_execution_request&) noexcept {
  return false;
}
constexpr error check(const describe_job_execution_request& r) noexcept {
  if (const error e = check_thing(r.thing_name); e != error::ok) return e;
  if (r.client_token || r.namespace_id) return error::unsupported_field;
  return is_valid_job_id_or_next(r.job_id) ? error::ok : error::invalid_job_id;
}
template <class Sink>
void write_path(Sink& sink, const describe_job_execution_request& r) {
  write_things_path(sink, r.thing_name);
  sink.write("/");
  write_label(sink, r.job_id);
}
template <class Sink>
void write_query(Sink& sink, const describe_job_execution_request& r) {
  // Keys in lexicographic order, as the SDKs sort them.
  if (r.execution_number) {
    sink.write("executionNumber=");
    iotjobs::detail::write_json_int(sink, *r.execution_number);
  }
  if (r.include_job_document) {
    sink.write(r.execution_number ? "&includeJobDocument=" : "includeJobDocument=");
    sink.write(*r.include_job_document ? "true" : "false");
  }
}
template <class Sink>
void write_body(Sink&, const describe_job_execution_request&) {}

// --- GetPendingJobExecutions: GET /things/T/jobs
constexpr std::string_view method_of(const get_pending_job_executions_request&) noexcept {
  return "GET";
}
constexpr bool has_body(const get_pending_job_executions_request&) noexcept {
  return false;
}
constexpr error check(const get_pending_job_executions_request& r) noexcept {
  if (r.client_token) return error::unsupported_field;
  return check_thing(r.thing_name);
}
template <class Sink>
void write_path(Sink& sink, const get_pending_job_executions_request& r) {
  write_things_path(sink, r.thing_name);
}
template <class Sink>
void write_query(Sink&, const get_pending_job_executions_request&) {}
template <class Sink>
void write_body(Sink&, const get_pending_job_executions_request&) {}

// --- StartNextPendingJobExecution: PUT /things/T/jobs/$next (a literal segment, not encoded)
constexpr std::string_view method_of(const start_next_pending_job_execution_request&) noexcept {
  return "PUT";
}
constexpr bool has_body(const start_next_pending_job_execution_request&) noexcept {
  return true;
}
constexpr error check(const start_next_pending_job_execution_request& r) noexcept {
  if (const error e = check_thing(r.thing_name); e != error::ok) return e;
  if (r.client_token) return error::unsupported_field;
  return iotjobs::detail::check_body_fields(r);
}
template <class Sink>
void write_path(Sink& sink, const start_next_pending_job_execution_request& r) {
  write_things_path(sink, r.thing_name);
  sink.write("/$next");
}
template <class Sink>
void write_query(Sink&, const start_next_pending_job_execution_request&) {}
template <class Sink>
void write_body(Sink& sink, const start_next_pending_job_execution_request& r) {
  iotjobs::detail::write_object<iotjobs::detail::written_for::https>(sink, r);
}

// --- UpdateJobExecution: POST /things/T/jobs/J
constexpr std::string_view method_of(const update_job_execution_request&) noexcept {
  return "POST";
}
constexpr bool has_body(const update_job_execution_request&) noexcept {
  return true;
}
constexpr error check(const update_job_execution_request& r) noexcept {
  if (const error e = check_thing(r.thing_name); e != error::ok) return e;
  if (r.client_token || r.namespace_id) return error::unsupported_field;
  if (!is_valid_job_id(r.job_id)) return error::invalid_job_id;
  return iotjobs::detail::check_body_fields(r);
}
template <class Sink>
void write_path(Sink& sink, const update_job_execution_request& r) {
  write_things_path(sink, r.thing_name);
  sink.write("/");
  write_label(sink, r.job_id);
}
template <class Sink>
void write_query(Sink&, const update_job_execution_request&) {}
template <class Sink>
void write_body(Sink& sink, const update_job_execution_request& r) {
  iotjobs::detail::write_object<iotjobs::detail::written_for::https>(sink, r);
}

// --- StartCommandExecution: POST /command-executions
inline bool is_valid_parameter_value(const command_parameter_value& v) noexcept {
  using kind = command_parameter_value::kind;
  switch (v.type) {
    case kind::string: return !v.text.empty() && iotjobs::detail::is_valid_utf8(v.text);
    case kind::binary: return !v.text.empty();
    case kind::int32: return v.integer >= INT32_MIN && v.integer <= INT32_MAX;
    case kind::float64: return std::isfinite(v.floating);
    case kind::boolean:
    case kind::int64:
    case kind::uint64: return true;
  }
  return false;
}

inline error check(const start_command_execution_request& r) noexcept {
  if (r.target_arn.empty() || r.target_arn.size() > max_target_arn_size ||
      !iotjobs::detail::is_valid_utf8(r.target_arn))
    return error::invalid_target_arn;
  if (r.command_arn.empty() || !iotjobs::detail::is_valid_utf8(r.command_arn))
    return error::invalid_command_arn;
  if (r.parameters) {
    if (r.parameters->empty()) return error::invalid_command_parameter;
    for (const command_parameter& p : *r.parameters) {
      if (!is_valid_command_parameter_name(p.name) || !is_valid_parameter_value(p.value))
        return error::invalid_command_parameter;
    }
    if (iotjobs::detail::has_duplicate_key(*r.parameters, &command_parameter::name))
      return error::duplicate_key;
  }
  if (r.execution_timeout_seconds && *r.execution_timeout_seconds < 1)
    return error::invalid_execution_timeout;
  if (r.client_token && !is_valid_command_client_token(*r.client_token))
    return error::invalid_client_token;
  return error::ok;
}
constexpr std::string_view method_of(const start_command_execution_request&) noexcept {
  return "POST";
}
constexpr bool has_body(const start_command_execution_request&) noexcept {
  return true;
}
template <class Sink>
void write_path(Sink& sink, const start_command_execution_request&) {
  sink.write("/command-executions");
}
template <class Sink>
void write_query(Sink&, const start_command_execution_request&) {}

// {"S":"text"}, {"B":true}, {"I":5}, {"L":5}, {"D":1.5}, {"BIN":"base64"}, {"UL":"42"}
template <class Sink>
void write_parameter_value(Sink& sink, const command_parameter_value& v) {
  using kind = command_parameter_value::kind;
  json_object_writer obj(sink);
  switch (v.type) {
    case kind::string: obj.string_member("S", v.text); break;
    case kind::boolean: obj.bool_member("B", v.boolean_value); break;
    case kind::int32: obj.int_member("I", v.integer); break;
    case kind::int64: obj.int_member("L", v.integer); break;
    case kind::float64: {
      // The shortest text that reads back as the same double. When that text looks like an
      // integer (`-2`, `784582299621326585856`), `.0` keeps it a number every parser reads as a
      // double: some (simdjson among them) refuse integers beyond 64 bits. Found by fuzzing.
      char digits[34];
      const auto r = std::to_chars(digits, digits + 32, v.floating);
      std::string_view text(digits, static_cast<std::size_t>(r.ptr - digits));
      if (text.find_first_of(".e") == std::string_view::npos) {
        std::memcpy(r.ptr, ".0", 2);
        text = std::string_view(digits, text.size() + 2);
      }
      obj.member("D").write(text);
      break;
    }
    case kind::binary: iotjobs::detail::write_json_base64(obj.member("BIN"), v.text); break;
    case kind::uint64: {
      char digits[20];
      const auto r = std::to_chars(digits, digits + sizeof digits, v.unsigned_integer);
      obj.string_member("UL", std::string_view(digits, static_cast<std::size_t>(r.ptr - digits)));
      break;
    }
  }
  obj.finish();
}

// Parameter names may hold `.` and `$`, which need no JSON escaping.
template <class Sink>
void write_body(Sink& sink, const start_command_execution_request& r) {
  json_object_writer obj(sink);
  obj.string_member("targetArn", r.target_arn);
  obj.string_member("commandArn", r.command_arn);
  if (r.parameters) {
    json_object_writer map(obj.member("parameters"));
    for (const command_parameter& p : *r.parameters)
      write_parameter_value(map.member(p.name), p.value);
    map.finish();
  }
  if (r.execution_timeout_seconds)
    obj.int_member("executionTimeoutSeconds", *r.execution_timeout_seconds);
  if (r.client_token) obj.string_member("clientToken", *r.client_token);
  obj.finish();
}

template <class R>
struct is_request : std::false_type {};
template <>
struct is_request<get_pending_job_executions_request> : std::true_type {};
template <>
struct is_request<start_next_pending_job_execution_request> : std::true_type {};
template <>
struct is_request<describe_job_execution_request> : std::true_type {};
template <>
struct is_request<update_job_execution_request> : std::true_type {};
template <>
struct is_request<start_command_execution_request> : std::true_type {};

// The body is the payload of the family; the path and the query are written before it.
struct binding {
  template <class R>
  static constexpr error check(const R& r) noexcept {
    static_assert(is_request<R>::value,
                  "the iotjobs::https encoders take a get_pending_job_executions_request, "
                  "start_next_pending_job_execution_request, describe_job_execution_request, "
                  "update_job_execution_request or start_command_execution_request");
    if constexpr (is_request<R>::value) {
      return detail::check(r);
    } else {
      return error::invalid_topic;
    }
  }
  template <class Sink, class R>
  static void payload(Sink& sink, const R& r) {
    write_body(sink, r);
  }
};

}  // namespace detail

// The encoders, the family of detail/encoding.hpp. Nothing is written unless every field is
// valid. The Jobs requests' client_token and namespace_id belong to MQTT: set, either is
// error::unsupported_field here, never dropped in silence.

/// Whether the HTTPS encoders take a T: the four Jobs requests and StartCommandExecution's.
template <class T>
inline constexpr bool is_request_v = detail::is_request<T>::value;

/// Checks every field of a request as the encoders do: error::ok, or their error.
template <class Request>
constexpr error check(const Request& req) noexcept {
  return detail::binding::check(req);
}

/// Writes the path, the query and the body one after another into `out`; too small ->
/// error::buffer_too_small with required_size().
template <class Request>
result<request_view> encode_to_n(mutable_buffer out, const Request& req) noexcept {
  if (const error e = detail::binding::check(req); e != error::ok) return e;
  iotjobs::detail::buffer_sink sink{out.data, out.size};
  detail::write_path(sink, req);
  const std::size_t path_end = sink.size;
  detail::write_query(sink, req);
  const std::size_t query_end = sink.size;
  detail::write_body(sink, req);
  if (sink.overflowed()) return {error::buffer_too_small, sink.size};
  request_view v;
  v.method = detail::method_of(req);
  v.path = std::string_view(out.data, path_end);
  v.query = std::string_view(out.data + path_end, query_end - path_end);
  if (detail::has_body(req)) {
    v.headers = json_content_type;
    v.body = std::string_view(out.data + query_end, sink.size - query_end);
  }
  return v;
}

/// Writes the body to an output iterator of char (nothing for the GET operations).
template <class OutputIt, class Request>
result<OutputIt> encode_to(OutputIt out, const Request& req) {
  return iotjobs::detail::encode_payload_to<detail::binding>(out, req);
}

/// The bytes encode_to_n() needs.
template <class Request>
result<std::size_t> encoded_size(const Request& req) noexcept {
  if (const error e = detail::binding::check(req); e != error::ok) return e;
  iotjobs::detail::counting_sink sink;
  detail::write_path(sink, req);
  detail::write_query(sink, req);
  detail::write_body(sink, req);
  return sink.size;
}

/// A request that owns its text, as encode() returns it.
struct request {
  std::string_view method;
  std::string path;
  std::string query;  // without the `?`; empty when there is none
  list_view<header> headers;
  std::optional<std::string> body;
};

/// The request as strings: the one allocating form.
template <class Request>
result<request> encode(const Request& req) {
  if (const error e = detail::binding::check(req); e != error::ok) return e;
  request out;
  out.method = detail::method_of(req);
  iotjobs::detail::string_sink path{out.path}, query{out.query};
  detail::write_path(path, req);
  detail::write_query(query, req);
  if (detail::has_body(req)) {
    out.headers = json_content_type;
    iotjobs::detail::string_sink body{out.body.emplace()};
    detail::write_body(body, req);
  }
  return out;
}

/// Formats 16 random bytes as a version 4 UUID (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, lower
/// case), the idempotency token the AWS SDKs send as StartCommandExecution's clientToken. The
/// bytes come from the caller's own random source.
[[nodiscard]] inline std::string_view format_uuid_v4(const unsigned char (&random)[16],
                                                     char (&out)[36]) noexcept {
  constexpr char hex[] = "0123456789abcdef";
  std::size_t o = 0;
  for (std::size_t i = 0; i < 16; ++i) {
    unsigned char b = random[i];
    if (i == 6) b = static_cast<unsigned char>(0x40 | (b & 0x0F));  // version 4
    if (i == 8) b = static_cast<unsigned char>(0x80 | (b & 0x3F));  // RFC 4122 variant
    if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
    out[o++] = hex[b >> 4];
    out[o++] = hex[b & 0xF];
  }
  return std::string_view(out, 36);
}

}  // namespace iotjobs::https

#endif  // IOTJOBS_HTTPS_HPP
