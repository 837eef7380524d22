# SPDX-License-Identifier: BSD-3-Clause
# Benchmark (make bench-blk): the same fio jobs, in one QEMU run, on the
# box's disk directly, through lhv_blk's loopback disk over that disk, and
# from a user VM (CPU 1) whose lhv_blk disk lies on the same disk,
# alternating job by job so all three see the same machine noise. Prints
# IOPS, p50 and p99 completion latency of each, the ratios to direct, and
# for the UOS the hv's exits, ioreqs, doorbells, MSIs and the SOS's upcall
# interrupts per request.
#
# Comparable because: the 1 GiB backing is filled with random data; the
# loopback disk is its first half and fio on the backing directly covers
# the same first half (--size=512M); the UOS's disk is the second half,
# equal in size and content; all three run while the hv is enabled and
# the SOS has only CPU 0 (CPU 1 is the UOS's), and the UOS's requests are
# served by lhv_blk on that same CPU 0.
#
# The box keeps the harness's 2 GiB (512 MiB go to the UOS): with more,
# QEMU puts the 64-bit PCI window at 768 GiB, beyond the 64 GiB the hv's
# nested page table covers, and the SOS faults on its own disk's BAR.
#
# The same file is the UOS's scenario (lhvtest.bench=uos): it then runs
# the jobs the SOS types on its console (COM1) and answers each with a
# tagged line.
#@ kernels: 6.12
#@ smp: 2
#@ modules: virtio_blk virtio_pci
#@ tools: fio
#@ disk: 1G
#@ timeout: 1800

RUNTIME=5 # seconds per job, after a 1 s ramp
HALF_SECTORS=1048576 # 512 MiB
CONSOLE=/tmp/uos-console.log

host_prepare() {
	local g=$1/guest-files kver kroot
	mkdir -p "$g"
	# The UOS boots Debian's 6.12 kernel, whatever the SOS's series.
	kver=$(kver_for_series 6.12)
	kroot=$("$LHV_TOP/tests/harness/fetch-kernel.sh" "$kver" | tail -n 1)
	cp "$kroot/boot/vmlinuz-$kver" "$g/bzImage"
	LHV_GUEST_FILES= LHV_EXTRA_TOOLS=fio \
		"$LHV_TOP/tests/harness/mkinitramfs.sh" "$kver" "$kroot" \
		"$g/uos-initrd.gz" "$LHV_TOP/tests/bench/blk-loopback.sh"
}

# One fio job; prints "iops p50_us p99_us" (terse output, version 3).
run_fio() { # device rw bs iodepth
	local out
	out=$(fio --name=b --filename="$1" --rw="$2" --bs="$3" --iodepth="$4" \
		--ioengine=libaio --direct=1 --size=512M --time_based \
		--runtime="$RUNTIME" --ramp_time=1 --percentile_list=50:99 \
		--output-format=terse --terse-version=3 2>/dev/null </dev/null) || return 1
	echo "$out" | awk -F';' -v rw="$2" '{
		# read iops 8, clat pcts 18-19; write iops 49, clat pcts 59-60
		if (rw ~ /read/) { i = $8; a = $18; b = $19 }
		else { i = $49; a = $59; b = $60 }
		sub(/.*=/, "", a); sub(/.*=/, "", b)
		printf "%d %d %d\n", i, a, b
	}'
}

# In the UOS: "job <tag> <rw> <bs> <iodepth>" lines on the console, each
# answered "bench-uos: <tag> <iops> <p50> <p99> <requests>" (requests
# completed by the disk during the job, ramp included); "quit" ends.
uos_serve() {
	local disk dev cmd tag rw bs depth r before
	modprobe virtio_blk
	disk=$(disk_wait uos-bench) || {
		echo "bench-uos: no disk" >/dev/ttyS0
		return
	}
	dev=${disk#/dev/}
	# No echo of the typed lines, no line editing.
	stty -F /dev/ttyS0 raw -echo -crtscts clocal 115200
	echo "bench-uos: ready $disk" >/dev/ttyS0
	while read -r cmd tag rw bs depth; do
		case $cmd in
		job)
			before=$(awk '{ print $1 + $5 }' "/sys/block/$dev/stat")
			r=$(run_fio "$disk" "$rw" "$bs" "$depth")
			echo "bench-uos: $tag ${r:-fail} $(($(awk '{ print $1 + $5 }' \
				"/sys/block/$dev/stat") - before))" >/dev/ttyS0
			;;
		quit) break ;;
		esac
	done </dev/ttyS0
}

# "exits ioreqs doorbells msis upcall_interrupts" of the UOS, now.
uos_counters() {
	lhvctl vm show uos | awk '/^exits:/ { e = $2 } /^ioreqs:/ { i = $2 }
		/^doorbells:/ { d = $2 } /^msis:/ { m = $2 }
		END { printf "%d %d %d %d ", e, i, d, m }'
	awk '/lhv-upcall/ { for (c = 2; c <= NF && $c ~ /^[0-9]+$/; c++) s += $c }
		END { print s + 0 }' /proc/interrupts
}

console_line() { # text: the first console line starting with it
	tr -d '\r' <"$CONSOLE" | grep -a -m1 "^$1"
}

