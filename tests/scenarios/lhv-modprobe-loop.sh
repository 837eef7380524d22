# SPDX-License-Identifier: BSD-3-Clause
# Loading and unloading lhv.ko 50 times in a row, with a netlink round trip
# each time, leaves no trace: no warning, no leftover sysfs or family.
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
	diag "slab: ${slab_before} kB before, ${slab_after} kB after"
	# Slab moves by itself; a per-cycle leak of a few objects would not
	# show, a leak of pages per cycle would (50 cycles x 4 kB = 200 kB).
	ok "slab grew by less than 200 kB" test $((slab_after - slab_before)) -lt 200
}
