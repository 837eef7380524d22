# SPDX-License-Identifier: BSD-3-Clause
# lhv_blk against a hostile driver: requests Linux's virtio_blk never
# sends. The test module lhv_test_vblk_raw is a raw virtio-blk driver that
# sends one crafted request at a time and records the status byte and
# used length. Requests crossing or past the window's end, overflowing
# sectors, data lengths that are not sector multiples, short headers and
# writes to a read-only device answer IOERR without touching the backing;
# unknown types answer UNSUPP; odd but valid framings (status inside the
# data buffer, header and data in one buffer) work; a chain without a
# status byte sets DEVICE_NEEDS_RESET with no hang, and a rebind of
# virtio_blk recovers the device. Also runs lhv-nl-abuse with lhv_blk
# loaded, so its lhv_blk cases run instead of being skipped.
#@ modules: virtio_blk virtio_pci
#@ disk: 64M
#@ timeout: 400

START=8192 SECTORS=16384     # the writable window: 4 MiB in, 8 MiB long
RO_START=24576 RO_SECTORS=8192 # the read-only window, right after it
RAW=/sys/kernel/debug/lhv_test_vblk_raw
LHV=/sys/class/lhv/service

# Read sectors of a disk as the device has them. busybox dd falls back to
# buffered reads when O_DIRECT refuses its unaligned buffer, and lhv_blk's
# bios bypass the backing's page cache: drop that cache first, or a stray
# write would go unseen.
disk_read() { # device first-sector [count]
	blockdev --flushbufs "$1" &&
		dd if="$1" bs=512 skip="$2" ${3:+count=$3} iflag=direct 2>/dev/null
}

outside_sum() { # checksum of the backing outside the writable window
	{
		disk_read "$1" 0 $START
		disk_read "$1" $((START + SECTORS))
	} | sha256sum | cut -d' ' -f1
}

sector_sum() { # device sector
	disk_read "$1" "$2" 1 | sha256sum | cut -d' ' -f1
}

not_x() { # device sector count: bytes in those sectors other than 'X'
	disk_read "$1" "$2" "$3" | tr -d X | wc -c
}

