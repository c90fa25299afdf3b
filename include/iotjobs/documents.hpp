// iotjobs — job documents: what the documents devices meet most hold, as typed views (the AWS IoT
// Device Client's schema, which the AWS managed templates use, its legacy schema, and FreeRTOS
// OTA's `afr_ota`), which kind a document is, presigned S3 URLs in them, and the FreeRTOS OTA
// agent's statusDetails keys. docs/documents.md gives every rule with its source. Plain C++17:
// the decoder reads a document into these views (`dec.decode(iotjobs::documents::job_document,
// text)`, messages.hpp).
//
// Lifetime: every view here that a decode returns is valid until the next decode on the decoder
// that produced it, or the decoder's destruction; none points into the text decoded, which may be
// freed once the decode returns. What the helpers below return (a decoded signature, an OTA
// statusDetails entry, a value from make_status_details_value()) views the caller's buffer `out`,
// or literals.
#ifndef IOTJOBS_DOCUMENTS_HPP
#define IOTJOBS_DOCUMENTS_HPP

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>
#include <variant>

#include "iotjobs/detail/base64.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/model.hpp"
#include "iotjobs/validate.hpp"

namespace iotjobs::documents {

/// Which schema a document follows, told from its top-level members that are not null:
/// `afr_ota` (FreeRTOS OTA); else `operation` with no `version` that is a non-empty string (the
/// Device Client's legacy schema, as the Device Client reads such a document); else `steps` (its
/// schema). Any other JSON object is `unknown`: someone else's job, not an error.
enum class kind : std::uint8_t { unknown, device_client, legacy_device_client, afr_ota };

[[nodiscard]] constexpr std::string_view to_string(kind k) noexcept {
  switch (k) {
    case kind::device_client: return "device_client";
    case kind::legacy_device_client: return "legacy_device_client";
    case kind::afr_ota: return "afr_ota";
    case kind::unknown: break;
  }
  return "unknown";
}

// ---------------------------------------------------------------------------------------------
// The Device Client's schema (version "1.0") and its legacy one.

enum class action_type : std::uint8_t { run_handler, run_command };

/// Where a runHandler action's handler is looked for, from its input's `path`.
enum class handler_location : std::uint8_t {
  search_path,        // no path, or "": the PATH
  handler_directory,  // "default": the agent's handler directory
  directory,          // any other path: that directory
};

/// One argument of a runCommand's command, where it sits in the command's split text.
struct command_argument {
  std::uint32_t offset = 0;
  std::uint32_t size = 0;
};

/// A runCommand's command line as its arguments, split as the Device Client splits it: on every
/// comma not escaped as `\,`, with `\,` read as a comma, empty pieces dropped, and each argument
/// trimmed of " \t\n\v\f\r". The first argument is the program; it is never empty and holds no
/// white space.
class command_view {
 public:
  constexpr command_view() noexcept = default;
  /// As the decoder builds it: `count` arguments, each a piece of `text`.
  constexpr command_view(const char* text, const command_argument* arguments,
                         std::size_t count) noexcept
      : text_(text), arguments_(arguments), count_(count) {}

  constexpr std::size_t size() const noexcept { return count_; }
  constexpr bool empty() const noexcept { return count_ == 0; }
  /// Precondition: i < size().
  constexpr std::string_view operator[](std::size_t i) const noexcept {
    return {text_ + arguments_[i].offset, arguments_[i].size};
  }

  /// Yields each argument as a std::string_view.
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;

    constexpr iterator(const command_view* c, std::size_t i) noexcept : c_(c), i_(i) {}
    constexpr std::string_view operator*() const noexcept { return (*c_)[i_]; }
    constexpr iterator& operator++() noexcept {
      ++i_;
      return *this;
    }
    constexpr iterator operator++(int) noexcept {
      iterator before = *this;
      ++i_;
      return before;
    }
    constexpr bool operator!=(const iterator& o) const noexcept { return i_ != o.i_; }
    constexpr bool operator==(const iterator& o) const noexcept { return i_ == o.i_; }

   private:
    const command_view* c_;
    std::size_t i_;
  };
  constexpr iterator begin() const noexcept { return {this, 0}; }
  constexpr iterator end() const noexcept { return {this, count_}; }

 private:
  const char* text_ = nullptr;
  const command_argument* arguments_ = nullptr;
  std::size_t count_ = 0;
};

