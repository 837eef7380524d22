# SPDX-License-Identifier: BSD-3-Clause
# SOS USB ports assigned to a user VM's xHCI controller at run time
# (issue 9, `lhvctl usb assign|release|list`): dummy_hcd with three
# buses, configfs mass-storage gadgets lhv-a and lhv-b. Before the UOS
# starts: every refusal of usb assign/release, lhv-a's empty port on
# guest port 1, lhv-b's port (lhv-b plugged in and driven by the SOS's
# usb-storage) on guest port 2, which takes the device over. The UOS
# (tests/guest/uos-xhci-ports-suite.sh, lhvtest.xhci=ports) checks data
# on both; on its markers the SOS unplugs and replugs lhv-a under load,
# releases lhv-b's port under load (the SOS's usb-storage binds again,
# the data the UOS wrote is in the gadget's file), assigns it again to
# guest port 7 while the VM runs, and destroys the VM under load; both
# gadgets then belong to the SOS again.
#@ kernels: 6.12 6.1
#@ check: 6.12
#@ smp: 2
#@ timeout: 600
#@ modules: dummy_hcd configfs libcomposite usb_f_mass_storage usb-storage sd_mod

host_prepare() {
	uos_guest_files "$1" "$2" "$LHV_TOP/tests/guest/uos-xhci-ports-suite.sh"
}

# A UOS marker line, complete: "@@<name> [value] ." (the follower may
# have caught a line in the middle).
marker() { tr -d '\r' </tmp/uos-console.log | grep -aqE "^@@$1( .*)? \.\$"; }

marker_value() {
	tr -d '\r' </tmp/uos-console.log | sed -n "s/^@@$1 \(.*\) \.\$/\1/p" | tail -n 1
}

sos_has_driver() { test -e "/sys/bus/usb/devices/$1/$1:1.0/driver"; }

