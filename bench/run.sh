#!/usr/bin/env bash
# The full benchmark run: builds iotjobs_bench with g++ -O2 -DNDEBUG in build/bench, runs every
# case REPETITIONS times (default 10), and prints one markdown table: the median time per
# operation, the ratio to the case's reference (the On-Demand walk for decode, the unchecked
# append for encode, the std::string copy for topics), allocations per operation and throughput;
# then the machine, compiler and flags. bench/README.md holds a run of it.
# Usage: bench/run.sh [REPETITIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
repetitions=${1:-10}
tools/deps.sh
dir=build/bench
[ -f $dir/build.ninja ] || CXX=g++ meson setup $dir -Dbench=true -Dtests=false -Dexamples=false \
  -Dtool=false -Dfuzz=disabled -Dbuildtype=debugoptimized -Db_ndebug=true >/dev/null
meson compile -C $dir >/dev/null
$dir/bench/iotjobs_bench --benchmark_repetitions="$repetitions" \
  --benchmark_report_aggregates_only=true --benchmark_format=json >$dir/result.json

python3 - $dir/result.json "$(g++ --version | head -1)" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
medians = {}
for b in result['benchmarks']:
    if b.get('aggregate_name') == 'median':
        medians[b['run_name']] = b
reference = {'decode': 'ondemand_walk', 'encode': 'unchecked_append', 'topic': 'string_copy',
             'runner': 'decode'}
print('| case | contender | median ns/op | ratio to reference | allocs/op | MB/s |')
print('|---|---|---:|---:|---:|---:|')
for name, b in medians.items():
    group, case, contender = name.split('/')
    ref = medians.get(f'{group}/{case}/{reference[group]}')
    ns = b['real_time'] if b['time_unit'] == 'ns' else b['real_time'] * 1000
    ratio = ns / ref['real_time'] if ref else float('nan')
    rate = b.get('bytes_per_second')
    print(f"| {group} {case} | {contender} | {ns:.0f} | {ratio:.2f} | {b.get('allocs/op', 0):.0f} | "
          f"{rate / 1e6:.0f} |" if rate else
          f"| {group} {case} | {contender} | {ns:.1f} | {ratio:.2f} | {b.get('allocs/op', 0):.0f} | |")
ctx = result['context']
print()
print(f"{ctx['host_name']}: {ctx['num_cpus']} CPUs at {ctx['mhz_per_cpu']} MHz; {sys.argv[2]}; "
      f"-O2 -g -DNDEBUG -std=c++17; simdjson 3.0.1 (Debian); "
      f"{ctx['library_build_type']} Google Benchmark; {ctx['date']}")
PY
