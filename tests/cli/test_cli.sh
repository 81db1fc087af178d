#!/usr/bin/env bash
# test_cli.sh TRUEGREEN FIXTURES - the CLI as a user runs it: exit codes,
# output shapes, messages naming file and line, concurrent writers.
set -u
tg=$1
fx=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tg-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT
db=$work/t.db
# Hermetic when the suite itself runs in CI: no CI context recorded, no
# checkout taken for --source-root, no job summary, unless a check sets
# them itself.
unset GITHUB_ACTIONS GITLAB_CI JENKINS_URL CIRCLECI BUILDKITE TF_BUILD \
	GITHUB_WORKSPACE CI_PROJECT_DIR GITHUB_STEP_SUMMARY TRUEGREEN_DB
failures=0
checks=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# expect CODE CMD...: run CMD, keep stdout/stderr, check the exit code.
expect() {
	local want=$1
	shift
	checks=$((checks + 1))
	"$@" >"$work/out" 2>"$work/err"
	local got=$?
	[ "$got" -eq "$want" ] || fail "exit $got, want $want: $*
$(cat "$work/err")"
}
has() { # has FILE TEXT
	checks=$((checks + 1))
	grep -qF -- "$2" "$work/$1" || fail "$1 lacks '$2':
$(cat "$work/$1")"
}
json_ok() { # json_ok PYTHON-EXPR over the parsed stdout as d
	checks=$((checks + 1))
	/usr/bin/python3 -c "import json,sys; d=json.load(open('$work/out')); sys.exit(0 if ($1) else 1)" ||
		fail "json check failed: $1
$(head -c 2000 "$work/out")"
}

# usage and help
expect 0 "$tg" --help
has out "Commands:"
expect 0 "$tg" --version
has out "truegreen "
expect 2 "$tg"
expect 2 "$tg" frobnicate
expect 2 "$tg" --db "$db" import
expect 2 "$tg" --db "$db" import --meta novalue "$fx/junit/ant-jenkins.xml"
expect 0 "$tg" import --help
expect 0 "$tg" runs --help
expect 0 "$tg" tests --help
expect 0 "$tg" evidence --help
expect 0 "$tg" rules --help

# a first import, its counts, and the no-op re-import
expect 0 "$tg" --db "$db" import --run first --meta team=chat "$fx/junit/ant-jenkins.xml"
has out "imported run first"
has out "tests 4: 1 passed, 1 failed, 1 error, 1 skipped, 0 flaky"
expect 0 "$tg" --db "$db" import "$fx/junit/ant-jenkins.xml"
has out "already imported as run first"

# $TRUEGREEN_DB is the default database
TRUEGREEN_DB=$db expect 0 "$tg" runs
has out "first"
has out "tests 4: 1 passed, 1 failed, 1 error, 1 skipped, 0 flaky"

# every report says "1 error", not "1 errors"
expect 0 "$tg" --db "$db" analyze --run first
has out "4 tests, 1 passed, 1 failed, 1 error, 1 skipped, 0 flaky"
expect 0 "$tg" --db "$db" analyze --run first --format markdown
has out "4 tests: 1 passed, 1 failed, 1 error, 1 skipped, 0 flaky."

# CI context is recorded from the environment
GITHUB_ACTIONS=true GITHUB_REPOSITORY=acme/chat GITHUB_SHA=abc \
	expect 0 "$tg" --db "$db" import --run ci "$fx/junit/bazel-generated.xml"
expect 0 "$tg" --db "$db" runs --format json
json_ok "d['truegreen'] and len(d['runs']) == 2"
json_ok "d['runs'][0]['meta'] == {'team': 'chat'}"
json_ok "d['runs'][1]['meta']['ci.repository'] == 'acme/chat' and d['runs'][1]['meta']['ci.provider'] == 'github-actions'"
json_ok "d['runs'][0]['counts'] == {'tests': 4, 'passed': 1, 'failed': 1, 'errors': 1, 'skipped': 1, 'flaky': 0, 'results': 4, 'duration': 2.345}"

# tests of a run, by name, id and latest
expect 0 "$tg" --db "$db" tests --run first --format json
json_ok "[t['id'] for t in d['tests']] == ['com.example.ChatTest::testConnect', 'com.example.ChatTest::testLater', 'com.example.ChatTest::testReceive', 'com.example.ChatTest::testSend']"
json_ok "d['tests'][2]['outcome'] == 'failed' and d['tests'][2]['duration'] == 0.9"
expect 0 "$tg" --db "$db" tests --run 1
has out "com.example.ChatTest::testSend"
expect 0 "$tg" --db "$db" tests
has out "//chat/e2e:chat_test"
expect 2 "$tg" --db "$db" tests --run nosuchrun
has err "nosuchrun"
# a skip says why: jest-junit's test.todo, stored as skipped
expect 0 "$tg" --db "$work/todo.db" import -q "$fx/junit/jest-junit_default.xml"
expect 0 "$tg" --db "$work/todo.db" tests
has out "Chat API todo test  [todo]"

# stdin and directories
expect 0 "$tg" --db "$db" import --run stdin - < "$fx/junit/cypress-mocha.xml"
has out "1 flaky"
expect 0 "$tg" --db "$db" import --dry-run "$fx/junit"
has out "24 reports parsed"
expect 2 "$tg" --db "$db" import - - < "$fx/junit/cypress-mocha.xml"
has err "'-' given 2 times: standard input can be read once"

# a directory with no report in it: exit 3, and it says why
mkdir -p "$work/noreports"
echo "just notes" > "$work/noreports/README.txt"
expect 3 "$tg" --db "$db" import "$work/noreports"
has err "nothing to import"
has err "README.txt: skipped: not a test report"

# links under a directory are not followed (no loop, nothing outside
# the tree), and each one skipped is named, so no report goes missing
# unnoticed; nor is a FIFO read (it would block)
ldb=$work/links.db
mkdir -p "$work/links/sub" "$work/outside"
cp "$fx/junit/ant-jenkins.xml" "$work/links/sub/"
cp "$fx/junit/pytest7_basic_xunit2.xml" "$work/outside/"
ln -s .. "$work/links/sub/up"
ln -s loop2 "$work/links/loop1"
ln -s loop1 "$work/links/loop2"
ln -s ../outside/pytest7_basic_xunit2.xml "$work/links/report.xml"
mkfifo "$work/links/pipe"
expect 0 timeout 20 "$tg" --db "$ldb" import --run links "$work/links"
has out "from 1 report"
has err "links/report.xml: skipped: a symbolic link"
has err "links/sub/up: skipped: a symbolic link"
has err "links/pipe: skipped: not a regular file"

# a limit names its line once
printf '<testsuites>%s' "$(printf '<a>%.0s' $(seq 300))" >"$work/deep.xml"
expect 3 "$tg" --db "$work/deep.db" import "$work/deep.xml"
has err "elements nested too deep (line 1)"
checks=$((checks + 1))
[ "$(grep -o '(line' "$work/err" | wc -l)" = 1 ] || fail "the line is named twice: $(cat "$work/err")"

