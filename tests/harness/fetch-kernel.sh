#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# fetch-kernel.sh <kver>: download Debian's kernel image package matching
# the installed headers with `apt-get download` and unpack it into the cache
# (never installed on this machine). Prints the unpacked root directory.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kver=${1:?usage: fetch-kernel.sh <kernel release>}
root=$LHV_CACHE/kernels/$kver
if [ -e "$root/.complete" ]; then
	echo "$root"
	exit 0
fi

rm -rf "$root"
mkdir -p "$root/deb"
download() {
	(cd "$root/deb" && apt-get download -q "linux-image-$kver" >/dev/null 2>&1) ||
		(cd "$root/deb" && apt-get download -q "linux-image-$kver-unsigned" >/dev/null 2>&1)
}
# Package lists may be missing or older than the installed headers.
download || { apt-get update -qq >&2 && download; } ||
	die "cannot download linux-image-$kver with apt-get: is the archive reachable, and does it still carry that release? If Debian moved on, upgrade the headers (apt-get install linux-headers-6.12-amd64 linux-headers-amd64) so both match"
for deb in "$root"/deb/*.deb; do
	dpkg-deb -x "$deb" "$root"
done
rm -rf "$root/deb"
[ -f "$root/boot/vmlinuz-$kver" ] || die "no vmlinuz-$kver in the package"
# modules.dep is made at install time; make it for the unpacked tree.
depmod -b "$root" "$kver"
touch "$root/.complete"
echo "$root"
