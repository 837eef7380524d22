# SPDX-License-Identifier: BSD-3-Clause
# Benchmark (make bench-blk): the same fio jobs, in one QEMU run, on the
# box's disk directly and through lhv_blk's loopback disk over that same
# disk, alternating job by job so both see the same machine noise. Prints
# IOPS, p50 and p99 completion latency of each and the ratio lhv/direct.
#@ modules: virtio_blk virtio_pci
#@ tools: fio
#@ disk: 1G
#@ timeout: 900

RUNTIME=5 # seconds per job, after a 1 s ramp

# One fio job; prints "iops p50_us p99_us" (terse output, version 3).
run_fio() { # device rw bs iodepth
	local out
	out=$(fio --name=b --filename="$1" --rw="$2" --bs="$3" --iodepth="$4" \
		--ioengine=libaio --direct=1 --size=512M --time_based \
		--runtime="$RUNTIME" --ramp_time=1 --percentile_list=50:99 \
		--output-format=terse --terse-version=3 2>/dev/null) || return 1
	echo "$out" | awk -F';' -v rw="$2" '{
		# read iops 8, clat pcts 18-19; write iops 49, clat pcts 59-60
		if (rw ~ /read/) { i = $8; a = $18; b = $19 }
		else { i = $49; a = $59; b = $60 }
		sub(/.*=/, "", a); sub(/.*=/, "", b)
		printf "%d %d %d\n", i, a, b
	}'
}

guest_main() {
	local backing disk job rw bs depth d l
	modprobe virtio_pci
	modprobe virtio_blk
	backing=$(disk_by_serial lhv-backing)
	ok "fill the disk (reads must not hit holes)" \
		dd if=/dev/urandom of="$backing" bs=1M count=1024 oflag=direct
	ok "modprobe lhv_blk" modprobe lhv_blk
	ok "blk add" lhvctl blk add --vm service --path "$backing" --serial bench --queues 2
	disk=$(disk_wait bench)

	diag "job                      direct IOPS  p50us  p99us |  lhv IOPS  p50us  p99us | IOPS ratio"
	for job in randread:4k:1 randread:4k:32 randwrite:4k:1 randwrite:4k:32 \
		read:128k:8 write:128k:8; do
		IFS=: read -r rw bs depth <<-JOB
			$job
		JOB
		d=$(run_fio "$backing" "$rw" "$bs" "$depth")
		l=$(run_fio "$disk" "$rw" "$bs" "$depth")
		if [ -z "$d" ] || [ -z "$l" ]; then
			not "fio $job ran on both" true
			continue
		fi
		set -- $d $l
		diag "$(printf '%-24s %11d %6d %6d | %9d %6d %6d | %5s' "$rw $bs qd$depth" \
			"$1" "$2" "$3" "$4" "$5" "$6" \
			"$(awk -v a="$4" -v b="$1" 'BEGIN { if (b) printf "%.2f", a / b }')")"
		ok "fio $job ran on both" true
	done
	ok "rmmod lhv_blk" rmmod lhv_blk
}
