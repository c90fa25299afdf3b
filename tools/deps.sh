#!/usr/bin/env bash
# Installs the Debian 12 packages iotjobs builds and tests with, if any is missing.
set -euo pipefail
packages=(g++ clang libclang-rt-14-dev meson ninja-build pkg-config python3 cmake git libsimdjson-dev doctest-dev
  libcurl4-openssl-dev gcovr libbenchmark-dev rapidjson-dev nlohmann-json3-dev libcjson-dev mosquitto
  libmosquitto-dev mosquitto-clients libcli11-dev unicode-data libcbor-dev openssl libssl-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
