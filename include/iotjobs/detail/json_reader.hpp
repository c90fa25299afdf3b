// The decoder's JSON reading, on simdjson On-Demand, with no knowledge of the Jobs schema: the
// walk over an object's members (known ones by name, duplicates refused, nulls skipped, every
// other member validated in full), the scalar readers, full validation of any value, and the
// check of JSON text held in a string.
#ifndef IOTJOBS_DETAIL_JSON_READER_HPP
#define IOTJOBS_DETAIL_JSON_READER_HPP

#include <simdjson.h>

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <type_traits>

#include "iotjobs/detail/arena.hpp"
#include "iotjobs/detail/byte_scan.hpp"
#include "iotjobs/detail/json_text.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/model.hpp"

namespace iotjobs::detail {

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

// The number of names in a C array or a std::array of them.
template <class Names>
struct count_of : std::tuple_size<Names> {};
template <std::size_t N>
struct count_of<const std::string_view[N]> : std::integral_constant<std::size_t, N> {};
template <std::size_t N>
struct count_of<std::string_view[N]> : std::integral_constant<std::size_t, N> {};

// `names`: an array of string_view, a C array or a std::array.
template <class Names>
int index_of(const Names& names, std::string_view key) noexcept {
  for (std::size_t i = 0; i < std::size(names); ++i) {
    // Size and first byte first: most candidates fail there.
    if (names[i].size() == key.size() && names[i][0] == key[0] &&
        same_bytes(names[i].data(), key.data(), key.size()))
      return static_cast<int>(i);
  }
  return -1;
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

/// One decode in progress: the walk over the document, validating as it goes. It knows JSON and
/// the decoder's rules, not the Jobs schema (detail/jobs_schema.hpp).
///
/// Strings and member names are read where they lie in the payload when they hold no escape, as
/// nearly all do: simdjson's stage 1 has already checked every string's UTF-8 and refused its raw
/// control characters, so only an escape is left to check. A string with one is unescaped by
/// simdjson's own unescaper (which refuses the same bad escapes as its DOM) into `strings`, which
/// must have room for twice the payload and simdjson's padding. That bounds what one walk may
/// unescape: the payload's strings, with no string read more than twice (a job document's
/// top-level members, read once for its kind and again by its rules; an action's, for its type
/// first), or the payload's and those of a job document sent as a string, checked apart. A third
/// pass over anything would need more room, and simdjson's unescaper, outside the sanitizers'
/// view, would not say so.
class walker {
 public:
  walker(arena& a, nested_document& nested, const od::parser& parser,
         std::uint8_t* strings) noexcept
      : arena_(a), nested_(nested), parser_(parser), strings_(strings) {}

  std::string_view error_field() const noexcept { return field_; }
  void clear_error_field() noexcept { field_ = {}; }
  /// Names the member being read, for decoder::last_error_field().
  void set_error_field(std::string_view key) noexcept { field_ = key; }
  /// The storage of decoded lists.
  arena& storage() noexcept { return arena_; }

  /// Calls fn(key, value) for each member of `obj`. Reading the key validates it.
  template <class Fn>
  error each_member(od::object& obj, Fn&& fn) noexcept {
    for (auto member : obj) {
      if (member.error()) return from_simdjson(member.error());
      od::field& f = member.value_unsafe();
      std::string_view key;
      if (auto e = key_text(f, key)) return from_simdjson(e);
      if (const error e = fn(key, f.value()); e != error::ok) return e;
    }
    return error::ok;
  }

  /// A member's name.
  simdjson::error_code key_text(od::field& f, std::string_view& out) noexcept {
    return text_of(f.key(), out);
  }

  /// A string value's text; INCORRECT_TYPE, with `v` still readable, when it is not a string.
  simdjson::error_code string_text(od::value& v, std::string_view& out) noexcept {
    od::raw_json_string raw;
    if (auto e = v.get_raw_json_string().get(raw)) return e;
    return text_of(raw, out);
  }

  // Calls fn(index, value) for every member of `obj` whose key is names[index], refusing
  // duplicates, skipping nulls, and validating every other member in full. Bit i of `required`
  // set: names[i] must be present and not null.
  template <class Names, class Fn>
  error members(od::object& obj, const Names& names, std::size_t depth, std::uint32_t required,
                Fn&& fn) noexcept {
    return members_matching(
        obj, names, [&](std::string_view key) { return index_of(names, key); }, depth, required,
        fn);
  }

  // members(), with match(key) giving the index of a key in `names` (or -1).
  template <class Names, class Match, class Fn>
  error members_matching(od::object& obj, const Names& names, Match&& match, std::size_t depth,
                         std::uint32_t required, Fn&& fn) noexcept {
    constexpr std::size_t N = count_of<Names>::value;
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
    const auto e = string_text(v, out);
    return e == simdjson::INCORRECT_TYPE ? mismatch(v) : from_simdjson(e);
  }

  template <class T>
  error string(od::value& v, std::optional<T>& out) noexcept {
    std::string_view s;
    if (const error e = string(v, s); e != error::ok) return e;
    out = T(s);
    return error::ok;
  }

  // An int64, read as the AWS clients read numbers: a JSON integer; any other JSON number whose
  // value is an integer (`1.0`, `1e2`); or a JSON string of decimal digits, as some clients send
  // numbers. A fraction is the wrong type, unless `whole_seconds` (a time in epoch seconds),
  // which keeps the value's whole seconds; beyond int64 is out of range.
  error integer(od::value& v, std::optional<std::int64_t>& out,
                bool whole_seconds = false) noexcept {
    std::int64_t x = 0;
    if (!v.get_int64().get(x)) {  // the common case first; a failed get leaves v readable
      out = x;
      return error::ok;
    }
    od::json_type type;
    if (auto e = v.type().get(type)) return from_simdjson(e);
    if (type == od::json_type::number) {
      const std::string_view token = trim_right(v.raw_json_token());
      const number_syntax syntax = classify_number(token);
      if (syntax == number_syntax::integer) return error::number_out_of_range;
      if (syntax == number_syntax::invalid) return error::invalid_json;
      const whole_number whole = whole_part(token, x);
      if (whole == whole_number::out_of_range) return error::number_out_of_range;
      if (whole == whole_number::fraction && !whole_seconds) return error::wrong_type;
      out = x;
      return error::ok;
    }
    if (type != od::json_type::string) return mismatch(v);
    std::string_view s;
    if (auto e = string_text(v, s)) return from_simdjson(e);
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
        return from_simdjson(string_text(v, s));
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
      if (auto e = string_text(v, text)) return from_simdjson(e);
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
      std::string_view text;
      const auto got = string_text(value, text);
      error se = from_simdjson(got);
      if (got == simdjson::INCORRECT_TYPE) {  // a failed get leaves the value readable
        // The AWS clients drop a null map value (docs/wire-protocol.md §3): so does iotjobs.
        bool null = false;
        if (!value.is_null().get(null) && null) return error::ok;
        se = mismatch(value);
      }
      status_detail* d = arena_.push_bottom<status_detail>();
      if (d == nullptr) return error::out_of_memory;
      if (count++ == 0) data = d;
      d->key = key;
      d->value = text;
      return se;
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

 private:
  // A string's text from its raw form (what follows its opening quote), in place or unescaped.
  simdjson::error_code text_of(od::raw_json_string raw, std::string_view& out) noexcept {
    const char* const begin = raw.raw();
    const char* const end = find_quote_or_backslash(begin);
    if (*end == '"') {
      out = std::string_view(begin, static_cast<std::size_t>(end - begin));
      return simdjson::SUCCESS;
    }
    return parser_.unescape(raw, strings_).get(out);
  }

  arena& arena_;
  nested_document& nested_;
  const od::parser& parser_;
  std::uint8_t* strings_;   // where the next unescaped string goes
  std::string_view field_;  // the member being read, for decoder::last_error_field()
};

}  // namespace iotjobs::detail

#endif  // IOTJOBS_DETAIL_JSON_READER_HPP
