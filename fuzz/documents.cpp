// Job documents (documents.hpp): one target per known kind, whose input is the document after
// the member that makes the kind (`{"steps":` + input + `}`: the input may add any other member
// after its value), so that every input exercises that kind's rules. Each has the decoders'
// properties (check_decoder) and a round trip: an accepted document's view written back as a
// document of its kind decodes to a view that writes the same bytes, of the same kind and
// template. decode.cpp applies the round trip to the generic job_document target too.
#include <iotjobs/detail/json_writer.hpp>
#include <iotjobs/messages.hpp>

#include <iterator>
#include <string>
#include <string_view>

#include "fuzz.hpp"
#include "targets.hpp"

namespace iotjobs_fuzz {

namespace {

namespace docs = iotjobs::documents;
using sink = iotjobs::detail::iterator_sink<std::back_insert_iterator<std::string>>;
using object = iotjobs::detail::json_object_writer<sink>;

void put_strings(sink& out, iotjobs::list_view<std::string_view> list) {
  out.write("[");
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out.write(",");
    iotjobs::detail::write_json_string(out, list[i]);
  }
  out.write("]");
}

// A command's arguments joined again: commas escaped, an empty argument as a blank (which the
// split trims to empty). False when the split could not give these arguments back: an argument
// other than the last that ends in a backslash would escape the comma after it.
bool put_command(sink& out, const docs::command_view& command) {
  std::string line;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const std::string_view a = command[i];
    if (i + 1 < command.size() && !a.empty() && a.back() == '\\') return false;
    if (i) line += ',';
    if (a.empty()) line += ' ';
    for (const char c : a) {
      if (c == ',') line += '\\';
      line += c;
    }
  }
  iotjobs::detail::write_json_string(out, line);
  return true;
}

bool put_action(sink& out, const docs::action_view& a) {
  object wrapper(out);
  object o(wrapper.member("action"));
  o.string_member("name", a.name);
  const bool command = a.type == docs::action_type::run_command;
  o.string_member("type", command ? "runCommand" : "runHandler");
  object input(o.member("input"));
  if (command) {
    if (!put_command(input.member("command"), a.command)) return false;
  } else {
    input.string_member("handler", a.handler);
    put_strings(input.member("args"), a.args);
    input.string_member("path", a.path);
  }
  input.finish();
  o.string_member("runAsUser", a.run_as_user);
  if (a.allow_std_err) o.int_member("allowStdErr", *a.allow_std_err);
  o.bool_member("ignoreStepFailure", a.ignore_step_failure);
  o.finish();
  wrapper.finish();
  return true;
}

// The view as a document of its kind, or false where no document gives it back.
bool put_document(std::string& text, const docs::document_view& doc) {
  sink out{std::back_inserter(text)};
  object o(out);
  if (doc.kind == docs::kind::legacy_device_client) {
    const docs::action_view& a = doc.device_client()->steps[0];
    o.string_member("operation", a.name);
    put_strings(o.member("args"), a.args);
    if (a.allow_std_err) o.int_member("allowStdErr", *a.allow_std_err);
    o.string_member("path", a.path);
    o.bool_member("includeStdOut", doc.device_client()->include_std_out);
  } else if (const docs::device_client_view* d = doc.device_client()) {
    o.string_member("version", d->version);
    o.bool_member("includeStdOut", d->include_std_out);
    sink& conditions = o.member("conditions");
    conditions.write("[");
    for (std::size_t i = 0; i < d->conditions.size(); ++i) {
      if (i) conditions.write(",");
      object c(conditions);
      c.string_member("key", d->conditions[i].key);
      put_strings(c.member("value"), d->conditions[i].values);
      c.string_member("type", d->conditions[i].type);
      c.finish();
    }
    conditions.write("]");
    sink& steps = o.member("steps");
    steps.write("[");
    for (std::size_t i = 0; i < d->steps.size(); ++i) {
      if (i) steps.write(",");
      if (!put_action(steps, d->steps[i])) return false;
    }
    steps.write("]");
    if (d->final_step && !put_action(o.member("finalStep"), *d->final_step)) return false;
  } else if (const docs::afr_ota_view* ota = doc.afr_ota()) {
    object a(o.member("afr_ota"));
    sink& protocols = a.member("protocols");
    protocols.write("[");
    for (std::size_t i = 0; i < ota->protocol_count; ++i) {
      protocols.write(i ? "," : "");
      protocols.write(ota->protocols[i] == docs::ota_protocol::mqtt ? "\"MQTT\"" : "\"HTTP\"");
    }
    protocols.write("]");
    if (!ota->stream_name.empty()) a.string_member("streamname", ota->stream_name);
    sink& files = a.member("files");
    files.write("[");
    for (std::size_t i = 0; i < ota->files.size(); ++i) {
      const docs::ota_file_view& f = ota->files[i];
      if (i) files.write(",");
      object file(files);
      file.string_member("filepath", f.file_path);
      file.int_member("filesize", f.file_size);
      file.int_member("fileid", f.file_id);
      file.string_member("certfile", f.cert_file);
      if (!f.signature_key.empty()) file.string_member(f.signature_key, f.signature);
      if (f.file_type) file.int_member("fileType", *f.file_type);
      if (f.attr) file.int_member("attr", *f.attr);
      if (!f.update_data_url.empty()) file.string_member("update_data_url", f.update_data_url);
      if (!f.auth_scheme.empty()) file.string_member("auth_scheme", f.auth_scheme);
      file.finish();
    }
    files.write("]");
    a.finish();
  }
  o.finish();
  return true;
}

iotjobs::decoder& shared_decoder() {
  static iotjobs::decoder d;  // reused, as an application would: stale state must not leak
  return d;
}

// The decoders' properties, then the round trip, for one document.
void check(std::string_view text) {
  check_decoder(text, false, [](std::string_view p) {
    return static_cast<bool>(shared_decoder().decode(docs::job_document, p));
  });
  static iotjobs::decoder dec;
  const auto doc = dec.decode(docs::job_document, text);
  if (doc) check_document_round_trip(*doc);
}

void with_marker(std::string_view marker, const std::uint8_t* data, std::size_t size) {
  std::string text = "{\"" + std::string(marker) + "\":";
  text.append(reinterpret_cast<const char*>(data), size);
  text += '}';
  check(text);
}

}  // namespace

void check_document_round_trip(const docs::document_view& doc) {
  if (doc.kind == docs::kind::unknown) return;
  std::string once, twice;
  if (!put_document(once, doc)) return;
  static iotjobs::decoder dec;
  const auto again = dec.decode(docs::job_document, once);
  IOTJOBS_FUZZ_CHECK(again);
  IOTJOBS_FUZZ_CHECK(again->kind == doc.kind);
  if (const docs::device_client_view* d = doc.device_client())
    IOTJOBS_FUZZ_CHECK(again->device_client()->aws_template == d->aws_template);
  IOTJOBS_FUZZ_CHECK(put_document(twice, *again));
  IOTJOBS_FUZZ_CHECK(once == twice);
}

void document_device_client(const std::uint8_t* data, std::size_t size) {
  with_marker("steps", data, size);
}
void document_legacy_device_client(const std::uint8_t* data, std::size_t size) {
  with_marker("operation", data, size);
}
void document_afr_ota(const std::uint8_t* data, std::size_t size) {
  with_marker("afr_ota", data, size);
}

}  // namespace iotjobs_fuzz
