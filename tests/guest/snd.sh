# SPDX-License-Identifier: BSD-3-Clause
# Helpers of the audio scenarios (tests/scenarios/snd-*.sh), sourced after
# tap.sh. The guest side is Linux's own virtio_snd on the loopback
# transport; the SOS side is lhv_snd's card. Guest stream n is the guest
# card's PCM device n; the SOS card's PCM device n carries it the other
# way.

SND_LHV=/sys/class/lhv/service/snd0

# The ALSA id of the card whose driver is $1 (virtio-snd, lhv_snd).
snd_card() {
	sed -n "s/^ *[0-9]* \[\([^ ]*\) *\]: $1 - .*/\1/p" /proc/asound/cards |
		head -n 1
}

# Load the drivers and add a snd device with streams "$@" (lhvctl syntax);
# sets G (guest card id) and S (SOS card id).
snd_setup() {
	ok "modprobe virtio_snd (periods down to 1 ms)" \
		modprobe virtio_snd pcm_period_ms_min=1
	ok "modprobe lhv_snd" modprobe lhv_snd
	ok "snd add" lhvctl snd add --vm service "$@"
	wait_for 10 sh -c '[ -n "$(sed -n "/virtio-snd/p" /proc/asound/cards)" ]'
	G=$(snd_card virtio-snd)
	S=$(snd_card lhv_snd)
	match "virtio_snd made its card" "$G" "."
	match "lhv_snd made the SOS card" "$S" "^lhv"
}

# Wait (up to 10 s) until PCM $1 (e.g. $S/pcm0c) runs.
snd_wait_running() {
	wait_for 10 grep -q "state: RUNNING" "/proc/asound/$1/sub0/status"
}

# Bytes per sample of an aplay format name.
snd_bytes() {
	case $1 in S16_LE) echo 2 ;; *) echo 4 ;; esac
}

# One transfer, bit-exact: $1 out (guest plays, SOS records) or in (SOS
# plays, guest records), format $2 (S16_LE or S32_LE), rate $3, channels
# $4, stream $5, $6 seconds of signal. The recorder starts first; the
# player uses 10 ms periods.
snd_bitexact() {
	local dir=$1 fmt=$2 rate=$3 ch=$4 dev=$5 secs=$6 b frames rcard pcard
	local rec extra args what
	b=$(snd_bytes "$fmt")
	frames=$((rate * secs))
	what="$dir $fmt ${rate}Hz ${ch}ch"
	lhv-snd-sig gen "$b" "$ch" "$frames" "$rate$ch$b" >/tmp/ref.raw
	args="-q -f $fmt -r $rate -c $ch -t raw"
	if [ "$dir" = out ]; then
		rcard=$S/pcm${dev}c pcard=$G
		# The SOS side gets exactly the guest's frames from the first.
		rec="hw:CARD=$S,DEV=$dev" extra=$frames
	else
		rcard=$G/pcm${dev}c pcard=$S
		# The guest hears silence until the SOS player starts.
		rec="hw:CARD=$G,DEV=$dev" extra=$((frames + rate * 3))
	fi
	rm -f /tmp/cap.raw
	timeout $((secs + 20)) arecord $args -D "$rec" -s "$extra" \
		/tmp/cap.raw &
	local pid=$!
	ok "$what: the recorder runs" snd_wait_running "$rcard"
	ok "$what: aplay plays ${secs} s" timeout $((secs + 20)) aplay $args \
		--period-size=$((rate / 100)) --buffer-size=$((rate / 25)) \
		-D "hw:CARD=$pcard,DEV=$dev" /tmp/ref.raw
	wait "$pid"
	is "$what: arecord ended well" "$?" 0
	ok "$what: sample for sample after alignment" \
		lhv-snd-sig cmp "$b" "$ch" /tmp/ref.raw /tmp/cap.raw "$frames"
	diag "$(lhv-snd-sig cmp "$b" "$ch" /tmp/ref.raw /tmp/cap.raw 0)"
}
