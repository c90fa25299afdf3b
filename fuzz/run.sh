#!/usr/bin/env bash
# Builds the libFuzzer harnesses in build/fuzz (clang, ASan + UBSan, any report fatal) and runs
# each as a Meson test for a bounded time, two at a time, seeded with fuzz/corpus/<target>/ (and,
# for the decoders, the golden payloads of tests/data/) and the dictionary fuzz/iotjobs.dict.
# tools/test.sh runs it with the default time.
#
# Usage: fuzz/run.sh [-t SECONDS_EACH] [-m]      (default: 20 s each)
#   -m  then merge the inputs that reached new coverage into fuzz/corpus/<target>/ (minimised)
#
# Prints a markdown table (harness, executions, coverage edges, features, crashes); exits 1 if a
# harness crashed or failed a property (its input is in build/fuzz/fuzz/crashes/).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=20
merge=0
while getopts "t:m" opt; do
  case $opt in
    t) seconds=$OPTARG ;;
    m) merge=1 ;;
    *) exit 2 ;;
  esac
done

dir=build/fuzz
if [ ! -f $dir/build.ninja ]; then
  CXX=clang++ meson setup $dir -Dfuzz=libfuzzer -Dfuzz_seconds="$seconds" -Dtests=false \
    -Dexamples=false -Dtool=false -Db_sanitize=address,undefined -Db_lundef=false \
    -Dcpp_args=-fno-sanitize-recover=all >build/fuzz-setup.log 2>&1 ||
    { cat build/fuzz-setup.log; exit 1; }
  rm -f build/fuzz-setup.log
else
  meson configure $dir -Dfuzz_seconds="$seconds" || exit 1
fi
meson compile -C $dir || exit 1
rm -rf $dir/fuzz/crashes
meson test -C $dir --suite fuzz --num-processes 2 >/dev/null
status=$?

python3 - $dir/meson-logs/testlog.json <<'PY'
import json, os, re, sys
crash_dir = 'build/fuzz/fuzz/crashes'
crashes = os.listdir(crash_dir) if os.path.isdir(crash_dir) else []
print('| harness | executions | coverage (edges) | features | crashes |')
print('|---|---:|---:|---:|---:|')
for line in open(sys.argv[1]):
    if not line.strip():
        continue
    test = json.loads(line)
    log = (test.get('stdout') or '') + (test.get('stderr') or '')
    target = test['name'].removeprefix('fuzz_')
    execs = re.findall(r'stat::number_of_executed_units: *(\d+)', log)
    cov = re.findall(r'cov: (\d+)', log)
    ft = re.findall(r'ft: (\d+)', log)
    found = sum(1 for c in crashes if c.startswith(target + '-'))
    if test['result'] != 'OK':
        found = max(found, 1)
        print('\n'.join(l for l in log.splitlines()
                        if re.search('property failed|runtime error|ERROR', l))[:2000],
              file=sys.stderr)
    print(f"| {target} | {execs[-1] if execs else '?'} | {cov[-1] if cov else '?'} | "
          f"{ft[-1] if ft else '?'} | {found} |")
PY

if [ $merge = 1 ]; then
  for harness in $dir/fuzz/fuzz_*; do
    target=${harness##*/fuzz_}
    mkdir -p "fuzz/corpus/$target"
    "$harness" -merge=1 "fuzz/corpus/$target" "$dir/fuzz/corpus/$target" >/dev/null 2>&1
  done
fi
exit $status
