# SPDX-License-Identifier: BSD-3-Clause
# The lhv_blk suite as a user VM runs it (tests/scenarios/uvm-blk.sh packs
# this file as the scenario of the UOS's own initramfs): Linux's stock
# virtio_pci and virtio_blk in the UOS drive disks that lhv_blk serves
# from the Service OS through the hv's ioreq path, doorbells and MSIs.
# The results go to the UOS console (lhvtest.mode=box), where the SOS
# reads them. With lhvtest.phase=stress on its command line the UOS only
# keeps fio busy on the window until the SOS destroys it. The disks, as
# the SOS attached them:
#   uos-win  64 MiB window of the SOS's backing, two queues
#   uos-ro   16 MiB window, read-only
#@ modules: virtio_blk ext4 crc32c_generic
#@ tools: fio mkfs.ext4 e2fsck blkdiscard setpci
#@ files: /etc/mke2fs.conf

fio_verify() { # name device rw bs iodepth [extra...]
	local name=$1 dev=$2 rw=$3 bs=$4 depth=$5
	shift 5
	fio --name="$name" --filename="$dev" --rw="$rw" --bs="$bs" \
		--iodepth="$depth" --ioengine=libaio --direct=1 --size=8M \
		--verify=crc32c --verify_fatal=1 --do_verify=1 \
		--randrepeat=0 "$@" >/tmp/fio.out 2>&1
	local rc=$?
	[ $rc = 0 ] || tail -n 20 /tmp/fio.out
	return $rc
}

nonzero_bytes() { # device offset length
	dd if="$1" bs=4096 skip=$(($2 / 4096)) count=$(($3 / 4096)) iflag=direct 2>/dev/null |
		tr -d '\000' | wc -c
}

# Random config-space accesses of every size at every offset, through
# sysfs and setpci, on a function whose driver is unbound first.
cfg_fuzz() { # pci address (0000:00:01.0), rounds
	local cfg=/sys/bus/pci/devices/$1/config i off n w
	for i in $(seq "$2"); do
		off=$((RANDOM % 4096))
		n=$((1 + RANDOM % 8))
		head -c "$n" /dev/urandom |
			dd of="$cfg" bs=1 seek="$off" conv=notrunc 2>/dev/null
		dd if="$cfg" bs=1 skip=$((RANDOM % 4096)) count="$n" 2>/dev/null >/dev/null
		w=$(echo B W L | cut -d' ' -f$((1 + RANDOM % 3)))
		/usr/bin/setpci -s "${1#0000:}" "$(printf %x $((RANDOM % 256))).$w=$(printf %x $RANDOM)" 2>/dev/null
		/usr/bin/setpci -s "${1#0000:}" "$(printf %x $((RANDOM % 256))).$w" >/dev/null 2>&1
	done
	return 0
}

stress() { # keep fio verifying on $1 until the VM goes away
	echo "lhv-uos: stress running" >/dev/ttyS0 # the console, whatever the loglevel
	while :; do
		fio --name=stress --filename="$1" --rw=randrw --bs=64k --iodepth=32 \
			--ioengine=libaio --direct=1 --size=32M --numjobs=2 \
			--offset_increment=32M --verify=crc32c --time_based \
			--runtime=3600 >/dev/null 2>&1
	done
}

host_bridge_id() { # the first dword of 00:00.0's config space, in hex
	dd if=/sys/bus/pci/devices/0000:00:00.0/config bs=4 count=1 2>/dev/null |
		od -An -tx4 | tr -d ' '
}

