#!/usr/bin/env bash
# `cdcsim mutants` kills a fast subset of the seeded bugs (one or two per
# component) in its aided hunt, reports the unaided hunt beside it and a
# clean baseline for each; --unaided-only runs no aided hunt; an unknown
# mutant name is bad input (exit 2, the known names listed) for `mutants
# --names` and for the --mutant option of the run commands; a run under a
# mutant prints replay commands that name it.
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
# Two hunts per mutant: the aided one (the files and the cells) kills all
# five quickly; the unaided one (cells alone) may spend its whole short budget.
[ "$(code "$bin" mutants "${files[@]}" --names "$names" --budget-s-per-mutant 3 --jobs 2 \
      --out-dir "$tmp/report")" = 0 ] || fail "mutants did not run: $(cat "$tmp/err")"
[ -s "$tmp/report/mutants.md" ] || fail "no mutants.md"
grep -q "| unaided: killed |.*| aided: killed |" "$tmp/report/mutants.md" ||
  fail "mutants.md has not both columns"
python3 - "$tmp/report/mutants.json" <<'PY' || fail "the kill table: $(cat "$tmp/out")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["schema_version"] == 2, r["schema_version"]
assert len(r["mutants"]) == 5, len(r["mutants"])
assert r["explored"]["unaided"]["files"] == [] and r["explored"]["unaided"]["cells"] == 1400, r
assert len(r["explored"]["aided"]["files"]) >= 1, r["explored"]
def check_kill(m, h):
    assert h["property"] and h["runs_to_kill"] >= 1 and h["seconds_to_kill"] >= 0, h
    assert "--mutant " + m["name"] in h["reproduce"], h["reproduce"]
    assert h["confirmed_by_baseline"], m["name"] + " not confirmed by the baseline"
for m in r["mutants"]:
    assert m["aided"]["killed"], m["name"] + " survived the aided hunt"
    check_kill(m, m["aided"])
    u = m["unaided"]
    assert "runs" in u and "seconds" in u, u
    if u["killed"]:
        check_kill(m, u)
        assert not u["target"].endswith(".yaml"), u["target"]  # cells only
    if "shrunk" in m:
        assert m["shrunk"]["of"] == ("unaided" if u["killed"] else "aided"), m
# These two fail in the first runs of any cell.
quick = [m for m in r["mutants"] if m["name"] in ("chunk-predicate-inclusive", "merge-delete-ignored")]
assert all(m["unaided"]["killed"] for m in quick), quick
assert r["summary"]["aided"]["killed"] == 5 and r["summary"]["aided"]["total"] == 5, r["summary"]
assert r["summary"]["unaided"]["killed"] >= 2 and r["summary"]["unaided"]["total"] == 5, r["summary"]
for b in (r["baseline"]["unaided"], r["baseline"]["aided"]):
    assert b["clean"] and b["covers_every_kill"], b
PY
grep -q "^aided: 5/5 killed" "$tmp/out" || fail "no aided summary line: $(cat "$tmp/out")"
grep -q "^unaided: [0-9]/5 killed" "$tmp/out" || fail "no unaided summary line"
grep -q "merge-delete-ignored unaided: killed by" "$tmp/out" || fail "no unaided progress line"
grep -q "merge-delete-ignored aided: killed by" "$tmp/out" || fail "no aided progress line"

# --unaided-only: no aided hunt, no aided baseline; FILE arguments (the aided
# plan's) are then bad input.
[ "$(code "$bin" mutants --names merge-delete-ignored --unaided-only --budget-s-per-mutant 3 \
      --out-dir "$tmp/unaided")" = 0 ] || fail "mutants --unaided-only did not run: $(cat "$tmp/err")"
! grep -Eq "(^|[^n])aided" "$tmp/out" || fail "--unaided-only printed an aided hunt: $(cat "$tmp/out")"
grep -q "merge-delete-ignored unaided: killed by" "$tmp/out" || fail "no unaided kill"
python3 - "$tmp/unaided/mutants.json" <<'PY' || fail "the unaided-only report"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["options"]["unaided_only"], r["options"]
assert r["explored"]["aided"] is None and r["baseline"]["aided"] is None, r
assert r["summary"]["aided"] is None and r["summary"]["unaided"]["killed"] == 1, r["summary"]
assert all(m["aided"] is None and m["unaided"]["killed"] for m in r["mutants"]), r["mutants"]
assert r["baseline"]["unaided"]["clean"] and r["baseline"]["unaided"]["covers_every_kill"], r
PY
[ "$(code "$bin" mutants "${files[0]}" --names merge-delete-ignored --unaided-only \
      --out-dir "$tmp/both")" = 2 ] || fail "FILE with --unaided-only not exit 2"
[ ! -e "$tmp/both" ] || fail "FILE with --unaided-only wrote a report"

[ "$(code "$bin" mutants --names merge-delete-ignored,bogus --out-dir "$tmp/bad")" = 2 ] ||
  fail "mutants --names bogus not exit 2"
grep -q 'unknown mutant "bogus"; known mutants: .*merge-delete-ignored' "$tmp/err" ||
  fail "no list of known mutants: $(cat "$tmp/err")"
[ ! -e "$tmp/bad" ] || fail "bad input wrote a report"
for cmd in "world --seed 1" "run $src/scenarios/catalogue/key-changes.yaml" \
           "replay --cell none/Normal/merge/none/int --seed 1" "explore --seeds 1 --out-dir $tmp/x" \
           "shrink --cell none/Normal/merge/none/int --seed 1"; do
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
