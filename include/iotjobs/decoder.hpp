// iotjobs — the decoder: one long-lived object that decodes every message the Jobs service (and
// the commands service) sends, over MQTT or HTTPS, into the views of model.hpp, and the job
// documents in them into those of documents.hpp, on simdjson On-Demand. What each message holds
// is in messages.hpp, whose tags name what to decode:
// `dec.decode(iotjobs::mqtt::notify_next, payload)`. This header, messages.hpp and detail/ are the
// only iotjobs headers that include <simdjson.h>; none of them includes an encoder.
//
// Strict: an accepted payload is RFC 8259 JSON in full, the job document and every skipped member
// included; content after the top-level object is an error; required members are checked; a known
// member given twice is an error; unknown members are ignored; integers are exact int64; unknown
// status and code strings decode to `unknown` with their raw text. A known optional member whose
// value is `null` counts as absent, as the AWS SDKs treat it.
#ifndef IOTJOBS_DECODER_HPP
#define IOTJOBS_DECODER_HPP

#include <simdjson.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>
#include <type_traits>

#include "iotjobs/detail/arena.hpp"
#include "iotjobs/detail/https_envelope.hpp"
#include "iotjobs/detail/jobs_schema.hpp"
#include "iotjobs/detail/json_reader.hpp"
#include "iotjobs/detail/json_text.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/model.hpp"

namespace iotjobs {

/// Decodes what the Jobs service sends a device, over MQTT or HTTPS, into views.
///
/// A decoder is long-lived and owns everything its views point into: a padded copy of the last
/// payload, the strings that held escapes, unescaped, and the storage of decoded lists. The
/// caller's payload buffer may be freed as soon as a decode returns. A caller that keeps its
/// payloads in buffers with simdjson's padding may have them read where they lie instead (the
/// simdjson::padded_string_view overload), and then keeps that buffer for the views.
///
/// Lifetime: every view a decode returns is valid until the next decode on the same decoder, or
/// the decoder's destruction; from a padded_string_view, also only while its buffer is alive and
/// unchanged. Decoding from a temporary decoder, or a temporary padded_string, does not compile.
///
/// Memory: a decode allocates only when its payload is larger than every payload this decoder has
/// seen before; after reserve(n), payloads up to n bytes never allocate. Storage is about 24 times
/// the largest payload seen (the padded copy, the unescaped strings, two parsers, and the lists).
///
/// Not thread-safe: one decoder per thread.
class decoder {
 public:
  decoder() noexcept = default;

  /// Allocates up front for payloads of up to `payload_size` bytes (at most max_payload_size),
  /// so that later decodes of such payloads never allocate.
  error reserve(std::size_t payload_size) noexcept {
    if (payload_size > max_payload_size) return error::payload_too_large;
    return grow(payload_size);
  }

  /// Decodes `payload` as the message `tag` names: one of the tags of messages.hpp, such as
  /// mqtt::notify_next or mqtt::rejected (any Jobs `/rejected` payload).
  template <class Message>
  result<typename Message::view> decode(Message tag, std::string_view payload) & noexcept {
    static_assert(!Message::over_https, "an HTTPS response decodes from an https::raw_response");
    (void)tag;
    if constexpr (Message::blank_is_empty_object) {
      if (detail::is_blank(payload)) payload = "{}";
    }
    result<typename Message::view> out(std::in_place);
    if (const error e = run_root({}, payload, read_message<Message>, *out); e != error::ok) out = e;
    return out;
  }

  /// decode(), reading `payload` where it lies rather than copying it first: for a caller that
  /// keeps payloads in buffers followed by simdjson::SIMDJSON_PADDING readable bytes (of any
  /// value). Views may point into that buffer. A payload without that padding is copied, as by
  /// the overload above.
  template <class Message>
  result<typename Message::view> decode(Message tag,
                                        simdjson::padded_string_view payload) & noexcept {
    static_assert(!Message::over_https, "an HTTPS response decodes from an https::raw_response");
    const bool copy = payload.padding() < simdjson::SIMDJSON_PADDING ||
                      (Message::blank_is_empty_object && detail::is_blank(payload));
    return copy ? decode(tag, std::string_view(payload)) : read_in_place(tag, payload);
  }

  /// The same, from a padded_string the caller keeps.
  template <class Message, class Padded,
            std::enable_if_t<std::is_same_v<Padded, simdjson::padded_string>, int> = 0>
  result<typename Message::view> decode(Message tag, const Padded& payload) & noexcept {
    return decode(tag, simdjson::padded_string_view(payload));
  }

  /// Views into a temporary padded_string would dangle.
  template <class Message, class Padded,
            std::enable_if_t<std::is_same_v<std::remove_const_t<Padded>, simdjson::padded_string>,
                             int> = 0>
  void decode(Message, Padded&&) & = delete;

  /// Decodes an HTTPS response as the operation `tag` names (https::describe_response and its
  /// siblings of messages.hpp): a value on success, the service's refusal as data otherwise.
  template <class Message>
  result<https_response<typename Message::view>> decode(
      Message tag, const https::raw_response& response) & noexcept {
    static_assert(Message::over_https, "an MQTT message decodes from its payload");
    (void)tag;
    return run_https<typename Message::view>(response.status, response.error_type, response.body);
  }

