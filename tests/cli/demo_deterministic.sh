#!/usr/bin/env bash
# Runs the demo twice with one seed and once with another: the first two must
# print the same fingerprint and a holding verdict, the third a different one.
set -eu
bin=${1:?usage: demo_deterministic.sh CDCSIM}
a=$("$bin" demo --seed 7 --steps 3000)
b=$("$bin" demo --seed 7 --steps 3000)
c=$("$bin" demo --seed 8 --steps 3000)
fa=$(grep '^fingerprint:' <<<"$a"); fb=$(grep '^fingerprint:' <<<"$b"); fc=$(grep '^fingerprint:' <<<"$c")
grep -q '^verdict: holds' <<<"$a" || { echo "$a"; exit 1; }
[ "$fa" = "$fb" ] || { echo "same seed, different fingerprints: $fa vs $fb"; exit 1; }
[ "$fa" != "$fc" ] || { echo "different seeds, same fingerprint: $fa"; exit 1; }
# Bad input: exit code 2 and an error message.
if "$bin" demo --steps 0 2>/dev/null; then echo "accepted --steps 0"; exit 1; fi
set +e; "$bin" demo --steps 0 >/dev/null 2>&1; rc=$?; set -e
[ $rc -eq 2 ] || { echo "bad option gave exit $rc, wanted 2"; exit 1; }
echo "demo is deterministic: $fa"