# input errors: exit 3, message names the file and line; nothing stored
"$tg" --db "$db" runs --format json > "$work/before"
expect 3 "$tg" --db "$db" import "$fx/hostile/08_cdata_end_inside_cdata_unsplit.xml"
has err "08_cdata_end_inside_cdata_unsplit.xml"
has err "line 2"
expect 3 "$tg" --db "$db" import "$fx/junit/ant-jenkins.xml" /nonexistent.xml
has err "cannot open '/nonexistent.xml'"
expect 3 "$tg" --db "$db" import "$fx/hostile/11_xxe_external_entity.xml"
has err "internal subset"
"$tg" --db "$db" runs --format json > "$work/after"
checks=$((checks + 1))
cmp -s "$work/before" "$work/after" || fail "failed imports changed the runs"

# a name taken by other content
expect 2 "$tg" --db "$db" import --run first "$fx/junit/vitest_junit.xml"
has err "already exists"

# database errors: exit 4
echo "not a database, really not a database at all......" > "$work/bad.db"
expect 4 "$tg" --db "$work/bad.db" runs
expect 4 "$tg" --db "$work/nodir/x.db" import "$fx/junit/ant-jenkins.xml"
# an empty --db is SQLite's private temporary database: an import there
# would be gone at exit, so it is refused
expect 2 "$tg" --db "" import "$fx/junit/ant-jenkins.xml"
has err "the database path is empty"
expect 2 "$tg" check --db "" "$fx/junit/ant-jenkins.xml"
has err "the database path is empty"
# an empty $TRUEGREEN_DB is as if unset: ./truegreen.db
expect 0 env -C "$work" TRUEGREEN_DB= "$tg" import -q "$fx/junit/ant-jenkins.xml"
checks=$((checks + 1))
[ -s "$work/truegreen.db" ] || fail "an empty TRUEGREEN_DB did not mean ./truegreen.db"

# untrusted names never reach the terminal raw: XML cannot carry ESC (the
# guard turns it into U+FFFD), but it can carry C1 controls such as CSI
printf '<testsuite name="s"><testcase classname="C" name="evil\033]0;pwned\007 &#x9b;2J"/></testsuite>' > "$work/evil.xml"
expect 0 "$tg" --db "$db" import --run evil "$work/evil.xml"
expect 0 "$tg" --db "$db" tests --run evil
checks=$((checks + 1))
if grep -q $'\033\|\007\|\xc2\x9b' "$work/out"; then fail "raw control printed"; fi
has out 'evil'
has out '\xc2\x9b2J'

# pytest logs: recognised by content, joined with their XML, evidence
pdb=$work/pytest.db
expect 0 "$tg" --db "$pdb" import --run joined "$fx/pytest/v_rA.log" "$fx/pytest/v_rA.xml" "$fx/pytest/v_rA.jsonl"
has out "imported run joined (id 1) from 3 reports"
has out "tests 23: 15 passed, 3 failed, 3 errors, 2 skipped, 0 flaky"
has out "collection errors"
expect 0 "$tg" --db "$pdb" evidence
has out "import chain: tests/e2e/test_golden_path.py -> tests.e2e.integration.harness -> tests.e2e.test_environment_config"
has out "app.mock-fallback"
has out "v_rA.log:141 (log setup)"
expect 0 "$tg" --db "$pdb" evidence --signal coroutine --format json
json_ok "len(d['evidence']) == 8 and {e['fields']['qualname'] for e in d['evidence'] if e['rule'] == 'coroutine.never-awaited'} == {'TestChatE2E.test_send_message', 'TestChatE2E.test_receive_message'} and d['collection_errors'] == []"
expect 0 "$tg" --db "$pdb" evidence --test tests/test_fallback.py::test_fetch_items --format json
json_ok "{e['rule'] for e in d['evidence']} >= {'app.mock-fallback'} and all(e['test'] == 'tests/test_fallback.py::test_fetch_items' for e in d['evidence'])"
expect 2 "$tg" --db "$pdb" evidence --signal weather
has err "--signal is one of"
# a --test the run does not have is a usage error, not "none"; a test it
# has, with no evidence, is "none"
expect 2 "$tg" --db "$pdb" evidence --test tests/test_fallback.py::test_fetch_itemz
has err "has no test 'tests/test_fallback.py::test_fetch_itemz'"
expect 0 "$tg" --db "$pdb" evidence --test tests/test_basic.py::test_pass --signal coroutine
has out "  none"
# --format overrides recognition; a log given as junit is refused
expect 3 "$tg" --db "$pdb" import --format junit "$fx/pytest/q.log"
expect 2 "$tg" --db "$pdb" import --format yaml "$fx/pytest/q.log"
has err "unknown format 'yaml'"
# a text file that is no pytest output: exit 3, named
printf 'make: nothing to be done
' >"$work/build.log"
expect 3 "$tg" --db "$pdb" import "$work/build.log"
has err "build.log"
has err "not a test report"
# rule files: a bad pattern is refused naming the rule and the offset,
# before anything is stored; a good one adds its evidence
printf '{"rules": [{"name": "acme.bad", "signal": "mock", "pattern": "a(b"}]}' >"$work/bad.json"
expect 3 "$tg" --db "$pdb" import --rules "$work/bad.json" "$fx/pytest/q.log"
has err "rule 'acme.bad': bad pattern at offset 3"
has err "bad.json:1"
expect 3 "$tg" rules --rules "$work/bad.json"
printf '{"rules": [{"name": "acme.conftest", "signal": "mock", "pattern": "falling back to (?<to>MockClient)", "match": ["falling back to MockClient"], "nomatch": ["falling back"]}]}' >"$work/good.json"
expect 0 "$tg" rules --rules "$work/good.json" --format json
json_ok "any(r['name'] == 'acme.conftest' and r['origin'] == 'file' for r in d['rules']) and len(d['rules']) > 40"
expect 0 "$tg" --db "$pdb" import --run ruled --rules "$work/good.json" "$fx/pytest/q_rA.log"
expect 0 "$tg" --db "$pdb" evidence --run ruled --format json
json_ok "any(e['rule'] == 'acme.conftest' and e['fields'] == {'to': 'MockClient'} for e in d['evidence'])"
# a control character in a log line is printed escaped (ANSI
# sequences are stripped on reading; BEL and BS are kept as data)
printf '============ test session starts ====\nt/test_a.py::test_x PASSED [100%%]\n=== PASSES ===\n___ test_x ___\n--- Captured log call ---\nWARNING  a:b.py:1 falling back to mock \007\010 client\n=== 1 passed in 0.01s ===\n' >"$work/esc.log"
expect 0 "$tg" --db "$pdb" import --run esc "$work/esc.log"
expect 0 "$tg" --db "$pdb" evidence --run esc
checks=$((checks + 1))
if grep -q $'\010\\|\007' "$work/out"; then fail "raw control printed"; fi
has out 'falling back to mock \x07\x08 client'

# analyze, check, baseline: exit codes, JSON that validates, the samples
root=$(cd "$fx/../.." && pwd)
schema=$root/schema/findings.schema.json
valid() { # the stdout validates against schema/findings.schema.json
	checks=$((checks + 1))
	/usr/bin/python3 -c "import json, jsonschema; jsonschema.validate(json.load(open('$work/out')), json.load(open('$schema')))" 2>"$work/verr" ||
		fail "output does not validate: $(tail -3 "$work/verr")"
}
# SARIF against the official schema and GitHub's ingestion rules
# (tests/cli/sarif_check.py, tests/fixtures/schema/PROVENANCE)
sarif_ok() { # sarif_ok FILE...
	checks=$((checks + 1))
	/usr/bin/python3 "$here/sarif_check.py" "$fx/schema" "$@" >"$work/serr" 2>&1 ||
		fail "SARIF does not pass: $(head -5 "$work/serr")"
}
sdb=$work/samples.db
for i in 1 2 3 4 5 6; do
	expect 0 "$tg" --db "$sdb" import -q --run "h$i" --meta suite=s "$root/samples/runs/healthy-$i"
