#!/usr/bin/env bash
# samples/project/regen.sh - run the sample suite for real and keep what
# CI would: the JUnit XML and the console log of each run.
#
#   healthy-1..6   the service answers (history for the baseline)
#   service-down   it answers 503: the fixture falls back to a mock
#   broken-import  harness/unified_e2e_harness.py was renamed to
#                  test_environment_config.py and its class renamed too
#
# Needs Debian 12's python3-pytest and python3-requests.  The project is
# copied to /tmp/truegreen-samples first so paths in the outputs do not
# depend on the checkout.  About a minute.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
runs=$here/../runs
py=${PYTHON:-/usr/bin/python3}
work=/tmp/truegreen-samples
export PYTHONDONTWRITEBYTECODE=1 COLUMNS=80
unset CI BUILD_NUMBER PYTEST_ADDOPTS SAMPLES_SERVICE

run() { # NAME: run pytest in $work, keep its outputs under runs/NAME
	mkdir -p "$runs/$1"
	(cd "$work" && "$py" -m pytest -p no:cacheprovider -v -rA \
		--continue-on-collection-errors \
		--junitxml="$runs/$1/junit.xml" -o junit_logging=all \
		>"$runs/$1/console.log" 2>&1) || true
	sed -i "s|$runs/$1/||" "$runs/$1/console.log"
}

fresh() { rm -rf "$work" && cp -r "$here" "$work" && rm -f "$work/regen.sh"; }

rm -rf "$runs"
fresh
for i in 1 2 3 4 5 6; do run "healthy-$i"; done
SAMPLES_SERVICE=down run service-down
fresh
mv "$work/harness/unified_e2e_harness.py" "$work/harness/test_environment_config.py"
sed -i 's/class TestEnvironmentConfig/class EnvironmentConfig/' \
	"$work/harness/test_environment_config.py"
cat >"$work/tests/e2e/test_signup.py" <<'PY'
from harness.test_environment_config import TestEnvironmentConfig


def test_signup(chat):
    assert TestEnvironmentConfig.region
    assert chat.send("signed up")["id"] == 42
PY
run broken-import
rm -rf "$work"
echo "written to $runs"
