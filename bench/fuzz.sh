#!/usr/bin/env bash
# bench/fuzz.sh [-j JOBS] [SECONDS] [TARGET...] - run each libFuzzer
# target (default: all) for SECONDS (default 60), JOBS targets at a time
# (default 1), and print, per target, executions, executions per second,
# coverage (edges) and the crashes found in this run.
#
# Builds build-fuzz with clang and -DTRUEGREEN_FUZZ=ON (Debian's clang
# package).  Seeds come from tests/fuzz/corpus/TARGET; inputs libFuzzer
# finds go to a scratch copy, crashers to bench/fuzz-crashes/ (commit
# each, renamed after its bug, under tests/fuzz/corpus/TARGET/ so the
# replay in CTest keeps it fixed).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=1
if [ "${1:-}" = -j ]; then
	jobs=$2
	shift 2
fi
secs=${1:-60}
[ $# -gt 0 ] && shift
all="junit pytest reportlog netlog baseline rules cli"
targets=${*:-$all}
command -v clang >/dev/null || { echo "bench/fuzz.sh needs clang: apt-get install clang"; exit 2; }
CC=clang cmake -S "$root" -B "$root/build-fuzz" -DTRUEGREEN_FUZZ=ON \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
make -C "$root/build-fuzz" -j"$(nproc)" >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/tg-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
crashes=$root/bench/fuzz-crashes
mkdir -p "$crashes"
dict=$root/tests/fuzz/tokens.dict

count_crashes() { # count_crashes TARGET
	find "$crashes" -maxdepth 1 -name "$1-*" | wc -l
}

run_one() { # run_one TARGET
	local t=$1 extra=
	mkdir -p "$work/$t"
	cp "$root/tests/fuzz/corpus/$t/"* "$work/$t/"
	count_crashes "$t" >"$work/$t.before"
	# the CLI reports every usage error on stderr: libFuzzer keeps its
	# own output (and the sanitizers') on a copy of it and drops the rest
	[ "$t" = cli ] && extra=-close_fd_mask=2
	ASAN_OPTIONS=detect_leaks=1 "$root/build-fuzz/tests/fuzz_$t" "$work/$t" \
		-max_total_time="$secs" -print_final_stats=1 -dict="$dict" \
		-artifact_prefix="$crashes/$t-" -timeout=10 \
		-rss_limit_mb=2048 $extra >"$work/$t.log" 2>&1 || true
}

for t in $targets; do
	[ -x "$root/build-fuzz/tests/fuzz_$t" ] || { echo "no fuzz target '$t' (targets: $all)"; exit 2; }
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n || true
	done
	run_one "$t" &
done
wait

printf '%-10s %8s %12s %9s %7s %8s\n' target seconds execs execs/s edges crashes
for t in $targets; do
	execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$work/$t.log")
	edges=$(grep -o 'cov: [0-9]*' "$work/$t.log" | tail -1 | awk '{print $2}')
	found=$(($(count_crashes "$t") - $(cat "$work/$t.before")))
	printf '%-10s %8s %12s %9.0f %7s %8s\n' "$t" "$secs" "${execs:-?}" \
		"$(awk "BEGIN{print ${execs:-0} / $secs}")" "${edges:-?}" "$found"
	# libFuzzer stops at the first crash: the run was shorter than
	# asked, and its crasher may since have been moved out of the way
	if [ "$found" -gt 0 ] || grep -q -E '^SUMMARY: ' "$work/$t.log"; then
		echo "    stopped at a crash:"
		grep -m1 -E 'ERROR: |SUMMARY: ' "$work/$t.log" | sed 's/^/    /' || true
	fi
done
