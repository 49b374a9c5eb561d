#!/usr/bin/env bash
# `cdcsim replay` reproduces a run bit for bit from the command explore prints
# (exit 1 when the fingerprint differs, 2 on bad input); `cdcsim shrink`
# writes a scenario file that `cdcsim run` replays to the same violation and
# fingerprint, and writes nothing when there is nothing to shrink.
set -u
bin=${1:?usage: replay_shrink.sh CDCSIM SOURCE_DIR}
src=${2:?usage: replay_shrink.sh CDCSIM SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
code() { "$@" >"$tmp/out" 2>"$tmp/err"; echo $?; }
fp() { sed -n 's/^fingerprint: //p' "$1" | head -1; }

cell=(--cell capture/Normal/merge/slot-loss/int --seed 2)
[ "$(code "$bin" replay "${cell[@]}")" = 0 ] || fail "replay of a cell"
want=$(fp "$tmp/out")
[ -n "$want" ] || fail "replay printed no fingerprint"
[ "$(code "$bin" replay "${cell[@]}" --fingerprint "$want")" = 0 ] || fail "same fingerprint"
grep -q "reproduced bit for bit" "$tmp/out" || fail "no reproduction message"
[ "$(code "$bin" replay "${cell[@]}" --fingerprint 0123456789abcdef)" = 1 ] || fail "wrong fingerprint not exit 1"
[ "$(code "$bin" replay "${cell[@]}" --trace)" = 0 ] || fail "--trace"
grep -q "^tick .*source  commit" "$tmp/out" || fail "--trace printed no source commits"
[ "$(code "$bin" replay --cell capture/Normal/upsert/none/int --seed 1)" = 2 ] || fail "bad cell not exit 2"
grep -q "backfill/mode/strategy/faults" "$tmp/err" || fail "bad cell message"
[ "$(code "$bin" replay)" = 2 ] || fail "replay without a target not exit 2"
file="$src/scenarios/catalogue/slot-failure-recovery-loses-deletes.yaml"
[ "$(code "$bin" replay "$file")" = 0 ] || fail "replay of a file"

out="$tmp/shrunk.yaml"
[ "$(code "$bin" shrink "$file" --property convergence --out "$out")" = 0 ] || fail "shrink a file"
shrunk_fp=$(sed -n 's/.*fingerprint \([0-9a-f]*\)$/\1/p' "$tmp/out")
[ -s "$out" ] || fail "shrink wrote nothing"
grep -q "^schedule:" "$out" || fail "no explicit schedule in the shrunk file"
[ "$(code "$bin" run "$out")" = 0 ] || fail "run of the shrunk file does not meet its expectation"
[ "$(fp "$tmp/out")" = "$shrunk_fp" ] || fail "the shrunk file runs to another fingerprint"
grep -q "convergence .*violated" "$tmp/out" || fail "the shrunk run does not violate convergence"

[ "$(code "$bin" shrink "${cell[@]}" --property exactly_once --out "$tmp/none.yaml")" = 1 ] ||
  fail "shrink of a property that holds not exit 1"
[ ! -e "$tmp/none.yaml" ] || fail "shrink wrote a file with nothing to shrink"
[ "$(code "$bin" shrink "${cell[@]}" --property exactly_one --out "$tmp/bad.yaml")" = 2 ] ||
  fail "unknown property not exit 2"
[ ! -e "$tmp/bad.yaml" ] || fail "shrink wrote a file on bad input"
echo "replay reproduces; shrink round-trips through run"
