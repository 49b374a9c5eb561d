#!/usr/bin/env bash
# Fails if model/, sim/ or properties/ under ROOT use a source of
# nondeterminism: a wall clock, rand()/srand(), std::random_device or a
# std::*_distribution (whose output differs between standard libraries).
set -u
root=${1:?usage: no_nondeterminism.sh ROOT}
pattern='std::chrono::(system|steady|high_resolution)_clock|(^|[^_a-zA-Z0-9])s?rand[[:space:]]*\(|random_device|_distribution[[:space:]]*<|time\((nullptr|NULL|0)\)|gettimeofday|clock_gettime|std::mt19937|std::default_random_engine'
status=0
for d in model sim properties; do
  [ -d "$root/$d" ] || continue
  if hits=$(grep -rnE "$pattern" "$root/$d"); then
    echo "nondeterminism in $d/:"
    echo "$hits"
    status=1
  fi
done
[ $status -eq 0 ] && echo "no nondeterminism found in model/, sim/, properties/"
exit $status
