# SPDX-License-Identifier: BSD-3-Clause
# lhv_snd against a hostile driver: messages Linux's virtio_snd never
# sends. The test module lhv_test_vsnd_raw binds the device instead of
# virtio_snd and sends one crafted message at a time, recording the
# status code and used length. Short, long and unknown control requests,
# *_INFO queries past the items, wrapping or with bad entry sizes or too
# little room, bad stream ids, parameters the stream does not offer (a
# 96 kHz rate among them: refused at SET_PARAMS), transitions the state
# machine forbids, transfers on the wrong queue, for missing streams, in
# partial frames, beyond the buffer or with a status buffer too small:
# each gets BAD_MSG or NOT_SUPP (or, with no room for a status, an empty
# used buffer). Good messages in between work; RELEASE completes a held
# transfer. Afterwards virtio_snd binds again and plays bit-exact to the
# SOS card, which stayed in place throughout.
#@ kernels: 6.12
#@ modules: virtio_snd
#@ tools: aplay arecord
#@ files: /usr/share/alsa/alsa.conf /usr/share/alsa/cards/aliases.conf /usr/share/alsa/pcm/default.conf
#@ timeout: 400

RAW=/sys/kernel/debug/lhv_test_vsnd_raw
OK=0x8000 BAD=0x8001 NOTSUPP=0x8002

# Send case $2 through the raw driver bound to $1; "status used" must be $3.
raw_case() { # virtioN case "status used" what
	local got
	echo "$2" >"$RAW/$1/run"
	got=$(grep "^$2 " "$RAW/$1/results" | tail -n 1)
	is "$2: $4 ($3)" "$(echo "$got" | cut -d' ' -f2,3)" "$3"
}

