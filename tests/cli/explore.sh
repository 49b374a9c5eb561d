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
"$bin" explore "${files[@]}" --seeds 8 --jobs 1 --out-dir "$tmp/j1" >/dev/null || fail "jobs 1 failed"
"$bin" explore "${files[@]}" --seeds 8 --jobs 2 --out-dir "$tmp/j2" >/dev/null || fail "jobs 2 failed"
cmp -s "$tmp/j1/explore.json" "$tmp/j2/explore.json" || fail "--jobs 1 and --jobs 2 differ"
"$bin" explore --seeds 1 --jobs 2 --shard 0/2 --out-dir "$tmp/s0" >/dev/null || fail "shard 0/2 failed"
"$bin" explore --seeds 1 --jobs 2 --shard 1/2 --out-dir "$tmp/s1" >/dev/null || fail "shard 1/2 failed"
runs() { grep -o '"runs": [0-9]*' "$1" | grep -o '[0-9]*$'; }
[ $(( $(runs "$tmp/s0/explore.json") + $(runs "$tmp/s1/explore.json") )) -eq 160 ] || fail "shards do not add up to 160 runs"
set +e; "$bin" explore --shard 2/2 --out-dir "$tmp/bad" >/dev/null 2>&1; rc=$?; set -e
[ $rc -eq 2 ] || fail "bad --shard gave exit $rc"
echo "explore is independent of --jobs and shards split the work"
