#!/usr/bin/env bash
# `cdcsim judge`: exit 1 and a Let/Then/but explanation for a history that
# loses a change, 0 for ones that lose nothing, 2 and FILE:LINE:COL for a
# malformed line (also from standard input).
set -u
bin=${1:?usage: judge.sh CDCSIM SOURCE_DIR}
src=${2:?usage: judge.sh CDCSIM SOURCE_DIR}
ex="$src/docs/history-format/examples"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "$1"; exit 1; }

out=$("$bin" judge "$ex/loses-a-delete.jsonl" 2>&1); rc=$?
[ $rc -eq 1 ] || fail "loses-a-delete: exit $rc, wanted 1: $out"
grep -q "no_loss  *violated" <<<"$out" || fail "no_loss not violated: $out"
grep -q "Let C be the source commit at lsn 0/16B3800 .* Then .* but " <<<"$out" \
  || fail "no explanation: $out"

for f in loses-nothing.jsonl from-test-decoding.jsonl; do
  out=$("$bin" judge "$ex/$f" 2>&1); rc=$?
  [ $rc -eq 0 ] || fail "$f: exit $rc, wanted 0: $out"
  grep -q "coverage  *unknown  (the history records no backfill chunk queries)" <<<"$out" \
    || fail "$f: coverage not unknown: $out"
done

head -3 "$ex/loses-nothing.jsonl" > "$tmp/bad.jsonl"
printf '{"type":"commit","xid":7,"lsn":"0/5","changes":[}\n' >> "$tmp/bad.jsonl"
out=$("$bin" judge "$tmp/bad.jsonl" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "malformed line: exit $rc, wanted 2: $out"
grep -q "^error: $tmp/bad.jsonl:4:[0-9]*: not JSON" <<<"$out" || fail "unexpected message: $out"

out=$(printf '{"type":"table","name":"t","columns":[],"key":["a"],"size":3}\n' \
  | "$bin" judge - 2>&1); rc=$?
[ $rc -eq 2 ] || fail "stdin: exit $rc, wanted 2: $out"
grep -q "^error: <stdin>:1:54: unknown key size" <<<"$out" || fail "unexpected message: $out"

out=$("$bin" judge "$tmp/missing.jsonl" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "missing file: exit $rc: $out"
echo "judge: exit codes and messages as documented"