guest_main() {
	local v
	. /lib/snd.sh
	snd_setup --jacks 1 --chmaps out in
	v=$(basename "$(readlink -f /sys/class/sound/card0/device)")
	match "the guest card's virtio device" "$v" "^virtio[0-9]+$"
	ok "load the raw driver" modprobe lhv_test_vsnd_raw
	ok "unbind virtio_snd, bind the raw driver" sh -c \
		"echo $v >/sys/bus/virtio/drivers/virtio_snd/unbind &&
		 echo $v >/sys/module/lhv_test_vsnd_raw/parameters/target &&
		 echo $v >/sys/bus/virtio/drivers/lhv_test_vsnd_raw/bind &&
		 test -d $RAW/$v"

	raw_case "$v" ctl_short_hdr "$BAD 4" "2-byte header"
	raw_case "$v" ctl_unknown "$NOTSUPP 4" "unknown code"
	raw_case "$v" ctl_jack_remap "$NOTSUPP 4" "JACK_REMAP, no remap feature"
	raw_case "$v" ctl_no_resp "none 0" "2-byte response buffer: used 0"
	raw_case "$v" pcm_info_ok "$OK 68" "PCM_INFO of both streams"
	raw_case "$v" pcm_info_count "$BAD 4" "count 2^32-1"
	raw_case "$v" pcm_info_wrap "$BAD 4" "start_id 2^32-1 + 2 wraps"
	raw_case "$v" pcm_info_past "$BAD 4" "start_id past the streams"
	raw_case "$v" pcm_info_size "$BAD 4" "entry size 8"
	raw_case "$v" pcm_info_huge "$BAD 4" "entry size 2^28"
	raw_case "$v" pcm_info_room "$BAD 4" "no room for the entries"
	raw_case "$v" pcm_info_len "$BAD 4" "a 12-byte query"
	raw_case "$v" jack_info_ok "$OK 28" "JACK_INFO of the jack"
	raw_case "$v" jack_info_past "$BAD 4" "JACK_INFO past the jack"
	raw_case "$v" chmap_info_ok "$OK 52" "CHMAP_INFO of both maps"
	raw_case "$v" bad_stream "$BAD 4" "PREPARE of stream 99"
	raw_case "$v" huge_stream "$BAD 4" "PREPARE of stream 2^32-1"
	raw_case "$v" cmd_long "$BAD 4" "a 12-byte PREPARE"
	raw_case "$v" cmd_short "$BAD 4" "a 6-byte PREPARE"
	raw_case "$v" start_init "$BAD 4" "START before SET_PARAMS"
	raw_case "$v" prepare_init "$BAD 4" "PREPARE before SET_PARAMS"
	raw_case "$v" release_init "$BAD 4" "RELEASE before SET_PARAMS"
	raw_case "$v" tx_init "$BAD 8" "a transfer before SET_PARAMS"
	raw_case "$v" params_96k "$NOTSUPP 4" "96 kHz, not offered"
	raw_case "$v" params_rate_bit "$NOTSUPP 4" "rate bit 200"
	raw_case "$v" params_format "$NOTSUPP 4" "U8, not offered"
	raw_case "$v" params_channels "$NOTSUPP 4" "9 channels"
	raw_case "$v" params_period0 "$BAD 4" "a period of 0 bytes"
	raw_case "$v" params_partial "$BAD 4" "a period of partial frames"
	raw_case "$v" params_buffer "$BAD 4" "a buffer smaller than a period"
	raw_case "$v" params_tiny "$NOTSUPP 4" "10-frame periods (208 us)"
	raw_case "$v" params_input_1ch "$OK 4" "the input stream, mono"
	raw_case "$v" params_ok "$OK 4" "S16 48 kHz stereo, 10 ms periods"
	is "stream0 took the parameters" \
		"$(cat $SND_LHV/stream0/state) $(cat $SND_LHV/stream0/period_bytes)" \
		"params 1920"
	raw_case "$v" stop_params "$BAD 4" "STOP before START"
	raw_case "$v" release_params "$BAD 4" "RELEASE before PREPARE"
	raw_case "$v" start_params "$BAD 4" "START before PREPARE"
	raw_case "$v" prepare "$OK 4" "PREPARE"
	raw_case "$v" tx_input_stream "$BAD 8" "the input stream on the tx queue"
	raw_case "$v" tx_bad_stream "$BAD 8" "a transfer for stream 77"
	raw_case "$v" tx_short_hdr "$BAD 8" "a 2-byte xfer header"
	raw_case "$v" tx_no_data "$BAD 8" "a transfer without data"
	raw_case "$v" tx_partial "$BAD 8" "6 bytes: partial frames"
	raw_case "$v" tx_too_big "$BAD 8" "more than the buffer"
	raw_case "$v" tx_status_4 "none 0" "a 4-byte status buffer: used 0"
	raw_case "$v" rx_output_stream "$BAD 8" "the output stream on the rx queue"
	raw_case "$v" evt_small "- 0" "a 4-byte event buffer: used 0"
	raw_case "$v" start "$OK 4" "START"
	raw_case "$v" prepare_running "$BAD 4" "PREPARE while running"
	raw_case "$v" params_running "$BAD 4" "SET_PARAMS while running"
	raw_case "$v" tx_ok "$OK 8" "a period played"
	raw_case "$v" stop "$OK 4" "STOP"
	raw_case "$v" stop_stopped "$BAD 4" "STOP twice"
	raw_case "$v" tx_held "pending -" "a stopped stream keeps a transfer"
	is "stream0 holds it" "$(cat $SND_LHV/stream0/queued_bytes)" 1920
	raw_case "$v" release "$OK 4" "RELEASE"
	raw_case "$v" held_done "$OK 8" "RELEASE completed the held transfer"
	raw_case "$v" start_released "$BAD 4" "START after RELEASE"
	raw_case "$v" tx_released "$BAD 8" "a transfer after RELEASE"
	raw_case "$v" params_again "$OK 4" "SET_PARAMS after RELEASE"
	match "stream0 counted the refused transfers" \
		"$(cat $SND_LHV/stream0/bad_msgs)" "^[1-9]"
	is "the SOS card stayed" "$(snd_card lhv_snd)" "$S"

	ok "unbind the raw driver (a device reset)" sh -c \
		"echo $v >/sys/bus/virtio/drivers/lhv_test_vsnd_raw/unbind"
	is "the reset put stream0 back to its initial state" \
		"$(cat $SND_LHV/stream0/state)" init
	ok "virtio_snd binds again" sh -c \
		"echo $v >/sys/bus/virtio/drivers/virtio_snd/bind"
	wait_for 10 sh -c '[ -n "$(sed -n "/virtio-snd/p" /proc/asound/cards)" ]'
	G=$(snd_card virtio-snd)
	snd_bitexact out S16_LE 48000 2 0 1
	snd_bitexact in S16_LE 48000 2 1 1
	ok "rmmod lhv_test_vsnd_raw" rmmod lhv_test_vsnd_raw
	ok "snd del" lhvctl snd del --vm service snd0
	ok "rmmod lhv_snd" rmmod lhv_snd
}
