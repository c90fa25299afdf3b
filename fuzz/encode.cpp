// Every encoder, with each field drawn from the input: it succeeds exactly when the fields obey
// validate.hpp (the rule composed here); what it writes parses as JSON (simdjson DOM) and every
// field reads back equal, from the JSON and from the library's own service-side decoders; the
// topic or path names the same thing and job; its four forms (encode_to_n, encode_to with an
// output iterator, encoded_size, the allocating encode) agree byte for byte.
#include <simdjson.h>
#include <iotjobs/commands.hpp>
#include <iotjobs/https.hpp>
#include <iotjobs/messages.hpp>
#include <iotjobs/mqtt.hpp>
#include <iotjobs/validate.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <iterator>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "fuzz.hpp"
#include "targets.hpp"

namespace iotjobs_fuzz {
namespace {

namespace dom = simdjson::dom;
using iotjobs::status_detail;
using iotjobs::status_details_view;

constexpr std::string_view raw;  // text() draws raw bytes for it

bool well_formed(std::string_view s) {
  return simdjson::validate_utf8(s.data(), s.size());
}

// Owns the text that a drawn request's string_views point into.
class arena {
 public:
  std::string_view keep(std::string s) { return strings_.emplace_back(std::move(s)); }

 private:
  std::deque<std::string> strings_;
};

// ---- drawing requests ------------------------------------------------------------------------

std::optional<status_details_view> draw_details(reader& in, arena& a,
                                                std::vector<status_detail>& store) {
  if (!in.flag()) return std::nullopt;
  const std::size_t n = in.byte() % 5;  // none is valid too: `{}`
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view key = a.keep(in.text(thing_chars));
    store.push_back({key, a.keep(in.text(text_chars))});
  }
  return status_details_view(store.data(), store.size());
}

std::optional<std::string_view> draw_token(reader& in, arena& a) {
  return in.maybe([&] { return a.keep(in.text(text_chars)); });
}

std::string_view draw_job(reader& in, arena& a) {
  return in.byte() % 8 == 0 ? std::string_view("$next") : a.keep(in.text(job_chars));
}

// A map's keys are distinct: the encoders refuse one twice.
template <class List, class Key>
bool keys_distinct(const List& list, Key key) {
  std::set<std::string_view> seen;
  for (const auto& e : list) {
    if (!seen.insert(e.*key).second) return false;
  }
  return true;
}

bool details_ok(const std::optional<status_details_view>& d) {
  if (!d) return true;
  for (const status_detail& e : *d) {
    if (!iotjobs::is_valid_status_details_key(e.key) ||
        !iotjobs::is_valid_status_details_value(e.value))
      return false;
  }
  return keys_distinct(*d, &status_detail::key);
}

bool token_ok(const std::optional<std::string_view>& t) {
  return !t || iotjobs::is_valid_client_token(*t);
}

struct drawn_requests {
  arena text;
  std::vector<status_detail> details;
  iotjobs::get_pending_job_executions_request get_pending;
  iotjobs::start_next_pending_job_execution_request start_next;
  iotjobs::describe_job_execution_request describe;
  iotjobs::update_job_execution_request update;
};

// A namespace drawn for a describe or update: none, or text. Valid over MQTT when its topic
// (`/namespace-` and the id added to the plain one) stays within AWS IoT's 256 bytes; over
// HTTPS, set at all, it is refused.
std::optional<std::string_view> draw_namespace(reader& in, arena& a) {
  return in.maybe([&] { return a.keep(in.text(job_chars)); });
}
bool namespace_ok(const std::optional<std::string_view>& ns, iotjobs::mqtt::topic_kind kind,
                  std::string_view thing, std::string_view job, bool mqtt) {
  if (!ns) return true;
  if (!mqtt || !iotjobs::is_valid_namespace_id(*ns)) return false;
  char plain[iotjobs::mqtt::max_topic_size];
  const auto t = iotjobs::mqtt::build_topic(kind, thing, job, plain);
  return !t || t->size() + 11 + ns->size() <= iotjobs::mqtt::max_topic_bytes;
}

// Draws request `which` (0-3) into `r`; returns whether its fields are valid (the client token
// counted only when `with_token`: HTTPS does not send it).
// `with_token`: over MQTT, where a client token is carried; over HTTPS a set one is refused
// (error::unsupported_field).
bool draw_jobs_request(reader& in, int which, drawn_requests& r, bool with_token) {
  const std::string_view thing = r.text.keep(in.text(thing_chars));
  bool ok = iotjobs::is_valid_thing_name(thing);
  switch (which) {
    case 0:
      r.get_pending = {thing, draw_token(in, r.text)};
      return ok &&
             (with_token ? token_ok(r.get_pending.client_token) : !r.get_pending.client_token);
    case 1: {
      auto& q = r.start_next;
      q.thing_name = thing;
      q.status_details = draw_details(in, r.text, r.details);
      q.step_timeout_in_minutes = in.maybe([&] { return in.integer(); });
      q.client_token = draw_token(in, r.text);
      return ok && details_ok(q.status_details) &&
             (!q.step_timeout_in_minutes ||
              iotjobs::is_valid_step_timeout(*q.step_timeout_in_minutes)) &&
             (with_token ? token_ok(q.client_token) : !q.client_token);
    }
    case 2: {
      auto& q = r.describe;
      q.thing_name = thing;
      q.job_id = draw_job(in, r.text);
      q.include_job_document = in.maybe([&] { return in.flag(); });
      q.execution_number = in.maybe([&] { return in.integer(); });
      q.client_token = draw_token(in, r.text);
      const auto ns = draw_namespace(in, r.text);
      if (ns) q.namespace_id = *ns;
      return ok && iotjobs::is_valid_job_id_or_next(q.job_id) &&
             (with_token ? token_ok(q.client_token) : !q.client_token) &&
             namespace_ok(ns, iotjobs::mqtt::topic_kind::describe, thing, q.job_id, with_token);
    }
    default: {
      auto& q = r.update;
      q.thing_name = thing;
      q.job_id = draw_job(in, r.text);
      q.status = static_cast<iotjobs::update_status>(in.byte() % 4);
      q.status_details = draw_details(in, r.text, r.details);
      q.step_timeout_in_minutes = in.maybe([&] { return in.integer(); });
      q.expected_version = in.maybe([&] { return in.integer(); });
      q.include_job_execution_state = in.maybe([&] { return in.flag(); });
      q.include_job_document = in.maybe([&] { return in.flag(); });
      q.execution_number = in.maybe([&] { return in.integer(); });
      q.client_token = draw_token(in, r.text);
      const auto ns = draw_namespace(in, r.text);
      if (ns) q.namespace_id = *ns;
      return ok && iotjobs::is_valid_job_id(q.job_id) && details_ok(q.status_details) &&
             (!q.step_timeout_in_minutes ||
              iotjobs::is_valid_update_step_timeout(*q.step_timeout_in_minutes)) &&
             (with_token ? token_ok(q.client_token) : !q.client_token) &&
             namespace_ok(ns, iotjobs::mqtt::topic_kind::update, thing, q.job_id, with_token);
    }
  }
}

// ---- reading the JSON back -------------------------------------------------------------------

// Checks the members of one JSON object: each expected one present with its value, and no other.
class members {
 public:
  explicit members(std::string_view json) {
    static dom::parser parser;
    dom::element root;
    const auto parsed = parser.parse(json.data(), json.size(), true).get(root);
    if (parsed != simdjson::SUCCESS)
      std::fprintf(stderr, "%s: %.*s\n", simdjson::error_message(parsed),
                   static_cast<int>(json.size()), json.data());
    IOTJOBS_FUZZ_CHECK(parsed == simdjson::SUCCESS);
    IOTJOBS_FUZZ_CHECK(root.get_object().get(object_) == simdjson::SUCCESS);
  }
  explicit members(dom::element e) { IOTJOBS_FUZZ_CHECK(e.get_object().get(object_) == 0); }

