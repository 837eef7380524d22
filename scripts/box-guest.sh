# SPDX-License-Identifier: BSD-3-Clause
# What the `make run` box does inside the Service OS before it hands over
# a shell: load lhv and show what it manages. Grows with the project: the
# hypervisor, a user VM and its devices join here as they land.

guest_main() {
	ok "modprobe lhv" modprobe lhv
	echo
	lhvctl status
	echo
	lhvctl vm show service
	echo
	echo "sysfs: $(ls /sys/class/lhv | tr '\n' ' ')"
	echo "Not in the box yet: the hypervisor (hv), user VMs and device backends"
	echo "(see the open issues); lhvctl status shows the hypervisor as absent."
}
