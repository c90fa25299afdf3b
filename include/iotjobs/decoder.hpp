// iotjobs — decoding of every MQTT payload the device receives from the Jobs service (spec §8.3–
// §8.5), on simdjson On-Demand. This is the only iotjobs header that includes <simdjson.h>.
//
// Strict: an accepted payload is RFC 8259 JSON in full, the job document and every skipped member
// included; content after the top-level object is an error; required members are checked; a known
// member given twice is an error; unknown members are ignored; integers are exact int64; unknown
// status and code strings decode to `unknown` with their raw text. A known optional member whose
// value is `null` counts as absent, as the AWS SDKs treat it.
#ifndef IOTJOBS_DECODER_HPP
#define IOTJOBS_DECODER_HPP

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>

#include "iotjobs/detail/json_text.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/https.hpp"
#include "iotjobs/model.hpp"
#include "iotjobs/mqtt.hpp"

namespace iotjobs {

namespace detail {

namespace od = simdjson::ondemand;

constexpr error from_simdjson(simdjson::error_code e) noexcept {
  switch (e) {
    case simdjson::SUCCESS: return error::ok;
    case simdjson::UTF8_ERROR: return error::invalid_utf8;
    case simdjson::DEPTH_ERROR: return error::nesting_too_deep;
    case simdjson::MEMALLOC: return error::out_of_memory;
    default: return error::invalid_json;
  }
}

/// Bump storage for the decoded lists. Lists grow from the bottom; notify's group records,
/// built while their own lists grow, come from the top. Sized from the payload so that it can
/// never run out (see decoder::arena_bytes).
class arena {
 public:
  void reset(unsigned char* base, std::size_t size) noexcept {
    base_ = base;
    bottom_ = 0;
    top_ = size;
  }
  template <class T>
  T* push_bottom() noexcept {
    const std::size_t at = (bottom_ + alignof(T) - 1) & ~(alignof(T) - 1);
    if (at > top_ || top_ - at < sizeof(T)) return nullptr;
    bottom_ = at + sizeof(T);
    return new (base_ + at) T{};
  }
  template <class T>
  T* push_top() noexcept {
    if (top_ < sizeof(T)) return nullptr;
    const std::size_t at = (top_ - sizeof(T)) & ~(alignof(T) - 1);
    if (at < bottom_) return nullptr;
    top_ = at;
    return new (base_ + at) T{};
  }

 private:
  unsigned char* base_ = nullptr;
  std::size_t bottom_ = 0;
  std::size_t top_ = 0;
};

// Whether n bytes at a and b are equal. Member names are short (the longest known one has 32
// bytes): compared inline, as overlapping 8- or 4-byte words, rather than by a call to memcmp.
inline bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
  const auto word = [](const char* p, auto w) {
    std::memcpy(&w, p, sizeof w);
    return w;
  };
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (word(a + i, std::uint64_t{}) != word(b + i, std::uint64_t{})) return false;
    }
    return word(a + n - 8, std::uint64_t{}) == word(b + n - 8, std::uint64_t{});
  }
  if (n >= 4) {
    return word(a, std::uint32_t{}) == word(b, std::uint32_t{}) &&
           word(a + n - 4, std::uint32_t{}) == word(b + n - 4, std::uint32_t{});
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

template <std::size_t N>
int index_of(const std::string_view (&names)[N], std::string_view key) noexcept {
  for (std::size_t i = 0; i < N; ++i) {
    // Size and first byte first: most candidates fail there.
    if (names[i].size() == key.size() && names[i][0] == key[0] &&
        same_bytes(names[i].data(), key.data(), key.size()))
      return static_cast<int>(i);
  }
  return -1;
}

/// Calls fn(key, value) for each member of `obj`. Unescaping the key validates it.
template <class Fn>
error each_member(od::object& obj, Fn&& fn) noexcept {
  for (auto member : obj) {
    if (member.error()) return from_simdjson(member.error());
    od::field& f = member.value_unsafe();
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) return from_simdjson(e);
    if (const error e = fn(key, f.value()); e != error::ok) return e;
  }
  return error::ok;
}

/// Calls fn(value) for each element of `arr`.
template <class Fn>
error each_element(od::array& arr, Fn&& fn) noexcept {
  for (auto element : arr) {
    if (element.error()) return from_simdjson(element.error());
    if (const error e = fn(element.value_unsafe()); e != error::ok) return e;
  }
  return error::ok;
}

/// Checks a number token against the grammar and the range we accept: RFC 8259 lets an
/// implementation limit the range of numbers, and ours are simdjson's: an integer within
/// [-2^63, 2^64), any other number a finite double. `v` is the value or document it belongs to.
template <class Value>
error check_number(std::string_view token, Value& v) noexcept {
  switch (classify_number(trim_right(token))) {
    case number_syntax::invalid: return error::invalid_json;
    case number_syntax::integer: {
      std::int64_t i;
      std::uint64_t u;
      return !v.get_int64().get(i) || !v.get_uint64().get(u) ? error::ok
                                                             : error::number_out_of_range;
    }
    case number_syntax::other: {
      double d;
      return v.get_double().get(d) ? error::number_out_of_range : error::ok;
    }
  }
  return error::invalid_json;
}

/// A second parser and padded buffer, for job documents sent as a string of JSON text (the
/// HTTPS binding): the unescaped text is parsed again on its own to check it.
struct nested_document {
  simdjson::ondemand::parser parser;
  std::unique_ptr<char[]> buffer;
};

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

/// One decode in progress: the walk over the document, validating as it goes.
class walker {
 public:
  walker(arena& a, nested_document& nested) noexcept : arena_(a), nested_(nested) {}

