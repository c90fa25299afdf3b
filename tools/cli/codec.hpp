// The tool's work, apart from its command line (main.cpp): a request from the AWS API's input
// shape to its MQTT message or HTTPS request, and any Jobs or commands message to one line of
// JSON. On the library's public API, and four of its internals so as not to write them twice:
// the JSON writer (json_out.hpp), the number grammar, the UTF-8 check and base64 decoding.
#ifndef IOTJOBS_TOOLS_CLI_CODEC_HPP
#define IOTJOBS_TOOLS_CLI_CODEC_HPP

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <iotjobs/iotjobs.hpp>

namespace cli {

/// What went wrong, and the exit status for it: 1 for bad input (a message, a request's fields,
/// a file's content), 2 for a bad command line. Its text starts with the error's name exactly as
/// iotjobs::name() spells it, when an iotjobs::error says what went wrong.
struct failure {
  int status = 1;
  std::string text;
};

/// `error`'s name, then `detail` (or the error's own message).
failure bad_input(iotjobs::error error, const std::string& detail = {});
/// Bad input that no iotjobs::error names.
failure bad_input(const std::string& text);
failure bad_usage(const std::string& text);
/// The decoder's last failure: `error`'s name, the byte and the member, then its message.
failure decode_failure(iotjobs::error error, const iotjobs::decoder& dec);

/// One line of JSON (without its newline), or what stopped it.
using outcome = std::variant<std::string, failure>;

/// The operations, by the names of the AWS API (and of the AWS CLI).
inline constexpr const char* operations[] = {
    "describe-job-execution", "get-pending-job-executions", "start-next-pending-job-execution",
    "update-job-execution",   "start-command-execution",    "update-command-execution"};

/// What `encode` prints: one JSON object (topic and payload, or the HTTPS request), `TOPIC
/// PAYLOAD` on one line (what `mosquitto_sub -v` prints and `decode --stream` reads), or the topic
/// or the payload (the HTTPS body) alone.
enum class encode_format { json, line, topic, payload };

/// `input` is the operation's input as JSON, in the AWS API's shape (thingName, jobId, ...).
outcome encode(std::string_view operation, bool http, encode_format format, std::string_view input);

/// A message received on `topic` (a Jobs or commands topic): "kind" and the topic's names, then
/// the payload's members under their wire names.
outcome decode_mqtt(iotjobs::decoder& dec, std::string_view topic, std::string_view payload);

/// An HTTPS response of `operation`, in the AWS output shape (the job document a JSON string), or
/// {"error":{...}} for a service error, which is data and not a failure.
outcome decode_http(iotjobs::decoder& dec, std::string_view operation, int status,
                    std::string_view error_type, std::string_view body);

/// A job document's typed view (document_json.hpp): "kind", "template" for an AWS managed
/// template, then the view under the document's own member names; {"kind":"unknown"} for any
/// other object.
outcome decode_document(iotjobs::decoder& dec, std::string_view text);

}  // namespace cli

#endif  // IOTJOBS_TOOLS_CLI_CODEC_HPP
