// The decoder's reading of the tables of schema.hpp: every member of a view read by its C++ type
// with the JSON reader (strings, integers, booleans, statusDetails, job documents, the nested
// JobExecution and JobExecutionState, lists of JobExecutionSummary, notify's status groups), the
// coded members by their enum, and an object's members walked by its view's table
// (docs/wire-protocol.md §4, §5, §8.5).
#ifndef IOTJOBS_DETAIL_JOBS_SCHEMA_HPP
#define IOTJOBS_DETAIL_JOBS_SCHEMA_HPP

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "iotjobs/detail/json_reader.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/model.hpp"
#include "iotjobs/schema.hpp"

namespace iotjobs::detail {

// A view's table as the member walk takes it: the names, and the mask of the required ones.
template <class View>
struct table {
  static constexpr const auto& fields = schema::of<View>::fields;
  static constexpr std::size_t size = schema::size_v<View>;

  template <std::size_t... I>
  static constexpr std::array<std::string_view, size> names_of(std::index_sequence<I...>) noexcept {
    return {std::get<I>(fields).name...};
  }
  // Coded fields are always required.
  template <class Field>
  static constexpr std::uint32_t required_bit(const Field& f) noexcept {
    if constexpr (schema::is_coded_v<Field>) {
      return 1u;
    } else {
      return f.required ? 1u : 0u;
    }
  }
  template <std::size_t... I>
  static constexpr std::uint32_t required_of(std::index_sequence<I...>) noexcept {
    return ((required_bit(std::get<I>(fields)) << I) | ... | 0u);
  }

