// Decode: each payload by each contender into the same plain struct (plain.hpp). Before anything
// is timed, every contender's result is checked against iotjobs' (check_decoders()).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>

#include "../tests/support.hpp"
#include "bench.hpp"
#include "contenders.hpp"
#include "ondemand_walk.hpp"

namespace bench {
namespace {

std::string read_payload(const char* path) {
  std::string s = test::read_file(std::filesystem::path(IOTJOBS_TEST_DATA) / path);
  if (s.empty()) {
    std::fprintf(stderr, "cannot read tests/data/%s\n", path);
    std::exit(1);
  }
  return s;
}

template <class Out>
struct payload {
  payload(const char* n, std::string text, bool mqtt = true)
      : name(n), json(std::move(text)), padded(json), over_mqtt(mqtt) {}
  const char* name;
  std::string json;
  simdjson::padded_string padded;  // for iotjobs_padded and stage1
  bool over_mqtt;                  // not an HTTPS response: iotjobs_padded applies
};

payload<notify_next> notify_next_firmware{"notify_next-firmware",
                                          read_payload("mqtt/notify_next-firmware.json")};
payload<get_pending> get_pending_ten{"get_pending_accepted-ten",
                                     read_payload("mqtt/get_pending_accepted-ten.json")};
payload<update_accepted> update_document{"update_accepted-document",
                                         read_payload("mqtt/update_accepted-document.json")};
payload<rejected> rejected_version{"rejected-version_mismatch",
                                   read_payload("mqtt/update_rejected-version_mismatch.json")};
payload<describe_response> describe_rest{"https_describe-firmware",
                                         read_payload("https/describe-firmware.json"), false};
// A job document, decoded by its kind (documents.hpp): a FreeRTOS OTA update of three files.
payload<ota_update> ota_document{"document-ota_http_files",
                                 read_payload("documents/ota-http-files.json")};

// iotjobs decoding from a padded buffer the application keeps, read where it lies.
struct iotjobs_padded : iotjobs_contender {
  template <class Out>
  bool decode(const payload<Out>& p, Out& out) {
    return iotjobs_contender::decode(simdjson::padded_string_view(p.padded), out);
  }
};

template <class Contender, class Out>
bool run(Contender& c, const payload<Out>& p, Out& out) {
  if constexpr (std::is_same_v<Contender, iotjobs_padded>) {
    return c.decode(p, out);
  } else {
    return c.decode(p.json, out);
  }
}

template <class Contender, class Out>
void decode(benchmark::State& state, const payload<Out>& p) {
  Contender c;
  Out out;
  if (!run(c, p, out)) {  // also the warm-up: first-use allocations are not counted
    state.SkipWithError("payload refused");
    return;
  }
  const long before = iotjobs_allocation_count();
  for (auto _ : state) {
    bool ok = run(c, p, out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out);
  }
  count_allocations(state, before);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * p.json.size()));
}

// The floor under every simdjson decoder: stage 1 alone (On-Demand's iterate, which indexes the
// whole padded payload and validates its UTF-8), nothing read.
template <class Out>
void stage1(benchmark::State& state, const payload<Out>& p) {
  simdjson::ondemand::parser parser;
  if (parser.allocate(p.json.size()) != simdjson::SUCCESS) {
    state.SkipWithError("cannot allocate");
    return;
  }
  const long before = iotjobs_allocation_count();
  for (auto _ : state) {
    simdjson::ondemand::document doc;
    auto e = parser.iterate(p.padded).get(doc);
    benchmark::DoNotOptimize(e);
    benchmark::DoNotOptimize(doc);
  }
  count_allocations(state, before);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * p.json.size()));
}

template <class Out>
void register_payload(const payload<Out>& p) {
  const std::string prefix = std::string("decode/") + p.name + "/";
  benchmark::RegisterBenchmark((prefix + "iotjobs").c_str(), decode<iotjobs_contender, Out>,
                               std::cref(p));
  if (p.over_mqtt)
    benchmark::RegisterBenchmark((prefix + "iotjobs_padded").c_str(), decode<iotjobs_padded, Out>,
                                 std::cref(p));
  benchmark::RegisterBenchmark((prefix + "ondemand_walk").c_str(), decode<ondemand_walk, Out>,
                               std::cref(p));
  benchmark::RegisterBenchmark((prefix + "simdjson_dom").c_str(),
                               decode<simdjson_dom_contender, Out>, std::cref(p));
  benchmark::RegisterBenchmark((prefix + "rapidjson").c_str(), decode<rapidjson_contender, Out>,
                               std::cref(p));
  benchmark::RegisterBenchmark((prefix + "nlohmann").c_str(), decode<nlohmann_contender, Out>,
                               std::cref(p));
  benchmark::RegisterBenchmark((prefix + "cjson").c_str(), decode<cjson_contender, Out>,
                               std::cref(p));
  benchmark::RegisterBenchmark((prefix + "stage1").c_str(), stage1<Out>, std::cref(p));
}

