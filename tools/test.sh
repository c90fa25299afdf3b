#!/usr/bin/env bash
# Builds and runs the tests in three configurations, each with -Wall -Wextra -Wpedantic -Werror:
#
#   gcc       g++ C++17 -O0: the unit tests, with gcov's counters, then the coverage gate on them
#             (include/: 95% of the lines, 90% of the branches), the emulator and device agent
#             tests, the tool's golden runs and streaming, `iotjobs agent` through mosquitto, the
#             README's console examples, the examples, the end-to-end runs (the 50x20 load, and
#             everything through a mosquitto broker), the fuzz corpora replayed without
#             libFuzzer, the five consumer projects and a smoke pass of the benchmarks
#   noexcept  g++ C++17 -O2, -fno-exceptions -fno-rtti, against the generated single header: the
#             unit tests
#   sanitize  clang++ C++20 -O0 with AddressSanitizer and UndefinedBehaviorSanitizer (any report
#             fails the test): the unit tests, the tool's golden runs and streaming, `iotjobs
#             agent` through mosquitto, and every libFuzzer harness, which replays its whole
#             corpus and then fuzzes for IOTJOBS_FUZZ_SECONDS (default 2) seconds
#
# and ends with one line, "N passed, N failed", counted from Meson's own test logs (a
# configuration that did not build, or ran no test, counts as one failure). A configuration's
# suites run in one `meson test`, which builds what they need, and nothing else, first.
#
# Usage: tools/test.sh [CONFIG[:SUITE[,SUITE]...]]...
#   tools/test.sh               everything (the README's test command, and CI's)
#   tools/test.sh gcc:unit      one configuration, one suite: the contributor's inner loop
#   tools/test.sh sanitize      one configuration, all its suites
# Suites (tests/meson.build says what each holds): unit coverage tools cli agent readme examples
# e2e fuzz consumers bench. Build directories: build/test-CONFIG, kept between runs.
set -uo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh || exit 1

declare -A compiler flags options suites
compiler[gcc]=g++
options[gcc]="-Dcpp_std=c++17 -Dunit_coverage=true -Doptimization=0 -Ddebug=false -Dfuzz=replay
  -Dhttps_example=enabled -Dconsumers=true -Dbench=true"
suites[gcc]="unit coverage tools cli agent readme examples e2e fuzz consumers bench"
compiler[noexcept]=g++
options[noexcept]="-Dcpp_std=c++17 -Doptimization=2 -Ddebug=false -Dcpp_eh=none -Dcpp_rtti=false
  -Dsingle_header=true -Dexamples=false -Dtool=false -Dfuzz=disabled"
suites[noexcept]="unit"
compiler[sanitize]=clang++
flags[sanitize]="-fno-sanitize-recover=all -gline-tables-only"  # any report fails; lines in traces
options[sanitize]="-Dcpp_std=c++20 -Doptimization=0 -Ddebug=false
  -Db_sanitize=address,undefined -Db_lundef=false -Dexamples=false -Dfuzz=libfuzzer"
suites[sanitize]="unit cli agent fuzz"
fuzz_seconds=${IOTJOBS_FUZZ_SECONDS:-2}

selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=(gcc noexcept sanitize)

status=0
logs=()
for selection in "${selected[@]}"; do
  name=${selection%%:*}
  if [ -z "${compiler[$name]:-}" ]; then
    echo "unknown configuration \"$name\" (gcc, noexcept, sanitize)" >&2
    exit 2
  fi
  run_suites=${suites[$name]}
  [ "$selection" != "$name" ] && run_suites=${selection#*:}
  run_suites=${run_suites//,/ }
  dir=build/test-$name
  started=$SECONDS
  # shellcheck disable=SC2086
  echo "== $name:" ${compiler[$name]} ${flags[$name]:-} ${options[$name]}
  rm -f "$dir/meson-logs/$name.json"
  logs+=("$dir/meson-logs/$name.json")  # missing if the build fails: counted as a failure
  if [ ! -f "$dir/build.ninja" ]; then
    mkdir -p build
    # shellcheck disable=SC2086
    CXX=${compiler[$name]} CXXFLAGS=${flags[$name]:-} meson setup "$dir" ${options[$name]} \
      -Dfuzz_seconds="$fuzz_seconds" >"build/$name.setup.log" 2>&1 ||
      { cat "build/$name.setup.log"; status=1; continue; }
    rm -f "build/$name.setup.log"
  elif [ "$(meson introspect "$dir" --buildoptions | python3 -c 'import json, sys
print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "fuzz_seconds"))')" != "$fuzz_seconds" ]; then
    meson configure "$dir" -Dfuzz_seconds="$fuzz_seconds" >/dev/null || { status=1; continue; }
  fi
  # The coverage gate counts what the unit tests alone reach: the counters start from zero, and
  # the gate runs last.
  find "$dir" -name '*.gcda' -delete
  # shellcheck disable=SC2086
  meson test -C "$dir" $(printf -- '--suite %s ' $run_suites) --logbase "$name" --print-errorlogs ||
    status=1
  echo "== $name: $((SECONDS - started)) s"
done

python3 - "${logs[@]}" <<'PY'
import json, sys
passed = failed = 0
for path in sys.argv[1:]:
    try:
        lines = [line for line in open(path).read().splitlines() if line.strip()]
    except OSError:
        lines = []
    if not lines:
        failed += 1  # a configuration that did not build, or that ran no test at all
    for line in lines:
        result = json.loads(line)["result"]
        if result == "OK":
            passed += 1
        elif result != "SKIP":
            failed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 and passed > 0 else 1)
PY
summary=$?
[ $status -eq 0 ] && exit $summary
exit 1
