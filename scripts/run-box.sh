#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# run-box.sh: the main job on the embedded default. Boots the QEMU box
# (Debian's 6.12 kernel as the Service OS, with lhv's modules, lhvctl and
# the hypervisor image, and a 256 MiB scratch disk), runs
# scripts/box-guest.sh in it (hypervisor on, lhv_blk, lhv_heci and lhv_snd
# devices in use by the service VM, and a user VM on CPU 1 using its own
# through the hypervisor, scripts/box-uos.sh) and, on a terminal, leaves
# a shell there.
# Without a terminal (or with --batch) it powers off after the demo and
# exits non-zero if anything in it failed.
#
# Usage: scripts/run-box.sh [--batch] [--kernel 6.12|6.1]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/harness/lib.sh"

series=6.12 batch=0
[ -t 0 ] && [ -t 1 ] || batch=1
while [ $# -gt 0 ]; do
	case $1 in
	--batch) batch=1 ;;
	--kernel) series=$2; shift ;;
	-h | --help) sed -n '3,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
	shift
done

"$top/scripts/setup.sh" --check >/dev/null || "$top/scripts/setup.sh"
kver=$(kver_for_series "$series")
[ -n "$kver" ] || die "no linux-headers-$series.*-amd64 (scripts/setup.sh)"
make -s -C "$top" modules userspace hv KVER="$kver" >/dev/null
kroot=$("$top/tests/harness/fetch-kernel.sh" "$kver" | tail -n 1)

work=$LHV_OUT/box
mkdir -p "$work"
# The user VM's kernel and initramfs (the harness's, with
# scripts/box-uos.sh and lhv's modules for lhv_heci_fe), seen under /host
# in the box.
uos_guest_files "$work" "$kver" "$top/scripts/box-uos.sh" \
	"$LHV_OUT/kmod/$kver/kmod"
LHV_GUEST_FILES=$work/guest-files \
	LHV_EXTRA_TOOLS=$(scenario_field "$top/scripts/box-guest.sh" tools) \
	"$top/tests/harness/mkinitramfs.sh" "$kver" "$kroot" "$work/initrd.gz" \
	"$top/scripts/box-guest.sh" "$LHV_OUT/kmod/$kver/kmod"

shell=1
[ "$batch" = 1 ] && shell=0
echo "lhv box: Debian $kver as the Service OS under QEMU TCG (Ctrl-A X quits)"
truncate -s 256M "$work/disk.img"
qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 2G -M q35 -nodefaults \
	-display none -no-reboot -serial mon:stdio -serial null \
	-drive if=none,id=backing,format=raw,discard=unmap,file="$work/disk.img" \
	-device virtio-blk-pci,drive=backing,serial=lhv-backing \
	-kernel "$kroot/boot/vmlinuz-$kver" -initrd "$work/initrd.gz" \
	-append "console=ttyS0,115200 panic=-1 quiet lhvtest.mode=box lhvtest.shell=$shell $LHV_BOOT_HV_MEM" |
	tee "$work/console.log"
# Success: every step ok, the demo reached its end, and the kernel said
# nothing alarming (the same patterns the test harness fails on).
! grep -aq '^not ok' "$work/console.log" &&
	grep -aq 'lhv-harness: scenario end' "$work/console.log" &&
	! grep -aqE 'BUG:|kernel BUG at|WARNING:|Oops|general protection|Kernel panic' \
		"$work/console.log"
