// The decode contenders. Each has decode(payload, out) for every plain struct of plain.hpp and
// returns whether the payload was accepted. Each keeps its state (parser, DOM, buffers) between
// decodes, as a long-lived application would.
#ifndef IOTJOBS_BENCH_CONTENDERS_HPP
#define IOTJOBS_BENCH_CONTENDERS_HPP

#include <cjson/cJSON.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <simdjson.h>
#include <iotjobs/messages.hpp>

#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>

#include "extract.hpp"
#include "plain.hpp"

namespace bench {

// ---- iotjobs: decode, then copy the views out ------------------------------------------------

// The MQTT decodes take the payload as a std::string_view (copied into the decoder's padded
// buffer) or as a simdjson::padded_string_view (read where it lies).
class iotjobs_contender {
 public:
  iotjobs_contender() {
    if (dec_.reserve(iotjobs::max_payload_size) != iotjobs::error::ok) std::abort();
  }

  template <class Input>
  bool decode(const Input& p, notify_next& out) {
    const auto r = dec_.decode(iotjobs::mqtt::notify_next, p);
    if (!r) return false;
    out.timestamp = r->timestamp;
    out.has_execution = r->execution.has_value();
    if (out.has_execution) copy(*r->execution, out.execution);
    return true;
  }
  template <class Input>
  bool decode(const Input& p, get_pending& out) {
    const auto r = dec_.decode(iotjobs::mqtt::get_pending_accepted, p);
    if (!r) return false;
    copy(r->in_progress_jobs, out.in_progress);
    copy(r->queued_jobs, out.queued);
    out.timestamp = r->timestamp;
    out.client_token = r->client_token;
    return true;
  }
  template <class Input>
  bool decode(const Input& p, update_accepted& out) {
    const auto r = dec_.decode(iotjobs::mqtt::update_accepted, p);
    if (!r) return false;
    copy(r->execution_state, out.has_state, out.state);
    out.job_document = text_of(r->job_document);
    out.timestamp = r->timestamp;
    out.client_token = r->client_token;
    return true;
  }
  template <class Input>
  bool decode(const Input& p, rejected& out) {
    const auto r = dec_.decode(iotjobs::mqtt::rejected, p);
    if (!r) return false;
    out.code = r->code;
    out.message = r->message;
    out.client_token = r->client_token;
    out.timestamp = r->timestamp;
    copy(r->execution_state, out.has_state, out.state);
    return true;
  }
  template <class Input>
  bool decode(const Input& p, ota_update& out) {
    const auto r = dec_.decode(iotjobs::documents::job_document, p);
    if (!r || !r->afr_ota()) return false;
    const iotjobs::documents::afr_ota_view& ota = *r->afr_ota();
    out.protocols.clear();
    for (std::size_t i = 0; i < ota.protocol_count; ++i)
      out.protocols.push_back(ota.protocols[i] == iotjobs::documents::ota_protocol::mqtt ? "MQTT"
                                                                                         : "HTTP");
    out.stream = ota.stream_name.empty() ? opt_text() : opt_text(ota.stream_name);
    out.files.clear();
    const auto text = [](std::string_view s) { return s.empty() ? opt_text() : opt_text(s); };
    for (const iotjobs::documents::ota_file_view& f : ota.files) {
      out.files.push_back({text(f.file_path), f.file_size, f.file_id, f.signature_key, f.signature,
                           f.file_type ? opt_int(*f.file_type) : opt_int(), text(f.update_data_url),
                           text(f.auth_scheme)});
    }
    return true;
  }
  bool decode(std::string_view p, describe_response& out) {
    const auto r = dec_.decode(iotjobs::https::describe_response, {200, {}, p});
    if (!r || !r->value) return false;
    out.has_execution = r->value->execution.has_value();
    if (out.has_execution) copy(*r->value->execution, out.execution);
    return true;
  }

