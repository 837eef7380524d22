#!/bin/busybox sh
# SPDX-License-Identifier: BSD-3-Clause
# uos-agent.sh [<tty>]: the user VM's lifecycle agent (docs/uvm.md,
# "Lifecycle channel"). It reads request lines from the SOS on the VM's
# COM2 (/dev/ttyS1 unless told otherwise) and answers on the same line:
#   shutdown -> "ack shutdown", then an orderly poweroff (ACPI S5)
#   reboot   -> "ack reboot", then an orderly reboot (ACPI reset)
#   ping     -> "pong"
#   anything else -> "err unknown <request>"
# It says "ready" once it listens. Busybox only: the initramfs has no
# other userland. The VM's /init starts it; busybox poweroff and reboot
# signal PID 1, which stops the rest and calls the kernel.
# LHV_AGENT_BUSYBOX, _LOG, _POWEROFF and _REBOOT replace the busybox
# binary, /dev/kmsg and the two actions (the unit test runs it on a pty).
bb=${LHV_AGENT_BUSYBOX:-/bin/busybox}
tty=${1:-/dev/ttyS1}
logdev=${LHV_AGENT_LOG:-/dev/kmsg}
do_poweroff=${LHV_AGENT_POWEROFF:-"$bb poweroff"}
do_reboot=${LHV_AGENT_REBOOT:-"$bb reboot"}
cr=$(printf '\r')

log() { echo "lhv-uos: agent: $*" >"$logdev"; }
reply() { printf '%s\n' "$*" >"$tty"; }

# Raw: no echo of the SOS's bytes back to it, no line editing, no
# newline translation either way; the UART has no flow control lines.
if ! $bb stty -F "$tty" raw -echo -crtscts clocal 115200 2>/dev/null; then
	log "cannot set up $tty: no lifecycle channel"
	exit 1
fi
exec <"$tty"
log "listening on $tty"
reply ready

while IFS= read -r line; do
	line=${line%"$cr"}
	case $line in
	shutdown | reboot)
		log "$line requested"
		reply "ack $line"
		# Let the reply leave the UART before the VM goes.
		$bb usleep 100000
		if [ "$line" = shutdown ]; then $do_poweroff; else $do_reboot; fi
		;;
	ping) reply pong ;;
	"") ;;
	*)
		# Echo at most 64 bytes of what was not understood.
		reply "err unknown $(printf '%.64s' "$line")"
		;;
	esac
done
log "$tty closed"
