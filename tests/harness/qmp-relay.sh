#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# qmp-relay.sh <work dir> <pid>
#
# The host side of "#@ qmp: on" (docs/testing.md, "The outer QEMU's
# devices"): QEMU's QMP monitor is the FIFO pair <work>/qmp.in and
# <work>/qmp.out (a pipe chardev, made by run-scenario.sh); this follows
# the box's console (<work>/console.log) until process <pid> (the QEMU
# run) ends and, for each line
#
#   lhv-qmp: <command> [<JSON object of arguments>]
#
# the guest prints there, runs that QMP command and logs it with its
# reply (and any events) in <work>/qmp.log. Nothing goes back to the
# guest: it waits for the effect (a device appearing or leaving).
set -uo pipefail
set -f # the JSON arguments are split into words: no globbing

work=${1:?usage: qmp-relay.sh <work dir> <pid>}
pid=${2:?usage: qmp-relay.sh <work dir> <pid>}
log=$work/qmp.log

# Read QMP lines until a reply ("return" or "error"); events are logged.
qmp_reply() {
	local line
	while IFS= read -r -t 30 -u 4 line; do
		line=${line%$'\r'}
		echo "< $line" >>"$log"
		case $line in
		*'"return"'* | *'"error"'*) return 0 ;;
		esac
	done
	echo "! no reply within 30 s" >>"$log"
	return 1
}

qmp_send() { # command-json
	echo "> $1" >>"$log"
	echo "$1" >&3
	qmp_reply
}

# Read-write opens: neither end blocks waiting for the other.
exec 3<>"$work/qmp.in" 4<>"$work/qmp.out"
: >"$log"
greeted=0
tail -n +1 -F --pid="$pid" "$work/console.log" 2>/dev/null |
	while IFS= read -r line; do
		line=${line%$'\r'}
		case $line in
		'lhv-qmp: '*) ;;
		*) continue ;;
		esac
		set -- ${line#lhv-qmp: }
		cmd=$1
		shift
		args=${*:-'{}'}
		if [ "$greeted" = 0 ]; then
			# The greeting, then capabilities negotiation.
			IFS= read -r -t 30 -u 4 hello && echo "< ${hello%$'\r'}" >>"$log"
			qmp_send '{"execute":"qmp_capabilities"}'
			greeted=1
		fi
		qmp_send "{\"execute\":\"$cmd\",\"arguments\":$args}"
	done
