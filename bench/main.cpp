// iotjobs_bench: checks that every contender agrees with iotjobs, then runs Google Benchmark.
// bench/run.sh runs it in full and prints the table of bench/README.md.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "bench.hpp"

int main(int argc, char** argv) {
  if (!(bench::check_decoders() & bench::check_encoders() & bench::check_topics() &
        bench::check_runner())) {
    std::fprintf(stderr, "contenders disagree: nothing timed\n");
    return 1;
  }
  std::fprintf(stderr, "every contender agrees with iotjobs on every case\n");
  bench::register_decoders();
  bench::register_encoders();
  bench::register_topics();
  bench::register_runner();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
