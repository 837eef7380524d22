# SPDX-License-Identifier: BSD-3-Clause
# lhv_snd's clock keeps the negotiated rate: 10 s of audio played with
# aplay on the guest card take 10 s +- 1 % of SOS time, with nobody
# reading on the SOS side (the data is dropped and counted) and with an
# arecord reading it; lhv-snd-jitter measures the rate at which the PCM
# really consumes frames (+- 1 %). Periods of 1 ms work: the guest sets
# them and its application gets them (under TCG on a loaded machine not
# always in time: the xruns are reported, see docs/performance.md).
#@ kernels: 6.12
#@ modules: virtio_snd
#@ tools: aplay arecord
#@ files: /usr/share/alsa/alsa.conf /usr/share/alsa/cards/aliases.conf /usr/share/alsa/pcm/default.conf
#@ timeout: 600

# SOS time in centiseconds.
uptime_cs() {
	tr -d . </proc/uptime | cut -d' ' -f1
}

# aplay 10 s of S16_LE 48 kHz stereo on the guest card; echo the
# centiseconds from the stream's start (its sysfs state turns running,
# polled every 10 ms) to aplay's return after the drain, so the time to
# start aplay itself does not count.
play_10s() {
	local t0 t1 pid
	rm -f /tmp/t0
	(
		while ! grep -q running $SND_LHV/stream0/state; do
			sleep 0.01
		done
		uptime_cs >/tmp/t0
	) &
	pid=$!
	aplay -q -D "hw:CARD=$G,DEV=0" -t raw -f S16_LE -r 48000 -c 2 \
		--period-size=480 --buffer-size=1920 /tmp/10s.raw || return 1
	t1=$(uptime_cs)
	wait "$pid"
	t0=$(cat /tmp/t0)
	echo $((t1 - t0))
}

# Whether $1 lies in [$2, $3].
within() {
	[ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

# The rate lhv-snd-jitter measured, in frames per second (integer part).
jitter_rate() {
	echo "$1" | sed -n 's/.* rate \([0-9]*\)\..*/\1/p'
}

guest_main() {
	local cs dropped bytes out rate n
	. /lib/snd.sh
	snd_setup out in
	head -c $((48000 * 4 * 10)) /dev/zero >/tmp/10s.raw

	dropped=$(cat $SND_LHV/stream0/dropped_frames)
	cs=$(play_10s)
	diag "10 s played in ${cs}0 ms of SOS time, nobody reading"
	ok "nobody reading: 10 s take 10 s +- 1 %" within "$cs" 990 1010
	ok "... and the data was dropped and counted" \
		[ $(($(cat $SND_LHV/stream0/dropped_frames) - dropped)) -ge 480000 ]

	timeout 30 arecord -q -D "hw:CARD=$S,DEV=0" -t raw -f S16_LE -r 48000 \
		-c 2 -s 480000 /tmp/rec.raw &
	ok "the SOS reader runs" snd_wait_running "$S/pcm0c"
	dropped=$(cat $SND_LHV/stream0/dropped_frames)
	bytes=$(cat $SND_LHV/stream0/bytes)
	cs=$(play_10s)
	diag "10 s played in ${cs}0 ms of SOS time, arecord reading"
	ok "with a reader: 10 s take 10 s +- 1 %" within "$cs" 990 1010
	wait
	is "the reader got all 10 s" "$(stat -c %s /tmp/rec.raw)" 1920000
	# What the guest sent after the 10 s (a drain's silence) may have
	# found the reader gone; nothing else was dropped.
	bytes=$(($(cat $SND_LHV/stream0/bytes) - bytes - 1920000))
	ok "... and at most what came after the 10 s was dropped" \
		[ $(($(cat $SND_LHV/stream0/dropped_frames) - dropped)) -le \
		$((bytes / 4)) ]

	out=$(lhv-snd-jitter /dev/snd/pcmC0D0p 48000 2 480 4 10)
	diag "10 ms periods: $out"
	rate=$(jitter_rate "$out")
	ok "10 ms periods: the PCM consumes 48000 frames/s +- 1 %" \
		within "$rate" 47520 48480
	# 1 ms periods: whether a guest application under TCG keeps up with
	# 1000 wake-ups a second on a loaded machine is not the device's
	# doing, so its xruns are reported, not judged.
	out=$(lhv-snd-jitter /dev/snd/pcmC0D0p 48000 2 48 16 5)
	diag "1 ms periods: $out"
	is "1 ms periods: the guest set 192-byte periods" \
		"$(cat $SND_LHV/stream0/period_bytes)" 192
	n=$(echo "$out" | sed -n 's/.* n \([0-9]*\) .*/\1/p')
	ok "1 ms periods: the guest application timed most of 5000 periods" \
		[ "${n:-0}" -ge 2500 ]
	out=$(lhv-snd-jitter /dev/snd/pcmC0D0p 44100 2 441 4 5)
	diag "44.1 kHz, 10 ms periods: $out"
	rate=$(jitter_rate "$out")
	ok "44.1 kHz: 44100 frames/s +- 1 %" within "$rate" 43659 44541
	diag "the device's clock: late by up to" \
		"$(cat $SND_LHV/stream0/late_max_us) us, resyncs" \
		"$(cat $SND_LHV/stream0/resyncs)"
	ok "snd del" lhvctl snd del --vm service snd0
}