  void string(const char* key, const std::optional<std::string_view>& want) {
    dom::element e;
    if (!present(key, want.has_value(), e)) return;
    std::string_view got;
    IOTJOBS_FUZZ_CHECK(e.get_string().get(got) == simdjson::SUCCESS && got == *want);
  }
  void integer(const char* key, const std::optional<std::int64_t>& want) {
    dom::element e;
    if (!present(key, want.has_value(), e)) return;
    std::int64_t got = 0;
    IOTJOBS_FUZZ_CHECK(e.get_int64().get(got) == simdjson::SUCCESS && got == *want);
  }
  void boolean(const char* key, const std::optional<bool>& want) {
    dom::element e;
    if (!present(key, want.has_value(), e)) return;
    bool got = false;
    IOTJOBS_FUZZ_CHECK(e.get_bool().get(got) == simdjson::SUCCESS && got == *want);
  }
  void details(const std::optional<status_details_view>& want) {
    dom::element e;
    if (!present("statusDetails", want.has_value(), e)) return;
    members inner(e);
    std::size_t i = 0;
    for (const dom::key_value_pair kv : inner.object_) {
      std::string_view value;
      IOTJOBS_FUZZ_CHECK(i < want->size() && kv.key == (*want)[i].key &&
                         kv.value.get_string().get(value) == 0 && value == (*want)[i].value);
      ++i;
    }
    IOTJOBS_FUZZ_CHECK(i == want->size());
  }
  // A member that holds an object, for the caller to check.
  std::optional<members> object(const char* key, bool expected) {
    dom::element e;
    if (!present(key, expected, e)) return std::nullopt;
    return members(e);
  }
  dom::object raw() const { return object_; }
  // Every member was expected.
  void done() const { IOTJOBS_FUZZ_CHECK(seen_ == object_.size()); }

