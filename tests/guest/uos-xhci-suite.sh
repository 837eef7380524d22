# SPDX-License-Identifier: BSD-3-Clause
# The lhv_xhci suite as a user VM runs it (tests/scenarios/uvm-xhci.sh
# packs this file as the scenario of the UOS's own initramfs): Linux's
# stock xhci_pci and xhci_hcd drive the emulated xHCI controller that
# lhv_xhci serves from the Service OS through the hv's ioreq path, and
# usb-storage drives the SOS's mass-storage gadget forwarded through it.
# The results go to the UOS console (lhvtest.mode=box), where the SOS
# reads them.
#@ modules: xhci_pci xhci_hcd usbcore usb-storage sd_mod ext4 crc32c_generic
#@ tools: mkfs.ext4 e2fsck
#@ files: /etc/mke2fs.conf

xhci_fn() { # the sysfs directory of the first xHCI PCI function
	local d
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/class")" = 0x0c0330 ] && echo "$d" && return 0
	done
	return 1
}

root_hub() { # the root hub of speed $1 (480 or 5000)
	local d
	for d in /sys/bus/usb/devices/usb*; do
		[ "$(cat "$d/speed" 2>/dev/null)" = "$1" ] && echo "$d" && return 0
	done
	return 1
}

usb_disk() { # the SCSI disk of the forwarded USB device, as /dev/sdX
	local d
	for d in /sys/block/sd*; do
		readlink -f "$d/device" | grep -q /usb && echo "/dev/${d##*/}" && return 0
	done
	return 1
}

both_hubs() {
	root_hub 480 && root_hub 5000
}

guest_main() {
	local fn hub2 hub3 disk
	fn=$(xhci_fn)
	match "an xHCI function (class 0c0330) on the virtual PCI bus" \
		"$fn" "/0000:00:[0-9a-f]{2}\.0$"
	is "its vendor:device" "$(cat "$fn/vendor"):$(cat "$fn/device")" \
		0x1b36:0x000d
	ok "modprobe xhci_pci" modprobe xhci_pci
	ok "xhci_hcd binds to it" wait_for 10 test -e "$fn/driver"
	match "... the driver is xhci_hcd" "$(readlink "$fn/driver")" \
		"/xhci_hcd$"
	ok "a USB 2 root hub appears" wait_for 10 root_hub 480
	ok "a USB 3 root hub appears" wait_for 10 root_hub 5000
	hub2=$(root_hub 480)
	hub3=$(root_hub 5000)
	is "the USB 2 root hub has 4 ports" "$(cat "$hub2/maxchild")" 4
	is "the USB 3 root hub has 4 ports" "$(cat "$hub3/maxchild")" 4
	is "HCI version 1.10" \
		"$(dmesg | sed -n 's/.*hci version 0x\([0-9a-f]*\).*/\1/p' | head -n 1)" \
		110
	match "MSI-X: xhci_hcd has vectors, no INTx" \
		"$(grep -c xhci_hcd /proc/interrupts)" "^[1-9]"
	not "the controller never died or stopped responding" \
		sh -c "dmesg | grep -Ei 'HC died|not responding|halt failed|xHCI host controller not'"
	ok "the forwarded gadget enumerates on root port 1" \
		wait_for 20 test -e /sys/bus/usb/devices/1-1/idVendor
	is "... its vendor:product, read through the SOS" \
		"$(cat /sys/bus/usb/devices/1-1/idVendor):$(cat /sys/bus/usb/devices/1-1/idProduct)" \
		1d6b:0104
	is "... configured (SET_CONFIGURATION through the SOS)" \
		"$(cat /sys/bus/usb/devices/1-1/bConfigurationValue)" 1
	ok "usb-storage binds to it" modprobe usb-storage
	ok "sd_mod for its disk (nothing loads modules on demand here)" \
		modprobe sd_mod
	ok "... a SCSI disk appears" wait_for 30 usb_disk
	disk=$(usb_disk)
	is "... of 16 MiB" "$(blockdev --getsize64 "$disk")" 16777216
	ok "write 4 MiB of random data and read it back" sh -c "
		dd if=/dev/urandom of=/tmp/pat bs=1M count=4 2>/dev/null &&
		dd if=/tmp/pat of=$disk bs=1M seek=8 oflag=direct 2>/dev/null &&
		dd if=$disk bs=1M skip=8 count=4 iflag=direct 2>/dev/null |
			cmp - /tmp/pat"
	ok "mkfs.ext4 on it" mkfs.ext4 -q -F "$disk"
	ok "e2fsck -f finds it clean" e2fsck -fn "$disk"
	ok "unbind xhci_hcd (halts and resets the controller)" \
		sh -c "echo ${fn##*/} >/sys/bus/pci/drivers/xhci_hcd/unbind"
	ok "bind it again (HCRST, rings set up anew)" \
		sh -c "echo ${fn##*/} >/sys/bus/pci/drivers/xhci_hcd/bind"
	ok "... both root hubs come back" wait_for 10 both_hubs
	ok "... the gadget enumerates again" \
		wait_for 20 test -e /sys/bus/usb/devices/1-1/idVendor
	not "... still no controller failure" \
		sh -c "dmesg | grep -Ei 'HC died|not responding|halt failed|xHCI host controller not'"
	# The kernel's view of the USB side, for the record.
	dmesg | grep -iE 'usb|scsi|sd[a-z]|xhci' | tail -n 40 >/dev/ttyS0
	console_drain
}
