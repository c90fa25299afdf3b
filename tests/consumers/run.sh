#!/usr/bin/env bash
# Builds and runs one consumer project against this checkout, in a scratch folder, and checks
# what it prints. Usage: run.sh single_header|meson|cmake_subdirectory|cmake_find_package|
# cmake_fetchcontent
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
expected='decoded job3 version 2 document {"operation":"test"}
encoded $aws/things/consumer/jobs/job3/update {"status":"SUCCEEDED","expectedVersion":2}'
flags=(-std=c++17 -Wall -Wextra -Wpedantic -Werror)

case "$1" in
  single_header)  # the generated header copied into a folder alone
    mkdir -p "$work/iotjobs"
    cp "$source_dir/single_include/iotjobs/iotjobs.hpp" "$work/iotjobs/"
    cp "$here/consumer.cpp" "$work/"
    g++ "${flags[@]}" -I"$work" "$work/consumer.cpp" -lsimdjson -o "$work/consumer"
    ;;
  meson)  # a subproject through a wrap that points at the checkout
    cp -r "$here/meson" "$work/project"
    cp "$here/consumer.cpp" "$work/"
    mkdir -p "$work/project/subprojects"
    printf '[wrap-git]\nurl = %s\nrevision = HEAD\ndepth = 1\n' "$source_dir" \
      >"$work/project/subprojects/iotjobs.wrap"
    meson setup "$work/build" "$work/project" >/dev/null
    meson compile -C "$work/build" >/dev/null
    mv "$work/build/consumer" "$work/consumer"
    ;;
  cmake_subdirectory | cmake_fetchcontent)
    cp -r "$here/$1" "$work/project"
    cp "$here/consumer.cpp" "$work/"
    cmake -S "$work/project" -B "$work/build" -DIOTJOBS_SOURCE="$source_dir" >/dev/null
    cmake --build "$work/build" >/dev/null
    mv "$work/build/consumer" "$work/consumer"
    ;;
  cmake_find_package)  # after installing into a temporary prefix
    cmake -S "$source_dir" -B "$work/iotjobs-build" -DCMAKE_INSTALL_PREFIX="$work/prefix" >/dev/null
    cmake --install "$work/iotjobs-build" >/dev/null
    test -f "$work/prefix/lib/cmake/iotjobs/iotjobsConfigVersion.cmake" ||
      test -f "$work/prefix/lib/x86_64-linux-gnu/cmake/iotjobs/iotjobsConfigVersion.cmake"
    cp -r "$here/$1" "$work/project"
    cp "$here/consumer.cpp" "$work/"
    cmake -S "$work/project" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
    cmake --build "$work/build" >/dev/null
    mv "$work/build/consumer" "$work/consumer"
    ;;
  *)
    echo "unknown consumer $1" >&2
    exit 2
    ;;
esac

actual=$("$work/consumer")
if [ "$actual" != "$expected" ]; then
  printf 'unexpected output:\n%s\nwanted:\n%s\n' "$actual" "$expected" >&2
  exit 1
fi
echo "$1: $actual"
