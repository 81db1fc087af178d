#!/usr/bin/env bash
# bench/netlog.sh [N] - the overhead of `truegreen record`, as ratios of
# the same work without it, measured in the same run (median of 5):
#   connect loop  N connect()+accept() on 127.0.0.1 (bench/connect_loop.c),
#                 every call recorded: the worst case
#   pytest        the tests/fixtures/record suite, a real pytest run
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
bin=$root/build-bench
n=${1:-20000}
work=$(mktemp -d "${TMPDIR:-/tmp}/tg-netlog.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$root/tests/fixtures/record" "$work/suite"
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
secs() { local s=$EPOCHREALTIME; "$@" >/dev/null 2>&1; awk "BEGIN{print $EPOCHREALTIME - $s}"; }
: >"$work/loop"
: >"$work/py"
for r in 1 2 3 4 5; do
	a=$(secs "$bin/bench/tg_connect_loop" "$n")
	b=$(secs "$bin/truegreen" record --output "$work/n.jsonl" -- "$bin/bench/tg_connect_loop" "$n")
	rm -f "$work/n.jsonl"
	echo "$a $b" >>"$work/loop"
	c=$(cd "$work/suite" && secs /usr/bin/python3 -m pytest -q -p no:cacheprovider test_record.py)
	d=$(cd "$work/suite" && secs "$bin/truegreen" record --output "$work/p.jsonl" -- /usr/bin/python3 -m pytest -q -p no:cacheprovider test_record.py)
	rm -f "$work/p.jsonl"
	echo "$c $d" >>"$work/py"
done
la=$(awk '{print $1}' "$work/loop" | median)
lb=$(awk '{print $2}' "$work/loop" | median)
lr=$(awk '{print $2 / $1}' "$work/loop" | median)
pa=$(awk '{print $1}' "$work/py" | median)
pb=$(awk '{print $2}' "$work/py" | median)
pr=$(awk '{print $2 / $1}' "$work/py" | median)
printf 'connect loop, %s connects: %.3f s bare, %.3f s recorded: %.2fx (%.1f us per recorded connect)\n' \
	"$n" "$la" "$lb" "$lr" "$(awk "BEGIN{print ($lb - $la) / $n * 1e6}")"
printf 'pytest (tests/fixtures/record): %.3f s bare, %.3f s recorded: %.2fx\n' "$pa" "$pb" "$pr"
