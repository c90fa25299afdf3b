// iotjobs — every message iotjobs decodes, written down once: a public tag per message (its view,
// which is read by its table in schema.hpp, or, for a job document, by its kind's rules in
// detail/document_reader.hpp), the one list of MQTT topic kinds and their messages, and decoding
// by topic.
//
//   auto m = iotjobs::mqtt::decode(dec, topic, payload);   // the decoder picked from the topic
//   if (auto* ev = m ? m->get_if<iotjobs::notify_next_view>() : nullptr) ...
//   auto r = dec.decode(iotjobs::mqtt::rejected, payload);  // or a message named by its tag
//
// A new message is its view (model.hpp or commands.hpp) with its table (schema.hpp), its tag here,
// and, for an MQTT one, its topic kind (mqtt.hpp) and its row in message_of below; the decoder,
// the service encoder, the dispatch, the tool and the fuzz targets follow from them.
#ifndef IOTJOBS_MESSAGES_HPP
#define IOTJOBS_MESSAGES_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <variant>

#include "iotjobs/commands.hpp"
#include "iotjobs/decoder.hpp"
#include "iotjobs/detail/document_reader.hpp"
#include "iotjobs/documents.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/model.hpp"
#include "iotjobs/mqtt.hpp"
#include "iotjobs/schema.hpp"

namespace iotjobs {

namespace detail {

// What every tag says: the view it decodes to, read by the view's table (schema.hpp), and how its
// payload comes.
template <class View>
struct reads {
  using view = View;
  static constexpr bool over_https = false;             // decoded from an https::raw_response
  static constexpr bool blank_is_empty_object = false;  // an empty payload reads as `{}`
  // Reads the payload's top-level object.
  static error read(walker& w, od::object& root, View& out) noexcept {
    return read_members(w, root, 1, out);
  }
};

template <class View>
struct reads_over_https : reads<View> {
  static constexpr bool over_https = true;
};

template <class Request>
struct reads_request : reads<Request> {
  static constexpr bool blank_is_empty_object = true;
};

// A message decoded by its topic: the topic taken apart, and a variant of the views.
template <class Topic, class Body>
struct decoded {
  Topic topic;
  Body body;

