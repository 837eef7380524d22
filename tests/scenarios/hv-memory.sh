# SPDX-License-Identifier: BSD-3-Clause
# Where hv memory comes from. The box reserves 4 MiB at boot (memmap=, as
# a bootloader would) and the harness names it with hv_mem=; here lhv.ko
# refuses every other choice with a message that says how to reserve
# memory: no hv_mem at all, System RAM, memory that is not reserved, too
# little, misaligned or unparsable. hv_mem=dev (development) works and
# warns. With the reservation the hv is loaded there and runs.
#@ kernels: 6.12 6.1
#@ smp: 2
#@ timeout: 300
#@ check: 6.12

enable_with() { # hv_mem value; prints the kernel's reason on failure
	rmmod lhv 2>/dev/null
	modprobe lhv hv_mem="$1" || return 2
	lhvctl hv enable
}

last_err() {
	dmesg | grep 'lhv: ' | tail -n 1
}

guest_main() {
	local reserved
	reserved=$(sed -n 's/.*lhvtest\.hvmem=\([^ ]*\).*/\1/p' /proc/cmdline)
	match "the box reserved hv memory at boot" "$(cat /proc/iomem)" \
		"20000000-203fffff : Reserved"

	not "enable without hv_mem is refused" enable_with ""
	match "... saying how to reserve memory" "$(last_err)" \
		"no memory reserved for the hypervisor: reserve it at boot, e.g. memmap="
	not "hv_mem in System RAM is refused" enable_with 4M@0x10000000
	match "... as RAM the kernel owns" "$(last_err)" "is System RAM the kernel owns"
	not "hv_mem in the PCI hole is refused" enable_with 4M@0xfd000000
	match "... as not reserved memory" "$(last_err)" "not \(all\) reserved memory"
	not "hv_mem too small is refused" enable_with 1M@0x20000000
	match "... saying what the hv needs" "$(last_err)" "the hypervisor needs [0-9]+ bytes"
	not "misaligned hv_mem is refused" enable_with 4M@0x20000800
	match "... as misaligned" "$(last_err)" "must be page aligned"
	not "unparsable hv_mem is refused" enable_with lots
	match "... as not size@address" "$(last_err)" "not <size>@<address>"
	match "nothing runs after the refusals" "$(lhvctl hv status)" \
		"state: +absent"

	ok "hv_mem=dev works" enable_with dev
	match "... and warns it is for development" "$(dmesg | grep hv_mem=dev)" \
		"for development only"
	ok "disable" lhvctl hv disable

	ok "the reserved range works" enable_with "$reserved"
	match "the hv was loaded at the reserved address" \
		"$(dmesg | grep 'loaded lhv/lhv.bin' | tail -n 1)" "at 0x0*20000000"
	is "every CPU runs the hv" "$(lhv-cpuid | grep -c 'sig lhvlhvlhvlhv')" \
		"$(grep -c ^processor /proc/cpuinfo)"
	ok "disable" lhvctl hv disable
	ok "rmmod lhv" rmmod lhv
}
