# SPDX-License-Identifier: BSD-3-Clause
# Linux user VMs with more than one CPU, and two Linux VMs at once, on
# -smp 4 (the SOS keeps CPU 0): uosa gets CPUs 1 and 2, whose second vCPU
# Linux starts with INIT/SIPI through the hv (x2APIC ICR writes checked
# to stay in the VM); uosb gets CPU 3. Each VM has its own console and
# memory; both run at once and are destroyed while running.
#@ kernels: 6.12 6.1
#@ check: 6.12
#@ smp: 4
#@ timeout: 600

host_prepare() {
	"$LHV_TOP/tests/harness/mkuos.sh" "$2" "$1/guest-files"
}

wait_console() { # vm text
	local i
	for i in $(seq 900); do
		lhvctl vm console "$1" | grep -qF "$2" && return 0
		sleep 0.1
	done
	return 1
}

load() { # vm
	local khz
	khz=$(dmesg | sed -n 's/.*tsc: Detected \([0-9]*\)\.\([0-9]\{3\}\).* MHz.*/\1\2/p' | head -n 1)
	lhvctl vm load "$1" --kernel /host/bzImage --kernel-sig /dev/null \
		--initrd /host/uos-initrd.gz --insecure --tsc-khz "$khz" \
		--cmdline "console=ttyS0 loglevel=7 lhv.name=$1"
}

guest_main() {
	ok "modprobe lhv" modprobe lhv
	ok "lhvctl hv enable" lhvctl hv enable
	ok "create uosa on CPUs 1 and 2" lhvctl vm create uosa --cpus 1,2 --mem 256M
	ok "create uosb on CPU 3" lhvctl vm create uosb --cpus 3 --mem 192M
	is "the SOS has CPU 0 left" "$(cat /sys/devices/system/cpu/online)" 0
	ok "load uosa" load uosa
	ok "load uosb" load uosb
	ok "start uosa" lhvctl vm start uosa
	ok "start uosb" lhvctl vm start uosb
	ok "uosa brings up its second CPU (INIT/SIPI)" \
		wait_console uosa "smp: Brought up 1 node, 2 CPUs"
	ok "uosb runs on one CPU" wait_console uosb "smp: Brought up 1 node, 1 CPU"
	ok "uosa reaches /init" wait_console uosa "lhv-uos: marker from the user VM"
	ok "uosb reaches /init" wait_console uosb "lhv-uos: marker from the user VM"
	match "each console is its own: uosa's says uosa" \
		"$(lhvctl vm console uosa | grep -c 'lhv.name=uosa')" "^[1-9]"
	is "... and never uosb" "$(lhvctl vm console uosa | grep -c 'lhv.name=uosb')" 0
	is "... and uosb's never uosa" \
		"$(lhvctl vm console uosb | grep -c 'lhv.name=uosa')" 0
	match "uosa sees its 256 MiB" "$(lhvctl vm console uosa)" \
		"Memory: [0-9]+K/2[0-9]{5}K available"
	match "uosb sees its 192 MiB" "$(lhvctl vm console uosb)" \
		"Memory: [0-9]+K/1[0-9]{5}K available"
	is "uosa is running" "$(lhvctl vm show uosa | sed -n 's/^state: *//p')" running
	is "uosb is running" "$(lhvctl vm show uosb | sed -n 's/^state: *//p')" running
	ok "the SOS still works" sh -c 'echo x >/tmp/f && [ "$(cat /tmp/f)" = x ]'
	ok "destroy uosa while it runs" lhvctl vm destroy uosa
	ok "destroy uosb while it runs" lhvctl vm destroy uosb
	is "every CPU is back online" "$(cat /sys/devices/system/cpu/online)" 0-3
	ok "lhvctl hv disable" lhvctl hv disable
}
