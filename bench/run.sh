#!/usr/bin/env bash
# bench/run.sh [SIZES...] - import throughput and memory, as ratios.
#
# These machines are noisy, so every figure is a ratio against a
# reference measured in the same run, on the same file:
#   xmllint   `xmllint --stream --noout` (libxml2's own streaming parse)
#   bare      bench/bare_loop.c: xmlTextReader + one INSERT per testcase in
#             one WAL transaction (the floor the issue describes)
# Each timing is the best of 3.  Reports are generated (bench/gen_report.c)
# in pytest and Surefire style; sizes are testcase counts (default
# 10000 100000 1000000).  BIG=1 also imports a ~500 MB report once and
# reports its peak RSS.  Nothing here is a test: it prints, never fails.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.ci/deps.sh"
TG_ROOT=$root
tg_install_deps
tg_build build-bench -DCMAKE_BUILD_TYPE=Release -DTRUEGREEN_TESTS=OFF
bin=$root/build-bench
work=$(mktemp -d "${TMPDIR:-/tmp}/tg-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
sizes=${*:-10000 100000 1000000}

# best3 CMD...: best wall time (s, from bash's microsecond clock) and the
# peak RSS (KiB, from GNU time) of that run
best3() {
	local best="" rss="" i t m start
	for i in 1 2 3; do
		rm -f "$work"/db*
		start=$EPOCHREALTIME
		/usr/bin/time -f "%M" -o "$work/time" "$@" >/dev/null 2>&1 || {
			echo "failed: $*" >&2
			return 1
		}
		t=$(awk "BEGIN{printf \"%.4f\", $EPOCHREALTIME - $start}")
		read -r m <"$work/time"
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then
			best=$t
			rss=$m
		fi
	done
	echo "$best $rss"
}

ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.2f\", $1 / $2; else print \"-\" }"; }

printf '%-9s %9s %8s | %-9s %7s %9s %10s %8s %7s %7s\n' style testcases MB \
	tool "time s" "MB/s" "cases/s" "RSS MiB" "×xmllint" "×bare"
for style in pytest surefire; do
	for n in $sizes; do
		f=$work/$style-$n.xml
		"$bin/bench/tg_gen_report" "$style" "$n" "$f"
		mb=$(awk "BEGIN{printf \"%.1f\", $(stat -c %s "$f") / 1048576}")
		read -r tx rx < <(best3 xmllint --stream --noout "$f")
		read -r tb rb < <(best3 "$bin/bench/tg_bare_loop" "$f" "$work/db")
		read -r td rd < <(best3 "$bin/truegreen" import --dry-run -q "$f")
		read -r ti ri < <(best3 "$bin/truegreen" --db "$work/db" import -q "$f")
		for row in "xmllint $tx $rx" "bare $tb $rb" "dry-run $td $rd" "import $ti $ri"; do
			set -- $row
			printf '%-9s %9s %8s | %-9s %7s %9s %10s %8s %7s %7s\n' \
				"$style" "$n" "$mb" "$1" "$2" \
				"$(awk "BEGIN{printf \"%.0f\", $mb / ($2 > 0 ? $2 : 0.001)}")" \
				"$(awk "BEGIN{printf \"%.0f\", $n / ($2 > 0 ? $2 : 0.001)}")" \
				"$(awk "BEGIN{printf \"%.1f\", $3 / 1024}")" \
				"$(ratio "$tx" "$2")" "$(ratio "$tb" "$2")"
		done
		echo "rss $style $n import $ri" >>"$work/rss"
		rm -f "$f"
	done
done

# Memory must stay flat: import RSS at the largest size minus the smallest.
for style in pytest surefire; do
	awk -v s="$style" '$2 == s { if (!min || $3 < min) { min = $3; a = $5 } if ($3 > max) { max = $3; b = $5 } }
		END { if (max) printf "rss growth %s: %d -> %d testcases: %.2f MiB (%.1f -> %.1f MiB)\n", s, min, max, (b - a) / 1024, a / 1024, b / 1024 }' "$work/rss"
done

if [ "${BIG:-0}" = 1 ]; then
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
