# SPDX-License-Identifier: BSD-3-Clause
# TAP helpers for scenarios (sourced by the guest init, busybox sh).
#
#   plan N                    declare the number of tests (or plan at the end)
#   ok "desc" cmd [args...]   run cmd; passes when it exits 0
#   not "desc" cmd [args...]  passes when cmd exits non-zero
#   is "desc" got expected    passes when the two strings are equal
#   match "desc" text regex   passes when text matches the (grep -E) regex
#   skip "desc" "why"         a test that cannot run here, with the reason
#   diag text                 a TAP comment
# Command output is shown on the console (ttyS0), not on the TAP channel.

_tap_n=0
_tap_planned=
_tap_out=/dev/ttyS1

tap_open() {
	_tap_out=$1
	exec 3>"$_tap_out"
}

_tap() {
	echo "$*" >&3
	[ "$_tap_out" = /dev/ttyS0 ] || echo "TAP: $*" >/dev/ttyS0
}

plan() {
	_tap_planned=$1
	_tap "1..$1"
}

diag() {
	_tap "# $*"
}

_result() { # status desc
	_tap_n=$((_tap_n + 1))
	if [ "$1" = 0 ]; then
		_tap "ok $_tap_n - $2"
	else
		_tap "not ok $_tap_n - $2"
	fi
}

# A test that took 5 s or more says so, to show where a run's time goes.
_tap_took() { # start uptime
	local now rest
	read -r now rest </proc/uptime
	now=$((${now%.*} - ${1%.*}))
	[ "$now" -lt 5 ] || diag "took $now s"
}

ok() {
	local desc=$1 t0 rest
	shift
	read -r t0 rest </proc/uptime
	echo "+ $*" >/dev/ttyS0
	"$@" >/dev/ttyS0 2>&1
	_result $? "$desc"
	_tap_took "$t0"
}

not() {
	local desc=$1 t0 rest
	shift
	read -r t0 rest </proc/uptime
	echo "+ ! $*" >/dev/ttyS0
	if "$@" >/dev/ttyS0 2>&1; then _result 1 "$desc"; else _result 0 "$desc"; fi
	_tap_took "$t0"
}

is() {
	if [ "$2" = "$3" ]; then
		_result 0 "$1"
	else
		_result 1 "$1"
		diag "got '$2', expected '$3'"
	fi
}

match() {
	if echo "$2" | grep -Eq "$3"; then
		_result 0 "$1"
	else
		_result 1 "$1"
		diag "'$2' does not match /$3/"
	fi
}

skip() {
	_tap_n=$((_tap_n + 1))
	_tap "ok $_tap_n - $1 # SKIP $2"
}

# Run a program that prints TAP itself and fold its results into this
# plan, renumbered; its own plan line is dropped. A non-zero exit status
# with no failing line of its own still counts as a failure.
tap_passthrough() {
	local line rc failed=0 out=/tmp/tap-passthrough.$$
	echo "+ $*" >/dev/ttyS0
	"$@" >"$out" 2>/dev/ttyS0
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*)
			_tap_n=$((_tap_n + 1))
			_tap "ok $_tap_n -${line#ok [0-9]* -}"
			;;
		"not ok "*)
			failed=1
			_tap_n=$((_tap_n + 1))
			_tap "not ok $_tap_n -${line#not ok [0-9]* -}"
			;;
		"#"*) _tap "$line" ;;
		esac
	done <"$out"
	rm -f "$out"
	[ "$rc" = 0 ] || [ "$failed" = 1 ] || _result 1 "$1 exited with status $rc"
}

# The block device whose virtio serial is $1 (e.g. lhv-backing), as /dev/vdX.
disk_by_serial() {
	local d
	for d in /sys/block/vd*; do
		[ "$(cat "$d/serial" 2>/dev/null)" = "$1" ] && echo "/dev/${d##*/}" && return 0
	done
	return 1
}

# Whether a file system is mounted on $1.
is_mounted() {
	grep -q " $1 " /proc/mounts
}

# Wait up to $1 seconds for a command to succeed (polls every 0.1 s).
wait_for() {
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	"$@"
}

# Ask the host to run a QMP command on the QEMU this box runs in ("#@ qmp:
# on"): outer_qmp device_add '{"driver":"usb-audio","bus":"ox.0"}'. The
# host runs it when it reads the line on the console; nothing comes back:
# wait for its effect (tests/harness/qmp-relay.sh, docs/testing.md).
outer_qmp() {
	echo "lhv-qmp: $*" >/dev/ttyS0
}

# Whether process $1 has ended (gone, or a zombie nobody waited for yet).
pid_ended() {
	[ ! -e "/proc/$1" ] || grep -q '^[0-9]* (.*) Z' "/proc/$1/stat" 2>/dev/null
}

# Wait up to $1 seconds for process $2 to end.
wait_pid() {
	wait_for "$1" pid_ended "$2"
}

# Write $2 MiB of random data to block device $1 and read it back (O_DIRECT).
disk_roundtrip() {
	dd if=/dev/urandom of=/tmp/roundtrip.a bs=1M count="$2" 2>/dev/null &&
		dd if=/tmp/roundtrip.a of="$1" bs=1M oflag=direct 2>/dev/null &&
		dd if="$1" of=/tmp/roundtrip.b bs=1M count="$2" iflag=direct 2>/dev/null &&
		cmp /tmp/roundtrip.a /tmp/roundtrip.b
}

