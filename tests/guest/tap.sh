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

ok() {
	local desc=$1
	shift
	echo "+ $*" >/dev/ttyS0
	"$@" >/dev/ttyS0 2>&1
	_result $? "$desc"
}

not() {
	local desc=$1
	shift
	echo "+ ! $*" >/dev/ttyS0
	if "$@" >/dev/ttyS0 2>&1; then _result 1 "$desc"; else _result 0 "$desc"; fi
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

# Whether a file system is mounted on $1.
is_mounted() {
	grep -q " $1 " /proc/mounts
}

# Wait up to $1 seconds for process $2 to end.
wait_pid() {
	wait_for "$1" pid_ended "$2"
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

# The TAP lines a UOS in lhvtest.mode=box wrote to its console log $1;
# fails unless its harness reached the end (for tap_passthrough).
uvm_box_results() {
	grep -aE '^(ok|not ok) [0-9]+ - ' "$1"
	grep -aq '^lhv-harness: scenario end' "$1"
}

tap_close() {
	[ -n "$_tap_planned" ] || _tap "1..$_tap_n"
	exec 3>&-
}
