#!/usr/bin/env bash
# `cdcsim explore`: the same results with one thread or two, shards that
# split the work exactly, and a bad --shard rejected with exit code 2.
set -u
bin=${1:?usage: explore.sh CDCSIM SOURCE_DIR}
src=${2:?usage: explore.sh CDCSIM SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
files=("$src"/scenarios/catalogue/*.yaml)
"$bin" explore "${files[@]}" --seeds 3 --jobs 1 --demos 3 --shrink-budget-s 1000 --out-dir "$tmp/j1" >/dev/null || fail "jobs 1 failed"
"$bin" explore "${files[@]}" --seeds 3 --jobs 2 --demos 3 --shrink-budget-s 1000 --out-dir "$tmp/j2" >/dev/null || fail "jobs 2 failed"
[ "$(ls "$tmp/j1/shrunk" | wc -l)" -eq 3 ] || fail "expected 3 shrunk examples"
# Everything but the timings must be identical (the shrink budget is large
# enough that no shrink stops on time, which would make it depend on speed).
untimed() {
  python3 -c '
import json, sys
def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if not k.endswith("seconds")}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x
print(json.dumps(strip(json.load(open(sys.argv[1]))), sort_keys=True))' "$1"
}
[ "$(untimed "$tmp/j1/explore.json")" = "$(untimed "$tmp/j2/explore.json")" ] || fail "--jobs 1 and --jobs 2 differ"
for f in explore.md explore.html; do [ -s "$tmp/j1/$f" ] || fail "no $f"; done
"$bin" explore "${files[@]}" --seeds 2 --jobs 2 --shard 0/2 --out-dir "$tmp/s0" >/dev/null || fail "shard 0/2 failed"
"$bin" explore "${files[@]}" --seeds 2 --jobs 2 --shard 1/2 --out-dir "$tmp/s1" >/dev/null || fail "shard 1/2 failed"
runs() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["runs"])' "$1"; }
[ $(( $(runs "$tmp/s0/explore.json") + $(runs "$tmp/s1/explore.json") )) -eq $(( 2 * ${#files[@]} )) ] ||
  fail "shards do not add up to every file's seeds"
# Matrix cells are explored, tallied into the report's matrix, and reproducible.
"$bin" explore --seeds 1 --jobs 2 --shard 0/140 --out-dir "$tmp/m" >/dev/null || fail "cells failed"
[ "$(runs "$tmp/m/explore.json")" -eq 10 ] || fail "shard 0/140 of 1400 cells is not 10 runs"
grep -q "Guarantee matrix" "$tmp/m/explore.html" || fail "no matrix in the HTML report"
set +e; "$bin" explore --shard 2/2 --out-dir "$tmp/bad" >/dev/null 2>&1; rc=$?; set -e
[ $rc -eq 2 ] || fail "bad --shard gave exit $rc"
echo "explore is independent of --jobs and shards split the work"
