// The CBOR (RFC 8949) writer behind the CBOR form of the commands status update. It writes into
// the sinks of detail/json_writer.hpp, so the CBOR form has the fixed-buffer, output-iterator and
// size-query encoders of the JSON one. Deterministic encoding (RFC 8949 §4.2.1): every head in
// its shortest form and definite lengths only; the writer of a map gives its keys in the order
// key_before() defines.
#ifndef IOTJOBS_DETAIL_CBOR_WRITER_HPP
#define IOTJOBS_DETAIL_CBOR_WRITER_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace iotjobs::detail::cbor {

enum class major : std::uint8_t { byte_string = 2, text_string = 3, map = 5 };

/// A data item's head: its major type and its argument (a length, or an entry count).
template <class Sink>
void write_head(Sink& sink, major type, std::uint64_t argument) {
  char head[9];
  const unsigned top = static_cast<unsigned>(type) << 5;
  std::size_t size = 1;
  if (argument < 24) {
    head[0] = static_cast<char>(top | argument);
  } else {
    // 24, 25, 26, 27: the argument follows in 1, 2, 4 or 8 bytes, big-endian.
    const unsigned extra = argument <= 0xFF         ? 0
                           : argument <= 0xFFFF     ? 1
                           : argument <= 0xFFFFFFFF ? 2
                                                    : 3;
    size = 1 + (std::size_t{1} << extra);
    head[0] = static_cast<char>(top | (24 + extra));
    for (std::size_t i = size - 1; i > 0; --i, argument >>= 8)
      head[i] = static_cast<char>(argument & 0xFF);
  }
  sink.write(std::string_view(head, size));
}

template <class Sink>
void write_text(Sink& sink, std::string_view text) {
  write_head(sink, major::text_string, text.size());
  sink.write(text);
}

template <class Sink>
void write_bytes(Sink& sink, std::string_view bytes) {
  write_head(sink, major::byte_string, bytes.size());
  sink.write(bytes);
}

template <class Sink>
void write_bool(Sink& sink, bool value) {
  sink.write(value ? "\xF5" : "\xF4");  // simple values 21 (true) and 20 (false)
}

/// The deterministic order of two text keys: bytewise order of their encodings, which for text
/// strings is the shorter first (a longer text has a larger head), then bytewise.
constexpr bool key_before(std::string_view a, std::string_view b) noexcept {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

}  // namespace iotjobs::detail::cbor

#endif  // IOTJOBS_DETAIL_CBOR_WRITER_HPP
