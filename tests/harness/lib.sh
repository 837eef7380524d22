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

# The hv memory every QEMU box reserves at boot (memmap=, as a product's
# bootloader would) and names to lhv.ko through the guest's init.
LHV_HV_MEM_SIZE=4M
LHV_HV_MEM_ADDR=0x20000000
LHV_BOOT_HV_MEM="memmap=$LHV_HV_MEM_SIZE\$$LHV_HV_MEM_ADDR lhvtest.hvmem=$LHV_HV_MEM_SIZE@$LHV_HV_MEM_ADDR"

# For a uvm-* scenario's host_prepare: the UOS's kernel and initramfs (the
# harness's own, with inner suite $3 and the tools in LHV_EXTRA_TOOLS) in
# $1/guest-files, where the service VM finds them as /host/bzImage and
# /host/uos-initrd.gz.
uos_guest_files() { # work kver suite
	local g=$1/guest-files kroot
	mkdir -p "$g"
	kroot=$("$LHV_TOP/tests/harness/fetch-kernel.sh" "$2" | tail -n 1)
	cp "$kroot/boot/vmlinuz-$2" "$g/bzImage"
	LHV_GUEST_FILES= "$LHV_TOP/tests/harness/mkinitramfs.sh" "$2" \
		"$kroot" "$g/uos-initrd.gz" "$3"
}