 private:
  static opt_text text_of(const std::optional<iotjobs::job_document_view>& d) {
    return d ? opt_text(d->json()) : std::nullopt;
  }
  static void copy(const std::optional<iotjobs::status_details_view>& from, details& to) {
    to.clear();
    to.present = from.has_value();
    if (from)
      for (const iotjobs::status_detail& d : *from)
        to.pairs.push_back({d.key, d.value});
  }
  static void copy(const iotjobs::job_execution_view& x, execution& out) {
    out.job_id = x.job_id;
    out.thing_name = x.thing_name;
    out.status = x.status;
    copy(x.status_details, out.details);
    out.queued_at = x.queued_at;
    out.started_at = x.started_at;
    out.last_updated_at = x.last_updated_at;
    out.approximate_seconds_before_timed_out = x.approximate_seconds_before_timed_out;
    out.version_number = x.version_number;
    out.execution_number = x.execution_number;
    out.job_document = text_of(x.job_document);
  }
  static void copy(const std::optional<iotjobs::job_execution_state_view>& from, bool& has,
                   state& to) {
    has = from.has_value();
    if (!from) return;
    to.status = from->status;
    copy(from->status_details, to.details);
    to.version_number = from->version_number;
  }
  static void copy(iotjobs::list_view<iotjobs::job_execution_summary_view> from,
                   std::vector<summary>& to) {
    to.clear();
    for (const auto& s : from)
      to.push_back({s.job_id, s.queued_at, s.started_at, s.last_updated_at, s.version_number,
                    s.execution_number});
  }

  iotjobs::decoder dec_;
};

// ---- simdjson DOM ----------------------------------------------------------------------------

class simdjson_dom_contender {
 public:
  using node = simdjson::dom::element;
  static bool member(node obj, const char* key, node& v) { return !obj.at_key(key).get(v); }
  static bool is_null(node v) { return v.is_null(); }
  static bool is_object(node v) { return v.is_object(); }
  static bool int64(node v, std::int64_t& i) { return !v.get_int64().get(i); }
  static bool string(node v, std::string_view& s) { return !v.get_string().get(s); }
  template <class F>
  static bool each_member(node v, F&& f) {
    simdjson::dom::object o;
    if (v.get_object().get(o)) return false;
    for (const auto field : o)
      if (!f(field.key, field.value)) return false;
    return true;
  }
  template <class F>
  static bool each_element(node v, F&& f) {
    simdjson::dom::array a;
    if (v.get_array().get(a)) return false;
    for (const node e : a)
      if (!f(e)) return false;
    return true;
  }
  std::string_view serialize(node v) {
    text_ = simdjson::to_string(v);
    return text_;
  }
  template <class Out>
  bool decode(std::string_view p, Out& out) {
    node root;
    return !parser_.parse(p.data(), p.size(), true).get(root) &&
           extract<simdjson_dom_contender>{*this}(root, out);
  }

 private:
  simdjson::dom::parser parser_;
  std::string text_;
};

// ---- RapidJSON, in-situ, UTF-8 validated -----------------------------------------------------

class rapidjson_contender {
 public:
  using node = const rapidjson::Value*;
  static bool member(node obj, const char* key, node& v) {
    const auto it = obj->FindMember(key);
    if (it == obj->MemberEnd()) return false;
    v = &it->value;
    return true;
  }
  static bool is_null(node v) { return v->IsNull(); }
  static bool is_object(node v) { return v->IsObject(); }
  static bool int64(node v, std::int64_t& i) {
    if (!v->IsInt64()) return false;
    i = v->GetInt64();
    return true;
  }
  static bool string(node v, std::string_view& s) {
    if (!v->IsString()) return false;
    s = std::string_view(v->GetString(), v->GetStringLength());
    return true;
  }
  template <class F>
  static bool each_member(node v, F&& f) {
    if (!v->IsObject()) return false;
    for (const auto& m : v->GetObject())
      if (!f(std::string_view(m.name.GetString(), m.name.GetStringLength()), &m.value))
        return false;
    return true;
  }
  template <class F>
  static bool each_element(node v, F&& f) {
    if (!v->IsArray()) return false;
    for (const auto& e : v->GetArray())
      if (!f(&e)) return false;
    return true;
  }
  std::string_view serialize(node v) {
    text_.Clear();
    rapidjson::Writer<rapidjson::StringBuffer> writer(text_);
    v->Accept(writer);
    return std::string_view(text_.GetString(), text_.GetSize());
  }
  template <class Out>
  bool decode(std::string_view p, Out& out) {
    buffer_.assign(p.begin(), p.end());  // in-situ parsing writes into its input
    buffer_.push_back('\0');
    doc_.emplace();
    doc_->ParseInsitu<rapidjson::kParseValidateEncodingFlag>(buffer_.data());
    return !doc_->HasParseError() && extract<rapidjson_contender>{*this}(&*doc_, out);
  }

