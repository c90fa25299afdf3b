// Decode: each payload by each contender into the same plain struct (plain.hpp). Before anything
// is timed, every contender's result is checked against iotjobs' (check_decoders()).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

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
  const char* name;
  std::string json;
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
                                         read_payload("https/describe-firmware.json")};
// A job document, decoded by its kind (documents.hpp): a FreeRTOS OTA update of three files.
payload<ota_update> ota_document{"document-ota_http_files",
                                 read_payload("documents/ota-http-files.json")};

template <class Contender, class Out>
void decode(benchmark::State& state, const payload<Out>& p) {
  Contender c;
  Out out;
  if (!c.decode(p.json, out)) {  // also the warm-up: first-use allocations are not counted
    state.SkipWithError("payload refused");
    return;
  }
  const long before = iotjobs_allocation_count();
  for (auto _ : state) {
    bool ok = c.decode(p.json, out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out);
  }
  count_allocations(state, before);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * p.json.size()));
}

template <class Out>
void register_payload(const payload<Out>& p) {
  const std::string prefix = std::string("decode/") + p.name + "/";
  benchmark::RegisterBenchmark((prefix + "iotjobs").c_str(), decode<iotjobs_contender, Out>, p);
  benchmark::RegisterBenchmark((prefix + "ondemand_walk").c_str(), decode<ondemand_walk, Out>, p);
  benchmark::RegisterBenchmark((prefix + "simdjson_dom").c_str(),
                               decode<simdjson_dom_contender, Out>, p);
  benchmark::RegisterBenchmark((prefix + "rapidjson").c_str(), decode<rapidjson_contender, Out>, p);
  benchmark::RegisterBenchmark((prefix + "nlohmann").c_str(), decode<nlohmann_contender, Out>, p);
  benchmark::RegisterBenchmark((prefix + "cjson").c_str(), decode<cjson_contender, Out>, p);
}

template <class Contender, class Out>
bool agrees(const char* contender, const payload<Out>& p, const Out& reference) {
  Contender c;
  Out out;
  std::string why;
  if (!c.decode(p.json, out))
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
  return agrees<ondemand_walk>("ondemand_walk", p, reference) &
         agrees<simdjson_dom_contender>("simdjson_dom", p, reference) &
         agrees<rapidjson_contender>("rapidjson", p, reference) &
         agrees<nlohmann_contender>("nlohmann", p, reference) &
         agrees<cjson_contender>("cjson", p, reference);
}

}  // namespace

void register_decoders() {
  register_payload(notify_next_firmware);
  register_payload(get_pending_ten);
  register_payload(update_document);
  register_payload(rejected_version);
  register_payload(describe_rest);
  register_payload(ota_document);
}

bool check_decoders() {
  return check_payload(notify_next_firmware) & check_payload(get_pending_ten) &
         check_payload(update_document) & check_payload(rejected_version) &
         check_payload(describe_rest) & check_payload(ota_document);
}

}  // namespace bench
