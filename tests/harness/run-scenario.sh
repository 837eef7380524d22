#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# run-scenario.sh <scenario file> <kernel series>
#
# Boots one scenario in QEMU on one Debian kernel and judges it. A scenario
# fails on a "not ok" TAP line, a missing or unmet plan, a timeout, a guest
# that dies before the end, or any kernel BUG/WARNING/Oops/general
# protection/unreferenced object/panic in the guest log. A scenario marked
# "#@ expect: caught:<why>" is a test of the harness itself: it passes only
# when the harness fails it for exactly that reason.
#
# Environment: LHV_SHELL=1 attaches the guest console to this terminal and
# leaves a shell after the scenario (no timeout); LHV_KEEP=1 keeps logs of
# passing runs too (they are always kept under out/scenarios/).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

scenario=${1:?usage: run-scenario.sh <scenario.sh> <series>}
series=${2:?usage: run-scenario.sh <scenario.sh> <series>}
name=$(basename "$scenario" .sh)
label="$name [$series]"
# LHV_HV=1: the same scenario with the Service OS under the hypervisor
# (lhv.ko enables it whenever it loads). LHV_SMP=<n>: on n CPUs.
suffix="" variant=""
if [ "${LHV_HV:-0}" = 1 ]; then
	suffix=-hv variant=", hv"
fi
if [ -n "${LHV_SMP:-}" ]; then
	suffix="$suffix-smp$LHV_SMP" variant="$variant, smp $LHV_SMP"
fi
label="$name [$series$variant]"

kver=$(kver_for_series "$series")
[ -n "$kver" ] || die "no linux-headers-$series.*-amd64 installed: run scripts/setup.sh"
kroot=$("$LHV_TOP/tests/harness/fetch-kernel.sh" "$kver" | tail -n 1) || exit 1

work=$LHV_OUT/scenarios/$name-$series$suffix
rm -rf "$work"
mkdir -p "$work"

timeout_s=$(scenario_field "$scenario" timeout)
timeout_s=${timeout_s:-180}
smp=$(scenario_field "$scenario" smp)
smp=${LHV_SMP:-$smp}
mem=$(scenario_field "$scenario" mem)
expect=$(scenario_field "$scenario" expect)
expect=${expect:-pass}
extra_qemu=$(scenario_field "$scenario" qemu)
extra_cmdline=$(scenario_field "$scenario" cmdline)
[ "${LHV_HV:-0}" = 1 ] && extra_cmdline="$extra_cmdline lhvtest.hv=1"
# make check's short run (LHV_QUICK=1): a scenario may leave a part out.
[ "${LHV_QUICK:-0}" = 1 ] && extra_cmdline="$extra_cmdline lhvtest.quick=1"

start=$(date +%s)
elapsed() { echo "$(($(date +%s) - start))s"; }

# Host-side preparation, if the scenario has any. It may choose the module
# directories packed into the guest by writing them to $work/module-dirs,
# leave files for the guest (seen there under /host) in $work/guest-files,
# and add QEMU arguments naming its files in $work/qemu-args.
# Not inside an if condition: there set -e would be ignored, and a failed
# command in host_prepare would go unnoticed.
(
	set -e
	. "$scenario"
	if declare -F host_prepare >/dev/null; then
		host_prepare "$work" "$kver" >"$work/host.log" 2>&1
	fi
)
prepare_rc=$?
if [ "$prepare_rc" != 0 ]; then
	echo "FAIL $label $(elapsed): host_prepare failed"
	tail -n 30 "$work/host.log" | sed 's/^/  | /'
	exit 1
fi
if [ -f "$work/qemu-args" ]; then
	extra_qemu="$extra_qemu $(cat "$work/qemu-args")"
fi
if [ -f "$work/module-dirs" ]; then
	mapfile -t moddirs <"$work/module-dirs"
else
	moddirs=("$LHV_OUT/kmod/$kver/kmod" "$LHV_OUT/kmod/$kver/tests/kmod")
fi

LHV_GUEST_FILES=$work/guest-files \
	LHV_EXTRA_TOOLS=$(scenario_field "$scenario" tools) \
	"$LHV_TOP/tests/harness/mkinitramfs.sh" "$kver" "$kroot" "$work/initrd.gz" \
	"$scenario" "${moddirs[@]}" >"$work/initramfs.log" 2>&1 || {
	echo "FAIL $label $(elapsed): initramfs build failed"
	tail -n 20 "$work/initramfs.log" | sed 's/^/  | /'
	exit 1
}

# "#@ disk: <size>" gives the box a scratch disk (virtio-blk, serial
# lhv-backing, /dev/disk/by-id/virtio-lhv-backing without udev: the
# scenario finds it by serial in sysfs), backed by a sparse file here.
disk_size=$(scenario_field "$scenario" disk)
if [ -n "$disk_size" ]; then
	truncate -s "$disk_size" "$work/disk.img"
	extra_qemu="$extra_qemu -drive if=none,id=backing,format=raw,discard=unmap,file=$work/disk.img"
	extra_qemu="$extra_qemu -device virtio-blk-pci,drive=backing,serial=lhv-backing"
fi

