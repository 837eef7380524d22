# SPDX-License-Identifier: BSD-3-Clause
# A user VM's stock virtio_pci and virtio_blk drive disks that lhv_blk
# serves from the Service OS (issue 6): the UOS (CPUs 1 and 2, Debian's
# kernel, so that virtio_blk uses both queues)
# boots an initramfs of the harness whose scenario is
# tests/guest/uos-blk-suite.sh (fio verify matrix, FLUSH, DISCARD,
# WRITE_ZEROES, GET_ID, two queues, read-only, mkfs/fsck/checksums), and
# its TAP results on the VM's console become this scenario's, config
# space fuzzing from inside included. From the SOS: the hv counted
# ioreqs, doorbells and MSIs, the VM powers itself off when done; then the
# VM runs again with fio busy on both queues and is destroyed in the
# middle of it; the backing outside the two windows is untouched.
#@ kernels: 6.12 6.1
#@ check: 6.12
#@ smp: 3
#@ disk: 256M
#@ modules: virtio_blk virtio_pci
#@ timeout: 1200

host_prepare() {
	uos_guest_files "$1" "$2" "$LHV_TOP/tests/guest/uos-blk-suite.sh"
}

# Sectors of the backing: [0, 64 Mi) the window uos-win, [128, 144 Mi)
# uos-ro; the rest is a pattern the UOS must never change.
WIN_START=131072
WIN_SECTORS=131072
RO_START=262144
RO_SECTORS=32768

outside_sums() { # backing: sha256 of everything outside the two windows
	{
		dd if="$1" bs=512 count=$WIN_START 2>/dev/null
		dd if="$1" bs=512 skip=$((WIN_START + WIN_SECTORS)) \
			count=$((RO_START - WIN_START - WIN_SECTORS)) 2>/dev/null
		dd if="$1" bs=512 skip=$((RO_START + RO_SECTORS)) 2>/dev/null
	} | sha256sum | cut -d' ' -f1
}

uos_state() {
	lhvctl vm show uos | sed -n 's/^state: *//p'
}

wait_console() { # vm text: within 5 minutes
	local i
	for i in $(seq 300); do
		lhvctl vm console "$1" | grep -qF "$2" && return 0
		sleep 1
	done
	return 1
}

guest_main() {
	local backing before after i follow before_io
	modprobe virtio_pci
	modprobe virtio_blk
	backing=$(disk_wait lhv-backing)
	match "the SOS's backing disk" "$backing" "^/dev/vd"
	ok "fill the backing with a pattern" \
		sh -c "dd if=/dev/urandom of=$backing bs=1M count=256 2>/dev/null && sync"
	before=$(outside_sums "$backing")
	ok "modprobe lhv" modprobe lhv
	ok "lhvctl hv enable" lhvctl hv enable
	ok "modprobe lhv_blk" modprobe lhv_blk
	ok "create uos on CPUs 1 and 2" lhvctl vm create uos --cpus 1,2 --mem 512M
	ok "blk add a 64 MiB window with two queues to the UOS" \
		lhvctl blk add --vm uos --path "$backing" --start $WIN_START \
		--sectors $WIN_SECTORS --queues 2 --serial uos-win
	ok "blk add a read-only window" \
		lhvctl blk add --vm uos --path "$backing" --start $RO_START \
		--sectors $RO_SECTORS --ro --serial uos-ro
	ok "load the UOS" lhvctl vm load uos --kernel /host/bzImage \
		--kernel-sig /dev/null --initrd /host/uos-initrd.gz --insecure \
		--cmdline "console=ttyS0 loglevel=4 lhvtest.mode=box"
	lhvctl vm console uos --follow 0 >/tmp/uos-console.log 2>&1 &
	follow=$!
	ok "start it" lhvctl vm start uos
	# The UOS powers itself off once its suite is done (15 minutes at
	# most); its newest console lines every minute, to follow it.
	i=0
	while [ "$(uos_state)" = running ] && [ $i -lt 900 ]; do
		sleep 5
		i=$((i + 5))
		[ $((i % 60)) = 0 ] && {
			tail -n 2 /tmp/uos-console.log | sed 's/^/uos| /'
			lhvctl vm show uos | grep -E '^(ioreqs|doorbells|msis):' |
				tr -s ' \n' ' ' | sed 's/^/uos| /'
			echo
		}
	done
	# The follower polls: give it time to read the last lines.
	for i in 1 2 3 4 5 6 7 8 9 10; do
		grep -aq '^lhv-harness: scenario end' /tmp/uos-console.log && break
		sleep 1
	done
	kill "$follow" 2>/dev/null
	diag "UOS finished: $(uos_state)"
	is "the UOS powered itself off at the end" "$(uos_state)" stopped
	tap_passthrough uvm_box_results /tmp/uos-console.log
	match "the hv carried ioreqs" "$(lhvctl vm show uos)" "ioreqs: +[1-9]"
	match "... doorbells" "$(lhvctl vm show uos)" "doorbells: +[1-9]"
	match "... and MSIs" "$(lhvctl vm show uos)" "msis: +[1-9]"
	is "the device offered two queues" \
		"$(ls -d /sys/class/lhv/uos/blk0/queue* | wc -l)" 2

	# Again, and destroyed while fio keeps both queues busy.
	ok "load the UOS again, for the stress phase" lhvctl vm load uos \
		--kernel /host/bzImage --kernel-sig /dev/null \
		--initrd /host/uos-initrd.gz --insecure \
		--cmdline "console=ttyS0 loglevel=4 lhvtest.mode=box lhvtest.phase=stress"
	ok "start it" lhvctl vm start uos
	ok "fio runs in the UOS" wait_console uos "lhv-uos: stress running"
	before_io=$(lhvctl vm show uos | sed -n 's/^doorbells: *//p')
	sleep 10
	match "requests keep coming" \
		"$(($(lhvctl vm show uos | sed -n 's/^doorbells: *//p') - before_io))" "^[1-9]"
	ok "destroy the UOS in the middle of its I/O" lhvctl vm destroy uos
	is "its disks went with it" "$(lhvctl blk list | grep -c uos)" 0
	is "CPUs 1 and 2 are back online" "$(cat /sys/devices/system/cpu/online)" 0-2
	ok "the SOS still writes to its backing" \
		dd if=/dev/zero of="$backing" bs=4096 count=1 seek=$((WIN_START / 8)) oflag=direct
	after=$(outside_sums "$backing")
	is "the backing outside the windows is untouched" "$after" "$before"
	ok "lhvctl hv disable" lhvctl hv disable
}
