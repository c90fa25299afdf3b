#!/usr/bin/env bash
# Builds and runs the demo: examples/route_messages routes a few Jobs topics and payloads,
# decodes them and prints the requests a device would publish in reply.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
[ -f build/demo/build.ninja ] || meson setup build/demo -Dtests=false >/dev/null
meson compile -C build/demo route_messages >/dev/null
exec build/demo/examples/route_messages
