#!/usr/bin/env bash
# Installs the Debian packages the project builds with, if any is missing.
# Safe to run repeatedly: it does nothing when everything is present.
set -euo pipefail
# libpq-dev and postgresql-15 (server, with test_decoding): the conformance
# tests run the model against a throwaway PostgreSQL 15 (conformance/).
# libmimalloc-dev: the allocator the programs link (CMakeLists.txt).
packages=(build-essential cmake ninja-build librapidcheck-dev libgtest-dev libgmock-dev
          libboost-graph-dev nlohmann-json3-dev libfmt-dev libyaml-cpp-dev libcli11-dev
          libbenchmark-dev python3 libpq-dev postgresql-15 libmimalloc-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