done
expect 0 "$tg" --db "$sdb" baseline learn --where suite=s --output "$work/base.json"
# the two async tests whose coroutines never ran pass in every healthy
# sample run: those passes teach no duration (the tests are still listed)
has err "learnt 10 tests and 2 suites from history of 6 runs (12 passes left out: a fallback to a mock, a failed connection or an unawaited coroutine in their output)"
expect 0 /usr/bin/python3 -c "import json; d = json.load(open('$work/base.json')); a = [t for t in d['tests'] if 'test_async_chat' in t['match']]; assert d['truegreen_baseline'] == 1 and len(d['tests']) == 10 and len(a) == 2 and not [t for t in a if 'expected_duration' in t or 'samples' in t]"
has base.json 'history of 6 runs (12 passes left out: a fallback to a mock, a failed connection or an unawaited coroutine in their output)'
expect 1 "$tg" --db "$sdb" check --run down --baseline "$work/base.json" --format json "$root/samples/runs/service-down"
valid
json_ok "d['summary']['failed'] and {(f['kind'], f['test']) for f in d['findings']} >= {('mock_fallback', 'tests/e2e/test_chat.py::test_send_message'), ('fast_pass', 'tests/e2e/test_chat.py::test_send_message')} and not [f for f in d['findings'] if (f['test'] or '').startswith('tests/unit/')]"
expect 0 "$tg" --db "$sdb" analyze --run down --baseline "$work/base.json" --fail-on none
has out "mock_fallback"
has out "falling back to MockClient"
has out "high, 0 medium, 0 low: --fail-on none: the build passes"
expect 1 "$tg" --db "$sdb" analyze --run down --baseline "$work/base.json"
has out "this green is not to be trusted"
# GitHub refuses a whole SARIF upload when one result has no location:
# a suite's finding, a run's and a cut-off report's need one too
expect 1 "$tg" --db "$sdb" analyze --run down --baseline "$work/base.json" --output sarif="$work/down.sarif"
expect 1 "$tg" --db "$sdb" check --run broken --baseline "$work/base.json" --output sarif="$work/broken.sarif" "$root/samples/runs/broken-import"
head -c 700 "$fx/junit/ant-jenkins.xml" >"$work/cut.xml"
printf '============ test session starts ====\ncollected 3 items / 1 deselected / 2 selected\n\nt/test_a.py::test_x PASSED [100%%]\n\n=== 1 passed, 1 deselected in 0.01s ===\n' >"$work/few.log"
expect 0 "$tg" --db "$work/cut.db" check --output sarif="$work/cut.sarif" \
	--output markdown="$work/cut.md" --output github="$work/cut.gh" --output junit="$work/cut-j.xml" "$work/cut.xml"
# evidence about a whole input has no line: "cut.xml: the input ends
# early", never "cut.xml:0:"
has cut.md "cut.xml: the input ends early"
has cut.gh "cut.xml: the input ends early"
has cut-j.xml "cut.xml: the input ends early"
has cut.sarif "cut.xml: the input ends early"
expect 0 "$tg" --db "$work/cut.db" report --output "$work/cut.html"
has cut.html "cut.xml: the input ends early"
checks=$((checks + 1))
grep -l ':0: ' "$work/cut.md" "$work/cut.gh" "$work/cut-j.xml" "$work/cut.sarif" "$work/cut.html" && fail "line 0 printed as a place"
expect 1 "$tg" --db "$work/cut.db" check --format text --output markdown="$work/few.md" --output sarif="$work/few.sarif" "$work/few.log"
# one test is "1 test", in the run's header and in the finding
has out "): 1 test, 1 passed,"
has out "the run holds only 1 test"
has few.md "1 test: 1 passed,"
has few.md "**1 finding** (1 high"
has err "the run holds 1 test"
checks=$((checks + 1))
grep -E '\b1 tests\b' "$work/err" && fail "1 tests"
printf '=== test session starts ===\ncollected 2 items\n\nt/test_a.py ..   [100%%]\n\n=== slowest durations ===\n0.50s call     t/test_a.py::test_x\n\n=== 2 passed in 0.71s ===\n' >"$work/dur.log"
expect 0 "$tg" --db "$work/dur.db" import "$work/dur.log"
has err "shows 2 results as progress characters and names 1 test; run"
has err "1 test is named only in --durations"
checks=$((checks + 1))
grep -E '\b1 tests\b' "$work/out" "$work/err" "$work/few.md" && fail "1 tests"
sarif_ok "$work/down.sarif" "$work/broken.sarif" "$work/cut.sarif" "$work/few.sarif"
expect 0 /usr/bin/python3 -c "import json; k = lambda p: {r['ruleId'] for r in json.load(open(p))['runs'][0]['results']}; assert 'suite_collapse' in k('$work/down.sarif') and 'missing_tests' in k('$work/broken.sarif') and 'truncated_report' in k('$work/cut.sarif') and 'missing_tests' in k('$work/few.sarif')"
# Long ids of characters over one byte: every text a finding, a warning
# or a listing cuts (a finding's message at 1 KiB, an attribute at 16 KiB)
# is cut between characters, so every output stays UTF-8 and its JSON and
# SARIF parse.  Two class names of lengths one apart put the cut on both
# halves of a character.
utf8_ok() { # utf8_ok FILE...
	checks=$((checks + 1))
	/usr/bin/python3 -c 'import sys
for p in sys.argv[1:]:
    open(p, "rb").read().decode("utf-8")' "$@" 2>"$work/uerr" ||
		fail "not UTF-8: $(tail -1 "$work/uerr")"
}
for cls in t.test_r t.test_rx; do
	/usr/bin/python3 -c 'import sys
n = "test_" + "\u00e9" * 700
big = "\u20ac" * 6000
print("<testsuite name=\"s\"><testcase classname=\"%s\" name=\"%s\" time=\"0.1\"><system-err>WARNING falling back to MockClient</system-err></testcase><testcase classname=\"%s\" name=\"%s\" time=\"0.1\"/></testsuite>" % (sys.argv[1], n, sys.argv[1], big))' "$cls" >"$work/wide.xml"
	rm -f "$work"/wide.db*
	expect 1 "$tg" --db "$work/wide.db" check --format json --output sarif="$work/wide.sarif" \
		--output markdown="$work/wide.md" --output github="$work/wide.gh" --output junit="$work/wide-j.xml" "$work/wide.xml"
	has err "cut to 16384"
	# a finding's message is whole, however long the id in it
	json_ok "any(f['message'].endswith('fell back to a mock or fake') and len(f['message']) > 700 for f in d['findings'])"
	utf8_ok "$work/out" "$work/wide.sarif" "$work/wide.md" "$work/wide.gh" "$work/wide-j.xml"
	sarif_ok "$work/wide.sarif"
	expect 1 "$tg" --db "$work/wide.db" analyze --format text
	utf8_ok "$work/out"
	expect 0 "$tg" --db "$work/wide.db" tests --format json
	json_ok "len(d['tests']) == 2"
	utf8_ok "$work/out"
	expect 0 "$tg" --db "$work/wide.db" report --format json
	utf8_ok "$work/out"
	# a module name cut in an import-chain finding
	/usr/bin/python3 -c 'import sys
