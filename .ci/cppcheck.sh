#!/usr/bin/env bash
# .ci/cppcheck.sh - the static check .ci/run runs: cppcheck over src/
# with the warnings, portability and performance checks, failing on any
# finding.  cJSON's iteration macro is spelled out for it.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cppcheck --enable=warning,portability,performance --std=c11 --quiet \
	--error-exitcode=1 --inline-suppr --suppress=missingIncludeSystem \
	-D'cJSON_ArrayForEach(e,a)=for(e=(a)?(a)->child:0;e;e=e->next)' \
	-I "$root/include" -I "$root/src" "$root/src"