 private:
  bool present(const char* key, bool expected, dom::element& e) {
    const bool found = object_.at_key(key).get(e) == simdjson::SUCCESS;
    IOTJOBS_FUZZ_CHECK(found == expected);
    seen_ += found;
    return found;
  }

  dom::object object_;
  std::size_t seen_ = 0;
};

void check_members(members& m, const iotjobs::get_pending_job_executions_request& r) {
  m.string("clientToken", r.client_token);
}
void check_members(members& m, const iotjobs::start_next_pending_job_execution_request& r) {
  m.details(r.status_details);
  m.integer("stepTimeoutInMinutes", r.step_timeout_in_minutes);
  m.string("clientToken", r.client_token);
}
void check_members(members& m, const iotjobs::describe_job_execution_request& r) {
  m.boolean("includeJobDocument", r.include_job_document);
  m.integer("executionNumber", r.execution_number);
  m.string("clientToken", r.client_token);
}
void check_members(members& m, const iotjobs::update_job_execution_request& r) {
  m.string("status", iotjobs::to_wire(r.status));
  m.details(r.status_details);
  m.integer("stepTimeoutInMinutes", r.step_timeout_in_minutes);
  m.integer("expectedVersion", r.expected_version);
  m.boolean("includeJobExecutionState", r.include_job_execution_state);
  m.boolean("includeJobDocument", r.include_job_document);
  m.integer("executionNumber", r.execution_number);
  m.string("clientToken", r.client_token);
}

bool same(const std::optional<status_details_view>& a,
          const std::optional<status_details_view>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  if (a->size() != b->size()) return false;
  for (std::size_t i = 0; i < a->size(); ++i) {
    if ((*a)[i].key != (*b)[i].key || (*a)[i].value != (*b)[i].value) return false;
  }
  return true;
}

// The library's service side reads the same fields back, every member of the request's table
// (the names travel in the topic or the path). check_members above is the independent check of
// the names and values; this one is the round trip.
iotjobs::decoder& service() {
  static iotjobs::decoder d;
  return d;
}
template <class T>
bool same(const T& a, const T& b) {
  return a == b;
}
template <class Request>
bool same_fields(const Request& a, const Request& b) {
  return std::apply([&](const auto&... f) { return (same(a.*f.member, b.*f.member) && ...); },
                    iotjobs::schema::of<Request>::fields);
}
template <class Request, class Decoded>
void check_read_back(const Decoded& d, const Request& r) {
  IOTJOBS_FUZZ_CHECK(d && same_fields(*d, r));
}

// ---- MQTT ------------------------------------------------------------------------------------

std::string_view job_of(const iotjobs::get_pending_job_executions_request&) {
  return {};
}
std::string_view job_of(const iotjobs::start_next_pending_job_execution_request&) {
  return {};
}
std::string_view job_of(const iotjobs::describe_job_execution_request& r) {
  return r.job_id;
}
std::string_view job_of(const iotjobs::update_job_execution_request& r) {
  return r.job_id;
}
template <class Request>
std::string_view namespace_of(const Request& r) {
  if constexpr (std::is_same_v<Request, iotjobs::describe_job_execution_request> ||
                std::is_same_v<Request, iotjobs::update_job_execution_request>) {
    return r.namespace_id ? std::string_view(*r.namespace_id) : std::string_view();
  } else {
    return {};
  }
}

// An MQTT encoder's four forms — encode_to_n (into `topic` and a large payload buffer),
// encoded_size, encode_to (the payload to an iterator) and encode — succeed exactly when `valid`,
// and agree byte for byte. Returns the message on success.
template <class EncodeToN, class EncodedSize, class EncodeTo, class Encode>
std::optional<iotjobs::message_view> check_mqtt_forms(bool valid, iotjobs::mutable_buffer topic,
                                                      EncodeToN&& encode_to_n,
                                                      EncodedSize&& encoded_size,
                                                      EncodeTo&& encode_to, Encode&& encode) {
  static std::vector<char> payload(1 << 20);
  const auto m = encode_to_n(topic, iotjobs::mutable_buffer{payload.data(), payload.size()});
  const auto size = encoded_size();
  std::string streamed;
  const auto it = encode_to(std::back_inserter(streamed));
  const auto allocated = encode();
  IOTJOBS_FUZZ_CHECK(static_cast<bool>(allocated) == valid);
  IOTJOBS_FUZZ_CHECK(static_cast<bool>(m) == valid && static_cast<bool>(size) == valid &&
                     static_cast<bool>(it) == valid);
  if (!valid) {
    IOTJOBS_FUZZ_CHECK(streamed.empty());
    return std::nullopt;
  }
  IOTJOBS_FUZZ_CHECK(size->topic == m->topic.size() + 1 && m->topic.data()[m->topic.size()] == 0 &&
                     size->payload == m->payload.size() && streamed == m->payload &&
                     allocated->topic == m->topic && allocated->payload == m->payload);
  return *m;
}

template <class Request>
void check_mqtt(const Request& r, bool valid) {
  namespace mqtt = iotjobs::mqtt;
  char topic[mqtt::max_topic_size];
  const auto m = check_mqtt_forms(
      valid, topic, [&](auto t, auto p) { return mqtt::encode_to_n(t, p, r); },
      [&] { return mqtt::encoded_size(r); }, [&](auto out) { return mqtt::encode_to(out, r); },
      [&] { return mqtt::encode(r); });
  if (!m) return;
  const auto t = mqtt::parse_topic(m->topic);
  IOTJOBS_FUZZ_CHECK(t && mqtt::is_request(t->kind) && t->thing_name == r.thing_name &&
                     t->job_id == job_of(r) && t->namespace_id == namespace_of(r));
  members json(m->payload);
  check_members(json, r);
  json.done();
  const auto d = mqtt::decode(service(), m->topic, m->payload);  // by its topic, names and all
  IOTJOBS_FUZZ_CHECK(d && d->template get_if<Request>() != nullptr);
  const Request& back = *d->template get_if<Request>();
  IOTJOBS_FUZZ_CHECK(same_fields(back, r) && back.thing_name == r.thing_name &&
                     job_of(back) == job_of(r) && namespace_of(back) == namespace_of(r));
}

// ---- HTTPS -----------------------------------------------------------------------------------

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // the encoder writes upper case only
}

