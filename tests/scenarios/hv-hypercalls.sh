# SPDX-License-Identifier: BSD-3-Clause
# The hypercall ABI under the running hv, and the isolation of hv memory:
# the test module lhv_test_hypercall calls GET_API_VERSION, GET_HW_INFO,
# LOG_READ and GET_STATS with good and hostile arguments (buffers in hv
# memory, straddling into it, in MMIO, beyond RAM, wrapping, oversized,
# unknown ids) and checks each answer; then reads and writes hv memory
# through the SOS's direct map: every access faults (#GP, caught) and the
# hv keeps answering. A hypercall from ring 3 answers -EPERM (bare metal:
# #UD). lhvctl hv status shows the hardware and lhvctl hv stats the exits.
#@ kernels: 6.12 6.1
#@ smp: 2
#@ timeout: 300

guest_main() {
	local out ncpu
	ncpu=$(grep -c ^processor /proc/cpuinfo)
	is "ring 3 on bare metal: VMMCALL is #UD" "$(lhv-cpuid --vmmcall)" \
		"vmmcall #UD"
	ok "modprobe lhv" modprobe lhv
	not "hv stats before enable is refused" lhvctl hv stats
	match "the refusal says why" "$(lhvctl hv stats 2>&1)" "not running"
	ok "lhvctl hv enable" lhvctl hv enable
	is "ring 3 under the hv: -EPERM" "$(lhv-cpuid --vmmcall)" \
		"vmmcall rax -1"
	out=$(lhvctl hv status)
	match "hv status: AMD SVM" "$out" "virtualization: +amd-svm"
	match "hv status: nested paging" "$out" "nested paging: +yes"

	mount -t debugfs none /sys/kernel/debug 2>/dev/null
	ok "modprobe lhv_test_hypercall" modprobe lhv_test_hypercall
	tap_passthrough cat /sys/kernel/debug/lhv_test_hypercall/results
	ok "rmmod lhv_test_hypercall" rmmod lhv_test_hypercall
	match "the hv logged the refused SOS accesses" "$(lhvctl hv log)" \
		"SOS access to gpa 0x[0-9a-f]+ refused"

	out=$(lhvctl hv stats)
	diag "$out"
	is "hv stats: one row per CPU" "$(echo "$out" | grep -c '^[0-9]')" \
		"$ncpu"
	# The module and lhvctl ran on whichever CPU: some CPU counted them.
	match "hv stats: hypercalls counted" \
		"$(lhvctl --json hv stats | grep -c '"hypercall":{"count":[1-9]')" \
		"^[1-9]"
	match "hv stats: the refused accesses counted as npf" \
		"$(lhvctl --json hv stats | grep -c '"npf":{"count":[1-9]')" \
		"^[1-9]"
	is "hv stats --json: one object per CPU" \
		"$(lhvctl --json hv stats | grep -c '^{"cpu":')" "$ncpu"
	ok "lhvctl hv disable" lhvctl hv disable
	ok "rmmod lhv" rmmod lhv
}
