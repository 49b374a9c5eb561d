#!/usr/bin/env bash
# Regenerates the guarantee matrix in docs/guarantee-matrix/ (50 seeds per
# cell): an exploration of every matrix cell, of which matrix.json,
# matrix.md and the situation coverage (situations.md) are kept, and the
# algorithms side by side (docs/algorithms/comparison.md). Each seed it names replays with
# `cdcsim replay --cell SPEC --seed S`.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh default
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
build/default/cdcsim explore --seeds "${SEEDS:-50}" --jobs "${JOBS:-2}" --shrink 0 \
  --out-dir "$out" || status=$?
[ "$status" -le 1 ] || exit "$status"
mkdir -p docs/guarantee-matrix docs/algorithms
cp "$out/matrix.json" "$out/matrix.md" docs/guarantee-matrix/
cp "$out/comparison.md" docs/algorithms/comparison.md
{
  echo "# Situation coverage of the guarantee matrix"
  echo
  echo "How many of the exploration's runs reached each situation (model/situations.h)."
  echo
  sed -n '/^## Situation coverage/,/^## /p' "$out/explore.md" | sed '1d;$d'
} >docs/guarantee-matrix/situations.md
exit "$status"
