#!/usr/bin/env bash
# Line and branch coverage of include/ by the unit tests alone (the doctest suites, not the fuzz
# replays, the tool's golden runs or the examples), measured with g++ --coverage and gcovr.
# Branches that only exception handling takes, and those gcov marks unreachable, are left out.
# Usage: tools/coverage.sh   (builds in build/coverage; prints gcovr's summary, then the HTML
# report's path; fails if lines < 95% or branches < 90%)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
dir=build/coverage
[ -f $dir/build.ninja ] || CXX=g++ meson setup $dir -Db_coverage=true -Dbuildtype=debug \
  -Dexamples=false -Dtool=false -Dfuzz=disabled >/dev/null
find $dir -name '*.gcda' -delete
meson compile -C $dir >/dev/null || { meson compile -C $dir; exit 1; }  # again, to show why
meson test -C $dir --no-suite fuzz >/dev/null || { meson test -C $dir --print-errorlogs; exit 1; }
mkdir -p $dir/html
gcovr --root . --filter 'include/' --object-directory $dir \
  --exclude-throw-branches --exclude-unreachable-branches \
  --html-details $dir/html/index.html --print-summary \
  --fail-under-line 95 --fail-under-branch 90
echo "report: $dir/html/index.html"
