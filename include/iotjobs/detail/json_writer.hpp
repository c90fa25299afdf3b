// Output sinks and the JSON text writer behind every encoder. A sink takes bytes; the writer
// emits JSON tokens into any sink, so one piece of code serves the fixed-buffer, output-iterator
// and size-query forms alike.
#ifndef IOTJOBS_DETAIL_JSON_WRITER_HPP
#define IOTJOBS_DETAIL_JSON_WRITER_HPP

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "iotjobs/detail/byte_scan.hpp"
#include "iotjobs/error.hpp"

namespace iotjobs::detail {

/// Counts bytes and writes nothing: the size query.
struct counting_sink {
  std::size_t size = 0;
  void write(std::string_view s) noexcept { size += s.size(); }
};

/// Writes into a fixed buffer while the bytes fit and counts them all, so that one pass both
/// writes and learns the size needed when the buffer is too small.
struct buffer_sink {
  char* data;
  std::size_t capacity;
  std::size_t size = 0;
  void write(std::string_view s) noexcept {
    if (size <= capacity && s.size() <= capacity - size) copy(data + size, s.data(), s.size());
    size += s.size();
  }
  // A literal: its size is a constant, so the copy is inlined rather than a call to memcpy (most
  // of what an encoder writes is punctuation and member names).
  template <std::size_t N>
  void write(const char (&s)[N]) noexcept {
    if (size <= capacity && N - 1 <= capacity - size) std::memcpy(data + size, s, N - 1);
    size += N - 1;
  }
  bool overflowed() const noexcept { return size > capacity; }

 private:
  // Most strings written are names and tokens of a few bytes: copied inline, as two overlapping
  // moves, rather than by a call to memcpy.
  static void copy(char* to, const char* from, std::size_t n) noexcept {
    if (n > 16) {
      std::memcpy(to, from, n);
    } else if (n >= 8) {
      move_overlapping<8>(to, from, n);
    } else if (n >= 4) {
      move_overlapping<4>(to, from, n);
    } else if (n > 0) {
      to[0] = from[0];
      to[n / 2] = from[n / 2];
      to[n - 1] = from[n - 1];
    }
  }
  template <std::size_t W>
  static void move_overlapping(char* to, const char* from, std::size_t n) noexcept {
    char head[W], tail[W];
    std::memcpy(head, from, W);
    std::memcpy(tail, from + n - W, W);
    std::memcpy(to, head, W);
    std::memcpy(to + n - W, tail, W);
  }
};

/// Copies into an output iterator.
template <class OutputIt>
struct iterator_sink {
  OutputIt out;
  void write(std::string_view s) {
    for (char c : s)
      *out++ = c;
  }
};

/// Runs `emit(sink)` into `out`; the bytes written, or buffer_too_small with the size needed.
template <class Emit>
result<std::string_view> write_to_n(mutable_buffer out, Emit&& emit) noexcept {
  buffer_sink sink{out.data, out.size};
  emit(sink);
  if (sink.overflowed()) return {error::buffer_too_small, sink.size};
  return std::string_view(out.data, sink.size);
}

/// write_to_n() for a topic: a NUL follows it in the buffer (and counts in the size needed), so
/// that a C client can publish the buffer as it is; the view leaves the NUL out.
template <class Emit>
result<std::string_view> write_topic_to_n(mutable_buffer out, Emit&& emit) noexcept {
  buffer_sink sink{out.data, out.size};
  emit(sink);
  sink.write("\0");  // a literal of one NUL byte: copied as literals are
  if (sink.overflowed()) return {error::buffer_too_small, sink.size};
  return std::string_view(out.data, sink.size - 1);
}

inline constexpr char hex_digits[] = "0123456789abcdef";

/// A JSON string literal. The caller has checked that `s` is well-formed UTF-8, which passes
/// through unchanged; `"`, `\` and the C0 controls are escaped (controls as \u00XX).
template <class Sink>
void write_json_string(Sink& sink, std::string_view s) {
  sink.write("\"");
  if (all_in_class<byte_class::json_plain>(s)) {  // the usual case: nothing to escape
    sink.write(s);
    sink.write("\"");
    return;
  }
  for (;;) {
    const std::size_t run = leading_in_class<byte_class::json_plain>(s);
    sink.write(s.substr(0, run));
    if (run == s.size()) break;
    const auto c = static_cast<unsigned char>(s[run]);
    if (c == '"') {
      sink.write("\\\"");
    } else if (c == '\\') {
      sink.write("\\\\");
    } else {
      const char esc[6] = {'\\', 'u', '0', '0', hex_digits[c >> 4], hex_digits[c & 0xF]};
      sink.write(std::string_view(esc, 6));
    }
    s.remove_prefix(run + 1);
  }
  sink.write("\"");
}

/// A JSON string holding `bytes` in base64 (RFC 4648, with padding), as AWS sends blobs.
template <class Sink>
void write_json_base64(Sink& sink, std::string_view bytes) {
  constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  sink.write("\"");
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = bytes.size() - i < 3 ? bytes.size() - i : 3;
    std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (n > 1) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (n > 2) v |= static_cast<unsigned char>(bytes[i + 2]);
    const char quad[4] = {alphabet[v >> 18 & 63], alphabet[v >> 12 & 63],
                          n > 1 ? alphabet[v >> 6 & 63] : '=', n > 2 ? alphabet[v & 63] : '='};
    sink.write(std::string_view(quad, 4));
  }
  sink.write("\"");
}

template <class Sink>
void write_json_int(Sink& sink, std::int64_t v) {
  char digits[20];
  const auto r = std::to_chars(digits, digits + sizeof digits, v);
  sink.write(std::string_view(digits, static_cast<std::size_t>(r.ptr - digits)));
}

/// Writes `{"k":v,...}` one member at a time, placing the commas.
template <class Sink>
class json_object_writer {
 public:
  explicit json_object_writer(Sink& sink) : sink_(sink) { sink_.write("{"); }
  void finish() { sink_.write("}"); }

  // Keys are this library's fixed names (literals, whose size is a constant) or validated
  // statusDetails keys ([a-zA-Z0-9:_-]): no escaping needed.
  template <class Key>
  void string_member(const Key& key, std::string_view value) {
    start(key);
    write_json_string(sink_, value);
  }
  template <class Key>
  void int_member(const Key& key, std::int64_t value) {
    start(key);
    write_json_int(sink_, value);
  }
  template <class Key>
  void bool_member(const Key& key, bool value) {
    start(key);
    if (value) {
      sink_.write("true");
    } else {
      sink_.write("false");
    }
  }
  /// Starts a member whose key is any UTF-8 text, escaped; the caller writes the value.
  Sink& escaped_member(std::string_view key) {
    if (!first_) sink_.write(",");
    first_ = false;
    write_json_string(sink_, key);
    sink_.write(":");
    return sink_;
  }
  /// Starts a member whose value the caller writes to sink() itself.
  template <class Key>
  Sink& member(const Key& key) {
    start(key);
    return sink_;
  }

 private:
  template <class Key>
  void start(const Key& key) {
    if (first_) {
      sink_.write("\"");
    } else {
      sink_.write(",\"");
    }
    first_ = false;
    sink_.write(key);
    sink_.write("\":");
  }

  Sink& sink_;
  bool first_ = true;
};

}  // namespace iotjobs::detail

#endif  // IOTJOBS_DETAIL_JSON_WRITER_HPP