# Wait up to 10 s for the disk with virtio serial $1 and print its path.
disk_wait() {
	wait_for 10 disk_by_serial "$1" >/dev/null && disk_by_serial "$1"
}

# A user VM as the service VM's scenario drives it (uvm-*.sh).
uvm_state() { # vm: its state as lhvctl vm show says it
	lhvctl vm show "$1" | sed -n 's/^state: *//p'
}

# Wait up to $2 seconds while VM $1 runs; prints the seconds waited.
uvm_wait_stopped() {
	local i=0
	while [ "$i" -lt "$2" ] && [ "$(uvm_state "$1")" = running ]; do
		sleep 1
		i=$((i + 1))
	done
	echo "$i"
}

# A UOS in lhvtest.mode=box: characters its console UART sent so far.
console_tx() {
	sed -n 's/^0: .* tx:\([0-9]*\).*/\1/p' /proc/tty/driver/serial
}

# The UOS console drains slowly (the 8250 polls for room, there is no
# IOAPIC for its interrupt) and the harness's poweroff -f drops what is
# still queued: a UOS suite waits until the UART stops sending before
# returning.
console_drain() {
	local before now=$(console_tx) n=60
	while [ "$n" -gt 0 ]; do
		sleep 0.5
		before=$now
		now=$(console_tx)
		[ "$now" = "$before" ] && return 0
		n=$((n - 1))
	done
}

# The bus number of the first USB root hub of speed $1 (12, 480, 5000).
usb_root_bus() {
	local d
	for d in /sys/bus/usb/devices/usb*; do
		[ "$(cat "$d/speed" 2>/dev/null)" = "$1" ] &&
			echo "${d##*/usb}" && return 0
	done
	return 1
}

# The first SCSI disk on USB, as /dev/sdX.
usb_disk() {
	local d
	for d in /sys/block/sd*; do
		readlink -f "$d/device" | grep -q /usb && echo "/dev/${d##*/}" && return 0
	done
	return 1
}

# Boot UOS $1 from /host/bzImage and /host/uos-initrd.gz (made by
# uos_guest_files on the host) in lhvtest.mode=box, with more kernel
# arguments $2 if given, its console followed into /tmp/$1-console.log;
# uvm_box_finish collects its results.
uvm_box_start() {
	ok "load the UOS" lhvctl vm load "$1" --kernel /host/bzImage \
		--kernel-sig /dev/null --initrd /host/uos-initrd.gz --insecure \
		--cmdline "console=ttyS0 loglevel=4 lhvtest.mode=box${2:+ $2}"
	lhvctl vm console "$1" --follow 0 >"/tmp/$1-console.log" 2>&1 &
	_uvm_box_follow=$!
	ok "start it" lhvctl vm start "$1"
}

# Wait up to $2 seconds for UOS $1 to power itself off, then fold its TAP
# results into ours and copy the rest of its console to ours ("$1| ").
uvm_box_finish() {
	local i log=/tmp/$1-console.log
	i=$(uvm_wait_stopped "$1" "$2")
	sleep 1
	kill "$_uvm_box_follow" 2>/dev/null
	# The VM's console ring still holds earlier runs: keep the last one.
	awk '/^lhv-harness: scenario start/ { run = "" } { run = run $0 "\n" }
		END { printf "%s", run }' "$log" >/tmp/uvm-run.log &&
		mv /tmp/uvm-run.log "$log"
	diag "UOS $1 finished after about ${i}s: $(uvm_state "$1")"
	is "the UOS powered itself off at the end" "$(uvm_state "$1")" stopped
	tap_passthrough uvm_box_results "/tmp/$1-console.log"
	grep -av '^\(ok\|not ok\) [0-9]' "/tmp/$1-console.log" |
		sed "s/^/$1| /" >/dev/ttyS0
}

# The TAP lines a UOS in lhvtest.mode=box wrote to its console log $1;
# fails unless its harness reached the end and every result of its plan
# is there (a kernel message printed into the middle of a TAP line breaks
# it), for tap_passthrough.
uvm_box_results() {
	local plan got
	grep -aE '^((ok|not ok) [0-9]+ - |# )' "$1"
	grep -aq '^lhv-harness: scenario end' "$1" || return 1
	plan=$(grep -aE '^1\.\.[0-9]+' "$1" | tail -n 1 | tr -d '\r')
	got=$(grep -acE '^(ok|not ok) [0-9]+ - ' "$1")
	[ "${plan#1..}" = "$got" ] && return 0
	echo "# the UOS planned '$plan', $got results are readable"
	return 1
}

# As uvm_box_results, for a UOS suite that prints "@@suite-done" when its
# results are complete (it may go on running until the SOS stops it).
uvm_suite_results() {
	grep -aE '^(ok|not ok) [0-9]+ - ' "$1"
	grep -aq '^@@suite-done' "$1"
}

tap_close() {
	[ -n "$_tap_planned" ] || _tap "1..$_tap_n"
	exec 3>&-
}
