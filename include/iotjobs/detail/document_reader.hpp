// The decoder's reading of job documents into the views of documents.hpp: the kind first, from
// the top-level members, then the document read by its kind's rules (docs/documents.md).
#ifndef IOTJOBS_DETAIL_DOCUMENT_READER_HPP
#define IOTJOBS_DETAIL_DOCUMENT_READER_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include "iotjobs/detail/json_reader.hpp"
#include "iotjobs/documents.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/model.hpp"
#include "iotjobs/validate.hpp"

namespace iotjobs::detail {

// The arena holds 8 bytes per payload byte, and 64 to spare (decoder::arena_bytes). Each list
// element fits within 8 times the bytes of its own JSON that no element inside it counts: the
// smallest step, `{"action":{"name":"x","type":"runCommand","input":{"command":"x"}}},` (65
// bytes; a command's arguments take at most 5 bytes per byte of its text, and alignment); the
// smallest condition, `{"key":"x","value":[""]},`; the smallest OTA file,
// `{"filesize":0,"fileid":0},`; a string, `"",`. An element that fails takes its storage before
// it fails, and the decode stops there: the spare bytes and its own hold it (`{"action":0}`, an
// OTA file `0` after the 12 bytes of `{"afr_ota":{`). The legacy schema's one action is all that
// `{"operation":0}` holds. Offsets into a command's text are 32 bits.
static_assert(sizeof(documents::action_view) + alignof(documents::action_view) <= 8 * 60);
static_assert(sizeof(documents::action_view) + alignof(documents::action_view) <= 8 * 12 + 64);
static_assert(sizeof(documents::action_view) + alignof(documents::action_view) <= 8 * 15 + 64);
static_assert(sizeof(documents::condition_view) + alignof(documents::condition_view) <= 8 * 22);
static_assert(sizeof(documents::ota_file_view) + alignof(documents::ota_file_view) <= 8 * 26 &&
              sizeof(documents::ota_file_view) <= 8 * 13 + 64);
static_assert(sizeof(std::string_view) <= 8 * 3 && sizeof(documents::command_argument) <= 8);
static_assert(max_payload_size <= 0xFFFFFFFFu);

namespace document_reader {

using documents::action_type;

// A string member that must not be empty: the Device Client calls an empty one missing.
inline error text(walker& w, od::value& v, std::string_view& out) noexcept {
  if (const error e = w.string(v, out); e != error::ok) return e;
  return out.empty() ? error::missing_field : error::ok;
}

// includeStdOut and ignoreStepFailure: the Device Client reads a string, true only as "true";
// iotjobs also takes a JSON boolean.
inline error flag(walker& w, od::value& v, bool& out) noexcept {
  bool b = false;
  if (!v.get_bool().get(b)) {  // a failed get leaves v readable
    out = b;
    return error::ok;
  }
  std::string_view s;
  if (const error e = w.string(v, s); e != error::ok) return e;
  out = s == "true";
  return error::ok;
}

// An unsigned integer member, within T's range.
template <class T>
error unsigned_integer(walker& w, od::value& v, T& out) noexcept {
  std::optional<std::int64_t> x;
  if (const error e = w.integer(v, x); e != error::ok) return e;
  if (*x < 0 || static_cast<std::uint64_t>(*x) > std::numeric_limits<T>::max())
    return error::number_out_of_range;
  out = static_cast<T>(*x);
  return error::ok;
}

inline error strings(walker& w, od::value& v, list_view<std::string_view>& out) noexcept {
  return w.list(v, out, [&](od::value& item, std::string_view& s) { return w.string(item, s); });
}

// Reads the array `v` into a list kept at the arena's top, for elements that hold lists of their
// own (which grow at the bottom). read_one(element, slot) calls slot() for the element's storage,
// or skips the element by not calling it.
template <class T, class ReadOne>
error top_list(walker& w, od::value& v, list_view<T>& out, ReadOne&& read_one) noexcept {
  od::array arr;
  const auto ae = v.get_array().get(arr);
  if (ae) return ae == simdjson::INCORRECT_TYPE ? w.mismatch(v) : from_simdjson(ae);
  T* last = nullptr;
  std::size_t count = 0;
  const auto slot = [&]() {
    T* item = w.storage().template push_top<T>();
    if (item != nullptr) last = item, ++count;
    return item;
  };
  if (const error e = each_element(arr, [&](od::value& item) { return read_one(item, slot); });
      e != error::ok)
    return e;
  std::reverse(last, last + count);
  out = list_view<T>(last, count);
  return error::ok;
}

// The Device Client's split of a runCommand's command (documents::command_view), into the arena:
// first the arguments are counted and sized, then written.
inline error split_command(walker& w, std::string_view s, documents::command_view& out) noexcept {
  constexpr std::string_view space = " \t\n\v\f\r";
  // Calls piece(begin, end) for each maximal run of `\,` or other non-comma bytes.
  const auto each_piece = [&](auto&& piece) {
    for (std::size_t i = 0; i < s.size();) {
      if (s[i] == ',') {
        ++i;
        continue;
      }
      const std::size_t begin = i;
      while (i < s.size() && s[i] != ',')
        i += s[i] == '\\' && i + 1 < s.size() && s[i + 1] == ',' ? 2 : 1;
      piece(begin, i);
    }
  };
  // Writes a piece to `to` with each `\,` read as a comma; gives where it begins and ends once
  // trimmed.
  const auto argument = [&](std::size_t begin, std::size_t end, char* to) {
    std::size_t size = 0, first = std::string_view::npos, last = 0;
    for (std::size_t i = begin; i < end; ++i) {
      if (s[i] == '\\' && i + 1 < end && s[i + 1] == ',') ++i;
      if (space.find(s[i]) == std::string_view::npos) {
        if (first == std::string_view::npos) first = size;
        last = size + 1;
      }
      to[size++] = s[i];
    }
    return first == std::string_view::npos ? std::pair<std::size_t, std::size_t>(0, 0)
                                           : std::pair<std::size_t, std::size_t>(first, last);
  };
  std::size_t count = 0, bytes = 0;
  each_piece([&](std::size_t begin, std::size_t end) {
    ++count;
    bytes += end - begin;
  });
  if (count == 0) return error::invalid_command;
  documents::command_argument* args = w.storage().push_bottom_n<documents::command_argument>(count);
  char* text = w.storage().push_bottom_n<char>(bytes);
  if (args == nullptr || text == nullptr) return error::out_of_memory;
  std::size_t n = 0, at = 0;
  each_piece([&](std::size_t begin, std::size_t end) {
    const auto [first, last] = argument(begin, end, text + at);
    args[n++] = {static_cast<std::uint32_t>(at + first), static_cast<std::uint32_t>(last - first)};
    at += end - begin;
  });
  out = documents::command_view(text, args, count);
  const std::string_view program = out[0];
  return program.empty() || program.find_first_of(space) != std::string_view::npos
             ? error::invalid_command
             : error::ok;
}

// An action: its type first (a pass of its own), so that its input is read as the type says.
inline error action(walker& w, od::value& v, std::size_t depth,
                    documents::action_view& a) noexcept {
  od::object obj;
  if (const error e = w.object_of(v, obj); e != error::ok) return e;
  bool typed = false;
  if (const error e = w.each_member(obj,
                                    [&](std::string_view key, od::value& value) {
                                      bool null = false;
                                      if (key != "type" || value.is_null().get(null) || null)
                                        return error::ok;
                                      w.set_error_field(key);
                                      typed = true;
                                      std::string_view type;
                                      if (const error se = w.string(value, type); se != error::ok)
                                        return se;
                                      if (type == "runHandler") {
                                        a.type = action_type::run_handler;
                                      } else if (type == "runCommand") {
                                        a.type = action_type::run_command;
                                      } else {
                                        return error::invalid_action_type;
                                      }
                                      return error::ok;
                                    });
      e != error::ok)
    return e;
  if (!typed) {
    w.set_error_field("type");
    return error::missing_field;
  }
  if (auto e = obj.reset().error()) return from_simdjson(e);

  static constexpr std::string_view names[] = {"name",      "type",        "input",
                                               "runAsUser", "allowStdErr", "ignoreStepFailure"};
  return w.members(obj, names, depth, 0b111, [&](int i, od::value& value) {
    switch (i) {
      case 0: return text(w, value, a.name);
      case 2: {
        od::object input;
        if (const error e = w.object_of(value, input); e != error::ok) return e;
        if (a.type == action_type::run_command) {
          static constexpr std::string_view command[] = {"command"};
          return w.members(input, command, depth + 1, 1, [&](int, od::value& c) {
            std::string_view s;
            if (const error e = w.string(c, s); e != error::ok) return e;
            return split_command(w, s, a.command);
          });
        }
        static constexpr std::string_view handler[] = {"handler", "args", "path"};
        return w.members(input, handler, depth + 1, 1, [&](int k, od::value& h) {
          if (k == 0) return text(w, h, a.handler);
          if (k == 1) return strings(w, h, a.args);
          return w.string(h, a.path);
        });
      }
      case 3: return w.string(value, a.run_as_user);
      case 4: return w.integer(value, a.allow_std_err);
      case 5: return flag(w, value, a.ignore_step_failure);
      default: return error::ok;  // type: read above
    }
  });
}

// A step, or the finalStep: an object whose `action` is the action; one without is skipped, as
// the Device Client skips it. `slot()` gives the action's storage.
template <class Slot>
error step(walker& w, od::value& v, std::size_t depth, Slot&& slot) noexcept {
  od::object obj;
  if (const error e = w.object_of(v, obj); e != error::ok) return e;
  static constexpr std::string_view names[] = {"action"};
  return w.members(obj, names, depth, 0, [&](int, od::value& a) {
    documents::action_view* out = slot();
    return out == nullptr ? error::out_of_memory : action(w, a, depth + 1, *out);
  });
}

inline error device_client(walker& w, od::object& root, documents::device_client_view& d) noexcept {
  static constexpr std::string_view names[] = {"version", "includeStdOut", "conditions", "steps",
                                               "finalStep"};
  const error e = w.members(root, names, 1, 0b01001, [&](int i, od::value& v) {
    switch (i) {
      case 0: return text(w, v, d.version);
      case 1: return flag(w, v, d.include_std_out);
      case 2:
        return top_list(w, v, d.conditions, [&](od::value& item, auto&& slot) {
          od::object obj;
          if (const error ce = w.object_of(item, obj); ce != error::ok) return ce;
          documents::condition_view* c = slot();
          if (c == nullptr) return error::out_of_memory;
          static constexpr std::string_view condition[] = {"key", "value", "type"};
          return w.members(obj, condition, 3, 0b011, [&](int k, od::value& cv) {
            if (k == 0) return text(w, cv, c->key);
            if (k == 2) return w.string(cv, c->type);
            if (const error se = strings(w, cv, c->values); se != error::ok) return se;
            return c->values.empty() ? error::missing_field : error::ok;
          });
        });
      case 3:
        return top_list(w, v, d.steps,
                        [&](od::value& item, auto&& slot) { return step(w, item, 3, slot); });
      default: return step(w, v, 2, [&]() { return &d.final_step.emplace(); });
    }
  });
  if (e != error::ok) return e;
  if (d.steps.empty()) {
    w.set_error_field("steps");
    return error::missing_field;
  }
  d.aws_template = documents::managed_template_of(d);
  return error::ok;
}

// The legacy schema, read as one runHandler step named after its operation.
inline error legacy_device_client(walker& w, od::object& root,
                                  documents::device_client_view& d) noexcept {
  documents::action_view* a = w.storage().push_top<documents::action_view>();
  if (a == nullptr) return error::out_of_memory;
  static constexpr std::string_view names[] = {"operation", "args", "allowStdErr", "path",
                                               "includeStdOut"};
  const error e = w.members(root, names, 1, 1, [&](int i, od::value& v) {
    switch (i) {
      case 0: return text(w, v, a->name);
      case 1: return strings(w, v, a->args);
      case 2: return w.integer(v, a->allow_std_err);
      case 3: return w.string(v, a->path);
      default: return flag(w, v, d.include_std_out);
    }
  });
  a->handler = a->name;
  d.steps = list_view<documents::action_view>(a, 1);
  return e;
}

inline error ota_file(walker& w, od::value& v, documents::ota_file_view& f) noexcept {
  od::object obj;
  if (const error e = w.object_of(v, obj); e != error::ok) return e;
  static constexpr std::string_view names[] = {
      "filepath", "filesize",        "fileid",      "certfile",        "fileType",
      "attr",     "update_data_url", "auth_scheme", "sig-<hash>-<alg>"};
  // The four signature keys share one slot: a file has one signature.
  static constexpr std::string_view signatures[] = {"sig-sha1-rsa", "sig-sha256-rsa",
                                                    "sig-sha1-ecdsa", "sig-sha256-ecdsa"};
  const auto match = [](std::string_view key) {
    const int i = index_of(names, key);  // names[8] stands for the four, and is none of them
    if (i >= 0 && i < 8) return i;
    return index_of(signatures, key) >= 0 ? 8 : -1;
  };
  return w.members_matching(obj, names, match, 3, 0b110, [&](int i, od::value& value) {
    switch (i) {
      case 0: return w.string(value, f.file_path);
      case 1: return unsigned_integer(w, value, f.file_size);
      case 2: return unsigned_integer(w, value, f.file_id);
      case 3: return w.string(value, f.cert_file);
      case 4: return unsigned_integer(w, value, f.file_type.emplace());
      case 5: return unsigned_integer(w, value, f.attr.emplace());
      case 6: return w.string(value, f.update_data_url);  // required with HTTP (afr_ota())
      case 7: return w.string(value, f.auth_scheme);
      default: {
        f.signature_key = w.error_field();  // the member being read
        if (const error e = w.string(value, f.signature); e != error::ok) return e;
        return documents::is_valid_signature(f.signature) ? error::ok : error::invalid_signature;
      }
    }
  });
}

// protocols: 1-2 of "MQTT" and "HTTP", each once.
inline error protocols(walker& w, od::value& v, documents::afr_ota_view& o) noexcept {
  od::array arr;
  const auto ae = v.get_array().get(arr);
  if (ae) return ae == simdjson::INCORRECT_TYPE ? w.mismatch(v) : from_simdjson(ae);
  const error e = each_element(arr, [&](od::value& item) {
    std::string_view s;
    if (const error se = w.string(item, s); se != error::ok) return se;
    const auto p = s == "MQTT" ? documents::ota_protocol::mqtt : documents::ota_protocol::http;
    if ((s != "MQTT" && s != "HTTP") || o.protocol_count == 2 || o.offers(p))
      return error::invalid_protocol;
    o.protocols[o.protocol_count++] = p;
    return error::ok;
  });
  if (e != error::ok) return e;
  return o.protocol_count == 0 ? error::invalid_protocol : error::ok;
}

inline error afr_ota(walker& w, od::object& root, documents::afr_ota_view& o) noexcept {
  static constexpr std::string_view top[] = {"afr_ota"};
  static constexpr std::string_view names[] = {"protocols", "streamname", "files"};
  const error e = w.members(root, top, 1, 1, [&](int, od::value& v) {
    od::object obj;
    if (const error oe = w.object_of(v, obj); oe != error::ok) return oe;
    return w.members(obj, names, 2, 0b101, [&](int i, od::value& value) {
      switch (i) {
        case 0: return protocols(w, value, o);
        case 1:
          if (const error se = w.string(value, o.stream_name); se != error::ok) return se;
          return is_id(o.stream_name, 128, false) ? error::ok : error::invalid_stream_name;
        default:
          return w.list(value, o.files, [&](od::value& item, documents::ota_file_view& f) {
            return ota_file(w, item, f);
          });
      }
    });
  });
  if (e != error::ok) return e;
  // What the protocols require, checked once all members are read.
  const auto missing = [&](std::string_view name) {
    w.set_error_field(name);
    return error::missing_field;
  };
  if (o.files.empty()) return missing("files");
  if (o.offers(documents::ota_protocol::mqtt) && o.stream_name.empty())
    return missing("streamname");
  if (o.offers(documents::ota_protocol::http)) {
    for (const documents::ota_file_view& f : o.files) {
      if (f.update_data_url.empty()) return missing("update_data_url");
      if (f.auth_scheme.empty()) return missing("auth_scheme");
    }
  }
  return error::ok;
}

// The first pass: the kind, from which top-level members are present and not null. It stops at
// `afr_ota`, which decides alone: an OTA document, whose block usually comes first, is walked
// once.
inline error kind_of(walker& w, od::object& root, documents::kind& out) noexcept {
  bool ota = false, steps = false, operation = false, versioned = false;
  for (auto member : root) {
    if (member.error()) return from_simdjson(member.error());
    od::field& f = member.value_unsafe();
    std::string_view key;
    if (auto e = w.key_text(f, key)) return from_simdjson(e);
    const bool known = key == "afr_ota" || key == "steps" || key == "operation" || key == "version";
    bool null = false;
    if (!known || f.value().is_null().get(null) || null) continue;  // the second pass judges
    std::string_view version;
    steps = steps || key == "steps";
    operation = operation || key == "operation";
    // An empty version is no version to the Device Client, which then reads the legacy schema.
    if (key == "version" && !w.string_text(f.value(), version) && !version.empty())
      versioned = true;
    if (key == "afr_ota") {
      ota = true;
      break;
    }
  }
  out = ota                       ? documents::kind::afr_ota
        : operation && !versioned ? documents::kind::legacy_device_client
        : steps                   ? documents::kind::device_client
                                  : documents::kind::unknown;
  return from_simdjson(root.reset().error());
}

}  // namespace document_reader

/// Reads a job document: its kind, then its view; any other object is validated in full.
inline error read_document(walker& w, od::object& root, documents::document_view& out) noexcept {
  namespace reader = document_reader;
  if (const error e = reader::kind_of(w, root, out.kind); e != error::ok) return e;
  switch (out.kind) {
    case documents::kind::device_client:
      return reader::device_client(w, root, out.body.emplace<documents::device_client_view>());
    case documents::kind::legacy_device_client:
      return reader::legacy_device_client(w, root,
                                          out.body.emplace<documents::device_client_view>());
    case documents::kind::afr_ota:
      return reader::afr_ota(w, root, out.body.emplace<documents::afr_ota_view>());
    case documents::kind::unknown: break;
  }
  return w.each_member(root, [&](std::string_view key, od::value& v) {
    w.set_error_field(key);
    return w.validate(v, 1);
  });
}

}  // namespace iotjobs::detail

#endif  // IOTJOBS_DETAIL_DOCUMENT_READER_HPP