m = sys.argv[1] + "\u00e9" * 700
print("=== test session starts ===\ncollecting ... collected 0 items / 1 error\n\n=== ERRORS ===\n___ ERROR collecting t/test_a.py ___\nTraceback:\nt/test_a.py:1: in <module>\n    import x\nE   ModuleNotFoundError: No module named %r\n=== short test summary info ===\nERROR t/test_a.py\n!!! Interrupted: 1 error during collection !!!\n=== 1 error in 0.06s ===" % m)' "$cls" >"$work/wide.log"
	expect 1 "$tg" --db "$work/wide.db" check --format json --output sarif="$work/wide.sarif" "$work/wide.log"
	json_ok "any(f['kind'] == 'import_chain_failure' for f in d['findings'])"
	utf8_ok "$work/out" "$work/wide.sarif"
	sarif_ok "$work/wide.sarif"
done
# Control characters a log line keeps (BEL, DEL, the C1 CSI) are shown,
# never written raw, in the GitHub annotations (printed into the job
# log) and the Markdown job summary, as in the text report.
printf '=== test session starts ===\ncollected 1 item\n\nt/test_a.py::test_x PASSED [100%%]\n\n=== PASSES ===\n___ test_x ___\n--- Captured log call ---\nWARNING  app:a.py:1 falling back to MockClient bell\007 c1\302\2332J del\177\n=== short test summary info ===\nPASSED t/test_a.py::test_x\n=== 1 passed in 0.10s ===\n' >"$work/ctl.log"
expect 1 "$tg" --db "$work/ctl.db" check --format github --output markdown="$work/ctl.md" "$work/ctl.log"
cp "$work/out" "$work/ctl.gh"
has ctl.gh 'bell\x07 c1\xc2\x9b2J del\x7f'
checks=$((checks + 1))
grep -q "more findings than annotations" "$work/ctl.gh" &&
	fail "one finding, yet a notice that GitHub hides some"
# GitHub shows 10 annotations of a level per step and drops the rest
# silently: a notice, first, says how many are only in the log
{
	echo '<testsuite name="s">'
	for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
		echo "<testcase classname=\"t.test_m\" name=\"test_$i\" time=\"0.1\"><system-err>WARNING falling back to MockClient</system-err></testcase>"
	done
	echo '</testsuite>'
} >"$work/many-mocks.xml"
expect 1 "$tg" --db "$work/gh.db" check --format github "$work/many-mocks.xml"
checks=$((checks + 1))
head -1 "$work/out" | grep -qF '::notice title=truegreen%3A more findings than annotations::GitHub shows 10 annotations of each level per step: 2 of the 12 findings are only in this log' ||
	fail "no leading notice of the hidden annotations: $(head -2 "$work/out")"
checks=$((checks + 1))
[ "$(grep -c '^::error ' "$work/out")" -eq 12 ] || fail "not every finding was printed: $(grep -c '^::error ' "$work/out")"
has ctl.md 'bell\\x07 c1\\xc2\\x9b2J del\\x7f'
checks=$((checks + 1))
LC_ALL=C grep -l "$(printf '[\001-\010\013-\037\177]\|\302[\200-\237]')" "$work/ctl.gh" "$work/ctl.md" &&
	fail "a control character written raw"
# --output FORMAT=FILE with a misspelt format, or no file, is a usage
# error, not a text report in a file named "sarfi=x.sarif"; a path with
# '=' in it is still a file
printf '<testsuite name="s"><testcase classname="t.test_o" name="test_ok" time="0.1"/></testsuite>' >"$work/o.xml"
expect 2 "$tg" --db "$work/o.db" check --output sarfi="$work/x.sarif" "$work/o.xml"
has err "unknown format 'sarfi' in --output"
checks=$((checks + 1))
[ ! -e "$work/sarfi=$work/x.sarif" ] && [ ! -e "sarfi=$work/x.sarif" ] || fail "a misspelt format became a file name"
expect 2 "$tg" --db "$work/o.db" check --output sarif= "$work/o.xml"
has err "--output sarif= needs a file"
expect 0 "$tg" --db "$work/o.db" check --output "$work/a=b.txt" "$work/o.xml"
checks=$((checks + 1))
[ -s "$work/a=b.txt" ] || fail "a path with '=' was not written"
# Absolute file attributes (PHPUnit writes them): the CI formats give
# locations relative to the source root (--source-root, else the CI's
# workspace), which is what code scanning and Code Quality match against
# the repository; a path outside it, or no root, stays as it was.
mkdir -p "$work/ws/tests"
printf '<testsuite name="S"><testcase name="test_a" class="FooTest" classname="FooTest" file="%s/ws/tests/FooTest.php" line="5" time="0.01"><system-err>WARNING falling back to MockClient</system-err></testcase></testsuite>' "$work" >"$work/abs.xml"
expect 1 "$tg" --db "$work/abs.db" check --source-root "$work/ws" --format github \
	--output sarif="$work/abs.sarif" --output gitlab="$work/abs.gl" "$work/abs.xml"
