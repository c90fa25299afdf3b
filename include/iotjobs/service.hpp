// iotjobs — the service side of the MQTT binding: the payloads the Jobs service publishes to a
// device (docs/wire-protocol.md §8.3–§8.5), encoded from the same views the device-side decoders
// hand out, for a local emulator, a test double or a gateway. Together with the request decoders of
// decoder.hpp (mqtt::decode, or the decoder's request tags of messages.hpp) this is everything a
// service needs to speak the device Jobs API. Plain C++17: no JSON parser is needed to encode.
//
// The encoders are the family of detail/encoding.hpp, as for the requests (mqtt.hpp):
// service::encode_to_n(buf, response), encode_to(out, response), encoded_size(response) and the
// allocating encode(response). `response` is a get_pending_accepted_view, execution_accepted_view
// (start-next and describe accepted), update_accepted_view, rejected_view, notify_view or
// notify_next_view. The topic comes from mqtt::build_topic.
//
// What is checked before the first byte is written, so that what is sent is what a device's
// decoder accepts and reads back as given: job ids and thing names (validate.hpp), client tokens,
// statusDetails, every string UTF-8, job documents a JSON object nested no deeper than the
// device's decoder allows where they sit, and a status (or rejection code) for every execution,
// state, group and rejection: a known one, or for `unknown` its non-empty `status_text`
// (`code_text`), which is sent as it is. No status group appears twice in a notify.
#ifndef IOTJOBS_SERVICE_HPP
#define IOTJOBS_SERVICE_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "iotjobs/detail/encoding.hpp"
#include "iotjobs/detail/json_text.hpp"
#include "iotjobs/detail/json_writer.hpp"
#include "iotjobs/detail/request_body.hpp"
#include "iotjobs/detail/schema_writer.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/model.hpp"
#include "iotjobs/validate.hpp"

