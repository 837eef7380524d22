# SPDX-License-Identifier: BSD-3-Clause
# What the `make run` box does inside the Service OS before it hands over
# a shell: load lhv, late-launch the hypervisor under this Linux, give the
# service VM an lhv_blk disk (served from the box's scratch disk), an
# lhv_heci device with the ME simulator and an lhv_snd card, each driven
# by Linux's own drivers or lhv's frontend, and boot a user VM (Debian's
# kernel, an initramfs with scripts/box-uos.sh) on CPU 1 with its own
# disk, HECI device and sound card, which it uses the same way, and an
# xHCI controller with a USB stick (a dummy_hcd gadget) on its port.
#@ modules: virtio_blk virtio_pci virtio_snd dummy_hcd configfs libcomposite usb_f_mass_storage
#@ tools: aplay arecord
#@ files: /usr/share/alsa/alsa.conf /usr/share/alsa/cards/aliases.conf /usr/share/alsa/pcm/default.conf

# The ME simulator's echo client (docs/heci.md).
ECHO=d2e5c6a4-0001-4c68-8076-6c6876000001

box_blk() {
	local backing disk
	backing=$(disk_by_serial lhv-backing)
	# The first 128 MiB of the scratch disk; the user VM gets the next 64.
	ok "lhvctl blk add: a disk for the service VM from $backing" \
		lhvctl blk add --vm service --path "$backing" --serial box-disk \
		--queues 2 --start 0 --sectors 262144
	disk=$(disk_wait box-disk)
	lhvctl blk list
	ok "write and read back 4 MiB through lhv_blk ($disk)" disk_roundtrip "$disk" 4
}

box_heci() {
	ok "modprobe lhv_heci_fe (the guest's /dev/mei driver)" \
		modprobe lhv_heci_fe
	ok "lhvctl heci add: the ME simulator for the service VM" \
		lhvctl heci add --vm service --backend sim
	ok "/dev/mei0 from lhv_heci_fe" wait_for 10 test -c /dev/mei0
	lhvctl heci list
	is "MEI userspace connects to the echo client" \
		"$(mei-client-test connect /dev/mei0 $ECHO)" "ok 2048 1"
}

box_snd() {
	local g
	ok "lhvctl snd add: a virtio-snd card for the service VM" \
		lhvctl snd add --vm service
	wait_for 10 sh -c 'grep -q virtio-snd /proc/asound/cards'
	cat /proc/asound/cards
	g=$(sed -n 's/^ *[0-9]* \[\([^ ]*\) *\]: virtio-snd - .*/\1/p' /proc/asound/cards | head -n 1)
	ok "aplay plays 1 s on the guest card ($g), paced by lhv_snd" \
		aplay -q -D "hw:$g,0" -f S16_LE -c 2 -r 48000 -d 1 /dev/zero
}

box_uos() {
	local khz i
	khz=$(dmesg | sed -n 's/.*tsc: Detected \([0-9]*\)\.\([0-9]\{3\}\).* MHz.*/\1\2/p' | head -n 1)
	ok "lhvctl vm create uos1: CPU 1 and 512 MiB for a user VM" \
		lhvctl vm create uos1 --cpus 1 --mem 512M
	ok "lhvctl blk add: a 64 MiB disk for it, from the scratch disk" \
		lhvctl blk add --vm uos1 --path "$(disk_by_serial lhv-backing)" \
		--serial uos-disk --start 262144 --sectors 131072
	ok "lhvctl heci add: its own ME simulator" \
		lhvctl heci add --vm uos1 --backend sim
	ok "lhvctl snd add: its own sound card" lhvctl snd add --vm uos1
	# A USB stick for it: a mass-storage gadget on dummy_hcd's port, the
	# port assigned to the user VM's own xHCI controller.
	. /lib/usb-gadget.sh
	ok "lhvctl xhci add: an xHCI controller for it" lhvctl xhci add --vm uos1
	ok "modprobe dummy_hcd (a USB bus with one port)" modprobe dummy_hcd
	wait_for 10 dummy_bus 0 >/dev/null
	ok "a USB stick there (a configfs mass-storage gadget)" gadget_up box-usb 0
	ok "lhvctl usb assign: its port goes to the user VM" \
		lhvctl usb assign --vm uos1 --port "$(dummy_bus 0)-1"
	lhvctl usb list
	ok "lhvctl vm load: Debian's kernel and the box's UOS initramfs (unsigned: --insecure)" \
		lhvctl vm load uos1 --kernel /host/bzImage --kernel-sig /dev/null \
		--initrd /host/uos-initrd.gz --tsc-khz "$khz" --insecure \
		--cmdline "console=ttyS0 loglevel=4 lhvtest.mode=box lhvtest.shell=$(lhv_arg shell)"
	# The hv keeps the last 16 KiB of its console: a follower keeps all.
	lhvctl vm console uos1 --follow 0 >/tmp/uos1-console.log 2>&1 &
	ok "lhvctl vm start uos1" lhvctl vm start uos1
	# Its demo takes about a minute under TCG.
	for i in $(seq 300); do
		grep -aq '^lhv-harness: scenario end' /tmp/uos1-console.log && break
		[ "$(uvm_state uos1)" = running ] || break
		sleep 1
	done
	echo "--- uos1's results (lhvctl vm console uos1):"
	tap_passthrough uvm_box_results /tmp/uos1-console.log
	if [ "$(lhv_arg shell)" != 1 ]; then
		wait_for 10 sh -c '[ "$(lhvctl vm show uos1 | sed -n "s/^state: *//p")" = stopped ]'
		is "the user VM powered itself off after its demo" "$(uvm_state uos1)" stopped
	fi
	lhvctl vm show uos1
	lhvctl blk list
}

guest_main() {
	modprobe virtio_pci
	modprobe virtio_blk
	modprobe virtio_snd
	ok "modprobe lhv" modprobe lhv
	ok "lhvctl hv enable (this Linux now runs as the hypervisor's guest)" \
		lhvctl hv enable
	echo
	lhvctl status
	lhvctl hv status
	echo
	box_blk
	echo
	box_heci
	echo
	box_snd
	echo
	box_uos
	echo
	lhvctl hv stats
	echo "queue statistics: /sys/class/lhv/service/<dev>/queue*/"
	echo "The user VM's console: lhvctl vm console uos1; type into it:"
	echo "lhvctl vm send uos1 'ls /dev/vd*'"
}
