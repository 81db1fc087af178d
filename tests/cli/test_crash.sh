#!/usr/bin/env bash
# test_crash.sh TRUEGREEN GEN_REPORT FIXTURES - an import lands whole or not
# at all: killed with SIGKILL at many moments, or stopped by a full disk,
# the database stays intact and holds exactly the runs committed before.
set -u
tg=$1
gen=$2
fx=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/tg-crash.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
checks=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# integrity DB: SQLite's own check, through Python's sqlite3 module
integrity() {
	/usr/bin/python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ok = db.execute("PRAGMA integrity_check").fetchone()[0]
sys.exit(0 if ok == "ok" else 1)
PY
}
runs() { "$tg" --db "$1" runs --format json | /usr/bin/python3 -c \
	"import json,sys; print(' '.join(r['name'] for r in json.load(sys.stdin)['runs']))"; }

"$gen" surefire 60000 "$work/big.xml" || { echo "cannot generate"; exit 1; }

# SIGKILL at increasing delays: before, during and after the commit
db=$work/kill.db
"$tg" --db "$db" import --run base "$fx/junit/ant-jenkins.xml" >/dev/null
kills=0
for delay in 0 0.01 0.03 0.06 0.1 0.15 0.2 0.3 0.4 0.5 0.6 0.8 1.0 1.3; do
	"$tg" --db "$db" import --run "k$delay" "$work/big.xml" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null && kills=$((kills + 1))
	wait $pid 2>/dev/null
	checks=$((checks + 1))
	integrity "$db" || fail "integrity_check failed after a kill at ${delay}s"
	got=$(runs "$db")
	checks=$((checks + 1))
	case "$got" in
	"base") ;;                 # killed before the commit: nothing of it
	"base k$delay") "$tg" --db "$db" tests --run "k$delay" >/dev/null ||
		fail "run k$delay is there but unreadable" ;;  # committed: whole
	*) fail "after a kill at ${delay}s the runs are '$got'" ;;
	esac
	# the next round starts from the one committed run
	if [ "$got" != "base" ]; then
		rm -f "$db" "$db-wal" "$db-shm"
		"$tg" --db "$db" import --run base "$fx/junit/ant-jenkins.xml" >/dev/null
	fi
done
checks=$((checks + 1))
[ $kills -ge 3 ] || fail "only $kills imports were still running when killed"

# A full disk (a file size limit; SIGXFSZ ignored so writes fail with
# EFBIG): exit 4, and the database exactly as before.
db=$work/full.db
"$tg" --db "$db" import --run base "$fx/junit/ant-jenkins.xml" >/dev/null
before=$(runs "$db")
size=$(( $(stat -c %s "$db") / 1024 + 64 ))
(
	trap '' XFSZ
	ulimit -f "$size"
	exec "$tg" --db "$db" import --run full "$work/big.xml"
) >"$work/out" 2>"$work/err"
rc=$?
checks=$((checks + 1))
[ $rc -eq 4 ] || fail "full disk: exit $rc, want 4: $(cat "$work/err")"
checks=$((checks + 1))
integrity "$db" || fail "integrity_check failed after a full disk"
checks=$((checks + 1))
[ "$(runs "$db")" = "$before" ] || fail "full disk changed the runs: $(runs "$db")"
checks=$((checks + 1))
grep -q "disk full" "$work/err" || fail "full disk: no clear message: $(cat "$work/err")"
checks=$((checks + 1))
grep -q "big.xml" "$work/err" && fail "full disk blamed the report: $(cat "$work/err")"

echo "crash: $checks checks, $failures failed ($kills imports killed mid-way)"
[ $failures -eq 0 ]
