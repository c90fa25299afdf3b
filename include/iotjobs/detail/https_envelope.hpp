// The HTTPS binding's error envelope, read with the decoder's JSON reader: the members of an
// error body, and the error name resolved from them and the `x-amzn-ErrorType` header as the AWS
// SDKs resolve it (docs/wire-protocol.md §6).
#ifndef IOTJOBS_DETAIL_HTTPS_ENVELOPE_HPP
#define IOTJOBS_DETAIL_HTTPS_ENVELOPE_HPP

#include <cstddef>
#include <optional>
#include <string_view>

#include "iotjobs/detail/jobs_schema.hpp"
#include "iotjobs/detail/json_reader.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/model.hpp"

namespace iotjobs::detail {

constexpr bool equals_ignoring_case(std::string_view a, std::string_view lower) noexcept {
  if (a.size() != lower.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char c = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (c != lower[i]) return false;
  }
  return true;
}

/// What an HTTPS error body says, before the error name is resolved from it.
struct service_error_fields {
  std::optional<std::string_view> code;  // the first `code` key in any letter case
  std::optional<std::string_view> type;  // `__type`
  std::optional<std::string_view> message;
  std::optional<std::string_view> capital_message;  // `Message`
  std::optional<std::string_view> resource_id;
  std::optional<std::string_view> payload;
  std::optional<job_execution_state_view> execution_state;
  std::optional<std::string_view> output_type;  // `Output.__type`
  std::optional<std::string_view> output_message;
};

// An error code is a string, or a number kept as its text.
inline error read_error_code(walker& w, od::value& v,
                             std::optional<std::string_view>& out) noexcept {
  od::json_type type;
  if (auto e = v.type().get(type)) return from_simdjson(e);
  if (type != od::json_type::number) return w.string(v, out);
  const std::string_view token = trim_right(v.raw_json_token());
  if (const error e = check_number(token, v); e != error::ok) return e;
  out = token;
  return error::ok;
}

// `{"Output":{"__type":"...#UnknownOperationException","message":null},"Version":"1.0"}`
inline error read_output(walker& w, od::value& v, service_error_fields& f) noexcept {
  static constexpr std::string_view names[] = {"__type", "message"};
  od::json_type type;
  if (auto e = v.type().get(type)) return from_simdjson(e);
  if (type != od::json_type::object) return w.validate(v, 1);  // not that shape: nothing of ours
  od::object obj;
  if (auto e = v.get_object().get(obj)) return from_simdjson(e);
  return w.members(obj, names, 2, 0, [&](int i, od::value& m) {
    return i == 0 ? w.string(m, f.output_type) : w.string(m, f.output_message);
  });
}

// The members of an HTTPS error body that name and describe the error (docs/wire-protocol.md
// §6.2): the first key spelled `code` in any letter case, `__type`, `message`/`Message`, the
// exceptions' members, and the `Output` object of the error AWS has been seen to send with a 200.
inline error read_service_error(walker& w, od::object& root, service_error_fields& f) noexcept {
  static constexpr std::string_view names[] = {"code",       "__type",  "message",        "Message",
                                               "resourceId", "payload", "executionState", "Output"};
  bool code_seen = false;
  const auto match = [&](std::string_view key) {
    if (equals_ignoring_case(key, "code")) {
      if (code_seen) return -1;  // the first one counts; the others are ordinary members
      code_seen = true;
      return 0;
    }
    return index_of(names, key);
  };
  return w.members_matching(root, names, match, 1, 0, [&](int i, od::value& v) {
    switch (i) {
      case 0: return read_error_code(w, v, f.code);
      case 1: return w.string(v, f.type);
      case 2: return w.string(v, f.message);
      case 3: return w.string(v, f.capital_message);
      case 4: return w.string(v, f.resource_id);
      case 5: return w.string(v, f.payload);
      case 6: return read_value(w, v, 1, f.execution_state);
      default: return read_output(w, v, f);
    }
  });
}

// The error a body and its `x-amzn-ErrorType` header (empty when absent) name: the header first,
// then the body's `code`, then `__type`, then `Output.__type` (the 2xx error shape, which sets
// `in_output`).
inline service_error_view resolve_service_error(std::string_view header,
                                                const service_error_fields& f, int status,
                                                bool& in_output) noexcept {
  service_error_view v;
  const std::optional<std::string_view> code = !header.empty() ? header
                                               : f.code        ? f.code
                                               : f.type        ? f.type
                                                               : f.output_type;
  in_output = header.empty() && !f.code && !f.type && f.output_type;
  v.name = code ? sanitize_error_code(*code) : std::string_view("Unknown");
  v.type = service_exception_from_name(v.name);
  v.http_status = status;
  v.fault = fault_of(v.type, status);
  v.message = f.message ? f.message : f.capital_message ? f.capital_message : f.output_message;
  v.resource_id = f.resource_id;
  v.payload = f.payload;
  v.execution_state = f.execution_state;
  return v;
}

}  // namespace iotjobs::detail

#endif  // IOTJOBS_DETAIL_HTTPS_ENVELOPE_HPP
