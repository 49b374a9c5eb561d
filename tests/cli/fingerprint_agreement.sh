#!/usr/bin/env bash
# Every command that can run a given (target, seed) runs the same run: for a
# sample of matrix cells and catalogue files at seeds 1-3, the fingerprints
# printed by run, replay, shrink, the world alias (cells), and recorded by
# explore, gate, the matrix alias and merge (explore.json run records) are
# all equal.
set -u
bin=${1:?usage: fingerprint_agreement.sh CDCSIM SOURCE_DIR}
src=${2:?usage: fingerprint_agreement.sh CDCSIM SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cells=(capture/Precise/merge/crashes/int dataflow/Normal/delta/retention/locale-text none/Automatic/merge/known-limits/keyless
       materialization/WithoutPrimaryKey/merge/slot-loss/c-text capture/OnlyChanges/delta/slot-loss/int)
files=("$src/scenarios/catalogue/row1-capture-backfill.yaml"
       "$src/scenarios/catalogue/upgrade-procedure.yaml"
       "$src/scenarios/catalogue/toast-lost-on-key-change.yaml")
seeds=3
printed() { sed -n 's/^fingerprint: //p' | head -1; }

# explore over the sample, whole and in three shards merged.
cell_args=(); for c in "${cells[@]}"; do cell_args+=(--cell "$c"); done
"$bin" explore "${files[@]}" "${cell_args[@]}" --seeds $seeds --shrink 0 --jobs 2 \
  --out-dir "$tmp/explore" >/dev/null 2>&1
[ -s "$tmp/explore/explore.json" ] || fail "explore wrote no report"
for i in 0 1 2; do
  "$bin" explore "${files[@]}" "${cell_args[@]}" --seeds $seeds --shrink 0 --shard $i/3 \
    --out-dir "$tmp/s$i" >/dev/null 2>&1
done
"$bin" merge "$tmp"/s{0,1,2}/explore.json --out-dir "$tmp/merged" >/dev/null 2>&1
[ -s "$tmp/merged/explore.json" ] || fail "merge wrote no report"
# gate and the matrix alias run every cell (seed 1 only, to stay quick).
"$bin" gate "${files[@]}" --seeds 1 --out-dir "$tmp/gate" >/dev/null 2>&1
"$bin" matrix --seeds 1 --out-dir "$tmp/matrix" >/dev/null 2>&1
recorded() {  # REPORT TARGET SEED -> the fingerprint its run record holds
  python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["run_records"]:
    if r["target"] == sys.argv[2] and r["seed"] == int(sys.argv[3]):
        print(r["fingerprint"]); break' "$@"
}
checked=0
check() {  # TARGET_ARGS... -- TARGET SEED
  local target=$1 seed=$2; shift 2
  local want; want=$("$bin" replay "$@" --seed "$seed" 2>/dev/null | printed)
  [ -n "$want" ] || fail "replay $* --seed $seed printed no fingerprint"
  local got
  got=$("$bin" run "$@" --seed "$seed" 2>/dev/null | printed); [ "$got" = "$want" ] || fail "run $target $seed: $got != $want"
  got=$("$bin" shrink "$@" --seed "$seed" --out "$tmp/s.yaml" --budget-s 0.01 2>/dev/null | printed)
  [ "$got" = "$want" ] || fail "shrink $target $seed: $got != $want"
  for report in explore merged; do
    got=$(recorded "$tmp/$report/explore.json" "$target" "$seed")
    [ "$got" = "$want" ] || fail "$report $target $seed: $got != $want"
  done
  if [ "$seed" = 1 ]; then
    for report in gate matrix; do
      [ "$report" = matrix ] && [ "$1" != --cell ] && continue
      got=$(recorded "$tmp/$report/explore.json" "$target" "$seed")
      [ "$got" = "$want" ] || fail "$report $target $seed: $got != $want"
    done
  fi
  checked=$((checked + 1))
}
for s in $(seq 1 $seeds); do
  for c in "${cells[@]}"; do
    check "$c" "$s" --cell "$c"
    IFS=/ read -r b m st f k <<<"$c"
    got=$("$bin" world --seed "$s" --backfill "$b" --mode "$m" --strategy "$st" --faults "$f" \
      --key "$k" 2>/dev/null | printed)
    want=$("$bin" replay --cell "$c" --seed "$s" 2>/dev/null | printed)
    [ "$got" = "$want" ] || fail "world alias $c $s: $got != $want"
  done
  for f in "${files[@]}"; do check "$f" "$s" "$f"; done
done
echo "$checked (target, seed) pairs: run, replay, shrink, world, explore, merge, gate and matrix agree"