// A path segment percent-decoded; every byte outside RFC 3986's unreserved set must be %XX.
std::string unescape_label(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      IOTJOBS_FUZZ_CHECK(i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0);
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
      continue;
    }
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    IOTJOBS_FUZZ_CHECK(unreserved);
    out += c;
  }
  return out;
}

// `/things/T/jobs[/J]`, T and J escaped. StartNext's `/$next` is a literal of the service's
// model, written as is; DescribeJobExecution's job id `$next` is a label, escaped (`%24next`).
void check_path(std::string_view path, std::string_view thing, std::string_view last,
                bool literal_last = false) {
  constexpr std::string_view things = "/things/";
  IOTJOBS_FUZZ_CHECK(path.substr(0, things.size()) == things);
  path.remove_prefix(things.size());
  const std::size_t slash = path.find('/');
  IOTJOBS_FUZZ_CHECK(slash != std::string_view::npos &&
                     unescape_label(path.substr(0, slash)) == thing);
  path.remove_prefix(slash);
  IOTJOBS_FUZZ_CHECK(path.substr(0, 5) == "/jobs");
  path.remove_prefix(5);
  if (last.empty()) {
    IOTJOBS_FUZZ_CHECK(path.empty());
  } else if (literal_last) {
    IOTJOBS_FUZZ_CHECK(path.substr(0, 1) == "/" && path.substr(1) == last);
  } else {
    IOTJOBS_FUZZ_CHECK(path.substr(0, 1) == "/" && unescape_label(path.substr(1)) == last);
  }
}