/// A step's action. runHandler fills handler, args and path; runCommand fills command.
struct action_view {
  std::string_view name;  // never empty
  action_type type = action_type::run_handler;
  std::string_view handler;  // runHandler: never empty
  list_view<std::string_view> args;
  std::string_view path;                      // runHandler: "" when absent; see location()
  command_view command;                       // runCommand: at least the program
  std::string_view run_as_user;               // "" when absent: run as the agent's own user
  std::optional<std::int64_t> allow_std_err;  // stderr lines tolerated before the step fails
  bool ignore_step_failure = false;

  constexpr handler_location location() const noexcept {
    if (path.empty()) return handler_location::search_path;
    return path == "default" ? handler_location::handler_directory : handler_location::directory;
  }
};

/// A condition: `key` must hold one of `values` (the Device Client reads but does not apply
/// them).
struct condition_view {
  std::string_view key;                   // never empty
  list_view<std::string_view> values;     // never empty
  std::string_view type = "stringEqual";  // as given, or the default
};

/// The eight AWS managed templates, recognised from a document's one step.
enum class managed_template : std::uint8_t {
  none,
  download_file,
  install_application,
  remove_application,
  restart_application,
  start_application,
  stop_application,
  reboot,
  run_command,
};

namespace detail {

// Each template's one action: its name, type, handler (runHandler) and number of args.
struct template_shape {
  std::string_view template_name;
  std::string_view action_name;
  action_type type;
  std::string_view handler;
  std::size_t args;
};
inline constexpr std::array<template_shape, 8> template_shapes{{
    {"AWS-Download-File", "Download-File", action_type::run_handler, "download-file.sh", 2},
    {"AWS-Install-Application", "Install-Application", action_type::run_handler,
     "install-packages.sh", 1},
    {"AWS-Remove-Application", "Remove-Application", action_type::run_handler, "remove-packages.sh",
     1},
    {"AWS-Restart-Application", "Restart-Application", action_type::run_handler,
     "restart-services.sh", 1},
    {"AWS-Start-Application", "Start-Application", action_type::run_handler, "start-services.sh",
     1},
    {"AWS-Stop-Application", "Stop-Application", action_type::run_handler, "stop-services.sh", 1},
    {"AWS-Reboot", "Reboot", action_type::run_handler, "reboot.sh", 0},
    {"AWS-Run-Command", "Run-Command", action_type::run_command, "", 0},
}};

// The templates' documentParameters patterns are `(.){0,N}`: at most N code points, none of them
// a line terminator, which Java's `.` does not match (\n, \r, U+0085, U+2028, U+2029).
constexpr bool fits_parameter(std::string_view s, std::size_t max_code_points) noexcept {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n' || c == '\r') return false;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x85) return false;
    if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
         static_cast<unsigned char>(s[i + 2]) == 0xA9))
      return false;
    count += (c & 0xC0) != 0x80;
  }
  return count <= max_code_points;
}

}  // namespace detail

/// The template's AWS name ("AWS-Reboot"), "" for none.
[[nodiscard]] constexpr std::string_view to_string(managed_template t) noexcept {
  const auto i = static_cast<std::size_t>(t);
  return i == 0 || i > detail::template_shapes.size()
             ? std::string_view()
             : detail::template_shapes[i - 1].template_name;
}

/// A document of the Device Client's schema, or of its legacy one read as that schema: the
/// legacy `operation` is one runHandler step whose name and handler it is.
struct device_client_view {
  std::string_view version;  // "1.0" (any non-empty text); "" for the legacy schema
  bool include_std_out = false;
  list_view<condition_view> conditions;
  list_view<action_view> steps;  // at least one
  std::optional<action_view> final_step;
  managed_template aws_template = managed_template::none;
};

