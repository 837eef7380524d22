#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# mkinitramfs.sh <kver> <kernel root> <out.cpio.gz> <scenario> <module dir>...
#
# Builds the busybox initramfs of one QEMU scenario: busybox, the guest init
# and TAP helpers, the scenario, lhvctl and the test tools with their shared
# libraries, hv/lhv.bin as firmware lhv/lhv.bin, lhv's modules (every .ko
# under the module dirs, in extra/) and the stock modules the scenario names
# with "#@ modules:", with their dependencies. Modules are stored
# uncompressed so busybox modprobe loads them on every kernel.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kver=$1 kroot=$2 out=$3 scenario=$4
shift 4

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,run,etc,lib/modules/"$kver"/extra}
cp /bin/busybox "$stage/bin/busybox"
cp "$LHV_TOP/tests/harness/guest-init.sh" "$stage/init"
cp "$LHV_TOP/tests/guest/tap.sh" "$stage/lib/tap.sh"
# Helpers of the audio and xHCI scenarios (sourced by them, not the init).
cp "$LHV_TOP/tests/guest/snd.sh" "$stage/lib/snd.sh"
cp "$LHV_TOP/tests/guest/usb-gadget.sh" "$stage/lib/usb-gadget.sh"
cp "$scenario" "$stage/scenario.sh"
chmod +x "$stage/init"

# Our binaries and their shared libraries (resolved on this machine, which
# runs the same Debian release as the guest's userland would).
copy_with_libs() { # binary [destination folder, default /bin]
	local bin=$1 dest=${2:-/bin} lib
	mkdir -p "$stage$dest"
	cp "$bin" "$stage$dest/"
	for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
	done
}
for bin in "$LHV_TOP"/userspace/lhvctl/lhvctl "$LHV_TOP"/userspace/tools/*; do
	[ -x "$bin" ] && [ -f "$bin" ] && copy_with_libs "$bin"
done
for tool in ${LHV_EXTRA_TOOLS:-}; do
	path=$(command -v "$tool") || { echo "no $tool on this machine" >&2; exit 1; }
	# In /usr/bin, first in the guest's PATH. Debian's busybox shell runs
	# its own applets before searching PATH, so a scenario names a tool
	# that busybox also has by its full path (/usr/bin/blkdiscard).
	copy_with_libs "$path" /usr/bin
done
for file in $(scenario_field "$scenario" files); do
	mkdir -p "$stage$(dirname "$file")"
	cp -L "$file" "$stage$file"
done

# The hypervisor image, where lhv.ko's request_firmware looks for it.
if [ -f "$LHV_TOP/hv/lhv.bin" ]; then
	mkdir -p "$stage/lib/firmware/lhv"
	cp "$LHV_TOP/hv/lhv.bin" "$stage/lib/firmware/lhv/lhv.bin"
fi

# Files a scenario's host_prepare left for the guest appear under /host.
[ -d "${LHV_GUEST_FILES:-}" ] && cp -a "$LHV_GUEST_FILES" "$stage/host"

# lhv's own modules and any test modules.
unpack_module() { # source destination-without-compression-suffix
	case $1 in
	*.xz) xz -dc "$1" >"$2" ;;
	*.zst) zstd -qdc "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}
for dir in "$@"; do
	find "$dir" -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' |
		while read -r ko; do
			base=$(basename "$ko")
			unpack_module "$ko" "$stage/lib/modules/$kver/extra/${base%.ko*}.ko"
		done
done

# Stock modules our modules link against (on 6.1, lhv.ko needs virtio and
# virtio_ring, which are modules there), so every scenario can load them.
ours=" $(find "$stage/lib/modules/$kver/extra" -name '*.ko' -printf '%f ' | sed 's/\.ko / /g')"
stock_deps=
for ko in "$stage/lib/modules/$kver/extra"/*.ko; do
	[ -e "$ko" ] || continue
	for dep in $(modinfo -F depends "$ko" | tr ',' ' '); do
		case $ours in *" $dep "*) ;; *) stock_deps="$stock_deps $dep" ;; esac
	done
done

# Stock modules the scenario asks for, with what they depend on.
for mod in $(scenario_field "$scenario" modules) $stock_deps; do
	modprobe -d "$kroot" -S "$kver" --show-depends "$mod" |
		awk '$1 == "insmod" { print $2 }' |
		while read -r path; do
			rel=${path#"$kroot"}
			mkdir -p "$stage$(dirname "$rel")"
			unpack_module "$path" "$stage${rel%.ko*}.ko"
		done
done
cp "$kroot/lib/modules/$kver/modules.builtin"* "$stage/lib/modules/$kver/" 2>/dev/null || true
cp "$kroot/lib/modules/$kver/modules.order" "$stage/lib/modules/$kver/" 2>/dev/null || true
depmod -b "$stage" "$kver"

(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out"