has out "::error file=tests/FooTest.php,line=5,"
has abs.sarif '"uri":	"tests/FooTest.php"'
has abs.gl '"path":	"tests/FooTest.php"'
sarif_ok "$work/abs.sarif"
expect 1 env GITHUB_WORKSPACE="$work/ws/" "$tg" --db "$work/abs.db" analyze --format github
has out "::error file=tests/FooTest.php,line=5,"
expect 1 env CI_PROJECT_DIR="$work/ws" "$tg" --db "$work/abs.db" analyze --format gitlab
has out '"path":	"tests/FooTest.php"'
expect 1 "$tg" --db "$work/abs.db" analyze --source-root "$work/elsewhere" --format github
has out "::error file=$work/ws/tests/FooTest.php,line=5,"
expect 1 env -u GITHUB_WORKSPACE -u CI_PROJECT_DIR "$tg" --db "$work/abs.db" analyze --format sarif
has out "\"uri\":	\"file://$work/ws/tests/FooTest.php\""
# a run with failures is not green: the verdict says so instead
printf '<testsuite name="s"><testcase classname="t.test_r" name="test_bad" time="1"><failure message="no"/></testcase><testcase classname="t.test_r" name="test_ok" time="0.1"><system-err>WARNING falling back to MockClient</system-err></testcase></testsuite>' >"$work/red.xml"
expect 1 "$tg" --db "$work/red.db" check --format text --output markdown="$work/red.md" "$work/red.xml"
has out "the run failed already (1 failed, 0 errors), and its passes are not to be trusted either"
checks=$((checks + 1))
grep -q "this green" "$work/out" "$work/red.md" && fail "a red run called green: $(cat "$work/out")"
expect 0 "$tg" --db "$work/red1.db" import "$work/red.xml"
has out "evidence: 1 line matched the signal catalog; 0 collection errors"
# more counts of one: learnt from one run, the expectation it gives, a
# collection error, a repaired line, a line that is not a network record
printf '<testsuite name="s"><testcase classname="t.test_r" name="test_ok" time="0.1"/></testsuite>' >"$work/one.xml"
printf '<testsuite name="s2"><testcase classname="t.test_r" name="test_ok" time="0.001"><system-err>WARNING falling back to MockClient</system-err></testcase></testsuite>' >"$work/two.xml"
expect 0 "$tg" --db "$work/one.db" import "$work/one.xml"
expect 0 "$tg" --db "$work/one.db" baseline learn --min-samples 1 --output "$work/one.json"
has err "learnt 1 test and 1 suite from history of 1 run"
has one.json '"history of 1 run"'
# learning from no run at all (a --where that matches nothing) writes no
# empty baseline, which would check nothing and pass everything
rm -f "$work/none.json"
expect 2 "$tg" --db "$work/one.db" baseline learn --where suite=nope --where team=x --output "$work/none.json"
has err "no run to learn from matching suite=nope, team=x; nothing written"
checks=$((checks + 1))
[ ! -e "$work/none.json" ] || fail "an empty baseline was written"
expect 2 "$tg" --db "$work/one.db" report --where suite=nope
has err "no run was imported between"
has err "matching suite=nope"
expect 0 "$tg" --db "$work/one.db" analyze --where suite=nope
has out "no baseline and 0 earlier runs matching suite=nope (5 needed)"
expect 1 "$tg" --db "$work/one.db" check --format text --baseline "$work/one.json" "$work/two.xml"
has out "from baseline 't/test_r.py::test_ok', 1 run, 0% with network evidence"
printf '=== test session starts ===\ncollecting ... collected 1 item / 1 error\n\n=== ERRORS ===\n___ ERROR collecting t/test_a.py ___\nTraceback:\nt/test_a.py:1: in <module>\n    import harness\nE   ModuleNotFoundError: No module named harness\n=== short test summary info ===\nERROR t/test_a.py\n!!! Interrupted: 1 error during collection !!!\n=== 1 error in 0.06s ===\nt/test_b.py::test_\377 PASSED\n' >"$work/int1.log"
expect 1 "$tg" --db "$work/int1.db" check --format text "$work/int1.log"
has out "pytest collected 1 item but stopped on 1 collection error before running"
has out "the run failed already (0 failed, 1 error), and"
has err "1 line held bytes that are not UTF-8 text"
has err "says pytest collected 1 item (0 deselected, 1 collection error); the run holds 0 tests"
printf '{"truegreen_netlog":1,"pid":3,"tid":3,"test":"t/test_x.py::test_a","op":"connect","fd":5,"family":"inet","addr":"10.0.0.1","port":80,"loopback":false,"result":"EINPROGRESS"}\nnot a record\n' >"$work/one-bad.jsonl"
expect 0 "$tg" --db "$work/net1.db" import "$work/one-bad.jsonl"
has err "1 line is not a network record and was skipped"
expect 0 "$tg" --db "$work/one.db" import -q "$work/two.xml"
expect 1 "$tg" --db "$work/one.db" analyze
has out "no baseline and 1 earlier run (5 needed)"
# record starts its file afresh: a stale one from an earlier job on a
# reused workspace would lend its connections to this run's tests
cp "$work/one-bad.jsonl" "$work/stale.jsonl"
expect 0 "$tg" record --output "$work/stale.jsonl" -- true
checks=$((checks + 1))
[ "$(wc -l <"$work/stale.jsonl")" = 1 ] && grep -q '^{"truegreen_netlog":1,"started":"20[0-9-]*T[0-9:]*Z","command":"true"}$' "$work/stale.jsonl" ||
	fail "record kept a stale record file, or wrote no header: $(head -c 300 "$work/stale.jsonl")"
# that header alone is a record of a run in which no test connected, or
# whose tests the recorder could not see: a note says both, and imports
# work (before, no file at all was left, and the import failed)
printf '<testsuite name="s"><testcase classname="t.test_e2e" name="test_send" time="0.1"/></testsuite>' >"$work/sock.xml"
printf '{"tests": [{"match": "t/test_e2e.py::*", "requires_network": true}]}' >"$work/sock-base.json"
expect 0 "$tg" --db "$work/sock.db" check --format json --baseline "$work/sock-base.json" "$work/sock.xml" "$work/stale.jsonl"
json_ok "d['findings'] == [] and any('stale.jsonl' in n and 'holds no connection of any test' in n for n in d['notes'])"
# and a file it cannot write is an error before the command runs
expect 3 "$tg" record --output "$work/nodir/x.jsonl" -- touch "$work/ran"
has err "cannot write '$work/nodir/x.jsonl'"
checks=$((checks + 1))
[ ! -e "$work/ran" ] || fail "record ran the command without its record file"
expect 0 "$tg" --db "$work/red.db" report --format markdown
has out "1 run; the last judged against"
has out "1 finding."
expect 0 "$tg" --db "$work/red.db" report --format html
has out "<p>1 run.  Generated by"
has out '<th scope="col">runs flagged</th>'
checks=$((checks + 1))
grep -E '\b1 runs\b|flagged_runs' "$work/out" && fail "a count or a JSON key printed as words"
# a descriptor reused for a second non-blocking connect: the outcome is
# the newer connect's, and the older one stays an attempt of its own test
printf '%s\n' \
	'{"truegreen_netlog":1,"pid":3,"tid":3,"test":"t/test_x.py::test_a","op":"connect","fd":5,"family":"inet","addr":"10.0.0.1","port":80,"loopback":false,"result":"EINPROGRESS"}' \
	'{"truegreen_netlog":1,"pid":3,"tid":3,"test":"t/test_x.py::test_b","op":"connect","fd":5,"family":"inet","addr":"127.0.0.1","port":8080,"loopback":true,"result":"EINPROGRESS"}' \
	'{"truegreen_netlog":1,"pid":3,"tid":3,"test":"t/test_x.py::test_b","op":"connect-done","fd":5,"family":"none","result":"ECONNREFUSED"}' >"$work/reuse.jsonl"
