#!/usr/bin/env bash
# Regenerates the guarantee matrix in docs/guarantee-matrix/ (200 seeds per cell).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh default
build/default/cdcsim matrix --seeds "${SEEDS:-200}" --out-dir docs/guarantee-matrix
