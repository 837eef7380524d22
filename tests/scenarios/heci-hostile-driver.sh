# SPDX-License-Identifier: BSD-3-Clause
# lhv_heci against a hostile driver: lhv_test_heci_raw sends what a MEI
# host driver never does, one case at a time, and records the packets the
# device sent back. Malformed packets, commands out of order, unknown
# commands and answers, connections to nothing, client messages without a
# connection, a credit or room, more than 64 credits: dropped with no answer
# (and counted in the tx queue's errors) while every valid request still
# gets the ME's answer; the bus keeps its state through it all, a link
# reset restarts it, and lhv_heci_fe takes the device back afterwards.
#@ timeout: 300
#@ check: 6.12

RAW=/sys/kernel/debug/lhv_test_heci_raw
ECHO=d2e5c6a4-0001-4c68-8076-6c6876000001

raw_case() { # virtioN case "expected packets"
	local got
	echo "$2" >"$RAW/$1/run"
	got=$(grep "^$2 " "$RAW/$1/results" | tail -n 1 | cut -d' ' -f2-)
	is "$2" "$got" "$3"
}

guest_main() {
	local v
	ok "modprobe lhv_heci_fe" modprobe lhv_heci_fe
	ok "modprobe lhv_test_heci_raw" modprobe lhv_test_heci_raw
	ok "modprobe lhv" modprobe lhv
	ok "heci add" lhvctl heci add --vm service --backend sim
	ok "/dev/mei0 appears" wait_for 10 test -c /dev/mei0
	v=$(basename "$(readlink -f /sys/class/lhv_mei/mei0/device)")
	ok "unbind lhv_heci_fe, bind the raw driver" sh -c "
		echo $v >/sys/bus/virtio/drivers/lhv_heci_fe/unbind &&
		echo $v >/sys/module/lhv_test_heci_raw/parameters/target &&
		echo $v >/sys/bus/virtio/drivers/lhv_test_heci_raw/bind"
	ok "the raw driver's debugfs" test -d "$RAW/$v"

	raw_case "$v" short_hdr "-"
	raw_case "$v" len_lie "-"
	raw_case "$v" reserved_bit "-"
	raw_case "$v" bus_incomplete "-"
	raw_case "$v" connect_idle "-"
	raw_case "$v" empty_bus "-"
	raw_case "$v" start_long "-"
	raw_case "$v" start "B81010002"
	raw_case "$v" start_again "-"
	raw_case "$v" props_early "-"
	raw_case "$v" enum "B840000001e"
	raw_case "$v" props_missing "B8509010000"
	raw_case "$v" props_echo "B85010000a4"
	raw_case "$v" unknown_cmd "-"
	raw_case "$v" answer_cmd "-"
	raw_case "$v" me_stop "-"
	raw_case "$v" connect_host0 "B86010004"
	raw_case "$v" connect_missing "B86090501"
	raw_case "$v" connect_refuse "B86030505"
	raw_case "$v" connect_echo "B86010500 B0801050000"
	raw_case "$v" connect_dup "B86020502"
	raw_case "$v" client_nobody "-"
	raw_case "$v" client_wrong_me "-"
	raw_case "$v" client_too_long "B0801050000"
	raw_case "$v" client_empty "B0801050000"
	raw_case "$v" client_echo "B0801050000 C1.5:508 C1.5:192"
	raw_case "$v" connect_slow "B86040600 B0804060000"
	raw_case "$v" slow_nocredit "C4.6:10 B0804060000"
	raw_case "$v" fc_nobody "-"
	raw_case "$v" fc_short "-"
	raw_case "$v" fc_flood "-"
	raw_case "$v" notify_bad "B9001050402"
	raw_case "$v" notify_fwver "B86020700 B0802070000 B9002070501"
	raw_case "$v" notify_echo "B9001050001"
	raw_case "$v" client_notify "C1.5:4 B11010500 B0801050000"
	raw_case "$v" disconnect_missing "B87010901"
	raw_case "$v" disconnect_echo "B87010500"
	raw_case "$v" client_after_disconnect "-"
	raw_case "$v" rx_small "- used0"
	raw_case "$v" tx_writable "- used0"
	raw_case "$v" stop "B82000000"
	raw_case "$v" enum_after_stop "-"
	raw_case "$v" link_reset "B81010002"
	diag "$(cat "$RAW/$v/results" | tr '\n' '|')"
	# 22 cases refused one chain each; fc_flood's last 6 of 70 credits.
	is "tx chains refused and counted" \
		"$(cat /sys/class/lhv/service/heci0/queue1/errors)" 28
	is "rx buffers refused and counted (the 16-byte one)" \
		"$(cat /sys/class/lhv/service/heci0/queue0/errors)" 1
	is "the device never asked for a reset" \
		"$(cat /sys/class/lhv/service/heci0/needs_reset)" ""

	ok "give the device back to lhv_heci_fe" sh -c "
		echo $v >/sys/bus/virtio/drivers/lhv_test_heci_raw/unbind &&
		echo $v >/sys/bus/virtio/drivers/lhv_heci_fe/bind"
	ok "/dev/mei0 is back" wait_for 10 test -c /dev/mei0
	is "echo answers through lhv_heci_fe" \
		"$(mei-client-test connect /dev/mei0 $ECHO)" "ok 2048 1"
	ok "traffic" mei-client-test traffic /dev/mei0 1
	ok "rmmod" rmmod lhv_test_heci_raw lhv_heci lhv_heci_fe lhv
}
