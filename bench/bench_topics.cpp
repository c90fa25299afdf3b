// Topics: parse and build the shortest and the longest valid Jobs topic, against copying the
// topic's bytes into a std::string, as an application keeping the topic of a message does (both
// topics are longer than the small-string buffer, so the copy allocates).
#include <iotjobs/mqtt.hpp>

#include <cstdio>
#include <string>

#include "bench.hpp"

namespace bench {
namespace {

namespace mqtt = iotjobs::mqtt;

struct topic_case {
  const char* name;
  mqtt::topic_kind kind;
  std::string thing, job, text;
};

topic_case make(const char* name, mqtt::topic_kind kind, std::string thing, std::string job) {
  char buf[mqtt::max_topic_size];
  const auto t = mqtt::build_topic(kind, thing, job, buf);
  return {name, kind, thing, job, t ? std::string(*t) : std::string()};
}

// `$aws/things/a/jobs/get`, and a 128-byte thing with a 64-byte job on update/accepted (226).
const topic_case shortest = make("shortest", mqtt::topic_kind::get_pending, "a", "");
const topic_case longest =
    make("longest", mqtt::topic_kind::update_accepted, std::string(128, 't'), std::string(64, 'j'));

void parse(benchmark::State& state, const topic_case& c) {
  const long before = iotjobs_allocation_count();
  for (auto _ : state) {
    auto t = mqtt::parse_topic(c.text);
    benchmark::DoNotOptimize(t);
  }
  count_allocations(state, before);
}

void build(benchmark::State& state, const topic_case& c) {
  char buf[mqtt::max_topic_size];
  const long before = iotjobs_allocation_count();
  for (auto _ : state) {
    auto t = mqtt::build_topic(c.kind, c.thing, c.job, buf);
    benchmark::DoNotOptimize(t);
    benchmark::ClobberMemory();
  }
  count_allocations(state, before);
}

void string_copy(benchmark::State& state, const topic_case& c) {
  const long before = iotjobs_allocation_count();
  for (auto _ : state) {
    std::string s(c.text);
    benchmark::DoNotOptimize(s.data());
    benchmark::ClobberMemory();
  }
  count_allocations(state, before);
}

}  // namespace

void register_topics() {
  for (const topic_case* c : {&shortest, &longest}) {
    const std::string prefix = std::string("topic/") + c->name + "/";
    benchmark::RegisterBenchmark((prefix + "string_copy").c_str(), string_copy, *c);
    benchmark::RegisterBenchmark((prefix + "parse").c_str(), parse, *c);
    benchmark::RegisterBenchmark((prefix + "build").c_str(), build, *c);
  }
}

bool check_topics() {
  bool ok = true;
  for (const topic_case* c : {&shortest, &longest}) {
    const auto t = mqtt::parse_topic(c->text);
    if (c->text.empty() || !t || t->kind != c->kind || t->thing_name != c->thing ||
        t->job_id != c->job) {
      std::fprintf(stderr, "topic %s does not round-trip\n", c->name);
      ok = false;
    }
  }
  // The longest topic outside a Greengrass namespace.
  return ok && shortest.text.size() == 22 && longest.text.size() == 226;
}

}  // namespace bench
