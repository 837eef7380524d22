# SPDX-License-Identifier: BSD-3-Clause
# lhv.ko loads, answers `lhvctl status` and `vm show` over its generic
# netlink family, exposes /sys/class/lhv, refuses malformed requests with
# an extack message (and no kernel warning), checks its module parameter,
# and unloads cleanly.
#@ timeout: 180

long_name=$(printf 'x%.0s' $(seq 200))

guest_main() {
	local sub
	match "lhvctl --version" "$(lhvctl --version)" '^lhvctl [0-9]+\.[0-9]+\.[0-9]+ \(ABI [0-9]+\)$'
	for sub in "" status "vm show"; do
		# shellcheck disable=SC2086
		match "lhvctl $sub --help" "$(lhvctl $sub --help)" "^Usage: lhvctl"
	done
	lhvctl bogus 2>/dev/null
	is "an unknown command is a usage error (exit 2)" $? 2
	lhvctl vm show 2>/dev/null
	is "a missing argument is a usage error (exit 2)" $? 2

	not "lhvctl without the module says so" lhvctl status
	match "... and tells the user to load it" "$(lhvctl status 2>&1)" "modprobe lhv"

	match "modinfo documents the max_vms parameter" \
		"$(modinfo lhv | grep '^parm:')" "max_vms:Most VMs"
	match "modinfo names the license" "$(modinfo lhv | grep '^license:')" "Dual BSD/GPL"
	ok "modprobe lhv" modprobe lhv
	is "sysfs version is the module's version" \
		"$(cat /sys/class/lhv/version)" "$(cat /sys/module/lhv/version)"
	is "sysfs ABI version" "$(cat /sys/class/lhv/abi_version)" \
		"$(lhvctl --version | sed 's/.*ABI \([0-9]*\).*/\1/')"
	is "max_vms default" "$(cat /sys/module/lhv/parameters/max_vms)" 8

	ok "lhvctl status" lhvctl status
	out=$(lhvctl status)
	match "status names the module version" "$out" \
		"module version: +$(cat /sys/module/lhv/version)"
	match "status reports the hypervisor absent" "$out" "hypervisor: +absent"
	match "status reports max VMs" "$out" "max VMs: +8"
	match "status --json" "$(lhvctl --json status)" \
		'^\{"module_version":"[0-9.]+","abi_version":[0-9]+,"hypervisor":"absent","max_vms":8\}$'

	match "vm show service" "$(lhvctl vm show service)" "running"
	match "vm show --json" "$(lhvctl --json vm show service)" '"id":0'
	is "sysfs state of the service VM" "$(cat /sys/class/lhv/service/state)" running
	is "sysfs id of the service VM" "$(cat /sys/class/lhv/service/id)" 0

	not "vm show of an unknown VM fails" lhvctl vm show nosuchvm
	match "... with the kernel's extack text" "$(lhvctl vm show nosuchvm 2>&1)" \
		"no VM of that name"
	not "an over-long VM name is refused" lhvctl vm show "$long_name"
	match "... with the kernel's extack text" \
		"$(lhvctl vm show "$long_name" 2>&1)" "policy|validation|attribute"

	tap_passthrough lhv-nl-abuse
	# Its blk DEV_ADD made lhv.ko load the backend on demand (lhv-dev-blk).
	match "lhv_blk was loaded on demand" "$(cat /proc/modules)" "^lhv_blk "
	ok "rmmod lhv_blk" rmmod lhv_blk
	# Likewise lhv_snd (lhv-dev-snd) for its snd cases.
	match "lhv_snd was loaded on demand" "$(cat /proc/modules)" "^lhv_snd "
	ok "rmmod lhv_snd" rmmod lhv_snd

	ok "rmmod lhv" rmmod lhv
	not "/sys/class/lhv is gone" test -e /sys/class/lhv
	not "lhvctl fails once the module is gone" lhvctl status

	not "max_vms=0 is refused" modprobe lhv max_vms=0
	not "max_vms=65 is refused" modprobe lhv max_vms=65
	ok "max_vms=64 is accepted" modprobe lhv max_vms=64
	match "status reports it" "$(lhvctl status)" "max VMs: +64"
	ok "rmmod lhv again" rmmod lhv
}
