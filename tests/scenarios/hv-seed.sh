# SPDX-License-Identifier: BSD-3-Clause
# SEED: the platform seed from the boot chain reaches the hv and nothing
# else. QEMU's loader device plays the bootloader: it puts a seed page
# (<lhv/seed.h>, a random seed made on the host) at 0x70000000, which the
# kernel command line reserves and names to lhv.ko. The service VM's vSEED
# must equal HKDF computed on the host by openssl; it must stay the same
# across disable and enable; the seed page must be zero afterwards and no
# System RAM page may hold the seed. Then the development file
# lhv/seed.bin (another, fixed seed) with both profiles, two UUIDs and a
# module reload, and the hypercall's errors.
#@ kernels: 6.12 6.1
#@ timeout: 900
#@ cmdline: memmap=4K$0x70000000 lhv.seed_addr=0x70000000
#@ check: 6.12

SEED_PAGE=0x70000000
UUID2=0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f0

# Host side: the seed page, the development seed and the expected vSEEDs.
host_prepare() {
	local work=$1 g=$1/guest-files sid i
	mkdir -p "$g"
	le32() { printf '%08x' "$1" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/' | xxd -r -p; }
	head -c 32 /dev/urandom >"$work/seed-a.bin"
	{
		printf 'LHVSEED1'
		le32 1
		le32 32
		# gzip's trailer holds the CRC-32 (zlib's), little-endian.
		gzip -c <"$work/seed-a.bin" | tail -c 8 | head -c 4
		le32 0
		cat "$work/seed-a.bin"
	} >"$work/seed-page.bin"
	truncate -s 4096 "$work/seed-page.bin"
	echo "-device loader,file=$work/seed-page.bin,addr=$SEED_PAGE,force-raw=on" \
		>"$work/qemu-args"
	# The test module gets the seed's bytes inverted: no copy in the guest.
	od -An -v -tu1 "$work/seed-a.bin" |
		awk '{ for (i = 1; i <= NF; i++) printf "%02x", 255 - $i } END { print "" }' \
			>"$g/seed-a-inv.hex"
	for i in $(seq 160 191); do printf "\\$(printf '%03o' "$i")"; done >"$g/seed-b.bin"
	od -An -v -tu1 "$g/seed-b.bin" |
		awk '{ for (i = 1; i <= NF; i++) printf "%02x", 255 - $i } END { print "" }' \
			>"$g/seed-b-inv.hex"

	# salt "lhv-vseed-v1", info "lhv-vseed" || UUID (docs/hv.md)
	vseed() { # seed-file uuid digest bytes
		openssl kdf -keylen "$4" -kdfopt digest:"$3" \
			-kdfopt hexkey:"$(xxd -p -c 256 "$1")" \
			-kdfopt hexsalt:"$(printf lhv-vseed-v1 | xxd -p)" \
			-kdfopt hexinfo:"$(printf lhv-vseed | xxd -p)$(echo "$2" | tr -d -)" \
			HKDF | tr -d ': ' | tr 'A-F' 'a-f'
	}
	sid=6c687673-6f73-4000-8000-000000000000
	vseed "$work/seed-a.bin" $sid SHA512 64 >"$g/a-linux.hex"
	vseed "$g/seed-b.bin" $sid SHA256 32 >"$g/b-android.hex"
	vseed "$g/seed-b.bin" $UUID2 SHA256 32 >"$g/b-android-uuid2.hex"
	vseed "$g/seed-b.bin" $UUID2 SHA512 64 >"$g/b-linux-uuid2.hex"
}

D=/sys/kernel/debug/lhv_test_seed

call() { # gpa size (hex): "<ret> <vSEED hex>"
	echo "$1 $2" >$D/call && cat $D/call
}

load_test_module() { # [file with the inverted seed to scan for]
	local line inv=${1:-/host/seed-a-inv.hex}
	line=$(dmesg | sed -n 's/.*memory \([0-9]*\) bytes at \(0x[0-9a-f]*\).*/\1 \2/p' | tail -n 1)
	HV_SIZE=${line% *}
	HV_PHYS=${line#* }
	diag "hv memory: $HV_SIZE bytes at $HV_PHYS"
	modprobe lhv_test_seed seed_inv="$(cat "$inv")" \
		hv_phys="$HV_PHYS" hv_size="$HV_SIZE" seed_page=$SEED_PAGE
}

guest_main() {
	local v last
	mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

	# The boot chain's seed page.
	ok "modprobe lhv" modprobe lhv
	is "seed_addr comes from the kernel command line" \
		"$(cat /sys/module/lhv/parameters/seed_addr)" $((SEED_PAGE))
	is "sos_profile defaults to linux" "$(cat /sys/module/lhv/parameters/sos_profile)" linux
	is "no seed before the first enable" "$(cat /sys/class/lhv/hv_seed)" none
	ok "lhvctl hv enable" lhvctl hv enable
	is "the hv holds the boot chain's seed" "$(cat /sys/class/lhv/hv_seed)" boot
	match "hv status says so" "$(lhvctl hv status)" "platform seed: +boot"
	ok "load the test module" load_test_module
	v=$(call buf 40)
	is "vSEED = HKDF-SHA512(boot seed, SOS UUID), as openssl computes it" \
		"$v" "64 $(cat /host/a-linux.hex)"
	is "from ring 3: -EPERM" "$(lhv-hc 6 buf 64)" -1
	is "the seed page is zero after the handover" "$(cat $D/page)" zero
	last=$(cat $D/scan)
	diag "scan: $last"
	match "no System RAM page holds the platform seed" "$last" "pages [1-9][0-9]+ .* hits 0$"

	# Errors: the buffer is checked, exactly 64 bytes are written.
	is "size 63: -EINVAL" "$(call buf 3f)" "-22 "
	is "size 0: -EINVAL" "$(call buf 0)" "-22 "
	is "size above LHV_HC_MAX_COPY: -E2BIG" "$(call buf 10001)" "-7 "
	is "size 2^63: -E2BIG" "$(call buf 8000000000000000)" "-7 "
	is "a larger size writes 64 bytes" "$(call buf 1000)" "$v"
	is "buffer in hv memory: -EFAULT" "$(call "${HV_PHYS#0x}" 40)" "-14 "
	is "buffer ending in hv memory: -EFAULT" \
		"$(call "$(printf %x $((HV_PHYS - 32)))" 40)" "-14 "
	is "buffer at the last hv page: -EFAULT" \
		"$(call "$(printf %x $((HV_PHYS + HV_SIZE - 4096)))" 40)" "-14 "
	is "buffer outside RAM (local APIC): -EFAULT" "$(call fee00000 40)" "-14 "
	is "buffer in the reserved seed page: -EFAULT" "$(call 70000000 40)" "-14 "
	is "buffer wrapping around: -EFAULT" "$(call ffffffffffffffe0 40)" "-14 "
	is "buffer beyond all RAM: -EFAULT" "$(call 100000000000 40)" "-14 "

	ok "lhvctl hv disable" lhvctl hv disable
	is "the page is still zero after disable" "$(cat $D/page)" zero
	ok "lhvctl hv enable again" lhvctl hv enable
	is "vSEED stable across disable and enable" "$(call buf 40)" "$v"
	is "the hv still holds the seed" "$(cat /sys/class/lhv/hv_seed)" boot
	match "still no copy in System RAM" "$(cat $D/scan)" "hits 0$"
	ok "rmmod lhv_test_seed" rmmod lhv_test_seed

	# After a reload the page is spent: no seed, -ENODATA.
	ok "rmmod lhv" rmmod lhv
	ok "modprobe lhv again" modprobe lhv
	ok "enable without a seed" lhvctl hv enable
	is "no seed: status says so" "$(cat /sys/class/lhv/hv_seed)" none
	match "so does lhvctl hv status" "$(lhvctl --json hv status)" '"seed":"none"'
	match "lhv.ko says the page held no seed" "$(dmesg | tail -n 30)" "seed page 0x70000000 holds no seed"
	ok "load the test module" load_test_module
	is "no seed: -ENODATA" "$(call buf 40)" "-61 "

	# Broken pages are refused, and wiped all the same.
	for bad in bad-crc:"CRC mismatch" bad-version:"unknown version or bad length"; do
		echo "${bad%%:*}" >$D/page
		is "${bad%%:*}: a page is in place" "$(cat $D/page)" nonzero
		rmmod lhv
		modprobe lhv
		lhvctl hv enable
		match "${bad%%:*}: lhv.ko refuses it" "$(dmesg | tail -n 20)" "${bad#*:}"
		is "${bad%%:*}: no seed" "$(cat /sys/class/lhv/hv_seed)" none
		is "${bad%%:*}: the page is zeroed anyway" "$(cat $D/page)" zero
	done
	# A seed_addr in System RAM is refused before it is touched.
	rmmod lhv
	ok "modprobe lhv seed_addr=<a System RAM page>" \
		modprobe lhv seed_addr="$(cat $D/buf_phys)"
	ok "enable" lhvctl hv enable
	match "lhv.ko refuses System RAM as the seed page" \
		"$(dmesg | tail -n 20)" "is System RAM the kernel owns"
	is "System RAM page: no seed" "$(cat /sys/class/lhv/hv_seed)" none
	# Nor may it point into hv memory (reserved too, but the hv's).
	rmmod lhv
	hvaddr=$(sed -n 's/.*lhvtest\.hvmem=[^@]*@\([^ ]*\).*/\1/p' /proc/cmdline)
	ok "modprobe lhv seed_addr=<hv memory, $hvaddr>" modprobe lhv seed_addr="$hvaddr"
	ok "enable (the hv intact)" lhvctl hv enable
	match "lhv.ko refuses a seed page in hv memory" \
		"$(dmesg | tail -n 20)" "lies in hv memory"
	is "hv memory page: no seed" "$(cat /sys/class/lhv/hv_seed)" none
	is "every CPU runs the hv" "$(lhv-cpuid | grep -c 'sig lhvlhvlhvlhv')" \
		"$(grep -c ^processor /proc/cpuinfo)"
	ok "rmmod lhv_test_seed" rmmod lhv_test_seed
	ok "rmmod lhv" rmmod lhv

	# The development file (seed_addr=0 overrides the command line).
	mkdir -p /lib/firmware/lhv
	cp /host/seed-b.bin /lib/firmware/lhv/seed.bin
	ok "modprobe lhv seed_addr=0 sos_profile=android" \
		modprobe lhv seed_addr=0 sos_profile=android
	ok "enable" lhvctl hv enable
	is "seed from the file" "$(cat /sys/class/lhv/hv_seed)" firmware
	match "hv status: firmware" "$(lhvctl hv status)" "platform seed: +firmware"
	match "lhv.ko warns it is for development" "$(dmesg | tail -n 30)" "for development only"
	ok "load the test module" load_test_module
	v=$(call buf 20)
	is "android vSEED = HKDF-SHA256, 32 bytes, as openssl computes it" \
		"$v" "32 $(cat /host/b-android.hex)"
	is "android: size 31 is -EINVAL" "$(call buf 1f)" "-22 "
	is "ring 3 gets -EPERM" "$(lhv-hc 6 buf 64)" -1
	ok "rmmod lhv_test_seed" rmmod lhv_test_seed
	# The scan finds a copy where there is one: seed.bin is in RAM (initramfs).
	ok "load the test module, looking for the file's seed" \
		load_test_module /host/seed-b-inv.hex
	match "the scan finds the development seed's file in RAM" \
		"$(cat $D/scan)" "hits [1-9][0-9]*$"
	ok "rmmod lhv_test_seed" rmmod lhv_test_seed
	ok "rmmod lhv" rmmod lhv
	ok "modprobe lhv again (same file, same profile)" \
		modprobe lhv seed_addr=0 sos_profile=android
	ok "enable" lhvctl hv enable
	ok "load the test module" load_test_module
	is "vSEED stable across a module reload" "$(call buf 20)" "$v"
	ok "rmmod lhv_test_seed" rmmod lhv_test_seed
	ok "rmmod lhv" rmmod lhv

	ok "modprobe lhv with another UUID" \
		modprobe lhv seed_addr=0 sos_profile=android sos_uuid=$UUID2
	is "sos_uuid reads back" "$(cat /sys/module/lhv/parameters/sos_uuid)" $UUID2
	ok "enable" lhvctl hv enable
	ok "load the test module" load_test_module
	is "another UUID, another vSEED (openssl)" "$(call buf 20)" \
		"32 $(cat /host/b-android-uuid2.hex)"
	ok "rmmod lhv_test_seed" rmmod lhv_test_seed
	ok "rmmod lhv" rmmod lhv
	ok "modprobe lhv, linux profile, that UUID" \
		modprobe lhv seed_addr=0 sos_profile=linux sos_uuid=$UUID2
	ok "enable" lhvctl hv enable
	ok "load the test module" load_test_module
	is "linux profile: HKDF-SHA512 (openssl)" "$(call buf 40)" \
		"64 $(cat /host/b-linux-uuid2.hex)"
	ok "rmmod lhv_test_seed" rmmod lhv_test_seed
	ok "rmmod lhv" rmmod lhv

	not "sos_profile=windows is refused" modprobe lhv sos_profile=windows
	not "a malformed sos_uuid is refused" modprobe lhv sos_uuid=not-a-uuid
	dmesg | grep -E 'lhv' | tail -n 25 | while read -r l; do diag "$l"; done
}
