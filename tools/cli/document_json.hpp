// A job document's typed view (iotjobs/documents.hpp) as one line of JSON, under the document's
// own member names, with its "kind" and, for an AWS managed template, its "template": what
// `iotjobs document` prints (document.cpp), and, with a runCommand's arguments joined again, a
// document of the view's kind that decodes to the same view (the fuzz round trip,
// fuzz/documents.cpp). What the view does not hold (unknown members, nulls, empty texts) is not
// written; what it holds with a default (includeStdOut, ignoreStepFailure, a condition's type)
// always is.
#ifndef IOTJOBS_TOOLS_CLI_DOCUMENT_JSON_HPP
#define IOTJOBS_TOOLS_CLI_DOCUMENT_JSON_HPP

#include <iotjobs/iotjobs.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "json_out.hpp"

namespace cli {

/// How a runCommand's command is written: the list of its arguments (the tool), or a command
/// line of the Device Client's syntax, commas escaped (the round trip).
enum class commands { as_list, as_text };

namespace detail {

namespace docs = iotjobs::documents;

// The arguments joined again: commas escaped, an empty argument as a blank (which the split trims
// to empty). False when no command line gives these arguments back: an argument other than the
// last that ends in a backslash would escape the comma after it.
inline bool put_command_text(sink& out, const docs::command_view& command) {
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

inline void put_strings(sink& out, iotjobs::list_view<std::string_view> list) {
  out.write("[");
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out.write(",");
    iotjobs::detail::write_json_string(out, list[i]);
  }
  out.write("]");
}

inline bool put_action(sink& out, const docs::action_view& a, commands how) {
  object wrapper(out);
  object o(wrapper.member("action"));
  o.string_member("name", a.name);
  const bool command = a.type == docs::action_type::run_command;
  o.string_member("type", command ? "runCommand" : "runHandler");
  {
    object input(o.member("input"));
    if (command && how == commands::as_text) {
      if (!put_command_text(input.member("command"), a.command)) return false;
    } else if (command) {
      sink& args = input.member("command");
      args.write("[");
      for (std::size_t i = 0; i < a.command.size(); ++i) {
        if (i) args.write(",");
        iotjobs::detail::write_json_string(args, a.command[i]);
      }
      args.write("]");
    } else {
      input.string_member("handler", a.handler);
      if (!a.args.empty()) put_strings(input.member("args"), a.args);
      if (!a.path.empty()) input.string_member("path", a.path);
    }
    input.finish();
  }
  if (!a.run_as_user.empty()) o.string_member("runAsUser", a.run_as_user);
  optional_int(o, "allowStdErr", a.allow_std_err);
  o.bool_member("ignoreStepFailure", a.ignore_step_failure);
  o.finish();
  wrapper.finish();
  return true;
}

inline bool put_device_client(object& o, const docs::device_client_view& d, commands how) {
  o.string_member("version", d.version);
  o.bool_member("includeStdOut", d.include_std_out);
  if (!d.conditions.empty()) {
    sink& out = o.member("conditions");
    out.write("[");
    for (std::size_t i = 0; i < d.conditions.size(); ++i) {
      if (i) out.write(",");
      object c(out);
      c.string_member("key", d.conditions[i].key);
      put_strings(c.member("value"), d.conditions[i].values);
      c.string_member("type", d.conditions[i].type);
      c.finish();
    }
    out.write("]");
  }
  sink& steps = o.member("steps");
  steps.write("[");
  for (std::size_t i = 0; i < d.steps.size(); ++i) {
    if (i) steps.write(",");
    if (!put_action(steps, d.steps[i], how)) return false;
  }
  steps.write("]");
  return !d.final_step || put_action(o.member("finalStep"), *d.final_step, how);
}

// The legacy schema under its own names: the one step's operation, args, allowStdErr and path.
inline void put_legacy(object& o, const docs::device_client_view& d) {
  const docs::action_view& a = d.steps[0];
  o.string_member("operation", a.name);
  if (!a.args.empty()) put_strings(o.member("args"), a.args);
  optional_int(o, "allowStdErr", a.allow_std_err);
  if (!a.path.empty()) o.string_member("path", a.path);
  o.bool_member("includeStdOut", d.include_std_out);
}

inline void put_afr_ota(object& top, const docs::afr_ota_view& ota) {
  object o(top.member("afr_ota"));
  sink& protocols = o.member("protocols");
  protocols.write("[");
  for (std::size_t i = 0; i < ota.protocol_count; ++i) {
    protocols.write(i ? "," : "");
    protocols.write(ota.protocols[i] == docs::ota_protocol::mqtt ? "\"MQTT\"" : "\"HTTP\"");
  }
  protocols.write("]");
  if (!ota.stream_name.empty()) o.string_member("streamname", ota.stream_name);
  sink& files = o.member("files");
  files.write("[");
  for (std::size_t i = 0; i < ota.files.size(); ++i) {
    const docs::ota_file_view& f = ota.files[i];
    if (i) files.write(",");
    object file(files);
    if (!f.file_path.empty()) file.string_member("filepath", f.file_path);
    file.int_member("filesize", f.file_size);
    file.int_member("fileid", f.file_id);
    if (!f.cert_file.empty()) file.string_member("certfile", f.cert_file);
    if (!f.signature_key.empty()) file.string_member(f.signature_key, f.signature);
    if (f.file_type) file.int_member("fileType", *f.file_type);
    if (f.attr) file.int_member("attr", *f.attr);
    if (!f.update_data_url.empty()) file.string_member("update_data_url", f.update_data_url);
    if (!f.auth_scheme.empty()) file.string_member("auth_scheme", f.auth_scheme);
    file.finish();
  }
  files.write("]");
  o.finish();
}

}  // namespace detail

/// The view as one line of JSON; nullopt only with commands::as_text, for a command no command
/// line can give.
inline std::optional<std::string> document_json(const iotjobs::documents::document_view& doc,
                                                commands how) {
  namespace docs = iotjobs::documents;
  std::string line;
  sink out{std::back_inserter(line)};
  object o(out);
  o.string_member("kind", docs::to_string(doc.kind));
  if (const docs::device_client_view* d = doc.device_client()) {
    if (d->aws_template != docs::managed_template::none)
      o.string_member("template", docs::to_string(d->aws_template));
    if (doc.kind == docs::kind::legacy_device_client) {
      detail::put_legacy(o, *d);
    } else if (!detail::put_device_client(o, *d, how)) {
      return std::nullopt;
    }
  } else if (const docs::afr_ota_view* ota = doc.afr_ota()) {
    detail::put_afr_ota(o, *ota);
  }
  o.finish();
  return line;
}

}  // namespace cli

#endif  // IOTJOBS_TOOLS_CLI_DOCUMENT_JSON_HPP
