# SPDX-License-Identifier: BSD-3-Clause
# What the `make run` box does inside the Service OS before it hands over
# a shell: load lhv, late-launch the hypervisor under this Linux, and give
# the service VM an lhv_blk disk served from the box's scratch disk, which
# Linux's own virtio_blk then drives. Grows with the project: user VMs and
# their devices join here as they land.
#@ modules: virtio_blk virtio_pci

guest_main() {
	local backing disk
	modprobe virtio_pci
	modprobe virtio_blk
	ok "modprobe lhv" modprobe lhv
	ok "lhvctl hv enable (this Linux now runs as the hypervisor's guest)" \
		lhvctl hv enable
	echo
	lhvctl status
	lhvctl hv status
	echo
	backing=$(disk_by_serial lhv-backing)
	ok "lhvctl blk add: a disk for the service VM from $backing" \
		lhvctl blk add --vm service --path "$backing" --serial box-disk --queues 2
	disk=$(disk_wait box-disk)
	echo
	lhvctl blk list
	echo
	ok "write and read back 4 MiB through lhv_blk ($disk)" sh -c \
		"dd if=/dev/urandom of=/tmp/a bs=1M count=4 2>/dev/null &&
		 dd if=/tmp/a of=$disk bs=1M oflag=direct 2>/dev/null &&
		 dd if=$disk of=/tmp/b bs=1M count=4 iflag=direct 2>/dev/null &&
		 cmp /tmp/a /tmp/b"
	echo "queue statistics: /sys/class/lhv/service/blk0/queue*/"
	echo "Not in the box yet: user VMs and the snd, heci and xhci backends"
	echo "(see the open issues)."
}
