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
	sparse clang-format alsa-utils acpica-tools openssl
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

# bookworm-backports carries QEMU 10 (x2APIC under TCG). The apt source is
# derived from the machine's own Debian entry, so no mirror is hard-coded.
add_backports() {
	local list=/etc/apt/sources.list.d/lhv-backports.sources
	[ -e "$list" ] && return 0
	local uri=""
	if [ -r /etc/apt/sources.list.d/debian.sources ]; then
		uri=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ { print u; exit }' \
			/etc/apt/sources.list.d/debian.sources)
	fi
	if [ -z "$uri" ] && [ -r /etc/apt/sources.list ]; then
		uri=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list)
	fi
	if [ -z "$uri" ]; then
		echo "setup: no Debian bookworm apt source found; QEMU comes from bookworm" >&2
		return 1
	fi
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

want=$(missing "${packages[@]}")
if [ -z "$want" ] && qemu_ok; then
	echo "setup: all dependencies present ($(qemu-system-x86_64 --version | head -n1))"
	exit 0
fi
if [ "$check_only" = 1 ]; then
	echo "setup: missing: ${want:-} $(qemu_ok || echo "$qemu_pkg")"
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "setup: must run as root to install: ${want:-} $(qemu_ok || echo "$qemu_pkg")" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
have_bpo=0
add_backports && have_bpo=1
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
echo "setup: done ($(qemu-system-x86_64 --version | head -n1))"
