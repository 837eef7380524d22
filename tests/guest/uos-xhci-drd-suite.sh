# SPDX-License-Identifier: BSD-3-Clause
# The DRD suite as a user VM runs it (tests/scenarios/uvm-xhci-drd.sh packs
# this file as the scenario of the UOS's own initramfs). The UOS has two
# emulated xHCI controllers, one with the dual-role capability (its SOS
# side drives a test role switch) and one without. No driver binds to
# them: xhci_pci has no DRD support for this PCI ID, so the suite programs
# DUAL_ROLE_CFG0 itself through /dev/mem the way Intel's role-switch
# driver does, and reads the switch's role back from CFG1 and lhv's
# ROLE_STATUS (docs/xhci.md, "Dual role"). Results go to the UOS console
# (lhvtest.mode=box), where the SOS reads them.

HOST=0x00200000     # SW_IDPIN_EN, ID pin low
DEVICE=0x01300000   # SW_IDPIN_EN, SW_IDPIN, SW_VBUS_VALID
MALFORMED=0x01200000 # ID pin low (host) with VBUS from outside
HOST_MODE=0x20000000
REFUSED=0x20000000
PENDING=0x80000000

xhci_fns() { # every xHCI PCI function's sysfs directory
	local d
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/class")" = 0x0c0330 ] && echo "$d"
	done
}

rd() { # 32-bit MMIO read at physical address $1, as a decimal number
	echo $(($(busybox devmem "$1" 32)))
}

wr() { # 32-bit MMIO write of $2 at physical address $1
	busybox devmem "$1" 32 "$2"
}

# The physical address of the DRD capability of function $1, if it has
# one: the extended capability list walked as xhci_hcd walks it.
drd_cap() {
	local bar off hdr n=0
	bar=$(($(head -n 1 "$1/resource" | cut -d' ' -f1)))
	off=$((($(rd $((bar + 0x10))) >> 16) * 4))
	while [ "$off" -ne 0 ] && [ "$n" -lt 16 ]; do
		hdr=$(rd $((bar + off)))
		if [ $((hdr & 0xff)) -eq 192 ]; then
			printf '0x%x\n' $((bar + off))
			return 0
		fi
		[ $(((hdr >> 8) & 0xff)) -eq 0 ] && return 1
		off=$((off + ((hdr >> 8) & 0xff) * 4))
		n=$((n + 1))
	done
	return 1
}

settled() { # the role request is carried out
	[ $(($(rd $((CAP + 0x70))) & PENDING)) -eq 0 ]
}

# Ask for a role through CFG0, wait for the SOS, and check what reads back.
ask_role() { # name cfg0 role host_mode
	wr $((CAP + 0x68)) "$2"
	ok "$1: the switch carries it out" wait_for 5 settled
	is "... ROLE_STATUS reads the switch's role" \
		"$(rd $((CAP + 0x70)))" "$3"
	is "... CFG1 HOST_MODE follows it" \
		"$(($(rd $((CAP + 0x6c))) & HOST_MODE))" "$(($4))"
	is "... CFG0 reads back as written" "$(rd $((CAP + 0x68)))" "$(($2))"
}

guest_main() {
	local fn fns with=0 without=0
	fns=$(xhci_fns)
	is "two xHCI functions on the virtual PCI bus" \
		"$(echo "$fns" | grep -c .)" 2
	for fn in $fns; do
		echo 1 >"$fn/enable" # memory decoding, no driver
		if drd_cap "$fn" >/dev/null; then
			with=$((with + 1))
			CAP=$(drd_cap "$fn")
		else
			without=$((without + 1))
		fi
	done
	is "one has the DRD capability (ID 192)" "$with" 1
	is "the one added without a role switch has none" "$without" 1
	match "... it follows the Supported Protocol capabilities" "$CAP" \
		"800$"
	is "CFG0 starts at 0 (no software role)" "$(rd $((CAP + 0x68)))" 0
	is "ROLE_STATUS: the switch starts in role none" \
		"$(rd $((CAP + 0x70)))" 0
	ask_role "host" $HOST 1 $HOST_MODE
	ask_role "device" $DEVICE 2 0
	wr $((CAP + 0x68)) $MALFORMED
	is "a malformed write (host with VBUS) is refused" \
		"$(rd $((CAP + 0x70)))" $((2 | REFUSED))
	is "... CFG0 keeps the last good value" "$(rd $((CAP + 0x68)))" \
		$((DEVICE))
	ask_role "host again" $HOST 1 $HOST_MODE
	# A read-modify-write that asks for the same role is no request.
	wr $((CAP + 0x68)) $HOST
	ok "the same role again settles at once" settled
	is "... still host" "$(rd $((CAP + 0x70)))" 1
	wr $((CAP + 0x6c)) 0
	is "CFG1 is read-only" "$(($(rd $((CAP + 0x6c))) & HOST_MODE))" \
		$((HOST_MODE))
	console_drain
}
