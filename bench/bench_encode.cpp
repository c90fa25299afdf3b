// Encode: the UpdateJobExecution request, every field set, to its MQTT topic and JSON payload.
// Only iotjobs validates the fields; it and the JSON libraries escape the strings, while snprintf
// and the floor are given the statusDetails value already escaped. Every contender must write the
// same bytes (check_encoders()).
#include <cjson/cJSON.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <iotjobs/mqtt.hpp>

#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

#include "bench.hpp"

namespace bench {
namespace {

using iotjobs::status_detail;
using iotjobs::update_job_execution_request;

// String literals, so that cJSON (which takes C strings) can read them as they are.
const status_detail details[] = {
    {"step", "downloading \"app-2.4.1.bin\""}, {"progress", "42%"}, {"eta", "30s"}};
constexpr const char* escaped_step = "downloading \\\"app-2.4.1.bin\\\"";

update_job_execution_request make_request() {
  update_job_execution_request r;
  r.thing_name = "sensor-0042";
  r.job_id = "fw-2_4_1-fleet-a";
  r.status = iotjobs::update_status::in_progress;
  r.status_details = iotjobs::status_details_view(details);
  r.step_timeout_in_minutes = 30;
  r.expected_version = 3;
  r.include_job_execution_state = true;
  r.include_job_document = false;
  r.execution_number = 1;
  r.client_token = "update-0005";
  return r;
}
const update_job_execution_request request = make_request();

struct message {
  std::string_view topic, payload;
};

struct iotjobs_encoder {
  char topic[iotjobs::mqtt::max_topic_size];
  char payload[1024];
  bool encode(const update_job_execution_request& r, message& out) {
    const auto m = iotjobs::mqtt::encode_to_n(topic, payload, r);
    if (!m) return false;
    out = {m->topic, m->payload};
    return true;
  }
};

std::string topic_of(const update_job_execution_request& r) {
  std::string t = "$aws/things/";
  t.append(r.thing_name).append("/jobs/").append(r.job_id).append("/update");
  return t;
}

struct nlohmann_encoder {
  std::string topic, payload;
  bool encode(const update_job_execution_request& r, message& out) {
    nlohmann::ordered_json j;
    j["status"] = std::string(iotjobs::to_wire(r.status));
    nlohmann::ordered_json& d = j["statusDetails"] = nlohmann::ordered_json::object();
    for (const status_detail& e : *r.status_details)
      d[std::string(e.key)] = std::string(e.value);
    j["stepTimeoutInMinutes"] = *r.step_timeout_in_minutes;
    j["expectedVersion"] = *r.expected_version;
    j["includeJobExecutionState"] = *r.include_job_execution_state;
    j["includeJobDocument"] = *r.include_job_document;
    j["executionNumber"] = *r.execution_number;
    j["clientToken"] = std::string(*r.client_token);
    payload = j.dump();
    topic = topic_of(r);
    out = {topic, payload};
    return true;
  }
};

struct rapidjson_encoder {
  std::string topic;
  rapidjson::StringBuffer payload;
  bool encode(const update_job_execution_request& r, message& out) {
    payload.Clear();
    rapidjson::Writer<rapidjson::StringBuffer> w(payload);
    const auto string = [&](std::string_view s) {
      w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    };
    w.StartObject();
    w.Key("status");
    string(iotjobs::to_wire(r.status));
    w.Key("statusDetails");
    w.StartObject();
    for (const status_detail& e : *r.status_details) {
      w.Key(e.key.data(), static_cast<rapidjson::SizeType>(e.key.size()));
      string(e.value);
    }
    w.EndObject();
    w.Key("stepTimeoutInMinutes");
    w.Int64(*r.step_timeout_in_minutes);
    w.Key("expectedVersion");
    w.Int64(*r.expected_version);
    w.Key("includeJobExecutionState");
    w.Bool(*r.include_job_execution_state);
    w.Key("includeJobDocument");
    w.Bool(*r.include_job_document);
    w.Key("executionNumber");
    w.Int64(*r.execution_number);
    w.Key("clientToken");
    string(*r.client_token);
    w.EndObject();
    topic.assign("$aws/things/").append(r.thing_name).append("/jobs/").append(r.job_id);
    topic.append("/update");
    out = {topic, std::string_view(payload.GetString(), payload.GetSize())};
    return true;
  }
};

struct cjson_encoder {
  char topic[iotjobs::mqtt::max_topic_size + 1];
  char payload[1024];
  bool encode(const update_job_execution_request& r, message& out) {
    cJSON* o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", iotjobs::to_wire(r.status).data());
    cJSON* d = cJSON_AddObjectToObject(o, "statusDetails");
    for (const status_detail& e : *r.status_details)
      cJSON_AddStringToObject(d, e.key.data(), e.value.data());
    cJSON_AddNumberToObject(o, "stepTimeoutInMinutes",
                            static_cast<double>(*r.step_timeout_in_minutes));
    cJSON_AddNumberToObject(o, "expectedVersion", static_cast<double>(*r.expected_version));
    cJSON_AddBoolToObject(o, "includeJobExecutionState", *r.include_job_execution_state);
    cJSON_AddBoolToObject(o, "includeJobDocument", *r.include_job_document);
    cJSON_AddNumberToObject(o, "executionNumber", static_cast<double>(*r.execution_number));
    cJSON_AddStringToObject(o, "clientToken", r.client_token->data());
    const bool ok = cJSON_PrintPreallocated(o, payload, sizeof payload, false);
    cJSON_Delete(o);
    const int n = std::snprintf(topic, sizeof topic, "$aws/things/%.*s/jobs/%.*s/update",
                                static_cast<int>(r.thing_name.size()), r.thing_name.data(),
                                static_cast<int>(r.job_id.size()), r.job_id.data());
    out = {std::string_view(topic, static_cast<std::size_t>(n)), payload};
    return ok;
  }
};

// No validation and no escaping: the statusDetails value goes in already escaped.
struct snprintf_encoder {
  char topic[iotjobs::mqtt::max_topic_size + 1];
  char payload[1024];
  bool encode(const update_job_execution_request& r, message& out) {
    const int t = std::snprintf(topic, sizeof topic, "$aws/things/%.*s/jobs/%.*s/update",
                                static_cast<int>(r.thing_name.size()), r.thing_name.data(),
                                static_cast<int>(r.job_id.size()), r.job_id.data());
    const status_detail* d = r.status_details->begin();
    const int p = std::snprintf(
        payload, sizeof payload,
        "{\"status\":\"%s\",\"statusDetails\":{\"%s\":\"%s\",\"%s\":\"%s\",\"%s\":\"%s\"},"
        "\"stepTimeoutInMinutes\":%" PRId64 ",\"expectedVersion\":%" PRId64
        ",\"includeJobExecutionState\":%s,\"includeJobDocument\":%s,\"executionNumber\":%" PRId64
        ",\"clientToken\":\"%s\"}",
        iotjobs::to_wire(r.status).data(), d[0].key.data(), escaped_step, d[1].key.data(),
        d[1].value.data(), d[2].key.data(), d[2].value.data(), *r.step_timeout_in_minutes,
        *r.expected_version, *r.include_job_execution_state ? "true" : "false",
        *r.include_job_document ? "true" : "false", *r.execution_number, r.client_token->data());
    out = {std::string_view(topic, static_cast<std::size_t>(t)),
           std::string_view(payload, static_cast<std::size_t>(p))};
    return t > 0 && p > 0;
  }
};

// The floor: the same bytes appended with no check at all.
struct unchecked_append {
  char topic[iotjobs::mqtt::max_topic_size];
  char payload[1024];
  bool encode(const update_job_execution_request& r, message& out) {
    char* t = topic;
    const auto put = [](char*& at, std::string_view s) {
      std::memcpy(at, s.data(), s.size());
      at += s.size();
    };
    const auto number = [](char*& at, std::int64_t v) { at = std::to_chars(at, at + 20, v).ptr; };
    put(t, "$aws/things/");
    put(t, r.thing_name);
    put(t, "/jobs/");
    put(t, r.job_id);
    put(t, "/update");
    char* p = payload;
    put(p, "{\"status\":\"");
    put(p, iotjobs::to_wire(r.status));
    put(p, "\",\"statusDetails\":{");
    const status_detail* d = r.status_details->begin();
    for (std::size_t i = 0; i < r.status_details->size(); ++i) {
      put(p, i == 0 ? "\"" : ",\"");
      put(p, d[i].key);
      put(p, "\":\"");
      put(p, i == 0 ? std::string_view(escaped_step) : std::string_view(d[i].value));
      put(p, "\"");
    }
    put(p, "},\"stepTimeoutInMinutes\":");
    number(p, *r.step_timeout_in_minutes);
    put(p, ",\"expectedVersion\":");
    number(p, *r.expected_version);
    put(p, *r.include_job_execution_state ? ",\"includeJobExecutionState\":true"
                                          : ",\"includeJobExecutionState\":false");
    put(p,
        *r.include_job_document ? ",\"includeJobDocument\":true" : ",\"includeJobDocument\":false");
    put(p, ",\"executionNumber\":");
    number(p, *r.execution_number);
    put(p, ",\"clientToken\":\"");
    put(p, *r.client_token);
    put(p, "\"}");
    out = {std::string_view(topic, static_cast<std::size_t>(t - topic)),
           std::string_view(payload, static_cast<std::size_t>(p - payload))};
    return true;
  }
};

template <class Encoder>
void encode(benchmark::State& state) {
  Encoder e;
  message m;
  if (!e.encode(request, m)) {
    state.SkipWithError("encode failed");
    return;
  }
  const long before = iotjobs_allocation_count();
  for (auto _ : state) {
    bool ok = e.encode(request, m);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(m);
  }
  count_allocations(state, before);
  state.SetBytesProcessed(
      static_cast<std::int64_t>(state.iterations() * (m.topic.size() + m.payload.size())));
}

template <class Encoder>
bool same_bytes(const char* name, const message& reference) {
  Encoder e;
  message m;
  if (e.encode(request, m) && m.topic == reference.topic && m.payload == reference.payload)
    return true;
  std::fprintf(stderr, "%s writes other bytes:\n  %.*s\n  %.*s\n", name,
               static_cast<int>(m.topic.size()), m.topic.data(), static_cast<int>(m.payload.size()),
               m.payload.data());
  return false;
}

}  // namespace

void register_encoders() {
  benchmark::RegisterBenchmark("encode/update_job_execution/iotjobs", encode<iotjobs_encoder>);
  benchmark::RegisterBenchmark("encode/update_job_execution/unchecked_append",
                               encode<unchecked_append>);
  benchmark::RegisterBenchmark("encode/update_job_execution/snprintf", encode<snprintf_encoder>);
  benchmark::RegisterBenchmark("encode/update_job_execution/rapidjson", encode<rapidjson_encoder>);
  benchmark::RegisterBenchmark("encode/update_job_execution/nlohmann", encode<nlohmann_encoder>);
  benchmark::RegisterBenchmark("encode/update_job_execution/cjson", encode<cjson_encoder>);
}

bool check_encoders() {
  iotjobs_encoder reference_encoder;
  message reference;
  if (!reference_encoder.encode(request, reference)) {
    std::fprintf(stderr, "iotjobs refused the request\n");
    return false;
  }
  return same_bytes<unchecked_append>("unchecked_append", reference) &
         same_bytes<snprintf_encoder>("snprintf", reference) &
         same_bytes<rapidjson_encoder>("rapidjson", reference) &
         same_bytes<nlohmann_encoder>("nlohmann", reference) &
         same_bytes<cjson_encoder>("cjson", reference);
}

}  // namespace bench
