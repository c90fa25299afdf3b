// The encoder family behind every binding, as fmt names its formatting functions:
//   encode_to(out, r)               the payload to an output iterator of char
//   encode_to_n(topic, payload, r)  into fixed caller buffers; too small -> buffer_too_small
//                                   with required_size(), the bytes the short buffer needs (the
//                                   topic buffer is checked first)
//   encoded_size(r)                 the sizes encode_to_n() needs
//   encode(r)                       the one allocating form, for tools and tests
// A binding is a struct with `static error check(const R&)`, which validates every field before
// a byte is written, `static void payload(Sink&, const R&)` and, for the bindings that publish
// to a topic, `static void topic(Sink&, const R&)`.
#ifndef IOTJOBS_DETAIL_ENCODING_HPP
#define IOTJOBS_DETAIL_ENCODING_HPP

#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>

#include "iotjobs/detail/json_writer.hpp"
#include "iotjobs/error.hpp"

namespace iotjobs::detail {

/// Appends to a std::string.
struct string_sink {
  std::string& out;
  void write(std::string_view s) { out.append(s); }
};

template <class Binding, class R, class OutputIt>
result<OutputIt> encode_payload_to(OutputIt out, const R& r) {
  if (const error e = Binding::check(r); e != error::ok) return e;
  iterator_sink<OutputIt> sink{out};
  Binding::payload(sink, r);
  return sink.out;
}

template <class Binding, class R>
result<std::string_view> encode_payload_to_n(mutable_buffer out, const R& r) noexcept {
  if (const error e = Binding::check(r); e != error::ok) return e;
  return write_to_n(out, [&](auto& sink) { Binding::payload(sink, r); });
}

template <class Binding, class R>
result<std::size_t> encoded_payload_size(const R& r) noexcept {
  if (const error e = Binding::check(r); e != error::ok) return e;
  counting_sink sink;
  Binding::payload(sink, r);
  return sink.size;
}

template <class Binding, class R>
result<std::string> encode_payload(const R& r) {
  if (const error e = Binding::check(r); e != error::ok) return e;
  std::string out;
  string_sink sink{out};
  Binding::payload(sink, r);
  return out;
}

template <class Binding, class R>
result<message_view> encode_message_to_n(mutable_buffer topic, mutable_buffer payload,
                                         const R& r) noexcept {
  if (const error e = Binding::check(r); e != error::ok) return e;
  const auto t = write_topic_to_n(topic, [&](auto& sink) { Binding::topic(sink, r); });
  if (!t) return {t.error(), t.required_size()};
  const auto p = write_to_n(payload, [&](auto& sink) { Binding::payload(sink, r); });
  if (!p) return {p.error(), p.required_size()};
  return message_view{*t, *p};
}

template <class Binding, class R>
result<message_size> encoded_message_size(const R& r) noexcept {
  if (const error e = Binding::check(r); e != error::ok) return e;
  counting_sink topic, payload;
  Binding::topic(topic, r);
  Binding::payload(payload, r);
  return message_size{topic.size + 1, payload.size};  // the topic's NUL
}

template <class Binding, class R>
result<encoded_message> encode_message(const R& r) {
  if (const error e = Binding::check(r); e != error::ok) return e;
  encoded_message m;
  string_sink topic{m.topic}, payload{m.payload};
  Binding::topic(topic, r);
  Binding::payload(payload, r);
  return m;
}

}  // namespace iotjobs::detail

#endif  // IOTJOBS_DETAIL_ENCODING_HPP
