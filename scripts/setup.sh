#!/usr/bin/env bash
# Installs every build and test dependency of lhv with apt. Idempotent: when
# everything is present it only checks and returns in a second or two.
# Usage: scripts/setup.sh [--check]   (--check: report what is missing, install nothing)
set -euo pipefail

check_only=0
[ "${1:-}" = "--check" ] && check_only=1

# Debian 6.12 is the primary kernel; 6.1 (linux-headers-amd64) must build too.
packages=(
	build-essential bc bison flex libelf-dev kmod pkg-config
	linux-headers-6.12-amd64 linux-headers-amd64
	dkms libmnl-dev libmbedtls-dev libcmocka-dev
	clang llvm libclang-rt-14-dev
	busybox-static cpio rsync zstd xz-utils fio e2fsprogs fdisk util-linux
	sparse clang-format alsa-utils acpica-tools pciutils
	openssl xxd # hv-seed and vm load tests sign and compute on the host
)
qemu_pkg=qemu-system-x86

missing() {
	local p out=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			out+=("$p")
	done
	echo "${out[@]:-}"
}

# The URI of the machine's own Debian bookworm apt source.
debian_uri() {
	local uri=""
	if [ -r /etc/apt/sources.list.d/debian.sources ]; then
		uri=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ { print u; exit }' \
			/etc/apt/sources.list.d/debian.sources)
	fi
	if [ -z "$uri" ] && [ -r /etc/apt/sources.list ]; then
		uri=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list)
	fi
	if [ -z "$uri" ]; then
		echo "setup: no Debian bookworm apt source found" >&2
		return 1
	fi
	echo "$uri"
}

# bookworm-backports carries QEMU 10 (x2APIC under TCG). The apt source is
# derived from the machine's own Debian entry, so no mirror is hard-coded.
add_backports() {
	local list=/etc/apt/sources.list.d/lhv-backports.sources
	[ -e "$list" ] && return 0
	local uri
	uri=$(debian_uri) || {
		echo "setup: QEMU comes from bookworm" >&2
		return 1
	}
	cat >"$list" <<SRC
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	echo "setup: added bookworm-backports from the existing Debian source"
}

qemu_ok() {
	command -v qemu-system-x86_64 >/dev/null 2>&1
}

# The hv links a few mbedtls 2.28 files built with its own freestanding
# flags (hv/Makefile), so it needs the source, not Debian's hosted
# library: Debian's source package, unpacked into a cache, never into the
# tree. LHV_CACHE moves the cache (as for the test kernels).
cache=${LHV_CACHE:-$HOME/.cache/lhv}
mbedtls_dir=$cache/src/mbedtls
mbedtls_ok() {
	grep -qs '^#define MBEDTLS_VERSION_STRING *"2\.28\.' \
		"$mbedtls_dir/include/mbedtls/version.h"
}

# A deb-src entry for bookworm main, derived like add_backports.
add_deb_src() {
	local list=/etc/apt/sources.list.d/lhv-src.sources
	[ -e "$list" ] && return 0
	local uri
	uri=$(debian_uri) || return 1
	cat >"$list" <<SRC
Types: deb-src
URIs: $uri
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	echo "setup: added a bookworm deb-src entry from the existing Debian source"
}

# Fetches Debian's mbedtls source package (after apt-get update) and
# unpacks the upstream tarball into $mbedtls_dir.
fetch_mbedtls() {
	local dl=$cache/src/download orig
	mkdir -p "$dl"
	(cd "$dl" && apt-get source --download-only -qq mbedtls) || return 1
	orig=$(ls "$dl"/mbedtls_2.28.*.orig.tar.* 2>/dev/null | sort -V | tail -n 1)
	[ -n "$orig" ] || { echo "setup: no mbedtls 2.28 source in $dl" >&2; return 1; }
	rm -rf "$mbedtls_dir" "$mbedtls_dir.tmp"
	mkdir -p "$mbedtls_dir.tmp"
	tar -xf "$orig" -C "$mbedtls_dir.tmp" --strip-components=1
	mv "$mbedtls_dir.tmp" "$mbedtls_dir"
	mbedtls_ok || { echo "setup: $orig is not mbedtls 2.28" >&2; return 1; }
	echo "setup: mbedtls source in $mbedtls_dir ($(basename "$orig"))"
}

want=$(missing "${packages[@]}")
if [ -z "$want" ] && qemu_ok && mbedtls_ok; then
	echo "setup: all dependencies present ($(qemu-system-x86_64 --version | head -n1))"
	exit 0
fi
lacking="${want:-} $(qemu_ok || echo "$qemu_pkg") $(mbedtls_ok || echo "mbedtls-2.28-source($mbedtls_dir)")"
if [ "$check_only" = 1 ]; then
	echo "setup: missing: $lacking"
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "setup: must run as root to install: $lacking" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
have_bpo=0
add_backports && have_bpo=1
mbedtls_ok || add_deb_src || true
if ! apt-get update -qq; then
	# An unreachable backports suite must not block the rest.
	if [ "$have_bpo" = 1 ]; then
		echo "setup: apt-get update failed; retrying without bookworm-backports"
		rm -f /etc/apt/sources.list.d/lhv-backports.sources
		have_bpo=0
	fi
	apt-get update -qq
fi
# shellcheck disable=SC2086
[ -n "$want" ] && apt-get install -y -qq --no-install-recommends $want

if ! qemu_ok; then
	if [ "$have_bpo" = 1 ] &&
		apt-get install -y -qq --no-install-recommends -t bookworm-backports "$qemu_pkg"; then
		:
	else
		echo "setup: QEMU 10 from bookworm-backports not available; using bookworm's QEMU (no x2APIC under TCG)"
		apt-get install -y -qq --no-install-recommends "$qemu_pkg"
	fi
fi
mbedtls_ok || fetch_mbedtls || {
	echo "setup: could not fetch the mbedtls 2.28 source the hv needs" >&2
	exit 1
}
echo "setup: done ($(qemu-system-x86_64 --version | head -n1))"