  std::string_view error_field() const noexcept { return field_; }
  void clear_error_field() noexcept { field_ = {}; }

  // Calls fn(index, value) for every member of `obj` whose key is names[index], refusing
  // duplicates, skipping nulls, and validating every other member in full. Bit i of `required`
  // set: names[i] must be present and not null.
  template <std::size_t N, class Fn>
  error members(od::object& obj, const std::string_view (&names)[N], std::size_t depth,
                std::uint32_t required, Fn&& fn) noexcept {
    return members_matching(
        obj, names, [&](std::string_view key) { return index_of(names, key); }, depth, required,
        fn);
  }

  // members(), with match(key) giving the index of a key in `names` (or -1).
  template <std::size_t N, class Match, class Fn>
  error members_matching(od::object& obj, const std::string_view (&names)[N], Match&& match,
                         std::size_t depth, std::uint32_t required, Fn&& fn) noexcept {
    static_assert(N <= 32, "one bit per known member");
    std::uint32_t seen = 0;
    std::uint32_t present = 0;
    const error e = each_member(obj, [&](std::string_view key, od::value& v) {
      field_ = key;
      const int index = match(key);
      if (index < 0) return validate(v, depth);
      const std::uint32_t bit = std::uint32_t{1} << index;
      if (seen & bit) return error::duplicate_field;
      seen |= bit;
      bool null = false;
      if (auto ne = v.is_null().get(null)) return from_simdjson(ne);
      if (null) return error::ok;
      present |= bit;
      return fn(index, v);
    });
    if (e != error::ok) return e;
    for (std::size_t i = 0; i < N; ++i) {
      if ((required >> i & 1u) && !(present >> i & 1u)) {
        field_ = names[i];
        return error::missing_field;
      }
    }
    return error::ok;
  }

  // A known member's value is not of its type: wrong_type if it is valid JSON at all, else the
  // reason it is not (`"status":tru` is invalid_json).
  error mismatch(od::value& v) noexcept {
    const error e = validate(v, 1);
    return e == error::ok ? error::wrong_type : e;
  }

  error object_of(od::value& v, od::object& obj) noexcept {
    const auto e = v.get_object().get(obj);
    return e == simdjson::INCORRECT_TYPE ? mismatch(v) : from_simdjson(e);
  }

  error string(od::value& v, std::string_view& out) noexcept {
    const auto e = v.get_string().get(out);
    return e == simdjson::INCORRECT_TYPE ? mismatch(v) : from_simdjson(e);
  }

  template <class T>
  error string(od::value& v, std::optional<T>& out) noexcept {
    std::string_view s;
    if (const error e = string(v, s); e != error::ok) return e;
    out = T(s);
    return error::ok;
  }

