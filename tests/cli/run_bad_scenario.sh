#!/usr/bin/env bash
# `cdcsim run` on a bad scenario exits 2 and names file, line and column.
set -u
bin=${1:?usage: run_bad_scenario.sh CDCSIM}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'name: bad\nchunk_sise: 4\n' > "$tmp/bad.yaml"
out=$("$bin" run "$tmp/bad.yaml" 2>&1)
rc=$?
[ $rc -eq 2 ] || { echo "exit $rc, wanted 2: $out"; exit 1; }
grep -q "bad.yaml:2:1: unknown key \"chunk_sise\" in the scenario (did you mean \"chunk_size\"?)" <<<"$out" \
  || { echo "unexpected message: $out"; exit 1; }
echo "bad scenario rejected: $out"
