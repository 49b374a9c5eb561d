#!/usr/bin/env bash
# The main job on its built-in default: `cdcsim check`, which runs every
# backfill mode with and without crashes over 20 seeds each, judges every run
# with every checker and prints which properties held, which were violated
# as documented, and which were violated unexpectedly (exit 1 if any).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh default
exec build/default/cdcsim check "$@"
