# SPDX-License-Identifier: BSD-3-Clause
# lhv_snd carries every configured format, rate and channel count
# bit-exact in both directions: S16_LE and S32_LE, 44.1 and 48 kHz, 1, 2
# and 8 channels, each played on one side and recorded on the other and
# compared sample for sample after alignment (tests/guest/snd.sh). The
# guest's virtio_snd offers what PCM_INFO says and nothing else.
#@ kernels: 6.12
#@ modules: virtio_snd
#@ tools: aplay arecord
#@ files: /usr/share/alsa/alsa.conf /usr/share/alsa/cards/aliases.conf /usr/share/alsa/pcm/default.conf
#@ timeout: 600

guest_main() {
	local combo fmt rate ch
	. /lib/snd.sh
	snd_setup "out,channels=1-8,formats=s16,s32,rates=44100,48000" \
		"in,channels=1-8,formats=s16,s32,rates=44100,48000"
	for combo in S16_LE:44100:1 S16_LE:48000:8 S32_LE:44100:2 \
		S32_LE:48000:1 S32_LE:48000:8 S16_LE:44100:2; do
		IFS=: read -r fmt rate ch <<-EOF2
			$combo
		EOF2
		snd_bitexact out "$fmt" "$rate" "$ch" 0 1
		snd_bitexact in "$fmt" "$rate" "$ch" 1 1
	done
	diag "xruns (whole periods without guest buffers, e.g. a slow" \
		"drain under TCG): out $(cat $SND_LHV/stream0/xruns)," \
		"in $(cat $SND_LHV/stream1/xruns)"
	# What the guest driver offers comes from PCM_INFO: 96 kHz is not
	# there, so aplay gets the nearest rate the stream has.
	match "the guest card offers 44100 and 48000 only" \
		"$(aplay -D hw:CARD=$G,DEV=0 --dump-hw-params -t raw -f S16_LE \
			-c 2 /dev/null 2>&1 | grep RATE)" "RATE: \[44100 48000\]"
	ok "snd del" lhvctl snd del --vm service snd0
	ok "rmmod lhv_snd" rmmod lhv_snd
}
