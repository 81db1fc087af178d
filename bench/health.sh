#!/usr/bin/env bash
# bench/health.sh [RUNS] [TESTS] - time the weekly test-health report on
# a store of RUNS runs x TESTS tests (default 10000 x 5000, spread over
# a year: a week is about 190 runs), against a reference measured in the
# same run: SQLite counting every result of the store (a full scan).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
tg=$root/build-bench/truegreen
runs=${1:-10000}
tests=${2:-5000}
work=$(mktemp -d "${TMPDIR:-/tmp}/tg-health.XXXXXX")
trap 'rm -rf "$work"' EXIT
db=$work/history.db
start=$EPOCHREALTIME
/usr/bin/python3 "$root/bench/gen_history.py" "$db" "$runs" "$tests" "$tg"
gen=$(awk "BEGIN{print $EPOCHREALTIME - $start}")
size=$(awk "BEGIN{printf \"%.0f\", $(stat -c %s "$db") / 1048576}")
t0=$EPOCHREALTIME
/usr/bin/python3 -c "import sqlite3; print(sqlite3.connect('$db').execute('SELECT count(*) FROM results').fetchone()[0])" >/dev/null
tscan=$(awk "BEGIN{print $EPOCHREALTIME - $t0}")
t0=$EPOCHREALTIME
/usr/bin/time -f "%M" -o "$work/rss" "$tg" --db "$db" report --since 2026-11-16 --until 2026-11-24 --format json >"$work/week.json"
tweek=$(awk "BEGIN{print $EPOCHREALTIME - $t0}")
weekruns=$(/usr/bin/python3 -c "import json; print(len(json.load(open('$work/week.json'))['runs']))")
printf 'store: %s runs x %s tests, %s MiB (made in %.0f s)\n' "$runs" "$tests" "$size" "$gen"
printf 'full scan of results (reference): %.2f s\n' "$tscan"
printf 'weekly report (%s runs): %.2f s = %.1fx the full scan, peak RSS %.0f MiB\n' \
	"$weekruns" "$tweek" "$(awk "BEGIN{print $tweek / $tscan}")" "$(awk "BEGIN{print $(cat "$work/rss") / 1024}")"