wait_console_line() { # text seconds
	local i
	for i in $(seq $(($2 * 5))); do
		console_line "$1" && return 0
		sleep 0.2
	done
	return 1
}

# One job in the UOS; prints "iops p50 p99 requests" and the counter
# deltas "exits ioreqs doorbells msis upcalls" over the job.
uos_job() { # tag rw bs iodepth
	local before after line
	console_line "bench-uos: ready" >/dev/null || return 1
	before=$(uos_counters)
	lhvctl vm send uos "job $1 $2 $3 $4" >/dev/null || return 1
	line=$(wait_console_line "bench-uos: $1 " 180) || return 1
	after=$(uos_counters)
	set -- ${line#bench-uos: * } $before $after
	[ "$1" = fail ] && return 1
	echo "$1 $2 $3 $4 $((${10} - $5)) $((${11} - $6)) $((${12} - $7))" \
		"$((${13} - $8)) $((${14} - $9))"
}

per() { # count requests: count/requests with two decimals
	awk -v a="$1" -v b="$2" 'BEGIN { if (b) printf "%.2f", a / b; else print "-" }'
}

uos_start() { # backing
	ok "modprobe lhv" modprobe lhv
	ok "lhvctl hv enable" lhvctl hv enable
	ok "modprobe lhv_blk" modprobe lhv_blk
	ok "create uos on CPU 1" lhvctl vm create uos --cpus 1 --mem 512M
	ok "blk add: the loopback disk, the first half" \
		lhvctl blk add --vm service --path "$1" --start 0 \
		--sectors $HALF_SECTORS --serial bench --queues 2
	ok "blk add: the UOS's disk, the second half" \
		lhvctl blk add --vm uos --path "$1" --start $HALF_SECTORS \
		--sectors $HALF_SECTORS --serial uos-bench --queues 2
	ok "load the UOS" lhvctl vm load uos --kernel /host/bzImage \
		--kernel-sig /dev/null --initrd /host/uos-initrd.gz --insecure \
		--cmdline "console=ttyS0 quiet lhvtest.mode=box lhvtest.bench=uos"
	lhvctl vm console uos --follow 0 >"$CONSOLE" 2>&1 &
	follow=$!
	ok "start it" lhvctl vm start uos
	ok "the UOS serves jobs" wait_console_line "bench-uos: ready" 600
}

uos_stop() {
	local i
	lhvctl vm send uos quit >/dev/null
	for i in $(seq 60); do
		[ "$(lhvctl vm show uos | sed -n 's/^state: *//p')" = stopped ] && break
		sleep 1
	done
	kill "$follow" 2>/dev/null
	ok "destroy the UOS" lhvctl vm destroy uos
	ok "rmmod lhv_blk" rmmod lhv_blk
	ok "lhvctl hv disable" lhvctl hv disable
}

guest_main() {
	local backing disk job rw bs depth d l u n=0 stats= e0 e1 follow
	if [ "$(lhv_arg bench)" = uos ]; then
		uos_serve
		return
	fi
	modprobe virtio_pci
	modprobe virtio_blk
	backing=$(disk_by_serial lhv-backing)
	ok "fill the disk (reads must not hit holes)" \
		dd if=/dev/urandom of="$backing" bs=1M count=1024 oflag=direct
	uos_start "$backing"
	disk=$(disk_wait bench)

	# The UOS's exits while it idles (console polling, timers): the
	# background in the per-request figures below.
	e0=$(uos_counters)
	sleep 10
	e1=$(uos_counters)
	diag "uos idle: $(per $((${e1%% *} - ${e0%% *})) 10) exits/s"

	diag "job                      direct IOPS  p50us  p99us |  lhv IOPS  p50us  p99us |  uos IOPS  p50us  p99us | lhv/dir uos/dir"
	for job in randread:4k:1 randread:4k:32 randwrite:4k:1 randwrite:4k:32 \
		read:128k:8 write:128k:8; do
		IFS=: read -r rw bs depth <<-JOB
			$job
		JOB
		n=$((n + 1))
		d=$(run_fio "$backing" "$rw" "$bs" "$depth")
		l=$(run_fio "$disk" "$rw" "$bs" "$depth")
		u=$(uos_job "j$n" "$rw" "$bs" "$depth")
		if [ -z "$d" ] || [ -z "$l" ] || [ -z "$u" ]; then
			not "fio $job ran on all three" true
			continue
		fi
		set -- $d $l $u
		diag "$(printf '%-24s %11d %6d %6d | %9d %6d %6d | %9d %6d %6d | %7s %7s' \
			"$rw $bs qd$depth" "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" \
			"$(per "$4" "$1")" "$(per "$7" "$1")")"
		shift 9
		stats="$stats$(printf '%-24s %8d | %9s %9s %9s %9s %9s' \
			"$rw $bs qd$depth" "$1" "$(per "$2" "$1")" "$(per "$3" "$1")" \
			"$(per "$4" "$1")" "$(per "$5" "$1")" "$(per "$6" "$1")")
"
		ok "fio $job ran on all three" true
	done
	diag "uos job                  requests | exits/rq ioreqs/rq  doorb/rq   msis/rq upcall/rq"
	printf '%s' "$stats" | while IFS= read -r line; do diag "$line"; done
	uos_stop
}
