# SPDX-License-Identifier: BSD-3-Clause
# Conformance of lhv_xhci against Linux's own USB host test driver: the SOS
# runs dummy_hcd with a configfs Gadget Zero (0525:a4a0; SourceSink as
# configuration 1, Loopback as configuration 2, both from usb_f_ss_lb,
# mod63 data pattern) and forwards the dummy bus's port to a UOS, whose
# stock xhci_hcd and usbtest drive it; tests/guest/uos-xhci-usbtest-suite.sh
# runs usbtest's control, bulk, scatter-gather, unlink, halt and toggle
# tests there with lhv-testusb (userspace/tools/), one TAP line per test,
# relayed here from the UOS console. Twice: at high speed (the UOS's USB 2
# root port), then with dummy_hcd reloaded at SuperSpeed (its USB 3 port).
# lhv_xhci runs with a small bounce buffer budget, so queued transfers
# take the deferral path; the suite also sends IN control requests with
# wLength 0.
#@ kernels: 6.12 6.1
#@ check: 6.12
#@ smp: 2
#@ timeout: 600
#@ modules: dummy_hcd configfs libcomposite usb_f_ss_lb

BOUNCE_KB=64

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
	if [ -d "$g" ]; then # made already: bind it again
		ls /sys/class/udc | head -n 1 >"$g/UDC"
		return
	fi
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

# The controller's bounce buffers ($1, its bounce/ in sysfs) under the
# small budget guest_main loads lhv_xhci with: the suite's queued 64 KiB
# reads (usbtest 28) did not all fit, waited on the ring and completed
# (the test passed in the UOS); nothing larger than the budget came,
# nothing is left charged.
bounce_checks() {
	is "bounce budget: $BOUNCE_KB KiB" "$(cat "$1/limit")" \
		$((BOUNCE_KB * 1024))
	match "... TDs over it were deferred" "$(cat "$1/deferred")" "^[1-9]"
	is "... none refused" "$(cat "$1/refused")" 0
	ok "... every buffer given back" wait_for 5 grep -qx 0 "$1/bytes"
}

# Forward port $1 to a new controller of the UOS, plug Gadget Zero in,
# run the UOS's suite and take the controller away again.
usbtest_run() { # port speed-label
	local v p
	ok "forward port $1 to a controller" \
		lhvctl xhci add --vm uos --usb-port "$1"
	ok "plug Gadget Zero in" gadget_zero_up
	ok "the SOS enumerates it on $1" \
		wait_for 10 test -e "/sys/bus/usb/devices/$1/idVendor"
	v=$(cat "/sys/bus/usb/devices/$1/idVendor")
	p=$(cat "/sys/bus/usb/devices/$1/idProduct")
	is "... as 0525:a4a0" "$v:$p" 0525:a4a0
	is "... at $2" "$(cat "/sys/bus/usb/devices/$1/speed")" "$2"
	uvm_box_start uos
	uvm_box_finish uos 240
	bounce_checks /sys/class/lhv/uos/xhci0/bounce
	ok "remove the controller of the stopped VM" \
		lhvctl xhci del --vm uos xhci0
}

guest_main() {
	local bus
	. /lib/usb-gadget.sh
	ok "modprobe lhv" modprobe lhv
	# A bounce budget as large as the suite's largest TD (a 64 KiB read)
	# and below what it queues: the deferral path under real traffic.
	ok "lhv_xhci with a $BOUNCE_KB KiB bounce budget" \
		modprobe lhv_xhci bounce_budget_kb=$BOUNCE_KB
	ok "lhvctl hv enable" lhvctl hv enable
	ok "create uos on CPU 1" lhvctl vm create uos --cpus 1 --mem 512M
	ok "modprobe dummy_hcd" modprobe dummy_hcd
	wait_for 10 dummy_bus 0 >/dev/null
	bus=$(dummy_bus 0)
	match "its root hub" "$bus" "^[0-9]+$"
	usbtest_run "$bus-1" 480
	ok "unplug Gadget Zero" \
		sh -c "echo >/sys/kernel/config/usb_gadget/zero/UDC"
	ok "dummy_hcd again, at SuperSpeed" sh -c \
		"rmmod dummy_hcd && modprobe dummy_hcd is_super_speed=1"
	wait_for 10 dummy_bus 0 5000 >/dev/null
	bus=$(dummy_bus 0 5000)
	match "its SuperSpeed root hub" "$bus" "^[0-9]+$"
	usbtest_run "$bus-1" 5000
	ok "destroy the UOS" lhvctl vm destroy uos
	ok "rmmod lhv_xhci" rmmod lhv_xhci
	ok "lhvctl hv disable" lhvctl hv disable
}
