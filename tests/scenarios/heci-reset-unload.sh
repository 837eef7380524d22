# SPDX-License-Identifier: BSD-3-Clause
# The link reset handshake (host_reset / hw_ready) in the middle of a
# conversation: the open connection ends (ENODEV, as after a reset of
# mei), a new one works; a reset while another process is in a blocking
# read. Unbinding lhv_heci_fe, and unloading lhv_heci, while a process
# exchanges messages: the process sees ENODEV and ends, nothing is left
# behind, and binding again works. lhv_heci_fe cannot be unloaded while a
# file is open (the module is in use) and can once it is closed.
#@ timeout: 400
#@ check: 6.12

ECHO=d2e5c6a4-0001-4c68-8076-6c6876000001
RESET=/sys/class/lhv_mei/mei0/reset

traffic_bg() { # seconds: mei-client-test traffic in the background
	mei-client-test traffic /dev/mei0 "$1" >/tmp/traffic 2>&1 &
	TRAFFIC=$!
	# Running once it has exchanged a few messages.
	sleep 1
}

traffic_result() {
	wait $TRAFFIC
	TRAFFIC_RC=$?
	diag "$(cat /tmp/traffic)"
}

guest_main() {
	local v
	ok "modprobe lhv_heci_fe" modprobe lhv_heci_fe
	ok "modprobe lhv" modprobe lhv
	ok "heci add" lhvctl heci add --vm service --backend sim
	ok "/dev/mei0 appears" wait_for 10 test -c /dev/mei0

	ok "reset mid-conversation: ENODEV, then a new connection works" \
		mei-client-test reset /dev/mei0 $RESET
	is "hw_ready is back" "$(cat /sys/class/lhv_mei/mei0/hbm_ver)" "2.0"

	traffic_bg 60
	ok "reset while a process exchanges messages" sh -c "echo 1 >$RESET"
	traffic_result
	is "the process ended with ENODEV (exit 0)" $TRAFFIC_RC 0
	match "... after some messages" "$(cat /tmp/traffic)" \
		"traffic: [1-9][0-9]* messages, then ENODEV"
	is "echo works after the reset" \
		"$(mei-client-test connect /dev/mei0 $ECHO)" "ok 2048 1"

	v=$(basename "$(readlink -f /sys/class/lhv_mei/mei0/device)")
	match "mei0's virtio device" "$v" "^virtio[0-9]+$"
	traffic_bg 60
	ok "unbind lhv_heci_fe during traffic" \
		sh -c "echo $v >/sys/bus/virtio/drivers/lhv_heci_fe/unbind"
	traffic_result
	is "the process ended with ENODEV (exit 0)" $TRAFFIC_RC 0
	ok "/dev/mei0 is gone" wait_for 5 test ! -e /dev/mei0
	ok "bind lhv_heci_fe again" \
		sh -c "echo $v >/sys/bus/virtio/drivers/lhv_heci_fe/bind"
	ok "/dev/mei0 is back" wait_for 10 test -c /dev/mei0
	ok "echo works after the rebind" mei-client-test traffic /dev/mei0 1

	traffic_bg 4
	not "rmmod lhv_heci_fe while a file is open: refused" \
		rmmod lhv_heci_fe
	traffic_result
	is "the traffic ran its time undisturbed" $TRAFFIC_RC 0
	match "... and was not cut short" "$(cat /tmp/traffic)" "time up"

	traffic_bg 60
	ok "rmmod lhv_heci during traffic" rmmod lhv_heci
	traffic_result
	is "the process ended with ENODEV (exit 0)" $TRAFFIC_RC 0
	ok "/dev/mei0 is gone" wait_for 5 test ! -e /dev/mei0
	ok "rmmod lhv_heci_fe" rmmod lhv_heci_fe
	ok "modprobe both again" sh -c "modprobe lhv_heci_fe && modprobe lhv_heci"
	ok "heci add again" lhvctl heci add --vm service --backend sim
	ok "/dev/mei0 appears" wait_for 10 test -c /dev/mei0
	ok "echo works" mei-client-test traffic /dev/mei0 1
	ok "rmmod lhv_heci lhv_heci_fe lhv" rmmod lhv_heci lhv_heci_fe lhv
}
