#!/usr/bin/env bash
# `cdcsim mutants` kills a fast subset of the seeded bugs (one or two per
# component) and reports a clean baseline; an unknown mutant name is bad
# input (exit 2, the known names listed) for `mutants --names` and for the
# --mutant option of the run commands; a run under a mutant prints replay
# commands that name it.
set -u
bin=${1:?usage: mutants.sh CDCSIM SOURCE_DIR}
src=${2:?usage: mutants.sh CDCSIM SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
code() { "$@" >"$tmp/out" 2>"$tmp/err"; echo $?; }

files=("$src"/scenarios/catalogue/*.yaml)
names=replica-identity-full-no-old-row,chunk-predicate-inclusive,key-encoding-sign-magnitude
names=$names,retention-unit-mixup,merge-delete-ignored
[ "$(code "$bin" mutants "${files[@]}" --names "$names" --budget-s-per-mutant 20 --jobs 2 \
      --out-dir "$tmp/report")" = 0 ] || fail "mutants did not run: $(cat "$tmp/err")"
[ -s "$tmp/report/mutants.md" ] || fail "no mutants.md"
python3 - "$tmp/report/mutants.json" <<'PY' || fail "the kill table: $(cat "$tmp/out")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["schema_version"] == 1, r["schema_version"]
assert len(r["mutants"]) == 5, len(r["mutants"])
for m in r["mutants"]:
    assert m["killed"], m["name"] + " survived"
    assert m["property"] and m["runs_to_kill"] >= 1 and m["seconds_to_kill"] >= 0, m
    assert "--mutant " + m["name"] in m["reproduce"], m["reproduce"]
    assert m["confirmed_by_baseline"], m["name"] + " not confirmed by the baseline"
assert r["summary"]["killed"] == 5 and r["summary"]["total"] == 5, r["summary"]
assert r["baseline"]["clean"] and r["baseline"]["covers_every_kill"], r["baseline"]
PY
grep -q "5/5 killed" "$tmp/out" || fail "no summary line"

[ "$(code "$bin" mutants --names merge-delete-ignored,bogus --out-dir "$tmp/bad")" = 2 ] ||
  fail "mutants --names bogus not exit 2"
grep -q 'unknown mutant "bogus"; known mutants: .*merge-delete-ignored' "$tmp/err" ||
  fail "no list of known mutants: $(cat "$tmp/err")"
[ ! -e "$tmp/bad" ] || fail "bad input wrote a report"
for cmd in "world --seed 1" "run $src/scenarios/catalogue/key-changes.yaml" \
           "replay --cell none/Normal/merge/none --seed 1" "explore --seeds 1 --out-dir $tmp/x" \
           "shrink --cell none/Normal/merge/none --seed 1"; do
  [ "$(code "$bin" $cmd --mutant bogus)" = 2 ] || fail "$cmd --mutant bogus not exit 2"
  grep -q 'known mutants:' "$tmp/err" || fail "$cmd --mutant bogus lists no names"
done

# A scenario that holds without the mutant fails with it, and says how to replay it.
key_changes="$src/scenarios/catalogue/key-changes.yaml"
[ "$(code "$bin" run "$key_changes")" = 0 ] || fail "key-changes.yaml fails without a mutant"
[ "$(code "$bin" run "$key_changes" --mutant replica-identity-full-no-old-row)" = 1 ] ||
  fail "key-changes.yaml holds under replica-identity-full-no-old-row"
grep -q "mutant replica-identity-full-no-old-row is active" "$tmp/err" || fail "no active-mutant note"
[ "$(code "$bin" explore "$key_changes" --seeds 1 --out-dir "$tmp/ex" \
      --mutant replica-identity-full-no-old-row)" = 1 ] || fail "explore under a mutant found nothing"
grep -q "cdcsim replay .*key-changes.yaml --seed 1 --mutant replica-identity-full-no-old-row" \
  "$tmp/out" || fail "explore's replay command does not name the mutant: $(cat "$tmp/out")"
echo "the fast subset of mutants is killed; bad names are rejected"