/// The managed template a document is: version "1.0", one step and no finalStep, the template's
/// action name, type, handler and number of args, its parameters within their limits (runAsUser
/// 256 code points, pathToHandler 4096), and nothing the templates do not write (conditions,
/// includeStdOut, allowStdErr, ignoreStepFailure). A document like one but beyond that is not
/// the template: the service could not have made it.
[[nodiscard]] constexpr managed_template managed_template_of(const device_client_view& d) noexcept {
  if (d.version != "1.0" || d.steps.size() != 1 || d.final_step || !d.conditions.empty() ||
      d.include_std_out)
    return managed_template::none;
  const action_view& a = d.steps[0];
  if (a.allow_std_err || a.ignore_step_failure) return managed_template::none;
  if (!detail::fits_parameter(a.run_as_user, 256) || !detail::fits_parameter(a.path, 4096))
    return managed_template::none;
  for (std::size_t i = 0; i < detail::template_shapes.size(); ++i) {
    const detail::template_shape& t = detail::template_shapes[i];
    if (a.name != t.action_name || a.type != t.type) continue;
    if (t.type == action_type::run_command || (a.handler == t.handler && a.args.size() == t.args))
      return static_cast<managed_template>(i + 1);
  }
  return managed_template::none;
}

// ---------------------------------------------------------------------------------------------
// FreeRTOS OTA: `afr_ota`.

enum class ota_protocol : std::uint8_t { mqtt, http };

/// A signature decodes to at most 384 bytes (an RSA-3072 one).
inline constexpr std::size_t max_signature_size = 384;

/// One file of an OTA update. `null` members are absent; so is a `sig-*` key other than the four
/// known ones (`"sig--": null` when nothing was signed).
struct ota_file_view {
  std::string_view file_path;  // "" when absent
  std::uint32_t file_size = 0;
  std::uint8_t file_id = 0;
  std::string_view cert_file;      // "" when absent
  std::string_view signature_key;  // sig-sha1-rsa, sig-sha256-rsa, sig-sha1-ecdsa,
                                   // sig-sha256-ecdsa; "" when unsigned
  std::string_view signature;      // base64 (at most 384 bytes decoded): decode_signature()
  std::optional<std::uint8_t> file_type;
  std::optional<std::uint32_t> attr;
  std::string_view update_data_url;  // HTTP: the presigned URL
  std::string_view auth_scheme;      // HTTP: "aws.s3.presigned"
};

/// An `afr_ota` block: its protocols in the order listed, the stream (MQTT) and the files.
struct afr_ota_view {
  std::array<ota_protocol, 2> protocols{};
  std::size_t protocol_count = 0;  // 1 or 2
  std::string_view stream_name;    // required with MQTT
  list_view<ota_file_view> files;  // at least one; each with update_data_url and auth_scheme
                                   // when HTTP is listed

  constexpr bool offers(ota_protocol p) const noexcept {
    for (std::size_t i = 0; i < protocol_count; ++i) {
      if (protocols[i] == p) return true;
    }
    return false;
  }
};

/// A decoded job document: its kind, and the view of its schema (none for `unknown`).
struct document_view {
  documents::kind kind = documents::kind::unknown;
  std::variant<std::monostate, device_client_view, afr_ota_view> body;

  /// The view when the kind is device_client or legacy_device_client, else nullptr.
  const device_client_view* device_client() const noexcept {
    return std::get_if<device_client_view>(&body);
  }
  /// The view when the kind is afr_ota, else nullptr.
  const afr_ota_view* afr_ota() const noexcept { return std::get_if<afr_ota_view>(&body); }
};

/// Whether `base64` is a signature: base64 of 1 to 384 bytes.
[[nodiscard]] constexpr bool is_valid_signature(std::string_view base64) noexcept {
  const std::ptrdiff_t size = iotjobs::detail::base64_decode(base64, nullptr);
  return size > 0 && static_cast<std::size_t>(size) <= max_signature_size;
}

/// Decodes an OTA file's base64 signature into `out`: its size, invalid_signature when it is not
/// base64 of 1 to 384 bytes, buffer_too_small when `out` is shorter than the signature.
[[nodiscard]] constexpr result<std::size_t> decode_signature(std::string_view base64,
                                                             mutable_buffer out) noexcept {
  const std::ptrdiff_t decoded = iotjobs::detail::base64_decode(base64, nullptr);
  if (decoded <= 0 || static_cast<std::size_t>(decoded) > max_signature_size)
    return error::invalid_signature;
  const auto size = static_cast<std::size_t>(decoded);
  if (size > out.size) return {error::buffer_too_small, size};
  (void)iotjobs::detail::base64_decode(base64, out.data);
  return size;
}

// ---------------------------------------------------------------------------------------------
// Presigned S3 URLs. The service replaces `${aws:iot:s3-presigned-url:<S3 URL>}` in a document
// with a URL signed for that delivery (SigV4 query parameters), signed anew on every delivery.

