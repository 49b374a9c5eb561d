#!/usr/bin/env bash
# Regenerates the kill table of the seeded bugs in docs/mutants/: every
# mutant of model/mutants.h against the catalogue and the guarantee matrix,
# 60 seconds per mutant, plus the baseline run without any mutant.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh default
build/default/cdcsim mutants --budget-s-per-mutant "${BUDGET_S:-60}" --jobs "${JOBS:-2}" \
  --out-dir docs/mutants
