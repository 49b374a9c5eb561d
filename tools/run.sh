#!/usr/bin/env bash
# The main job on its built-in default: the guarantee matrix, 2 seeds for each
# of its 160 cells (backfill type x mode x update strategy x fault class),
# every property judged on every run. It prints a summary per property and
# writes out/matrix.json and out/matrix.md; exit 1 on an unexpected violation.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh default
exec build/default/cdcsim matrix --out-dir out "$@"
