# SPDX-License-Identifier: BSD-3-Clause
# Conformance of lhv_xhci against Linux's own USB host test driver: the SOS
# runs dummy_hcd with a configfs Gadget Zero (0525:a4a0; SourceSink as
# configuration 1, Loopback as configuration 2, both from usb_f_ss_lb,
# mod63 data pattern) and forwards the dummy bus's port to a UOS, whose
# stock xhci_hcd and usbtest drive it; tests/guest/uos-xhci-usbtest-suite.sh
# runs usbtest's control, bulk, scatter-gather, unlink, halt and toggle
# tests there with lhv-testusb (userspace/tools/), one TAP line per test,
# relayed here from the UOS console.
#@ kernels: 6.12
#@ smp: 2
#@ timeout: 600
#@ modules: dummy_hcd configfs libcomposite usb_f_ss_lb

host_prepare() {
	uos_guest_files "$1" "$2" "$LHV_TOP/tests/guest/uos-xhci-usbtest-suite.sh"
}

# Gadget Zero as g_zero builds it, through configfs: SourceSink first,
# Loopback second, both checking and sending the mod63 pattern.
gadget_zero_up() {
	local g=/sys/kernel/config/usb_gadget/zero
	modprobe libcomposite && modprobe usb_f_ss_lb || return 1
	is_mounted /sys/kernel/config ||
		mount -t configfs none /sys/kernel/config || return 1
	mkdir "$g" "$g/strings/0x409" "$g/configs/c.1" "$g/configs/c.2" \
		"$g/functions/SourceSink.0" "$g/functions/Loopback.0" || return 1
	echo 0x0525 >"$g/idVendor"
	echo 0xa4a0 >"$g/idProduct"
	echo lhv-usbtest >"$g/strings/0x409/serialnumber"
	echo 1 >"$g/functions/SourceSink.0/pattern"
	ln -s "$g/functions/SourceSink.0" "$g/configs/c.1/"
	ln -s "$g/functions/Loopback.0" "$g/configs/c.2/"
	ls /sys/class/udc | head -n 1 >"$g/UDC"
}

guest_main() {
	local bus
	ok "modprobe lhv" modprobe lhv
	ok "lhvctl hv enable" lhvctl hv enable
	ok "create uos on CPU 1" lhvctl vm create uos --cpus 1 --mem 512M
	ok "modprobe dummy_hcd" modprobe dummy_hcd
	wait_for 10 dummy_bus >/dev/null
	bus=$(dummy_bus)
	match "its root hub" "$bus" "^[0-9]+$"
	ok "forward port $bus-1 to a controller" \
		lhvctl xhci add --vm uos --usb-port "$bus-1"
	ok "plug Gadget Zero in" gadget_zero_up
	ok "the SOS enumerates it on $bus-1" \
		wait_for 10 test -e "/sys/bus/usb/devices/$bus-1/idVendor"
	is "... as 0525:a4a0" \
		"$(cat "/sys/bus/usb/devices/$bus-1/idVendor"):$(cat "/sys/bus/usb/devices/$bus-1/idProduct")" \
		0525:a4a0
	uvm_box_start uos
	uvm_box_finish uos 480
	ok "remove the controller of the stopped VM" \
		lhvctl xhci del --vm uos xhci0
	ok "destroy the UOS" lhvctl vm destroy uos
	ok "rmmod lhv_xhci" rmmod lhv_xhci
	ok "lhvctl hv disable" lhvctl hv disable
}
