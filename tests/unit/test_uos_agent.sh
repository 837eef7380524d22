#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The UOS lifecycle agent (tests/harness/uos-agent.sh) on a pseudo
# terminal in place of the VM's COM2: its line protocol (docs/uvm.md),
# with poweroff and reboot replaced by commands that leave a mark. Needs
# busybox and python3 (the pty); skips without them.
# Usage: test_uos_agent.sh <ignored> <ignored> <workdir>
# Prints "ok"/"not ok" lines and cmocka's summary lines.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
w=$(realpath -m "$3")
pass=0 fail=0 n=0
ok() { n=$((n + 1)) pass=$((pass + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)) fail=$((fail + 1)); echo "not ok $n - $1"; }
finish() {
	echo "[  PASSED  ] $pass test(s)."
	[ "$fail" = 0 ] || echo "[  FAILED  ] $fail test(s)."
	[ "$fail" = 0 ]
	exit
}
bb=$(command -v busybox) || { echo "# SKIP: no busybox"; finish; }
command -v python3 >/dev/null || { echo "# SKIP: no python3"; finish; }

rm -rf "$w"
mkdir -p "$w"

# session <request>...: start the agent on a fresh pty, send each request
# as a line, and print every line it answers (CR dropped), one per line,
# until it has been quiet for a second. Marks go to $w/log and $w/action.
session() {
	rm -f "$w/action" "$w/log"
	LHV_AGENT_BUSYBOX=$bb LHV_AGENT_LOG=$w/log \
		LHV_AGENT_POWEROFF="$bb touch $w/action.poweroff" \
		LHV_AGENT_REBOOT="$bb touch $w/action.reboot" \
		python3 - "$bb" "$top/tests/harness/uos-agent.sh" "$@" <<'PY'
import os, select, subprocess, sys, time
bb, agent, reqs = sys.argv[1], sys.argv[2], sys.argv[3:]
master, slave = os.openpty()
p = subprocess.Popen([bb, "sh", agent, os.ttyname(slave)])
out = b""
def drain(quiet):
    global out
    end = time.time() + quiet
    while time.time() < end:
        r, _, _ = select.select([master], [], [], 0.1)
        if r:
            try:
                out += os.read(master, 4096)
            except OSError:
                return
            end = time.time() + quiet
drain(1.0)
for q in reqs:
    os.write(master, q.encode() + b"\n")
    drain(1.0)
p.terminate()
p.wait()
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
PY
}

out=$(session ping)
[ "$(printf '%s' "$out" | head -n 1)" = ready ] && ok "says ready first" || notok "says ready first (got: $out)"
printf '%s\n' "$out" | grep -qx pong && ok "ping: pong" || notok "ping: pong"
# Raw mode: the request itself is not echoed back to the SOS.
printf '%s\n' "$out" | grep -qx ping && notok "no echo of the request" || ok "no echo of the request"

out=$(session hello)
printf '%s\n' "$out" | grep -qx 'err unknown hello' && ok "unknown request: err" ||
	notok "unknown request: err (got: $out)"
[ ! -e "$w/action.poweroff" ] && [ ! -e "$w/action.reboot" ] &&
	ok "unknown request: no action" || notok "unknown request: no action"

rm -f "$w"/action.*
out=$(session shutdown)
printf '%s\n' "$out" | grep -qx 'ack shutdown' && ok "shutdown: ack" || notok "shutdown: ack (got: $out)"
[ -e "$w/action.poweroff" ] && [ ! -e "$w/action.reboot" ] &&
	ok "shutdown: powers off" || notok "shutdown: powers off"
grep -q 'shutdown requested' "$w/log" && ok "shutdown: logged" || notok "shutdown: logged"

rm -f "$w"/action.*
out=$(session reboot)
printf '%s\n' "$out" | grep -qx 'ack reboot' && ok "reboot: ack" || notok "reboot: ack (got: $out)"
[ -e "$w/action.reboot" ] && [ ! -e "$w/action.poweroff" ] &&
	ok "reboot: reboots" || notok "reboot: reboots"

# A CR before the newline (a terminal's Enter) is tolerated.
rm -f "$w"/action.*
out=$(session $'shutdown\r')
[ -e "$w/action.poweroff" ] && ok "shutdown with CRLF" || notok "shutdown with CRLF (got: $out)"

out=$(session "$(printf 'x%.0s' {1..200})")
len=$(printf '%s\n' "$out" | grep '^err unknown' | tr -d '\n' | wc -c)
[ "$len" -le $((12 + 64)) ] && [ "$len" -gt 12 ] && ok "a long unknown request is cut in the reply" ||
	notok "a long unknown request is cut in the reply ($len bytes)"
finish