guest_main() {
	local a b c follow out
	. /lib/usb-gadget.sh
	ok "modprobe lhv" modprobe lhv
	ok "lhvctl hv enable" lhvctl hv enable
	ok "create uos on CPU 1" lhvctl vm create uos --cpus 1 --mem 512M
	ok "modprobe dummy_hcd num=3 (three buses)" modprobe dummy_hcd num=3
	ok "modprobe usb-storage and sd_mod" sh -c \
		"modprobe usb-storage && modprobe sd_mod"
	ok "... their root hubs" wait_for 10 dummy_bus 2
	a=$(dummy_bus 0)
	b=$(dummy_bus 1)
	c=$(dummy_bus 2)
	diag "dummy buses: a=$a b=$b c=$c"
	out=$(lhvctl usb assign --vm uos --port "$a-1" 2>&1)
	match "assign before any controller: refused" "$out" \
		"has no xHCI controller"
	ok "xhci add (no port yet)" lhvctl xhci add --vm uos
	out=$(lhvctl usb assign --vm uos --port "x-1" 2>&1)
	match "a malformed path is refused" "$out" "not <bus>-<port>"
	out=$(lhvctl usb assign --vm uos --port "$a-9" 2>&1)
	match "a port the hub does not have is refused" "$out" \
		"no such hub port"
	out=$(lhvctl usb assign --vm uos --port "99-1" 2>&1)
	match "a hub the SOS does not have is refused" "$out" \
		"no such hub port"
	out=$(lhvctl usb assign --vm nosuch --port "$a-1" 2>&1)
	match "an unknown VM is refused" "$out" "no VM of that name"
	out=$(lhvctl usb assign --vm service --port "$a-1" 2>&1)
	match "the service VM is refused" "$out" "user VMs only"
	out=$(lhvctl usb assign --vm uos --controller xhci7 --port "$a-1" 2>&1)
	match "an unknown controller is refused" "$out" \
		"no xHCI controller of that name"
	out=$(lhvctl usb assign --vm uos --port "$a-1" --guest-port 9 2>&1)
	match "guest port 9 is refused" "$out" "guest port: 1-4"
	not "guest port 0: lhvctl refuses it" \
		lhvctl usb assign --vm uos --port "$a-1" --guest-port 0
	out=$(lhvctl usb release "$a-1" 2>&1)
	match "releasing a port nobody has is refused" "$out" "not assigned"
	out=$(lhvctl usb release "$a-01" 2>&1)
	match "... and releasing a malformed one" "$out" "not <bus>-<port>"
	is "usb list: only its header" "$(lhvctl usb list | wc -l)" 1

	ok "gadget lhv-b plugged in before its port is assigned" \
		gadget_up lhv-b 1
	ok "... write a marker into its file from the SOS side" sh -c \
		"printf lhv-b-sos-marker | dd of=/tmp/lhv-b.img bs=1M seek=1 conv=notrunc 2>/dev/null"
	ok "... the SOS's usb-storage drives it" wait_for 20 sos_has_driver "$b-1"
	ok "assign $a-1 (empty) to uos" lhvctl usb assign --vm uos --port "$a-1"
	match "... on guest ports 1/5" "$(lhvctl usb list --vm uos)" \
		"uos +xhci0 +$a-1 +1/5 +-"
	out=$(lhvctl usb assign --vm uos --port "$a-1" 2>&1)
	match "... not twice" "$out" "assigned to this controller already"
	ok "assign $b-1 (lhv-b there) to guest port 2" \
		lhvctl usb assign --vm uos --port "$b-1" --guest-port 2
	not "... the SOS's drivers are gone from it" sos_has_driver "$b-1"
	is "... unconfigured for the SOS" \
		"$(cat "/sys/bus/usb/devices/$b-1/bConfigurationValue")" ""
	match "... it was reset for the guest" "$(dmesg | grep "$b-1")" \
		"SOS drivers unbound, reset"
	match "... listed with its device" "$(lhvctl usb list)" \
		"xhci0 +$b-1 +2/6 +1d6b:0104 high on 2"
	match "... as JSON too" "$(lhvctl --json usb list --vm uos)" \
		"\"port\": *\"$b-1\".*\"vendor\": *\"1d6b\""
	out=$(lhvctl usb assign --vm uos --port "$c-1" --guest-port 6 2>&1)
	match "guest port 6 (pair of 2) is taken" "$out" "port pair is backed"
	ok "gadget lhv-a plugged into $a-1 after assigning it" gadget_up lhv-a 0
	ok "... the SOS enumerates it" \
		wait_for 20 test -e "/sys/bus/usb/devices/$a-1/idVendor"
	not "... but binds no driver" sos_has_driver "$a-1"

	ok "load the UOS" lhvctl vm load uos --kernel /host/bzImage \
		--kernel-sig /dev/null --initrd /host/uos-initrd.gz --insecure \
		--cmdline "console=ttyS0 loglevel=4 lhvtest.mode=box lhvtest.xhci=ports"
	lhvctl vm console uos --follow 0 >/tmp/uos-console.log 2>&1 &
	follow=$!
	ok "start it" lhvctl vm start uos

	ok "the UOS asks for lhv-a to be unplugged" wait_for 240 marker unplug-a
	ok "unplug lhv-a (UDC unbound) under the UOS's writes" gadget_unplug lhv-a
	ok "... usb list shows the port empty" wait_for 20 sh -c \
		"lhvctl usb list | grep -Eq 'xhci0 +$a-1 +1/5 +-$'"
	sleep 2
	ok "plug lhv-a in again" gadget_plug lhv-a 0

	ok "the UOS asks for lhv-b's port back" wait_for 240 marker release-b
	ok "usb release $b-1 while the UOS reads it" lhvctl usb release "$b-1"
	ok "... the SOS's usb-storage binds to lhv-b again" \
		wait_for 30 sos_has_driver "$b-1"
	not "... no longer listed" sh -c "lhvctl usb list | grep -q '$b-1'"
	is "... the data the UOS wrote is in lhv-b's file" \
		"$(dd if=/tmp/lhv-b.img bs=1M skip=4 count=2 2>/dev/null | sha256sum | cut -d' ' -f1)" \
		"$(marker_value sha-b)"
	ok "assign $b-1 again, to guest port 7, while the VM runs" \
		lhvctl usb assign --vm uos --port "$b-1" --guest-port 7
	not "... the SOS's drivers leave it again" sos_has_driver "$b-1"
	ok "the UOS sees it on guest port 3" wait_for 240 marker sha-b3
	is "... with the same data" "$(marker_value sha-b3)" \
		"$(marker_value sha-b)"
	match "guest port resets became SOS resets of lhv-b" \
		"$(dmesg | grep -c "usb $b-1: reset high-speed")" "^[2-9]|^[1-9][0-9]"

	ok "the UOS runs its last load" wait_for 240 marker suite-done
	sleep 3
	ok "destroy the UOS under load" lhvctl vm destroy uos
	kill "$follow" 2>/dev/null
	tap_passthrough uvm_suite_results /tmp/uos-console.log
	grep -av '^\(ok\|not ok\) [0-9]' /tmp/uos-console.log |
		sed 's/^/uos| /' >/dev/ttyS0
	ok "lhv-a is the SOS's again" wait_for 30 sos_has_driver "$a-1"
	ok "lhv-b is the SOS's again" wait_for 30 sos_has_driver "$b-1"
	is "usb list is empty" "$(lhvctl usb list | wc -l)" 1
	ok "rmmod lhv_xhci" rmmod lhv_xhci
	ok "lhvctl hv disable" lhvctl hv disable
}
