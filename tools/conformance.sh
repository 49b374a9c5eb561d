#!/usr/bin/env bash
# A long differential campaign: the source model against a throwaway
# PostgreSQL 15 (conformance/, DESIGN §12). Installs what is missing, builds,
# then runs cdcsim-conformance, which prints per workload its differences
# (shrunk to the shortest workload prefix) and the time the model and
# PostgreSQL took, and at the end: workloads compared, operations per
# workload, differences found, time per workload of each side and the ratio,
# and what the comparisons deliberately leave out. Exit 1 on a difference.
#
#   tools/conformance.sh                          # 200 workloads x 200 steps
#   tools/conformance.sh --workloads 50 --steps 500 --sessions 5 --seed 100
#   tools/conformance.sh --near-wraparound        # every workload crosses the xid wrap
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh default
exec build/default/conformance/cdcsim-conformance --workloads 200 --steps 200 "$@"
