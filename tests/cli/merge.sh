#!/usr/bin/env bash
# `cdcsim merge`: the reports of explore --shard 0/3, 1/3 and 2/3 merge into
# the report of one unsharded explore of the same seeds — the same counts,
# tallies, matrix, failures, run records and shrunk cases — in every format,
# with the same exit code; bad sets of reports are rejected with exit 2.
set -u
bin=${1:?usage: merge.sh CDCSIM SOURCE_DIR}
src=${2:?usage: merge.sh CDCSIM SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
files=("$src/scenarios/catalogue/crashes-during-backfill.yaml"
       "$src/scenarios/catalogue/capture-stalls-during-backfill.yaml"
       "$src/scenarios/catalogue/row3-dataflow-backfill-delta.yaml")
# A seeded bug makes failures to shrink; two cells add a matrix with
# allowed violations to show as examples.
args=("${files[@]}" --cell none/OnlyChanges/merge/none/int --cell capture/Normal/delta/crashes/c-text
      --seeds 3 --shrink 2 --demos 3 --shrink-budget-s 1000 --mutant merge-delete-ignored)
"$bin" explore "${args[@]}" --jobs 2 --out-dir "$tmp/whole" >/dev/null 2>&1
whole=$?
[ $whole -eq 1 ] || fail "the mutant was not caught (exit $whole)"
for i in 0 1 2; do
  "$bin" explore "${args[@]}" --shard $i/3 --out-dir "$tmp/s$i" >/dev/null 2>&1
done
"$bin" merge "$tmp/s2/explore.json" "$tmp/s0/explore.json" "$tmp/s1/explore.json" \
  --out-dir "$tmp/merged" --junit "$tmp/merged.xml" >/dev/null 2>&1
merged=$?
[ $merged -eq $whole ] || fail "merge exited $merged, explore $whole"
comparable() {  # the report without timings, its command line and its shard
  python3 -c '
import json, sys
def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items()
                if not k.endswith("seconds") and k not in ("command", "shard_index", "shard_count")}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x
r = strip(json.load(open(sys.argv[1])))
assert r["failed_runs"] > 0 and len(r["cases"]) >= 2 and r["matrix"], "a report worth merging"
print(json.dumps(r, sort_keys=True))' "$1"
}
[ "$(comparable "$tmp/whole/explore.json")" = "$(comparable "$tmp/merged/explore.json")" ] ||
  fail "the merged report differs from the unsharded one"
for f in explore.md explore.html matrix.md matrix.json; do
  [ -s "$tmp/merged/$f" ] || fail "merge wrote no $f"
done
[ "$(ls "$tmp/merged/shrunk" | wc -l)" -eq "$(ls "$tmp/whole/shrunk" | wc -l)" ] || fail "shrunk files differ"
python3 -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])' "$tmp/merged.xml" ||
  fail "merged JUnit is not XML"
expect2() { "$bin" merge "$@" --out-dir "$tmp/bad" >/dev/null 2>"$tmp/err"; [ $? -eq 2 ] || fail "merge $* did not exit 2"; }
expect2 "$tmp/s0/explore.json" "$tmp/s1/explore.json"
grep -q "shard 2/3 is missing" "$tmp/err" || fail "no message for a missing shard: $(cat "$tmp/err")"
expect2 "$tmp/s0/explore.json" "$tmp/s0/explore.json" "$tmp/s1/explore.json" "$tmp/s2/explore.json"
grep -q "given twice" "$tmp/err" || fail "no message for a shard given twice"
expect2 "$tmp/s0/explore.json" "$tmp/whole/explore.json"
grep -q "not a shard of the same exploration" "$tmp/err" || fail "no message for another plan"
printf '{"schema_version": 2, "command": 3' > "$tmp/broken.json"
expect2 "$tmp/broken.json"
grep -q "broken.json: malformed explore report" "$tmp/err" || fail "no message for bad JSON"
[ ! -e "$tmp/bad" ] || fail "a rejected merge wrote a report"
echo "merged shards equal the unsharded exploration; bad sets are rejected"
