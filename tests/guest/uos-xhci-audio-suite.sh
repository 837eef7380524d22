# SPDX-License-Identifier: BSD-3-Clause
# The UOS side of tests/scenarios/uvm-xhci-audio.sh (packed as the
# scenario of the UOS's own initramfs): Linux's stock xhci_hcd and
# snd-usb-audio drive the outer QEMU's usb-audio device, forwarded by
# lhv_xhci, and aplay plays /host/tone.raw (5 s of a 1 kHz square wave,
# S16_LE, 48 kHz, stereo) through its isochronous OUT endpoint. The
# results go to the UOS console (lhvtest.mode=box), where the SOS reads
# them; "uos-aplay: <ms>" tells the SOS the wall time aplay took.
#@ modules: xhci_pci xhci_hcd usbcore snd-usb-audio
#@ tools: aplay
#@ files: /usr/share/alsa/alsa.conf /usr/share/alsa/cards/aliases.conf /usr/share/alsa/pcm/default.conf

# Milliseconds of the UOS's clock (uptime has centiseconds).
uptime_ms() {
	echo $(($(tr -d . </proc/uptime | cut -d' ' -f1) * 10))
}

guest_main() {
	local t0 t1 rc ms
	ok "modprobe xhci_pci" modprobe xhci_pci
	ok "the forwarded usb-audio device enumerates on root port 1" \
		wait_for 30 test -e /sys/bus/usb/devices/1-1/idVendor
	is "... QEMU's usb-audio (46f4:0002), read through the SOS" \
		"$(cat /sys/bus/usb/devices/1-1/idVendor):$(cat /sys/bus/usb/devices/1-1/idProduct)" \
		46f4:0002
	ok "modprobe snd-usb-audio" modprobe snd-usb-audio
	ok "... an ALSA card appears" wait_for 20 test -e /proc/asound/card0/stream0
	diag "$(cat /proc/asound/card0/stream0 2>&1 | head -n 12)"
	# The SOS's second run (lhvtest.silence=1) takes the port back while
	# this plays: zeroes, until the device goes; the SOS checks the rest.
	if [ "$(lhv_arg silence)" = 1 ]; then
		aplay -D hw:0,0 -t raw -f S16_LE -r 48000 -c 2 -d 120 /dev/zero
		return
	fi
	t0=$(uptime_ms)
	# A 2 s buffer: a write fails (EIO) only after 2.2 s without
	# progress, which a TCG vCPU starved by its host can cause.
	aplay -D hw:0,0 -t raw -f S16_LE -r 48000 -c 2 -B 2000000 \
		/host/tone.raw >/tmp/aplay.out 2>&1
	rc=$?
	t1=$(uptime_ms)
	ms=$((t1 - t0))
	echo "uos-aplay: $ms" >/dev/ttyS0
	is "aplay of 5 s at 48 kHz exits 0" "$rc" 0
	diag "aplay: $(tr '\n' ' ' </tmp/aplay.out)"
	not "... reports no underrun (xrun)" grep -qi 'underrun\|xrun' /tmp/aplay.out
	diag "5 s of audio took $ms ms of UOS time (ratio $((ms / 50))%)"
	not "snd-usb-audio reported no URB errors" \
		sh -c "dmesg | grep -Ei 'cannot submit|urb status|not ready|delay:'"
	not "xhci_hcd reported no transfer errors" \
		sh -c "dmesg | grep -Ei 'xhci.*(error|not responding|died)'"
	dmesg | grep -iE 'usb|snd|xhci' | tail -n 30 >/dev/ttyS0
	console_drain
}
