#!/usr/bin/env bash
# bench/analyze.sh [SIZES...] - how `analyze` scales with the size of a
# run.  For each size (tests per run; default 5000 50000), a store of 8
# runs of that suite (bench/gen_history.py), then the last run analyzed
# with the history of the others, timed against `tests --run latest`
# (listing the same run: every row of it read once) in the same round.
# A linear or n log n analysis keeps its ratio as the run grows; a
# quadratic one multiplies it by the growth.  Then a console log whose
# session failed to collect 30,000 modules: `analyze` against `import`
# of the same log.  Median of 3 rounds.  Prints, never fails.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
tg=$root/build-bench/truegreen
work=$(mktemp -d "${TMPDIR:-/tmp}/tg-analyze.XXXXXX")
trap 'rm -rf "$work"' EXIT

timed() { # timed CMD... - print its wall seconds
	local t0=$EPOCHREALTIME
	"$@" >/dev/null || true # analyze exits 1 on findings
	awk "BEGIN{print $EPOCHREALTIME - $t0}"
}
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

printf '%-28s %10s %10s %8s\n' case reference analyze ratio
one() { # one NAME REF-CMD -- ANALYZE-CMD
	local name=$1 ref=() an=() r
	shift
	while [ "$1" != -- ]; do ref+=("$1"); shift; done
	shift
	an=("$@")
	: >"$work/rounds"
	for r in 1 2 3; do
		echo "$(timed "${ref[@]}") $(timed "${an[@]}")" >>"$work/rounds"
	done
	printf '%-28s %10.3f %10.3f %8.2f\n' "$name" \
		"$(awk '{print $1}' "$work/rounds" | median)" \
		"$(awk '{print $2}' "$work/rounds" | median)" \
		"$(awk '{print ($1 > 0 ? $2 / $1 : 0)}' "$work/rounds" | median)"
}

for n in ${*:-5000 50000}; do
	db=$work/h$n.db
	/usr/bin/python3 "$root/bench/gen_history.py" "$db" 8 "$n" "$tg" >/dev/null
	one "history, $n tests" "$tg" --db "$db" tests --run latest --format json \
		-- "$tg" --db "$db" analyze --format json
	rm -f "$db"*
done

# a session that collected nothing: 30,000 modules failed to import
/usr/bin/python3 - "$work/collect.log" <<'EOF'
import sys
n = 30000
with open(sys.argv[1], "w") as f:
    f.write("=== test session starts ===\nplatform linux -- Python 3.11.2, "
            "pytest-7.2.1, pluggy-1.0.0\nrootdir: /src\n")
    f.write(f"collected 0 items / {n} errors\n\n=== ERRORS ===\n")
    for i in range(n):
        f.write(f"___ ERROR collecting tests/test_m{i}.py ___\n"
                f"ImportError while importing test module "
                f"'/src/tests/test_m{i}.py'.\nTraceback:\n"
                f"tests/test_m{i}.py:1: in <module>\n    import harness\n"
                "E   ModuleNotFoundError: No module named 'harness'\n")
    f.write(f"!!! Interrupted: {n} errors during collection !!!\n"
            f"=== {n} errors in 3.21s ===\n")
EOF
db=$work/c.db
"$tg" --db "$db" import -q "$work/collect.log" >/dev/null
one "30,000 collection errors" "$tg" --db "$work/c2.db" import --dry-run -q "$work/collect.log" \
	-- "$tg" --db "$db" analyze --format json
