# SPDX-License-Identifier: BSD-3-Clause
# The virtio device core end to end on the loopback transport: the test
# module lhv_test_blk registers an 8-sector RAM virtio-blk device on the
# service VM, the stock virtio_blk driver binds to it, reads its pattern and
# writes through it; sysfs shows status, features and queue statistics.
# Breaking the driver's ring sets DEVICE_NEEDS_RESET (status bit 0x40) with
# no hang or warning, and a driver rebind (a reset) brings the device back.
# Unloading the module with the disk in use ends in I/O errors, not hangs.
#@ timeout: 300
#@ modules: virtio_blk
#@ check: 6.12

dev=/sys/class/lhv/service/testblk0

# The sector's bytes, all equal to $2, from the disk (no page cache).
sector_is() { # sector char
	[ "$(dd if=/dev/vda bs=512 skip="$1" count=1 iflag=direct 2>/dev/null |
		tr -d "$2" | wc -c)" = 0 ] &&
		[ "$(dd if=/dev/vda bs=512 skip="$1" count=1 iflag=direct \
			2>/dev/null | wc -c)" = 512 ]
}

virtio_name() {
	basename "$(readlink -f /sys/class/lhv/service/virtio*)"
}

rebind() {
	local v
	v=$(virtio_name)
	echo "$v" >/sys/bus/virtio/drivers/virtio_blk/unbind &&
		echo "$v" >/sys/bus/virtio/drivers/virtio_blk/bind &&
		wait_for 10 test -b /dev/vda
}

needs_reset_test() { # how
	local before
	ok "corrupt=$1 is accepted" sh -c \
		"echo $1 >/sys/module/lhv_test_blk/parameters/corrupt"
	wait_for 5 sh -c "[ -n \"\$(cat $dev/needs_reset)\" ]"
	match "corrupt=$1: status has DEVICE_NEEDS_RESET (0x40)" \
		"$(cat $dev/status)" '^0x4f$'
	match "corrupt=$1: needs_reset names the broken queue" \
		"$(cat $dev/needs_reset)" "queue 0: ring broken \\($2\\)"
	before=$(cat $dev/queue0/requests)
	ok "corrupt=$1: driver rebind (device reset) works" rebind
	is "corrupt=$1: status after the reset" "$(cat $dev/status)" 0x0f
	is "corrupt=$1: needs_reset is cleared" "$(cat $dev/needs_reset)" ""
	ok "corrupt=$1: the disk reads again" sector_is 7 H
	match "corrupt=$1: requests keep counting" \
		"$(cat $dev/queue0/requests)" "^[0-9]+$"
	[ "$(cat $dev/queue0/requests)" -gt "$before" ]
	is "corrupt=$1: ... and grew" $? 0
}

guest_main() {
	local req bytes irq kicks pid
	ok "modprobe virtio_blk" modprobe virtio_blk
	ok "modprobe lhv" modprobe lhv
	match "busy_poll_us defaults to 0" \
		"$(cat /sys/module/lhv/parameters/busy_poll_us)" "^0$"
	ok "load the test device" modprobe lhv_test_blk
	ok "virtio_blk made /dev/vda" wait_for 10 test -b /dev/vda
	is "capacity is 8 sectors" "$(cat /sys/block/vda/size)" 8
	is "sysfs type" "$(cat $dev/type)" blk
	is "sysfs status: ACK|DRIVER|FEATURES_OK|DRIVER_OK" "$(cat $dev/status)" 0x0f
	# VERSION_1 (32), EVENT_IDX (29), INDIRECT_DESC (28), SEG_MAX (2).
	is "sysfs features (negotiated)" "$(cat $dev/features)" 0x0000000130000004
	is "sysfs needs_reset is empty" "$(cat $dev/needs_reset)" ""
	is "queue0 size" "$(cat $dev/queue0/size)" 128
	is "the driver's queue runs in a worker thread" \
		"$(grep -l 'lhv-service-tes' /proc/[0-9]*/comm 2>/dev/null | wc -l)" 1

	ok "sector 0 holds its pattern" sector_is 0 A
	ok "sector 7 holds its pattern" sector_is 7 H
	not "reading past the end fails" sh -c \
		"dd if=/dev/vda bs=512 skip=8 count=1 iflag=direct 2>&1 | grep -q '1+0 records in'"

	req=$(cat $dev/queue0/requests)
	bytes=$(cat $dev/queue0/bytes)
	ok "write sector 5 (direct)" sh -c \
		"yes z | tr -d '\\n' | dd of=/dev/vda bs=512 seek=5 count=1 iflag=fullblock oflag=direct"
	ok "sector 5 reads back what was written" sector_is 5 z
	ok "buffered write + sync + drop caches" sh -c \
		"yes q | tr -d '\\n' | dd of=/dev/vda bs=512 seek=2 count=1 iflag=fullblock && sync && echo 3 >/proc/sys/vm/drop_caches"
	ok "sector 2 reads back what was written" sector_is 2 q
	ok "sector 3 is untouched" sector_is 3 D
	[ "$(cat $dev/queue0/requests)" -gt "$req" ]
	is "queue0/requests grows" $? 0
	[ "$(cat $dev/queue0/bytes)" -ge $((bytes + 2048)) ]
	is "queue0/bytes grows by the data moved" $? 0
	irq=$(cat $dev/queue0/interrupts)
	kicks=$(cat $dev/queue0/notifications)
	[ "$irq" -gt 0 ] && [ "$kicks" -gt 0 ]
	is "interrupts ($irq) and notifications ($kicks) are counted" $? 0
	is "no errors counted" "$(cat $dev/queue0/errors)" 0

	ok "busy_poll_us is writable" sh -c \
		"echo 50 >/sys/module/lhv/parameters/busy_poll_us"
	ok "I/O with busy polling" sector_is 4 E
	echo 0 >/sys/module/lhv/parameters/busy_poll_us

	needs_reset_test head -34
	needs_reset_test loop -40
	needs_reset_test addr -14
	needs_reset_test huge -14

	# Removal with the disk open and busy: I/O errors, no hang.
	(while dd if=/dev/vda of=/dev/null bs=4096 count=1 iflag=direct \
		2>/dev/null; do :; done) &
	pid=$!
	sleep 1
	ok "rmmod lhv_test_blk while the disk is in use" rmmod lhv_test_blk
	ok "the reader stops" wait_for 10 sh -c "! kill -0 $pid 2>/dev/null"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	not "the device directory is gone" test -e $dev
	not "/dev/vda is gone" test -e /dev/vda
	ok "load the test device again" modprobe lhv_test_blk
	ok "... and it reads" wait_for 10 sector_is 1 B
	ok "rmmod lhv_test_blk (idle)" rmmod lhv_test_blk
	ok "rmmod lhv" rmmod lhv
}
