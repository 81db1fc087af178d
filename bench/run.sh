#!/usr/bin/env bash
# bench/run.sh [SIZES...] - import throughput and memory, as ratios.
#
# These machines are noisy, so every figure is a ratio against a
# reference measured in the same run, on the same file:
#   xmllint   `xmllint --stream --noout` (libxml2's own streaming parse)
#   bare      bench/bare_loop.c: xmlTextReader + one INSERT per testcase in
#             one WAL transaction (the floor the issue describes)
# The four commands run interleaved, ROUNDS times (default 5); each round
# gives its own ratios, and the median round's are printed, so a burst of
# load on the machine moves one round, not the figure.  Reports are
# generated (bench/gen_report.c) in pytest and Surefire style; sizes are
# testcase counts (default 10000 100000 1000000).  A "steady" row imports
# the next run of the same suite into a database that holds the previous
# one, as a CI step does against its history (test names already known),
# timed against xmllint in the same round (STEADY_ROUNDS, default 3).
# BIG=1 also imports a ~500 MB report once and reports its peak RSS.
# Nothing here is a test: it prints, never fails.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
bin=$root/build-bench
work=$(mktemp -d "${TMPDIR:-/tmp}/tg-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
sizes=${*:-10000 100000 1000000}

rounds=${ROUNDS:-5}

# timed CMD...: wall time (s, bash's microsecond clock) and peak RSS (KiB,
# GNU time) of one run, as "t rss"
timed() {
	local start m
	rm -f "$work"/db*
	start=$EPOCHREALTIME
	/usr/bin/time -f "%M" -o "$work/time" "$@" >/dev/null 2>&1 || {
		echo "failed: $*" >&2
		return 1
	}
	read -r m <"$work/time"
	echo "$(awk "BEGIN{printf \"%.4f\", $EPOCHREALTIME - $start}") $m"
}

# median of the numbers on stdin
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

printf '%-9s %9s %8s | %-9s %7s %9s %10s %8s %7s %7s\n' style testcases MB \
	tool "time s" "MB/s" "cases/s" "RSS MiB" "×xmllint" "×bare"
echo "(median of $rounds interleaved rounds; RSS: the largest)"
for style in pytest surefire; do
	for n in $sizes; do
		f=$work/$style-$n.xml
		"$bin/bench/tg_gen_report" "$style" "$n" "$f"
		mb=$(awk "BEGIN{printf \"%.1f\", $(stat -c %s "$f") / 1048576}")
		: >"$work/rounds"
		for r in $(seq "$rounds"); do
			read -r tx rx < <(timed xmllint --stream --noout "$f")
			read -r tb rb < <(timed "$bin/bench/tg_bare_loop" "$f" "$work/db")
			read -r td rd < <(timed "$bin/truegreen" import --dry-run -q "$f")
			read -r ti ri < <(timed "$bin/truegreen" --db "$work/db" import -q "$f")
			echo "$tx $rx $tb $rb $td $rd $ti $ri" >>"$work/rounds"
		done
		# per tool: median time, max RSS, median of per-round ratios
		col() { awk -v c="$1" '{print $c}' "$work/rounds" | median; }
		maxcol() { awk -v c="$1" 'm < $c {m = $c} END {print m}' "$work/rounds"; }
		rat() { awk -v a="$1" -v b="$2" '{print ($b > 0 ? $a / $b : 0)}' "$work/rounds" | median; }
		ri=$(maxcol 8)
		for row in "xmllint 1 2" "bare 3 4" "dry-run 5 6" "import 7 8"; do
			set -- $row
			t=$(col "$2")
			printf '%-9s %9s %8s | %-9s %7s %9s %10s %8s %7.2f %7.2f\n' \
				"$style" "$n" "$mb" "$1" "$t" \
				"$(awk "BEGIN{printf \"%.0f\", $mb / ($t > 0 ? $t : 0.001)}")" \
				"$(awk "BEGIN{printf \"%.0f\", $n / ($t > 0 ? $t : 0.001)}")" \
				"$(awk "BEGIN{printf \"%.1f\", $(maxcol "$3") / 1024}")" \
				"$(rat 1 "$2")" "$(rat 3 "$2")"
		done
		echo "rss $style $n import $ri" >>"$work/rss"
		# steady: run 1 into a database holding run 0
		"$bin/bench/tg_gen_report" "$style" "$n" "$f.1" 1
		: >"$work/steady"
		for r in $(seq "${STEADY_ROUNDS:-3}"); do
			rm -f "$work"/hist.db*
			"$bin/truegreen" --db "$work/hist.db" import -q "$f" >/dev/null
			read -r tx rx < <(timed xmllint --stream --noout "$f.1")
			read -r ts rs < <(timed "$bin/truegreen" --db "$work/hist.db" import -q "$f.1")
			echo "$tx $ts $rs" >>"$work/steady"
		done
		t=$(awk '{print $2}' "$work/steady" | median)
		printf '%-9s %9s %8s | %-9s %7s %9s %10s %8s %7.2f %7s\n' \
			"$style" "$n" "$mb" steady "$t" \
			"$(awk "BEGIN{printf \"%.0f\", $mb / ($t > 0 ? $t : 0.001)}")" \
			"$(awk "BEGIN{printf \"%.0f\", $n / ($t > 0 ? $t : 0.001)}")" \
			"$(awk 'm < $3 {m = $3} END {printf "%.1f", m / 1024}' "$work/steady")" \
			"$(awk '{print ($2 > 0 ? $1 / $2 : 0)}' "$work/steady" | median)" -
		rm -f "$f" "$f.1" "$work"/hist.db*
	done
done

# Memory must stay flat: import RSS at the largest size minus the smallest.
for style in pytest surefire; do
	awk -v s="$style" '$2 == s { if (!min || $3 < min) { min = $3; a = $5 } if ($3 > max) { max = $3; b = $5 } }
		END { if (max) printf "rss growth %s: %d -> %d testcases: %.2f MiB (%.1f -> %.1f MiB)\n", s, min, max, (b - a) / 1024, a / 1024, b / 1024 }' "$work/rss"
done

# pytest console logs (bench/gen_log.c): import and dry-run throughput,
# with `wc -l` (a bare streaming read of the same file) as the reference.
# Two styles: -v (console), whose progress lines name every test, and -q
# (console-q), whose FAILURES and PASSES titles are resolved only by the
# short summary at the end.
echo
printf '%-9s %9s %8s | %-9s %7s %9s %10s %8s %7s\n' log testcases MB \
	tool "time s" "MB/s" "cases/s" "RSS MiB" "×wc -l"
for style in ${LOG_STYLES:-v q}; do
for n in ${LOG_SIZES:-100000 1000000}; do
	f=$work/console-$n.log
	label=console
	[ "$style" = q ] && label=console-q
	"$bin/bench/tg_gen_log" "$n" "$f" 0 "$style"
	mb=$(awk "BEGIN{printf \"%.1f\", $(stat -c %s "$f") / 1048576}")
	: >"$work/rounds"
	for r in $(seq "${LOG_ROUNDS:-3}"); do
		read -r tw rw < <(timed wc -l "$f")
		read -r td rd < <(timed "$bin/truegreen" import --dry-run -q "$f")
		read -r ti ri < <(timed "$bin/truegreen" --db "$work/db" import -q "$f")
		echo "$tw $rw $td $rd $ti $ri" >>"$work/rounds"
	done
	col() { awk -v c="$1" '{print $c}' "$work/rounds" | median; }
	maxcol() { awk -v c="$1" 'm < $c {m = $c} END {print m}' "$work/rounds"; }
	rat() { awk -v a="$1" -v b="$2" '{print ($b > 0 ? $a / $b : 0)}' "$work/rounds" | median; }
	for row in "wc-l 1 2" "dry-run 3 4" "import 5 6"; do
		set -- $row
		t=$(col "$2")
		printf '%-9s %9s %8s | %-9s %7s %9s %10s %8s %7.3f\n' \
			"$label" "$n" "$mb" "$1" "$t" \
			"$(awk "BEGIN{printf \"%.0f\", $mb / ($t > 0 ? $t : 0.001)}")" \
			"$(awk "BEGIN{printf \"%.0f\", $n / ($t > 0 ? $t : 0.001)}")" \
			"$(awk "BEGIN{printf \"%.1f\", $(maxcol "$3") / 1024}")" \
			"$(rat 1 "$2")"
	done
	rm -f "$f"
done
done

if [ "${BIG:-0}" = 1 ]; then
	# a 1 GB console log: 50000 tests with long captured logs; memory
	# follows the tests, not the bytes
	f=$work/big.log
	"$bin/bench/tg_gen_log" 50000 "$f" 850
	mb=$(awk "BEGIN{printf \"%.0f\", $(stat -c %s "$f") / 1048576}")
	rm -f "$work"/db*
	/usr/bin/time -f "%e %M" -o "$work/time" "$bin/truegreen" --db "$work/db" import -q "$f" >/dev/null
	read -r t m <"$work/time"
	printf 'big log: %s MB, 50000 tests: import %.1f s (%.0f MB/s), peak RSS %.1f MiB\n' \
		"$mb" "$t" "$(awk "BEGIN{print $mb/$t}")" "$(awk "BEGIN{print $m/1024}")"
	rm -f "$f"

	f=$work/big.xml
	"$bin/bench/tg_gen_report" surefire 2300000 "$f"
	mb=$(awk "BEGIN{printf \"%.0f\", $(stat -c %s "$f") / 1048576}")
	rm -f "$work"/db*
	/usr/bin/time -f "%e %M" -o "$work/time" "$bin/truegreen" --db "$work/db" import -q "$f" >/dev/null
	read -r t m <"$work/time"
	/usr/bin/time -f "%e %M" -o "$work/time" xmllint --stream --noout "$f"
	read -r tx mx <"$work/time"
	printf 'big report: %s MB, 2300000 testcases: import %.1f s, peak RSS %.1f MiB (xmllint --stream %.1f s, %.1f MiB)\n' \
		"$mb" "$t" "$(awk "BEGIN{print $m/1024}")" "$tx" "$(awk "BEGIN{print $mx/1024}")"
fi
