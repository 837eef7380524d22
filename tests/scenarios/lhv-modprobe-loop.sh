# SPDX-License-Identifier: BSD-3-Clause
# Loading and unloading lhv.ko 50 times in a row, with a netlink round trip
# each time, leaves no trace: no kernel warning (the harness checks the
# log), no leftover module, sysfs class or netlink family.
#@ timeout: 240

guest_main() {
	local i bad=0 slab_before slab_after

	modprobe lhv && rmmod lhv # warm up caches before measuring
	slab_before=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
	for i in $(seq 50); do
		if ! modprobe lhv || ! lhvctl status >/dev/null ||
			! rmmod lhv || [ -e /sys/class/lhv ]; then
			bad=$((bad + 1))
			echo "iteration $i failed"
		fi
	done
	slab_after=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
	is "50 load/status/unload cycles, none failed" "$bad" 0
	not "lhv is not loaded at the end" grep -q '^lhv ' /proc/modules
	not "no /sys/module/lhv left behind" test -e /sys/module/lhv
	match "the netlink family is gone" "$(lhvctl status 2>&1)" "not loaded"
	# Informational only: slab totals move by a few hundred kB on their own,
	# so they cannot tell a small leak; Debian's kernels have no kmemleak.
	diag "slab: ${slab_before} kB before, ${slab_after} kB after"
}
