# SPDX-License-Identifier: BSD-3-Clause
# Test of the harness: the box's QEMU has an xHCI of its own ("#@ qemu:")
# and the guest hotplugs and unplugs a usb-storage device of that QEMU
# through the QMP relay ("#@ qmp: on", outer_qmp); host_check then finds
# both commands answered in qmp.log.
#@ kernels: 6.12
#@ timeout: 120
#@ qmp: on
#@ qemu: -device qemu-xhci,id=ox
#@ modules: xhci_pci usb-storage sd_mod

host_prepare() {
	local work=$1
	truncate -s 8M "$work/stick.img"
	echo "-drive if=none,id=stick,format=raw,file=$work/stick.img" \
		>"$work/qemu-args"
}

guest_main() {
	plan 6
	ok "modprobe xhci_pci" modprobe xhci_pci
	ok "modprobe usb-storage sd_mod" sh -c "modprobe usb-storage && modprobe sd_mod"
	not "no USB disk yet" usb_disk
	outer_qmp device_add '{"driver":"usb-storage","bus":"ox.0","port":"1","drive":"stick","id":"stick"}'
	ok "the hotplugged device's disk appears" wait_for 30 usb_disk
	is "... of 8 MiB" "$(blockdev --getsize64 "$(usb_disk)")" 8388608
	outer_qmp device_del '{"id":"stick"}'
	ok "... and goes after device_del" wait_for 30 sh -c '! ls -d /sys/block/sd* 2>/dev/null'
}

host_check() {
	local work=$1
	# qmp_capabilities, device_add, device_del: three replies, no error.
	grep -q '^> {"execute":"device_del"' "$work/qmp.log"
	[ "$(grep -c '^< {"return"' "$work/qmp.log")" = 3 ]
	! grep -q '"error"' "$work/qmp.log"
	echo "qmp.log: 3 commands answered"
}