  // An int64, from a JSON integer or, as some AWS clients send numbers, from a JSON string of
  // decimal digits. Fractions and exponents are the wrong type; beyond int64 is out of range.
  error integer(od::value& v, std::optional<std::int64_t>& out) noexcept {
    std::int64_t x = 0;
    if (!v.get_int64().get(x)) {  // the common case first; a failed get leaves v readable
      out = x;
      return error::ok;
    }
    od::json_type type;
    if (auto e = v.type().get(type)) return from_simdjson(e);
    if (type == od::json_type::number) {
      switch (classify_number(trim_right(v.raw_json_token()))) {
        case number_syntax::integer: return error::number_out_of_range;
        case number_syntax::other: return error::wrong_type;
        case number_syntax::invalid: return error::invalid_json;
      }
    }
    if (type != od::json_type::string) return mismatch(v);
    std::string_view s;
    if (auto e = v.get_string().get(s)) return from_simdjson(e);
    const std::size_t sign = !s.empty() && s[0] == '-';
    if (s.size() == sign || s.find_first_not_of("0123456789", sign) != std::string_view::npos)
      return error::wrong_type;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), x);
    if (r.ec != std::errc()) return error::number_out_of_range;
    out = x;
    return error::ok;
  }

  error boolean(od::value& v, std::optional<bool>& out) noexcept {
    bool b = false;
    const auto e = v.get_bool().get(b);
    if (e) return e == simdjson::INCORRECT_TYPE ? mismatch(v) : from_simdjson(e);
    out = b;
    return error::ok;
  }

  // A request's status: only what a device may set.
  error update_status_of(od::value& v, iotjobs::update_status& out) noexcept {
    std::string_view text;
    if (const error e = string(v, text); e != error::ok) return e;
    for (const auto s : {update_status::in_progress, update_status::succeeded,
                         update_status::failed, update_status::rejected}) {
      if (to_wire(s) == text) {
        out = s;
        return error::ok;
      }
    }
    return error::invalid_update_status;
  }

  error status(od::value& v, job_execution_status& status, std::string_view& text) noexcept {
    if (const error e = string(v, text); e != error::ok) return e;
    status = job_execution_status_from_wire(text);
    return error::ok;
  }

  // Validates any JSON value in full; `depth` is the nesting of the containers around it.
  error validate(od::value& v, std::size_t depth) noexcept {
    od::json_type type;
    if (auto e = v.type().get(type)) return from_simdjson(e);
    switch (type) {
      case od::json_type::object: {
        if (depth >= max_nesting_depth) return error::nesting_too_deep;
        od::object obj;
        if (auto e = v.get_object().get(obj)) return from_simdjson(e);
        return each_member(
            obj, [&](std::string_view, od::value& member) { return validate(member, depth + 1); });
      }
      case od::json_type::array: {
        if (depth >= max_nesting_depth) return error::nesting_too_deep;
        od::array arr;
        if (auto e = v.get_array().get(arr)) return from_simdjson(e);
        return each_element(arr, [&](od::value& element) { return validate(element, depth + 1); });
      }
      case od::json_type::string: {
        std::string_view s;
        return from_simdjson(v.get_string().get(s));
      }
      case od::json_type::number: return check_number(v.raw_json_token(), v);
      case od::json_type::boolean: {
        bool b;
        return v.get_bool().get(b) ? error::invalid_json : error::ok;
      }
      case od::json_type::null: {
        bool null = false;
        return v.is_null().get(null) || !null ? error::invalid_json : error::ok;
      }
    }
    return error::invalid_json;
  }

  // A job document: over MQTT a JSON object, kept as its raw text; over HTTPS a string holding
  // JSON text, kept unescaped. Either way it must be a JSON object, valid in full.
  error job_document(od::value& v, std::size_t depth,
                     std::optional<job_document_view>& out) noexcept {
    const char* start = v.raw_json_token().data();
    od::json_type type;
    if (auto e = v.type().get(type)) return from_simdjson(e);
    if (type == od::json_type::string) {
      std::string_view text;
      if (auto e = v.get_string().get(text)) return from_simdjson(e);
      if (const error e = object_text(text); e != error::ok) return e;
      out = job_document_view(text);
      return error::ok;
    }
    if (type != od::json_type::object) return mismatch(v);
    if (const error e = validate(v, depth); e != error::ok) return e;
    const char* end = nullptr;
    if (auto e = v.current_location().get(end)) return from_simdjson(e);  // the token after it
    out = job_document_view(
        trim_right(std::string_view(start, static_cast<std::size_t>(end - start))));
    return error::ok;
  }

  // Checks that `text` is one JSON object, valid in full, with nothing after it: wrong_type for
  // other JSON. The nested parser and buffer were sized for the payload, and the text is never
  // longer.
  error object_text(std::string_view text) noexcept {
    char* buffer = nested_.buffer.get();
    if (!text.empty()) std::memcpy(buffer, text.data(), text.size());
    std::memset(buffer + text.size(), 0, simdjson::SIMDJSON_PADDING);
    od::document doc;
    if (auto e =
            nested_.parser.iterate(buffer, text.size(), text.size() + simdjson::SIMDJSON_PADDING)
                .get(doc))
      return from_simdjson(e);
    od::json_type type;
    if (auto e = doc.type().get(type)) return from_simdjson(e);
    error e = error::ok;
    switch (type) {
      case od::json_type::object:
      case od::json_type::array: {
        od::value root;
        if (auto ve = doc.get_value().get(root)) return from_simdjson(ve);
        e = validate(root, 0);
        break;
      }
      case od::json_type::string: {
        std::string_view s;
        e = from_simdjson(doc.get_string().get(s));
        break;
      }
      case od::json_type::number: {
        std::string_view token;
        if (auto te = doc.raw_json_token().get(token)) return from_simdjson(te);
        e = check_number(token, doc);
        break;
      }
      case od::json_type::boolean: {
        bool b;
        e = doc.get_bool().get(b) ? error::invalid_json : error::ok;
        break;
      }
      case od::json_type::null: {
        bool null = false;
        e = doc.is_null().get(null) || !null ? error::invalid_json : error::ok;
        break;
      }
    }
    if (e != error::ok) return e;
    const char* rest = nullptr;
    if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) return error::trailing_content;
    return type == od::json_type::object ? error::ok : error::wrong_type;
  }

  error status_details(od::value& v, std::optional<status_details_view>& out) noexcept {
    od::object obj;
    if (const error e = object_of(v, obj); e != error::ok) return e;
    status_detail* data = nullptr;
    std::size_t count = 0;
    const error e = each_member(obj, [&](std::string_view key, od::value& value) {
      status_detail* d = arena_.push_bottom<status_detail>();
      if (d == nullptr) return error::out_of_memory;
      if (count++ == 0) data = d;
      d->key = key;
      return string(value, d->value);
    });
    out = status_details_view(data, count);
    return e;
  }

  template <class T, class Fn>
  error list(od::value& v, list_view<T>& out, Fn&& read_one) noexcept {
    od::array arr;
    const auto ae = v.get_array().get(arr);
    if (ae) return ae == simdjson::INCORRECT_TYPE ? mismatch(v) : from_simdjson(ae);
    T* data = nullptr;
    std::size_t count = 0;
    const error e = each_element(arr, [&](od::value& element) {
      T* item = arena_.template push_bottom<T>();
      if (item == nullptr) return error::out_of_memory;
      if (count++ == 0) data = item;
      return read_one(element, *item);
    });
    out = list_view<T>(data, count);
    return e;
  }

  error summary(od::value& v, std::size_t depth, job_execution_summary_view& out) noexcept {
    static constexpr std::string_view names[] = {
        "jobId", "queuedAt", "startedAt", "lastUpdatedAt", "versionNumber", "executionNumber"};
    od::object obj;
    if (const error e = object_of(v, obj); e != error::ok) return e;
    return members(obj, names, depth + 1, 1u << 0, [&](int i, od::value& m) {
      switch (i) {
        case 0: return string(m, out.job_id);
        case 1: return integer(m, out.queued_at);
        case 2: return integer(m, out.started_at);
        case 3: return integer(m, out.last_updated_at);
        case 4: return integer(m, out.version_number);
        default: return integer(m, out.execution_number);
      }
    });
  }

  error summaries(od::value& v, std::size_t depth,
                  list_view<job_execution_summary_view>& out) noexcept {
    if (depth + 1 >= max_nesting_depth) return error::nesting_too_deep;
    return list(v, out, [&](od::value& item, job_execution_summary_view& s) {
      return summary(item, depth + 1, s);
    });
  }

  error execution(od::value& v, std::size_t depth,
                  std::optional<job_execution_view>& out) noexcept {
    static constexpr std::string_view names[] = {
        "jobId",         "status",          "thingName",     "statusDetails",
        "queuedAt",      "startedAt",       "lastUpdatedAt", "approximateSecondsBeforeTimedOut",
        "versionNumber", "executionNumber", "jobDocument"};
    od::object obj;
    if (const error e = object_of(v, obj); e != error::ok) return e;
    job_execution_view& x = out.emplace();
    return members(obj, names, depth + 1, 1u << 0 | 1u << 1, [&](int i, od::value& m) {
      switch (i) {
        case 0: return string(m, x.job_id);
        case 1: return status(m, x.status, x.status_text);
        case 2: return string(m, x.thing_name);
        case 3: return status_details(m, x.status_details);
        case 4: return integer(m, x.queued_at);
        case 5: return integer(m, x.started_at);
        case 6: return integer(m, x.last_updated_at);
        case 7: return integer(m, x.approximate_seconds_before_timed_out);
        case 8: return integer(m, x.version_number);
        case 9: return integer(m, x.execution_number);
        default: return job_document(m, depth + 1, x.job_document);
      }
    });
  }

  error state(od::value& v, std::size_t depth,
              std::optional<job_execution_state_view>& out) noexcept {
    static constexpr std::string_view names[] = {"status", "statusDetails", "versionNumber"};
    od::object obj;
    if (const error e = object_of(v, obj); e != error::ok) return e;
    job_execution_state_view& x = out.emplace();
    return members(obj, names, depth + 1, 1u << 0, [&](int i, od::value& m) {
      switch (i) {
        case 0: return status(m, x.status, x.status_text);
        case 1: return status_details(m, x.status_details);
        default: return integer(m, x.version_number);
      }
    });
  }

  // An error code is a string, or a number kept as its text.
  error error_code(od::value& v, std::optional<std::string_view>& out) noexcept {
    od::json_type type;
    if (auto e = v.type().get(type)) return from_simdjson(e);
    if (type != od::json_type::number) return string(v, out);
    const std::string_view token = trim_right(v.raw_json_token());
    if (const error e = check_number(token, v); e != error::ok) return e;
    out = token;
    return error::ok;
  }

  // `{"Output":{"__type":"...#UnknownOperationException","message":null},"Version":"1.0"}`
  error output(od::value& v, service_error_fields& f) noexcept {
    static constexpr std::string_view names[] = {"__type", "message"};
    od::json_type type;
    if (auto e = v.type().get(type)) return from_simdjson(e);
    if (type != od::json_type::object) return validate(v, 1);  // not that shape: nothing of ours
    od::object obj;
    if (auto e = v.get_object().get(obj)) return from_simdjson(e);
    return members(obj, names, 2, 0, [&](int i, od::value& m) {
      return i == 0 ? string(m, f.output_type) : string(m, f.output_message);
    });
  }

  // The members of an HTTPS error body that name and describe the error (spec §6.2): the first
  // key spelled `code` in any letter case, `__type`, `message`/`Message`, the exceptions'
  // members, and the `Output` object of the error AWS has been seen to send with a 200.
  error service_error(od::object& root, service_error_fields& f) noexcept {
    static constexpr std::string_view names[] = {"code",           "__type",     "message",
                                                 "Message",        "resourceId", "payload",
                                                 "executionState", "Output"};
    bool code_seen = false;
    const auto match = [&](std::string_view key) {
      if (equals_ignoring_case(key, "code")) {
        if (code_seen) return -1;  // the first one counts; the others are ordinary members
        code_seen = true;
        return 0;
      }
      return index_of(names, key);
    };
    return members_matching(root, names, match, 1, 0, [&](int i, od::value& v) {
      switch (i) {
        case 0: return error_code(v, f.code);
        case 1: return string(v, f.type);
        case 2: return string(v, f.message);
        case 3: return string(v, f.capital_message);
        case 4: return string(v, f.resource_id);
        case 5: return string(v, f.payload);
        case 6: return state(v, 1, f.execution_state);
        default: return output(v, f);
      }
    });
  }

  // notify's `jobs`: status key -> summaries. Group records come from the arena's top while
  // each group's summaries grow at the bottom, then are put back in payload order. A known status
  // may appear once; unknown ones are not ours to judge.
  error job_groups(od::value& v, std::size_t depth, list_view<job_group_view>& out) noexcept {
    od::object obj;
    if (const error e = object_of(v, obj); e != error::ok) return e;
    job_group_view* last = nullptr;
    std::size_t count = 0;
    std::uint32_t seen = 0;
    const error e = each_member(obj, [&](std::string_view key, od::value& jobs) {
      field_ = key;
      job_group_view* g = arena_.push_top<job_group_view>();
      if (g == nullptr) return error::out_of_memory;
      last = g;
      ++count;
      g->status_text = key;
      g->status = job_execution_status_from_wire(key);
      const std::uint32_t bit = std::uint32_t{1} << static_cast<int>(g->status);
      if (g->status != job_execution_status::unknown && (seen & bit)) return error::duplicate_field;
      seen |= bit;
      return summaries(jobs, depth + 1, g->jobs);
    });
    if (e != error::ok) return e;
    std::reverse(last, last + count);
    out = list_view<job_group_view>(last, count);
    return error::ok;
  }

 private:
  arena& arena_;
  nested_document& nested_;
  std::string_view field_;  // the member being read, for decoder::last_error_field()
};

