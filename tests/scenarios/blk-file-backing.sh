# SPDX-License-Identifier: BSD-3-Clause
# lhv_blk on a regular file (on ext4 on the box's disk): fio verify at 512 B
# and 64 KiB, a window of the file, FLUSH, DISCARD punching holes in the
# file, WRITE_ZEROES, and a read-only file device; then a clean fsck of the
# host file system that holds the files.
#@ modules: virtio_blk virtio_pci ext4 crc32c_generic
#@ tools: fio mkfs.ext4 e2fsck blkdiscard
#@ files: /etc/mke2fs.conf
#@ disk: 256M
#@ timeout: 400
#@ check: 6.12

fio_verify() { # device bs
	fio --name=f --filename="$1" --rw=randwrite --bs="$2" --iodepth=16 \
		--ioengine=libaio --direct=1 --size=8M --verify=crc32c \
		--do_verify=1 --verify_fatal=1 >/tmp/fio.out 2>&1 || {
		tail -n 20 /tmp/fio.out
		return 1
	}
}

guest_main() {
	local backing disk win ro blocks_before blocks_after
	modprobe virtio_pci
	modprobe virtio_blk
	modprobe crc32c_generic
	modprobe ext4
	backing=$(disk_by_serial lhv-backing)
	ok "mkfs.ext4 on the box's disk" mkfs.ext4 -q -F "$backing"
	mkdir -p /host
	ok "mount it" mount -t ext4 "$backing" /host
	ok "a 64 MiB sparse file" truncate -s 64M /host/disk.img
	ok "modprobe lhv_blk" modprobe lhv_blk
	ok "blk add the file" lhvctl blk add --vm service --path /host/disk.img --serial file-disk
	disk=$(disk_wait file-disk)
	is "the disk has the file's size" "$(blockdev --getsize64 "$disk")" 67108864
	ok "fio verify, 512 B blocks" fio_verify "$disk" 512
	ok "fio verify, 64 KiB blocks" fio_verify "$disk" 64k
	ok "write and fsync (FLUSH)" dd if=/dev/urandom of="$disk" bs=1M count=8 conv=fsync

	blocks_before=$(stat -c %b /host/disk.img)
	ok "DISCARD 4 MiB" /usr/bin/blkdiscard -o 0 -l 4194304 "$disk"
	blocks_after=$(stat -c %b /host/disk.img)
	ok "the file lost blocks (hole punched): $blocks_before -> $blocks_after" \
		test "$blocks_after" -lt "$blocks_before"
	is "the discarded range reads as zeroes" \
		"$(dd if="$disk" bs=1M count=4 iflag=direct 2>/dev/null | tr -d '\000' | wc -c)" 0
	ok "WRITE_ZEROES 1 MiB" /usr/bin/blkdiscard -z -o 4194304 -l 1048576 "$disk"
	is "... reads as zeroes" \
		"$(dd if="$disk" bs=1M skip=4 count=1 iflag=direct 2>/dev/null | tr -d '\000' | wc -c)" 0

	ok "a 32 MiB file for windows" truncate -s 32M /host/win.img
	ok "blk add a window of it" lhvctl blk add --vm service --path /host/win.img \
		--start 2048 --sectors 4096 --serial file-win
	win=$(disk_wait file-win)
	is "the window's size" "$(cat /sys/block/${win#/dev/}/size)" 4096
	ok "fio verify in the window" fio --name=w --filename="$win" --rw=randwrite \
		--bs=4k --size=2M --direct=1 --ioengine=libaio --verify=crc32c --do_verify=1
	is "nothing written before the window" \
		"$(dd if=/host/win.img bs=512 count=2048 2>/dev/null | tr -d '\000' | wc -c)" 0
	is "nothing written after the window" \
		"$(dd if=/host/win.img bs=512 skip=6144 2>/dev/null | tr -d '\000' | wc -c)" 0

	ok "blk add a read-only file device" lhvctl blk add --vm service \
		--path /host/win.img --start 8192 --sectors 2048 --ro --serial file-ro
	ro=$(disk_wait file-ro)
	not "it refuses writes" dd if=/dev/zero of="$ro" bs=4096 count=1 oflag=direct

	ok "rmmod lhv_blk" rmmod lhv_blk
	ok "umount the host file system" umount /host
	ok "fsck of the host file system is clean" e2fsck -fn "$backing"
	ok "rmmod lhv" rmmod lhv
}
