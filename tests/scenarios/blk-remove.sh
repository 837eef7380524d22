# SPDX-License-Identifier: BSD-3-Clause
# Removing lhv_blk devices while I/O runs: `blk del` during fio, then
# `rmmod lhv_blk` with a busy device attached, end cleanly. I/O errors in
# the Service OS are expected; kernel warnings and hangs are not (the
# harness checks the log and the time).
#@ modules: virtio_blk virtio_pci
#@ tools: fio
#@ disk: 128M
#@ timeout: 300
#@ check: 6.12

busy_fio() { # device
	fio --name=busy --filename="$1" --rw=randrw --bs=4k --iodepth=32 \
		--ioengine=libaio --direct=1 --size=32M --time_based --runtime=60 \
		>/dev/null 2>&1 &
	echo $!
}

guest_main() {
	local backing disk pid
	modprobe virtio_pci
	modprobe virtio_blk
	backing=$(disk_by_serial lhv-backing)
	ok "modprobe lhv_blk" modprobe lhv_blk

	ok "blk add" lhvctl blk add --vm service --path "$backing" --queues 2 --serial rm-a
	disk=$(disk_wait rm-a)
	pid=$(busy_fio "$disk")
	sleep 3
	ok "blk del while fio runs" lhvctl blk del --vm service blk0
	ok "fio ends (with I/O errors) within 30 s" wait_pid 30 "$pid"
	not "the disk is gone" disk_by_serial rm-a
	is "blk list is empty" "$(lhvctl --json blk list | wc -l)" 0

	ok "blk add again" lhvctl blk add --vm service --path "$backing" --serial rm-b
	disk=$(disk_wait rm-b)
	pid=$(busy_fio "$disk")
	sleep 3
	ok "rmmod lhv_blk while fio runs" rmmod lhv_blk
	ok "fio ends within 30 s" wait_pid 30 "$pid"
	not "the disk is gone" disk_by_serial rm-b
	ok "the backing is free again: fio on it directly" fio --name=after \
		--filename="$backing" --rw=write --bs=64k --size=8M --direct=1 \
		--ioengine=libaio --verify=crc32c --do_verify=1
	ok "rmmod lhv" rmmod lhv
}
