#!/usr/bin/env bash
# test_record.sh TRUEGREEN FIXTURES - `truegreen record` around a real
# pytest (Debian's python3-pytest and python3-pytest-xdist) whose tests
# reach a server on 127.0.0.1 directly, in a subprocess, with asyncio,
# with httpx, aiohttp and websockets (python3-httpx, -aiohttp,
# -websockets), or only a mock: every connection must land on the test
# that made it and on no other, also with two xdist workers.
set -u
tg=$(realpath "$1")
fx=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/tg-record.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
cp -r "$fx/record" "$work/suite"
export PYTHONDONTWRITEBYTECODE=1

# evidence ATTEMPT: the socket evidence of each test, as "test rule" lines
evidence() {
	"$tg" --db "$work/$1.db" evidence --format json >"$work/$1.json" || fail "evidence $1"
	/usr/bin/python3 -c "
import json
d = json.load(open('$work/$1.json'))
for e in d['evidence']:
    if e['section'] == 'socket':
        print((e['test'] or '-').split('::')[-1], e['rule'])" | sort -u >"$work/$1.got"
}

for mode in plain xdist; do
	args=(-q -p no:cacheprovider --junitxml="$work/$mode.xml")
	[ "$mode" = xdist ] && args+=(-n 2)
	(cd "$work/suite" && "$tg" record --output "$work/$mode.jsonl" -- \
		/usr/bin/python3 -m pytest "${args[@]}" test_record.py test_clients.py >"$work/$mode.out" 2>&1)
	rc=$?
	[ $rc -eq 0 ] || fail "$mode: pytest under record exited $rc: $(tail -5 "$work/$mode.out")"
	"$tg" --db "$work/$mode.db" import -q --run "$mode" "$work/$mode.xml" "$work/$mode.jsonl" >/dev/null ||
		fail "$mode: import"
	evidence "$mode"
	cat >"$work/want" <<'WANT'
test_aiohttp truegreen.netlog
test_asyncio truegreen.netlog
test_connects truegreen.netlog
test_httpx truegreen.netlog
test_in_subprocess truegreen.netlog
test_refused truegreen.netlog-failed
test_websockets truegreen.netlog
WANT
	# connections outside any test (xdist's workers talking to their
	# controller) stay the run's: "-" lines are not compared
	grep -v '^- ' "$work/$mode.got" >"$work/$mode.tests"
	diff -u "$work/want" "$work/$mode.tests" >"$work/diff" || fail "$mode: socket evidence per test:
$(cat "$work/diff")"
done

# the exit code of the command passes through
"$tg" record --output "$work/x.jsonl" -- /bin/sh -c 'exit 7'
[ $? -eq 7 ] || fail "exit code not passed through"
# a statically linked program is said to be unobservable; a dynamic
# one is not
printf 'int main(void) { return 3; }\n' >"$work/st.c"
if gcc -static "$work/st.c" -o "$work/st" 2>/dev/null; then
	"$tg" record --output "$work/y.jsonl" -- "$work/st" 2>"$work/err"
	[ $? -eq 3 ] || fail "static binary: exit code not passed through"
	grep -q "statically linked: its connections are not observable" "$work/err" ||
		fail "static binary not reported: $(cat "$work/err")"
else
	fail "cannot build a static test program (gcc -static)"
fi
"$tg" record --output "$work/y.jsonl" -- /bin/true 2>"$work/err"
[ ! -s "$work/err" ] || fail "a dynamic binary was reported: $(cat "$work/err")"
echo "record: $failures failed"
[ $failures -eq 0 ]
