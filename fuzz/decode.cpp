// Every decoder: nothing read outside the payload, nothing accepted that is not JSON, every strict
// prefix of an accepted payload refused (fuzz.hpp, check_decoder). What a device decodes from
// the Jobs service, the service encoders write back, and that reads back the same; a job
// document's view, its writer in documents.cpp.
#include <iotjobs/messages.hpp>
#include <iotjobs/service.hpp>

#include <iterator>
#include <string>
#include <type_traits>

#include "fuzz.hpp"
#include "targets.hpp"

namespace iotjobs_fuzz {

iotjobs::decoder& shared_decoder() {
  static iotjobs::decoder d;  // reused, as an application would: stale state must not leak
  return d;
}

namespace {

using sv = std::string_view;

std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

template <class Decode>
void mqtt(const std::uint8_t* data, std::size_t size, Decode decode) {
  check_decoder(as_text(data, size), false,
                [&](std::string_view p) { return static_cast<bool>(decode(shared_decoder(), p)); });
  // Read where it lies (the padded_string_view overload): the verdict of the copy.
  const simdjson::padded_string padded(as_text(data, size));
  IOTJOBS_FUZZ_CHECK(
      static_cast<bool>(decode(shared_decoder(), as_text(data, size))) ==
      static_cast<bool>(decode(shared_decoder(), simdjson::padded_string_view(padded))));
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
  if (!iotjobs::service::encode_to(std::back_inserter(once), *view)) return;
  const auto again = decode(second, once);
  IOTJOBS_FUZZ_CHECK(again);
  IOTJOBS_FUZZ_CHECK(iotjobs::service::encode_to(std::back_inserter(twice), *again));
  IOTJOBS_FUZZ_CHECK(once == twice);
  // The same views when read where it lies.
  const simdjson::padded_string padded(as_text(data, size));
  const auto in_place = decode(second, simdjson::padded_string_view(padded));
  IOTJOBS_FUZZ_CHECK(in_place);
  std::string from_padded;
  IOTJOBS_FUZZ_CHECK(iotjobs::service::encode_to(std::back_inserter(from_padded), *in_place));
  IOTJOBS_FUZZ_CHECK(from_padded == once);
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

// The input of each kind of message, and the properties it has.
template <class Tag>
void decode_as(const std::uint8_t* data, std::size_t size) {
  const auto decode = [](iotjobs::decoder& dec, auto&&... input) {
    return dec.decode(Tag{}, input...);
  };
  if constexpr (Tag::over_https) {
    https(data, size, [&](iotjobs::decoder& dec, int status, sv type, sv body) {
      return decode(dec, iotjobs::https::raw_response{status, type, body});
    });
  } else if constexpr (Tag::blank_is_empty_object) {
    request(data, size, decode);
  } else if constexpr (iotjobs::service::is_response_v<typename Tag::view>) {
    jobs_mqtt(data, size, decode);
  } else if constexpr (std::is_same_v<typename Tag::view, iotjobs::documents::document_view>) {
    check_document(as_text(data, size));
  } else {
    mqtt(data, size, decode);
  }
}

}  // namespace

template <class Tag>
void decode(const std::uint8_t* data, std::size_t size) {
  decode_as<Tag>(data, size);
}

// One instantiation per tag of messages.hpp, as fuzz/meson.build reads them from there.
#define IOTJOBS_FUZZ_TAG(binding, tag) \
  template void decode<iotjobs::binding::tag##_t>(const std::uint8_t*, std::size_t);
#include "decode_tags.hpp"
#undef IOTJOBS_FUZZ_TAG

}  // namespace iotjobs_fuzz
