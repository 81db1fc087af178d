# bench/lib.sh - sourced by every bench script after it sets root (the
# checkout): installs what is missing (.ci/deps.sh) and builds an
# optimised tree without tests in build-bench.
. "$root/.ci/deps.sh"
TG_ROOT=$root
tg_install_deps
tg_build build-bench -DCMAKE_BUILD_TYPE=Release -DTRUEGREEN_TESTS=OFF
