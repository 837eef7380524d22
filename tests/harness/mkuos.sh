#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# mkuos.sh <kver> <dir>: what a user VM boots in the tests and the box:
# <dir>/bzImage (Debian's kernel <kver>, from the harness's cache) and
# <dir>/uos-initrd.gz, a busybox initramfs whose /init mounts /proc and
# /dev, prints "lhv-uos: marker from the user VM" through the kernel log
# (the VM's console), times a 5 s sleep, reports its CPU (the static
# lhv-cpuid: signature and SVM bit) and then idles.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/harness/lib.sh"

kver=${1:?usage: mkuos.sh <kver> <dir>}
dir=${2:?usage: mkuos.sh <kver> <dir>}
kroot=$("$top/tests/harness/fetch-kernel.sh" "$kver" | tail -n 1)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$dir" "$stage/bin" "$stage/proc" "$stage/dev"
cp "$kroot/boot/vmlinuz-$kver" "$dir/bzImage"
cp /bin/busybox "$stage/bin/busybox"
# Static: the VM has no libc.
cc -static -O2 -D_GNU_SOURCE -I"$top/uapi" -o "$stage/bin/lhv-cpuid" \
	"$top/userspace/tools/lhv-cpuid.c"
cat >"$stage/init" <<'INIT'
#!/bin/busybox sh
say() { echo "lhv-uos: $*" >/dev/kmsg; }
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev
say "marker from the user VM"
say "sleeping 5 s"
/bin/busybox sleep 5
say "slept"
say "cpuid: $(/bin/lhv-cpuid | /bin/busybox head -n 1)"
/bin/busybox grep -qw svm /proc/cpuinfo && say "cpuinfo flags: svm" ||
	say "cpuinfo flags: no svm"
while :; do /bin/busybox sleep 3600; done
INIT
chmod +x "$stage/init"
(cd "$stage" && find . | cpio -o -H newc 2>/dev/null | gzip -9) >"$dir/uos-initrd.gz"
