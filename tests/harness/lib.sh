# SPDX-License-Identifier: BSD-3-Clause
# Shared helpers of the QEMU test harness (sourced, not run).

LHV_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LHV_CACHE=${LHV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lhv}
LHV_OUT=${LHV_OUT:-$LHV_TOP/out}

die() {
	echo "harness: $*" >&2
	exit 1
}

# Map a kernel series ("6.12", "6.1") to the installed Debian headers'
# release string, e.g. 6.12.117+deb12-amd64. Prints nothing if absent.
kver_for_series() {
	ls -d /usr/src/linux-headers-"$1".*-amd64 2>/dev/null |
		sed 's|.*/linux-headers-||' | sort -V | tail -n 1
}

# The series of a release string: 6.12.117+deb12-amd64 -> 6.12
series_of() {
	echo "$1" | cut -d. -f1-2
}

# Default kernel series the scenarios run on, primary first.
LHV_KERNELS=${KERNELS:-"6.12 6.1"}

# Read a "#@ key: value" header field of a scenario file.
scenario_field() {
	sed -n "s/^#@ $2: *//p" "$1" | head -n 1
}

# The kernel a user VM boots on an SOS running <kver>: that one, but
# Debian's 6.12 under a 6.1 SOS. Our VMs have an x2APIC only, locked on;
# 6.1 turns x2APIC off when it finds no interrupt remapping, keeps the
# lock, and then oopses reading the xAPIC page (docs/uvm.md).
uos_kver() { # sos kver
	if [ "$(series_of "$1")" = 6.1 ]; then
		kver_for_series 6.12
	else
		echo "$1"
	fi
}

# What a user VM boots when a scenario's UOS runs a suite of its own:
# Debian's kernel (uos_kver of the SOS's <kver>) and the harness's
# initramfs with <suite> (its "#@ tools:" packed too), in
# <work>/guest-files, which the SOS sees as /host (bzImage,
# uos-initrd.gz). Module dirs, if any, add lhv's modules (given for the
# SOS's kver, taken for the UOS's); LHV_UOS_FILES names a folder the UOS
# itself then sees under /host.
uos_guest_files() { # work kver suite [module dir...]
	local g=$1/guest-files sos=$2 kver suite=$3 kroot d
	local -a mods=()
	kver=$(uos_kver "$sos")
	shift 3
	for d in "$@"; do
		mods+=("${d//\/kmod\/$sos\//\/kmod\/$kver\/}")
	done
	mkdir -p "$g"
	kroot=$("$LHV_TOP/tests/harness/fetch-kernel.sh" "$kver" | tail -n 1)
	cp "$kroot/boot/vmlinuz-$kver" "$g/bzImage"
	LHV_GUEST_FILES=${LHV_UOS_FILES:-} \
		LHV_EXTRA_TOOLS=$(scenario_field "$suite" tools) \
		"$LHV_TOP/tests/harness/mkinitramfs.sh" "$kver" "$kroot" \
		"$g/uos-initrd.gz" "$suite" "${mods[@]}"
}

# The hv memory every QEMU box reserves at boot (memmap=, as a product's
# bootloader would) and names to lhv.ko through the guest's init.
LHV_HV_MEM_SIZE=4M
LHV_HV_MEM_ADDR=0x20000000
LHV_BOOT_HV_MEM="memmap=$LHV_HV_MEM_SIZE\$$LHV_HV_MEM_ADDR lhvtest.hvmem=$LHV_HV_MEM_SIZE@$LHV_HV_MEM_ADDR"

