// iotjobs — the MQTT binding of the Jobs data plane: the reserved topics (docs/wire-protocol.md
// §8.1) and the request encoders (docs/wire-protocol.md §8.2). Plain C++17: no JSON parser is
// needed to build topics or encode.
#ifndef IOTJOBS_MQTT_HPP
#define IOTJOBS_MQTT_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <type_traits>

#include "iotjobs/detail/encoding.hpp"
#include "iotjobs/detail/json_writer.hpp"
#include "iotjobs/detail/request_body.hpp"
#include "iotjobs/detail/schema_writer.hpp"
#include "iotjobs/error.hpp"
#include "iotjobs/model.hpp"
#include "iotjobs/validate.hpp"

namespace iotjobs::mqtt {

/// Every topic of the device Jobs API: 4 requests the device publishes, their 8 responses, and
/// the 2 events. A Greengrass core also uses the per-job kinds and the events in a namespace:
/// `$aws/things/T/jobs/J/namespace-NS/get|update[/accepted|/rejected]` and
/// `$aws/things/T/jobs/notify-namespace-NS`, `…/notify-next-namespace-NS` (topic_view's
/// `namespace_id`; docs/wire-protocol.md §8.1).
enum class topic_kind : std::uint8_t {
  get_pending,           // $aws/things/T/jobs/get
  start_next,            // $aws/things/T/jobs/start-next
  describe,              // $aws/things/T/jobs/J/get          (J may be $next)
  update,                // $aws/things/T/jobs/J/update
  get_pending_accepted,  // $aws/things/T/jobs/get/accepted
  get_pending_rejected,  // $aws/things/T/jobs/get/rejected
  start_next_accepted,   // $aws/things/T/jobs/start-next/accepted
  start_next_rejected,   // $aws/things/T/jobs/start-next/rejected
  describe_accepted,     // $aws/things/T/jobs/J/get/accepted
  describe_rejected,     // $aws/things/T/jobs/J/get/rejected
  update_accepted,       // $aws/things/T/jobs/J/update/accepted
  update_rejected,       // $aws/things/T/jobs/J/update/rejected
  notify,                // $aws/things/T/jobs/notify
  notify_next,           // $aws/things/T/jobs/notify-next
};

/// AWS IoT's limit on a topic, in bytes. Without a namespace no topic comes near it: the longest,
/// `$aws/things/` + 128 + `/jobs/` + 64 + `/update/accepted`, has 226 bytes.
inline constexpr std::size_t max_topic_bytes = 256;

/// The largest topic built here, with the NUL that follows every topic written into a fixed
/// buffer. A buffer of this size holds every topic and filter built here.
inline constexpr std::size_t max_topic_size = max_topic_bytes + 1;

namespace detail {

// One row per topic kind, in enumerator order (checked below): its name, what follows `jobs/`
// (after the job id for the per-job kinds), and what the kind is.
struct topic_row {
  topic_kind kind;
  std::string_view name;  // the enumerator's
  std::string_view tail;
  bool job_id;      // the topic holds a job id segment
  bool request;     // the device publishes it
  bool rejected;    // a /rejected response
  bool namespaced;  // Greengrass uses it in a namespace
};
inline constexpr topic_row topic_rows[] = {
    {topic_kind::get_pending, "get_pending", "get", false, true, false, false},
    {topic_kind::start_next, "start_next", "start-next", false, true, false, false},
    {topic_kind::describe, "describe", "/get", true, true, false, true},
    {topic_kind::update, "update", "/update", true, true, false, true},
    {topic_kind::get_pending_accepted, "get_pending_accepted", "get/accepted", false, false, false,
     false},
    {topic_kind::get_pending_rejected, "get_pending_rejected", "get/rejected", false, false, true,
     false},
    {topic_kind::start_next_accepted, "start_next_accepted", "start-next/accepted", false, false,
     false, false},
    {topic_kind::start_next_rejected, "start_next_rejected", "start-next/rejected", false, false,
     true, false},
    {topic_kind::describe_accepted, "describe_accepted", "/get/accepted", true, false, false, true},
    {topic_kind::describe_rejected, "describe_rejected", "/get/rejected", true, false, true, true},
    {topic_kind::update_accepted, "update_accepted", "/update/accepted", true, false, false, true},
    {topic_kind::update_rejected, "update_rejected", "/update/rejected", true, false, true, true},
    {topic_kind::notify, "notify", "notify", false, false, false, true},
    {topic_kind::notify_next, "notify_next", "notify-next", false, false, false, true},
};

constexpr bool rows_in_enumerator_order() noexcept {
  for (std::size_t i = 0; i < std::size(topic_rows); ++i) {
    if (static_cast<std::size_t>(topic_rows[i].kind) != i) return false;
  }
  return true;
}
static_assert(rows_in_enumerator_order(), "topic_rows[i] describes topic_kind i");

constexpr const topic_row* row_of(topic_kind k) noexcept {
  const auto i = static_cast<std::size_t>(k);
  return i < std::size(topic_rows) ? &topic_rows[i] : nullptr;
}

}  // namespace detail

/// The number of topic kinds; topic_kind values are 0 to topic_kind_count - 1.
inline constexpr std::size_t topic_kind_count = std::size(detail::topic_rows);

/// The enumerator's name, e.g. "notify_next", for logs and tools; empty for values outside the
/// enum.
[[nodiscard]] constexpr std::string_view name(topic_kind k) noexcept {
  return detail::row_of(k) ? detail::row_of(k)->name : std::string_view();
}

/// Whether topics of this kind carry a job id segment.
[[nodiscard]] constexpr bool has_job_id(topic_kind k) noexcept {
  return detail::row_of(k) && detail::row_of(k)->job_id;
}
/// Whether the device publishes to topics of this kind (the four requests).
[[nodiscard]] constexpr bool is_request(topic_kind k) noexcept {
  return detail::row_of(k) && detail::row_of(k)->request;
}
/// Whether this kind is one of the four `/rejected` responses.
[[nodiscard]] constexpr bool is_rejected(topic_kind k) noexcept {
  return detail::row_of(k) && detail::row_of(k)->rejected;
}
/// Whether this kind has a namespaced form (describe, update, their responses, the events).
[[nodiscard]] constexpr bool has_namespace_form(topic_kind k) noexcept {
  return detail::row_of(k) && detail::row_of(k)->namespaced;
}

/// A topic taken apart. `job_id` is empty for kinds without one, `namespace_id` for topics
/// outside a namespace.
///
/// Lifetime: the string_views point into the topic that was parsed.
struct topic_view {
  topic_kind kind = topic_kind::get_pending;
  std::string_view thing_name;
  std::string_view job_id;
  std::string_view namespace_id;
};

namespace detail {

inline constexpr std::string_view prefix = "$aws/things/";
inline constexpr std::string_view jobs = "/jobs/";
inline constexpr std::string_view namespace_word = "namespace-";

constexpr bool starts_with(std::string_view s, std::string_view p) noexcept {
  return s.substr(0, p.size()) == p;
}

// The fixed text after `$aws/things/T/jobs/` and, for the per-job kinds, after the job id.
constexpr std::string_view tail_of(topic_kind k) noexcept {
  return row_of(k) ? row_of(k)->tail : std::string_view();
}

constexpr bool is_describe(topic_kind k) noexcept {
  return k == topic_kind::describe || k == topic_kind::describe_accepted ||
         k == topic_kind::describe_rejected;
}

// Validates the names a topic of kind `k` needs outside a namespace; `wildcard_job` admits `+`
// as the job id.
constexpr error check_names(topic_kind k, std::string_view thing, std::string_view job,
                            bool wildcard_job) noexcept {
  if (!row_of(k)) return error::invalid_topic;
  if (!is_valid_thing_name(thing)) return error::invalid_thing_name;
  if (!has_job_id(k)) return job.empty() ? error::ok : error::invalid_job_id;
  if (wildcard_job && job == "+") return error::ok;
  const bool ok = is_describe(k) ? is_valid_job_id_or_next(job) : is_valid_job_id(job);
  return ok ? error::ok : error::invalid_job_id;
}

// The same in namespace `ns` (empty: none). The namespace adds `/namespace-NS` after the job, or
// `-namespace-NS` after notify or notify-next: 11 bytes and the id.
constexpr error check_names(topic_kind k, std::string_view thing, std::string_view job,
                            std::string_view ns, bool wildcard_job) noexcept {
  const error e = check_names(k, thing, job, wildcard_job);
  if (e != error::ok || ns.empty()) return e;
  if (!has_namespace_form(k)) return error::invalid_topic;
  const std::size_t size = prefix.size() + thing.size() + jobs.size() + job.size() +
                           tail_of(k).size() + 1 + namespace_word.size() + ns.size();
  return is_valid_namespace_id(ns) && size <= max_topic_bytes ? error::ok
                                                              : error::invalid_namespace_id;
}

template <class Sink>
void write_topic(Sink& sink, topic_kind k, std::string_view thing, std::string_view job) {
  sink.write(prefix);
  sink.write(thing);
  sink.write(jobs);
  sink.write(job);  // empty for kinds without a job
  sink.write(tail_of(k));
}

// The same in namespace `ns` (empty: none).
template <class Sink>
void write_topic(Sink& sink, topic_kind k, std::string_view thing, std::string_view job,
                 std::string_view ns) {
  if (ns.empty()) return write_topic(sink, k, thing, job);
  sink.write(prefix);
  sink.write(thing);
  sink.write(jobs);
  sink.write(job);
  if (has_job_id(k)) {
    sink.write("/namespace-");
    sink.write(ns);
    sink.write(tail_of(k));
  } else {
    sink.write(tail_of(k));
    sink.write("-namespace-");
    sink.write(ns);
  }
}

constexpr bool is_response_word(std::string_view s) noexcept {
  return s == "accepted" || s == "rejected";
}

// Kinds by the segments after `jobs/`. The operation is named by the last segment but one or
// the last, so a job may be called `get`, `update`, `notify` or `start-next`; a namespace is a
// segment of its own between the job and the operation, or a suffix of notify and notify-next,
// and is never taken for a job id.
constexpr result<topic_view> classify(std::string_view thing, const std::string_view* seg,
                                      std::size_t n) noexcept {
  using k = topic_kind;
  const auto make = [&](topic_kind kind, std::string_view job,
                        std::string_view ns = {}) -> result<topic_view> {
    if (const error e = check_names(kind, thing, job, ns, false); e != error::ok) return e;
    return topic_view{kind, thing, job, ns};
  };
  // `namespace-NS` (an empty NS is an invalid id, not "no namespace").
  const auto namespace_of = [](std::string_view s, std::string_view& ns) {
    if (!starts_with(s, namespace_word)) return false;
    ns = s.substr(namespace_word.size());
    return true;
  };
  std::string_view ns;
  if (n == 1) {
    if (seg[0] == "get") return make(k::get_pending, {});
    if (seg[0] == "start-next") return make(k::start_next, {});
    if (seg[0] == "notify") return make(k::notify, {});
    if (seg[0] == "notify-next") return make(k::notify_next, {});
    if (starts_with(seg[0], "notify-") && namespace_of(seg[0].substr(7), ns)) {
      if (ns.empty()) return error::invalid_namespace_id;
      return make(k::notify, {}, ns);
    }
    if (starts_with(seg[0], "notify-next-") && namespace_of(seg[0].substr(12), ns)) {
      if (ns.empty()) return error::invalid_namespace_id;
      return make(k::notify_next, {}, ns);
    }
    return error::invalid_topic;
  }
  const bool accepted = seg[n - 1] == "accepted";
  const bool response = is_response_word(seg[n - 1]);
  if (n == 2) {
    if (response) {
      if (seg[0] == "get")
        return make(accepted ? k::get_pending_accepted : k::get_pending_rejected, {});
      if (seg[0] == "start-next")
        return make(accepted ? k::start_next_accepted : k::start_next_rejected, {});
      return error::invalid_topic;
    }
    if (seg[1] == "get") return make(k::describe, seg[0]);
    if (seg[1] == "update") return make(k::update, seg[0]);
    // The API reference's per-job form, which no AWS client uses (docs/wire-protocol.md §8.1).
    if (starts_with(seg[1], "notify-namespace-")) return error::unsupported_namespace;
    return error::invalid_topic;
  }
  // J[/namespace-NS]/get|update[/accepted|/rejected]: 3 or 4 segments.
  const std::size_t operation = response ? n - 2 : n - 1;
  const bool namespaced = operation == 2 && namespace_of(seg[1], ns);
  if (operation != 1 && !namespaced) return error::invalid_topic;
  if (namespaced && ns.empty()) return error::invalid_namespace_id;
  if (seg[operation] == "get") {
    return make(!response  ? k::describe
                : accepted ? k::describe_accepted
                           : k::describe_rejected,
                seg[0], ns);
  }
  if (seg[operation] == "update")
    return make(!response  ? k::update
                : accepted ? k::update_accepted
                           : k::update_rejected,
                seg[0], ns);
  return error::invalid_topic;
}

}  // namespace detail

/// Takes a topic of the Jobs API apart: its kind, thing name and job id. Works from the right, so
/// job ids equal to `get`, `update`, `notify` or `start-next` are read correctly. A topic outside
/// `$aws/things/<T>/jobs/` is error::not_a_jobs_topic; one inside it that no API uses is
/// error::invalid_topic; an empty, over-long or ill-formed name (one holding `+` or `#`, say) is
/// error::invalid_thing_name or error::invalid_job_id. A Greengrass namespaced topic gives its
/// `namespace_id` (error::invalid_namespace_id for a bad one); the API reference's per-job
/// `…/jobs/J/notify-namespace-NS`, which no AWS client uses, is error::unsupported_namespace.
constexpr result<topic_view> parse_topic(std::string_view topic) noexcept {
  if (!detail::starts_with(topic, detail::prefix)) return error::not_a_jobs_topic;
  const std::string_view rest = topic.substr(detail::prefix.size());
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return error::not_a_jobs_topic;
  const std::string_view thing = rest.substr(0, slash);
  std::string_view tail = rest.substr(slash);
  if (!detail::starts_with(tail, detail::jobs)) {
    return tail == "/jobs" ? error::invalid_topic : error::not_a_jobs_topic;
  }
  tail.remove_prefix(detail::jobs.size());
  std::string_view seg[4];
  std::size_t n = 0;
  for (;;) {
    const std::size_t next = tail.find('/');
    const std::string_view s = tail.substr(0, next);
    if (s.empty() || n == 4) return error::invalid_topic;
    seg[n++] = s;
    if (next == std::string_view::npos) break;
    tail.remove_prefix(next + 1);
  }
  return detail::classify(thing, seg, n);
}

/// Writes the topic of `kind` for this thing (and job, for the per-job kinds; empty otherwise)
/// into `out`. For the per-job response kinds, job id `+` gives the MQTT filter for every job
/// (`$aws/things/T/jobs/+/update/accepted`): subscribe with it, never publish to it.
inline result<std::string_view> build_topic(topic_kind kind, std::string_view thing_name,
                                            std::string_view job_id, mutable_buffer out) noexcept {
  const bool wildcard_ok = has_job_id(kind) && !is_request(kind);
  if (const error e = detail::check_names(kind, thing_name, job_id, wildcard_ok); e != error::ok)
    return e;
  return iotjobs::detail::write_topic_to_n(
      out, [&](auto& sink) { detail::write_topic(sink, kind, thing_name, job_id); });
}

/// The same topic in the Greengrass namespace `namespace_id`, for the kinds of
/// has_namespace_form() (an empty id is no namespace). An overload rather than a defaulted
/// argument, so that the plain topics are built as fast as before namespaces (bench/).
inline result<std::string_view> build_topic(topic_kind kind, std::string_view thing_name,
                                            std::string_view job_id, mutable_buffer out,
                                            std::string_view namespace_id) noexcept {
  const bool wildcard_ok = has_job_id(kind) && !is_request(kind);
  if (const error e = detail::check_names(kind, thing_name, job_id, namespace_id, wildcard_ok);
      e != error::ok)
    return e;
  return iotjobs::detail::write_topic_to_n(
      out, [&](auto& sink) { detail::write_topic(sink, kind, thing_name, job_id, namespace_id); });
}

/// Writes the filter that matches both responses of a request topic, `<request topic>/+`, as the
/// AWS v2 device SDKs subscribe (`$aws/things/T/jobs/get/+`, `…/jobs/J/update/+`). `request`
/// must be a request kind; job id `+` matches every job.
inline result<std::string_view> build_response_filter(topic_kind request,
                                                      std::string_view thing_name,
                                                      std::string_view job_id, mutable_buffer out,
                                                      std::string_view namespace_id = {}) noexcept {
  if (!is_request(request)) return error::invalid_topic;
  if (const error e = detail::check_names(request, thing_name, job_id, namespace_id, true);
      e != error::ok)
    return e;
  return iotjobs::detail::write_topic_to_n(out, [&](auto& sink) {
    detail::write_topic(sink, request, thing_name, job_id, namespace_id);
    sink.write("/+");
  });
}

/// How many filters device_filters() writes, and the room they need.
inline constexpr std::size_t device_filter_count = 4;
inline constexpr std::size_t device_filters_size = device_filter_count * max_topic_size;

/// Writes the MQTT filters a device's job loop subscribes to, in namespace `namespace_id` when one
/// is given: notify-next, notify, and the replies to DescribeJobExecution and UpdateJobExecution
/// for every job (`…/jobs/+/get/+`, which `$next`'s replies match too, and `…/jobs/+/update/+`).
/// These are all the job runner (runner.hpp) uses. `out` needs device_filters_size bytes.
///
/// Lifetime: the string_views point into `out`.
inline result<std::array<std::string_view, device_filter_count>> device_filters(
    std::string_view thing_name, mutable_buffer out, std::string_view namespace_id = {}) noexcept {
  constexpr topic_kind kinds[device_filter_count] = {topic_kind::notify_next, topic_kind::notify,
                                                     topic_kind::describe, topic_kind::update};
  std::array<std::string_view, device_filter_count> filters;
  std::size_t used = 0;
  for (std::size_t i = 0; i < device_filter_count; ++i) {
    const mutable_buffer rest(out.data + used, out.size - used);
    const auto f = is_request(kinds[i])  // the replies to every job's request: `…/+/get/+`
                       ? build_response_filter(kinds[i], thing_name, "+", rest, namespace_id)
                       : build_topic(kinds[i], thing_name, {}, rest, namespace_id);
    if (!f) return f.error();
    filters[i] = *f;
    used += f->size() + 1;  // its NUL
  }
  return filters;
}

// ---------------------------------------------------------------------------------------------
// Request encoders: the family of detail/encoding.hpp. Each validates every field before it
// writes a byte. Their topic comes with them from encode_to_n() and encode(); with encode_to(),
// which writes the payload alone, it comes from build_topic().

namespace detail {

using iotjobs::detail::check_client_token;

// One overload per request: its topic and the check of its fields; its payload is its table.
constexpr topic_kind request_kind(const get_pending_job_executions_request&) noexcept {
  return topic_kind::get_pending;
}
constexpr topic_kind request_kind(const start_next_pending_job_execution_request&) noexcept {
  return topic_kind::start_next;
}
constexpr topic_kind request_kind(const describe_job_execution_request&) noexcept {
  return topic_kind::describe;
}
constexpr topic_kind request_kind(const update_job_execution_request&) noexcept {
  return topic_kind::update;
}

constexpr std::string_view request_job_id(const get_pending_job_executions_request&) noexcept {
  return {};
}
constexpr std::string_view request_job_id(
    const start_next_pending_job_execution_request&) noexcept {
  return {};
}
constexpr std::string_view request_job_id(const describe_job_execution_request& r) noexcept {
  return r.job_id;
}
constexpr std::string_view request_job_id(const update_job_execution_request& r) noexcept {
  return r.job_id;
}

// The two requests with a namespaced topic carry `namespace_id`: the namespace (empty for
// none). One that is given must be a valid id: given empty, it is not "no namespace".
template <class R>
inline constexpr bool has_namespace_v = std::is_same_v<R, describe_job_execution_request> ||
                                        std::is_same_v<R, update_job_execution_request>;
template <class R>
constexpr std::string_view request_namespace(const R& r) noexcept {
  if constexpr (has_namespace_v<R>) {
    return r.namespace_id ? std::string_view(*r.namespace_id) : std::string_view();
  } else {
    return {};
  }
}
template <class R>
constexpr bool has_empty_namespace(const R& r) noexcept {
  if constexpr (has_namespace_v<R>) {
    return r.namespace_id && r.namespace_id->empty();
  } else {
    return false;
  }
}

constexpr error check_fields(const get_pending_job_executions_request& r) noexcept {
  return check_client_token(r.client_token);
}
constexpr error check_fields(const start_next_pending_job_execution_request& r) noexcept {
  const error e = iotjobs::detail::check_body_fields(r);
  return e != error::ok ? e : check_client_token(r.client_token);
}
constexpr error check_fields(const describe_job_execution_request& r) noexcept {
  return check_client_token(r.client_token);
}
constexpr error check_fields(const update_job_execution_request& r) noexcept {
  const error e = iotjobs::detail::check_body_fields(r);
  return e != error::ok ? e : check_client_token(r.client_token);
}

template <class R>
struct is_request : std::false_type {};
template <>
struct is_request<get_pending_job_executions_request> : std::true_type {};
template <>
struct is_request<start_next_pending_job_execution_request> : std::true_type {};
template <>
struct is_request<describe_job_execution_request> : std::true_type {};
template <>
struct is_request<update_job_execution_request> : std::true_type {};

struct binding {
  template <class R>
  static constexpr error check(const R& r) noexcept {
    static_assert(is_request<R>::value,
                  "the iotjobs::mqtt encoders take a get_pending_job_executions_request, "
                  "start_next_pending_job_execution_request, describe_job_execution_request or "
                  "update_job_execution_request");
    if constexpr (is_request<R>::value) {
      if (has_empty_namespace(r)) return error::invalid_namespace_id;
      const error e = check_names(request_kind(r), r.thing_name, request_job_id(r),
                                  request_namespace(r), false);
      return e != error::ok ? e : check_fields(r);
    } else {
      return error::invalid_topic;
    }
  }
  template <class Sink, class R>
  static void topic(Sink& sink, const R& r) {
    write_topic(sink, request_kind(r), r.thing_name, request_job_id(r), request_namespace(r));
  }
  template <class Sink, class R>
  static void payload(Sink& sink, const R& r) {
    iotjobs::detail::write_object(sink, r);  // the request's table (schema.hpp)
  }
};

}  // namespace detail

/// Whether the MQTT encoders take a T: the four Jobs requests.
template <class T>
inline constexpr bool is_request_v = detail::is_request<T>::value;

/// Checks every field of a request as the encoders do, without encoding it: error::ok, or the
/// error an encoder would give.
template <class Request>
constexpr error check(const Request& req) noexcept {
  return detail::binding::check(req);
}

/// Encodes a request's topic and payload into caller buffers (a NUL follows the topic). Nothing
/// is written unless every field is valid.
template <class Request>
result<message_view> encode_to_n(mutable_buffer topic, mutable_buffer payload,
                                 const Request& req) noexcept {
  return iotjobs::detail::encode_message_to_n<detail::binding>(topic, payload, req);
}

/// Encodes a request's JSON payload to an output iterator of char; returns the iterator past the
/// last byte. Nothing is written unless every field (the thing name and job id included) is
/// valid.
template <class OutputIt, class Request>
result<OutputIt> encode_to(OutputIt out, const Request& req) {
  return iotjobs::detail::encode_payload_to<detail::binding>(out, req);
}

/// The buffer sizes encode_to_n() needs for `req` (the topic's NUL included), or the validation
/// error it would give.
template <class Request>
result<message_size> encoded_size(const Request& req) noexcept {
  return iotjobs::detail::encoded_message_size<detail::binding>(req);
}

/// The request's topic and payload as strings: the one allocating form.
template <class Request>
result<encoded_message> encode(const Request& req) {
  return iotjobs::detail::encode_message<detail::binding>(req);
}

}  // namespace iotjobs::mqtt

#endif  // IOTJOBS_MQTT_HPP
