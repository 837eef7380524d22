# SPDX-License-Identifier: BSD-3-Clause
# Windows ("map a portion of host storage as a guest disk"): a disk on
# sectors [8192, 40960) of the backing sees exactly that range; heavy I/O
# and out-of-window requests leave every byte outside it unchanged;
# overlapping writers, windows past the end and bad numbers are refused by
# the kernel with a clear message.
#@ modules: virtio_blk virtio_pci
#@ tools: fio sfdisk
#@ disk: 64M
#@ timeout: 400
#@ check: 6.12

START=8192 SECTORS=32768 # 4 MiB in, 16 MiB long

outside_sum() { # checksum of the backing outside the window
	# lhv_blk's bios bypass the backing's page cache, and busybox dd may
	# read through it: drop it so the read sees the disk.
	blockdev --flushbufs "$1"
	{
		dd if="$1" bs=512 count=$START iflag=direct 2>/dev/null
		dd if="$1" bs=512 skip=$((START + SECTORS)) iflag=direct 2>/dev/null
	} | sha256sum | cut -d' ' -f1
}

refused() { # desc regex lhvctl-args...
	local desc=$1 re=$2 out rc
	shift 2
	out=$(lhvctl "$@" 2>&1)
	rc=$?
	is "$desc: refused (exit 1)" "$rc" 1
	match "$desc: the kernel says why" "$out" "$re"
}

guest_main() {
	local backing disk before after
	modprobe virtio_pci
	modprobe virtio_blk
	backing=$(disk_by_serial lhv-backing)
	ok "fill the backing with a pattern" \
		dd if=/dev/urandom of="$backing" bs=1M count=64 oflag=direct
	before=$(outside_sum "$backing")
	ok "modprobe lhv_blk" modprobe lhv_blk
	ok "blk add a window" lhvctl blk add --vm service --path "$backing" \
		--start $START --sectors $SECTORS --serial win-disk
	disk=$(disk_wait win-disk)
	is "the disk is the window's size" "$(cat /sys/block/${disk#/dev/}/size)" $SECTORS
	blockdev --flushbufs "$backing"
	is "its first sector is the window's first" \
		"$(dd if="$disk" bs=512 count=1 iflag=direct 2>/dev/null | sha256sum)" \
		"$(dd if="$backing" bs=512 skip=$START count=1 iflag=direct 2>/dev/null | sha256sum)"

	ok "heavy I/O in the window (fio verify, 2 jobs)" fio --name=w \
		--filename="$disk" --rw=randrw --bs=4k-256k --iodepth=32 \
		--ioengine=libaio --direct=1 --size=8M --numjobs=2 --offset_increment=8M \
		--verify=crc32c --do_verify=1 --verify_fatal=1
	# The block layer stops requests past the disk's end before they reach
	# the device; these try anyway, and must fail without effect.
	not "a write past the end of the disk fails" \
		dd if=/dev/zero of="$disk" bs=512 seek=$SECTORS count=8 oflag=direct
	is "a read past the end of the disk returns nothing" \
		"$(dd if="$disk" bs=512 skip=$SECTORS count=8 iflag=direct 2>/dev/null | wc -c)" 0
	is "the backing outside the window is unchanged" "$(outside_sum "$backing")" "$before"

	refused "an overlapping writer" "overlap|busy|in use" \
		blk add --vm service --path "$backing" --start $((START + SECTORS - 8)) --sectors 64
	refused "a read-only window over a writer" "overlap|busy|in use" \
		blk add --vm service --path "$backing" --start $START --sectors 8 --ro
	ok "a writer on a disjoint window is fine" lhvctl blk add --vm service \
		--path "$backing" --start 0 --sectors $START --serial low-disk
	refused "a window past the end" "past the end" \
		blk add --vm service --path "$backing" --start 131000 --sectors 1000
	refused "a missing backing" "No such file|not found|exist" \
		blk add --vm service --path /dev/nonexistent
	refused "a backing that is neither block device nor file" "block device|regular file" \
		blk add --vm service --path /proc --ro
	refused "zero queues" "queue|range" \
		blk add --vm service --path "$backing" --start 50000 --sectors 8 --queues 0
	refused "a queue size that is not a power of 2" "queue|power" \
		blk add --vm service --path "$backing" --start 50000 --sectors 8 --queue-size 100
	refused "an over-long serial" "serial|policy|validation|attribute" \
		blk add --vm service --path "$backing" --start 50000 --sectors 8 \
		--serial 123456789012345678901
	refused "an unknown VM" "no VM" blk add --vm nosuchvm --path "$backing"
	lhvctl blk add --vm service --path "$backing" --start 12abc 2>/dev/null
	is "a malformed number is a usage error (exit 2)" $? 2

	match "blk list shows both disks" "$(lhvctl blk list)" "win-disk"
	match "blk list --json" "$(lhvctl --json blk list | head -n 1)" '^\{.*"backing":"/dev/vd'
	is "blk list --json has one line per device" "$(lhvctl --json blk list | wc -l)" 2

	ok "rmmod lhv_blk" rmmod lhv_blk
	ok "the ro window is possible once the writer is gone" sh -c \
		"modprobe lhv_blk && lhvctl blk add --vm service --path $backing --start $START --sectors 8 --ro"
	ok "rmmod lhv_blk again" rmmod lhv_blk
	is "the backing outside the window is still unchanged" "$(outside_sum "$backing")" "$before"

	# A partition and its whole disk share sectors: windows are compared
	# on the whole disk.
	ok "partition the backing (sectors 2048+8192)" sh -c \
		"echo 'start=2048, size=8192' | /usr/bin/sfdisk -q $backing"
	ok "the partition appears" wait_for 5 test -b "${backing}1"
	ok "modprobe lhv_blk" modprobe lhv_blk
	ok "a read-only window on disk sectors 0+4096" lhvctl blk add \
		--vm service --path "$backing" --start 0 --sectors 4096 --ro
	refused "a writer on the partition, over those sectors" "overlap" \
		blk add --vm service --path "${backing}1" --sectors 1024
	ok "a writer on the partition beyond them is fine" lhvctl blk add \
		--vm service --path "${backing}1" --start 2048 --sectors 1024
	refused "a writer on the whole disk while a partition has one" \
		"in use|overlap" blk add --vm service --path "$backing" \
		--start 20000 --sectors 8
	ok "rmmod lhv_blk" rmmod lhv_blk
}
