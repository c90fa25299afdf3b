#!/usr/bin/env bash
# Builds and runs every test suite in five configurations, all with -Werror:
#   build/test-gcc       g++, C++17, the consumer projects of tests/consumers, and a smoke pass
#                        of the benchmarks (bench/)
#   build/test-noexcept  g++, C++17, -fno-exceptions -fno-rtti
#   build/test-clang     clang++, C++20
#   build/test-single    g++, C++17, against single_include/ (the generated single header)
#   build/test-sanitize  clang++, C++17, AddressSanitizer and UndefinedBehaviorSanitizer (any
#                        report fails the test)
# (each also replays the fuzz corpora as tests), then every libFuzzer harness for 20 s under
# ASan + UBSan (fuzz/run.sh, in build/fuzz),
# and ends with one line, "N passed, N failed", counted from Meson's own test logs.
set -uo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh || exit 1

configs=(
  "test-gcc|g++|-Dcpp_std=c++17 -Dhttps_example=enabled -Dconsumers=true -Dbench=true"
  "test-noexcept|g++|-Dcpp_std=c++17 -Dcpp_eh=none -Dcpp_rtti=false -Dhttps_example=enabled"
  "test-clang|clang++|-Dcpp_std=c++20 -Dhttps_example=enabled"
  "test-single|g++|-Dcpp_std=c++17 -Dsingle_header=true -Dhttps_example=enabled"
  "test-sanitize|clang++|-Dcpp_std=c++17 -Db_sanitize=address,undefined -Db_lundef=false -Dcpp_args=-fno-sanitize-recover=all -Dhttps_example=enabled"
)
status=0
logs=()
for config in "${configs[@]}"; do
  IFS='|' read -r name compiler options <<<"$config"
  dir="build/$name"
  echo "== $name ($compiler $options)"
  rm -f "$dir/meson-logs/testlog.json"
  logs+=("$dir/meson-logs/testlog.json")  # missing if the build fails: counted as a failure
  if [ ! -f "$dir/build.ninja" ]; then
    # shellcheck disable=SC2086
    CXX=$compiler meson setup "$dir" $options >"build-$name.setup.log" 2>&1 ||
      { cat "build-$name.setup.log"; status=1; continue; }
    rm -f "build-$name.setup.log"
  fi
  meson compile -C "$dir" || { status=1; continue; }
  meson test -C "$dir" --print-errorlogs || status=1
done

echo "== fuzz (clang++ libFuzzer, ASan + UBSan)"
rm -f build/fuzz/meson-logs/testlog.json
logs+=(build/fuzz/meson-logs/testlog.json)
fuzz/run.sh || status=1

python3 - "${logs[@]}" <<'PY'
import json, sys
passed = failed = 0
for path in sys.argv[1:]:
    try:
        lines = open(path).read().splitlines()
    except OSError:
        failed += 1  # a configuration that ran no test at all counts as a failure
        continue
    for line in lines:
        if not line.strip():
            continue
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
