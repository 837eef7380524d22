# SPDX-License-Identifier: BSD-3-Clause
# User VMs without a kernel: the SOS (CPU 0) gives CPU 1 to a user VM that
# runs tiny 64-bit programs (userspace/tools/uvm-payloads.S) loaded through
# /dev/lhv-<vm>. The VM prints on its emulated COM1, sees the lhv
# signature and no SVM, may not manage VMs, cannot IPI the SOS; a triple
# fault and an access beyond its RAM mark it crashed without touching the
# SOS; a spinning VM stops by force; destroy gives the CPU back online
# under the hv. Hostile create requests are refused with reasons.
#@ kernels: 6.12 6.1
#@ smp: 2
#@ timeout: 400

sig_cpus() {
	lhv-cpuid 2>/dev/null | grep -c 'sig lhvlhvlhvlhv'
}

vm_state() {
	lhvctl vm show "$1" | sed -n 's/^state: *//p'
}

console_has() { # vm text: wait up to 10 s for text on the VM's console
	local i
	for i in $(seq 100); do
		lhvctl vm console "$1" | grep -qF "$2" && return 0
		sleep 0.1
	done
	return 1
}

state_becomes() { # vm state: wait up to 10 s
	local i
	for i in $(seq 100); do
		[ "$(vm_state "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

run_payload() { # vm payload: create on CPU 1, load, start
	lhvctl vm create "$1" --cpus 1 --mem 64M &&
		lhv-uvm-payload "$1" "$2" &&
		lhvctl vm start "$1"
}

guest_main() {
	local out t0 t1
	ok "modprobe lhv" modprobe lhv
	not "create before the hv runs is refused" \
		lhvctl vm create early --cpus 1 --mem 64M
	ok "lhvctl hv enable" lhvctl hv enable

	ok "create uvm1 on CPU 1 with 64 MiB" \
		lhvctl vm create uvm1 --cpus 1 --mem 64M \
		--uuid 6c687631-0000-4000-8000-000000000001
	is "CPU 1 went offline in the SOS" \
		"$(cat /sys/devices/system/cpu/cpu1/online)" 0
	is "the hv runs the SOS on 1 CPU" \
		"$(lhvctl hv status | sed -n 's/^CPUs: *//p')" 1
	ok "/dev/lhv-uvm1 exists" test -c /dev/lhv-uvm1
	out=$(lhvctl vm show uvm1)
	match "vm show: created" "$out" "state: +created"
	match "vm show: its UUID" "$out" "uuid: +6c687631-0000-4000-8000-000000000001"
	match "vm show: CPU 1" "$out" "CPUs: +1$"
	match "vm show: 64 MiB" "$out" "memory: +67108864"
	is "sysfs shows the VM" "$(cat /sys/class/lhv/uvm1/state)" created
	not "start before load is refused" lhvctl vm start uvm1
	match "... saying to load it first" "$(lhvctl vm start uvm1 2>&1)" \
		"load the VM first"

	ok "load the hello program" lhv-uvm-payload uvm1 hello
	is "state: loaded" "$(vm_state uvm1)" loaded
	ok "vm start" lhvctl vm start uvm1
	ok "the VM prints on its console" \
		console_has uvm1 "lhv-uvm: hello from a user VM"
	is "state: running" "$(vm_state uvm1)" running
	t0=$(cut -d' ' -f1 /proc/uptime)
	sleep 1
	t1=$(cut -d' ' -f1 /proc/uptime)
	ok "the SOS keeps time while the VM runs ($t0 -> $t1)" \
		sh -c "[ '$t0' != '$t1' ]"
	ok "vm stop (forced: a payload has no lifecycle agent)" \
		lhvctl vm stop --force uvm1
	is "state: stopped" "$(vm_state uvm1)" stopped
	not "hv disable with a VM is refused" lhvctl hv disable
	ok "vm destroy" lhvctl vm destroy uvm1
	is "CPU 1 is back online" "$(cat /sys/devices/system/cpu/cpu1/online)" 1
	is "... under the hv" "$(sig_cpus)" 2
	not "/dev/lhv-uvm1 is gone" test -e /dev/lhv-uvm1

	ok "cpuid program" run_payload uvm2 cpuid
	ok "the VM sees the lhv signature, no SVM, API 1, no VM management" \
		console_has uvm2 "sig=lhvlhvlhvlhv svm=0 api=1 destroy=EPERM"
	diag "uvm2 console: $(lhvctl vm console uvm2)"
	ok "destroy a running VM" lhvctl vm destroy uvm2

	ok "ipi program" run_payload uvm3 ipi
	ok "its IPI, INIT and SIPI to the SOS's CPU went nowhere" \
		console_has uvm3 "ipi sent"
	match "the hv log says it dropped the IPI" "$(lhvctl hv log)" \
		"vm [0-9]+: IPI dropped, destination outside the VM \(icr 0xef\)"
	match "... the INIT" "$(lhvctl hv log)" \
		"vm [0-9]+: IPI dropped, destination outside the VM \(icr 0xc500\)"
	match "... and the SIPI" "$(lhvctl hv log)" \
		"vm [0-9]+: IPI dropped, destination outside the VM \(icr 0x610\)"
	ok "the SOS's CPU 0 is still running it" \
		sh -c 'echo x >/tmp/f && [ "$(cat /tmp/f)" = x ]'
	ok "destroy" lhvctl vm destroy uvm3

	ok "triple fault program" run_payload uvm4 triple
	ok "the VM crashes" state_becomes uvm4 crashed
	match "... as a triple fault" "$(lhvctl vm show uvm4)" \
		"crashed: +triple fault"
	ok "destroy the crashed VM" lhvctl vm destroy uvm4

	ok "npf program" run_payload uvm5 npf
	ok "a read beyond RAM answers all ones (the write went nowhere)" \
		console_has uvm5 "read beyond RAM: all ones"
	is "the VM keeps running" "$(vm_state uvm5)" running
	match "the hv log names the access" "$(lhvctl hv log)" \
		"vm [0-9]+: read of 8 bytes at gpa 0x80000000: nothing there"
	ok "destroy" lhvctl vm destroy uvm5
	ok "npfexec program" run_payload uvm5 npfexec
	ok "code outside RAM crashes the VM" state_becomes uvm5 crashed
	match "... and says why" "$(lhvctl vm show uvm5)" \
		"crashed: +code fetch outside RAM at gpa 0x80000000"
	ok "destroy" lhvctl vm destroy uvm5

	ok "spin program" run_payload uvm6 spin
	ok "it spins" console_has uvm6 "spinning"
	ok "forced stop of a spinning VM" lhvctl vm stop --force uvm6
	is "state: stopped" "$(vm_state uvm6)" stopped
	ok "restart it" lhvctl vm start uvm6
	ok "it runs again from its boot state" \
		sh -c '[ "$(lhvctl vm console uvm6 | grep -c spinning)" = 2 ] ||
			{ sleep 1; [ "$(lhvctl vm console uvm6 | grep -c spinning)" = 2 ]; }'
	ok "destroy a spinning VM" lhvctl vm destroy uvm6

	not "CPU 0 cannot be given" lhvctl vm create bad --cpus 0 --mem 64M
	match "... because the SOS keeps it" \
		"$(lhvctl vm create bad --cpus 0 --mem 64M 2>&1)" "CPU 0 stays"
	not "a CPU that does not exist" lhvctl vm create bad --cpus 7 --mem 64M
	not "memory not a multiple of 2 MiB" lhvctl vm create bad --cpus 1 --mem 3M
	not "more than 3 GiB" lhvctl vm create bad --cpus 1 --mem 4G
	not "a bad name" lhvctl vm create 'b/d' --cpus 1 --mem 64M
	ok "create uvm7" lhvctl vm create uvm7 --cpus 1 --mem 64M
	not "the same name twice" lhvctl vm create uvm7 --cpus 1 --mem 64M
	not "a CPU another VM holds" lhvctl vm create uvm8 --cpus 1 --mem 64M
	ok "rmmod lhv with a VM destroys it" rmmod lhv
	is "CPU 1 is back online" "$(cat /sys/devices/system/cpu/cpu1/online)" 1
	is "bare metal everywhere" "$(sig_cpus)" 0
}
