# SPDX-License-Identifier: BSD-3-Clause
# lhv_blk features as Linux's virtio_blk sees them: GET_ID returns the
# serial; a read-only device refuses writes; FLUSH reaches the backing;
# DISCARD and WRITE_ZEROES read back as zeroes; the guest switches the
# cache mode (CONFIG_WCE); defaults when no serial is given.
#@ modules: virtio_blk virtio_pci
#@ tools: blkdiscard
#@ disk: 64M
#@ timeout: 300

flushes() { # completed flush requests of a block device (/sys/block/X/stat)
	awk '{ print $16 }' "/sys/block/${1#/dev/}/stat"
}

nonzero_bytes() { # device offset length
	dd if="$1" bs=4096 skip=$(($2 / 4096)) count=$(($3 / 4096)) iflag=direct 2>/dev/null |
		tr -d '\000' | wc -c
}

guest_main() {
	local backing disk ro before
	modprobe virtio_pci
	modprobe virtio_blk
	backing=$(disk_by_serial lhv-backing)
	ok "modprobe lhv_blk" modprobe lhv_blk
	ok "blk add, writeback" lhvctl blk add --vm service --path "$backing" \
		--sectors 65536 --serial feat-disk --cache writeback
	disk=$(disk_wait feat-disk)
	match "the loopback disk appears" "$disk" "^/dev/vd"
	is "GET_ID: the guest reads the serial" "$(cat /sys/block/${disk#/dev/}/serial)" feat-disk
	is "cache mode as configured" "$(cat /sys/block/${disk#/dev/}/queue/write_cache)" "write back"

	# FLUSH: a flush of the loopback disk becomes a flush of the backing.
	before=$(flushes "$backing")
	ok "write and fsync through the loopback disk" \
		dd if=/dev/urandom of="$disk" bs=4096 count=16 conv=fsync
	match "the backing saw a flush" "$(($(flushes "$backing") - before))" "^[1-9]"

	# The guest switches to writethrough and back (CONFIG_WCE).
	ok "guest switches to write through" \
		sh -c "echo 'write through' >/sys/block/${disk#/dev/}/cache_type"
	is "... the device reports it" "$(cat /sys/block/${disk#/dev/}/cache_type)" "write through"
	ok "guest switches back to write back" \
		sh -c "echo 'write back' >/sys/block/${disk#/dev/}/cache_type"

	# DISCARD and WRITE_ZEROES.
	ok "fill 4 MiB with data" dd if=/dev/urandom of="$disk" bs=1M count=4 oflag=direct
	match "... it is not zero" "$(nonzero_bytes "$disk" 0 4194304)" "^[1-9]"
	ok "WRITE_ZEROES (blkdiscard -z) of 1 MiB" /usr/bin/blkdiscard -z -o 0 -l 1048576 "$disk"
	is "... reads back as zeroes" "$(nonzero_bytes "$disk" 0 1048576)" 0
	if [ "$(cat /sys/block/${disk#/dev/}/queue/discard_max_bytes)" != 0 ]; then
		ok "DISCARD (blkdiscard) of 1 MiB" /usr/bin/blkdiscard -o 1048576 -l 1048576 "$disk"
		is "... reads back as zeroes" "$(nonzero_bytes "$disk" 1048576 1048576)" 0
	else
		not "DISCARD is offered (the backing supports it)" true
	fi
	is "data after the zeroed ranges is intact" \
		"$(nonzero_bytes "$disk" 2097152 2097152 | sed 's/^[1-9][0-9]*$/data/')" data

	# A second, read-only device on another window.
	ok "blk add read-only window" lhvctl blk add --vm service --path "$backing" \
		--start 65536 --sectors 32768 --ro --serial ro-disk
	ro=$(disk_wait ro-disk)
	is "the read-only disk is read-only" "$(blockdev --getro "$ro")" 1
	not "writes to it fail" dd if=/dev/zero of="$ro" bs=4096 count=1 oflag=direct
	ok "reads from it work" dd if="$ro" of=/dev/null bs=4096 count=16 iflag=direct

	# No serial given: a sensible default.
	ok "blk add without a serial" lhvctl blk add --vm service --path "$backing" \
		--start 98304 --sectors 8192
	sleep 1
	match "the default serial is lhv-<vm>-<device>" \
		"$(disk_wait lhv-service-blk2)" "^/dev/vd"

	ok "rmmod lhv_blk with three devices attached" rmmod lhv_blk
	not "their disks are gone" disk_by_serial feat-disk
	ok "rmmod lhv" rmmod lhv
}