printf '<testsuite name="s"><testcase classname="t.test_x" name="test_a" time="1"/><testcase classname="t.test_x" name="test_b" time="1"/></testsuite>' >"$work/reuse.xml"
expect 0 "$tg" --db "$work/reuse.db" import -q "$work/reuse.xml" "$work/reuse.jsonl"
expect 0 "$tg" --db "$work/reuse.db" evidence --test t/test_x.py::test_a
has out "connect 10.0.0.1:80 inprogress remote"
checks=$((checks + 1))
grep -q "ECONNREFUSED" "$work/out" && fail "test_a was given test_b's refused connect: $(cat "$work/out")"
expect 0 "$tg" --db "$work/reuse.db" evidence --test t/test_x.py::test_b
has out "connect 127.0.0.1:8080 ECONNREFUSED loopback"
# a conftest that failed to import: pytest ran nothing, and exited 4
expect 1 "$tg" --db "$work/conftest.db" check --format text "$root/tests/fixtures/pytest/conftest_error.log"
has out "conftest '/src/sigs/py/tests_mock/conftest.py' failed to import"
has out "no test ran at all: there is no green to trust"
checks=$((checks + 1))
grep -q "truncated_report" "$work/out" && fail "a complete exit-4 log called cut off: $(cat "$work/out")"
# pytest -q: twelve passes shown as dots, a fallback in the warnings
# summary grouped by file; the verdict counts what pytest said ran
expect 1 "$tg" --db "$work/quiet.db" check --format text "$root/tests/fixtures/signals/pytest7_warnings_summary_collapsed_ge10.log"
has out "the run's output says it fell back to a mock or fake"
has out "pytest ran 12 tests and its log names none of them (progress dots only)"
expect 1 "$tg" --db "$sdb" check --run broken --baseline history --format json --output "$work/report.json" "$root/samples/runs/broken-import"
checks=$((checks + 1))
cp "$work/report.json" "$work/out"
valid
json_ok "[f['chain'] for f in d['findings'] if f['kind'] == 'import_chain_failure' and f['test'] == 'tests/e2e/test_golden_path.py'] == [['tests/e2e/test_golden_path.py', 'harness.unified_e2e_harness']] and d['basis'] == 'history of 7 runs (18 passes left out: a fallback to a mock, a failed connection or an unawaited coroutine in their output)'"
# the vanished module's finding says one test in the singular, and cites
# the module's result in the report
json_ok "[(f['message'].startswith(\"1 test of 'tests/e2e/test_golden_path.py' that passed in most of the last 7 runs is not in this run\"), f['evidence'][0]['source'].endswith('broken-import/junit.xml')) for f in d['findings'] if f['kind'] == 'missing_tests'] == [(True, True)]"
# a healthy run: only the never-awaited tests, below --fail-on medium? no: high
expect 1 "$tg" --db "$sdb" analyze --run h6 --baseline "$work/base.json" --format json
json_ok "{f['kind'] for f in d['findings']} == {'unawaited_coroutine'} and len(d['findings']) == 2"
# check without --db: a temporary database, no history, and it says so
expect 0 "$tg" check --format json --fail-on high "$fx/junit/ant-jenkins.xml"
valid
json_ok "d['basis'] == 'none' and any('no baseline' in n for n in d['notes'])"
expect 2 "$tg" --db "$sdb" analyze --fail-on sometimes
expect 3 "$tg" --db "$sdb" analyze --baseline "$work/missing.json"
printf '{"tests": [{"match": "a", "min_duration": "slow"}]}' >"$work/bad-base.json"
expect 3 "$tg" --db "$sdb" analyze --baseline "$work/bad-base.json"
has err "entry 'a': \"min_duration\" must be a number >= 0"
expect 2 "$tg" --db "$sdb" baseline forget
expect 0 "$tg" analyze --help
expect 0 "$tg" check --help

# report formats: each against its spec, with hostile test names inert
hdb=$work/hostile.db
cat >"$work/hostile.xml" <<'XML'
<testsuite name="s">
<testcase classname="t.test_h" name="test_a&lt;script&gt;alert(1)&lt;/script&gt;" time="0.01"/>
<testcase classname="t.test_h" name="test_b]]&gt;%0A::error::owned,file=x:y" time="0.01"/>
<testcase classname="t.test_h" name="test_c`code`|pipe|&#10;::warning::injected" time="0.01"/>
</testsuite>
XML
printf '{"tests": [{"match": "t/test_h.py::*", "min_duration": 20}]}' >"$work/h-base.json"
expect 0 "$tg" --db "$hdb" import -q --run hostile "$work/hostile.xml"
expect 1 "$tg" --db "$hdb" analyze --baseline "$work/h-base.json" --format github
checks=$((checks + 1))
[ "$(grep -c '^::' "$work/out")" -eq 3 ] || fail "github: one command per finding:
$(cat "$work/out")"
# in the message only %, CR and LF are special: '::' there is data
has out "test_b]]>%250A::error::owned,file=x:y' passed"
has out 'test_c`code`|pipe|%0A::warning::injected'
has out 'file=t/test_h.py,title=truegreen%3A Suspiciously fast pass::'
expect 1 "$tg" --db "$hdb" analyze --baseline "$work/h-base.json" --format markdown
has out 'test\_a&lt;script&gt;alert(1)&lt;/script&gt;'
has out 'test\_c\`code\`\|pipe\| ::warning::injected'
checks=$((checks + 1))
if grep -q '<script>' "$work/out"; then fail "markdown: raw <script>"; fi
expect 1 "$tg" --db "$hdb" analyze --baseline "$work/h-base.json" --format junit
cp "$work/out" "$work/junit-out.xml"
expect 0 xmllint --noout "$work/junit-out.xml"
cp "$work/junit-out.xml" "$work/out"
has out 'name="t/test_h.py::test_a&lt;script&gt;alert(1)&lt;/script&gt;"'
has out 'test_b]]&gt;%0A::error::owned,file=x:y'
expect 1 "$tg" --db "$hdb" analyze --baseline "$work/h-base.json" --format gitlab
json_ok "len(d) == 3 and all(set(x) >= {'description', 'check_name', 'fingerprint', 'severity', 'location'} and x['severity'] == 'critical' and x['location']['path'] == 't/test_h.py' for x in d) and len({x['fingerprint'] for x in d}) == 3"
expect 1 "$tg" --db "$hdb" analyze --baseline "$work/h-base.json" --format sarif
json_ok "d['version'] == '2.1.0' and [r['id'] for r in d['runs'][0]['tool']['driver']['rules']][:2] == ['mock_fallback', 'fast_pass'] and all(r['ruleId'] == 'fast_pass' and r['level'] == 'error' and r['locations'][0]['physicalLocation']['artifactLocation']['uri'] == 't/test_h.py' and len(r['partialFingerprints']['truegreenFinding/v1']) == 32 for r in d['runs'][0]['results'])"
cp "$work/out" "$work/sarif1.json"
# the SARIF checker itself refuses a bad level and a result with no
# location
sarif_ok "$work/sarif1.json"
/usr/bin/python3 -c "import json; d = json.load(open('$work/sarif1.json')); d['runs'][0]['results'][0]['level'] = 'fatal'; json.dump(d, open('$work/bad1.sarif', 'w'))"
/usr/bin/python3 -c "import json; d = json.load(open('$work/sarif1.json')); del d['runs'][0]['results'][0]['locations']; json.dump(d, open('$work/bad2.sarif', 'w'))"
expect 1 /usr/bin/python3 "$here/sarif_check.py" "$fx/schema" "$work/bad1.sarif"
has out "sarif-2.1.0.json: /runs/0/results/0/level: 'fatal' is not one of"
has out "sarif-2.1.0-rtm.5.json: /runs/0/results/0/level"
expect 1 /usr/bin/python3 "$here/sarif_check.py" "$fx/schema" "$work/bad2.sarif"
has out "results[0] (fast_pass): no location (GitHub rejects the file)"
# a path is written as a URI: percent-encoded, and absolute as file:
printf '<testsuite name="s"><testcase classname="t.x" name="test_p" file="t/my tests/test_%%#?[x].py" time="0.01"/><testcase classname="t.x" name="test_q" file="C:\\ci\\t\\test_w.py" time="0.01"/></testsuite>' >"$work/odd path.xml"
printf '{"tests": [{"match": "*", "min_duration": 20}]}' >"$work/odd-base.json"
expect 1 "$tg" --db "$work/odd.db" check --baseline "$work/odd-base.json" --output sarif="$work/odd.sarif" --output gitlab="$work/odd.json" "$work/odd path.xml"
sarif_ok "$work/odd.sarif"
cp "$work/odd.sarif" "$work/out"
json_ok "sorted(l['physicalLocation']['artifactLocation']['uri'] for r in d['runs'][0]['results'] for l in r['locations']) == ['file:///C:/ci/t/test_w.py', 't/my%20tests/test_%25%23%3F%5Bx%5D.py']"
cp "$work/odd.json" "$work/out"
json_ok "sorted(x['location']['path'] for x in d) == ['C:\\\\ci\\\\t\\\\test_w.py', 't/my tests/test_%#?[x].py']"
# fingerprints are stable across runs: the same findings in a new run
sed 's/time="0.01"/time="0.02"/' "$work/hostile.xml" >"$work/hostile2.xml"
expect 0 "$tg" --db "$hdb" import -q --run hostile2 "$work/hostile2.xml"
expect 1 "$tg" --db "$hdb" analyze --baseline "$work/h-base.json" --format sarif
cp "$work/out" "$work/sarif2.json"
expect 0 /usr/bin/python3 -c "import json; f = lambda p: sorted(r['partialFingerprints']['truegreenFinding/v1'] for r in json.load(open(p))['runs'][0]['results']); assert f('$work/sarif2.json') == f('$work/sarif1.json')"
# several reports at once, and the GitHub job summary
GITHUB_STEP_SUMMARY=$work/summary.md expect 1 "$tg" --db "$hdb" analyze --baseline "$work/h-base.json" \
	--output sarif="$work/r.sarif" --output junit="$work/r.xml" --output json="$work/r.json" --step-summary
