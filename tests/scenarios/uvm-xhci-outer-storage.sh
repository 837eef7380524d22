# SPDX-License-Identifier: BSD-3-Clause
# A USB device the outer QEMU attaches to its own xHCI ("ox"), forwarded
# by lhv_xhci to a UOS (issue 9): QEMU's usb-storage is a SuperSpeed
# device, so the SOS forwards its empty USB 3 port 1 and has the host
# hotplug a 64 MiB usb-storage device there
# (outer_qmp, "#@ qmp: on"). The UOS (tests/guest/uos-xhci-storage-suite.sh)
# runs mkfs/fsck and a checksummed pattern on it, then asks for it to be
# unplugged while it reads and writes, and plugged in again: the SOS
# relays both to the host when the UOS's console says so.
#@ kernels: 6.12 6.1
#@ check: 6.12
#@ smp: 2
#@ timeout: 300
#@ qmp: on
#@ qemu: -device qemu-xhci,id=ox
#@ modules: xhci_pci usb-storage

host_prepare() {
	local work=$1 kver=$2
	truncate -s 64M "$work/stick.img"
	uos_guest_files "$work" "$kver" \
		"$LHV_TOP/tests/guest/uos-xhci-storage-suite.sh"
	# A -blockdev node (not -drive) outlives device_del: plugged again.
	echo "-blockdev node-name=stick,driver=raw,file.driver=file,file.filename=$work/stick.img" \
		>"$work/qemu-args"
}

stick_add() {
	outer_qmp device_add '{"driver":"usb-storage","bus":"ox.0","port":"1","drive":"stick","id":"stick"}'
}

uos_says() { # wait up to $2 s for the line $1 on the UOS's console
	wait_for "$2" grep -q "^$1" /tmp/uos-console.log
}

guest_main() {
	local bus
	ok "modprobe lhv" modprobe lhv
	ok "lhvctl hv enable" lhvctl hv enable
	ok "create uos on CPU 1" lhvctl vm create uos --cpus 1 --mem 512M
	ok "modprobe xhci_pci (the outer QEMU's xHCI)" modprobe xhci_pci
	ok "modprobe usb-storage in the SOS" modprobe usb-storage
	ok "its USB 3 root hub" wait_for 10 usb_root_bus 5000
	bus=$(usb_root_bus 5000)
	ok "forward the empty port $bus-1 to the UOS" \
		lhvctl xhci add --vm uos --usb-port "$bus-1"
	stick_add
	ok "the host hotplugs usb-storage; the SOS enumerates it on $bus-1" \
		wait_for 30 test -e "/sys/bus/usb/devices/$bus-1/idVendor"
	not "... and binds no driver to it (the port is claimed)" \
		sh -c "ls /sys/bus/usb/devices/$bus-1/$bus-1:1.0/driver"
	uvm_box_start uos
	ok "the UOS asks for the unplug" uos_says uos-unplug-now 200
	outer_qmp device_del '{"id":"stick"}'
	ok "the SOS sees it go" wait_for 30 sh -c "! test -e /sys/bus/usb/devices/$bus-1"
	ok "the UOS asks for it again" uos_says uos-plug-now 60
	stick_add
	ok "the SOS sees it come back" \
		wait_for 30 test -e "/sys/bus/usb/devices/$bus-1/idVendor"
	uvm_box_finish uos 120
	ok "remove the controller" lhvctl xhci del --vm uos xhci0
	ok "the SOS gets the device back: usb-storage binds" wait_for 10 \
		test -e "/sys/bus/usb/devices/$bus-1/$bus-1:1.0/driver"
	ok "destroy the UOS" lhvctl vm destroy uos
	ok "rmmod lhv_xhci" rmmod lhv_xhci
	ok "lhvctl hv disable" lhvctl hv disable
}