template <class Request>
void check_https_forms(const Request& r, bool valid, iotjobs::https::request_view& v) {
  namespace https = iotjobs::https;
  static std::vector<char> out(1 << 20);
  const auto m = https::encode_to_n({out.data(), out.size()}, r);
  const auto size = https::encoded_size(r);
  std::string streamed;
  const auto it = https::encode_to(std::back_inserter(streamed), r);
  const auto allocated = https::encode(r);
  IOTJOBS_FUZZ_CHECK(static_cast<bool>(m) == valid && static_cast<bool>(size) == valid &&
                     static_cast<bool>(it) == valid && static_cast<bool>(allocated) == valid);
  if (!valid) return;
  v = *m;
  IOTJOBS_FUZZ_CHECK(allocated->method == v.method && allocated->path == v.path &&
                     allocated->query == v.query && allocated->body == v.body);
  IOTJOBS_FUZZ_CHECK(*size == v.path.size() + v.query.size() + (v.body ? v.body->size() : 0) &&
                     streamed == v.body.value_or(std::string_view()));
  IOTJOBS_FUZZ_CHECK(v.body.has_value() == (v.headers.size() == 1));
}

void check_https_jobs(int which, drawn_requests& r, bool valid) {
  iotjobs::https::request_view v;
  switch (which) {
    case 0:
      check_https_forms(r.get_pending, valid, v);
      if (!valid) return;
      IOTJOBS_FUZZ_CHECK(v.method == "GET" && v.query.empty() && !v.body);
      check_path(v.path, r.get_pending.thing_name, {});
      return;
    case 1: {
      check_https_forms(r.start_next, valid, v);
      if (!valid) return;
      IOTJOBS_FUZZ_CHECK(v.method == "PUT" && v.query.empty() && v.body);
      check_path(v.path, r.start_next.thing_name, "$next", true);
      auto body = r.start_next;
      body.client_token.reset();  // MQTT only
      members json(*v.body);
      check_members(json, body);
      json.done();
      check_read_back(service().decode(iotjobs::mqtt::start_next_request, *v.body), body);
      return;
    }
    case 2: {
      const auto& q = r.describe;
      check_https_forms(q, valid, v);
      if (!valid) return;
      IOTJOBS_FUZZ_CHECK(v.method == "GET" && !v.body);
      check_path(v.path, q.thing_name, q.job_id);
      std::string query;  // keys sorted, as the SDKs sign them
      if (q.execution_number) query = "executionNumber=" + std::to_string(*q.execution_number);
      if (q.include_job_document) {
        query += query.empty() ? "" : "&";
        query += *q.include_job_document ? "includeJobDocument=true" : "includeJobDocument=false";
      }
      IOTJOBS_FUZZ_CHECK(v.query == query);
      return;
    }
    default: {
      check_https_forms(r.update, valid, v);
      if (!valid) return;
      IOTJOBS_FUZZ_CHECK(v.method == "POST" && v.query.empty() && v.body);
      check_path(v.path, r.update.thing_name, r.update.job_id);
      auto body = r.update;
      body.client_token.reset();
      members json(*v.body);
      check_members(json, body);
      json.done();
      check_read_back(service().decode(iotjobs::mqtt::update_request, *v.body), body);
      return;
    }
  }
}

