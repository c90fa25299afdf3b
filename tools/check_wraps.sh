#!/usr/bin/env bash
# Proves that the wraps in subprojects/ build iotjobs, its tests and its benchmarks (whose smoke
# pass runs) with simdjson, doctest and Google Benchmark built from source, without reaching
# GitHub: it takes Debian 12's source tarballs from Debian's archive and puts them in
# subprojects/packagecache/, where Meson takes them in place of the download once their SHA-256
# matches the wrap's. simdjson's and Google Benchmark's Debian
# tarballs are byte-identical to the GitHub archives the wraps name, so their wraps are checked
# exactly as committed. Debian repacks doctest, so for doctest only the build file is checked:
# the copy's wrap is given the hash of Debian's tarball.
# Usage: tools/check_wraps.sh   (works in a throwaway copy of the tree; leaves the tree alone)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

git -C "$root" ls-files -z | (cd "$root" && xargs -0 cp --parents -t "$work")
cache="$work/subprojects/packagecache"
mkdir -p "$cache"
pool=http://deb.debian.org/debian/pool/main
fetch() { python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$1" "$2"; }
fetch "$pool/s/simdjson/simdjson_3.0.1.orig.tar.gz" "$cache/simdjson-3.0.1.tar.gz"
fetch "$pool/b/benchmark/benchmark_1.7.1.orig.tar.gz" "$cache/benchmark-1.7.1.tar.gz"
fetch "$pool/d/doctest/doctest_2.4.9~ds.orig.tar.xz" "$cache/doctest-2.4.9.tar.gz"
sed -i "s/^source_hash = .*/source_hash = $(sha256sum "$cache/doctest-2.4.9.tar.gz" | cut -d' ' -f1)/" \
  "$work/subprojects/doctest.wrap"

cd "$work"
meson setup build --force-fallback-for=simdjson,doctest,benchmark -Dbench=true -Dtool=false \
  -Dexamples=false -Dfuzz=disabled
for wrap in simdjson doctest google-benchmark; do
  grep -q "Subproject $wrap finished" build/meson-logs/meson-log.txt
done
meson test -C build --print-errorlogs