guest_main() {
	local disk ro rw bs depth size fn hb
	ok "virtio_pci is built in, virtio_blk loads" modprobe virtio_blk
	disk=$(disk_wait uos-win)
	match "the disk on the virtual PCI bus appears" "$disk" "^/dev/vd"
	[ "$(lhv_arg phase)" = stress ] && stress "$disk"
	ro=$(disk_wait uos-ro)
	match "the read-only disk appears" "$ro" "^/dev/vd"
	match "it is a virtio device on PCI" \
		"$(readlink -f /sys/block/${disk#/dev/}/device)" "/pci0000:00/"
	is "GET_ID: the serial the SOS gave" "$(cat /sys/block/${disk#/dev/}/serial)" uos-win
	is "64 MiB window" "$(blockdev --getsize64 "$disk")" 67108864
	# virtio_blk uses at most one queue per CPU: two if the UOS has two.
	is "two queues, or one per CPU" \
		"$(ls -d /sys/block/${disk#/dev/}/mq/* | wc -l)" \
		"$(($(nproc) < 2 ? $(nproc) : 2))"
	match "MSI-X vectors, no INTx" "$(grep -c virtio /proc/interrupts)" "^[3-9]"

	# 512-byte requests over 2 MiB, not 8: 4096 of them make the point,
	# 16384 took a minute per run under TCG.
	for rw in randwrite write; do
		for bs in 512 4k 64k 1M; do
			for depth in 1 32; do
				size=8M
				[ "$bs" = 512 ] && size=2M
				ok "fio $rw bs=$bs iodepth=$depth verify ($size)" \
					fio_verify "$rw-$bs-$depth" "$disk" "$rw" "$bs" "$depth" \
					--size="$size"
			done
		done
	done
	ok "fio on both queues at once (numjobs 2) verify" \
		fio_verify mq "$disk" randwrite 4k 16 --numjobs=2 --offset_increment=16M
	ok "FLUSH: fio with fsync after every write, verify" \
		fio_verify flush "$disk" write 4k 1 --fsync=1

	ok "fill 4 MiB with data" dd if=/dev/urandom of="$disk" bs=1M count=4 oflag=direct
	ok "WRITE_ZEROES (blkdiscard -z) of 1 MiB" /usr/bin/blkdiscard -z -o 0 -l 1048576 "$disk"
	is "... reads back as zeroes" "$(nonzero_bytes "$disk" 0 1048576)" 0
	if [ "$(cat /sys/block/${disk#/dev/}/queue/discard_max_bytes)" != 0 ]; then
		ok "DISCARD (blkdiscard) of 1 MiB" /usr/bin/blkdiscard -o 1048576 -l 1048576 "$disk"
		is "... reads back as zeroes" "$(nonzero_bytes "$disk" 1048576 1048576)" 0
	else
		not "DISCARD is offered (the backing supports it)" true
	fi
	match "data after the zeroed ranges is intact" \
		"$(nonzero_bytes "$disk" 2097152 2097152)" "^[1-9]"

	is "the read-only disk is read-only" "$(blockdev --getro "$ro")" 1
	not "writes to it fail" dd if=/dev/zero of="$ro" bs=4096 count=1 oflag=direct
	ok "reads from it work" dd if="$ro" of=/dev/null bs=64k count=16 iflag=direct

	ok "mkfs.ext4 on the disk" mkfs.ext4 -q -F "$disk"
	mkdir -p /mnt
	ok "mount it" mount -t ext4 "$disk" /mnt
	ok "write files" sh -c 'for i in 1 2 3 4 5 6 7 8; do
		dd if=/dev/urandom of=/mnt/f$i bs=64k count=$((i * 8)) 2>/dev/null || exit 1
	done; sha256sum /mnt/f* >/tmp/sums'
	ok "unmount (flushes)" umount /mnt
	ok "fsck finds it clean" e2fsck -fn "$disk"
	ok "mount again" mount -t ext4 -o ro "$disk" /mnt
	ok "the files read back the same" sha256sum -c /tmp/sums
	ok "unmount" umount /mnt

	# Last, as it may break the devices: config space fuzz from inside.
	hb=$(host_bridge_id)
	match "the host bridge's vendor and device id" "$hb" "^[0-9a-f]{8}$"
	for fn in /sys/bus/pci/devices/*; do
		[ -e "$fn/driver" ] && echo "${fn##*/}" >"$fn/driver/unbind"
	done
	for fn in /sys/bus/pci/devices/*; do
		ok "config space fuzz of ${fn##*/} (120 rounds)" cfg_fuzz "${fn##*/}" 120
	done
	is "the host bridge still answers the same" "$(host_bridge_id)" "$hb"
}
