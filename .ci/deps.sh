# Sourced by .ci/demo and .ci/test: install what is missing, or say how.
# Every dependency is a Debian package; nothing is downloaded otherwise.
TG_PACKAGES="cmake make gcc pkg-config libxml2-dev libsqlite3-dev \
libcjson-dev libpcre2-dev libcmocka-dev libxml2-utils python3 python3-jsonschema python3-rfc3987 python3-pytest python3-pytest-xdist \
python3-pytest-rerunfailures python3-httpx python3-aiohttp python3-websockets chromium cppcheck time"

tg_install_deps() {
	local missing=() p
	for p in $TG_PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "truegreen needs: ${missing[*]}" >&2
		echo "run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
		return 1
	fi
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# tg_build DIR [CMAKE ARGS...]
tg_build() {
	local dir=$1
	shift
	cmake -S "$TG_ROOT" -B "$TG_ROOT/$dir" "$@" >/dev/null &&
		cmake --build "$TG_ROOT/$dir" -j "$(nproc)"
}