// What each message's top-level object holds: its known members, which are required, and how
// each is read.
struct get_pending_message {
  using view = get_pending_accepted_view;
  static constexpr std::string_view names[] = {"inProgressJobs", "queuedJobs", "timestamp",
                                               "clientToken"};
  static constexpr std::uint32_t required = 0;
  static error read(walker& w, int i, od::value& v, view& out) noexcept {
    switch (i) {
      case 0: return w.summaries(v, 1, out.in_progress_jobs);
      case 1: return w.summaries(v, 1, out.queued_jobs);
      case 2: return w.integer(v, out.timestamp);
      default: return w.string(v, out.client_token);
    }
  }
};

struct execution_message {
  using view = execution_accepted_view;
  static constexpr std::string_view names[] = {"execution", "timestamp", "clientToken"};
  static constexpr std::uint32_t required = 0;
  static error read(walker& w, int i, od::value& v, view& out) noexcept {
    switch (i) {
      case 0: return w.execution(v, 1, out.execution);
      case 1: return w.integer(v, out.timestamp);
      default: return w.string(v, out.client_token);
    }
  }
};

struct update_message {
  using view = update_accepted_view;
  static constexpr std::string_view names[] = {"executionState", "jobDocument", "timestamp",
                                               "clientToken"};
  static constexpr std::uint32_t required = 0;
  static error read(walker& w, int i, od::value& v, view& out) noexcept {
    switch (i) {
      case 0: return w.state(v, 1, out.execution_state);
      case 1: return w.job_document(v, 1, out.job_document);
      case 2: return w.integer(v, out.timestamp);
      default: return w.string(v, out.client_token);
    }
  }
};

