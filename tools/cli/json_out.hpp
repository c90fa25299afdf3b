// The tool's output: compact JSON objects, one per line, written with the library's own JSON
// writer (iotjobs/detail/json_writer.hpp), so that there is one escaping routine in the project.
#ifndef IOTJOBS_TOOLS_CLI_JSON_OUT_HPP
#define IOTJOBS_TOOLS_CLI_JSON_OUT_HPP

#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include <iotjobs/detail/json_writer.hpp>

namespace cli {

using sink = iotjobs::detail::iterator_sink<std::back_insert_iterator<std::string>>;

/// An object written into a sink: `{"k":v,...}` once finish() is called. Keys are literals, or
/// names the library has validated, that need no escaping; escaped_member() takes any text.
using object = iotjobs::detail::json_object_writer<sink>;

template <class Key>
void optional_string(object& o, const Key& key, const std::optional<std::string_view>& v) {
  if (v) o.string_member(key, *v);
}
template <class Key>
void optional_int(object& o, const Key& key, const std::optional<std::int64_t>& v) {
  if (v) o.int_member(key, *v);
}
template <class Key>
void optional_bool(object& o, const Key& key, const std::optional<bool>& v) {
  if (v) o.bool_member(key, *v);
}

}  // namespace cli

#endif  // IOTJOBS_TOOLS_CLI_JSON_OUT_HPP
