# SPDX-License-Identifier: BSD-3-Clause
# lhvctl hv enable puts every CPU under the hypervisor (CPUID 0x40000000
# shows the lhv signature, SVM disappears), the Service OS keeps running
# (timers, a disk read), lhvctl hv disable returns every CPU to bare metal;
# 20 round trips, then rmmod lhv with the hv running, then hv_enable=1.
#@ kernels: 6.12 6.1
#@ smp: 2
#@ timeout: 600
#@ disk: 64M
#@ modules: virtio_blk virtio_pci

sig_cpus() { # how many CPUs report the lhv signature
	lhv-cpuid | grep -c 'sig lhvlhvlhvlhv'
}

guest_main() {
	local ncpu i fails disk t0 t1
	ncpu=$(grep -c ^processor /proc/cpuinfo)
	modprobe virtio_pci
	modprobe virtio_blk
	disk=$(disk_wait lhv-backing)
	diag "cpus: $ncpu"
	is "bare metal: no CPU reports the signature" "$(sig_cpus)" 0

	ok "modprobe lhv" modprobe lhv
	match "hv status: absent" "$(lhvctl hv status)" "state: +absent"
	is "hv log: empty before an image was loaded" "$(lhvctl hv log)" ""
	ok "lhvctl hv enable" lhvctl hv enable
	out=$(lhvctl hv status)
	diag "$out"
	match "hv status: running" "$out" "state: +running"
	match "hv status: on every CPU" "$out" "CPUs: +$ncpu"
	match "hv status: image size" "$out" "image size: +[1-9][0-9]*"
	is "every CPU reports the signature" "$(sig_cpus)" "$ncpu"
	is "no CPU reports SVM" "$(lhv-cpuid | grep -c 'svm 1')" 0
	not "enable again is refused" lhvctl hv enable
	out=$(lhvctl hv log)
	match "hv log: hv entered on cpu 0" "$out" "lhv: hv [0-9.]+ entered on cpu 0"
	match "hv log: hv entered on cpu 1" "$out" "lhv: hv [0-9.]+ entered on cpu 1"
	match "hv log --json" "$(lhvctl --json hv log)" '^\{"log":"lhv: .*\\n"\}$'

	t0=$(cut -d' ' -f1 /proc/uptime)
	sleep 1
	t1=$(cut -d' ' -f1 /proc/uptime)
	ok "time advances under the hv ($t0 -> $t1)" \
		awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 0.9) }'
	ok "a disk read works under the hv" \
		dd if="$disk" of=/dev/null bs=1M count=16 iflag=direct
	ok "taskset works on each CPU" lhv-cpuid

	ok "lhvctl hv disable" lhvctl hv disable
	is "after disable no CPU reports the signature" "$(sig_cpus)" 0
	match "hv status: loaded" "$(lhvctl hv status)" "state: +loaded"
	not "disable again is refused" lhvctl hv disable
	match "hv log: the CPUs left" "$(lhvctl hv log)" "cpu 1: leaving after [0-9]+ exits"

	fails=0
	for i in $(seq 20); do
		lhvctl hv enable || fails=$((fails + 1))
		[ "$(sig_cpus)" = "$ncpu" ] || fails=$((fails + 1))
		dd if="$disk" of=/dev/null bs=64k count=4 iflag=direct 2>/dev/null ||
			fails=$((fails + 1))
		lhvctl hv disable || fails=$((fails + 1))
		[ "$(sig_cpus)" = 0 ] || fails=$((fails + 1))
	done
	is "20 enable/disable round trips" "$fails" 0

	ok "enable before rmmod" lhvctl hv enable
	ok "rmmod lhv with the hv running" rmmod lhv
	is "rmmod returned every CPU to bare metal" "$(sig_cpus)" 0

	ok "modprobe lhv hv_enable=1" modprobe lhv hv_enable=1
	is "every CPU runs under the hv" "$(sig_cpus)" "$ncpu"
	ok "rmmod lhv" rmmod lhv
	is "bare metal again" "$(sig_cpus)" 0
	dmesg | grep -E 'lhv' | tail -n 20 | while read -r l; do diag "$l"; done
}
