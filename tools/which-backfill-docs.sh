#!/usr/bin/env bash
# Regenerates docs/which-backfill/ (README.md and costs.json): every row of the
# documentation's "If I want to... Then I should..." table run as its
# decision-table scenarios (scenarios/catalogue/), SEEDS seeds each (default
# 10), with what each backfill costs and which properties held. The page holds
# no timing: running this twice gives the same bytes.
# CDCSIM=path/to/cdcsim uses that binary instead of building the default preset.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${CDCSIM:-}" ]; then
  tools/setup.sh
  tools/build.sh default
  CDCSIM=build/default/cdcsim
fi
"$CDCSIM" costs --seeds "${SEEDS:-10}" --jobs "${JOBS:-2}" --out docs/which-backfill