 private:
  std::vector<char> buffer_;
  std::optional<rapidjson::Document> doc_;
  rapidjson::StringBuffer text_;
};

// ---- nlohmann::json (ordered_json: statusDetails keep their order) ---------------------------

class nlohmann_contender {
 public:
  using json = nlohmann::ordered_json;
  using node = const json*;
  static bool member(node obj, const char* key, node& v) {
    const auto it = obj->find(key);
    if (it == obj->end()) return false;
    v = &*it;
    return true;
  }
  static bool is_null(node v) { return v->is_null(); }
  static bool is_object(node v) { return v->is_object(); }
  static bool int64(node v, std::int64_t& i) {
    if (!v->is_number_integer()) return false;
    i = v->get<std::int64_t>();
    return true;
  }
  static bool string(node v, std::string_view& s) {
    if (!v->is_string()) return false;
    s = v->get_ref<const std::string&>();
    return true;
  }
  template <class F>
  static bool each_member(node v, F&& f) {
    if (!v->is_object()) return false;
    for (auto it = v->begin(); it != v->end(); ++it)
      if (!f(std::string_view(it.key()), &it.value())) return false;
    return true;
  }
  template <class F>
  static bool each_element(node v, F&& f) {
    if (!v->is_array()) return false;
    for (const json& e : *v)
      if (!f(&e)) return false;
    return true;
  }
  std::string_view serialize(node v) {
    text_ = v->dump();
    return text_;
  }
  template <class Out>
  bool decode(std::string_view p, Out& out) {
    doc_ = json::parse(p.begin(), p.end(), nullptr, false);
    return !doc_.is_discarded() && extract<nlohmann_contender>{*this}(&doc_, out);
  }

 private:
  json doc_;
  std::string text_;
};

// ---- cJSON (numbers are doubles; it does not validate UTF-8) ---------------------------------

class cjson_contender {
 public:
  using node = const cJSON*;
  cjson_contender() : text_(256 * 1024) {}
  ~cjson_contender() { cJSON_Delete(doc_); }
  cjson_contender(const cjson_contender&) = delete;
  cjson_contender& operator=(const cjson_contender&) = delete;

  static bool member(node obj, const char* key, node& v) {
    v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return v != nullptr;
  }
  static bool is_null(node v) { return cJSON_IsNull(v); }
  static bool is_object(node v) { return cJSON_IsObject(v); }
  static bool int64(node v, std::int64_t& i) {
    if (!cJSON_IsNumber(v)) return false;
    const double d = v->valuedouble;
    if (d != std::floor(d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0)
      return false;
    i = static_cast<std::int64_t>(d);
    return true;
  }
  static bool string(node v, std::string_view& s) {
    if (!cJSON_IsString(v)) return false;
    s = v->valuestring;
    return true;
  }
  template <class F>
  static bool each_member(node v, F&& f) {
    if (!cJSON_IsObject(v)) return false;
    for (const cJSON* m = v->child; m != nullptr; m = m->next)
      if (!f(std::string_view(m->string), m)) return false;
    return true;
  }
  template <class F>
  static bool each_element(node v, F&& f) {
    if (!cJSON_IsArray(v)) return false;
    for (const cJSON* e = v->child; e != nullptr; e = e->next)
      if (!f(e)) return false;
    return true;
  }
  std::string_view serialize(node v) {
    if (!cJSON_PrintPreallocated(const_cast<cJSON*>(v), text_.data(),
                                 static_cast<int>(text_.size()), false))
      return {};
    return std::string_view(text_.data());
  }
  template <class Out>
  bool decode(std::string_view p, Out& out) {
    cJSON_Delete(doc_);
    doc_ = cJSON_ParseWithLength(p.data(), p.size());
    return doc_ != nullptr && extract<cjson_contender>{*this}(doc_, out);
  }

 private:
  cJSON* doc_ = nullptr;
  std::vector<char> text_;
};

}  // namespace bench

#endif  // IOTJOBS_BENCH_CONTENDERS_HPP