  /// A decode from a temporary would hand out views into a dead decoder.
  template <class Message, class Input>
  void decode(Message, const Input&) && = delete;

  /// Where the last failed decode stopped: a byte offset into its payload (the payload's size
  /// when the error was found at its end or its place is not known, as for invalid UTF-8).
  std::size_t last_error_offset() const noexcept { return error_offset_; }
  /// The member the last failed decode was reading (its JSON name, e.g. "versionNumber"), or
  /// empty when it failed before the first member. Valid until the next decode.
  std::string_view last_error_field() const noexcept { return error_field_; }

 private:
  // The storage for payloads of `size` bytes. A list element takes at most 8 bytes of arena per
  // payload byte it came from: the smallest summary, `{"jobId":""},`, is 13 bytes; the smallest
  // statusDetails entry (`"":"",`) or notify group (`"":[],`) is 6.
  static constexpr std::size_t arena_bytes(std::size_t size) noexcept { return 8 * size + 64; }
  static_assert(sizeof(job_execution_summary_view) <= 8 * 13);
  static_assert(sizeof(status_detail) <= 8 * 6 && sizeof(job_group_view) <= 8 * 6);

  error grow(std::size_t size) noexcept {
    if (size <= capacity_ && buffer_) return error::ok;
    const std::size_t padded = size + simdjson::SIMDJSON_PADDING;
    std::unique_ptr<char[]> buffer(new (std::nothrow) char[padded]);
    std::unique_ptr<char[]> nested_buffer(new (std::nothrow) char[padded]);
    std::unique_ptr<unsigned char[]> arena(new (std::nothrow) unsigned char[arena_bytes(size)]);
    // The payload's strings and those of a job document sent as a string (detail::walker).
    std::unique_ptr<std::uint8_t[]> strings(new (std::nothrow) std::uint8_t[size + padded]);
    if (!buffer || !nested_buffer || !arena || !strings) return error::out_of_memory;
    const std::size_t parser_capacity = std::max<std::size_t>(size, 64);
    if (parser_.allocate(parser_capacity) != simdjson::SUCCESS ||
        nested_.parser.allocate(parser_capacity) != simdjson::SUCCESS)
      return error::out_of_memory;
    buffer_ = std::move(buffer);
    nested_.buffer = std::move(nested_buffer);
    arena_storage_ = std::move(arena);
    strings_ = std::move(strings);
    capacity_ = size;
    return error::ok;
  }

  // Where every decode starts: the last error's place forgotten, the storage made room for `kept`
  // and `payload` bytes.
  error start(std::size_t kept, std::size_t payload) noexcept {
    error_offset_ = 0;
    error_field_ = {};
    if (payload > max_payload_size || kept > max_payload_size - payload)
      return error::payload_too_large;
    return grow(kept + payload);
  }

  // The padded overload's decode, once it knows the payload has its padding. One return, of one
  // object: the result is built where the caller receives it.
  template <class Message>
  result<typename Message::view> read_in_place(Message,
                                               simdjson::padded_string_view payload) noexcept {
    result<typename Message::view> out(std::in_place);
    error e = start(0, payload.size());
    if (e == error::ok) e = walk({}, payload.data(), payload.size(), read_message<Message>, *out);
    if (e != error::ok) out = e;
    return out;
  }

  // The message's own reading of its top-level object (messages.hpp).
  template <class Message>
  static error read_message(detail::walker& w, simdjson::ondemand::object& root,
                            typename Message::view& view, std::string_view) noexcept {
    return Message::read(w, root, view);
  }

  // Reads the payload's top-level object into `view` by the view's table (schema.hpp).
  template <class View>
  error run(std::string_view payload, View& view) noexcept {
    return run_root(
        {}, payload,
        [&](detail::walker& w, simdjson::ondemand::object& root, View& v, std::string_view) {
          return detail::read_members(w, root, 1, v);
        },
        view);
  }

  // Copies `kept` (text a view may point into that is not part of the JSON, like an HTTP header)
  // and then the payload into padded storage, and walks the copy.
  template <class View, class ReadRoot>
  error run_root(std::string_view kept, std::string_view payload, ReadRoot&& read_root,
                 View& view) noexcept {
    if (const error e = start(kept.size(), payload.size()); e != error::ok) return e;
    char* const json = buffer_.get() + kept.size();
    if (!kept.empty()) std::memcpy(buffer_.get(), kept.data(), kept.size());
    if (!payload.empty()) std::memcpy(json, payload.data(), payload.size());
    std::memset(json + payload.size(), 0, simdjson::SIMDJSON_PADDING);
    return walk(std::string_view(buffer_.get(), kept.size()), json, payload.size(), read_root,
                view);
  }

