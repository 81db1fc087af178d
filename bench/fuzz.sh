#!/usr/bin/env bash
# bench/fuzz.sh [SECONDS] - run every libFuzzer target for SECONDS
# (default 60) and print, per target, executions per second, coverage
# (edges) and crashes found.  Builds build-fuzz with clang and
# -DTRUEGREEN_FUZZ=ON (Debian's clang package).  Seeds come from
# tests/fuzz/corpus/TARGET; inputs libFuzzer finds go to a scratch copy,
# crashers to bench/fuzz-crashes/ (commit each, renamed after its bug,
# under tests/fuzz/corpus/TARGET/ so the replay keeps it fixed).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
command -v clang >/dev/null || { echo "bench/fuzz.sh needs clang: apt-get install clang"; exit 2; }
CC=clang cmake -S "$root" -B "$root/build-fuzz" -DTRUEGREEN_FUZZ=ON \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
make -C "$root/build-fuzz" -j"$(nproc)" >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/tg-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$root/bench/fuzz-crashes"
dict=$root/tests/fuzz/tokens.dict
printf '%-10s %8s %10s %8s %8s\n' target seconds execs/s edges crashes
for t in junit pytest reportlog netlog baseline rules; do
	mkdir -p "$work/$t"
	cp "$root/tests/fuzz/corpus/$t/"* "$work/$t/"
	ASAN_OPTIONS=detect_leaks=1 "$root/build-fuzz/tests/fuzz_$t" "$work/$t" \
		-max_total_time="$secs" -print_final_stats=1 -dict="$dict" \
		-artifact_prefix="$root/bench/fuzz-crashes/$t-" -timeout=10 \
		-rss_limit_mb=2048 >"$work/$t.log" 2>&1 || true
	execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$work/$t.log")
	edges=$(grep -o 'cov: [0-9]*' "$work/$t.log" | tail -1 | awk '{print $2}')
	crashes=$(ls "$root/bench/fuzz-crashes/" 2>/dev/null | grep -c "^$t-" || true)
	printf '%-10s %8s %10.0f %8s %8s\n' "$t" "$secs" \
		"$(awk "BEGIN{print ${execs:-0} / $secs}")" "${edges:-?}" "$crashes"
done
