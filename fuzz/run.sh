#!/usr/bin/env bash
# Runs every libFuzzer harness (clang, ASan + UBSan, any report fatal) for a bounded time, two at a
# time, in the sanitize configuration of tools/test.sh (build/test-sanitize): each replays its seeds
# (fuzz/corpus/<target>/ and, for the decoders, the golden payloads of tests/data/) and then
# fuzzes with the dictionary fuzz/iotjobs.dict.
#
# Usage: fuzz/run.sh [-t SECONDS_EACH] [-m]      (default: 20 s each)
#   -m  then merge the inputs that reached new coverage into fuzz/corpus/<target>/ (minimised)
#
# Prints a markdown table (harness, executions, coverage edges, features, crashes); exits 1 if a
# harness crashed or failed a property (its input is in build/test-sanitize/fuzz/crashes/).
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

dir=build/test-sanitize
rm -rf $dir/fuzz/crashes
IOTJOBS_FUZZ_SECONDS=$seconds tools/test.sh sanitize:fuzz >/dev/null
status=$?

python3 - $dir <<'PY'
import json, os, re, sys
crash_dir = os.path.join(sys.argv[1], 'fuzz', 'crashes')
crashes = os.listdir(crash_dir) if os.path.isdir(crash_dir) else []
print('| harness | executions | coverage (edges) | features | crashes |')
print('|---|---:|---:|---:|---:|')
for line in open(os.path.join(sys.argv[1], 'meson-logs', 'sanitize.json')):
    if not line.strip():
        continue
    test = json.loads(line)
    log = (test.get('stdout') or '') + (test.get('stderr') or '')
    target = test['name'].split(' / ')[-1].removeprefix('fuzz_')  # 'iotjobs:fuzz / fuzz_<target>'
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
