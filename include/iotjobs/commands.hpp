// iotjobs — AWS IoT Device Management commands, device side (spec §9): the reserved
// `$aws/commands/...` topics, and the status update a device publishes. Plain C++17: the accepted
// and rejected replies are decoded by iotjobs::decoder.
#ifndef IOTJOBS_COMMANDS_HPP
#define IOTJOBS_COMMANDS_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "iotjobs/detail/json_writer.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/model.hpp"
#include "iotjobs/mqtt.hpp"
#include "iotjobs/validate.hpp"

namespace iotjobs::commands {

/// Who a command targets: a registered thing (`things/<thing name>`) or an MQTT client
/// (`clients/<client id>`).
enum class device_type : std::uint8_t { thing, client };

/// The topics of one command execution `E`:
///   request            `$aws/commands/<dev>/<id>/executions/E/request[/json|/cbor]` (to device)
///   response           `…/executions/E/response[/json|/cbor]` (the device's status update)
///   response_accepted  `…/executions/E/response/accepted[/json]` (to device)
///   response_rejected  `…/executions/E/response/rejected[/json]` (to device)
enum class topic_kind : std::uint8_t { request, response, response_accepted, response_rejected };

/// The topic's last level: `/json`, `/cbor`, or none (other content types, or the forms the IAM
/// examples grant). The replies come only as json or none.
enum class payload_format : std::uint8_t { none, json, cbor };

/// `$aws/commands/clients/` + 128 + `/executions/` + 64 + `/response/accepted/json`.
inline constexpr std::size_t max_topic_size =
    22 + max_client_id_size + 12 + max_execution_id_size + 23;

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

/// A command delivered to the device: its payload is the command's own business (JSON, CBOR or
/// anything else); iotjobs hands it back with the format its topic names.
///
/// Lifetime: `payload` is the caller's.
struct request_view {
  topic_view topic;
  std::string_view payload;
};

/// The statuses a device may report for a command execution.
enum class execution_status : std::uint8_t { in_progress, succeeded, failed, rejected, timed_out };

constexpr std::string_view to_wire(execution_status s) noexcept {
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
  std::string_view reason_code;
  std::optional<std::string_view> reason_description;
};

/// One value of a command result: `{"s": text}`, `{"b": bool}` or `{"bin": base64}`, the keys in
/// lower case as the service requires. `text` holds the string, or the raw bytes of `bin`.
struct result_value {
  enum class kind : std::uint8_t { string, boolean, binary };

  static constexpr result_value string(std::string_view s) noexcept { return {kind::string, s}; }
  static constexpr result_value boolean(bool b) noexcept { return {kind::boolean, {}, b}; }
  static constexpr result_value binary(std::string_view bytes) noexcept {
    return {kind::binary, bytes};
  }

  kind type = kind::string;
  std::string_view text;
  bool boolean_value = false;
};

struct result_entry {
  std::string_view name;  // any non-empty UTF-8 text
  result_value value;
};

/// The device's status update for one execution, published to `…/executions/E/response/json`.
struct update_request {
  device_type device = device_type::thing;
  std::string_view device_id;
  std::string_view execution_id;
  execution_status status = execution_status::in_progress;
  std::optional<commands::status_reason> status_reason;
  std::optional<list_view<result_entry>> result;  // at least one entry when present
};

namespace detail {

inline constexpr std::string_view prefix = "$aws/commands/";

constexpr std::string_view device_segment(device_type d) noexcept {
  return d == device_type::thing ? "things/" : "clients/";
}

constexpr error check_ids(device_type device, std::string_view id, std::string_view execution,
                          bool wildcard_execution) noexcept {
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
  return f != payload_format::cbor || k == topic_kind::request || k == topic_kind::response;
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
  return iotjobs::detail::write_to_n(out, [&](auto& sink) {
    detail::write_topic(sink, kind, device, device_id, execution_id, format);
  });
}

/// The command a device received: its topic must be a request topic.
constexpr result<request_view> request_of(std::string_view topic,
                                          std::string_view payload) noexcept {
  const auto t = parse_topic(topic);
  if (!t) return t.error();
  if (t->kind != topic_kind::request) return error::invalid_topic;
  return request_view{*t, payload};
}

namespace detail {

inline error check(const update_request& r) noexcept {
  if (const error e = check_ids(r.device, r.device_id, r.execution_id, false); e != error::ok)
    return e;
  if (r.status_reason && (!is_valid_reason_code(r.status_reason->reason_code) ||
                          (r.status_reason->reason_description &&
                           !is_valid_reason_description(*r.status_reason->reason_description))))
    return error::invalid_status_reason;
  if (r.result) {
    if (r.result->empty()) return error::invalid_command_result;
    for (const result_entry& e : *r.result) {
      const bool value_ok = e.value.type == result_value::kind::boolean ||
                            (e.value.type == result_value::kind::string &&
                             iotjobs::detail::is_valid_utf8(e.value.text)) ||
                            (e.value.type == result_value::kind::binary && !e.value.text.empty());
      if (e.name.empty() || !iotjobs::detail::is_valid_utf8(e.name) || !value_ok)
        return error::invalid_command_result;
    }
  }
  return error::ok;
}

template <class Sink>
void write_payload(Sink& sink, const update_request& r) {
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

template <class Sink>
void write_update_topic(Sink& sink, const update_request& r) {
  write_topic(sink, topic_kind::response, r.device, r.device_id, r.execution_id,
              payload_format::json);
}

}  // namespace detail

/// Encodes the status update into caller buffers: the topic `…/executions/E/response/json` and
/// the JSON payload. Nothing is written unless every field is valid; a buffer too small gives
/// error::buffer_too_small with required_size() (the topic buffer is checked first).
inline result<mqtt::message_view> encode_to(const update_request& req, mutable_buffer topic,
                                            mutable_buffer payload) noexcept {
  if (const error e = detail::check(req); e != error::ok) return e;
  const auto t = iotjobs::detail::write_to_n(
      topic, [&](auto& sink) { detail::write_update_topic(sink, req); });
  if (!t) return {t.error(), t.required_size()};
  const auto p =
      iotjobs::detail::write_to_n(payload, [&](auto& sink) { detail::write_payload(sink, req); });
  if (!p) return {p.error(), p.required_size()};
  return mqtt::message_view{*t, *p};
}

/// Encodes the status update's payload to an output iterator of char.
template <class OutputIt>
result<OutputIt> encode_payload_to(const update_request& req, OutputIt out) {
  if (const error e = detail::check(req); e != error::ok) return e;
  iotjobs::detail::iterator_sink<OutputIt> sink{out};
  detail::write_payload(sink, req);
  return sink.out;
}

/// The topic and payload sizes encode_to() needs.
inline result<mqtt::message_size> encoded_size(const update_request& req) noexcept {
  if (const error e = detail::check(req); e != error::ok) return e;
  iotjobs::detail::counting_sink topic, payload;
  detail::write_update_topic(topic, req);
  detail::write_payload(payload, req);
  return mqtt::message_size{topic.size, payload.size};
}

}  // namespace iotjobs::commands

#endif  // IOTJOBS_COMMANDS_HPP
