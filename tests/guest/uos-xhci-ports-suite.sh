# SPDX-License-Identifier: BSD-3-Clause
# The UOS side of uvm-xhci-ports.sh and uvm-xhci-two.sh (packed as the
# scenario of the UOS's own initramfs): SOS USB ports assigned at run time
# to guest root ports of lhv_xhci's controller, each with a configfs
# mass-storage gadget of the SOS behind it. Stock xhci_hcd and usb-storage
# drive them. The SOS acts on markers this suite prints on the console
# ("@@<step> [value] .", the dot ending the line, so the SOS never
# reads one the console has sent only in part); this side sees the SOS's actions as devices going and
# coming. lhvtest.xhci= on the command line picks the part:
#   ports  two gadgets (serials lhv-a, lhv-b) on guest ports 1 and 2: data
#          on both, hotplug under load, release under load, the port
#          given again on guest port 3, then load until the SOS destroys
#          the VM (no poweroff: "@@suite-done" ends the results)
#   one    one gadget (serial from lhvtest.serial=) on the guest device
#          lhvtest.dev= names (1-1: USB 2 port 1; 2-1: USB 3 port 5, the
#          USB 3 root hub being bus 2): data written and read back, then
#          poweroff
#@ modules: xhci_pci xhci_hcd usbcore usb-storage sd_mod

xarg() { sed -n "s/.*lhvtest\\.$1=\\([^ ]*\\).*/\\1/p" /proc/cmdline; }

usb_dev() { # the guest's device on root port $1 (USB 2 root hub: bus 1)
	case $1 in
	*-*) echo "/sys/bus/usb/devices/$1" ;;
	*) echo "/sys/bus/usb/devices/1-$1" ;;
	esac
}

serial_on() { # the serial number of the device on root port $1
	cat "$(usb_dev "$1")/serial" 2>/dev/null
}

disk_on() { # the SCSI disk of the device on root port $1, as /dev/sdX
	local d dev=${1##*/}
	case $dev in *-*) ;; *) dev=1-$dev ;; esac
	for d in /sys/block/sd*; do
		readlink -f "$d/device" | grep -q "/$dev/" &&
			echo "/dev/${d##*/}" && return 0
	done
	return 1
}

gone() { ! test -e "$(usb_dev "$1")"; }

both_disks() { disk_on 1 && disk_on 2; }

# 2 MiB of random data written at 4 MiB on disk $1 and read back.
write_check() {
	dd if=/dev/urandom of=/tmp/pat bs=1M count=2 2>/dev/null &&
		dd if=/tmp/pat of="$1" bs=1M seek=4 oflag=direct 2>/dev/null &&
		dd if="$1" bs=1M skip=4 count=2 iflag=direct 2>/dev/null |
		cmp - /tmp/pat
}

region_sha() { # sha256 of the 2 MiB at 4 MiB of disk $1
	dd if="$1" bs=1M skip=4 count=2 iflag=direct 2>/dev/null |
		sha256sum | cut -d' ' -f1
}

# Endless direct I/O on disk $1 (w: write, r: read) until it fails.
load() {
	if [ "$2" = w ]; then
		while dd if=/dev/zero of="$1" bs=64k count=256 oflag=direct \
			2>/dev/null; do :; done
	else
		while dd if="$1" of=/dev/null bs=64k count=256 iflag=direct \
			2>/dev/null; do :; done
	fi
}

controller_up() {
	ok "modprobe xhci_pci" modprobe xhci_pci
	ok "modprobe usb-storage and sd_mod" sh -c \
		"modprobe usb-storage && modprobe sd_mod"
}

part_one() {
	local serial=$(xarg serial) dev=$(xarg dev) disk
	controller_up
	ok "the gadget enumerates as guest device $dev" \
		wait_for 30 test -e "$(usb_dev "$dev")/serial"
	is "... it is ours ($serial), not the other VM's" "$(serial_on "$dev")" \
		"$serial"
	[ "$dev" = "${dev#2-}" ] ||
		is "... at SuperSpeed on the USB 3 root port" \
			"$(cat "$(usb_dev "$dev")/speed")" 5000
	ok "... its disk appears" wait_for 30 disk_on "$dev"
	disk=$(disk_on "$dev")
	ok "2 MiB written and read back" write_check "$disk"
	echo "@@sha $(region_sha "$disk") ." >/dev/ttyS0
	not "no other device reached this VM" sh -c \
		"ls -d /sys/bus/usb/devices/[12]-* | grep -v -e : -e '/$dev\$'"
}

part_ports() {
	local a b pid marker
	controller_up
	ok "gadget lhv-a enumerates on root port 1" \
		wait_for 30 test -e "$(usb_dev 1)/serial"
	ok "gadget lhv-b (plugged in before it was assigned) on port 2" \
		wait_for 30 test -e "$(usb_dev 2)/serial"
	is "... port 1 has lhv-a" "$(serial_on 1)" lhv-a
	is "... port 2 has lhv-b" "$(serial_on 2)" lhv-b
	ok "both disks appear" wait_for 30 both_disks
	a=$(disk_on 1)
	b=$(disk_on 2)
	marker=$(dd if="$b" bs=1M skip=1 count=1 iflag=direct 2>/dev/null |
		head -c 16)
	is "lhv-b holds what the SOS wrote before assigning it" "$marker" \
		"lhv-b-sos-marker"
	ok "2 MiB written and read back on lhv-a" write_check "$a"
	ok "2 MiB written and read back on lhv-b" write_check "$b"
	echo "@@sha-b $(region_sha "$b") ." >/dev/ttyS0

	# Hotplug: the SOS unplugs lhv-a while it is written to.
	load "$a" w >/dev/null 2>&1 &
	pid=$!
	sleep 2
	echo "@@unplug-a ." >/dev/ttyS0
	ok "lhv-a goes away under load" wait_for 60 gone 1
	ok "... the writer ends (I/O errors, no hang)" wait_pid 30 "$pid"
	ok "lhv-a comes back when plugged in again" \
		wait_for 60 test -e "$(usb_dev 1)/serial"
	ok "... with a disk" wait_for 30 disk_on 1
	ok "... that works: 2 MiB written and read back" \
		write_check "$(disk_on 1)"

	# Release: the SOS takes lhv-b back while it is read.
	load "$b" r >/dev/null 2>&1 &
	pid=$!
	sleep 2
	echo "@@release-b ." >/dev/ttyS0
	ok "lhv-b goes when the SOS releases its port under load" \
		wait_for 60 gone 2
	ok "... the reader ends" wait_pid 30 "$pid"
	ok "the SOS assigns it again, to guest port 7: HS on port 3" \
		wait_for 90 test -e "$(usb_dev 3)/serial"
	is "... it is lhv-b" "$(serial_on 3)" lhv-b
	ok "... its disk appears" wait_for 30 disk_on 3
	echo "@@sha-b3 $(region_sha "$(disk_on 3)") ." >/dev/ttyS0
	not "no controller failure" sh -c \
		"dmesg | grep -Ei 'HC died|not responding|halt failed'"
	dmesg | grep -iE 'usb|xhci' | tail -n 30 >/dev/ttyS0

	# Load until the SOS destroys the VM.
	load "$(disk_on 1)" w >/dev/null 2>&1 &
	load "$(disk_on 3)" r >/dev/null 2>&1 &
	sleep 2
	echo "@@suite-done ." >/dev/ttyS0
	sleep 600
}

guest_main() {
	case $(xarg xhci) in
	ports) part_ports ;;
	*) part_one ;;
	esac
	echo "@@suite-done ." >/dev/ttyS0
}