  /// The view if the body is a V, else nullptr: `m.get_if<iotjobs::notify_next_view>()`.
  template <class V>
  const V* get_if() const noexcept {
    return std::get_if<V>(&body);
  }
};

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// MQTT: what the Jobs service publishes to a device.

namespace mqtt {

/// `$aws/things/T/jobs/get/accepted`.
struct get_pending_accepted_t : iotjobs::detail::reads<get_pending_accepted_view> {};
inline constexpr get_pending_accepted_t get_pending_accepted{};

/// `$aws/things/T/jobs/start-next/accepted`. No `execution`: nothing is pending.
struct start_next_accepted_t : iotjobs::detail::reads<execution_accepted_view> {};
inline constexpr start_next_accepted_t start_next_accepted{};

/// `$aws/things/T/jobs/J/get/accepted` (J may be `$next`).
struct describe_accepted_t : iotjobs::detail::reads<execution_accepted_view> {};
inline constexpr describe_accepted_t describe_accepted{};

/// `$aws/things/T/jobs/J/update/accepted`.
struct update_accepted_t : iotjobs::detail::reads<update_accepted_view> {};
inline constexpr update_accepted_t update_accepted{};

/// Any Jobs `/rejected` payload. `code` is required.
struct rejected_t : iotjobs::detail::reads<rejected_view> {};
inline constexpr rejected_t rejected{};

/// `$aws/things/T/jobs/notify` (JobExecutionsChanged).
struct notify_t : iotjobs::detail::reads<notify_view> {};
inline constexpr notify_t notify{};

/// `$aws/things/T/jobs/notify-next` (NextJobExecutionChanged). No `execution`: the queue is
/// empty.
struct notify_next_t : iotjobs::detail::reads<notify_next_view> {};
inline constexpr notify_next_t notify_next{};

// MQTT, service side: the requests a device publishes, for a service or a test double. An empty
// payload (which the service accepts) reads as `{}`. thingName and jobId travel in the topic:
// decoded by tag, a request's thing_name and job_id stay empty (mqtt::decode fills them from the
// topic), and payload members of those names, which some clients repeat, are ignored like any
// unknown member. The values are not checked against validate.hpp: that is the service's call
// (mqtt::check), as is the InvalidRequest it answers with.

/// `$aws/things/T/jobs/get`.
struct get_pending_request_t : iotjobs::detail::reads_request<get_pending_job_executions_request> {
};
inline constexpr get_pending_request_t get_pending_request{};

/// `$aws/things/T/jobs/start-next`.
struct start_next_request_t
    : iotjobs::detail::reads_request<start_next_pending_job_execution_request> {};
inline constexpr start_next_request_t start_next_request{};

/// `$aws/things/T/jobs/J/get`.
struct describe_request_t : iotjobs::detail::reads_request<describe_job_execution_request> {};
inline constexpr describe_request_t describe_request{};

/// `$aws/things/T/jobs/J/update`. `status` is required, and must be one a device may set.
struct update_request_t : iotjobs::detail::reads_request<update_job_execution_request> {};
inline constexpr update_request_t update_request{};

/// The message of each topic kind: the one list that dispatch by topic, the tool and the tests
/// walk. Every topic kind has a row (decode() below does not compile otherwise).
template <topic_kind K>
struct message_of;
template <>
struct message_of<topic_kind::get_pending> : get_pending_request_t {};
template <>
struct message_of<topic_kind::start_next> : start_next_request_t {};
template <>
struct message_of<topic_kind::describe> : describe_request_t {};
template <>
struct message_of<topic_kind::update> : update_request_t {};
template <>
struct message_of<topic_kind::get_pending_accepted> : get_pending_accepted_t {};
template <>
struct message_of<topic_kind::get_pending_rejected> : rejected_t {};
template <>
struct message_of<topic_kind::start_next_accepted> : start_next_accepted_t {};
template <>
struct message_of<topic_kind::start_next_rejected> : rejected_t {};
template <>
struct message_of<topic_kind::describe_accepted> : describe_accepted_t {};
template <>
struct message_of<topic_kind::describe_rejected> : rejected_t {};
template <>
struct message_of<topic_kind::update_accepted> : update_accepted_t {};
template <>
struct message_of<topic_kind::update_rejected> : rejected_t {};
template <>
struct message_of<topic_kind::notify> : notify_t {};
template <>
struct message_of<topic_kind::notify_next> : notify_next_t {};

/// What a Jobs topic carries, decoded: one of the views (start-next and describe accepted share
/// execution_accepted_view; the four rejected kinds rejected_view). `topic.kind` tells which
/// topic it came on.
using message_body =
    std::variant<get_pending_accepted_view, execution_accepted_view, update_accepted_view,
                 rejected_view, notify_view, notify_next_view, get_pending_job_executions_request,
                 start_next_pending_job_execution_request, describe_job_execution_request,
                 update_job_execution_request>;

/// A message decoded by its topic: `.topic`, `.body` and `.get_if<V>()`.
///
/// Lifetime: `topic` points into the topic given to decode(); `body` follows the lifetime rule
/// (valid until the next decode on the same decoder).
using decoded_message = iotjobs::detail::decoded<topic_view, message_body>;

namespace detail {

template <std::size_t K>
result<decoded_message> decode_as(decoder& dec, const topic_view& topic,
                                  std::string_view payload) noexcept {
  using message = message_of<static_cast<topic_kind>(K)>;
  auto r = dec.decode(message{}, payload);
  if (!r) return r.error();
  if constexpr (message::blank_is_empty_object) {  // a request: its names are in the topic
    r->thing_name = topic.thing_name;
    if constexpr (has_job_id(static_cast<topic_kind>(K))) {
      r->job_id = topic.job_id;
      if (!topic.namespace_id.empty()) r->namespace_id = topic.namespace_id;
    }
  }
  return decoded_message{topic, message_body(std::move(*r))};
}

template <std::size_t... K>
result<decoded_message> decode_by_kind(decoder& dec, const topic_view& topic,
                                       std::string_view payload,
                                       std::index_sequence<K...>) noexcept {
  using decode_fn = result<decoded_message> (*)(decoder&, const topic_view&, std::string_view);
  static constexpr decode_fn table[] = {&decode_as<K>...};
  return table[static_cast<std::size_t>(topic.kind)](dec, topic, payload);
}

}  // namespace detail

/// Decodes a message of the Jobs API by its topic: parse_topic()'s errors for a topic that is
/// not one, else the decoder's for the payload. On a request topic the request's thing_name and
/// job_id come from the topic.
inline result<decoded_message> decode(decoder& dec, std::string_view topic,
                                      std::string_view payload) noexcept {
  const auto t = parse_topic(topic);
  if (!t) return t.error();
  return mqtt::detail::decode_by_kind(dec, *t, payload,
                                      std::make_index_sequence<topic_kind_count>{});
}

}  // namespace mqtt

// ---------------------------------------------------------------------------------------------
// HTTPS: each operation's response (docs/wire-protocol.md §2, §6), decoded from an
// https::raw_response into an https_response of the MQTT view.

namespace https {

struct describe_response_t : iotjobs::detail::reads_over_https<execution_accepted_view> {};
inline constexpr describe_response_t describe_response{};

struct get_pending_response_t : iotjobs::detail::reads_over_https<get_pending_accepted_view> {};
inline constexpr get_pending_response_t get_pending_response{};

struct start_next_response_t : iotjobs::detail::reads_over_https<execution_accepted_view> {};
inline constexpr start_next_response_t start_next_response{};

struct update_response_t : iotjobs::detail::reads_over_https<update_accepted_view> {};
inline constexpr update_response_t update_response{};

/// StartCommandExecution's response.
struct start_command_response_t : iotjobs::detail::reads_over_https<start_command_execution_view> {
};
inline constexpr start_command_response_t start_command_response{};

}  // namespace https

// ---------------------------------------------------------------------------------------------
// Job documents (documents.hpp): a job_document_view's text, or any document's JSON text.

namespace documents {

/// A job document: its kind, and its schema's view. An object of no known kind is `unknown`, not
/// an error; a document of a known kind that breaks its schema's rules is an error.
struct job_document_t : iotjobs::detail::reads<document_view> {
  static error read(iotjobs::detail::walker& w, iotjobs::detail::od::object& root,
                    document_view& out) noexcept {
    return iotjobs::detail::read_document(w, root, out);
  }
};
inline constexpr job_document_t job_document{};

}  // namespace documents

// ---------------------------------------------------------------------------------------------
// Commands, device side (docs/wire-protocol.md §9).

namespace commands {

/// `$aws/commands/…/executions/E/response/accepted[/json]` (JSON only).
struct response_accepted_t : iotjobs::detail::reads<command_accepted_view> {};
inline constexpr response_accepted_t response_accepted{};

/// `$aws/commands/…/executions/E/response/rejected[/json]` (JSON only). `error` is required.
struct response_rejected_t : iotjobs::detail::reads<command_rejected_view> {};
inline constexpr response_rejected_t response_rejected{};

/// A command delivered to the device, on a request topic: its payload is the command's own
/// business (JSON, CBOR or anything else), handed back untouched with the format its topic names.
///
/// Lifetime: `payload` is the caller's.
struct command_view {
  std::string_view payload;
};

/// What a commands topic the device receives carries: the command, or the reply to its status
/// update.
using message_body = std::variant<command_view, command_accepted_view, command_rejected_view>;

/// A commands message decoded by its topic: `.topic`, `.body` and `.get_if<V>()`.
///
/// Lifetime: `topic` and a command_view's payload are the caller's; the replies follow the
/// lifetime rule.
using decoded_message = iotjobs::detail::decoded<topic_view, message_body>;

/// Decodes what arrives on a commands topic the device subscribes to: a request (the payload
/// kept as it is), or the accepted or rejected reply to a status update. A `response` topic is
/// the device's own publish: error::invalid_topic, as for a topic no API uses. A reply on a
/// `/cbor` topic is error::unsupported_format: iotjobs writes CBOR updates but reads only JSON.
inline result<decoded_message> decode(decoder& dec, std::string_view topic,
                                      std::string_view payload) noexcept {
  const auto t = parse_topic(topic);
  if (!t) return t.error();
  if (t->kind != topic_kind::request && t->format == payload_format::cbor)
    return error::unsupported_format;
  switch (t->kind) {
    case topic_kind::request: return decoded_message{*t, command_view{payload}};
    case topic_kind::response_accepted: {
      auto r = dec.decode(response_accepted, payload);
      if (!r) return r.error();
      return decoded_message{*t, *r};
    }
    case topic_kind::response_rejected: {
      auto r = dec.decode(response_rejected, payload);
      if (!r) return r.error();
      return decoded_message{*t, *r};
    }
    case topic_kind::response: break;
  }
  return error::invalid_topic;
}

}  // namespace commands

}  // namespace iotjobs

#endif  // IOTJOBS_MESSAGES_HPP
