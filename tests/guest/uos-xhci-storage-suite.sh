# SPDX-License-Identifier: BSD-3-Clause
# The UOS side of tests/scenarios/uvm-xhci-outer-storage.sh: a usb-storage
# device of the outer QEMU's own xHCI, forwarded by lhv_xhci, under
# Linux's stock xhci_hcd and usb-storage: mkfs/fsck, a checksummed
# pattern, then unplugged while reads and writes run ("uos-unplug-now"
# asks the SOS to have the host do it) and plugged in again
# ("uos-plug-now"): the transfers fail, the disk goes, the controller
# lives, and the device comes back with the pattern intact.
#@ modules: xhci_pci xhci_hcd usbcore usb-storage sd_mod ext4 crc32c_generic
#@ tools: mkfs.ext4 e2fsck
#@ files: /etc/mke2fs.conf

# The forwarded device's sysfs directory: on root port 1 of either hub
# (a SuperSpeed device is on the USB 3 one, bus 2).
usb_dev() {
	local d
	for d in /sys/bus/usb/devices/[0-9]-1; do
		test -e "$d/idVendor" && echo "$d" && return 0
	done
	return 1
}

no_usb_disk() {
	! usb_disk
}

# Reads and writes of 1 MiB with O_DIRECT past the pattern until one fails.
io_until_error() {
	while dd if=/dev/urandom of="$1" bs=1M seek=32 count=8 oflag=direct 2>/dev/null &&
		dd if="$1" of=/dev/null bs=1M skip=32 count=8 iflag=direct 2>/dev/null; do
		:
	done
}

controller_ok() {
	! dmesg | grep -Ei 'HC died|not responding|halt failed|xHCI host controller not'
}

guest_main() {
	local disk io
	ok "modprobe xhci_pci" modprobe xhci_pci
	ok "the outer QEMU's usb-storage enumerates on a root port 1" \
		wait_for 30 usb_dev
	is "... QEMU's usb-storage (46f4:0001), SuperSpeed" \
		"$(cat "$(usb_dev)/idVendor"):$(cat "$(usb_dev)/idProduct") $(cat "$(usb_dev)/speed")" \
		"46f4:0001 5000"
	ok "modprobe usb-storage sd_mod" sh -c "modprobe usb-storage && modprobe sd_mod"
	ok "... a SCSI disk appears" wait_for 30 usb_disk
	disk=$(usb_disk)
	is "... of 64 MiB" "$(blockdev --getsize64 "$disk")" 67108864
	ok "mkfs.ext4 on it" mkfs.ext4 -q -F "$disk"
	ok "e2fsck -f finds it clean" e2fsck -fn "$disk"
	dd if=/dev/urandom of=/tmp/pat bs=1M count=8 2>/dev/null
	ok "write 8 MiB of random data" \
		dd if=/tmp/pat of="$disk" bs=1M seek=8 oflag=direct
	ok "... read back with the same checksum" sh -c "
		dd if=$disk bs=1M skip=8 count=8 iflag=direct 2>/dev/null |
			cmp - /tmp/pat"
	io_until_error "$disk" &
	io=$!
	sleep 2
	ok "reads and writes are running" kill -0 "$io"
	echo "uos-unplug-now" >/dev/ttyS0
	ok "unplugged during them: the disk goes" wait_for 60 no_usb_disk
	ok "... the transfers end with an error" wait_pid 30 "$io"
	ok "... the controller is fine" controller_ok
	echo "uos-plug-now" >/dev/ttyS0
	ok "plugged in again: it enumerates" wait_for 60 usb_dev
	ok "... its disk appears" wait_for 30 usb_disk
	disk=$(usb_disk)
	ok "... the pattern is intact" sh -c "
		dd if=$disk bs=1M skip=8 count=8 iflag=direct 2>/dev/null |
			cmp - /tmp/pat"
	ok "... mkfs.ext4 and e2fsck again" sh -c \
		"mkfs.ext4 -q -F $disk && e2fsck -fn $disk"
	ok "... still no controller failure" controller_ok
	dmesg | grep -iE 'usb|scsi|sd[a-z]|xhci' | tail -n 40 >/dev/ttyS0
	console_drain
}
