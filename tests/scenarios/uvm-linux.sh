# SPDX-License-Identifier: BSD-3-Clause
# A stock Debian kernel boots as a user VM: lhvctl vm load puts Debian's
# 6.12 bzImage (under a 6.1 SOS too: uos_kver) and a busybox initramfs
# into a 256 MiB VM on CPU 1 (the SOS keeps CPU 0). Its PCI scan needs the
# ioreq upcall, which a 6.1 SOS (x2APIC cluster mode) once sent to CPU 1.
# Linux 64-bit boot protocol, hardware-reduced ACPI,
# x2APIC kept through the lock the hv shows, TSC frequency on the command
# line. Its /init prints a marker, sleeps 5 s (timed from the SOS), and
# reports what the VM's CPU looks like: the lhv signature, no SVM. Also:
# an image with a bad signature is refused without --insecure.
#@ kernels: 6.12 6.1
#@ smp: 2
#@ timeout: 600

host_prepare() {
	local work=$1 kver=$2 g=$1/guest-files
	"$LHV_TOP/tests/harness/mkuos.sh" "$kver" "$g" || return 1
	# A key and a signature that do not match the kernel.
	openssl ecparam -name prime256v1 -genkey -noout -out "$work/k.pem"
	openssl ec -in "$work/k.pem" -pubout -out "$g/trusted.pem" 2>/dev/null
	echo "not the kernel" >"$work/other"
	openssl dgst -sha256 -sign "$work/k.pem" -out "$g/bzImage.sig" "$work/other"
}

# Seconds of SOS uptime at which the VM's console first shows $2.
seen_at() {
	local i
	for i in $(seq 1200); do
		if lhvctl vm console "$1" | grep -qF "$2"; then
			cut -d' ' -f1 /proc/uptime
			return 0
		fi
		sleep 0.1
	done
	return 1
}

guest_main() {
	local khz t0 t1 con
	ok "modprobe lhv" modprobe lhv
	ok "lhvctl hv enable" lhvctl hv enable
	khz=$(dmesg | sed -n 's/.*tsc: Detected \([0-9]*\)\.\([0-9]\{3\}\).* MHz.*/\1\2/p' | head -n 1)
	match "the SOS knows its TSC frequency" "$khz" "^[0-9]+$"
	ok "create uos1 on CPU 1" lhvctl vm create uos1 --cpus 1 --mem 256M
	not "a kernel with a bad signature is refused" \
		lhvctl vm load uos1 --kernel /host/bzImage \
		--trusted-key /host/trusted.pem --cmdline "console=ttyS0"
	ok "vm load the SOS's own kernel (unsigned here: --insecure)" \
		lhvctl vm load uos1 --kernel /host/bzImage --kernel-sig /dev/null \
		--initrd /host/uos-initrd.gz --tsc-khz "$khz" \
		--cmdline "console=ttyS0 loglevel=5" --insecure
	ok "vm start" lhvctl vm start uos1
	ok "the kernel boots to /init and prints the marker" \
		seen_at uos1 "lhv-uos: marker from the user VM"
	t0=$(seen_at uos1 "lhv-uos: sleeping 5 s")
	t1=$(seen_at uos1 "lhv-uos: slept")
	diag "sleep 5 in the VM: SOS uptime $t0 -> $t1"
	ok "sleep 5 takes 5 +- 0.5 s of SOS time" \
		awk -v a="$t0" -v b="$t1" 'BEGIN { d = b - a; exit !(d > 4.5 && d < 5.5) }'
	seen_at uos1 "cpuinfo flags" >/dev/null
	con=$(lhvctl vm console uos1)
	match "the VM's CPU shows the lhv signature" "$con" \
		"cpuid: cpu 0 sig lhvlhvlhvlhv"
	match "... and no SVM (CPUID)" "$con" "cpuid: cpu 0 sig .* svm 0"
	match "... nor in /proc/cpuinfo" "$con" "cpuinfo flags: no svm"
	is "the VM is running" "$(lhvctl vm show uos1 | sed -n 's/^state: *//p')" running
	ok "the SOS still works (a file write and read)" \
		sh -c 'echo x >/tmp/f && [ "$(cat /tmp/f)" = x ]'
	ok "destroy the running VM" lhvctl vm destroy uos1
	is "CPU 1 is back online" "$(cat /sys/devices/system/cpu/cpu1/online)" 1
}
