# SPDX-License-Identifier: BSD-3-Clause
# The SOS's devices above the GiBs the hv maps up front: with 3 GiB of RAM
# QEMU puts the 64-bit PCI window at hundreds of GiB, where the box's
# virtio disk has its BAR. Under the hv the SOS still drives that disk:
# the hv maps the SOS's physical space there on first use (docs/hv.md).
#@ kernels: 6.12 6.1
#@ smp: 2
#@ mem: 3G
#@ disk: 64M
#@ modules: virtio_blk virtio_pci
#@ check: 6.12

guest_main() {
	local disk bar
	modprobe virtio_pci
	modprobe virtio_blk
	disk=$(disk_wait lhv-backing)
	match "the box's disk" "$disk" "^/dev/vd"
	bar=$(sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* : 0000:00:0[0-9].0$/\1/p' /proc/iomem |
		awk 'length($0) > 9' | head -n 1)
	diag "a 64-bit BAR at 0x$bar"
	match "a device BAR lies above 64 GiB" "$bar" "^[0-9a-f]{10,}$"
	ok "modprobe lhv" modprobe lhv
	ok "lhvctl hv enable" lhvctl hv enable
	ok "write the disk under the hv" \
		dd if=/dev/urandom of="$disk" bs=1M count=16 oflag=direct
	ok "read it back" dd if="$disk" of=/dev/null bs=1M count=16 iflag=direct
	match "the hv mapped the high space on first use" "$(lhvctl hv log)" \
		"NPT: SOS GiB [0-9]+ mapped on first use"
	not "and refused nothing" sh -c 'lhvctl hv log | grep -q "refused"'
	ok "lhvctl hv disable" lhvctl hv disable
}
