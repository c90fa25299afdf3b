// iotjobs — AWS IoT Device Management commands, in one header: their vocabulary and the rules of
// their values (docs/wire-protocol.md §4.6); StartCommandExecution's request and response; and the
// device side (docs/wire-protocol.md §9): the reserved `$aws/commands/...` topics and the status
// update a device publishes. Plain C++17: StartCommandExecution is encoded by https.hpp, the
// replies are decoded by the decoder (messages.hpp names them).
#ifndef IOTJOBS_COMMANDS_HPP
#define IOTJOBS_COMMANDS_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>

#include "iotjobs/detail/cbor_writer.hpp"
#include "iotjobs/detail/encoding.hpp"
#include "iotjobs/detail/json_writer.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/model.hpp"
#include "iotjobs/schema.hpp"
#include "iotjobs/validate.hpp"

namespace iotjobs {

inline constexpr std::size_t max_target_arn_size = 2048;
inline constexpr std::size_t max_command_parameter_name_size = 192;
inline constexpr std::size_t max_execution_id_size = 64;
inline constexpr std::size_t max_client_id_size = 128;  // AWS IoT's MQTT client id limit
inline constexpr std::size_t max_reason_code_size = 64;
inline constexpr std::size_t max_reason_description_length = 1024;  // code points
inline constexpr std::size_t max_command_result_name_size = 32;

/// CommandParameterName: 1–192 of [.$a-zA-Z0-9_-].
[[nodiscard]] constexpr bool is_valid_command_parameter_name(std::string_view s) noexcept {
  if (s.empty() || s.size() > max_command_parameter_name_size) return false;
  for (char c : s) {
    if (!detail::in_class<detail::byte_class::id>(c) && c != '.' && c != '$') return false;
  }
  return true;
}

/// StartCommandExecution's clientToken: 1–64 printable ASCII characters (0x21–0x7E).
[[nodiscard]] constexpr bool is_valid_command_client_token(std::string_view s) noexcept {
  if (s.empty() || s.size() > max_client_token_size) return false;
  for (char c : s) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

/// CommandExecutionId: 1–64 of [a-zA-Z0-9_-].
[[nodiscard]] constexpr bool is_valid_execution_id(std::string_view s) noexcept {
  return detail::is_id(s, max_execution_id_size, false);
}

/// An MQTT client id as a topic level: 1–128 bytes of UTF-8 with no `/`, `+`, `#` or NUL.
[[nodiscard]] constexpr bool is_valid_client_id(std::string_view s) noexcept {
  if (s.empty() || s.size() > max_client_id_size) return false;
  for (char c : s) {
    if (c == '/' || c == '+' || c == '#' || c == '\0') return false;
  }
  return detail::is_valid_utf8(s);
}

/// A command statusReason's reasonCode: 1–64 of [A-Z0-9_-].
[[nodiscard]] constexpr bool is_valid_reason_code(std::string_view s) noexcept {
  if (s.empty() || s.size() > max_reason_code_size) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

/// A command statusReason's reasonDescription: up to 1024 code points of UTF-8, none of them in
/// Unicode general category C (the rule of statusDetails values; the iot model's
/// StatusReasonDescription, `^[^\p{C}]*$`).
[[nodiscard]] constexpr bool is_valid_reason_description(std::string_view s) noexcept {
  return detail::is_text_without_category_c(s, max_reason_description_length);
}

/// The name of a command result entry (CommandExecutionResultName in the iot model): 1–32 of
/// [a-zA-Z0-9_-].
[[nodiscard]] constexpr bool is_valid_command_result_name(std::string_view s) noexcept {
  return detail::is_id(s, max_command_result_name_size, false);
}

/// One value of a command parameter: exactly one of the seven kinds of docs/wire-protocol.md §4.6.
/// Make it with the named constructors; `text` holds S, or the raw bytes of BIN (sent
/// base64-encoded).
struct command_parameter_value {
  enum class kind : std::uint8_t { string, boolean, int32, int64, float64, binary, uint64 };

  static constexpr command_parameter_value string(borrowed_string s) noexcept {
    return {kind::string, s};
  }
  static constexpr command_parameter_value boolean(bool b) noexcept {
    return {kind::boolean, {}, b};
  }
  static constexpr command_parameter_value int32(std::int32_t i) noexcept {
    return {kind::int32, {}, false, i};
  }
  static constexpr command_parameter_value int64(std::int64_t i) noexcept {
    return {kind::int64, {}, false, i};
  }
  static constexpr command_parameter_value float64(double d) noexcept {
    return {kind::float64, {}, false, 0, d};
  }
  static constexpr command_parameter_value binary(borrowed_string bytes) noexcept {
    return {kind::binary, bytes};
  }
  static constexpr command_parameter_value uint64(std::uint64_t u) noexcept {
    return {kind::uint64, {}, false, 0, 0.0, u};
  }

  kind type = kind::string;
  borrowed_string text;                // string, binary
  bool boolean_value = false;          // boolean
  std::int64_t integer = 0;            // int32, int64
  double floating = 0.0;               // float64
  std::uint64_t unsigned_integer = 0;  // uint64 (sent as a decimal string, `UL`)
};

struct command_parameter {
  borrowed_string name;
  command_parameter_value value;
};

/// StartCommandExecution (HTTPS only). The caller supplies `client_token`, the idempotency token
/// (see https::format_uuid_v4): iotjobs draws no randomness.
struct start_command_execution_request {
  borrowed_string target_arn;   // a thing or client ARN, 1–2048
  borrowed_string command_arn;  // arn:aws:iot:<region>:<account>:command/<name>
  std::optional<list_view<command_parameter>> parameters;  // at least one when present
  std::optional<std::int64_t> execution_timeout_seconds;   // 1 or more
  std::optional<borrowed_string> client_token;             // 1–64 of [\x21-\x7E]
};

/// The StartCommandExecution response.
///
/// Lifetime: valid until the next decode on the decoder that produced it, or its destruction.
struct start_command_execution_view {
  std::string_view execution_id;
};

/// A command status update accepted (`$aws/commands/…/executions/E/response/accepted`).
///
/// Lifetime: valid until the next decode on the decoder that produced it, or its destruction.
struct command_accepted_view {
  std::optional<std::string_view> execution_id;
};

/// A command status update rejected (`…/response/rejected`): a shape of its own, not the Jobs
/// one (docs/wire-protocol.md §9). `error` is required; its codes are the Jobs rejection codes.
///
/// Lifetime: valid until the next decode on the decoder that produced it, or its destruction.
struct command_rejected_view {
  rejection_code code = rejection_code::unknown;
  std::string_view code_text;               // `error`, kept raw for `unknown`
  std::optional<std::string_view> message;  // `errorMessage`
  std::optional<std::string_view> execution_id;
};

namespace schema {

template <>
struct of<start_command_execution_view> {
  using v = start_command_execution_view;
  static constexpr auto fields = std::make_tuple(required("executionId", &v::execution_id));
};

template <>
struct of<command_accepted_view> {
  using v = command_accepted_view;
  static constexpr auto fields = std::make_tuple(member("executionId", &v::execution_id));
};

template <>
struct of<command_rejected_view> {
  using v = command_rejected_view;
  static constexpr auto fields =
      std::make_tuple(coded("error", &v::code, &v::code_text), member("errorMessage", &v::message),
                      member("executionId", &v::execution_id));
};

}  // namespace schema

}  // namespace iotjobs

namespace iotjobs::commands {

/// Who a command targets: a registered thing (`things/<thing name>`) or an MQTT client
/// (`clients/<client id>`).
enum class device_type : std::uint8_t { thing, client };

/// The topics of one command execution `E`:
///   request            `$aws/commands/<dev>/<id>/executions/E/request[/json|/cbor]` (to device)
///   response           `…/executions/E/response[/json|/cbor]` (the device's status update)
///   response_accepted  `…/executions/E/response/accepted[/json|/cbor]` (to device)
///   response_rejected  `…/executions/E/response/rejected[/json|/cbor]` (to device)
enum class topic_kind : std::uint8_t { request, response, response_accepted, response_rejected };

/// The enumerator's name, e.g. "response_accepted", for logs and tools; empty for values outside
/// the enum.
[[nodiscard]] constexpr std::string_view name(topic_kind k) noexcept {
  switch (k) {
    case topic_kind::request: return "request";
    case topic_kind::response: return "response";
    case topic_kind::response_accepted: return "response_accepted";
    case topic_kind::response_rejected: return "response_rejected";
  }
  return {};
}

/// The topic's last level: `/json`, `/cbor`, or none (other content types, or the forms the IAM
/// examples grant). A reply comes in the format of the update it answers.
enum class payload_format : std::uint8_t { none, json, cbor };

/// `$aws/commands/clients/` + 128 + `/executions/` + 64 + `/response/accepted/json` + the NUL that
/// follows a topic written into a fixed buffer.
inline constexpr std::size_t max_topic_size =
    22 + max_client_id_size + 12 + max_execution_id_size + 23 + 1;

/// A commands topic taken apart.
///
/// Lifetime: the string_views point into the topic that was parsed.
struct topic_view {
  topic_kind kind = topic_kind::request;
  device_type device = device_type::thing;
  std::string_view device_id;
  std::string_view execution_id;
  payload_format format = payload_format::none;
};

/// The statuses a device may report for a command execution.
enum class execution_status : std::uint8_t { in_progress, succeeded, failed, rejected, timed_out };

[[nodiscard]] constexpr std::string_view to_wire(execution_status s) noexcept {
  switch (s) {
    case execution_status::in_progress: return "IN_PROGRESS";
    case execution_status::succeeded: return "SUCCEEDED";
    case execution_status::failed: return "FAILED";
    case execution_status::rejected: return "REJECTED";
    case execution_status::timed_out: return "TIMED_OUT";
  }
  return {};
}

/// statusReason: a code of [A-Z0-9_-]{1,64} and an optional description (up to 1024 characters,
/// no control characters).
struct status_reason {
  borrowed_string reason_code;
  std::optional<borrowed_string> reason_description;
};

/// One value of a command result: `{"s": text}`, `{"b": bool}` or `{"bin": base64}`, the keys in
/// lower case as the service requires. `text` holds the string, or the raw bytes of `bin`.
struct result_value {
  enum class kind : std::uint8_t { string, boolean, binary };

  static constexpr result_value string(borrowed_string s) noexcept { return {kind::string, s}; }
  static constexpr result_value boolean(bool b) noexcept { return {kind::boolean, {}, b}; }
  static constexpr result_value binary(borrowed_string bytes) noexcept {
    return {kind::binary, bytes};
  }

  kind type = kind::string;
  borrowed_string text;
  bool boolean_value = false;
};

struct result_entry {
  borrowed_string name;  // 1–32 of [a-zA-Z0-9_-]
  result_value value;
};

/// The device's status update for one execution, published to `…/executions/E/response/json`
/// as JSON, or to `…/response/cbor` as CBOR (RFC 8949, deterministic encoding, the same keys; a
/// `bin` result is a byte string there, not base64). Its reply comes on the accepted or rejected
/// topic of the same format.
struct update_request {
  device_type device = device_type::thing;
  borrowed_string device_id;
  borrowed_string execution_id;
  execution_status status = execution_status::in_progress;
  std::optional<commands::status_reason> status_reason;
  std::optional<list_view<result_entry>> result;  // at least one entry when present
  payload_format format = payload_format::json;   // json or cbor
};

namespace detail {

inline constexpr std::string_view prefix = "$aws/commands/";

constexpr std::string_view device_segment(device_type d) noexcept {
  return d == device_type::thing ? "things/" : "clients/";
}

constexpr error check_ids(device_type device, std::string_view id, std::string_view execution,
                          bool wildcard_execution) noexcept {
  if (device != device_type::thing && device != device_type::client) return error::invalid_topic;
  const bool id_ok =
      device == device_type::thing ? is_valid_thing_name(id) : is_valid_client_id(id);
  if (!id_ok)
    return device == device_type::thing ? error::invalid_thing_name : error::invalid_client_id;
  if (wildcard_execution && execution == "+") return error::ok;
  return is_valid_execution_id(execution) ? error::ok : error::invalid_execution_id;
}

// The text after `…/executions/E/`.
constexpr std::string_view tail_of(topic_kind k) noexcept {
  switch (k) {
    case topic_kind::request: return "request";
    case topic_kind::response: return "response";
    case topic_kind::response_accepted: return "response/accepted";
    case topic_kind::response_rejected: return "response/rejected";
  }
  return {};
}

constexpr std::string_view format_suffix(payload_format f) noexcept {
  switch (f) {
    case payload_format::json: return "/json";
    case payload_format::cbor: return "/cbor";
    case payload_format::none: break;
  }
  return {};
}

constexpr bool format_allowed(topic_kind k, payload_format f) noexcept {
  return !tail_of(k).empty() && static_cast<int>(f) <= static_cast<int>(payload_format::cbor);
}

template <class Sink>
void write_topic(Sink& sink, topic_kind kind, device_type device, std::string_view id,
                 std::string_view execution, payload_format format) {
  sink.write(prefix);
  sink.write(device_segment(device));
  sink.write(id);
  sink.write("/executions/");
  sink.write(execution);
  sink.write("/");
  sink.write(tail_of(kind));
  sink.write(format_suffix(format));
}

constexpr bool starts_with(std::string_view s, std::string_view p) noexcept {
  return s.substr(0, p.size()) == p;
}

}  // namespace detail

/// Takes a commands topic apart. error::not_a_jobs_topic for anything outside
/// `$aws/commands/things|clients/`, error::invalid_topic for a topic no API uses there,
/// error::invalid_thing_name / invalid_client_id / invalid_execution_id for bad levels.
constexpr result<topic_view> parse_topic(std::string_view topic) noexcept {
  if (!detail::starts_with(topic, detail::prefix)) return error::not_a_jobs_topic;
  std::string_view rest = topic.substr(detail::prefix.size());
  topic_view v;
  if (detail::starts_with(rest, "things/")) {
    v.device = device_type::thing;
  } else if (detail::starts_with(rest, "clients/")) {
    v.device = device_type::client;
  } else {
    return error::not_a_jobs_topic;
  }
  rest.remove_prefix(detail::device_segment(v.device).size());
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return error::invalid_topic;
  v.device_id = rest.substr(0, slash);
  rest.remove_prefix(slash);
  if (!detail::starts_with(rest, "/executions/")) return error::invalid_topic;
  rest.remove_prefix(12);
  const std::size_t end = rest.find('/');
  if (end == std::string_view::npos) return error::invalid_topic;
  v.execution_id = rest.substr(0, end);
  rest.remove_prefix(end + 1);
  for (const topic_kind k : {topic_kind::request, topic_kind::response,
                             topic_kind::response_accepted, topic_kind::response_rejected}) {
    for (const payload_format f :
         {payload_format::none, payload_format::json, payload_format::cbor}) {
      if (!detail::format_allowed(k, f)) continue;
      if (rest.size() == detail::tail_of(k).size() + detail::format_suffix(f).size() &&
          detail::starts_with(rest, detail::tail_of(k)) &&
          rest.substr(detail::tail_of(k).size()) == detail::format_suffix(f)) {
        if (const error e = detail::check_ids(v.device, v.device_id, v.execution_id, false);
            e != error::ok)
          return e;
        v.kind = k;
        v.format = f;
        return v;
      }
    }
  }
  return error::invalid_topic;
}

/// Writes a commands topic into `out`. Execution id `+` gives a subscription filter for every
/// execution (`$aws/commands/things/T/executions/+/request/json`) for the kinds the device
/// receives: subscribe with it, never publish to it.
inline result<std::string_view> build_topic(topic_kind kind, device_type device,
                                            std::string_view device_id,
                                            std::string_view execution_id, payload_format format,
                                            mutable_buffer out) noexcept {
  if (!detail::format_allowed(kind, format)) return error::invalid_topic;
  const bool wildcard_ok = kind != topic_kind::response;
  if (const error e = detail::check_ids(device, device_id, execution_id, wildcard_ok);
      e != error::ok)
    return e;
  return iotjobs::detail::write_topic_to_n(out, [&](auto& sink) {
    detail::write_topic(sink, kind, device, device_id, execution_id, format);
  });
}

namespace detail {

inline error check(const update_request& r) noexcept {
  if (const error e = check_ids(r.device, r.device_id, r.execution_id, false); e != error::ok)
    return e;
  // iotjobs writes the two documented forms; the bare `…/response` is unverified (§9).
  if (r.format != payload_format::json && r.format != payload_format::cbor)
    return error::invalid_topic;
  if (to_wire(r.status).empty()) return error::invalid_update_status;  // outside the enum
  if (r.status_reason && (!is_valid_reason_code(r.status_reason->reason_code) ||
                          (r.status_reason->reason_description &&
                           !is_valid_reason_description(*r.status_reason->reason_description))))
    return error::invalid_status_reason;
  if (r.result) {
    if (r.result->empty()) return error::invalid_command_result;
    for (const result_entry& e : *r.result) {
      // The iot model's String- and BinaryCommandExecutionResult: at least one byte.
      const bool value_ok = e.value.type == result_value::kind::boolean ||
                            (e.value.type == result_value::kind::string && !e.value.text.empty() &&
                             iotjobs::detail::is_valid_utf8(e.value.text)) ||
                            (e.value.type == result_value::kind::binary && !e.value.text.empty());
      if (!is_valid_command_result_name(e.name) || !value_ok) return error::invalid_command_result;
    }
    if (iotjobs::detail::has_duplicate_key(*r.result, &result_entry::name))
      return error::duplicate_key;
  }
  return error::ok;
}

template <class Sink>
void write_json_payload(Sink& sink, const update_request& r) {
  iotjobs::detail::json_object_writer obj(sink);
  obj.string_member("status", to_wire(r.status));
  if (r.status_reason) {
    iotjobs::detail::json_object_writer reason(obj.member("statusReason"));
    reason.string_member("reasonCode", r.status_reason->reason_code);
    if (r.status_reason->reason_description)
      reason.string_member("reasonDescription", *r.status_reason->reason_description);
    reason.finish();
  }
  if (r.result) {
    iotjobs::detail::json_object_writer map(obj.member("result"));
    for (const result_entry& e : *r.result) {
      iotjobs::detail::json_object_writer value(map.escaped_member(e.name));
      switch (e.value.type) {
        case result_value::kind::string: value.string_member("s", e.value.text); break;
        case result_value::kind::boolean: value.bool_member("b", e.value.boolean_value); break;
        case result_value::kind::binary:
          iotjobs::detail::write_json_base64(value.member("bin"), e.value.text);
          break;
      }
      value.finish();
    }
    map.finish();
  }
  obj.finish();
}

// The same members in CBOR, each map's keys in the deterministic order (cbor::key_before):
// "result" < "status" < "statusReason", "reasonCode" < "reasonDescription", and the result
// names shortest first. The names are distinct (check() refuses one twice), so each pass of the
// selection below finds the next one without sorting the caller's list.
template <class Sink>
void write_cbor_payload(Sink& sink, const update_request& r) {
  namespace cbor = iotjobs::detail::cbor;
  cbor::write_head(sink, cbor::major::map, 1 + (r.status_reason ? 1 : 0) + (r.result ? 1 : 0));
  if (r.result) {
    cbor::write_text(sink, "result");
    cbor::write_head(sink, cbor::major::map, r.result->size());
    const result_entry* last = nullptr;
    for (std::size_t n = 0; n < r.result->size(); ++n) {
      const result_entry* next = nullptr;
      for (const result_entry& e : *r.result) {
        if ((last == nullptr || cbor::key_before(last->name, e.name)) &&
            (next == nullptr || cbor::key_before(e.name, next->name)))
          next = &e;
      }
      cbor::write_text(sink, next->name);
      cbor::write_head(sink, cbor::major::map, 1);
      const result_value& v = next->value;
      if (v.type == result_value::kind::boolean) {
        cbor::write_text(sink, "b");
        cbor::write_bool(sink, v.boolean_value);
      } else if (v.type == result_value::kind::string) {
        cbor::write_text(sink, "s");
        cbor::write_text(sink, v.text);
      } else {
        cbor::write_text(sink, "bin");
        cbor::write_bytes(sink, v.text);
      }
      last = next;
    }
  }
  cbor::write_text(sink, "status");
  cbor::write_text(sink, to_wire(r.status));
  if (r.status_reason) {
    cbor::write_text(sink, "statusReason");
    cbor::write_head(sink, cbor::major::map, r.status_reason->reason_description ? 2 : 1);
    cbor::write_text(sink, "reasonCode");
    cbor::write_text(sink, r.status_reason->reason_code);
    if (r.status_reason->reason_description) {
      cbor::write_text(sink, "reasonDescription");
      cbor::write_text(sink, *r.status_reason->reason_description);
    }
  }
}

struct binding {
  static error check(const update_request& r) noexcept { return detail::check(r); }
  template <class Sink>
  static void topic(Sink& sink, const update_request& r) {
    write_topic(sink, topic_kind::response, r.device, r.device_id, r.execution_id, r.format);
  }
  template <class Sink>
  static void payload(Sink& sink, const update_request& r) {
    if (r.format == payload_format::cbor) {
      write_cbor_payload(sink, r);
    } else {
      write_json_payload(sink, r);
    }
  }
};

}  // namespace detail

// The status update's encoders, the family of detail/encoding.hpp (and of mqtt.hpp): the topic is
// `…/executions/E/response/json` (or `/cbor`, as `format` says). Nothing is written unless every
// field is valid.

/// Checks every field of a status update as the encoders do: error::ok, or their error.
inline error check(const update_request& req) noexcept {
  return detail::check(req);
}

/// Encodes the status update's topic and payload into caller buffers (a NUL follows the topic);
/// a buffer too small gives error::buffer_too_small with required_size() (the topic buffer is
/// checked first).
inline result<message_view> encode_to_n(mutable_buffer topic, mutable_buffer payload,
                                        const update_request& req) noexcept {
  return iotjobs::detail::encode_message_to_n<detail::binding>(topic, payload, req);
}

/// Encodes the status update's payload (JSON or CBOR bytes) to an output iterator of char.
template <class OutputIt>
result<OutputIt> encode_to(OutputIt out, const update_request& req) {
  return iotjobs::detail::encode_payload_to<detail::binding>(out, req);
}

/// The buffer sizes encode_to_n() needs (the topic's NUL included).
inline result<message_size> encoded_size(const update_request& req) noexcept {
  return iotjobs::detail::encoded_message_size<detail::binding>(req);
}

/// The status update's topic and payload as strings: the one allocating form.
inline result<encoded_message> encode(const update_request& req) {
  return iotjobs::detail::encode_message<detail::binding>(req);
}

}  // namespace iotjobs::commands

#endif  // IOTJOBS_COMMANDS_HPP
