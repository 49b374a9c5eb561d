#!/usr/bin/env bash
# `cdcsim gate` (explore with CI defaults): exit 0 when every expectation
# holds, 1 on an unexpected violation (a scenario whose expectation fails), 2
# on bad input with no report written; the JUnit XML is accepted by a
# JUnit-style XML parser; cells the time budget left out are skipped cases.
set -u
bin=${1:?usage: gate.sh CDCSIM SOURCE_DIR}
src=${2:?usage: gate.sh CDCSIM SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$bin" gate --seeds 1 --junit "$tmp/ok.xml" --out-dir "$tmp/ok" "$src/scenarios/catalogue/upgrade-procedure.yaml" >/dev/null 2>&1
[ $? -eq 0 ] || fail "passing gate did not exit 0"
python3 - "$tmp/ok.xml" <<'PY' || fail "JUnit XML rejected"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
suites = root.findall("testsuite")
assert len(suites) == 1401, len(suites)  # 1400 matrix cells (800 Estuary, 240 Debezium, 360 Flink) + 1 scenario
cases = root.findall("testsuite/testcase")
assert len(cases) == int(root.get("tests")) > 0
assert int(root.get("failures")) == 0
for c in cases:
    assert c.get("name") and c.get("classname")
PY

# An expectation that cannot be met: exactly_once violated in a plain run.
cat > "$tmp/wrong.yaml" <<'YAML'
name: wrong-expectation
bindings: [{table: accounts, mode: Normal}]
ticks: {safety: 50}
expect: {violated: [exactly_once]}
YAML
# One thread and a short budget: the file (the first item) runs, most cells do not.
"$bin" gate --seeds 1 --jobs 1 --budget-s 0.2 --junit "$tmp/bad.xml" --out-dir "$tmp/bad" "$tmp/wrong.yaml" >/dev/null 2>&1
[ $? -eq 1 ] || fail "failing gate did not exit 1"
python3 - "$tmp/bad.xml" <<'PY' || fail "failure not reported in JUnit XML"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = root.findall("testsuite")
assert len(suites) == 1401, len(suites)
scenario = [s for s in suites if s.get("name").endswith("wrong.yaml")][0]
assert int(scenario.get("failures")) == 1, scenario.get("failures")
failed = scenario.find("testcase/failure")
assert failed is not None and "exactly_once" in failed.get("message"), failed
skipped = [s for s in suites if s.find("testcase/skipped") is not None]
assert 0 < len(skipped) <= 1400, len(skipped)  # the budget left cells out
assert all(s.get("name").startswith("matrix ") for s in skipped)
PY

printf 'name: x\nticks: {safty: 5}\n' > "$tmp/broken.yaml"
"$bin" gate --junit "$tmp/none.xml" --out-dir "$tmp/none" "$tmp/broken.yaml" 2>"$tmp/err" >/dev/null
[ $? -eq 2 ] || fail "bad input did not exit 2"
[ ! -e "$tmp/none.xml" ] && [ ! -e "$tmp/none" ] || fail "bad input left a report behind"
grep -q "broken.yaml:2:9: unknown key \"safty\" in ticks (did you mean \"safety\"?)" "$tmp/err" \
  || fail "unexpected error: $(cat "$tmp/err")"
echo "gate exit codes and JUnit XML as expected"