/// The whole text is a placeholder the service did not replace.
[[nodiscard]] constexpr bool is_unresolved_presigned_url(std::string_view s) noexcept {
  constexpr std::string_view prefix = "${aws:iot:s3-presigned-url:";
  return s.size() > prefix.size() + 1 && s.substr(0, prefix.size()) == prefix && s.back() == '}';
}

namespace detail {

// The value of query parameter `name` in `url` (after its `?`, before any `#`), if present.
constexpr std::optional<std::string_view> query_parameter(std::string_view url,
                                                          std::string_view name) noexcept {
  const std::size_t q = url.find_first_of("?#");
  if (q == std::string_view::npos || url[q] == '#') return std::nullopt;
  std::string_view query = url.substr(q + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=')
      return pair.substr(name.size() + 1);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr bool digits(std::string_view s, std::size_t at, std::size_t n, unsigned& out) noexcept {
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

}  // namespace detail

/// A presigned URL: an http(s) URL whose query has X-Amz-Signature.
[[nodiscard]] constexpr bool is_presigned_url(std::string_view url) noexcept {
  return (url.substr(0, 8) == "https://" || url.substr(0, 7) == "http://") &&
         detail::query_parameter(url, "X-Amz-Signature").has_value();
}

/// When a presigned URL stops working, in seconds since the epoch: X-Amz-Date (YYYYMMDDTHHMMSSZ,
/// UTC) plus X-Amz-Expires (1 to 604800 seconds, SigV4's range). invalid_presigned_url when
/// either is missing or malformed.
[[nodiscard]] constexpr result<std::int64_t> presigned_url_expiry(std::string_view url) noexcept {
  const auto date = detail::query_parameter(url, "X-Amz-Date");
  const auto expires = detail::query_parameter(url, "X-Amz-Expires");
  if (!date || !expires || date->size() != 16 || (*date)[8] != 'T' || (*date)[15] != 'Z')
    return error::invalid_presigned_url;
  unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!detail::digits(*date, 0, 4, y) || !detail::digits(*date, 4, 2, mo) ||
      !detail::digits(*date, 6, 2, d) || !detail::digits(*date, 9, 2, h) ||
      !detail::digits(*date, 11, 2, mi) || !detail::digits(*date, 13, 2, s))
    return error::invalid_presigned_url;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  constexpr unsigned month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > month_days[mo - 1] + (mo == 2 && leap) || h > 23 ||
      mi > 59 || s > 59)
    return error::invalid_presigned_url;
  unsigned lifetime = 0;
  if (expires->empty() || expires->size() > 6 ||
      !detail::digits(*expires, 0, expires->size(), lifetime) || lifetime < 1 || lifetime > 604800)
    return error::invalid_presigned_url;
  return detail::days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s + lifetime;
}

namespace detail {

// A job document's JSON text in the pieces that count when two deliveries are compared: each run
// of text between strings, and each string (from its opening quote) whole, or, when it holds a
// presigned URL (a `?` and then X-Amz-Signature, however escaped around it), cut before its query.
class document_pieces {
 public:
  constexpr explicit document_pieces(std::string_view json) noexcept : json_(json) {}
  constexpr bool done() const noexcept { return at_ >= json_.size(); }
  constexpr std::string_view next() noexcept {
    const std::size_t start = at_;
    if (json_[at_] != '"') {
      at_ = json_.find('"', at_);
      if (at_ == std::string_view::npos) at_ = json_.size();
      return json_.substr(start, at_ - start);
    }
    std::size_t end = at_ + 1;  // the closing quote
    while (end < json_.size() && json_[end] != '"')
      end += json_[end] == '\\' ? 2 : 1;
    at_ = end + 1;
    const std::string_view s = json_.substr(start, end + 1 - start);
    const std::size_t query = s.find('?');
    if (query != std::string_view::npos &&
        s.find("X-Amz-Signature", query) != std::string_view::npos)
      return s.substr(0, query);
    return s;
  }