  static constexpr std::array<std::string_view, size> names =
      names_of(std::make_index_sequence<size>{});
  static constexpr std::uint32_t required = required_of(std::make_index_sequence<size>{});
};

template <class View>
error read_members(walker& w, od::object& obj, std::size_t depth, View& out) noexcept;
template <class View, class OnUnknown>
error read_members(walker& w, od::object& obj, std::size_t depth, View& out,
                   OnUnknown&& on_unknown) noexcept;

// Each member type, read from a value inside `depth` containers.
inline error read_value(walker& w, od::value& v, std::size_t, std::string_view& out) noexcept {
  return w.string(v, out);
}
template <class Text, class = std::enable_if_t<std::is_convertible_v<Text, std::string_view>>>
error read_value(walker& w, od::value& v, std::size_t, std::optional<Text>& out) noexcept {
  return w.string(v, out);
}
inline error read_value(walker& w, od::value& v, std::size_t,
                        std::optional<std::int64_t>& out) noexcept {
  return w.integer(v, out);
}
inline error read_value(walker& w, od::value& v, std::size_t, std::optional<bool>& out) noexcept {
  return w.boolean(v, out);
}
inline error read_value(walker& w, od::value& v, std::size_t,
                        std::optional<status_details_view>& out) noexcept {
  return w.status_details(v, out);
}
inline error read_value(walker& w, od::value& v, std::size_t depth,
                        std::optional<job_document_view>& out) noexcept {
  return w.job_document(v, depth, out);
}

// A request's status: only what a device may set.
inline error read_value(walker& w, od::value& v, std::size_t, update_status& out) noexcept {
  std::string_view text;
  if (const error e = w.string(v, text); e != error::ok) return e;
  for (const auto s : {update_status::in_progress, update_status::succeeded, update_status::failed,
                       update_status::rejected}) {
    if (to_wire(s) == text) {
      out = s;
      return error::ok;
    }
  }
  return error::invalid_update_status;
}

// A nested object: JobExecution, JobExecutionState.
template <class View, class = std::enable_if_t<!std::is_convertible_v<View, std::string_view>>,
          class = decltype(schema::of<View>::fields)>
error read_value(walker& w, od::value& v, std::size_t depth, std::optional<View>& out) noexcept {
  od::object obj;
  if (const error e = w.object_of(v, obj); e != error::ok) return e;
  return read_members(w, obj, depth + 1, out.emplace());
}

inline error read_value(walker& w, od::value& v, std::size_t depth,
                        list_view<job_execution_summary_view>& out) noexcept {
  if (depth + 1 >= max_nesting_depth) return error::nesting_too_deep;
  return w.list(v, out, [&](od::value& item, job_execution_summary_view& s) {
    od::object obj;
    if (const error e = w.object_of(item, obj); e != error::ok) return e;
    return read_members(w, obj, depth + 2, s);
  });
}

// notify's `jobs`: status key -> summaries. Group records come from the arena's top while
// each group's summaries grow at the bottom, then are put back in payload order. A known status
// may appear once; unknown ones are not ours to judge.
inline error read_value(walker& w, od::value& v, std::size_t depth,
                        list_view<job_group_view>& out) noexcept {
  od::object obj;
  if (const error e = w.object_of(v, obj); e != error::ok) return e;
  job_group_view* last = nullptr;
  std::size_t count = 0;
  std::uint32_t seen = 0;
  const error e = w.each_member(obj, [&](std::string_view key, od::value& jobs) {
    w.set_error_field(key);
    job_group_view* g = w.storage().push_top<job_group_view>();
    if (g == nullptr) return error::out_of_memory;
    last = g;
    ++count;
    g->status_text = key;
    g->status = job_execution_status_from_wire(key);
    const std::uint32_t bit = std::uint32_t{1} << static_cast<int>(g->status);
    if (g->status != job_execution_status::unknown && (seen & bit)) return error::duplicate_field;
    seen |= bit;
    return read_value(w, jobs, depth + 1, g->jobs);
  });
  if (e != error::ok) return e;
  std::reverse(last, last + count);
  out = list_view<job_group_view>(last, count);
  return error::ok;
}

// A coded member: the enum, and the wire text kept for `unknown`.
template <class Enum>
error read_coded(walker& w, od::value& v, Enum& code, std::string_view& text) noexcept {
  const error e = w.string(v, text);
  if constexpr (std::is_same_v<Enum, job_execution_status>) {
    code = job_execution_status_from_wire(text);
  } else {
    code = rejection_code_from_wire(text);
  }
  return e;
}

// Member I of the view's table. The field is a constant here, so that its member is reached
// directly, as a hand-written reader would.
template <std::size_t I, class View>
error read_field(walker& w, od::value& v, std::size_t depth, View& out) noexcept {
  constexpr const auto& f = std::get<I>(schema::of<View>::fields);
  if constexpr (schema::is_coded_v<std::decay_t<decltype(f)>>) {
    return read_coded(w, v, out.*f.member, out.*f.text);
  } else if constexpr (f.numbers == schema::numbers::whole_seconds) {
    return w.integer(v, out.*f.member, true);
  } else {
    return read_value(w, v, depth, out.*f.member);
  }
}

// The member the walk matched, names[i].
template <class View, std::size_t... I>
error read_field_at(walker& w, int i, od::value& v, std::size_t depth, View& out,
                    std::index_sequence<I...>) noexcept {
  error e = error::invalid_json;  // not reached: i is an index the walk matched
  (void)((static_cast<std::size_t>(i) == I ? (e = read_field<I>(w, v, depth, out), true) : false) ||
         ...);
  return e;
}

/// Reads the members of `obj`, an object `depth` containers deep (the payload's is 1), into `out`
/// by its view's table; `on_unknown(key)` sees every member the table does not name.
template <class View, class OnUnknown>
error read_members(walker& w, od::object& obj, std::size_t depth, View& out,
                   OnUnknown&& on_unknown) noexcept {
  using t = table<View>;
  const auto match = [&](std::string_view key) {
    const int index = index_of(t::names, key);
    if (index < 0) on_unknown(key);
    return index;
  };
  return w.members_matching(obj, t::names, match, depth, t::required, [&](int i, od::value& v) {
    return read_field_at(w, i, v, depth, out, std::make_index_sequence<t::size>{});
  });
}

template <class View>
error read_members(walker& w, od::object& obj, std::size_t depth, View& out) noexcept {
  return read_members(w, obj, depth, out, [](std::string_view) {});
}

}  // namespace iotjobs::detail

#endif  // IOTJOBS_DETAIL_JOBS_SCHEMA_HPP
