// The encoders' writing of the tables of schema.hpp: an object's members in table order, each by
// its C++ type (a present optional is written, whatever its value; lists always), the coded ones
// as their enum's wire text or, for `unknown`, the text kept beside it. Only what was checked
// before is written: the encoders validate first.
#ifndef IOTJOBS_DETAIL_SCHEMA_WRITER_HPP
#define IOTJOBS_DETAIL_SCHEMA_WRITER_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "iotjobs/detail/json_text.hpp"
#include "iotjobs/detail/json_writer.hpp"
#include "iotjobs/model.hpp"
#include "iotjobs/schema.hpp"

namespace iotjobs::detail {

/// Which binding the object is written for: members carried over MQTT only are left out of an
/// HTTPS body.
enum class written_for : std::uint8_t { mqtt, https };

template <written_for Binding = written_for::mqtt, class Sink, class View>
void write_object(Sink& sink, const View& v);

// The wire text of a coded member: the enum's, or for `unknown` the text kept beside it.
template <class Enum>
constexpr std::string_view coded_text(Enum e, std::string_view text) noexcept {
  return e != Enum::unknown ? to_wire(e) : text;
}

template <class Writer, class Key>
void write_value(Writer& obj, const Key& key, std::string_view s) {
  obj.string_member(key, s);
}
template <class Writer, class Key, class Text,
          std::enable_if_t<std::is_convertible_v<Text, std::string_view>, int> = 0>
void write_value(Writer& obj, const Key& key, const std::optional<Text>& s) {
  if (s) obj.string_member(key, *s);
}
template <class Writer, class Key>
void write_value(Writer& obj, const Key& key, const std::optional<std::int64_t>& i) {
  if (i) obj.int_member(key, *i);
}
template <class Writer, class Key>
void write_value(Writer& obj, const Key& key, const std::optional<bool>& b) {
  if (b) obj.bool_member(key, *b);
}
template <class Writer, class Key>
void write_value(Writer& obj, const Key& key, update_status s) {
  obj.string_member(key, to_wire(s));
}
template <class Writer, class Key>
void write_value(Writer& obj, const Key& key, const std::optional<status_details_view>& details) {
  if (!details) return;
  json_object_writer map(obj.member(key));
  for (const status_detail& d : *details)
    map.string_member(d.key, d.value);  // keys are [a-zA-Z0-9:_-]: checked, nothing to escape
  map.finish();
}
// The document's text without the whitespace around it, as the decoder hands it back.
template <class Writer, class Key>
void write_value(Writer& obj, const Key& key, const std::optional<job_document_view>& doc) {
  if (doc) obj.member(key).write(trim(doc->json()));
}
template <class Writer, class Key>
void write_value(Writer& obj, const Key& key, list_view<job_execution_summary_view> items) {
  auto& sink = obj.member(key);
  sink.write("[");
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) sink.write(",");
    write_object(sink, items[i]);
  }
  sink.write("]");
}
// notify's `jobs`: an object of status groups, each key the status's wire text.
template <class Writer, class Key>
void write_value(Writer& obj, const Key& key, list_view<job_group_view> groups) {
  json_object_writer map(obj.member(key));
  for (const job_group_view& g : groups) {
    auto& sink = map.escaped_member(coded_text(g.status, g.status_text));
    sink.write("[");
    for (std::size_t i = 0; i < g.jobs.size(); ++i) {
      if (i > 0) sink.write(",");
      write_object(sink, g.jobs[i]);
    }
    sink.write("]");
  }
  map.finish();
}
// A nested object: JobExecution, JobExecutionState.
template <class Writer, class Key, class View,
          std::enable_if_t<!std::is_convertible_v<View, std::string_view>, int> = 0>
void write_value(Writer& obj, const Key& key, const std::optional<View>& nested) {
  if (nested) write_object(obj.member(key), *nested);
}

// A member name as a char array, so that the writer copies it as it copies a literal: a known
// number of bytes.
template <std::size_t N>
struct literal {
  char text[N + 1];
};
template <std::size_t N>
constexpr literal<N> literal_of(std::string_view s) noexcept {
  literal<N> l{};
  for (std::size_t i = 0; i < N; ++i)
    l.text[i] = s[i];
  return l;
}

// Member I of the table. The field is a constant here, so that its name is written as a literal
// is and a member the binding does not carry costs nothing.
template <written_for Binding, std::size_t I, class Writer, class View>
void write_field(Writer& obj, const View& v) {
  constexpr const auto& f = std::get<I>(schema::of<View>::fields);
  static constexpr auto key = literal_of<f.name.size()>(f.name);
  if constexpr (schema::is_coded_v<std::decay_t<decltype(f)>>) {
    obj.string_member(key.text, coded_text(v.*f.member, v.*f.text));
  } else if constexpr (Binding == written_for::mqtt || f.by == schema::carried::always) {
    write_value(obj, key.text, v.*f.member);
  }
}

template <written_for Binding, class Writer, class View, std::size_t... I>
void write_fields(Writer& obj, const View& v, std::index_sequence<I...>) {
  (write_field<Binding, I>(obj, v), ...);
}

/// Writes `v` as a JSON object, its members in the order of its table.
template <written_for Binding, class Sink, class View>
void write_object(Sink& sink, const View& v) {
  json_object_writer obj(sink);
  write_fields<Binding>(obj, v, std::make_index_sequence<schema::size_v<View>>{});
  obj.finish();
}

}  // namespace iotjobs::detail

#endif  // IOTJOBS_DETAIL_SCHEMA_WRITER_HPP