struct rejected_message {
  using view = rejected_view;
  static constexpr std::string_view names[] = {"code", "message", "clientToken", "timestamp",
                                               "executionState"};
  static constexpr std::uint32_t required = 1u << 0;
  static error read(walker& w, int i, od::value& v, view& out) noexcept {
    switch (i) {
      case 0: {
        const error e = w.string(v, out.code_text);
        out.code = rejection_code_from_wire(out.code_text);
        return e;
      }
      case 1: return w.string(v, out.message);
      case 2: return w.string(v, out.client_token);
      case 3: return w.integer(v, out.timestamp);
      default: return w.state(v, 1, out.execution_state);
    }
  }
};

struct notify_message {
  using view = notify_view;
  static constexpr std::string_view names[] = {"jobs", "timestamp"};
  static constexpr std::uint32_t required = 0;
  static error read(walker& w, int i, od::value& v, view& out) noexcept {
    return i == 0 ? w.job_groups(v, 1, out.jobs) : w.integer(v, out.timestamp);
  }
};

struct notify_next_message {
  using view = notify_next_view;
  static constexpr std::string_view names[] = {"execution", "timestamp"};
  static constexpr std::uint32_t required = 0;
  static error read(walker& w, int i, od::value& v, view& out) noexcept {
    return i == 0 ? w.execution(v, 1, out.execution) : w.integer(v, out.timestamp);
  }
};

// The requests a device publishes, for a service or a test double. thingName and jobId travel
// in the topic: the request's thing_name and job_id stay empty, and payload members of those
// names (which some clients repeat) are ignored like any unknown member.
struct get_pending_request_message {
  using view = get_pending_job_executions_request;
  static constexpr std::string_view names[] = {"clientToken"};
  static constexpr std::uint32_t required = 0;
  static error read(walker& w, int, od::value& v, view& out) noexcept {
    return w.string(v, out.client_token);
  }
};

struct start_next_request_message {
  using view = start_next_pending_job_execution_request;
  static constexpr std::string_view names[] = {"statusDetails", "stepTimeoutInMinutes",
                                               "clientToken"};
  static constexpr std::uint32_t required = 0;
  static error read(walker& w, int i, od::value& v, view& out) noexcept {
    switch (i) {
      case 0: return w.status_details(v, out.status_details);
      case 1: return w.integer(v, out.step_timeout_in_minutes);
      default: return w.string(v, out.client_token);
    }
  }
};

struct describe_request_message {
  using view = describe_job_execution_request;
  static constexpr std::string_view names[] = {"includeJobDocument", "executionNumber",
                                               "clientToken"};
  static constexpr std::uint32_t required = 0;
  static error read(walker& w, int i, od::value& v, view& out) noexcept {
    switch (i) {
      case 0: return w.boolean(v, out.include_job_document);
      case 1: return w.integer(v, out.execution_number);
      default: return w.string(v, out.client_token);
    }
  }
};

struct update_request_message {
  using view = update_job_execution_request;
  static constexpr std::string_view names[] = {"status",
                                               "statusDetails",
                                               "stepTimeoutInMinutes",
                                               "expectedVersion",
                                               "includeJobExecutionState",
                                               "includeJobDocument",
                                               "executionNumber",
                                               "clientToken"};
  static constexpr std::uint32_t required = 1u << 0;
  static error read(walker& w, int i, od::value& v, view& out) noexcept {
    switch (i) {
      case 0: return w.update_status_of(v, out.status);
      case 1: return w.status_details(v, out.status_details);
      case 2: return w.integer(v, out.step_timeout_in_minutes);
      case 3: return w.integer(v, out.expected_version);  // a number, or a string of digits
      case 4: return w.boolean(v, out.include_job_execution_state);
      case 5: return w.boolean(v, out.include_job_document);
      case 6: return w.integer(v, out.execution_number);
      default: return w.string(v, out.client_token);
    }
  }
};

struct start_command_message {
  using view = start_command_execution_view;
  static constexpr std::string_view names[] = {"executionId"};
  static constexpr std::uint32_t required = 1u << 0;
  static error read(walker& w, int, od::value& v, view& out) noexcept {
    return w.string(v, out.execution_id);
  }
};

struct command_accepted_message {
  using view = command_accepted_view;
  static constexpr std::string_view names[] = {"executionId"};
  static constexpr std::uint32_t required = 0;
  static error read(walker& w, int, od::value& v, view& out) noexcept {
    return w.string(v, out.execution_id);
  }
};