virtio_of() { # /dev/vdX -> virtioN
	basename "$(readlink -f "/sys/block/${1#/dev/}/device")"
}

driver_of() { # virtioN -> the name of the driver bound to it
	basename "$(readlink -f "/sys/bus/virtio/devices/$1/driver")"
}

raw_bind() { # virtioN: take it from virtio_blk, give it to the raw driver
	echo "$1" >/sys/bus/virtio/drivers/virtio_blk/unbind &&
		echo "$1" >/sys/module/lhv_test_vblk_raw/parameters/target &&
		echo "$1" >/sys/bus/virtio/drivers/lhv_test_vblk_raw/bind &&
		test -d "$RAW/$1"
}

# Send case $2 through the raw driver bound to $1; "status used" must be $3.
raw_case() { # virtioN case "status used" what
	local got
	echo "$2" >"$RAW/$1/run"
	got=$(grep "^$2 " "$RAW/$1/results" | tail -n 1)
	diag "$got"
	is "$2: $4 ($3)" "$(echo "$got" | cut -d' ' -f2,3)" "$3"
}

guest_main() {
	local backing disk ro v vro vf before last_sum
	modprobe virtio_pci
	modprobe virtio_blk
	backing=$(disk_by_serial lhv-backing)
	ok "fill the backing with random data" \
		dd if=/dev/urandom of="$backing" bs=1M count=64 oflag=direct
	before=$(outside_sum "$backing")
	last_sum=$(sector_sum "$backing" $((START + SECTORS - 1)))

	ok "modprobe lhv_blk" modprobe lhv_blk
	tap_passthrough lhv-nl-abuse

	ok "blk add a writable window" lhvctl blk add --vm service \
		--path "$backing" --start $START --sectors $SECTORS --serial hostile
	disk=$(disk_wait hostile)
	match "virtio_blk made its disk" "$disk" "^/dev/vd"
	ok "write a known first sector through virtio_blk" sh -c \
		"dd if=/dev/urandom of=/tmp/s0 bs=512 count=1 &&
		 dd if=/tmp/s0 of=$disk bs=512 count=1 oflag=direct"
	v=$(virtio_of "$disk")
	match "the disk's virtio device" "$v" "^virtio[0-9]+$"

	ok "load the raw driver (it binds nothing by itself)" \
		modprobe lhv_test_vblk_raw
	is "virtio_blk still drives the disk" "$(driver_of "$v")" virtio_blk
	ok "unbind virtio_blk, bind the raw driver" raw_bind "$v"
	is "the raw driver reads the window's capacity" \
		"$(cat "$RAW/$v/capacity")" $SECTORS

	raw_case "$v" out_cross "1 1" "OUT across the window's end: IOERR"
	raw_case "$v" out_past "1 1" "OUT at the capacity: IOERR"
	raw_case "$v" out_empty_past "1 1" "empty OUT past the end: IOERR"
	raw_case "$v" in_overflow "1 1" "IN at sector 2^64-16: IOERR"
	raw_case "$v" in_partial "1 1" "IN of 100 bytes: IOERR"
	raw_case "$v" unknown_type "2 1" "type 0x12345: UNSUPP"
	raw_case "$v" short_hdr "1 1" "8-byte header: IOERR"
	raw_case "$v" get_id_nobuf "1 1" "GET_ID without a buffer: IOERR"
	raw_case "$v" discard_unneg "2 1" "DISCARD, not negotiated: UNSUPP"
	raw_case "$v" in0 "0 513" "IN of sector 0: OK"
	ok "in0: the data is what virtio_blk wrote" cmp "$RAW/$v/data" /tmp/s0
	raw_case "$v" in0_onebuf "0 513" "IN, status inside the data buffer: OK"
	ok "in0_onebuf: the data is what virtio_blk wrote" \
		cmp "$RAW/$v/data" /tmp/s0
	raw_case "$v" in_last "0 513" "IN of the window's last sector: OK"
	is "in_last: the data is the backing's" \
		"$(sha256sum <"$RAW/$v/data" | cut -d' ' -f1)" "$last_sum"
	raw_case "$v" in_split_hdr "0 513" "IN, header in two segments: OK"
	ok "in_split_hdr: the data is what virtio_blk wrote" \
		cmp "$RAW/$v/data" /tmp/s0
	raw_case "$v" in_oddsegs "0 1025" "IN of 2 sectors in 100+824+100-byte segments: OK"
	is "in_oddsegs: the data is the backing's" \
		"$(sha256sum <"$RAW/$v/data" | cut -d' ' -f1)" \
		"$(disk_read "$backing" $START 2 | sha256sum | cut -d' ' -f1)"
	raw_case "$v" get_id "0 21" "GET_ID, 20 bytes: OK"
	match "get_id: the serial" "$(grep '^get_id ' "$RAW/$v/results")" \
		"^get_id 0 21 hostile$"
	raw_case "$v" out_empty "0 1" "empty OUT in the window: OK"
	raw_case "$v" out1_onebuf "0 1" "OUT, header and data in one buffer: OK"
	is "out1_onebuf: sector 1 of the window holds the data" \
		"$(not_x "$backing" $((START + 1)) 1)" 0
	raw_case "$v" out2_oddsegs "0 1" "OUT of 2 sectors in 100+824+100-byte segments: OK"
	is "out2_oddsegs: sectors 2-3 of the window hold the data" \
		"$(not_x "$backing" $((START + 2)) 2)" 0
	raw_case "$v" flush "0 1" "FLUSH: OK"
	is "the window's last sector is unchanged" \
		"$(sector_sum "$backing" $((START + SECTORS - 1)))" "$last_sum"
	is "the backing outside the window is unchanged" \
		"$(outside_sum "$backing")" "$before"
	is "errors counted: the refusals" "$(cat $LHV/blk0/queue0/errors)" 9

	# A read-only device: every write is refused.
	ok "blk add a read-only window" lhvctl blk add --vm service \
		--path "$backing" --start $RO_START --sectors $RO_SECTORS --ro \
		--serial hostile-ro
	ro=$(disk_wait hostile-ro)
	vro=$(virtio_of "$ro")
	ok "bind the raw driver to the read-only device" raw_bind "$vro"
	raw_case "$vro" out0 "1 1" "OUT to a read-only device: IOERR"
	raw_case "$vro" out_empty "1 1" "empty OUT to a read-only device: IOERR"
	raw_case "$vro" out1_onebuf "1 1" "one-buffer OUT to a read-only device: IOERR"
	raw_case "$vro" out2_oddsegs "1 1" "odd-segment OUT to a read-only device: IOERR"
	raw_case "$vro" flush "0 1" "FLUSH on a read-only device: OK"
	raw_case "$vro" in0 "0 513" "IN on a read-only device: OK"
	is "in0: the data is the backing's" \
		"$(sha256sum <"$RAW/$vro/data" | cut -d' ' -f1)" \
		"$(sector_sum "$backing" $RO_START)"
	raw_case "$vro" get_id "0 21" "GET_ID on a read-only device: OK"
	is "the backing outside the writable window is unchanged" \
		"$(outside_sum "$backing")" "$before"
	ok "unbind the raw driver from the read-only device" sh -c \
		"echo $vro >/sys/bus/virtio/drivers/lhv_test_vblk_raw/unbind"

	# A regular file: odd segments take the buffered path, aligned ones
	# asynchronous direct I/O where the file system offers it (tmpfs on
	# 6.12; on 6.1 tmpfs has no O_DIRECT and everything is buffered).
	ok "a 4 MiB file on /tmp" dd if=/dev/urandom of=/tmp/file.img bs=1M count=4
	ok "blk add the file" lhvctl blk add --vm service --path /tmp/file.img \
		--serial hostile-file
	vf=$(virtio_of "$(disk_wait hostile-file)")
	ok "write a known first sector through virtio_blk" \
		dd if=/tmp/s0 of="$(disk_wait hostile-file)" bs=512 count=1 oflag=direct
	ok "bind the raw driver to the file device" raw_bind "$vf"
	raw_case "$vf" in0 "0 513" "file: IN of sector 0: OK"
	ok "file in0: the data is what virtio_blk wrote" cmp "$RAW/$vf/data" /tmp/s0
	raw_case "$vf" in_oddsegs "0 1025" "file: IN in 100+824+100-byte segments: OK"
	is "file in_oddsegs: the data is the file's" \
		"$(sha256sum <"$RAW/$vf/data" | cut -d' ' -f1)" \
		"$(dd if=/tmp/file.img bs=512 count=2 2>/dev/null | sha256sum | cut -d' ' -f1)"
	raw_case "$vf" out1_onebuf "0 1" "file: OUT, header and data in one buffer: OK"
	raw_case "$vf" out2_oddsegs "0 1" "file: OUT in 100+824+100-byte segments: OK"
	is "file: sectors 1-3 hold the data" \
		"$(dd if=/tmp/file.img bs=512 skip=1 count=3 2>/dev/null | tr -d X | wc -c)" 0
	raw_case "$vf" out_past "1 1" "file: OUT at the capacity: IOERR"
	is "file: it did not grow" "$(stat -c %s /tmp/file.img)" 4194304
	raw_case "$vf" flush "0 1" "file: FLUSH: OK"
	ok "unbind the raw driver from the file device" sh -c \
		"echo $vf >/sys/bus/virtio/drivers/lhv_test_vblk_raw/unbind"

	# No writable byte at all: the device cannot answer; it must say so.
	raw_case "$v" no_status "255 0" "a chain without a status byte: used 0"
	wait_for 5 sh -c "[ -n \"\$(cat $LHV/blk0/needs_reset)\" ]"
	is "blk0 status has DEVICE_NEEDS_RESET (0x40)" "$(cat $LHV/blk0/status)" 0x4f
	match "needs_reset says why" "$(cat $LHV/blk0/needs_reset)" "status byte"
	raw_case "$v" in0 "timeout -" "the broken device takes no more requests"
	ok "unbind the raw driver (a reset) with a request pending" sh -c \
		"echo $v >/sys/bus/virtio/drivers/lhv_test_vblk_raw/unbind"
	is "the reset cleared needs_reset" "$(cat $LHV/blk0/needs_reset)" ""
	is "the reset cleared the status" "$(cat $LHV/blk0/status)" 0x01
	ok "virtio_blk binds again" sh -c \
		"echo $v >/sys/bus/virtio/drivers/virtio_blk/bind"
	disk=$(disk_wait hostile)
	is "virtio_blk reads the raw driver's writes (sectors 1-3)" \
		"$(not_x "$disk" 1 3)" 0
	is "... and sector 0 as it wrote it" "$(sector_sum "$disk" 0)" \
		"$(sha256sum </tmp/s0 | cut -d' ' -f1)"

	ok "rmmod lhv_test_vblk_raw" rmmod lhv_test_vblk_raw
	ok "rmmod lhv_blk with both devices attached" rmmod lhv_blk
	# lhv-nl-abuse's snd cases loaded lhv_snd on demand.
	ok "rmmod lhv_snd" rmmod lhv_snd
	ok "rmmod lhv" rmmod lhv
	is "the backing outside the window is unchanged at the end" \
		"$(outside_sum "$backing")" "$before"
}