template <class Contender, class Out>
bool agrees(const char* contender, const payload<Out>& p, const Out& reference) {
  Contender c;
  Out out;
  std::string why;
  if (!run(c, p, out))
    why = "refused the payload";
  else if (!same(reference, out, why))
    why = "differs in " + why;
  else
    return true;
  std::fprintf(stderr, "%s on %s: %s\n", contender, p.name, why.c_str());
  return false;
}

template <class Out>
bool check_payload(const payload<Out>& p) {
  iotjobs_contender reference_decoder;
  Out reference;
  if (!reference_decoder.decode(p.json, reference)) {
    std::fprintf(stderr, "iotjobs refused %s\n", p.name);
    return false;
  }
  return (!p.over_mqtt || agrees<iotjobs_padded>("iotjobs_padded", p, reference)) &
         agrees<ondemand_walk>("ondemand_walk", p, reference) &
         agrees<simdjson_dom_contender>("simdjson_dom", p, reference) &
         agrees<rapidjson_contender>("rapidjson", p, reference) &
         agrees<nlohmann_contender>("nlohmann", p, reference) &
         agrees<cjson_contender>("cjson", p, reference);
}

// The REST path in parts, iotjobs alone (group `rest`, reference `envelope`): the describe
// response without its job document (`envelope`), with it (`document`: the string unescaped and
// its JSON text checked by a second parse), a 404 whose name comes from the x-amzn-ErrorType
// header (`error_404`), and the 2xx error shape AWS has sent (`output_200`: the body read as a
// value, then again as an error).
std::string without_document(std::string json) {
  const std::size_t at = json.find(",\"jobDocument\":\"");
  std::size_t end = at + std::string(",\"jobDocument\":\"").size();
  while (json[end] != '"')
    end += json[end] == '\\' ? 2 : 1;
  return json.erase(at, end + 1 - at);
}
struct rest_case {
  const char* name;
  int status;
  const char* error_type;
  std::string body;
};
const rest_case rest_cases[] = {
    {"envelope", 200, "", without_document(describe_rest.json)},
    {"document", 200, "", describe_rest.json},
    {"error_404", 404,
     "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.iot.laser/",
     R"({"message":"Job fw-2_4_1-fleet-a not found for thing sensor-0042"})"},
    {"output_200", 200, "",
     R"({"Output":{"__type":"com.amazon.coral.service#UnknownOperationException","message":null},"Version":"1.0"})"},
};

void rest(benchmark::State& state, const rest_case& c) {
  iotjobs::decoder dec;
  const iotjobs::https::raw_response response{c.status, c.error_type, c.body};
  if (!dec.decode(iotjobs::https::describe_response, response)) {
    state.SkipWithError("response refused");
    return;
  }
  const long before = iotjobs_allocation_count();
  for (auto _ : state) {
    auto r = dec.decode(iotjobs::https::describe_response, response);
    benchmark::DoNotOptimize(r);
  }
  count_allocations(state, before);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.body.size()));
}

}  // namespace

void register_decoders() {
  register_payload(notify_next_firmware);
  register_payload(get_pending_ten);
  register_payload(update_document);
  register_payload(rejected_version);
  register_payload(describe_rest);
  register_payload(ota_document);
  for (const rest_case& c : rest_cases)
    benchmark::RegisterBenchmark((std::string("rest/describe/") + c.name).c_str(), rest,
                                 std::cref(c));
}

bool check_decoders() {
  return check_payload(notify_next_firmware) & check_payload(get_pending_ten) &
         check_payload(update_document) & check_payload(rejected_version) &
         check_payload(describe_rest) & check_payload(ota_document);
}

}  // namespace bench