expect 0 xmllint --noout "$work/r.xml"
has r.sarif '"version":'
has summary.md '## truegreen: hostile2'
checks=$((checks + 1))
[ ! -s "$work/out" ] || fail "only FORMAT=FILE outputs: stdout should be empty"
cp "$work/r.json" "$work/out"
valid
# markdown stays under GitHub's limit however many findings
/usr/bin/python3 -c "
print('<testsuite name=\"s\">')
for i in range(3000): print('<testcase classname=\"t.test_m\" name=\"test_%d_with_a_rather_long_name_to_fill_the_page\" time=\"0.01\"/>' % i)
print('</testsuite>')" >"$work/many.xml"
expect 0 "$tg" --db "$hdb" import -q --run many "$work/many.xml"
printf '{"tests": [{"match": "t/test_m.py::*", "min_duration": 20}]}' >"$work/m-base.json"
expect 1 "$tg" --db "$hdb" analyze --run many --baseline "$work/m-base.json" --format markdown
checks=$((checks + 1))
[ "$(wc -c <"$work/out")" -lt 65000 ] || fail "markdown over 65000 bytes: $(wc -c <"$work/out")"
has out "more findings left out to stay under GitHub's size limit"
expect 2 "$tg" --db "$hdb" analyze --format yaml
has err "--format is one of text, json, sarif"