# "#@ qmp: on": QEMU's QMP monitor on the FIFOs $work/qmp.in and .out,
# driven by qmp-relay.sh from "lhv-qmp: <command> <JSON>" lines the guest
# prints on its console (hotplug and unplug of the outer QEMU's devices,
# docs/testing.md).
qmp=$(scenario_field "$scenario" qmp)
if [ "$qmp" = on ]; then
	mkfifo "$work/qmp.in" "$work/qmp.out"
	extra_qemu="$extra_qemu -chardev pipe,id=lhvqmp,path=$work/qmp -mon chardev=lhvqmp,mode=control"
fi

# Every box reserves hv memory at boot as a product would (docs/hv.md); the
# guest's init tells lhv.ko where (options lhv hv_mem=...).
cmdline="console=ttyS0,115200 panic=-1 lhvtest.mode=test $LHV_BOOT_HV_MEM $extra_cmdline"
qemu=(qemu-system-x86_64 -accel tcg -cpu max -smp "${smp:-2}" -m "${mem:-2G}"
	-M q35 -nodefaults -display none -no-reboot
	-kernel "$kroot/boot/vmlinuz-$kver" -initrd "$work/initrd.gz")
if [ "${LHV_SHELL:-0}" = 1 ]; then
	# shellcheck disable=SC2086
	exec "${qemu[@]}" -append "$cmdline lhvtest.shell=1" -serial mon:stdio \
		-serial file:"$work/tap.log" $extra_qemu
fi
# shellcheck disable=SC2086
timeout -k 10 "$timeout_s" "${qemu[@]}" -append "$cmdline" \
	-serial file:"$work/console.log" -serial file:"$work/tap.log" \
	$extra_qemu >"$work/qemu.log" 2>&1 &
qemu_pid=$!
relay_pid=""
if [ "$qmp" = on ]; then
	"$LHV_TOP/tests/harness/qmp-relay.sh" "$work" "$qemu_pid" &
	relay_pid=$!
fi
wait "$qemu_pid"
qemu_rc=$?
[ -n "$relay_pid" ] && wait "$relay_pid"

# Host-side checks after the run, if the scenario has any: host_check
# <work dir> looks at what the guest left outside (a wav file the outer
# QEMU wrote, qmp.log); its output goes to $work/host-check.log, a
# failure fails the scenario (class host).
host_rc=0
(
	set -e
	. "$scenario"
	if declare -F host_check >/dev/null; then
		host_check "$work" >"$work/host-check.log" 2>&1
	fi
)
host_rc=$?

# The verdict: the first reason found, most fundamental first.
why="" class=""
kernel_bad='BUG:|kernel BUG at|WARNING:|Oops|general protection|unreferenced object|Kernel panic'
if [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; then
	class=timeout why="timed out after ${timeout_s}s"
elif bad=$(grep -aE "$kernel_bad" "$work/console.log" | head -n 1) && [ -n "$bad" ]; then
	class=kernel why="kernel: ${bad//$'\r'/}"
elif [ "$qemu_rc" != 0 ]; then
	class=qemu why="qemu exited with status $qemu_rc: $(head -c 300 "$work/qemu.log")"
elif ! grep -aq 'lhv-harness: scenario end' "$work/console.log"; then
	class=died why="the guest stopped before the scenario ended"
else
	tr -d '\r' <"$work/tap.log" >"$work/tap.txt"
	planned=$(grep -aEm1 '^1\.\.[0-9]+' "$work/tap.txt" | cut -d. -f3)
	ran=$(grep -acE '^(not )?ok [0-9]+' "$work/tap.txt")
	failed=$(grep -acE '^not ok [0-9]+' "$work/tap.txt")
	if [ -z "$planned" ]; then
		class=plan why="no TAP plan"
	elif [ "$failed" != 0 ]; then
		class=fail why="$failed of $ran tests not ok: $(grep -aEm1 '^not ok' "$work/tap.txt")"
	elif [ "$planned" != "$ran" ] || [ "$ran" = 0 ]; then
		class=plan why="planned $planned tests, ran $ran"
	elif [ "$host_rc" != 0 ]; then
		class=host why="host_check: $(tail -n 1 "$work/host-check.log")"
	fi
fi
# What host_check found, for the record.
if [ -s "$work/host-check.log" ]; then
	sed 's/^/  host| /' "$work/host-check.log"
fi

show_tail() {
	echo "  | ---- $work/console.log (tail)"
	tail -n "${1:-40}" "$work/console.log" | tr -d '\r' | sed 's/^/  | /'
}

case $expect in
pass)
	if [ -z "$class" ]; then
		echo "PASS $label $(elapsed) ($ran tests)"
		exit 0
	fi
	echo "FAIL $label $(elapsed): $why"
	show_tail 40
	exit 1
	;;
caught:*)
	if [ "$class" = "${expect#caught:}" ]; then
		echo "PASS $label $(elapsed) (harness caught it: $why)"
		exit 0
	fi
	echo "FAIL $label $(elapsed): expected the harness to catch '${expect#caught:}', got '${class:-pass}' ${why}"
	show_tail 20
	exit 1
	;;
*)
	die "$scenario: unknown expect '$expect'"
	;;
esac
