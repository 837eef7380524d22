# SPDX-License-Identifier: BSD-3-Clause
# Dual role (issue 9): a role a user VM writes into the DRD capability of
# its emulated xHCI controller reaches a USB role switch in the SOS. The
# SOS loads lhv_test_role_sw (a role switch on a software node that
# records every role it is set to), gives the UOS one controller driving
# it and one without a switch, and checks the refusals of `lhvctl xhci add
# --role-switch`. The UOS (tests/guest/uos-xhci-drd-suite.sh) writes host,
# device, a malformed value and host again into DUAL_ROLE_CFG0 and reads
# the switch's role back; then the SOS checks that the switch saw exactly
# host, device, host, and that removing the controller let the switch go.
#@ kernels: 6.12 6.1
#@ check: 6.12
#@ smp: 2
#@ timeout: 300

SW=/sys/class/usb_role/lhv-test-role-switch
LOG=/sys/kernel/debug/lhv_test_role_sw/roles

host_prepare() {
	uos_guest_files "$1" "$2" "$LHV_TOP/tests/guest/uos-xhci-drd-suite.sh"
}

guest_main() {
	ok "modprobe lhv" modprobe lhv
	ok "lhvctl hv enable" lhvctl hv enable
	ok "create uos on CPU 1" lhvctl vm create uos --cpus 1 --mem 256M
	ok "modprobe lhv_xhci" modprobe lhv_xhci
	not "a role switch that does not exist is refused" \
		lhvctl xhci add --vm uos --role-switch lhv-test-role-sw
	match "... the kernel says why" \
		"$(lhvctl xhci add --vm uos --role-switch nosuch 2>&1)" \
		"no software node"
	is "... and no controller was added" \
		"$(lhvctl xhci list --vm uos | grep -c xhci)" 0
	ok "load the test role switch" modprobe lhv_test_role_sw
	is "... it starts in role none" "$(cat "$SW/role")" none
	ok "a controller without a role switch" lhvctl xhci add --vm uos
	ok "a controller driving the test switch" \
		lhvctl xhci add --vm uos --role-switch lhv-test-role-sw
	match "... listed with it and its role" \
		"$(lhvctl xhci list --vm uos --json | grep xhci1)" \
		'"role_switch": *"lhv-test-role-sw".*"role": *"none"'
	not "the switch's module cannot go while a controller holds it" \
		rmmod lhv_test_role_sw
	not "... and no second controller takes the same switch" \
		lhvctl xhci add --vm uos --role-switch lhv-test-role-sw
	uvm_box_start uos
	uvm_box_finish uos 120
	is "the switch was set to host, device, host: in order, nothing else" \
		"$(cat "$LOG")" "host device host"
	is "... its role class shows host" "$(cat "$SW/role")" host
	match "lhvctl reports the role" \
		"$(lhvctl xhci list --vm uos --json | grep xhci1)" \
		'"role": *"host"'
	ok "remove the controller of the stopped VM" \
		lhvctl xhci del --vm uos xhci1
	ok "... the switch's module can go now" rmmod lhv_test_role_sw
	ok "destroy the UOS" lhvctl vm destroy uos
	ok "rmmod lhv_xhci" rmmod lhv_xhci
	ok "lhvctl hv disable" lhvctl hv disable
}