namespace iotjobs::service {

namespace detail {

using iotjobs::detail::check_client_token;
using iotjobs::detail::is_valid_utf8;

using iotjobs::detail::coded_text;

constexpr error check_status(job_execution_status s, std::string_view text) noexcept {
  const std::string_view wire = coded_text(s, text);
  return !wire.empty() && is_valid_utf8(wire) ? error::ok : error::invalid_execution_status;
}

// `around` is the number of objects that enclose the document in the payload.
inline bool fits(std::string_view job_document, std::size_t around) noexcept {
  return iotjobs::detail::json_text_checker::is_object(job_document, max_nesting_depth - around);
}

inline error check_job_document(const std::optional<job_document_view>& doc,
                                std::size_t around) noexcept {
  return !doc || fits(doc->json(), around) ? error::ok : error::invalid_job_document;
}

inline error check(const job_execution_summary_view& s) noexcept {
  return is_valid_job_id(s.job_id) ? error::ok : error::invalid_job_id;
}

template <class T>
error check_each(list_view<T> items) noexcept {
  for (const T& item : items) {
    if (const error e = check(item); e != error::ok) return e;
  }
  return error::ok;
}

// An execution sits two objects deep (the payload, `execution`).
inline error check(const job_execution_view& x) noexcept {
  if (!is_valid_job_id(x.job_id)) return error::invalid_job_id;
  if (const error e = check_status(x.status, x.status_text); e != error::ok) return e;
  if (x.thing_name && !is_valid_thing_name(*x.thing_name)) return error::invalid_thing_name;
  if (const error e = iotjobs::detail::check_status_details(x.status_details); e != error::ok)
    return e;
  return check_job_document(x.job_document, 2);
}

inline error check(const job_execution_state_view& s) noexcept {
  if (const error e = check_status(s.status, s.status_text); e != error::ok) return e;
  return iotjobs::detail::check_status_details(s.status_details);
}

template <class T>
error check_optional(const std::optional<T>& item) noexcept {
  return item ? check(*item) : error::ok;
}

inline error check(const get_pending_accepted_view& r) noexcept {
  if (const error e = check_each(r.in_progress_jobs); e != error::ok) return e;
  if (const error e = check_each(r.queued_jobs); e != error::ok) return e;
  return check_client_token(r.client_token);
}

inline error check(const execution_accepted_view& r) noexcept {
  if (const error e = check_optional(r.execution); e != error::ok) return e;
  return check_client_token(r.client_token);
}

inline error check(const update_accepted_view& r) noexcept {
  if (const error e = check_optional(r.execution_state); e != error::ok) return e;
  if (const error e = check_job_document(r.job_document, 1); e != error::ok) return e;
  return check_client_token(r.client_token);
}

inline error check(const rejected_view& r) noexcept {
  const std::string_view code = coded_text(r.code, r.code_text);
  if (code.empty() || !is_valid_utf8(code)) return error::invalid_rejection_code;
  if (r.message && !is_valid_utf8(*r.message)) return error::invalid_string;
  if (const error e = check_client_token(r.client_token); e != error::ok) return e;
  return check_optional(r.execution_state);
}

inline error check(const notify_view& r) noexcept {
  for (std::size_t i = 0; i < r.jobs.size(); ++i) {
    const job_group_view& g = r.jobs[i];
    if (const error e = check_status(g.status, g.status_text); e != error::ok) return e;
    for (std::size_t j = 0; j < i; ++j) {
      if (coded_text(r.jobs[j].status, r.jobs[j].status_text) ==
          coded_text(g.status, g.status_text))
        return error::duplicate_field;
    }
    if (const error e = check_each(g.jobs); e != error::ok) return e;
  }
  return error::ok;
}

inline error check(const notify_next_view& r) noexcept {
  return check_optional(r.execution);
}

template <class R>
struct is_response : std::false_type {};
template <>
struct is_response<get_pending_accepted_view> : std::true_type {};
template <>
struct is_response<execution_accepted_view> : std::true_type {};
template <>
struct is_response<update_accepted_view> : std::true_type {};
template <>
struct is_response<rejected_view> : std::true_type {};
template <>
struct is_response<notify_view> : std::true_type {};
template <>
struct is_response<notify_next_view> : std::true_type {};

struct binding {
  template <class R>
  static error check(const R& r) noexcept {
    static_assert(is_response<R>::value,
                  "the iotjobs::service encoders take a get_pending_accepted_view, "
                  "execution_accepted_view, update_accepted_view, rejected_view, notify_view or "
                  "notify_next_view");
    if constexpr (is_response<R>::value) {
      return detail::check(r);
    } else {
      return error::invalid_topic;
    }
  }
  template <class Sink, class R>
  static void payload(Sink& sink, const R& r) {
    iotjobs::detail::write_object(sink, r);
  }
};

}  // namespace detail

/// Whether `json` is a job document the encoders send wherever it goes (an execution or an
/// update's reply): a JSON object that a device's decoder reads, nested at most
/// max_nesting_depth - 2 deep.
[[nodiscard]] inline bool is_valid_job_document(std::string_view json) noexcept {
  return detail::fits(json, 2);
}

/// Whether the service encoders take a T.
template <class T>
inline constexpr bool is_response_v = detail::is_response<T>::value;

/// Checks every field of a response or event as the encoders do: error::ok, or their error.
template <class Response>
constexpr error check(const Response& response) noexcept {
  return detail::binding::check(response);
}

/// Encodes a response or event payload into a caller buffer; too small ->
/// error::buffer_too_small with required_size().
template <class Response>
result<std::string_view> encode_to_n(mutable_buffer out, const Response& response) noexcept {
  return iotjobs::detail::encode_payload_to_n<detail::binding>(out, response);
}

/// Encodes a response or event payload to an output iterator of char; returns the iterator past
/// the last byte.
template <class OutputIt, class Response>
result<OutputIt> encode_to(OutputIt out, const Response& response) {
  return iotjobs::detail::encode_payload_to<detail::binding>(out, response);
}

/// The size encode_to_n() needs for `response`, or the validation error it would give.
template <class Response>
result<std::size_t> encoded_size(const Response& response) noexcept {
  return iotjobs::detail::encoded_payload_size<detail::binding>(response);
}

/// The payload as a string: the one allocating form.
template <class Response>
result<std::string> encode(const Response& response) {
  return iotjobs::detail::encode_payload<detail::binding>(response);
}

}  // namespace iotjobs::service

#endif  // IOTJOBS_SERVICE_HPP
