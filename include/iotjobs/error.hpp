// iotjobs — the vocabulary of every call: error codes, result<T>, the caller storage encoders
// write into (mutable_buffer) and the messages they give back.
//
// Every fallible call in iotjobs returns result<T>: a value or an iotjobs::error. Nothing throws,
// nothing aborts on input. The numeric values of `error` are stable: new codes are only appended.
#ifndef IOTJOBS_ERROR_HPP
#define IOTJOBS_ERROR_HPP

#if !defined(_MSVC_LANG) && __cplusplus < 201703L
#error "iotjobs requires C++17 or later"
#elif defined(_MSVC_LANG) && _MSVC_LANG < 201703L
#error "iotjobs requires C++17 or later"
#endif

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#if __has_include(<span>) && __cplusplus >= 202002L
#include <span>
#endif

#include "iotjobs/version.hpp"

namespace iotjobs {

// [[nodiscard]]: a call that returns an error is never called only for its effect.
enum class [[nodiscard]] error : int{
    ok = 0,
    // Decoding: the payload is not the message it claims to be.
    invalid_json = 1,         // not RFC 8259 JSON: bad literal, bad escape, missing comma, ...
    invalid_utf8 = 2,         // a byte sequence that is not UTF-8
    trailing_content = 3,     // something after the top-level value
    nesting_too_deep = 4,     // arrays/objects nested deeper than max_nesting_depth
    payload_too_large = 5,    // above max_payload_size
    wrong_type = 6,           // a known member (or the root) has the wrong JSON type
    missing_field = 7,        // a required member is absent
    duplicate_field = 8,      // a known member appears twice in one object
    number_out_of_range = 9,  // an integer member outside int64, or any number beyond simdjson's
                              // limits (integers in [-2^63, 2^64), other numbers finite doubles)
    out_of_memory = 10,       // the decoder could not grow its buffers
    // Validation of values to encode.
    invalid_thing_name = 11, invalid_job_id = 12, invalid_client_token = 13,
    invalid_status_details_key = 14, invalid_status_details_value = 15, invalid_step_timeout = 16,
    invalid_string = 17,  // a string to encode is not valid UTF-8
    buffer_too_small = 18,
    // Topics.
    not_a_jobs_topic = 19,  // not under $aws/things/<thing>/jobs/ (or $aws/commands/)
    invalid_topic = 20,     // under the jobs prefix, but no API has this topic
    unsupported_namespace =
        21,  // a namespaced form no AWS client uses (…/jobs/J/notify-namespace-NS)
    // Commands (StartCommandExecution over HTTPS, and the device side over MQTT).
    invalid_target_arn = 22, invalid_command_arn = 23, invalid_command_parameter = 24,
    invalid_execution_timeout = 25, invalid_execution_id = 26, invalid_client_id = 27,
    invalid_status_reason = 28, invalid_command_result = 29,
    // Service side.
    invalid_update_status = 30,     // a status to send is not one a device may set
    invalid_execution_status = 31,  // a status to encode is unknown and has no text
    invalid_job_document = 32,      // a job document to encode is not a JSON object
    invalid_rejection_code = 33,    // a rejection code to encode is unknown and has no text
    // Misuse.
    valueless_result = 34,  // a result<T> was made from error::ok, which holds no value
    unsupported_field =
        35,  // a field is set that the binding cannot carry (clientToken over HTTPS)
    // Validation of values to encode, continued.
    duplicate_key = 36,         // a map to encode names one key twice (statusDetails, command
                                // parameters, command results): the service would keep only one
    unsupported_format = 37,    // a payload in a format iotjobs does not decode (a CBOR reply)
    invalid_namespace_id = 38,  // not 1-64 of [a-zA-Z0-9_-], or its topic passes 256 bytes
    // Misuse, continued.
    no_running_job = 39,  // a job runner was given a report with no job to report on
    invalid_timing = 40,  // a job runner's timeout or delay is outside 1 ms to 7 days
    // Job documents (documents.hpp).
    invalid_action_type = 41,    // an action's type is neither runHandler nor runCommand
    invalid_command = 42,        // a runCommand's command splits into nothing, or its program is
                                 // empty or holds white space
    invalid_protocol = 43,       // afr_ota protocols: not 1-2 of MQTT and HTTP, each once
    invalid_stream_name = 44,    // afr_ota streamname: not 1-128 of [a-zA-Z0-9_-]
    invalid_signature = 45,      // an OTA file's signature: not base64 of 1 to 384 bytes
    invalid_presigned_url = 46,  // no valid X-Amz-Date and X-Amz-Expires in the URL's query
};

/// Number of error values, `ok` included; message() has one entry for each.
inline constexpr int error_count = 47;

/// A fixed English sentence for each error; never empty, "unknown error" for values outside the
/// enum.
[[nodiscard]] constexpr std::string_view message(error e) noexcept {
  switch (e) {
    case error::ok: return "no error";
    case error::invalid_json: return "the payload is not valid JSON";
    case error::invalid_utf8: return "the payload is not valid UTF-8";
    case error::trailing_content: return "content follows the JSON value";
    case error::nesting_too_deep: return "arrays or objects are nested too deeply";
    case error::payload_too_large: return "the payload exceeds the maximum size";
    case error::wrong_type: return "a member has the wrong JSON type";
    case error::missing_field: return "a required member is missing";
    case error::duplicate_field: return "a member appears twice in one object";
    case error::number_out_of_range: return "a number is out of range";
    case error::out_of_memory: return "memory allocation failed";
    case error::invalid_thing_name: return "invalid thing name (1-128 of [a-zA-Z0-9:_-])";
    case error::invalid_job_id:
      return "invalid job id (1-64 of [a-zA-Z0-9_-], or $next where allowed)";
    case error::invalid_client_token: return "invalid client token (1-64 bytes of UTF-8)";
    case error::invalid_status_details_key:
      return "invalid statusDetails key (1-128 of [a-zA-Z0-9:_-])";
    case error::invalid_status_details_value:
      return "invalid statusDetails value (1-1024 code points, no Unicode category C)";
    case error::invalid_step_timeout:
      return "invalid stepTimeoutInMinutes (1-10080, or -1 on update)";
    case error::invalid_string: return "a string to encode is not valid UTF-8";
    case error::buffer_too_small: return "the output buffer is too small";
    case error::not_a_jobs_topic: return "not an AWS IoT Jobs (or commands) topic";
    case error::invalid_topic: return "no AWS IoT Jobs API uses this topic";
    case error::unsupported_namespace:
      return "a namespaced jobs topic of a form no AWS client uses (…/jobs/J/notify-namespace-NS)";
    case error::invalid_target_arn: return "invalid targetArn (1-2048 bytes of UTF-8)";
    case error::invalid_command_arn: return "invalid commandArn (1 or more bytes of UTF-8)";
    case error::invalid_command_parameter:
      return "invalid command parameter (name 1-192 of [.$a-zA-Z0-9_-], or a bad value)";
    case error::invalid_execution_timeout: return "invalid executionTimeoutSeconds (1 or more)";
    case error::invalid_execution_id: return "invalid execution id (1-64 of [a-zA-Z0-9_-])";
    case error::invalid_client_id: return "invalid MQTT client id (1-128 bytes, no / + #)";
    case error::invalid_status_reason:
      return "invalid statusReason (reasonCode 1-64 of [A-Z0-9_-], description up to 1024 code "
             "points, no Unicode category C)";
    case error::invalid_command_result:
      return "invalid command result (name 1-32 of [a-zA-Z0-9_-]; s and bin not empty)";
    case error::invalid_update_status:
      return "status is not one a device may set (IN_PROGRESS, SUCCEEDED, FAILED, REJECTED; for "
             "a command also TIMED_OUT)";
    case error::invalid_execution_status: return "a job execution status to encode has no text";
    case error::invalid_job_document:
      return "a job document to encode is not a JSON object (or is nested too deeply)";
    case error::invalid_rejection_code: return "a rejection code to encode has no text";
    case error::valueless_result: return "a result was made from error::ok, which holds no value";
    case error::unsupported_field: return "a field is set that this binding cannot carry";
    case error::duplicate_key:
      return "a map to encode names the same key twice (statusDetails, command parameters or "
             "results)";
    case error::unsupported_format:
      return "the payload is in a format iotjobs does not decode (CBOR)";
    case error::invalid_namespace_id:
      return "invalid namespace id (1-64 of [a-zA-Z0-9_-], its topic within 256 bytes)";
    case error::no_running_job: return "no job is running, or its final report was already given";
    case error::invalid_timing:
      return "a runner's timeout or delay is outside 1 ms to 7 days (the empty-$next delay may be "
             "0; the first retry delay at most the longest)";
    case error::invalid_action_type:
      return "a job document's action type is neither runHandler nor runCommand";
    case error::invalid_command:
      return "a runCommand's command splits into no argument, or its program is empty or holds "
             "white space";
    case error::invalid_protocol:
      return "afr_ota protocols must list MQTT and/or HTTP, each at most once";
    case error::invalid_stream_name: return "invalid afr_ota streamname (1-128 of [a-zA-Z0-9_-])";
    case error::invalid_signature: return "an OTA file's signature is not base64 of 1 to 384 bytes";
    case error::invalid_presigned_url:
      return "not a presigned URL with a valid X-Amz-Date and X-Amz-Expires";
  }
  return "unknown error";
}

/// The enumerator's name, e.g. "invalid_json", for logs and tools; empty for values outside the
/// enum.
[[nodiscard]] constexpr std::string_view name(error e) noexcept {
  switch (e) {
    case error::ok: return "ok";
    case error::invalid_json: return "invalid_json";
    case error::invalid_utf8: return "invalid_utf8";
    case error::trailing_content: return "trailing_content";
    case error::nesting_too_deep: return "nesting_too_deep";
    case error::payload_too_large: return "payload_too_large";
    case error::wrong_type: return "wrong_type";
    case error::missing_field: return "missing_field";
    case error::duplicate_field: return "duplicate_field";
    case error::number_out_of_range: return "number_out_of_range";
    case error::out_of_memory: return "out_of_memory";
    case error::invalid_thing_name: return "invalid_thing_name";
    case error::invalid_job_id: return "invalid_job_id";
    case error::invalid_client_token: return "invalid_client_token";
    case error::invalid_status_details_key: return "invalid_status_details_key";
    case error::invalid_status_details_value: return "invalid_status_details_value";
    case error::invalid_step_timeout: return "invalid_step_timeout";
    case error::invalid_string: return "invalid_string";
    case error::buffer_too_small: return "buffer_too_small";
    case error::not_a_jobs_topic: return "not_a_jobs_topic";
    case error::invalid_topic: return "invalid_topic";
    case error::unsupported_namespace: return "unsupported_namespace";
    case error::invalid_target_arn: return "invalid_target_arn";
    case error::invalid_command_arn: return "invalid_command_arn";
    case error::invalid_command_parameter: return "invalid_command_parameter";
    case error::invalid_execution_timeout: return "invalid_execution_timeout";
    case error::invalid_execution_id: return "invalid_execution_id";
    case error::invalid_client_id: return "invalid_client_id";
    case error::invalid_status_reason: return "invalid_status_reason";
    case error::invalid_command_result: return "invalid_command_result";
    case error::invalid_update_status: return "invalid_update_status";
    case error::invalid_execution_status: return "invalid_execution_status";
    case error::invalid_job_document: return "invalid_job_document";
    case error::invalid_rejection_code: return "invalid_rejection_code";
    case error::valueless_result: return "valueless_result";
    case error::unsupported_field: return "unsupported_field";
    case error::duplicate_key: return "duplicate_key";
    case error::unsupported_format: return "unsupported_format";
    case error::invalid_namespace_id: return "invalid_namespace_id";
    case error::no_running_job: return "no_running_job";
    case error::invalid_timing: return "invalid_timing";
    case error::invalid_action_type: return "invalid_action_type";
    case error::invalid_command: return "invalid_command";
    case error::invalid_protocol: return "invalid_protocol";
    case error::invalid_stream_name: return "invalid_stream_name";
    case error::invalid_signature: return "invalid_signature";
    case error::invalid_presigned_url: return "invalid_presigned_url";
  }
  return {};
}

/// The value of a fallible call, or the error that stopped it: never both, never neither. Made
/// from error::ok it is a failure, error::valueless_result, so that `return error::ok;` from a
/// function that owes a value cannot pass for a success.
///
/// On error::buffer_too_small from an encoder, required_size() tells how many bytes the buffer
/// that was too small needs (an encoder with two outputs checks the topic buffer first).
template <class T>
class [[nodiscard]] result {
 public:
  constexpr result(T value) noexcept : value_(std::move(value)) {}  // NOLINT: implicit by design
  /// A value made where it will stay, from `args` (as std::optional's in-place constructor).
  template <class... Args>
  constexpr explicit result(std::in_place_t, Args&&... args) noexcept
      : value_(std::in_place, std::forward<Args>(args)...) {}
  constexpr result(iotjobs::error e) noexcept  // NOLINT: implicit by design
      : error_(e == iotjobs::error::ok ? iotjobs::error::valueless_result : e) {}
  constexpr result(iotjobs::error e, std::size_t required) noexcept : result(e) {
    required_ = required;
  }

