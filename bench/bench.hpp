// What the benchmark files share.
#ifndef IOTJOBS_BENCH_BENCH_HPP
#define IOTJOBS_BENCH_BENCH_HPP

#include <benchmark/benchmark.h>

#include "../tests/counting_allocator.hpp"

namespace bench {

// Reports the allocations made since `before` as the counter allocs/op (per iteration).
inline void count_allocations(benchmark::State& state, long before) {
  state.counters["allocs/op"] = benchmark::Counter(
      static_cast<double>(iotjobs_allocation_count() - before), benchmark::Counter::kAvgIterations);
}

// Each registers its benchmarks; each check_ verifies, before any timing, that every contender
// produces the same result as iotjobs, and says on stderr where one does not.
void register_decoders();
bool check_decoders();
void register_encoders();
bool check_encoders();
void register_topics();
bool check_topics();
void register_runner();
bool check_runner();

}  // namespace bench

#endif  // IOTJOBS_BENCH_BENCH_HPP
