#!/bin/busybox sh
# SPDX-License-Identifier: BSD-3-Clause
# /init of the QEMU test box: mounts the basics, runs the scenario's
# guest_main with TAP going to the second serial port (/dev/ttyS1), then
# powers off. Kernel messages and scenario chatter go to ttyS0.
/bin/busybox --install -s /bin
# The kernel runs /sbin/modprobe to load modules on demand (lhv-dev-blk).
ln -s /bin/busybox /sbin/modprobe
export PATH=/usr/bin:/bin:/sbin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /sys/kernel/debug && mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
ln -s /proc/self/fd /dev/fd 2>/dev/null
hostname lhv-box

. /lib/tap.sh
. /scenario.sh

lhv_arg() { sed -n "s/.*lhvtest\\.$1=\\([^ ]*\\).*/\\1/p" /proc/cmdline; }

mkdir -p /etc/modprobe.d
# The memory the kernel command line reserved for the hv (memmap=).
if [ -n "$(lhv_arg hvmem)" ]; then
	echo "options lhv hv_mem=$(lhv_arg hvmem)" >/etc/modprobe.d/lhv-mem.conf
fi
# Under the hypervisor (LHV_HV=1): lhv.ko enables it whenever it loads.
if [ "$(lhv_arg hv)" = 1 ]; then
	echo "options lhv hv_enable=1" >/etc/modprobe.d/lhv-hv.conf
fi

echo "lhv-harness: scenario start" >/dev/ttyS0
if [ "$(lhv_arg mode)" = box ]; then
	tap_open /dev/ttyS0 # `make run`: results on the console
else
	tap_open /dev/ttyS1
fi
guest_main
if [ "$(lhv_arg hv)" = 1 ]; then
	# The run proves something only if the hv really ran.
	match "the hypervisor ran under this scenario" \
		"$(dmesg | grep -c 'lhv: hypervisor running on')" "^[1-9]"
fi
tap_close
echo "lhv-harness: scenario end" >/dev/ttyS0
if [ "$(lhv_arg shell)" = 1 ]; then
	echo "lhv-box: shell (poweroff -f, or Ctrl-A X, to leave)" >/dev/ttyS0
	setsid cttyhack sh -l
fi
sync
# A user VM's console UART has no interrupt and drains by polling: give it
# time, or poweroff drops the last lines (the results) still queued.
[ "$(lhv_arg mode)" = box ] && sleep 3
poweroff -f
