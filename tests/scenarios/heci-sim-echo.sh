# SPDX-License-Identifier: BSD-3-Clause
# lhv_heci with its ME simulator, driven through lhv_heci_fe's /dev/mei0 on
# the service VM (loopback) by mei-client-test, which uses nothing but
# <linux/mei.h>: the echo client at every size from 1 byte to its maximum,
# short reads, EFBIG, bursts past the ME's credits, poll, non-blocking
# I/O, notifications, disconnect and reconnect; the fixed-reply client's
# answers; the errno of mei for a refused client (EBUSY) and an unknown
# one (ENOTTY); the write queue limit (EAGAIN) against the slow client;
# lhvctl heci add/list/del and the netlink refusals (also lhv-nl-abuse's
# heci cases: no backend, backend 7, a 15-byte UUID, VTAG set, 33 UUIDs,
# a tiny MAX_MSG_LEN); clean unloads.
#@ timeout: 400

ECHO=d2e5c6a4-0001-4c68-8076-6c6876000001
FWVER=d2e5c6a4-0002-4c68-8076-6c6876000002
REFUSE=d2e5c6a4-0003-4c68-8076-6c6876000003
SLOW=d2e5c6a4-0004-4c68-8076-6c6876000004
NOBODY=12345678-9abc-def0-1234-56789abcdef0

guest_main() {
	local out
	ok "modprobe lhv_heci_fe" modprobe lhv_heci_fe
	ok "modprobe lhv_heci" modprobe lhv_heci
	# Its heci cases: broken heci DEV_CONFIGs refused with an extack.
	tap_passthrough lhv-nl-abuse
	not "heci add without --backend is a usage error" \
		lhvctl heci add --vm service
	out=$(lhvctl heci add --vm service --backend sim --allow $NOBODY 2>&1)
	match "the kernel refuses a UUID the simulator does not have" \
		"$out" "not one of the simulator's clients"
	out=$(lhvctl heci add --vm service --backend mei 2>&1)
	match "the mei backend needs an allow list" "$out" "at least one"
	out=$(lhvctl heci add --vm service --backend sim --allow $ECHO \
		--allow $ECHO 2>&1)
	match "a UUID allowed twice is refused" "$out" "allowed twice"
	out=$(lhvctl heci add --vm service --backend sim --max-msg-len 64 2>&1)
	match "max-msg-len is for the mei backend" "$out" "fixed message"

	ok "heci add --backend sim" lhvctl heci add --vm service --backend sim
	ok "/dev/mei0 appears" wait_for 10 test -c /dev/mei0
	is "hbm_ver" "$(cat /sys/class/lhv_mei/mei0/hbm_ver)" "2.0"
	is "fw_status starts with the simulator's FWSTS1" \
		"$(head -n 1 /sys/class/lhv_mei/mei0/fw_status)" "90000245"
	out=$(lhvctl --json heci list)
	diag "$out"
	match "heci list --json names the backend" "$out" '"backend": *"sim"'
	match "heci list --json lists the echo client" "$out" "$ECHO"
	match "heci list shows the device" "$(lhvctl heci list)" \
		"service +0 +heci0 +sim +0 +"

	is "connect to echo: max_msg_length 2048, version 1" \
		"$(mei-client-test connect /dev/mei0 $ECHO)" "ok 2048 1"
	is "connect to fwver: max_msg_length 64" \
		"$(mei-client-test connect /dev/mei0 $FWVER)" "ok 64 1"
	is "a client that refuses connections: EBUSY (as mei)" \
		"$(mei-client-test connect /dev/mei0 $REFUSE)" "EBUSY"
	is "a client the ME does not have: ENOTTY (as mei)" \
		"$(mei-client-test connect /dev/mei0 $NOBODY)" "ENOTTY"
	is "echo takes two connections, a third is refused: EBUSY (as mei)" \
		"$(mei-client-test connect-many /dev/mei0 $ECHO 3)" "ok ok EBUSY"
	is "fwver takes one" \
		"$(mei-client-test connect-many /dev/mei0 $FWVER 2)" "ok EBUSY"
	is "closing gives the connections back" \
		"$(mei-client-test connect-many /dev/mei0 $ECHO 2)" "ok ok"
	ok "echo: every size 1..max, short reads, burst, poll, notify, reconnect" \
		mei-client-test echo /dev/mei0
	ok "fwver: the fixed answers" mei-client-test fwver /dev/mei0
	ok "slow: the queue limit (EAGAIN) and in-order answers" \
		mei-client-test slow /dev/mei0 80
	is "no tx chain was refused by the device" \
		"$(cat /sys/class/lhv/service/heci0/queue1/errors)" 0

	ok "heci del heci0" lhvctl heci del --vm service heci0
	ok "/dev/mei0 is gone" wait_for 5 test ! -e /dev/mei0
	ok "rmmod lhv_heci_fe" rmmod lhv_heci_fe
	ok "rmmod lhv_heci" rmmod lhv_heci
	# lhv-nl-abuse's blk and snd cases had lhv.ko load lhv_blk and
	# lhv_snd on demand.
	ok "rmmod lhv_blk" rmmod lhv_blk
	ok "rmmod lhv_snd" rmmod lhv_snd
	ok "rmmod lhv" rmmod lhv
}
