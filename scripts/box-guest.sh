# SPDX-License-Identifier: BSD-3-Clause
# What the `make run` box does inside the Service OS before it hands over
# a shell: load lhv, late-launch the hypervisor under this Linux, give the
# service VM an lhv_blk disk (served from the box's scratch disk), an
# lhv_heci device with the ME simulator and an lhv_snd card, each driven
# by Linux's own drivers or lhv's frontend, and boot a user VM (Debian's
# kernel and a busybox initramfs) on CPU 1. Grows with the project: the
# user VM's own devices join once the virtio-pci transport lands.
#@ modules: virtio_blk virtio_pci virtio_snd
#@ tools: aplay arecord
#@ files: /usr/share/alsa/alsa.conf /usr/share/alsa/cards/aliases.conf /usr/share/alsa/pcm/default.conf

# The ME simulator's echo client (docs/heci.md).
ECHO=d2e5c6a4-0001-4c68-8076-6c6876000001

box_blk() {
	local backing disk
	backing=$(disk_by_serial lhv-backing)
	ok "lhvctl blk add: a disk for the service VM from $backing" \
		lhvctl blk add --vm service --path "$backing" --serial box-disk --queues 2
	disk=$(disk_wait box-disk)
	lhvctl blk list
	ok "write and read back 4 MiB through lhv_blk ($disk)" sh -c \
		"dd if=/dev/urandom of=/tmp/a bs=1M count=4 2>/dev/null &&
		 dd if=/tmp/a of=$disk bs=1M oflag=direct 2>/dev/null &&
		 dd if=$disk of=/tmp/b bs=1M count=4 iflag=direct 2>/dev/null &&
		 cmp /tmp/a /tmp/b"
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
	ok "lhvctl vm create uos1: CPU 1 and 256 MiB for a user VM" \
		lhvctl vm create uos1 --cpus 1 --mem 256M
	ok "lhvctl vm load: Debian's kernel and a busybox initramfs (unsigned: --insecure)" \
		lhvctl vm load uos1 --kernel /host/bzImage --kernel-sig /dev/null \
		--initrd /host/uos-initrd.gz --tsc-khz "$khz" \
		--cmdline "console=ttyS0 loglevel=5" --insecure
	ok "lhvctl vm start uos1" lhvctl vm start uos1
	for i in $(seq 600); do
		lhvctl vm console uos1 | grep -q "lhv-uos: cpuinfo" && break
		sleep 0.1
	done
	lhvctl vm show uos1
	echo "--- uos1's console (lhvctl vm console uos1):"
	lhvctl vm console uos1 | grep "lhv-uos:"
	match "the user VM booted to its /init" "$(lhvctl vm console uos1)" \
		"lhv-uos: marker from the user VM"
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
	echo "Not in the box yet: the user VM's own devices (virtio-pci over the"
	echo "hypervisor) and lhv_xhci (see the open issues)."
}