# the test-health report: HTML with nothing fetched, Markdown, JSON
expect 0 "$tg" --db "$sdb" report --format json
json_ok "len(d['runs']) == 8 and d['days'][0]['runs'] == 8 and {i['module'] for i in d['import_failures']} == {'tests/e2e/test_golden_path.py', 'tests/e2e/test_signup.py'} and all(i['open'] for i in d['import_failures']) and d['most_flagged'][0]['flagged_runs'] == 8 and any(c['test'] == 'tests/e2e/test_chat.py::test_send_message' for c in d['collapsed']) is False"
expect 0 "$tg" --db "$sdb" report --output "$work/health.html"
cp "$work/health.html" "$work/out"
has out '<svg role="img"'
has out '<th scope="col">'
has out 'harness.unified_e2e_harness'
checks=$((checks + 1))
if grep -Eiq '<script|src=|url\(|@import|href="(https?:)?//' "$work/health.html"; then
	fail "the HTML report fetches or runs something: $(grep -Eio '<script|src=[^ >]*|url\([^)]*|@import|href="[^"]*' "$work/health.html" | head -3)"
fi
expect 0 xmllint --html --noout "$work/health.html"
expect 0 "$tg" --db "$hdb" report --format html
has out 'test_a&lt;script&gt;alert(1)&lt;/script&gt;'
checks=$((checks + 1))
if grep -q '<script>alert' "$work/out"; then fail "report: raw <script>"; fi
expect 0 "$tg" --db "$sdb" report --where suite=s --format markdown
has out '| day | runs | tests |'
has out '▁'
expect 2 "$tg" --db "$sdb" report --since 1999-01-01 --until 1999-01-02
has err "no run was imported between 1999-01-01 and 1999-01-02"
checks=$((checks + 1))
if grep -q 'T99' "$work/err"; then fail "report: the query's bound leaked into the message: $(cat "$work/err")"; fi
expect 2 "$tg" --db "$sdb" report --format pdf
# a period bound is days back, a date or a UTC time, checked: compared as
# text, "2026-11-1" or "-3d" would pick runs silently wrong
for bad in 2026-13-45 2026-11-1 2026-02-30 -3d 7 7days 99999999d 2026-11-16T25:00:00Z 2026-11-16T10:00:00 "" yesterday; do
	expect 2 "$tg" --db "$sdb" report --since "$bad"
	has err "is not a number of days back (7d, at most 36500d), a date (YYYY-MM-DD) or a UTC time"
	expect 2 "$tg" --db "$sdb" report --since 30d --until "$bad"
	has err "the period's end '$bad' is not a number of days back"
done
for good in 36500d 2024-02-29 2000-01-01T00:00:00Z; do
	expect 0 "$tg" --db "$sdb" report --since "$good" --format json
done
for good in 0d 2999-12-31 2999-12-31T00:00:00Z; do
	expect 0 "$tg" --db "$sdb" report --since 36500d --until "$good" --format json
done
# "flagged runs" counts runs, not findings: two findings on one test in
# each of two runs is two flagged runs
printf '<testsuite name="s"><testcase classname="tests.e2e.test_chat" name="test_send" time="0.1"><system-err>WARNING falling back to MockClient\nRuntimeWarning: coroutine %s was never awaited</system-err></testcase></testsuite>' "'T.test_send'" >"$work/fl.xml"
expect 0 "$tg" --db "$work/fl.db" import -q --run fl1 "$work/fl.xml"
sed -i 's/time="0.1"/time="0.2"/' "$work/fl.xml"
expect 0 "$tg" --db "$work/fl.db" import -q --run fl2 "$work/fl.xml"
expect 0 "$tg" --db "$work/fl.db" report --format json
json_ok "[(m['test'], m['flagged_runs']) for m in d['most_flagged']] == [('tests/e2e/test_chat.py::test_send', 2)]"
# flaky means flipping on one commit, not across commits
fdb=$work/flaky.db
mk() { printf '<testsuite name="s"><testcase classname="t.test_f" name="test_x" time="1"%s<testcase classname="t.test_f" name="test_y" time="1"%s</testsuite>' "$1" "$2" >"$work/f.xml"; }
ok='/>' bad='><failure message="no"/></testcase>'
mk "$ok" "$ok"; expect 0 "$tg" --db "$fdb" import -q --run f1 --meta commit=aaa "$work/f.xml"
mk "$bad" "$ok"; expect 0 "$tg" --db "$fdb" import -q --run f2 --meta commit=aaa "$work/f.xml"
mk "$bad" "$bad"; expect 0 "$tg" --db "$fdb" import -q --run f3 --meta commit=bbb "$work/f.xml"
expect 0 "$tg" --db "$fdb" report --format json
json_ok "[f['test'] for f in d['flaky']] == ['t/test_f.py::test_x'] and d['runs'][0]['commit'] == 'aaa'"
# a skip between a pass and a failure is no outcome: one flip in two
# chances; the user's commit pair wins over the one CI detection found
zdb=$work/skip.db
for v in '/>' '><skipped/></testcase>' '><failure message="no"/></testcase>'; do
	printf '<testsuite name="s"><testcase classname="t.test_z" name="test_z" time="1"%s</testsuite>' "$v" >"$work/z.xml"
	GITHUB_ACTIONS=true GITHUB_SHA=fromci expect 0 "$tg" --db "$zdb" import -q --meta commit=ccc "$work/z.xml"
done
expect 0 "$tg" --db "$zdb" report --format json
json_ok "[(f['test'], f['flip_rate'], f['runs']) for f in d['flaky']] == [('t/test_z.py::test_z', 0.5, 3)] and {r['commit'] for r in d['runs']} == {'ccc'}"

# prune: old runs go whole, in one transaction; nothing without a criterion
pdb=$work/prune.db
expect 4 "$tg" --db "$pdb" prune --keep 1
has err "no database at '$pdb'"
checks=$((checks + 1))
[ -e "$pdb" ] && fail "prune created the database it was to prune"
i=0
for f in mocha-junit-reporter_2.2.1_default.xml phpunit_9.6_log_junit.xml rspec_3.12_junit_formatter_0.4.1.xml vitest_junit.xml; do
	i=$((i + 1))
	expect 0 "$tg" --db "$pdb" import -q --run "p$i" --meta branch=b$((i % 2)) "$fx/junit/ant-jenkins.xml" "$fx/junit/$f" "$fx/pytest/v_rA.log"
done
expect 0 "$tg" --db "$pdb" runs --format json
json_ok "[r['name'] for r in d['runs']] == ['p1', 'p2', 'p3', 'p4']"
expect 2 "$tg" --db "$pdb" prune
has err "name the runs to delete"
expect 2 "$tg" --db "$pdb" prune --keep 0
has err "--keep is a number of runs, at least 1, not '0'"
expect 2 "$tg" --db "$pdb" prune --keep 2x
expect 2 "$tg" --db "$pdb" prune --before 2026-11-1
has err "--before '2026-11-1' is not a number of days back"
expect 2 "$tg" --db "$pdb" prune --run p1 --keep 1
expect 2 "$tg" --db "$pdb" prune --run p1 --run nope
has err "no run named 'nope'"
has err "nothing was deleted"
expect 2 "$tg" --db "$pdb" prune --keep 1 extra
expect 0 "$tg" --db "$pdb" prune --help
has out "nothing is"
expect 0 "$tg" --db "$pdb" prune --keep 1 --where branch=b1 --dry-run
has out "would delete run p1 (id 1)"
has out "would delete 1 run; 3 runs kept"
expect 0 "$tg" --db "$pdb" runs --format json
json_ok "len(d['runs']) == 4"
expect 0 "$tg" --db "$pdb" prune --keep 2
has out "deleting run p1 (id 1)"
has out "deleting run p2 (id 2)"
has out "deleted 2 runs and 15 test names no run left has; 2 runs kept"
has out "--vacuum shrinks the file"
expect 0 "$tg" --db "$pdb" runs --format json
json_ok "[r['name'] for r in d['runs']] == ['p3', 'p4'] and d['runs'][0]['counts']['tests'] > 0"
expect 0 "$tg" --db "$pdb" tests --run p3
has out "::"
expect 0 "$tg" --db "$pdb" prune --run p3 --vacuum
has out "; 1 run kept"
expect 0 "$tg" --db "$pdb" prune --before 2000-01-01
has out "deleted 0 runs; 1 run kept"
# a deleted run's name is free again, its evidence gone with it
expect 0 "$tg" --db "$pdb" import -q --run p3 "$fx/junit/ant-jenkins.xml"
expect 0 "$tg" --db "$pdb" evidence --run p3 --format json
json_ok "[e['rule'] for e in d['evidence']] == ['java.net-error'] and d['evidence'][0]['source'].endswith('ant-jenkins.xml')"
# a hostile run name is printed escaped
expect 0 "$tg" --db "$pdb" import -q --run "$(printf 'evil\033]0;x\007')" --meta hostile=1 "$fx/junit/bazel-generated.xml"
expect 0 "$tg" --db "$pdb" prune --where hostile=1
checks=$((checks + 1))
grep -q "$(printf '\033')" "$work/out" && fail "prune printed a raw ESC"
has out 'evil\x1b]0;x\x07'

# a database cut short (a CI cache restored halfway) is refused with what
# to do, and never rewritten
expect 0 "$tg" --db "$work/whole.db" import -q "$fx/junit/phpunit_9.6_log_junit.xml" "$fx/pytest/v_rA.log"
head -c 40000 "$work/whole.db" >"$work/cut.db"
cp "$work/cut.db" "$work/cut.orig"
expect 4 "$tg" --db "$work/cut.db" runs
has err "the file is damaged: restore it from a copy, or move it aside"
expect 4 "$tg" --db "$work/cut.db" import "$fx/junit/ant-jenkins.xml"
has err "the file is damaged"
expect 4 "$tg" --db "$work/cut.db" prune --keep 1
checks=$((checks + 1))
cmp -s "$work/cut.db" "$work/cut.orig" || fail "a damaged database was written to"

# a test skipped because its service did not answer: outage_skip, in
# JSON that validates and SARIF GitHub takes
printf '<testsuite name="s"><testcase classname="t.test_e2e" name="test_send" time="0.01"><skipped message="ConnectionRefusedError: [Errno 111] Connection refused"/></testcase><testcase classname="t.test_u" name="test_ok" time="0.01"/></testsuite>' >"$work/outage.xml"
expect 0 "$tg" --db "$work/outage.db" check --format json --output sarif="$work/outage.sarif" "$work/outage.xml"
valid
json_ok "[(f['kind'], f['severity'], f['test']) for f in d['findings']] == [('outage_skip', 'medium', 't/test_e2e.py::test_send')]"
sarif_ok "$work/outage.sarif"

# two processes import into one database at once: both land
cdb=$work/concurrent.db
"$tg" --db "$cdb" import --run a "$fx/junit/pytest7_basic_xunit2.xml" > "$work/a.out" 2>&1 &
pa=$!
"$tg" --db "$cdb" import --run b "$fx/junit/phpunit_9.6_log_junit.xml" > "$work/b.out" 2>&1 &
pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
checks=$((checks + 1))
[ $ra -eq 0 ] && [ $rb -eq 0 ] || fail "concurrent imports: $ra $rb $(cat "$work/a.out" "$work/b.out")"
expect 0 "$tg" --db "$cdb" runs --format json
json_ok "sorted(r['name'] for r in d['runs']) == ['a', 'b']"

echo "cli: $checks checks, $failures failed"
[ $failures -eq 0 ]
