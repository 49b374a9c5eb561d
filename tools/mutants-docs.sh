#!/usr/bin/env bash
# Regenerates the kill table of the seeded bugs in docs/mutants/: every
# mutant of model/mutants.h hunted twice, unaided (the guarantee matrix
# alone) and aided (the catalogue and the matrix), 60 seconds per hunt, plus
# the baseline runs without any mutant over each plan.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh default
build/default/cdcsim mutants --budget-s-per-mutant "${BUDGET_S:-60}" --jobs "${JOBS:-2}" \
  --out-dir docs/mutants
