#!/usr/bin/env bash
# The full benchmark run. Builds iotjobs_bench twice, with g++ -O2 -DNDEBUG (build/bench) and with
# g++ -O3 -march=native -DNDEBUG (build/bench-native), runs every case REPETITIONS times (default
# 10) in each, contenders interleaved at random, and prints one markdown table: per build the
# median time per operation and its ratio to the case's reference (the On-Demand walk for decode,
# the unchecked append for encode, the std::string copy for topics, the decode for the runner);
# for decode also the ratio to simdjson's stage 1 on the same payload; the REST path in parts, to
# the describe response without its job document; allocations per operation
# and throughput. Then the goals of issue 19, judged on this run, and the machine, compiler and
# flags. bench/README.md holds a run of it.
# Usage: bench/run.sh [REPETITIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
repetitions=${1:-10}
tools/deps.sh
setup() {  # DIR BUILDTYPE CPP_ARGS
  [ -f "$1/build.ninja" ] || CXX=g++ meson setup "$1" -Dbench=true -Dtests=false \
    -Dexamples=false -Dtool=false -Dfuzz=disabled -Dbuildtype="$2" -Db_ndebug=true \
    -Dcpp_args="$3" >/dev/null
  meson compile -C "$1" >/dev/null
}
setup build/bench debugoptimized ''
setup build/bench-native release '-march=native'
for dir in build/bench build/bench-native; do
  $dir/bench/iotjobs_bench --benchmark_repetitions="$repetitions" \
    --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true \
    --benchmark_format=json >$dir/result.json
done

python3 - build/bench/result.json build/bench-native/result.json "$(g++ --version | head -1)" <<'PY'
import json, sys
def medians(path):
    result = json.load(open(path))
    out = {}
    # In the order they were registered, not the random one they ran in.
    for b in sorted(result['benchmarks'], key=lambda b: b['family_index']):
        if b.get('aggregate_name') == 'median':
            b['ns'] = b['real_time'] if b['time_unit'] == 'ns' else b['real_time'] * 1000
            out[b['run_name']] = b
    return result['context'], out
ctx, o2 = medians(sys.argv[1])
_, native = medians(sys.argv[2])
reference = {'decode': 'ondemand_walk', 'encode': 'unchecked_append', 'topic': 'string_copy',
             'runner': 'decode', 'rest': 'envelope'}
def ratio(m, name, to):
    group, case, _ = name.split('/')
    ref = m.get(f'{group}/{case}/{to}')
    return m[name]['ns'] / ref['ns'] if ref and name in m else float('nan')
def ns(m, name):
    v = m[name]['ns'] if name in m else float('nan')
    return f'{v:.0f}' if v >= 100 else f'{v:.1f}'
print('| case | contender | -O2 ns/op | -O2 ratio | -O2 × stage 1 | -O3 native ns/op '
      '| -O3 native ratio | -O3 native × stage 1 | allocs/op | -O2 MB/s |')
print('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|')
for name, b in o2.items():
    group, case, contender = name.split('/')
    ref = reference[group]
    s1 = lambda m: f'{ratio(m, name, "stage1"):.2f}' if group == 'decode' else ''
    rate = b.get('bytes_per_second')
    print(f"| {group} {case} | {contender} | {ns(o2, name)} | {ratio(o2, name, ref):.2f} | {s1(o2)} "
          f"| {ns(native, name)} | {ratio(native, name, ref):.2f} | {s1(native)} "
          f"| {b.get('allocs/op', 0):.0f} | {rate / 1e6:.0f} |" if rate else
          f"| {group} {case} | {contender} | {ns(o2, name)} | {ratio(o2, name, ref):.2f} | "
          f"| {ns(native, name)} | {ratio(native, name, ref):.2f} | "
          f"| {b.get('allocs/op', 0):.0f} | |")

# The goals of issue 19, judged on this run: every decode of iotjobs (copying) at most the walk,
# faster than each JSON library, within 2.5x of stage 1; the encode within 1.5x of the unchecked
# append and 3x faster than snprintf; no allocation by iotjobs.
print()
print('| goal | -O2 | -O3 native |')
print('|---|---|---|')
libraries = ['simdjson_dom', 'rapidjson', 'nlohmann', 'cjson']
cases = sorted({n.split('/')[1] for n in o2 if n.startswith('decode/')})
def judge(ok, text):
    return ('met: ' if ok else 'missed: ') + text
def row(goal, f):
    print(f'| {goal} | {f(o2)} | {f(native)} |')
for case in cases:
    base = f'decode/{case}/iotjobs'
    row(f'decode {case}: ≤ 1.00× the walk',
        lambda m: judge(ratio(m, base, 'ondemand_walk') <= 1.0,
                        f"{ratio(m, base, 'ondemand_walk'):.2f}×"))
    def fastest(m):
        slower = [l for l in libraries if f'decode/{case}/{l}' in m and
                  m[f'decode/{case}/{l}']['ns'] <= m[base]['ns']]
        best = min((m[f'decode/{case}/{l}']['ns'], l) for l in libraries
                   if f'decode/{case}/{l}' in m)
        return judge(not slower, f"{m[base]['ns']:.0f} ns; fastest library {best[1]} "
                                 f"{best[0]:.0f} ns")
    row(f'decode {case}: faster than every JSON library', fastest)
    row(f'decode {case}: ≤ 2.5× stage 1',
        lambda m: judge(ratio(m, base, 'stage1') <= 2.5, f"{ratio(m, base, 'stage1'):.2f}×"))
enc = 'encode/update_job_execution/iotjobs'
row('encode: ≤ 1.5× the unchecked append',
    lambda m: judge(ratio(m, enc, 'unchecked_append') <= 1.5,
                    f"{ratio(m, enc, 'unchecked_append'):.2f}×"))
row('encode: ≥ 3× faster than snprintf',
    lambda m: judge(m['encode/update_job_execution/snprintf']['ns'] / m[enc]['ns'] >= 3,
                    f"{m['encode/update_job_execution/snprintf']['ns'] / m[enc]['ns']:.2f}×"))
row('iotjobs: 0 allocations',
    lambda m: judge(all(b.get('allocs/op', 0) == 0 for n, b in m.items()
                        if n.split('/')[2] in ('iotjobs', 'iotjobs_padded', 'runner', 'parse',
                                               'build', 'decode')),
                    'every iotjobs case'))
print()
print(f"{ctx['host_name']}: {ctx['num_cpus']} CPUs at {ctx['mhz_per_cpu']} MHz; {sys.argv[3]}; "
      f"-O2 -g -DNDEBUG -std=c++17 and -O3 -march=native -DNDEBUG -std=c++17; "
      f"simdjson 3.0.1 (Debian); {ctx['library_build_type']} Google Benchmark; "
      f"{ctx['date']}")
PY
