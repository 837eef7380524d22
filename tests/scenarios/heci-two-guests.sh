# SPDX-License-Identifier: BSD-3-Clause
# Two heci devices on the service VM stand for two guests: each has its
# own simulator and its own /dev/meiN (lhv_heci_fe binds both). Two echo
# runs at once, each tagging its payloads, see only their own answers; the
# second device allows only the echo client, so the others are unknown
# there (ENOTTY, as mei says for a client the ME does not have) while the
# first still offers them; removing one device leaves the other working.
#@ timeout: 400
#@ check: 6.12

ECHO=d2e5c6a4-0001-4c68-8076-6c6876000001
FWVER=d2e5c6a4-0002-4c68-8076-6c6876000002

guest_main() {
	local p0 p1 r0 r1
	ok "modprobe lhv_heci_fe" modprobe lhv_heci_fe
	ok "modprobe lhv" modprobe lhv
	ok "heci0: every simulator client" \
		lhvctl heci add --vm service --backend sim
	ok "heci1: only the echo client" \
		lhvctl heci add --vm service --backend sim --allow $ECHO
	ok "/dev/mei0 and /dev/mei1 appear" \
		wait_for 10 test -c /dev/mei0 -a -c /dev/mei1
	match "heci list shows heci1 with one client" \
		"$(lhvctl heci list)" "heci1 +sim +0 +$ECHO\$"

	is "fwver on the device that allows it" \
		"$(mei-client-test connect /dev/mei0 $FWVER)" "ok 64 1"
	is "fwver on the device that does not: ENOTTY" \
		"$(mei-client-test connect /dev/mei1 $FWVER)" "ENOTTY"

	mei-client-test echo /dev/mei0 17 >/tmp/e0 2>&1 &
	p0=$!
	mei-client-test echo /dev/mei1 99 >/tmp/e1 2>&1 &
	p1=$!
	wait $p0
	r0=$?
	wait $p1
	r1=$?
	diag "$(cat /tmp/e0 /tmp/e1 | tr "\n" " ")"
	is "echo on mei0 (tag 17) at the same time: only its own answers" $r0 0
	is "echo on mei1 (tag 99) at the same time: only its own answers" $r1 0
	is "no refused tx chain on heci0" \
		"$(cat /sys/class/lhv/service/heci0/queue1/errors)" 0
	is "no refused tx chain on heci1" \
		"$(cat /sys/class/lhv/service/heci1/queue1/errors)" 0

	ok "heci del heci0" lhvctl heci del --vm service 0
	ok "/dev/mei0 goes away" wait_for 5 test ! -e /dev/mei0
	is "mei1 still answers" \
		"$(mei-client-test connect /dev/mei1 $ECHO)" "ok 2048 1"
	ok "fwver cannot be reached through mei1 either way" \
		test "$(mei-client-test connect /dev/mei1 $FWVER)" = ENOTTY
	ok "rmmod lhv_heci (destroys heci1)" rmmod lhv_heci
	ok "/dev/mei1 goes away" wait_for 5 test ! -e /dev/mei1
	ok "rmmod lhv_heci_fe" rmmod lhv_heci_fe
	ok "rmmod lhv" rmmod lhv
}
