# SPDX-License-Identifier: BSD-3-Clause
# CPU hotplug of the Service OS while the hv runs, on -smp 4: a CPU taken
# offline leaves the hv first (hv status counts one CPU less), and when it
# comes back it enters the hv again (signature on every CPU, disk I/O and
# timers keep working), ten times over and for two CPUs at once. A CPU
# that was offline during enable joins when it comes online; one offline
# during disable comes back on bare metal. Exit statistics follow the CPUs.
#@ kernels: 6.12 6.1
#@ smp: 4
#@ timeout: 600
#@ disk: 64M
#@ modules: virtio_blk virtio_pci
#@ check: 6.12

sig_cpus() { # how many online CPUs report the lhv signature
	lhv-cpuid 2>/dev/null | grep -c 'sig lhvlhvlhvlhv'
}

cpu_online() { # cpu 0|1
	echo "$2" >/sys/devices/system/cpu/cpu"$1"/online
}

hv_cpus() {
	lhvctl hv status | sed -n 's/^CPUs: *//p'
}

guest_main() {
	local ncpu i fails disk
	ncpu=$(grep -c ^processor /proc/cpuinfo)
	is "four CPUs" "$ncpu" 4
	modprobe virtio_pci
	modprobe virtio_blk
	disk=$(disk_wait lhv-backing)
	ok "modprobe lhv" modprobe lhv
	ok "lhvctl hv enable" lhvctl hv enable
	is "hv runs on 4 CPUs" "$(hv_cpus)" 4

	ok "cpu 2 offline" cpu_online 2 0
	is "hv status: 3 CPUs" "$(hv_cpus)" 3
	is "the 3 online CPUs still report the signature" "$(sig_cpus)" 3
	is "hv stats: 3 rows" "$(lhvctl hv stats | grep -c '^[0-9]')" 3
	ok "cpu 2 online" cpu_online 2 1
	is "hv status: 4 CPUs again" "$(hv_cpus)" 4
	is "cpu 2 reports the signature again" "$(sig_cpus)" 4

	fails=0
	for i in $(seq 10); do
		cpu_online 1 0 || fails=$((fails + 1))
		cpu_online 3 0 || fails=$((fails + 1))
		[ "$(hv_cpus)" = 2 ] || fails=$((fails + 1))
		dd if="$disk" of=/dev/null bs=64k count=4 iflag=direct \
			2>/dev/null || fails=$((fails + 1))
		cpu_online 1 1 || fails=$((fails + 1))
		cpu_online 3 1 || fails=$((fails + 1))
		[ "$(sig_cpus)" = 4 ] || fails=$((fails + 1))
	done
	is "10 rounds of unplugging and replugging two CPUs" "$fails" 0
	ok "time advances on a replugged CPU" \
		taskset -c 3 sh -c 'a=$(cat /proc/uptime); sleep 1; [ "$(cat /proc/uptime)" != "$a" ]'
	ok "a disk read from a replugged CPU" \
		taskset -c 1 dd if="$disk" of=/dev/null bs=64k count=16 iflag=direct

	ok "lhvctl hv disable" lhvctl hv disable
	ok "cpu 2 offline while disabled" cpu_online 2 0
	ok "lhvctl hv enable with cpu 2 offline" lhvctl hv enable
	is "hv runs on the 3 online CPUs" "$(hv_cpus)" 3
	ok "cpu 2 online joins the hv" cpu_online 2 1
	is "hv runs on 4 CPUs" "$(hv_cpus)" 4
	is "every CPU reports the signature" "$(sig_cpus)" 4

	ok "cpu 3 offline under the hv" cpu_online 3 0
	ok "lhvctl hv disable" lhvctl hv disable
	ok "cpu 3 online after disable" cpu_online 3 1
	is "cpu 3 came back on bare metal: no signature anywhere" \
		"$(sig_cpus)" 0
	match "the hv log shows cpu 2 entering again" "$(lhvctl hv log)" \
		"entered on cpu 2"
	ok "rmmod lhv" rmmod lhv
}
