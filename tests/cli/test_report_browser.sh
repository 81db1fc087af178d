#!/usr/bin/env bash
# test_report_browser.sh TRUEGREEN SAMPLES - the HTML test-health report
# in a real headless browser (Debian's chromium): it renders, with its
# charts, and asks for nothing from the network (every host name is
# made unresolvable, and the page must still be whole).
set -u
tg=$1
samples=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/tg-browser.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v chromium >/dev/null || fail "chromium is not installed (.ci/deps.sh installs it)"
db=$work/h.db
for r in healthy-1 healthy-2 healthy-3 service-down broken-import; do
	"$tg" --db "$db" import -q --run "$r" "$samples/runs/$r" >/dev/null || fail "import $r"
done
"$tg" --db "$db" report --output "$work/report.html" || fail "report"
browse() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$work/profile" "$@" \
		2>"$work/chromium.err"
}
browse --dump-dom "file://$work/report.html" >"$work/dom.html" || fail "chromium: $(tail -3 "$work/chromium.err")"
for want in '<svg role="img"' '<polyline' '<rect' 'Runs and outcomes' 'Import-chain failures' \
	'harness.unified_e2e_harness' '</html>'; do
	grep -qF -- "$want" "$work/dom.html" || fail "the rendered page lacks '$want'"
done
browse --screenshot="$work/shot.png" --window-size=1000,2000 "file://$work/report.html" >/dev/null ||
	fail "chromium screenshot: $(tail -3 "$work/chromium.err")"
[ "$(stat -c %s "$work/shot.png")" -gt 20000 ] || fail "the screenshot is (nearly) empty"
echo "report_browser: rendered, $(stat -c %s "$work/shot.png") byte screenshot"
