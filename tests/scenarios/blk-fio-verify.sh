# SPDX-License-Identifier: BSD-3-Clause
# lhv_blk through the loopback transport, driven by Linux's own virtio_blk:
# fio writes and verifies random and sequential patterns, 512 B to 1 MiB
# blocks, iodepth 1 and 32, and two jobs at once on a two-queue device
# (smaller sizes for small blocks in make check: fio_size).
#@ modules: virtio_blk virtio_pci
#@ tools: fio
#@ disk: 256M
#@ timeout: 600
#@ check: 6.12

# 16 MiB per run; make check (lhvtest.quick=1) covers 2 MiB with 512-byte
# blocks and 8 MiB with 4 KiB ones, where the per-request cost under TCG
# makes the time.
fio_size() { # bs
	if [ "$(lhv_arg quick)" = 1 ]; then
		case $1 in
		512) echo 2M; return ;;
		4k) echo 8M; return ;;
		esac
	fi
	echo 16M
}

fio_verify() { # name device rw bs iodepth [extra...]
	local name=$1 dev=$2 rw=$3 bs=$4 depth=$5
	shift 5
	fio --name="$name" --filename="$dev" --rw="$rw" --bs="$bs" \
		--iodepth="$depth" --ioengine=libaio --direct=1 --size="$(fio_size "$bs")" \
		--verify=crc32c --verify_fatal=1 --do_verify=1 \
		--randrepeat=0 "$@" >/tmp/fio.out 2>&1
	local rc=$?
	[ $rc = 0 ] || tail -n 20 /tmp/fio.out
	return $rc
}

guest_main() {
	local backing disk rw bs depth
	modprobe virtio_pci
	modprobe virtio_blk
	backing=$(disk_by_serial lhv-backing)
	ok "modprobe lhv_blk" modprobe lhv_blk
	ok "blk add the whole backing, two queues" \
		lhvctl blk add --vm service --path "$backing" --serial fio-disk --queues 2
	sleep 1
	disk=$(disk_by_serial fio-disk)
	match "the loopback disk appears" "$disk" "^/dev/vd"
	is "same size as the backing" "$(blockdev --getsize64 "$disk")" \
		"$(blockdev --getsize64 "$backing")"
	is "two queues" "$(ls -d /sys/block/${disk#/dev/}/mq/* | wc -l)" 2

	for rw in randwrite write; do
		for bs in 512 4k 64k 1M; do
			for depth in 1 32; do
				ok "fio $rw bs=$bs iodepth=$depth verify ($(fio_size "$bs"))" \
					fio_verify "$rw-$bs-$depth" "$disk" "$rw" "$bs" "$depth"
			done
		done
	done
	ok "fio two jobs, iodepth 32 each, verify" fio_verify two "$disk" randwrite 4k 32 \
		--numjobs=2 --offset_increment=64M --cpus_allowed=0-1 --cpus_allowed_policy=split
	local q=/sys/class/lhv/service/blk0
	match "queue 0 served requests" "$(cat $q/queue0/requests)" "^[1-9]"
	match "queue 1 served requests" "$(cat $q/queue1/requests)" "^[1-9]"
	is "no request errors" "$(cat $q/queue0/errors)/$(cat $q/queue1/errors)" 0/0
	ok "blk del" lhvctl blk del --vm service blk0
	not "the disk is gone" disk_by_serial fio-disk
	ok "rmmod lhv_blk" rmmod lhv_blk
	ok "rmmod lhv" rmmod lhv
}
