# SPDX-License-Identifier: BSD-3-Clause
# Two user VMs at once, each with its own emulated xHCI controller and its
# own SOS USB port (issue 9): uosa on CPU 1 gets dummy_hcd 0's SuperSpeed
# root port with gadget lhv-a, uosb on CPU 2 dummy_hcd 1's with lhv-b
# (is_super_speed=1: both gadgets are SuperSpeed, so each shows on guest
# port 5, the USB 3 port paired with port 1); a port given to one VM is
# refused to the other. Both UOSes (tests/guest/uos-xhci-ports-
# suite.sh, lhvtest.xhci=one) see only their own gadget and move data
# through it at the same time; the SOS finds each one's data in the
# right gadget file, and gets both gadgets back when the VMs go.
#@ kernels: 6.12 6.1
#@ check: 6.12
#@ smp: 3
#@ timeout: 600
#@ modules: dummy_hcd configfs libcomposite usb_f_mass_storage usb-storage sd_mod

host_prepare() {
	uos_guest_files "$1" "$2" "$LHV_TOP/tests/guest/uos-xhci-ports-suite.sh"
}

sos_has_driver() { test -e "/sys/bus/usb/devices/$1/$1:1.0/driver"; }

uos_sha() { tr -d '\r' <"/tmp/$1-console.log" | sed -n 's/^@@sha \(.*\) \.$/\1/p' | tail -n 1; }

gadget_sha() {
	dd if="/tmp/$1.img" bs=1M skip=4 count=2 2>/dev/null |
		sha256sum | cut -d' ' -f1
}

start_uos() { # vm serial
	lhvctl vm load "$1" --kernel /host/bzImage --kernel-sig /dev/null \
		--initrd /host/uos-initrd.gz --insecure --cmdline \
		"console=ttyS0 loglevel=4 lhvtest.mode=box lhvtest.xhci=one lhvtest.serial=$2 lhvtest.dev=2-1" &&
		lhvctl vm start "$1"
}

guest_main() {
	local a b out fa fb vm
	. /lib/usb-gadget.sh
	ok "modprobe lhv" modprobe lhv
	ok "lhvctl hv enable" lhvctl hv enable
	ok "create uosa on CPU 1" lhvctl vm create uosa --cpus 1 --mem 256M
	ok "create uosb on CPU 2" lhvctl vm create uosb --cpus 2 --mem 256M
	ok "modprobe dummy_hcd num=2 is_super_speed=1" \
		modprobe dummy_hcd num=2 is_super_speed=1
	ok "modprobe usb-storage and sd_mod" sh -c \
		"modprobe usb-storage && modprobe sd_mod"
	ok "... two SuperSpeed root hubs" wait_for 10 dummy_bus 1 5000
	a=$(dummy_bus 0 5000)
	b=$(dummy_bus 1 5000)
	ok "a controller for uosa" lhvctl xhci add --vm uosa
	ok "a controller for uosb" lhvctl xhci add --vm uosb
	ok "assign $a-1 to uosa" lhvctl usb assign --vm uosa --port "$a-1"
	out=$(lhvctl usb assign --vm uosb --port "$a-1" 2>&1)
	match "... and not to uosb as well" "$out" "assigned to another VM"
	ok "assign $b-1 to uosb" lhvctl usb assign --vm uosb --port "$b-1"
	match "usb list --vm uosa: only its port" \
		"$(lhvctl usb list --vm uosa | tail -n +2)" "^uosa +xhci0 +$a-1 +1/5 +-$"
	match "usb list --vm uosb: only its port" \
		"$(lhvctl usb list --vm uosb | tail -n +2)" "^uosb +xhci0 +$b-1 +1/5 +-$"
	ok "gadget lhv-a into $a-1" gadget_up lhv-a 0
	ok "gadget lhv-b into $b-1" gadget_up lhv-b 1
	ok "... both enumerated by the SOS" wait_for 20 sh -c \
		"test -e /sys/bus/usb/devices/$a-1/idVendor && test -e /sys/bus/usb/devices/$b-1/idVendor"
	not "... neither driven by the SOS" sh -c \
		"ls /sys/bus/usb/devices/$a-1/$a-1:1.0/driver /sys/bus/usb/devices/$b-1/$b-1:1.0/driver"
	match "usb list: lhv-a at SuperSpeed, on guest port 5" \
		"$(lhvctl usb list --vm uosa)" "xhci0 +$a-1 +1/5 +1d6b:0104 super on 5"

	lhvctl vm console uosa --follow 0 >/tmp/uosa-console.log 2>&1 &
	fa=$!
	lhvctl vm console uosb --follow 0 >/tmp/uosb-console.log 2>&1 &
	fb=$!
	ok "start uosa" start_uos uosa lhv-a
	ok "start uosb" start_uos uosb lhv-b
	for vm in uosa uosb; do
		diag "$vm finished after about $(uvm_wait_stopped "$vm" 300)s"
	done
	sleep 1
	kill "$fa" "$fb" 2>/dev/null
	is "uosa powered itself off" "$(uvm_state uosa)" stopped
	is "uosb powered itself off" "$(uvm_state uosb)" stopped
	tap_passthrough uvm_suite_results /tmp/uosa-console.log
	tap_passthrough uvm_suite_results /tmp/uosb-console.log
	for vm in uosa uosb; do
		grep -av '^\(ok\|not ok\) [0-9]' "/tmp/$vm-console.log" |
			sed "s/^/$vm| /" >/dev/ttyS0
	done
	match "uosa's data is in lhv-a's file" "$(gadget_sha lhv-a)" \
		"^$(uos_sha uosa)$"
	match "uosb's data is in lhv-b's file" "$(gadget_sha lhv-b)" \
		"^$(uos_sha uosb)$"
	ok "destroy uosa" lhvctl vm destroy uosa
	ok "... lhv-a is the SOS's again" wait_for 30 sos_has_driver "$a-1"
	not "... lhv-b is still uosb's" sos_has_driver "$b-1"
	ok "destroy uosb" lhvctl vm destroy uosb
	ok "... lhv-b is the SOS's again" wait_for 30 sos_has_driver "$b-1"
	is "usb list is empty" "$(lhvctl usb list | wc -l)" 1
	ok "rmmod lhv_xhci" rmmod lhv_xhci
	ok "lhvctl hv disable" lhvctl hv disable
}
