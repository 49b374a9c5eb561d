#!/usr/bin/env bash
# The main job on its built-in default: explore every scenario of the
# catalogue and every cell of the guarantee matrix (backfill type x mode x
# update strategy x fault class x key kind) over 20 seeds each, within a 120-second
# budget, on two threads; shrink up to 3 failures and 8 examples of allowed
# (documented or known) violations; write out/explore.json, out/explore.md,
# out/explore.html and out/shrunk/*.yaml. Exit 1 on an unexpected violation
# or an unmet scenario expectation. Extra arguments are passed on.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh default
exec build/default/cdcsim explore scenarios/catalogue/*.yaml --matrix --seeds 20 --budget-s 120 \
  --jobs 2 --demos 8 --out-dir out "$@"
