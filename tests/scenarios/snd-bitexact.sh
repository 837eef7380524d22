# SPDX-License-Identifier: BSD-3-Clause
# lhv_snd carries audio bit-exact both ways: a non-periodic signal played
# with aplay on Linux's virtio_snd card is captured with arecord on the SOS
# card lhv_<vm> and matches sample for sample after alignment; the same
# from the SOS card's playback PCM to a guest capture. The stream
# statistics count what moved and, with a reader, nothing dropped;
# lhvctl snd list shows the device, and bad configurations are refused
# with the kernel's reason.
#@ kernels: 6.12
#@ modules: virtio_snd
#@ tools: aplay arecord
#@ files: /usr/share/alsa/alsa.conf /usr/share/alsa/cards/aliases.conf /usr/share/alsa/pcm/default.conf
#@ timeout: 400

guest_main() {
	local bytes
	. /lib/snd.sh
	snd_setup out in
	is "the SOS card's id is lhv_<vm> in ALSA's alphabet" "$S" lhvservice
	match "/proc/asound/cards names the device" \
		"$(cat /proc/asound/cards)" "lhv service/snd0"
	match "SOS PCM 0 captures the guest's playback stream" \
		"$(cat /proc/asound/$S/pcm0c/info)" "guest playback"
	match "SOS PCM 1 plays into the guest's capture stream" \
		"$(cat /proc/asound/$S/pcm1p/info)" "guest capture"

	match "snd list: one line per stream" "$(lhvctl snd list --vm service)" \
		"snd0 +lhvservice +1 +in,channels=1-8,formats=s16,s32,rates=44100,48000"
	match "snd list --json: the card and the streams" \
		"$(lhvctl snd list --json)" \
		'"card":"lhvservice".*"stream0":"out,channels=1-8'
	# The kernel refuses bad configurations and says why (extack).
	match "0 channels: refused" \
		"$(lhvctl snd add --vm service out,channels=0 2>&1)" "range"
	match "channels 4-2: refused" \
		"$(lhvctl snd add --vm service out,channels=4-2 2>&1)" \
		"channels_min is above channels_max"
	match "9 jacks: refused" \
		"$(lhvctl snd add --vm service --jacks 9 2>&1)" "range"
	is "no second device came of them" \
		"$(lhvctl snd list --json | grep -c '"type":"snd"')" 1

	snd_bitexact out S16_LE 48000 2 0 2
	# The guest may send a period of silence after the signal (ALSA's
	# drain); some of it may find arecord gone. Nothing else is dropped.
	bytes=$(cat $SND_LHV/stream0/bytes)
	ok "stream0 moved the whole signal" [ "$bytes" -ge 384000 ]
	ok "stream0 dropped at most what came after the signal" \
		[ "$(cat $SND_LHV/stream0/dropped_frames)" -le \
		$(((bytes - 384000) / 4)) ]
	is "stream0 saw no xrun" "$(cat $SND_LHV/stream0/xruns)" 0
	is "stream0 is released" "$(cat $SND_LHV/stream0/state)" released

	snd_bitexact in S16_LE 48000 2 1 2
	is "stream1 is released" "$(cat $SND_LHV/stream1/state)" released
	match "stream1 counted its periods" \
		"$(cat $SND_LHV/stream1/periods)" "^[1-9][0-9]"

	ok "snd del" lhvctl snd del --vm service snd0
	ok "the SOS card is gone" sh -c "! grep -q lhv_snd /proc/asound/cards"
	ok "rmmod lhv_snd" rmmod lhv_snd
}