  constexpr bool has_value() const noexcept { return value_.has_value(); }
  constexpr explicit operator bool() const noexcept { return has_value(); }
  /// error::ok exactly when has_value().
  constexpr iotjobs::error error() const noexcept { return error_; }
  /// The bytes the output would need; meaningful only with error::buffer_too_small.
  constexpr std::size_t required_size() const noexcept { return required_; }

  // Precondition: has_value().
  constexpr const T& operator*() const& noexcept { return *value_; }
  constexpr T& operator*() & noexcept { return *value_; }
  constexpr T&& operator*() && noexcept { return std::move(*value_); }
  constexpr const T* operator->() const noexcept { return &*value_; }
  constexpr T* operator->() noexcept { return &*value_; }
  /// The value, or `fallback` on error (as std::optional and std::expected spell it).
  template <class U>
  constexpr T value_or(U&& fallback) const& {
    return value_ ? *value_ : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::optional<T> value_;
  iotjobs::error error_ = iotjobs::error::ok;
  std::size_t required_ = 0;
};

/// Caller storage that an encoder or topic builder writes into: a pointer and a size. Made
/// implicitly from a char array, from an lvalue container of char with data() and size()
/// (std::array, std::string and std::vector: its size(), not its capacity, is the room), and in
/// C++20 from a std::span<char>. Nothing is written beyond `size` bytes.
struct mutable_buffer {
  char* data = nullptr;
  std::size_t size = 0;

