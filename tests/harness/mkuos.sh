#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# mkuos.sh <kver> <dir>: what a user VM boots in the tests and the box:
# <dir>/bzImage (Debian's kernel <kver>, or 6.12 for a 6.1 SOS: uos_kver in
# lib.sh; from the harness's cache) and
# <dir>/uos-initrd.gz, a busybox initramfs whose /init mounts /proc and
# /dev, prints "lhv-uos: marker from the user VM" through the kernel log
# (the VM's console), times a 5 s sleep, reports its CPU (the static
# lhv-cpuid: signature and SVM bit), starts a shell on the console
# (ttyS0: lhvctl vm send types into it) and then idles. It also loads the
# pvpanic modules (pvpanic-mmio binds the DSDT's QEMU0001 device) and
# starts the lifecycle agent on /dev/ttyS1 (tests/harness/uos-agent.sh,
# docs/uvm.md); busybox poweroff/reboot signal /init, which stops the
# rest and powers off or resets through ACPI.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/harness/lib.sh"

kver=${1:?usage: mkuos.sh <kver> <dir>}
dir=${2:?usage: mkuos.sh <kver> <dir>}
kver=$(uos_kver "$kver")
kroot=$("$top/tests/harness/fetch-kernel.sh" "$kver" | tail -n 1)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$dir" "$stage/bin" "$stage/proc" "$stage/dev" "$stage/sys"
cp "$kroot/boot/vmlinuz-$kver" "$dir/bzImage"
cp /bin/busybox "$stage/bin/busybox"
# Static: the VM has no libc.
cc -static -O2 -D_GNU_SOURCE -I"$top/uapi" -o "$stage/bin/lhv-cpuid" \
	"$top/userspace/tools/lhv-cpuid.c"
cp "$top/tests/harness/uos-agent.sh" "$stage/bin/lhv-agent"
chmod +x "$stage/bin/lhv-agent"

# add_module <name>: the module and what it depends on, per the unpacked
# tree's modules.dep, decompressed (busybox insmod takes plain .ko) into
# /lib/modules, each listed after its dependencies in load-order.
moddir=$kroot/lib/modules/$kver
mkdir -p "$stage/lib/modules"
: >"$stage/lib/modules/load-order"
add_module() {
	local path dep f
	path=$(grep -E "(^|/)$1\.ko(\.xz|\.zst|\.gz)?:" "$moddir/modules.dep" |
		cut -d: -f1 | head -n 1)
	[ -n "$path" ] || return 0 # built in, or not built: nothing to load
	for dep in $(grep -E "^$path:" "$moddir/modules.dep" | cut -d: -f2-); do
		add_module "$(basename "${dep%%.ko*}")"
	done
	f=$(basename "${path%%.ko*}").ko
	grep -qx "$f" "$stage/lib/modules/load-order" && return 0
	case $path in
	*.xz) xz -dc "$moddir/$path" ;;
	*.zst) zstd -qdc "$moddir/$path" ;;
	*.gz) gzip -dc "$moddir/$path" ;;
	*) cat "$moddir/$path" ;;
	esac >"$stage/lib/modules/$f"
	echo "$f" >>"$stage/lib/modules/load-order"
}
add_module pvpanic-mmio

cat >"$stage/init" <<'INIT'
#!/bin/busybox sh
say() { echo "lhv-uos: $*" >/dev/kmsg; }
# Applet links, for the console shell's commands (reboot, ...).
/bin/busybox --install -s /bin
export PATH=/bin
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox mount -t sysfs sys /sys
# busybox poweroff, reboot and halt signal PID 1 (USR2, TERM, USR1): stop
# everything else, then ask the kernel (ACPI S5, or the reset register).
going_down() {
	say "going down: $1"
	/bin/busybox kill -TERM -1 2>/dev/null
	/bin/busybox sleep 1
	/bin/busybox sync
	/bin/busybox "$1" -f
}
trap 'going_down poweroff' USR2
trap 'going_down reboot' TERM
trap 'going_down halt' USR1
while read -r m; do
	/bin/busybox insmod "/lib/modules/$m" && say "loaded $m" ||
		say "cannot load $m"
done </lib/modules/load-order
bound="no device"
for d in /sys/bus/platform/drivers/pvpanic-mmio/*:*; do
	[ -e "$d" ] && bound=${d##*/}
done
say "pvpanic-mmio: $bound"
/bin/lhv-agent /dev/ttyS1 &
say "marker from the user VM"
say "sleeping 5 s"
/bin/busybox sleep 5
say "slept"
say "cpuid: $(/bin/lhv-cpuid | /bin/busybox head -n 1)"
/bin/busybox grep -qw svm /proc/cpuinfo && say "cpuinfo flags: svm" ||
	say "cpuinfo flags: no svm"
# A shell on the console (COM1, polled): what the SOS types with
# lhvctl vm send runs here. setsid first, so that opening ttyS0 makes it
# the shell's controlling terminal; the line is printed once it is open,
# so input sent after it is not lost when the port starts.
/bin/busybox setsid /bin/busybox sh -c \
	'exec </dev/ttyS0 >/dev/ttyS0 2>&1
	echo "lhv-uos: shell on the console"
	exec /bin/busybox sh -i' &
# In the background: the traps run while wait waits, not after an hour.
while :; do
	/bin/busybox sleep 3600 &
	wait $!
done
INIT
chmod +x "$stage/init"
(cd "$stage" && find . | cpio -o -H newc 2>/dev/null | gzip -9) >"$dir/uos-initrd.gz"
