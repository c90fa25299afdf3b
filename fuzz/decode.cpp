// Every decoder: nothing read outside the payload, nothing accepted that is not JSON, every strict
// prefix of an accepted payload refused (fuzz.hpp, check_decoder). What a device decodes from
// the Jobs service, the service encoders write back, and that reads back the same.
#include <iotjobs/decoder.hpp>
#include <iotjobs/service.hpp>

#include <iterator>
#include <string>

#include "fuzz.hpp"
#include "targets.hpp"

namespace iotjobs_fuzz {
namespace {

iotjobs::decoder& shared_decoder() {
  static iotjobs::decoder d;  // reused, as an application would: stale state must not leak
  return d;
}

std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

template <class Decode>
void mqtt(const std::uint8_t* data, std::size_t size, Decode decode) {
  check_decoder(as_text(data, size), false,
                [&](std::string_view p) { return static_cast<bool>(decode(shared_decoder(), p)); });
}

// A payload the Jobs service sends: decoded, encoded by the service encoders (when its fields
// are ones they may send: they refuse, say, an invalid job id that the decoder hands back as it
// is), decoded again and encoded again gives the same bytes. Every field is written, so equal
// bytes mean equal views.
template <class Decode>
void jobs_mqtt(const std::uint8_t* data, std::size_t size, Decode decode) {
  mqtt(data, size, decode);
  static iotjobs::decoder first, second;
  const auto view = decode(first, as_text(data, size));
  if (!view) return;
  std::string once, twice;
  if (!iotjobs::service::encode_payload_to(*view, std::back_inserter(once))) return;
  const auto again = decode(second, once);
  IOTJOBS_FUZZ_CHECK(again);
  IOTJOBS_FUZZ_CHECK(iotjobs::service::encode_payload_to(*again, std::back_inserter(twice)));
  IOTJOBS_FUZZ_CHECK(once == twice);
}

// Service side: a blank request payload is `{}`.
template <class Decode>
void request(const std::uint8_t* data, std::size_t size, Decode decode) {
  check_decoder(as_text(data, size), true,
                [&](std::string_view p) { return static_cast<bool>(decode(shared_decoder(), p)); });
}

// An HTTPS response: `STATUS ERROR-TYPE\nBODY` (three digits, then the x-amzn-ErrorType header,
// possibly empty, to the end of the line), or else a bare body with status 200, so that the golden
// bodies serve as seeds as they are. A blank body is legal (it decodes as `{}`), hence `true`.
template <class Decode>
void https(const std::uint8_t* data, std::size_t size, Decode decode) {
  const std::string_view input = as_text(data, size);
  int status = 200;
  std::string_view error_type, body = input;
  const auto digit = [&](std::size_t i) { return input[i] >= '0' && input[i] <= '9'; };
  if (input.size() >= 4 && digit(0) && digit(1) && digit(2) &&
      (input[3] == ' ' || input[3] == '\n')) {
    status = (input[0] - '0') * 100 + (input[1] - '0') * 10 + (input[2] - '0');
    const std::size_t newline = input.find('\n');
    const std::string_view head = input.substr(0, newline);
    error_type = head.size() > 4 ? head.substr(4) : std::string_view();
    body = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  }
  check_decoder(body, true, [&](std::string_view b) {
    return static_cast<bool>(decode(shared_decoder(), status, error_type, b));
  });
}

}  // namespace

using iotjobs::decoder;
using sv = std::string_view;

void decode_get_pending_accepted(const std::uint8_t* d, std::size_t n) {
  jobs_mqtt(d, n, [](decoder& x, sv p) { return x.decode_get_pending_accepted(p); });
}
void decode_start_next_accepted(const std::uint8_t* d, std::size_t n) {
  jobs_mqtt(d, n, [](decoder& x, sv p) { return x.decode_start_next_accepted(p); });
}
void decode_describe_accepted(const std::uint8_t* d, std::size_t n) {
  jobs_mqtt(d, n, [](decoder& x, sv p) { return x.decode_describe_accepted(p); });
}
void decode_update_accepted(const std::uint8_t* d, std::size_t n) {
  jobs_mqtt(d, n, [](decoder& x, sv p) { return x.decode_update_accepted(p); });
}
void decode_rejected(const std::uint8_t* d, std::size_t n) {
  jobs_mqtt(d, n, [](decoder& x, sv p) { return x.decode_rejected(p); });
}
void decode_notify(const std::uint8_t* d, std::size_t n) {
  jobs_mqtt(d, n, [](decoder& x, sv p) { return x.decode_notify(p); });
}
void decode_notify_next(const std::uint8_t* d, std::size_t n) {
  jobs_mqtt(d, n, [](decoder& x, sv p) { return x.decode_notify_next(p); });
}
void decode_command_accepted(const std::uint8_t* d, std::size_t n) {
  mqtt(d, n, [](decoder& x, sv p) { return x.decode_command_accepted(p); });
}
void decode_command_rejected(const std::uint8_t* d, std::size_t n) {
  mqtt(d, n, [](decoder& x, sv p) { return x.decode_command_rejected(p); });
}

void decode_get_pending_request(const std::uint8_t* d, std::size_t n) {
  request(d, n, [](decoder& x, sv p) { return x.decode_get_pending_request(p); });
}
void decode_start_next_request(const std::uint8_t* d, std::size_t n) {
  request(d, n, [](decoder& x, sv p) { return x.decode_start_next_request(p); });
}
void decode_describe_request(const std::uint8_t* d, std::size_t n) {
  request(d, n, [](decoder& x, sv p) { return x.decode_describe_request(p); });
}
void decode_update_request(const std::uint8_t* d, std::size_t n) {
  request(d, n, [](decoder& x, sv p) { return x.decode_update_request(p); });
}

void decode_describe_response(const std::uint8_t* d, std::size_t n) {
  https(d, n, [](decoder& x, int s, sv t, sv b) { return x.decode_describe_response(s, t, b); });
}
void decode_get_pending_response(const std::uint8_t* d, std::size_t n) {
  https(d, n, [](decoder& x, int s, sv t, sv b) { return x.decode_get_pending_response(s, t, b); });
}
void decode_start_next_response(const std::uint8_t* d, std::size_t n) {
  https(d, n, [](decoder& x, int s, sv t, sv b) { return x.decode_start_next_response(s, t, b); });
}
void decode_update_response(const std::uint8_t* d, std::size_t n) {
  https(d, n, [](decoder& x, int s, sv t, sv b) { return x.decode_update_response(s, t, b); });
}
void decode_start_command_execution_response(const std::uint8_t* d, std::size_t n) {
  https(d, n, [](decoder& x, int s, sv t, sv b) {
    return x.decode_start_command_execution_response(s, t, b);
  });
}

}  // namespace iotjobs_fuzz
