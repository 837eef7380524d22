# SPDX-License-Identifier: BSD-3-Clause
# A user VM's stock xhci_pci drives the emulated xHCI controller lhv_xhci
# puts on its virtual PCI bus (issue 9): the UOS (CPU 1, Debian's kernel)
# boots an initramfs of the harness whose scenario is
# tests/guest/uos-xhci-suite.sh (the function, the driver binding, both
# root hubs, MSI-X, unbind and bind again), and its TAP results on the
# VM's console become this scenario's. From the SOS: `lhvctl xhci`
# add/list/del and their refusals. Forwarding an SOS USB port is not
# implemented yet.
#@ kernels: 6.12
#@ smp: 2
#@ timeout: 600

host_prepare() {
	local work=$1 kver=$2 g=$1/guest-files kroot
	mkdir -p "$g"
	kroot=$("$LHV_TOP/tests/harness/fetch-kernel.sh" "$kver" | tail -n 1)
	cp "$kroot/boot/vmlinuz-$kver" "$g/bzImage"
	# The UOS's initramfs: the harness's own, with the inner suite.
	LHV_GUEST_FILES= "$LHV_TOP/tests/harness/mkinitramfs.sh" "$kver" \
		"$kroot" "$g/uos-initrd.gz" \
		"$LHV_TOP/tests/guest/uos-xhci-suite.sh"
}

guest_main() {
	local i follow
	ok "modprobe lhv" modprobe lhv
	ok "lhvctl hv enable" lhvctl hv enable
	ok "create uos on CPU 1" lhvctl vm create uos --cpus 1 --mem 512M
	ok "xhci add loads lhv_xhci on demand" lhvctl xhci add --vm uos
	match "... it is listed" "$(lhvctl xhci list --vm uos)" "uos +0 +xhci0"
	ok "a second controller" lhvctl xhci add --vm uos
	ok "... can be removed again" lhvctl xhci del --vm uos xhci1
	is "... one is left" "$(lhvctl xhci list --vm uos | grep -c xhci)" 1
	not "no controller for the service VM" lhvctl xhci add --vm service
	match "... the kernel says why" \
		"$(lhvctl xhci add --vm service 2>&1)" "user VM"
	ok "load the UOS" lhvctl vm load uos --kernel /host/bzImage \
		--kernel-sig /dev/null --initrd /host/uos-initrd.gz --insecure \
		--cmdline "console=ttyS0 loglevel=4 lhvtest.mode=box"
	lhvctl vm console uos --follow 0 >/tmp/uos-console.log 2>&1 &
	follow=$!
	ok "start it" lhvctl vm start uos
	not "no controller added while it runs" lhvctl xhci add --vm uos
	# The UOS powers itself off once its suite is done.
	i=$(uvm_wait_stopped uos 300)
	sleep 1
	kill "$follow" 2>/dev/null
	diag "UOS finished after about ${i}s: $(uvm_state uos)"
	is "the UOS powered itself off at the end" "$(uvm_state uos)" stopped
	tap_passthrough uvm_box_results /tmp/uos-console.log
	# The UOS's kernel log, for the record (its TAP lines are above).
	grep -av '^\(ok\|not ok\) [0-9]' /tmp/uos-console.log |
		sed 's/^/uos| /' >/dev/ttyS0
	match "the hv carried ioreqs" "$(lhvctl vm show uos)" "ioreqs: +[1-9]"
	ok "remove the controller of the stopped VM" \
		lhvctl xhci del --vm uos xhci0
	ok "destroy the UOS" lhvctl vm destroy uos
	ok "rmmod lhv_xhci" rmmod lhv_xhci
	ok "lhvctl hv disable" lhvctl hv disable
}