 private:
  std::string_view json_;
  std::size_t at_ = 0;
};

}  // namespace detail

/// Whether two job documents' JSON texts are the same document: equal text, but for the queries
/// of presigned URLs, which the service signs anew on every delivery.
[[nodiscard]] constexpr bool same_document(std::string_view a, std::string_view b) noexcept {
  detail::document_pieces pa(a), pb(b);
  while (!pa.done() && !pb.done()) {
    if (pa.next() != pb.next()) return false;
  }
  return pa.done() && pb.done();
}

/// A 64-bit hash (FNV-1a) of a job document's text that same_document() documents share, for
/// telling deliveries apart without keeping their text.
[[nodiscard]] constexpr std::uint64_t fingerprint(std::string_view json) noexcept {
  std::uint64_t h = 14695981039346656037ull;
  for (detail::document_pieces p(json); !p.done();) {
    for (const char c : p.next())
      h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    h = (h ^ 0xFF) * 1099511628211ull;  // a piece's end: no two splits of one text hash alike
  }
  return h;
}

// ---------------------------------------------------------------------------------------------
// The FreeRTOS OTA agent's statusDetails keys: all values are strings.

/// `self_test`: where an update's self-test stands.
enum class self_test_state : std::uint8_t { ready, active, accepted, rejected, aborted };

[[nodiscard]] constexpr std::string_view to_string(self_test_state s) noexcept {
  constexpr std::string_view names[] = {"ready", "active", "accepted", "rejected", "aborted"};
  const auto i = static_cast<std::size_t>(s);
  return i < std::size(names) ? names[i] : std::string_view();
}

inline constexpr std::string_view self_test_key = "self_test";
inline constexpr std::string_view updated_by_key = "updatedBy";
inline constexpr std::string_view receive_key = "receive";
inline constexpr std::string_view reason_key = "reason";

/// The `self_test` entry.
[[nodiscard]] constexpr status_detail self_test(self_test_state s) noexcept {
  return {self_test_key, to_string(s)};
}

/// The `self_test` state read back from an execution's statusDetails (on reconnect).
[[nodiscard]] constexpr std::optional<self_test_state> self_test_of(
    const status_details_view& details) noexcept {
  const auto v = details.find(self_test_key);
  for (int i = 0; v && i <= static_cast<int>(self_test_state::aborted); ++i) {
    if (*v == to_string(static_cast<self_test_state>(i))) return static_cast<self_test_state>(i);
  }
  return std::nullopt;
}

/// The `updatedBy` entry: the running firmware's 32-bit version as `0x<hex>`, in `out` (at
/// least 10 bytes).
[[nodiscard]] constexpr result<status_detail> updated_by(std::uint32_t firmware_version,
                                                         mutable_buffer out) noexcept {
  if (out.size < 10) return {error::buffer_too_small, 10};
  out.data[0] = '0';
  out.data[1] = 'x';
  const auto r = std::to_chars(out.data + 2, out.data + 10, firmware_version, 16);
  return status_detail{updated_by_key,
                       std::string_view(out.data, static_cast<std::size_t>(r.ptr - out.data))};
}

/// The `updatedBy` version read back, if the entry is `0x<hex>` of 32 bits.
[[nodiscard]] constexpr std::optional<std::uint32_t> updated_by_of(
    const status_details_view& details) noexcept {
  const auto v = details.find(updated_by_key);
  if (!v || v->size() < 3 || v->substr(0, 2) != "0x") return std::nullopt;
  std::uint32_t x = 0;
  const auto r = std::from_chars(v->data() + 2, v->data() + v->size(), x, 16);
  if (r.ec != std::errc() || r.ptr != v->data() + v->size()) return std::nullopt;
  return x;
}

/// The `receive` entry: `<received>/<total>` blocks, in `out` (at least 21 bytes).
[[nodiscard]] constexpr result<status_detail> receive(std::uint32_t received, std::uint32_t total,
                                                      mutable_buffer out) noexcept {
  if (out.size < 21) return {error::buffer_too_small, 21};
  char* p = std::to_chars(out.data, out.data + 10, received).ptr;
  *p++ = '/';
  p = std::to_chars(p, out.data + 21, total).ptr;
  return status_detail{receive_key,
                       std::string_view(out.data, static_cast<std::size_t>(p - out.data))};
}

/// The `reason` entry: any text made a valid value (make_status_details_value()) in `out`.
[[nodiscard]] constexpr result<status_detail> reason(std::string_view text,
                                                     mutable_buffer out) noexcept {
  const auto v = make_status_details_value(text, out);
  if (!v) return {v.error(), v.required_size()};
  return status_detail{reason_key, *v};
}

}  // namespace iotjobs::documents

#endif  // IOTJOBS_DOCUMENTS_HPP