struct command_rejected_message {
  using view = command_rejected_view;
  static constexpr std::string_view names[] = {"error", "errorMessage", "executionId"};
  static constexpr std::uint32_t required = 1u << 0;
  static error read(walker& w, int i, od::value& v, view& out) noexcept {
    switch (i) {
      case 0: {
        const error e = w.string(v, out.code_text);
        out.code = rejection_code_from_wire(out.code_text);
        return e;
      }
      case 1: return w.string(v, out.message);
      default: return w.string(v, out.execution_id);
    }
  }
};

}  // namespace detail

/// Decodes what the Jobs service sends a device, over MQTT or HTTPS, into views.
///
/// A decoder is long-lived and owns everything its views point into: a padded copy of the last
/// payload, the simdjson parser (which holds the unescaped strings), and the storage of decoded
/// lists. The caller's payload buffer may be freed as soon as a decode returns.
///
/// Lifetime: every view a decode returns is valid until the next decode on the same decoder, or
/// the decoder's destruction. Decoding from a temporary decoder does not compile.
///
/// Memory: a decode allocates only when its payload is larger than every payload this decoder has
/// seen before; after reserve(n), payloads up to n bytes never allocate. Storage is about 22 times
/// the largest payload seen (the padded copy, two parsers, and the lists).
///
/// Not thread-safe: one decoder per thread.
class decoder {
 public:
  decoder() noexcept = default;

  /// Allocates up front for payloads of up to `payload_size` bytes (at most max_payload_size),
  /// so that later decodes of such payloads never allocate.
  error reserve(std::size_t payload_size) noexcept {
    if (payload_size > mqtt::max_payload_size) return error::payload_too_large;
    return grow(payload_size);
  }

  // MQTT: the payloads the Jobs service publishes to a device.

  /// `$aws/things/T/jobs/get/accepted`.
  result<get_pending_accepted_view> decode_get_pending_accepted(
      std::string_view payload) & noexcept {
    return decode<detail::get_pending_message>(payload);
  }
  /// `$aws/things/T/jobs/start-next/accepted`.
  result<execution_accepted_view> decode_start_next_accepted(std::string_view payload) & noexcept {
    return decode<detail::execution_message>(payload);
  }
  /// `$aws/things/T/jobs/J/get/accepted` (J may be `$next`).
  result<execution_accepted_view> decode_describe_accepted(std::string_view payload) & noexcept {
    return decode<detail::execution_message>(payload);
  }
  /// `$aws/things/T/jobs/J/update/accepted`.
  result<update_accepted_view> decode_update_accepted(std::string_view payload) & noexcept {
    return decode<detail::update_message>(payload);
  }
  /// Any Jobs `/rejected` payload. `code` is required.
  result<rejected_view> decode_rejected(std::string_view payload) & noexcept {
    return decode<detail::rejected_message>(payload);
  }
  /// `$aws/things/T/jobs/notify`.
  result<notify_view> decode_notify(std::string_view payload) & noexcept {
    return decode<detail::notify_message>(payload);
  }
  /// `$aws/things/T/jobs/notify-next`. No `execution` means the queue is empty.
  result<notify_next_view> decode_notify_next(std::string_view payload) & noexcept {
    return decode<detail::notify_next_message>(payload);
  }

  // MQTT, service side: the request payloads a device publishes. An empty payload (which the
  // service accepts) decodes as `{}`. The values are not checked against the rules of
  // validate.hpp: that is the service's call, as is the InvalidRequest it answers with.

  /// `$aws/things/T/jobs/get`.
  result<get_pending_job_executions_request> decode_get_pending_request(
      std::string_view payload) & noexcept {
    return decode<detail::get_pending_request_message>(request_payload(payload));
  }
  /// `$aws/things/T/jobs/start-next`.
  result<start_next_pending_job_execution_request> decode_start_next_request(
      std::string_view payload) & noexcept {
    return decode<detail::start_next_request_message>(request_payload(payload));
  }
  /// `$aws/things/T/jobs/J/get`.
  result<describe_job_execution_request> decode_describe_request(
      std::string_view payload) & noexcept {
    return decode<detail::describe_request_message>(request_payload(payload));
  }
  /// `$aws/things/T/jobs/J/update`. `status` is required, and must be one a device may set.
  result<update_job_execution_request> decode_update_request(std::string_view payload) & noexcept {
    return decode<detail::update_request_message>(request_payload(payload));
  }

  /// `$aws/commands/…/executions/E/response/accepted[/json]`.
  result<command_accepted_view> decode_command_accepted(std::string_view payload) & noexcept {
    return decode<detail::command_accepted_message>(payload);
  }
  /// `$aws/commands/…/executions/E/response/rejected[/json]`.
  result<command_rejected_view> decode_command_rejected(std::string_view payload) & noexcept {
    return decode<detail::command_rejected_message>(payload);
  }

  // HTTPS: a response of each operation, from its HTTP status, the value of its
  // `x-amzn-ErrorType` header (empty when absent) and its body. The views are the MQTT ones:
  // only the envelope differs (no timestamp or clientToken; the job document sent as a string).

