#!/usr/bin/env bash
# Builds the iotjobs tool and the examples in build/release (g++ -O2, no tests), after installing
# what they need from Debian's archive (tools/deps.sh). Prints where they are.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
[ -f build/release/build.ninja ] ||
  meson setup build/release -Dbuildtype=release -Doptimization=2 -Dtests=false -Dfuzz=disabled \
    >/dev/null
meson compile -C build/release >/dev/null
echo "built build/release/tools/iotjobs and the examples in build/release/examples/"
