# SPDX-License-Identifier: BSD-3-Clause
# What the `make run` box's user VM does (scripts/box-guest.sh packs this
# file as the scenario of the UOS's own initramfs): Linux's stock drivers
# and lhv's HECI frontend use the devices the Service OS serves it over
# the hypervisor, one by one: a disk, HECI, a sound card and a USB stick
# on an xHCI controller. Results go to the UOS console, which the
# Service OS relays. With lhvtest.shell=1 the UOS then keeps a shell on
# its console (`lhvctl vm console uos1`, `lhvctl vm send uos1 ...`).
#@ modules: virtio_blk virtio_snd xhci_pci xhci_hcd usb-storage sd_mod
#@ tools: aplay
#@ files: /usr/share/alsa/alsa.conf /usr/share/alsa/cards/aliases.conf /usr/share/alsa/pcm/default.conf

# The ME simulator's echo client (docs/heci.md).
ECHO=d2e5c6a4-0001-4c68-8076-6c6876000001

uos_blk() {
	local disk
	ok "virtio_blk binds the disk on the virtual PCI bus" modprobe virtio_blk
	disk=$(disk_wait uos-disk)
	match "... /dev/vd* with the serial the SOS gave" "$disk" "^/dev/vd"
	ok "write and read back 4 MiB through it ($disk)" disk_roundtrip "$disk" 4
}

uos_heci() {
	ok "lhv_heci_fe binds the HECI device" modprobe lhv_heci_fe
	ok "/dev/mei0 appears" wait_for 10 test -c /dev/mei0
	is "MEI userspace connects to the echo client of the SOS's ME simulator" \
		"$(mei-client-test connect /dev/mei0 $ECHO)" "ok 2048 1"
}

uos_snd() {
	local card
	ok "virtio_snd binds the sound device" modprobe virtio_snd
	wait_for 10 sh -c 'grep -q virtio-snd /proc/asound/cards'
	card=$(sed -n 's/^ *[0-9]* \[\([^ ]*\) *\]: virtio-snd - .*/\1/p' \
		/proc/asound/cards | head -n 1)
	match "... a virtio-snd card" "$card" "."
	ok "aplay plays 1 s on it ($card), paced by lhv_snd in the SOS" \
		aplay -q -D "hw:$card,0" -f S16_LE -c 2 -r 48000 -d 1 /dev/zero
}

uos_usb() {
	local disk
	ok "xhci_pci binds the xHCI controller" modprobe xhci_pci
	ok "usb-storage binds the USB stick on its port" \
		sh -c 'modprobe usb-storage && modprobe sd_mod'
	ok "... a USB disk appears" wait_for 30 sh -c 'ls /sys/block | grep -q ^sd'
	disk=/dev/$(ls /sys/block | grep ^sd | head -n 1)
	grep -h . /sys/bus/usb/devices/*/product 2>/dev/null | sed 's/^/usb: /'
	ok "write and read back 4 MiB through it ($disk)" disk_roundtrip "$disk" 4
}

guest_main() {
	echo "lhv-uos: the user VM's devices, served by the Service OS"
	cat /proc/cpuinfo | grep -m 1 'model name'
	uos_blk
	uos_heci
	uos_snd
	uos_usb
	match "MSI-X for its devices, no INTx" \
		"$(grep -c 'PCI-MSIX' /proc/interrupts)" "^[1-9]"
}
