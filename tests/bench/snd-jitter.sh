# SPDX-License-Identifier: BSD-3-Clause
# Benchmark (make bench-snd): how steadily lhv_snd completes periods, as
# a guest application sees them. lhv-snd-jitter plays S16_LE 48 kHz
# stereo on Linux's virtio_snd over an lhv_snd device (loopback) with 1,
# 5 and 10 ms periods, each without and with CPU load in the SOS (one
# busy loop per CPU), and prints p50/p99/max of |interval - period|
# between period completions, the xruns and the rate. The device's own
# clock lateness (late_max_us) is printed too.
#@ kernels: 6.12
#@ modules: virtio_snd
#@ tools: aplay
#@ files: /usr/share/alsa/alsa.conf
#@ timeout: 600

SECONDS_PER_RUN=10

guest_main() {
	local period frames periods load out pids i
	. /lib/snd.sh
	snd_setup out in
	diag "period  load  p50_us  p99_us  max_us  xruns  rate"
	for period in 1 5 10; do
		frames=$((48 * period))
		periods=$((period == 1 ? 16 : period == 5 ? 8 : 4))
		for load in no yes; do
			pids=
			if [ "$load" = yes ]; then
				for i in $(seq "$(nproc)"); do
					sh -c 'while :; do :; done' &
					pids="$pids $!"
				done
			fi
			out=$(lhv-snd-jitter /dev/snd/pcmC0D0p 48000 2 "$frames" \
				"$periods" $SECONDS_PER_RUN)
			[ -n "$pids" ] && kill $pids
			set -- $out
			# period_us P n N p50_us A p99_us B max_us C xruns X ...
			diag "$(printf '%3d ms  %4s  %6s  %6s  %6s  %5s  %s' \
				"$period" "$load" "$6" "$8" "${10}" "${12}" "${18}")"
			ok "$period ms periods, load $load: measured" [ -n "$out" ]
		done
	done
	diag "device clock: late_max_us $(cat $SND_LHV/stream0/late_max_us)" \
		"resyncs $(cat $SND_LHV/stream0/resyncs)"
	ok "snd del" lhvctl snd del --vm service snd0
}
