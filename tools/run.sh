#!/usr/bin/env bash
# The main job on its built-in default. Until the capture exists this is the
# source-model demo: a seeded workload across the xid wrap, decoded through a
# replication slot and checked against a reference replica.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh default
exec build/default/cdcsim demo "$@"