  // Calls read_root(walker, root object, view, kept) on the `size` bytes of JSON at `json`, which
  // are followed by simdjson's padding, and checks that nothing follows the object. start() came
  // first; `view` is as a default-constructed one is. The views are read in place: a view is a
  // few hundred bytes, and every copy of it would cost.
  template <class View, class ReadRoot>
  error walk(std::string_view kept, const char* json, std::size_t size, ReadRoot&& read_root,
             View& view) noexcept {
    arena_.reset(arena_storage_.get(), arena_bytes(capacity_));
    detail::walker w(arena_, nested_, parser_, strings_.get());
    const std::string_view payload(json, size);
    simdjson::ondemand::document doc;
    error e = detail::from_simdjson(
        parser_.iterate(json, size, size + simdjson::SIMDJSON_PADDING).get(doc));
    const bool iterated = e == error::ok;
    if (iterated) {
      simdjson::ondemand::object root;
      const auto re = doc.get_object().get(root);
      // Not an object: wrong_type if it is JSON at all, else why it is not.
      e = re == simdjson::INCORRECT_TYPE ? w.object_text(payload) : detail::from_simdjson(re);
      if (e == error::ok) e = read_root(w, root, view, kept);
      if (e == error::ok) {
        w.clear_error_field();  // no member to blame for what follows the object
        const char* rest = nullptr;
        if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS)
          e = error::trailing_content;
      }
    }
    if (e == error::ok) return e;
    error_field_ = w.error_field();
    const char* at = nullptr;
    error_offset_ = payload.size();
    if (iterated && !doc.current_location().get(at) && at >= json && at <= json + payload.size()) {
      error_offset_ = static_cast<std::size_t>(at - json);
    }
    // Not JSON: simdjson may stop before the place (an unclosed object is refused at its start).
    // The text's own first bad byte says where, with the last member name read before it; a
    // payload that ends early is invalid JSON at its end, whatever simdjson made of its last token.
    if (e == error::invalid_json || e == error::trailing_content ||
        e == error::number_out_of_range) {
      const auto stop =
          detail::json_text_checker::find_stop(std::string_view(json, payload.size()));
      if (!stop.json && stop.offset == payload.size()) {
        e = error::invalid_json;
        error_offset_ = stop.offset;
        error_field_ = stop.last_key;
      } else if (!stop.json && e != error::number_out_of_range) {
        error_offset_ = stop.offset;
        error_field_ = stop.after_value ? std::string_view() : stop.last_key;
        if (stop.after_value) e = error::trailing_content;
      }
    }
    return e;
  }

  // An HTTPS error: the body's members, then the name resolved from the header or the body.
  struct resolved_error {
    service_error_view view;
    bool in_output = false;  // named only by `Output.__type`: the 2xx error shape
  };
  error decode_service_error(int status, std::string_view error_type, std::string_view body,
                             resolved_error& out) noexcept {
    const bool empty = detail::is_blank(body);
    detail::service_error_fields f;
    return run_root(
        error_type, empty ? std::string_view("{}") : body,
        [&](detail::walker& w, simdjson::ondemand::object& root, resolved_error& r,
            std::string_view header) {
          if (const error e = detail::read_service_error(w, root, f); e != error::ok) return e;
          r.view = detail::resolve_service_error(header, f, status, r.in_output);
          return error::ok;
        },
        out);
  }

  // Any status >= 300 is an error, as in the AWS SDKs; a 2xx is a success unless its body has
  // the error shape AWS has sent with a 200 (docs/wire-protocol.md §11, trap 15). An empty 2xx body
  // is an empty result.
  template <class View>
  result<https_response<View>> run_https(int status, std::string_view error_type,
                                         std::string_view body) noexcept {
    result<https_response<View>> out(std::in_place);
    https_response<View>& response = *out;
    response.http_status = status;
    error e = error::ok;
    if (status >= 200 && status < 300) {
      View& view = response.value.emplace();
      if (detail::is_blank(body)) return out;
      // One walk of the body, which notes a top-level Output member on the way: only then can the
      // body be that error shape, and only then is it read again, as an error (and, when it is
      // not one, once more as the value, whose views the error's reading overwrote).
      bool output = false;
      e = run_root(
          {}, body,
          [&](detail::walker& w, simdjson::ondemand::object& root, View& v, std::string_view) {
            return detail::read_members(w, root, 1, v, [&](std::string_view key) {
              if (key == "Output") output = true;
            });
          },
          view);
      if (output) {
        resolved_error r;
        if (decode_service_error(status, {}, body, r) == error::ok && r.in_output) {
          response.value.reset();
          response.error = r.view;
          return out;
        }
        view = View();
        e = run(body, view);
      }
    } else {
      resolved_error r;
      e = decode_service_error(status, error_type, body, r);
      response.error = r.view;
    }
    if (e != error::ok) out = e;
    return out;
  }

  simdjson::ondemand::parser parser_;
  std::unique_ptr<char[]> buffer_;
  detail::nested_document nested_;
  std::unique_ptr<unsigned char[]> arena_storage_;
  std::unique_ptr<std::uint8_t[]> strings_;
  std::size_t capacity_ = 0;
  detail::arena arena_;
  std::size_t error_offset_ = 0;
  std::string_view error_field_;
};

}  // namespace iotjobs

#endif  // IOTJOBS_DECODER_HPP