  result<https_response<execution_accepted_view>> decode_describe_response(
      int status, std::string_view error_type, std::string_view body) & noexcept {
    return decode_https<detail::execution_message>(status, error_type, body);
  }
  result<https_response<get_pending_accepted_view>> decode_get_pending_response(
      int status, std::string_view error_type, std::string_view body) & noexcept {
    return decode_https<detail::get_pending_message>(status, error_type, body);
  }
  result<https_response<execution_accepted_view>> decode_start_next_response(
      int status, std::string_view error_type, std::string_view body) & noexcept {
    return decode_https<detail::execution_message>(status, error_type, body);
  }
  result<https_response<update_accepted_view>> decode_update_response(
      int status, std::string_view error_type, std::string_view body) & noexcept {
    return decode_https<detail::update_message>(status, error_type, body);
  }
  result<https_response<start_command_execution_view>> decode_start_command_execution_response(
      int status, std::string_view error_type, std::string_view body) & noexcept {
    return decode_https<detail::start_command_message>(status, error_type, body);
  }

  // A decode from a temporary would hand out views into a dead decoder.
  result<get_pending_accepted_view> decode_get_pending_accepted(std::string_view) && = delete;
  result<execution_accepted_view> decode_start_next_accepted(std::string_view) && = delete;
  result<execution_accepted_view> decode_describe_accepted(std::string_view) && = delete;
  result<update_accepted_view> decode_update_accepted(std::string_view) && = delete;
  result<rejected_view> decode_rejected(std::string_view) && = delete;
  result<notify_view> decode_notify(std::string_view) && = delete;
  result<notify_next_view> decode_notify_next(std::string_view) && = delete;
  result<command_accepted_view> decode_command_accepted(std::string_view) && = delete;
  result<get_pending_job_executions_request> decode_get_pending_request(std::string_view) && =
      delete;
  result<start_next_pending_job_execution_request> decode_start_next_request(std::string_view) && =
      delete;
  result<describe_job_execution_request> decode_describe_request(std::string_view) && = delete;
  result<update_job_execution_request> decode_update_request(std::string_view) && = delete;
  result<command_rejected_view> decode_command_rejected(std::string_view) && = delete;
  result<https_response<execution_accepted_view>> decode_describe_response(
      int, std::string_view, std::string_view) && = delete;
  result<https_response<get_pending_accepted_view>> decode_get_pending_response(
      int, std::string_view, std::string_view) && = delete;
  result<https_response<execution_accepted_view>> decode_start_next_response(
      int, std::string_view, std::string_view) && = delete;
  result<https_response<update_accepted_view>> decode_update_response(int, std::string_view,
                                                                      std::string_view) && = delete;
  result<https_response<start_command_execution_view>> decode_start_command_execution_response(
      int, std::string_view, std::string_view) && = delete;

  /// Where the last failed decode stopped: a byte offset into its payload (the payload's size
  /// when the error was found at its end or its place is not known, as for invalid UTF-8).
  std::size_t last_error_offset() const noexcept { return error_offset_; }
  /// The member the last failed decode was reading (its JSON name, e.g. "versionNumber"), or
  /// empty when it failed before the first member. Valid until the next decode.
  std::string_view last_error_field() const noexcept { return error_field_; }

 private:
  // The storage for payloads of `size` bytes. A list element takes at most 8 bytes of arena per
  // payload byte it came from: the smallest summary, `{"jobId":""},`, is 13 bytes; the smallest
  // statusDetails entry (`"":"",`) or notify group (`"":[],`) is 6.
  static constexpr std::size_t arena_bytes(std::size_t size) noexcept { return 8 * size + 64; }
  static_assert(sizeof(job_execution_summary_view) <= 8 * 13);
  static_assert(sizeof(status_detail) <= 8 * 6 && sizeof(job_group_view) <= 8 * 6);

  error grow(std::size_t size) noexcept {
    if (size <= capacity_ && buffer_) return error::ok;
    const std::size_t padded = size + simdjson::SIMDJSON_PADDING;
    std::unique_ptr<char[]> buffer(new (std::nothrow) char[padded]);
    std::unique_ptr<char[]> nested_buffer(new (std::nothrow) char[padded]);
    std::unique_ptr<unsigned char[]> arena(new (std::nothrow) unsigned char[arena_bytes(size)]);
    if (!buffer || !nested_buffer || !arena) return error::out_of_memory;
    const std::size_t parser_capacity = std::max<std::size_t>(size, 64);
    if (parser_.allocate(parser_capacity) != simdjson::SUCCESS ||
        nested_.parser.allocate(parser_capacity) != simdjson::SUCCESS)
      return error::out_of_memory;
    buffer_ = std::move(buffer);
    nested_.buffer = std::move(nested_buffer);
    arena_storage_ = std::move(arena);
    capacity_ = size;
    return error::ok;
  }

  static constexpr std::string_view request_payload(std::string_view payload) noexcept {
    return detail::is_blank(payload) ? std::string_view("{}") : payload;
  }

  template <class Message>
  result<typename Message::view> decode(std::string_view payload) noexcept {
    return run<typename Message::view>(payload, Message::names, Message::required, Message::read);
  }

  template <class Message>
  result<https_response<typename Message::view>> decode_https(int status,
                                                              std::string_view error_type,
                                                              std::string_view body) noexcept {
    return run_https<typename Message::view>(status, error_type, body, Message::names,
                                             Message::required, Message::read);
  }

  // Walks the payload's top-level object with `read_member` for the members in `names` (those
  // with their bit set in `required` must be present).
  template <class View, std::size_t N, class ReadMember>
  result<View> run(std::string_view payload, const std::string_view (&names)[N],
                   std::uint32_t required, ReadMember&& read_member) noexcept {
    return run_root<View>(
        {}, payload,
        [&](detail::walker& w, simdjson::ondemand::object& root, View& view, std::string_view) {
          return w.members(root, names, 1, required, [&](int i, simdjson::ondemand::value& v) {
            return read_member(w, i, v, view);
          });
        });
  }