  constexpr mutable_buffer(char* d, std::size_t n) noexcept : data(d), size(n) {}
  template <std::size_t N>
  constexpr mutable_buffer(char (&array)[N]) noexcept  // NOLINT: implicit by design
      : data(array), size(N) {}
  // Only lvalues: what is written into a temporary std::string is gone with it.
  template <
      class Container,
      class = std::enable_if_t<std::is_same_v<decltype(std::declval<Container&>().data()), char*>>,
      class = decltype(std::declval<Container&>().size())>
  constexpr mutable_buffer(Container& c) noexcept  // NOLINT: implicit by design
      : data(c.data()), size(c.size()) {}
#if defined(__cpp_lib_span)
  template <std::size_t Extent>
  constexpr mutable_buffer(std::span<char, Extent> s) noexcept  // NOLINT: implicit by design
      : data(s.data()), size(s.size()) {}
#endif
};

/// A message ready to publish, as encode_to_n() writes it into caller buffers: the topic (a NUL
/// follows it in its buffer) and the payload.
///
/// Lifetime: the string_views point into the buffers given to encode_to_n().
struct message_view {
  std::string_view topic;
  std::string_view payload;
};

/// What encoded_size() says a message needs: `topic` counts the NUL after the topic, `payload`
/// the payload's bytes.
struct message_size {
  std::size_t topic = 0;
  std::size_t payload = 0;
};

/// A message ready to publish that owns its text, as the allocating encode() returns it (for
/// tools and tests: the steady-state path is encode_to_n() into caller buffers).
struct encoded_message {
  std::string topic;
  std::string payload;
};

}  // namespace iotjobs

#endif  // IOTJOBS_ERROR_HPP
