# SPDX-License-Identifier: BSD-3-Clause
# A user VM's stock xhci_pci drives the emulated xHCI controller lhv_xhci
# puts on its virtual PCI bus (issue 9): the UOS (CPU 1, Debian's kernel)
# boots an initramfs of the harness whose scenario is
# tests/guest/uos-xhci-suite.sh (the function, the driver binding, both
# root hubs, MSI-X, the forwarded gadget with usb-storage, unbind and
# bind again), and its TAP results on the VM's console become this
# scenario's. The SOS loads dummy_hcd and a configfs mass-storage gadget
# on a 16 MiB file and forwards the dummy bus's port to the UOS; it checks
# `lhvctl xhci` add/list/del and their refusals, that its own drivers
# keep off the forwarded device, and that it gets the device back.
#@ kernels: 6.12 6.1
#@ check: 6.12
#@ smp: 2
#@ timeout: 600
#@ modules: dummy_hcd configfs libcomposite usb_f_mass_storage usb-storage sd_mod

host_prepare() {
	uos_guest_files "$1" "$2" "$LHV_TOP/tests/guest/uos-xhci-suite.sh"
}

guest_main() {
	local bus
	. /lib/usb-gadget.sh
	ok "modprobe lhv" modprobe lhv
	ok "lhvctl hv enable" lhvctl hv enable
	ok "create uos on CPU 1" lhvctl vm create uos --cpus 1 --mem 512M
	ok "xhci add loads lhv_xhci on demand" lhvctl xhci add --vm uos
	match "... it is listed" "$(lhvctl xhci list --vm uos)" "uos +0 +xhci0"
	ok "a second controller" lhvctl xhci add --vm uos
	ok "... can be removed again" lhvctl xhci del --vm uos xhci1
	is "... one is left" "$(lhvctl xhci list --vm uos | grep -c xhci)" 1
	ok "remove that one too" lhvctl xhci del --vm uos xhci0
	ok "modprobe dummy_hcd" modprobe dummy_hcd
	wait_for 10 dummy_bus 0 >/dev/null
	bus=$(dummy_bus 0)
	match "its root hub" "$bus" "^[0-9]+$"
	not "a port that does not exist is refused" \
		lhvctl xhci add --vm uos --usb-port "$bus-9"
	not "... and a malformed one" lhvctl xhci add --vm uos --usb-port "x-1"
	ok "forward port $bus-1 to a controller" \
		lhvctl xhci add --vm uos --usb-port "$bus-1"
	match "... listed with it" "$(lhvctl xhci list --vm uos)" "xhci0 +$bus-1\$"
	not "... not to two" lhvctl xhci add --vm uos --usb-port "$bus-1"
	ok "modprobe usb-storage in the SOS" modprobe usb-storage
	ok "plug the mass-storage gadget in" gadget_up lhv 0
	ok "the SOS enumerates it on $bus-1" \
		wait_for 10 test -e "/sys/bus/usb/devices/$bus-1/idVendor"
	is "... but leaves it unconfigured (the port is claimed)" \
		"$(cat "/sys/bus/usb/devices/$bus-1/bConfigurationValue" 2>&1)" ""
	not "no SOS disk on it" sh -c "ls /sys/bus/usb/devices/$bus-1/$bus-1:1.0/host*"
	not "no controller for the service VM" lhvctl xhci add --vm service
	match "... the kernel says why" \
		"$(lhvctl xhci add --vm service 2>&1)" "user VM"
	uvm_box_start uos
	not "no controller added while it runs" lhvctl xhci add --vm uos
	uvm_box_finish uos 300
	match "the hv carried ioreqs" "$(lhvctl vm show uos)" "ioreqs: +[1-9]"
	ok "remove the controller of the stopped VM" \
		lhvctl xhci del --vm uos xhci0
	ok "the SOS gets the device back: usb-storage binds" wait_for 10 \
		test -e "/sys/bus/usb/devices/$bus-1/$bus-1:1.0/driver"
	ok "destroy the UOS" lhvctl vm destroy uos
	ok "rmmod lhv_xhci" rmmod lhv_xhci
	ok "lhvctl hv disable" lhvctl hv disable
}
