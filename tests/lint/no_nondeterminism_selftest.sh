#!/usr/bin/env bash
# Plants each forbidden construct in a scratch tree and expects the lint to fail.
set -u
lint=${1:?usage: no_nondeterminism_selftest.sh LINT}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/model"
for bad in 'auto t = std::chrono::steady_clock::now();' 'int x = rand();' \
           'std::random_device rd;' 'std::uniform_int_distribution<int> d(0, 9);' \
           'long t = time(nullptr);'; do
  printf '%s\n' "$bad" > "$tmp/model/bad.cc"
  if "$lint" "$tmp" >/dev/null; then
    echo "lint missed: $bad"
    exit 1
  fi
done
printf 'int operand = 1; // not rand\n' > "$tmp/model/bad.cc"
if ! "$lint" "$tmp" >/dev/null; then
  echo "lint flagged a clean file"
  exit 1
fi
echo "lint catches every planted violation"