  // Copies `kept` (text a view may point into that is not part of the JSON, like an HTTP header)
  // and then the payload into padded storage, calls read_root(walker, root object, view, copy of
  // kept), and checks that nothing follows the object.
  template <class View, class ReadRoot>
  result<View> run_root(std::string_view kept, std::string_view payload,
                        ReadRoot&& read_root) noexcept {
    error_offset_ = 0;
    error_field_ = {};
    if (payload.size() > mqtt::max_payload_size ||
        kept.size() > mqtt::max_payload_size - payload.size())
      return error::payload_too_large;
    if (const error e = grow(kept.size() + payload.size()); e != error::ok) return e;
    char* const json = buffer_.get() + kept.size();
    if (!kept.empty()) std::memcpy(buffer_.get(), kept.data(), kept.size());
    if (!payload.empty()) std::memcpy(json, payload.data(), payload.size());
    std::memset(json + payload.size(), 0, simdjson::SIMDJSON_PADDING);
    arena_.reset(arena_storage_.get(), arena_bytes(capacity_));

    detail::walker w(arena_, nested_);
    View view;
    simdjson::ondemand::document doc;
    error e = detail::from_simdjson(
        parser_.iterate(json, payload.size(), capacity_ - kept.size() + simdjson::SIMDJSON_PADDING)
            .get(doc));
    const bool iterated = e == error::ok;
    if (iterated) {
      simdjson::ondemand::object root;
      const auto re = doc.get_object().get(root);
      // Not an object: wrong_type if it is JSON at all, else why it is not.
      e = re == simdjson::INCORRECT_TYPE ? w.object_text(payload) : detail::from_simdjson(re);
      if (e == error::ok)
        e = read_root(w, root, view, std::string_view(buffer_.get(), kept.size()));
      if (e == error::ok) {
        w.clear_error_field();  // no member to blame for what follows the object
        const char* rest = nullptr;
        if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS)
          e = error::trailing_content;
      }
    }
    if (e == error::ok) return view;
    error_field_ = w.error_field();
    const char* at = nullptr;
    error_offset_ = payload.size();
    if (iterated && !doc.current_location().get(at) && at >= json && at <= json + payload.size()) {
      error_offset_ = static_cast<std::size_t>(at - json);
    }
    return e;
  }

  // An HTTPS error: the body's members, then the name resolved from the header or the body.
  struct resolved_error {
    service_error_view view;
    bool in_output = false;  // named only by `Output.__type`: the 2xx error shape
  };
  result<resolved_error> decode_service_error(int status, std::string_view error_type,
                                              std::string_view body) noexcept {
    const bool empty = detail::is_blank(body);
    detail::service_error_fields f;
    return run_root<resolved_error>(
        error_type, empty ? std::string_view("{}") : body,
        [&](detail::walker& w, simdjson::ondemand::object& root, resolved_error& out,
            std::string_view header) {
          if (const error e = w.service_error(root, f); e != error::ok) return e;
          service_error_view& v = out.view;
          const std::optional<std::string_view> code = !header.empty() ? header
                                                       : f.code        ? f.code
                                                       : f.type        ? f.type
                                                                       : f.output_type;
          out.in_output = header.empty() && !f.code && !f.type && f.output_type;
          v.name = code ? https::sanitize_error_code(*code) : std::string_view("Unknown");
          v.type = service_exception_from_name(v.name);
          v.http_status = status;
          v.fault = fault_of(v.type, status);
          v.message = f.message           ? f.message
                      : f.capital_message ? f.capital_message
                                          : f.output_message;
          v.resource_id = f.resource_id;
          v.payload = f.payload;
          v.execution_state = f.execution_state;
          return error::ok;
        });
  }

  // Any status >= 300 is an error, as in the AWS SDKs; a 2xx is a success unless its body has
  // the error shape AWS has sent with a 200 (spec §11 trap 15). An empty 2xx body is an empty
  // result.
  template <class View, std::size_t N, class ReadMember>
  result<https_response<View>> run_https(int status, std::string_view error_type,
                                         std::string_view body, const std::string_view (&names)[N],
                                         std::uint32_t required,
                                         ReadMember&& read_member) noexcept {
    https_response<View> response;
    response.http_status = status;
    if (status >= 200 && status < 300) {
      if (detail::is_blank(body)) {
        response.value.emplace();
        return response;
      }
      // One walk of the body, which notes a top-level Output member on the way: only then can the
      // body be that error shape, and only then is it read again, as an error (and, when it is
      // not one, once more as the value, whose views the error's reading overwrote).
      bool output = false;
      auto v = run_root<View>(
          {}, body,
          [&](detail::walker& w, simdjson::ondemand::object& root, View& view, std::string_view) {
            const auto match = [&](std::string_view key) {
              const int index = detail::index_of(names, key);
              if (index < 0 && key == "Output") output = true;
              return index;
            };
            return w.members_matching(root, names, match, 1, required,
                                      [&](int i, simdjson::ondemand::value& value) {
                                        return read_member(w, i, value, view);
                                      });
          });
      if (output) {
        auto e = decode_service_error(status, {}, body);
        if (e && e->in_output) {
          response.error = e->view;
          return response;
        }
        v = run<View>(body, names, required, read_member);
      }
      if (!v) return v.error();
      response.value = std::move(*v);
      return response;
    }
    auto e = decode_service_error(status, error_type, body);
    if (!e) return e.error();
    response.error = e->view;
    return response;
  }

  simdjson::ondemand::parser parser_;
  std::unique_ptr<char[]> buffer_;
  detail::nested_document nested_;
  std::unique_ptr<unsigned char[]> arena_storage_;
  std::size_t capacity_ = 0;
  detail::arena arena_;
  std::size_t error_offset_ = 0;
  std::string_view error_field_;
};

}  // namespace iotjobs

#endif  // IOTJOBS_DECODER_HPP
