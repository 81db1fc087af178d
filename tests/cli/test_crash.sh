#!/usr/bin/env bash
# test_crash.sh TRUEGREEN GEN_REPORT FIXTURES - an import lands whole or not
# at all: killed with SIGKILL at many moments, or stopped by a full disk,
# the database stays intact and holds exactly the runs committed before;
# and 8 imports at once all land, while a reader never sees half of one.
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

# prune --vacuum on a full disk: wherever the disk stops it (the delete
# or the vacuum after it; at half the database's size the delete, at 80%
# the vacuum with this generator), what prune says is what the database
# holds (deleted and said so, or untouched) and the database is intact.
for pct in 50 80; do
	db=$work/prune$pct.db
	"$tg" --db "$db" import --run base "$fx/junit/ant-jenkins.xml" >/dev/null
	"$tg" --db "$db" import --run big "$work/big.xml" >/dev/null
	"$tg" --db "$db" import --run last "$fx/junit/bazel-generated.xml" >/dev/null
	size=$(( $(stat -c %s "$db") / 1024 * pct / 100 ))
	(
		trap '' XFSZ
		ulimit -f "$size"
		exec "$tg" --db "$db" prune --run big --vacuum
	) >"$work/out" 2>"$work/err"
	rc=$?
	checks=$((checks + 1))
	integrity "$db" || fail "integrity_check failed after prune on a full disk"
	checks=$((checks + 1))
	if grep -q "deleted 1 run" "$work/out"; then
		[ "$(runs "$db")" = "base last" ] ||
			fail "prune said it deleted, but the runs are $(runs "$db")"
		echo "prune --vacuum, disk full at $pct%: deleted, then exit $rc"
	else
		[ $rc -eq 4 ] && [ "$(runs "$db")" = "base big last" ] &&
			grep -q "nothing was deleted" "$work/err" ||
			fail "prune failed (exit $rc), but the runs are $(runs "$db"): $(cat "$work/err")"
		echo "prune --vacuum, disk full at $pct%: nothing deleted, exit $rc"
	fi
done

# 8 imports into one database at once, and a reader listing runs and
# analyzing the newest all the while: every import lands exactly once,
# the reader never sees a run whose stored counts disagree with its tests
# (a half-imported run), and its analysis never fails on a lock.
db=$work/many.db
for i in 1 2 3 4 5 6 7 8; do
	"$gen" pytest $((10000 + i * 2000)) "$work/r$i.xml"
done
(
	while [ ! -e "$work/done" ]; do
		"$tg" --db "$db" runs --format json 2>/dev/null >"$work/snap.json" || continue
		/usr/bin/python3 - "$work/snap.json" "$tg" "$db" <<'PY' >>"$work/seen" || echo bad >>"$work/reader.err"
import json, subprocess, sys
runs = json.load(open(sys.argv[1]))["runs"]
print(len(runs))
for r in runs:
    t = json.loads(subprocess.run([sys.argv[2], "--db", sys.argv[3], "tests",
                                   "--run", r["name"], "--format", "json"],
                                  capture_output=True, text=True).stdout)
    assert len(t["tests"]) == r["counts"]["tests"], r["name"]
# analyze too: a reader that never meets "database is locked"
if runs:
    a = subprocess.run([sys.argv[2], "--db", sys.argv[3], "analyze", "--run",
                        runs[-1]["name"], "--format", "json", "--fail-on", "none"],
                       capture_output=True, text=True)
    assert a.returncode == 0, a.stderr
    assert json.loads(a.stdout)["run"]["tests"] == runs[-1]["counts"]["tests"]
PY
	done
) &
reader=$!
pids=
for i in 1 2 3 4 5 6 7 8; do
	"$tg" --db "$db" import --run "p$i" "$work/r$i.xml" >"$work/p$i.out" 2>&1 &
	pids="$pids $!"
done
bad=0
for p in $pids; do wait "$p" || bad=$((bad + 1)); done
touch "$work/done"
wait $reader
checks=$((checks + 1))
[ $bad -eq 0 ] || fail "$bad of 8 concurrent imports failed: $(cat "$work"/p*.out)"
checks=$((checks + 1))
[ "$(runs "$db" | tr ' ' '\n' | sort | tr '\n' ' ')" = "p1 p2 p3 p4 p5 p6 p7 p8 " ] ||
	fail "concurrent imports: runs are '$(runs "$db")'"
checks=$((checks + 1))
[ ! -s "$work/reader.err" ] || fail "the reader saw a half-imported run"
checks=$((checks + 1))
grep -qx '[1-7]' "$work/seen" ||
	fail "the reader never looked while imports were landing: $(sort -u "$work/seen" | tr '\n' ' ')"
checks=$((checks + 1))
integrity "$db" || fail "integrity_check failed after concurrent imports"

echo "crash: $checks checks, $failures failed ($kills imports killed mid-way)"
[ $failures -eq 0 ]
