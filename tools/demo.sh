#!/usr/bin/env bash
# Builds (tools/build.sh) and runs the demo: the Jobs emulator and two device agents in one
# process, over an in-process MQTT broker (no network): every agent runs its thing's three jobs
# to SUCCEEDED, reporting progress with statusDetails and expectedVersion. Arguments go to
# jobs_demo (e.g. --broker 127.0.0.1:1883 to run through mosquitto instead).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/build.sh >/dev/null
exec build/release/examples/jobs_demo "$@"