std::string base64_decode(std::string_view s) {
  constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  IOTJOBS_FUZZ_CHECK(s.size() % 4 == 0);
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (const char c : s) {
    if (c == '=') break;
    const std::size_t v = alphabet.find(c);
    IOTJOBS_FUZZ_CHECK(v != std::string_view::npos);
    bits = bits << 6 | static_cast<std::uint32_t>(v);
    if (++count == 4) {
      out += static_cast<char>(bits >> 16);
      out += static_cast<char>(bits >> 8 & 0xFF);
      out += static_cast<char>(bits & 0xFF);
      bits = 0;
      count = 0;
    }
  }
  if (count == 3) {
    out += static_cast<char>(bits >> 10);
    out += static_cast<char>(bits >> 2 & 0xFF);
  } else if (count == 2) {
    out += static_cast<char>(bits >> 4);
  } else {
    IOTJOBS_FUZZ_CHECK(count == 0);
  }
  return out;
}

void check_start_command(reader& in) {
  using value = iotjobs::command_parameter_value;
  arena a;
  std::vector<iotjobs::command_parameter> parameters;
  iotjobs::start_command_execution_request r;
  r.target_arn = a.keep(in.text(text_chars));
  r.command_arn = a.keep(in.text(text_chars));
  bool valid = !r.target_arn.empty() && r.target_arn.size() <= 2048 && well_formed(r.target_arn) &&
               !r.command_arn.empty() && well_formed(r.command_arn);
  if (in.flag()) {
    const std::size_t n = in.byte() % 4;
    valid = valid && n > 0;
    constexpr std::string_view name_chars = "aZ09_-.$/";
    for (std::size_t i = 0; i < n; ++i) {
      value v;
      v.type = static_cast<value::kind>(in.byte() % 7);
      switch (v.type) {
        case value::kind::string: v.text = a.keep(in.text(text_chars)); break;
        case value::kind::binary: v.text = a.keep(in.text(raw)); break;  // raw bytes
        case value::kind::boolean: v.boolean_value = in.flag(); break;
        case value::kind::int32:
        case value::kind::int64: v.integer = in.integer(); break;
        case value::kind::float64: {
          const auto bits = static_cast<std::uint64_t>(in.integer());
          std::memcpy(&v.floating, &bits, sizeof bits);
          break;
        }
        case value::kind::uint64: v.unsigned_integer = static_cast<std::uint64_t>(in.integer());
      }
      const bool value_ok = v.type == value::kind::string   ? !v.text.empty() && well_formed(v.text)
                            : v.type == value::kind::binary ? !v.text.empty()
                            : v.type == value::kind::int32
                                ? v.integer >= INT32_MIN && v.integer <= INT32_MAX
                            : v.type == value::kind::float64 ? std::isfinite(v.floating)
                                                             : true;
      const std::string_view name = a.keep(in.text(name_chars));
      valid = valid && value_ok && iotjobs::is_valid_command_parameter_name(name);
      parameters.push_back({name, v});
    }
    r.parameters = iotjobs::list_view<iotjobs::command_parameter>(parameters);
    valid = valid && keys_distinct(parameters, &iotjobs::command_parameter::name);
  }
  r.execution_timeout_seconds = in.maybe([&] { return in.integer(); });
  r.client_token = in.maybe([&] { return a.keep(in.text(text_chars)); });
  valid = valid && (!r.execution_timeout_seconds || *r.execution_timeout_seconds >= 1) &&
          (!r.client_token || iotjobs::is_valid_command_client_token(*r.client_token));

  iotjobs::https::request_view v;
  check_https_forms(r, valid, v);
  if (!valid) return;
  IOTJOBS_FUZZ_CHECK(v.method == "POST" && v.path == "/command-executions" && v.query.empty() &&
                     v.body);
  members json(*v.body);
  json.string("targetArn", r.target_arn);
  json.string("commandArn", r.command_arn);
  json.integer("executionTimeoutSeconds", r.execution_timeout_seconds);
  json.string("clientToken", r.client_token);
  if (auto p = json.object("parameters", r.parameters.has_value())) {
    std::size_t i = 0;
    for (const dom::key_value_pair kv : p->raw()) {
      IOTJOBS_FUZZ_CHECK(i < parameters.size() && kv.key == parameters[i].name);
      members one(kv.value);
      const value& want = parameters[i++].value;
      switch (want.type) {
        case value::kind::string: one.string("S", want.text); break;
        case value::kind::boolean: one.boolean("B", want.boolean_value); break;
        case value::kind::int32: one.integer("I", want.integer); break;
        case value::kind::int64: one.integer("L", want.integer); break;
        case value::kind::float64: {
          double got = 0;
          IOTJOBS_FUZZ_CHECK(one.raw()["D"].get_double().get(got) == 0 && got == want.floating);
          break;
        }
        case value::kind::binary: {
          std::string_view got;
          IOTJOBS_FUZZ_CHECK(one.raw()["BIN"].get_string().get(got) == 0 &&
                             base64_decode(got) == want.text);
          break;
        }
        case value::kind::uint64: one.string("UL", std::to_string(want.unsigned_integer)); break;
      }
      IOTJOBS_FUZZ_CHECK(one.raw().size() == 1);
    }
    IOTJOBS_FUZZ_CHECK(i == parameters.size());
  }
  json.done();
}

}  // namespace

