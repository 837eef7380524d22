# SPDX-License-Identifier: BSD-3-Clause
# USB devices for the xHCI scenarios, made in the Service OS (sourced as
# /lib/usb-gadget.sh): dummy_hcd's buses (modprobe dummy_hcd num=N gives
# N, each a root hub with one port wired to UDC dummy_udc.<i>) and
# configfs mass-storage gadgets on 16 MiB files.
#   dummy_bus I [SPEED]     the bus number of dummy_hcd.I's root hub (of
#                           SPEED, e.g. 5000 with is_super_speed=1)
#   gadget_up NAME I        make gadget NAME (serial NAME, 1d6b:0104, file
#                           /tmp/NAME.img) and plug it into dummy_udc.I
#   gadget_unplug NAME      unbind it from its UDC (a cable pulled)
#   gadget_plug NAME I      bind it to dummy_udc.I again

_gadget_dir() { echo "/sys/kernel/config/usb_gadget/$1"; }

dummy_bus() {
	local d
	for d in /sys/bus/usb/devices/usb*; do
		case $(readlink -f "$d") in
		*/dummy_hcd."$1"/*)
			[ -z "$2" ] || [ "$(cat "$d/speed")" = "$2" ] || continue
			echo "${d##*/usb}" && return 0
			;;
		esac
	done
	return 1
}

gadget_up() {
	local g=$(_gadget_dir "$1")
	modprobe libcomposite && modprobe usb_f_mass_storage || return 1
	is_mounted /sys/kernel/config ||
		mount -t configfs none /sys/kernel/config || return 1
	[ -e "/tmp/$1.img" ] ||
		dd if=/dev/zero of="/tmp/$1.img" bs=1M count=16 2>/dev/null
	mkdir "$g" "$g/strings/0x409" "$g/configs/c.1" \
		"$g/functions/mass_storage.0" || return 1
	echo 0x1d6b >"$g/idVendor"
	echo 0x0104 >"$g/idProduct"
	echo "$1" >"$g/strings/0x409/serialnumber"
	echo "/tmp/$1.img" >"$g/functions/mass_storage.0/lun.0/file"
	ln -s "$g/functions/mass_storage.0" "$g/configs/c.1/"
	gadget_plug "$1" "$2"
}

gadget_unplug() {
	echo "" >"$(_gadget_dir "$1")/UDC"
}

gadget_plug() {
	echo "dummy_udc.$2" >"$(_gadget_dir "$1")/UDC"
}
