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

#include "iotjobs/detail/json_text.hpp"
#include "iotjobs/detail/json_writer.hpp"
#include "iotjobs/model.hpp"
#include "iotjobs/schema.hpp"

namespace iotjobs::detail {

/// Which binding the object is written for: members carried over MQTT only are left out of an
/// HTTPS body.
enum class written_for : std::uint8_t { mqtt, https };

template <class Sink, class View>
void write_object(Sink& sink, const View& v, written_for binding = written_for::mqtt);

// The wire text of a coded member: the enum's, or for `unknown` the text kept beside it.
template <class Enum>
constexpr std::string_view coded_text(Enum e, std::string_view text) noexcept {
  return e != Enum::unknown ? to_wire(e) : text;
}

template <class Writer>
void write_value(Writer& obj, std::string_view key, std::string_view s) {
  obj.string_member(key, s);
}
template <class Writer, class Text,
          std::enable_if_t<std::is_convertible_v<Text, std::string_view>, int> = 0>
void write_value(Writer& obj, std::string_view key, const std::optional<Text>& s) {
  if (s) obj.string_member(key, *s);
}
template <class Writer>
void write_value(Writer& obj, std::string_view key, const std::optional<std::int64_t>& i) {
  if (i) obj.int_member(key, *i);
}
template <class Writer>
void write_value(Writer& obj, std::string_view key, const std::optional<bool>& b) {
  if (b) obj.bool_member(key, *b);
}
template <class Writer>
void write_value(Writer& obj, std::string_view key, update_status s) {
  obj.string_member(key, to_wire(s));
}
template <class Writer>
void write_value(Writer& obj, std::string_view key,
                 const std::optional<status_details_view>& details) {
  if (!details) return;
  json_object_writer map(obj.member(key));
  for (const status_detail& d : *details)
    map.string_member(d.key, d.value);  // keys are [a-zA-Z0-9:_-]: checked, nothing to escape
  map.finish();
}
// The document's text without the whitespace around it, as the decoder hands it back.
template <class Writer>
void write_value(Writer& obj, std::string_view key, const std::optional<job_document_view>& doc) {
  if (doc) obj.member(key).write(trim(doc->json()));
}
template <class Writer>
void write_value(Writer& obj, std::string_view key, list_view<job_execution_summary_view> items) {
  auto& sink = obj.member(key);
  sink.write("[");
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) sink.write(",");
    write_object(sink, items[i]);
  }
  sink.write("]");
}
// notify's `jobs`: an object of status groups, each key the status's wire text.
template <class Writer>
void write_value(Writer& obj, std::string_view key, list_view<job_group_view> groups) {
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
template <class Writer, class View,
          std::enable_if_t<!std::is_convertible_v<View, std::string_view>, int> = 0>
void write_value(Writer& obj, std::string_view key, const std::optional<View>& nested) {
  if (nested) write_object(obj.member(key), *nested);
}

template <class Writer, class View, class Member>
void write_field(Writer& obj, const schema::field<View, Member>& f, const View& v,
                 written_for binding) {
  if (binding == written_for::https && f.by == schema::carried::mqtt_only) return;
  write_value(obj, f.name, v.*f.member);
}
template <class Writer, class View, class Enum>
void write_field(Writer& obj, const schema::coded_field<View, Enum>& f, const View& v,
                 written_for) {
  obj.string_member(f.name, coded_text(v.*f.member, v.*f.text));
}

/// Writes `v` as a JSON object, its members in the order of its table.
template <class Sink, class View>
void write_object(Sink& sink, const View& v, written_for binding) {
  json_object_writer obj(sink);
  std::apply([&](const auto&... f) { (write_field(obj, f, v, binding), ...); },
             schema::of<View>::fields);
  obj.finish();
}

}  // namespace iotjobs::detail

#endif  // IOTJOBS_DETAIL_SCHEMA_WRITER_HPP