void encode_mqtt(const std::uint8_t* data, std::size_t size) {
  reader in(data, size);
  const int which = in.byte() % 4;
  drawn_requests r;
  const bool valid = draw_jobs_request(in, which, r, true);
  switch (which) {
    case 0: check_mqtt(r.get_pending, valid); break;
    case 1: check_mqtt(r.start_next, valid); break;
    case 2: check_mqtt(r.describe, valid); break;
    default: check_mqtt(r.update, valid); break;
  }
}

void encode_https(const std::uint8_t* data, std::size_t size) {
  reader in(data, size);
  const int which = in.byte() % 5;
  if (which == 4) {
    check_start_command(in);
    return;
  }
  drawn_requests r;
  const bool valid = draw_jobs_request(in, which, r, false);
  check_https_jobs(which, r, valid);
}

void encode_commands(const std::uint8_t* data, std::size_t size) {
  namespace cmd = iotjobs::commands;
  reader in(data, size);
  arena a;
  std::vector<cmd::result_entry> results;
  cmd::update_request r;
  r.device = static_cast<cmd::device_type>(in.byte() % 2);
  r.device_id = a.keep(in.text(thing_chars));
  r.execution_id = a.keep(in.text(job_chars));
  r.status = static_cast<cmd::execution_status>(in.byte() % 5);
  r.format = in.flag() ? cmd::payload_format::cbor : cmd::payload_format::json;
  bool valid = (r.device == cmd::device_type::thing ? iotjobs::is_valid_thing_name(r.device_id)
                                                    : iotjobs::is_valid_client_id(r.device_id)) &&
               iotjobs::is_valid_execution_id(r.execution_id);
  if (in.flag()) {
    cmd::status_reason reason;
    reason.reason_code = a.keep(in.text("ABZ09_-a"));
    reason.reason_description = in.maybe([&] { return a.keep(in.text(text_chars)); });
    r.status_reason = reason;
    valid = valid && iotjobs::is_valid_reason_code(reason.reason_code) &&
            (!reason.reason_description ||
             iotjobs::is_valid_reason_description(*reason.reason_description));
  }
  if (in.flag()) {
    const std::size_t n = in.byte() % 4;
    valid = valid && n > 0;
    for (std::size_t i = 0; i < n; ++i) {
      cmd::result_entry e;
      e.name = a.keep(in.text("aZ09_-."));
      const int kind = in.byte() % 3;
      e.value = kind == 0   ? cmd::result_value::string(a.keep(in.text(text_chars)))
                : kind == 1 ? cmd::result_value::boolean(in.flag())
                            : cmd::result_value::binary(a.keep(in.text(raw)));
      valid = valid && iotjobs::is_valid_command_result_name(e.name) &&
              (kind == 1 || (!e.value.text.empty() && (kind == 2 || well_formed(e.value.text))));
      results.push_back(e);
    }
    r.result = iotjobs::list_view<cmd::result_entry>(results);
    valid = valid && keys_distinct(results, &cmd::result_entry::name);
  }

  char topic[cmd::max_topic_size];
  const auto m = check_mqtt_forms(
      valid, topic, [&](auto t, auto p) { return cmd::encode_to_n(t, p, r); },
      [&] { return cmd::encoded_size(r); }, [&](auto out) { return cmd::encode_to(out, r); },
      [&] { return cmd::encode(r); });
  if (!m) return;
  const auto t = cmd::parse_topic(m->topic);
  IOTJOBS_FUZZ_CHECK(t && t->kind == cmd::topic_kind::response && t->device == r.device &&
                     t->device_id == r.device_id && t->execution_id == r.execution_id &&
                     t->format == r.format);
  if (r.format == cmd::payload_format::cbor) return;  // read back by libcbor in the unit tests
  members json(m->payload);
  json.string("status", cmd::to_wire(r.status));
  if (auto reason = json.object("statusReason", r.status_reason.has_value())) {
    reason->string("reasonCode", r.status_reason->reason_code);
    reason->string("reasonDescription", r.status_reason->reason_description);
    reason->done();
  }
  if (auto result = json.object("result", r.result.has_value())) {
    std::size_t i = 0;
    for (const dom::key_value_pair kv : result->raw()) {
      IOTJOBS_FUZZ_CHECK(i < results.size() && kv.key == results[i].name);
      members one(kv.value);
      const cmd::result_value& want = results[i++].value;
      switch (want.type) {
        case cmd::result_value::kind::string: one.string("s", want.text); break;
        case cmd::result_value::kind::boolean: one.boolean("b", want.boolean_value); break;
        case cmd::result_value::kind::binary: {
          std::string_view got;
          IOTJOBS_FUZZ_CHECK(one.raw()["bin"].get_string().get(got) == 0 &&
                             base64_decode(got) == want.text);
          break;
        }
      }
      IOTJOBS_FUZZ_CHECK(one.raw().size() == 1);
    }
    IOTJOBS_FUZZ_CHECK(i == results.size());
  }
  json.done();
}

}  // namespace iotjobs_fuzz
