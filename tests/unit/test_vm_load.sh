#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# lhvctl vm load --dry-run end to end: keys and detached signatures made
# with stock openssl (ECDSA P-256 and RSA-3072 PSS, as docs/uos-boot.md
# tells users to), good ones accepted, every kind of bad one refused, the
# measurements checked with sha256sum, and the ACPI tables disassembled
# with iasl when it is installed.
# Usage: test_vm_load.sh <lhvctl> <mk_bzimage> <workdir>
# Prints "ok"/"not ok" lines and cmocka's summary lines (make check and
# tests/harness/check.sh count those); exits non-zero on any failure.
set -uo pipefail

lhvctl=$(realpath "$1")
mk_bzimage=$(realpath "$2")
w=$(realpath -m "$3")
pass=0 fail=0 n=0

ok() { n=$((n + 1)) pass=$((pass + 1)); echo "ok $n - $1"; }
notok() {
	n=$((n + 1)) fail=$((fail + 1))
	echo "not ok $n - $1"
	[ -s "$w/err" ] && sed 's/^/#   /' "$w/err"
}
# expect <desc> <exit code> <regex the output must match, or ''> -- cmd...
expect() {
	local desc=$1 code=$2 re=$3 rc
	shift 4
	"$@" >"$w/out" 2>"$w/err"
	rc=$?
	if [ "$rc" != "$code" ]; then
		notok "$desc (exit $rc, wanted $code)"
	elif [ -n "$re" ] && ! grep -Eq -- "$re" "$w/out" "$w/err"; then
		notok "$desc (no /$re/ in the output)"
	else
		ok "$desc"
	fi
}

finish() {
	echo "[  PASSED  ] $pass test(s)."
	[ "$fail" = 0 ] || echo "[  FAILED  ] $fail test(s)."
	[ "$fail" = 0 ]
	exit
}

if ! command -v openssl >/dev/null; then
	echo "# SKIP: openssl is not installed"
	finish
fi

rm -rf "$w"
mkdir -p "$w"
cd "$w" || exit 1
"$mk_bzimage" bzImage || exit 1
head -c 300000 /dev/urandom >initrd
cmdline='console=ttyS0 root=/dev/vda ro'
printf '%s' "$cmdline" >cmdline

key() { # name genpkey-options...
	local name=$1
	shift
	openssl genpkey -quiet "$@" -out "$name.key" 2>/dev/null ||
		openssl genpkey "$@" -out "$name.key" 2>/dev/null
	openssl pkey -in "$name.key" -pubout -out "$name.pub"
}
key ec -algorithm EC -pkeyopt ec_paramgen_curve:P-256
key ec2 -algorithm EC -pkeyopt ec_paramgen_curve:P-256
key p384 -algorithm EC -pkeyopt ec_paramgen_curve:P-384
key rsa -algorithm RSA -pkeyopt rsa_keygen_bits:3072
key rsa2048 -algorithm RSA -pkeyopt rsa_keygen_bits:2048

# sign <dir> <key> [sigopts...]: the three objects, signed as the docs say.
sign() {
	local d=$1 k=$2 f
	shift 2
	mkdir -p "$d"
	cp bzImage initrd "$d/"
	for f in bzImage initrd; do
		openssl dgst -sha256 -sign "$k.key" "$@" -out "$d/$f.sig" "$d/$f"
	done
	openssl dgst -sha256 -sign "$k.key" "$@" -out "$d/bzImage.cmdline.sig" cmdline
}
pss=(-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32)
sign ec ec
sign rsa rsa "${pss[@]}"
sign rsa-saltmax rsa -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:max
sign rsa-pkcs1 rsa

load() { # dir key [options...]
	local d=$1 k=$2
	shift 2
	"$lhvctl" --json vm load uos --kernel "$d/bzImage" --initrd "$d/initrd" \
		--cmdline "$cmdline" --trusted-key "$k.pub" --tsc-khz 2000000 \
		--mem 64 --cpus 2 --dry-run --out "$w/img-$d" "$@"
}
all_verified='"kernel_signature":"verified".*"initrd_signature":"verified".*"cmdline_signature":"verified"'

expect "ECDSA P-256: good signatures load" 0 "$all_verified" -- load ec ec
expect "RSA-3072 PSS: good signatures load" 0 "$all_verified" -- load rsa rsa

sha() { sha256sum "$1" | cut -d' ' -f1; }
expect "kernel measurement is its SHA-256" 0 "\"kernel_sha256\":\"$(sha bzImage)\"" -- load ec ec
expect "initrd measurement is its SHA-256" 0 "\"initrd_sha256\":\"$(sha initrd)\"" -- load ec ec
expect "command line measurement is the SHA-256 of its bytes" 0 \
	"\"cmdline_sha256\":\"$(sha cmdline)\"" -- load ec ec
expect "the appended platform part is reported apart" 0 \
	'"cmdline_extra":" tsc_early_khz=2000000 tsc=reliable reboot=acpi"' -- load ec ec
loaded=$(printf '%s tsc_early_khz=2000000 tsc=reliable reboot=acpi' "$cmdline" | sha256sum | cut -d' ' -f1)
expect "the loaded command line is measured too" 0 \
	"\"cmdline_loaded_sha256\":\"$loaded\"" -- load ec ec
# What the hv is told to measure: the objects as placed in guest memory.
pm_sha=$(tail -c 65536 bzImage | sha256sum | cut -d' ' -f1)
expect "the placed kernel (protected-mode part) is measured" 0 \
	"\{\"measure\":\"kernel\",\"gpa\":16777216,\"len\":65536,\"sha256\":\"$pm_sha\"\}" -- load ec ec
expect "the placed initrd is measured" 0 \
	"\{\"measure\":\"initrd\",\"gpa\":[0-9]+,\"len\":300000,\"sha256\":\"$(sha initrd)\"\}" -- load ec ec
line="$cmdline tsc_early_khz=2000000 tsc=reliable reboot=acpi"
nul_sha=$( (printf '%s' "$line"; printf '\0') | sha256sum | cut -d' ' -f1)
expect "the placed command line, NUL included, is measured" 0 \
	"\{\"measure\":\"cmdline\",\"gpa\":16384,\"len\":$((${#line} + 1)),\"sha256\":\"$nul_sha\"\}" -- load ec ec
expect "people get one measure line per region" 0 \
	"^measure kernel gpa=0x1000000 len=65536 sha256=$pm_sha\$" -- \
	"$lhvctl" vm load uos --kernel ec/bzImage --initrd ec/initrd \
	--cmdline "$cmdline" --trusted-key ec.pub --mem 64 --dry-run --out "$w/img"
expect "no initrd: no initrd measure line" 1 '' -- bash -c \
	"'$lhvctl' vm load uos --kernel ec/bzImage --insecure --mem 64 --dry-run \
	--out '$w/img' 2>/dev/null | grep -q '^measure initrd'"

for s in ec rsa; do
	cp -r "$s" "$s-flip"
	printf '\x55' | dd of="$s-flip/bzImage" bs=1 seek=2000 conv=notrunc status=none
	expect "$s: a flipped byte in the kernel is refused" 1 'kernel .*bad signature' -- load "$s-flip" "$s"
	rm -rf "$s-flip"
	cp -r "$s" "$s-flip"
	printf '\x55' | dd of="$s-flip/initrd" bs=1 seek=100 conv=notrunc status=none
	expect "$s: a flipped byte in the initrd is refused" 1 'initrd .*bad signature' -- load "$s-flip" "$s"
	rm -rf "$s-flip"
	cp -r "$s" "$s-flip"
	sz=$(stat -c %s "$s-flip/bzImage.sig")
	b=$(od -An -tu1 -j $((sz - 5)) -N1 "$s-flip/bzImage.sig" | tr -d ' ')
	printf "\\x$(printf %02x $((b ^ 1)))" |
		dd of="$s-flip/bzImage.sig" bs=1 seek=$((sz - 5)) conv=notrunc status=none
	expect "$s: a flipped byte in the signature is refused" 1 'kernel .*bad signature' -- load "$s-flip" "$s"
	rm -rf "$s-flip"
	expect "$s: another command line is refused" 1 'cmdline .*bad signature' -- \
		"$lhvctl" vm load uos --kernel "$s/bzImage" --initrd "$s/initrd" \
		--cmdline "$cmdline init=/bin/sh" --trusted-key "$s.pub" --mem 64 \
		--dry-run --out "$w/img"
done

expect "a signature by another key is refused" 1 'bad signature' -- load ec ec2
expect "an RSA key's signature under an EC key is refused" 1 'bad signature' -- load rsa ec
expect "PSS with a salt other than 32 bytes is refused" 1 'bad signature' -- load rsa-saltmax rsa
expect "PKCS#1 v1.5 under an RSA key is refused" 1 'bad signature' -- load rsa-pkcs1 rsa
expect "an RSA-2048 trusted key is refused" 1 'RSA-2048' -- load ec rsa2048
expect "a P-384 trusted key is refused" 1 'other than P-256' -- load ec p384
cp ec.key ec.key-as.pub
expect "a private key file as trusted key is refused" 1 'not a PEM public key' -- load ec ec.key-as
expect "a missing trusted key is refused" 1 'no such file' -- load ec nokey
expect "a missing trusted key with --insecure warns" 0 'INSECURE' -- load ec nokey --insecure

cp -r ec unsigned
rm unsigned/initrd.sig
expect "an unsigned initrd is refused" 1 'initrd .* is not signed' -- load unsigned ec
expect "an unsigned initrd with --insecure loads, loudly" 0 'INSECURE: initrd' -- load unsigned ec --insecure
expect "... and is reported as unsigned" 0 '"initrd_signature":"unsigned"' -- load unsigned ec --insecure
cp -r ec bad
cp rsa/initrd.sig bad/initrd.sig
expect "a bad initrd signature with --insecure loads, loudly" 0 'INSECURE: initrd .*bad signature' -- load bad ec --insecure
expect "signatures may be named explicitly" 0 "$all_verified" -- \
	"$lhvctl" --json vm load uos --kernel bzImage --initrd initrd --cmdline "$cmdline" \
	--kernel-sig ec/bzImage.sig --initrd-sig ec/initrd.sig \
	--cmdline-sig ec/bzImage.cmdline.sig --trusted-key ec.pub --mem 64 \
	--dry-run --out "$w/img"
# Without --dry-run the image goes into a VM of the lhv module, which is
# not loaded here (the QEMU scenario uvm-linux loads for real).
expect "without --dry-run the load needs the lhv module" 1 'lhv module is not loaded' -- \
	"$lhvctl" vm load uos --kernel ec/bzImage --initrd ec/initrd \
	--cmdline "$cmdline" --trusted-key ec.pub
expect "a kernel that is no bzImage is refused" 1 'no bzImage' -- \
	"$lhvctl" vm load uos --kernel initrd --insecure --mem 64 --dry-run --out "$w/img"
expect "--mem that is not a multiple of 2 MiB is a usage error" 2 'multiple of 2' -- \
	"$lhvctl" vm load uos --kernel ec/bzImage --mem 65 --dry-run --out "$w/img"

# The dry run's files.
missing=
for f in boot-state.json layout.json kernel.bin initrd.bin zero-page.bin \
	page-tables.bin gdt.bin cmdline.bin rsdp.dat xsdt.dat facp.dat \
	dsdt.dat apic.dat mcfg.dat; do
	[ -s "img-ec/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then
	ok "dry run wrote the image, tables and boot state"
else
	notok "dry run wrote the image, tables and boot state (missing:$missing)"
fi
if command -v python3 >/dev/null; then
	if python3 -m json.tool img-ec/layout.json >/dev/null &&
		python3 -m json.tool img-ec/boot-state.json >/dev/null; then
		ok "layout.json and boot-state.json are valid JSON"
	else
		notok "layout.json and boot-state.json are valid JSON"
	fi
fi
# The e820 reserves bus 0's ECAM (1 MiB at 0xe0000000), outside RAM.
if command -v python3 >/dev/null; then
	if python3 - img-ec/layout.json <<'PY'; then
import json, sys
e820 = json.load(open(sys.argv[1]))["e820"]
ecam = [e for e in e820 if e["addr"] == 0xE0000000]
assert ecam == [{"addr": 0xE0000000, "size": 1 << 20, "type": 2}], ecam
assert sorted(e820, key=lambda e: e["addr"]) == e820
PY
		ok "e820: ECAM of bus 0 reserved"
	else
		notok "e820: ECAM of bus 0 reserved"
	fi
fi
if cmp -s <(head -c 65536 img-ec/kernel.bin) <(tail -c 65536 bzImage); then
	ok "kernel.bin holds the kernel's protected-mode code"
else
	notok "kernel.bin holds the kernel's protected-mode code"
fi

# iasl disassembles each table without complaint. (The RSDP is no table
# with a header: iasl -d refuses a lone RSDP; the unit test checks it.)
if command -v iasl >/dev/null; then
	mkdir -p iasl
	for t in xsdt facp dsdt apic mcfg; do
		cp "img-ec/$t.dat" iasl/
		if (cd iasl && iasl -d "$t.dat") >"$w/err" 2>&1 &&
			! grep -Eiq 'error|warning|invalid' "$w/err" "iasl/$t.dsl"; then
			ok "iasl -d $t.dat: no errors"
		else
			notok "iasl -d $t.dat: no errors"
		fi
	done
	if (cd iasl && iasl dsdt.dsl) >"$w/err" 2>&1; then
		ok "the disassembled DSDT compiles again"
	else
		notok "the disassembled DSDT compiles again"
	fi
	# What the UOS's Linux needs for its console, lifecycle channel,
	# pvpanic, poweroff (S5 through the sleep registers) and reboot.
	dsdt_count() {
		# $1 label, $2 fixed string, $3 how many times it must occur
		if [ "$(grep -cF -- "$2" iasl/dsdt.dsl)" = "$3" ]; then
			ok "DSDT: $1"
		else
			notok "DSDT: $1"
		fi
	}
	dsdt_has() {
		if grep -Eq -- "$2" iasl/dsdt.dsl; then ok "DSDT: $1"; else notok "DSDT: $1"; fi
	}
	dsdt_count "Device (COM1)" 'Device (COM1)' 1
	dsdt_count "Device (COM2)" 'Device (COM2)' 1
	dsdt_count "two PNP0501 UARTs" 'EisaId ("PNP0501")' 2
	dsdt_has "COM2 at 0x02F8" '0x02F8'
	dsdt_has "pvpanic QEMU0001" '_HID, "QEMU0001"'
	dsdt_has "pvpanic port 0x0505" '0x0505'
	dsdt_has "\\_S5 package" 'Name \(\\_S5, Package'
	# The PCI root bridge: bus 0 only, the MMIO32 and MMIO64 windows of
	# uapi/lhv/vm_layout.h, no I/O window; PNP0C02 reserves bus 0's ECAM.
	dsdt_count "Device (PCI0)" 'Device (PCI0)' 1
	dsdt_has "PCI0 is PNP0A08" '_HID, EisaId \("PNP0A08"\)'
	dsdt_has "PCI0 is compatible with PNP0A03" '_CID, EisaId \("PNP0A03"\)'
	# _UID Zero twice: COM1's and PCI0's.
	dsdt_count "PCI0 _SEG 0" 'Name (_SEG, Zero)' 1
	dsdt_count "PCI0 _UID 0" 'Name (_UID, Zero)' 2
	dsdt_count "PCI0 _BBN 0" 'Name (_BBN, Zero)' 1
	crs_field() {
		# $1 label, $2 descriptor heading (fixed string), $3 the value
		# and $4 the comment iasl puts after it, within 8 lines.
		if grep -F -A8 -- "$2" iasl/dsdt.dsl | grep -Eq -- "$3 +// $4\$"; then
			ok "DSDT: $1"
		else
			notok "DSDT: $1"
		fi
	}
	bus='WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode'
	crs_field "bus range starts at 0" "$bus" '0x0000,' 'Range Minimum'
	crs_field "bus range ends at 0" "$bus" '0x0000,' 'Range Maximum'
	crs_field "one bus" "$bus" '0x0001,' 'Length'
	mem32='DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite'
	crs_field "MMIO32 window from 0xC0000000" "$mem32" '0xC0000000,' 'Range Minimum'
	crs_field "MMIO32 window to 0xDFFFFFFF" "$mem32" '0xDFFFFFFF,' 'Range Maximum'
	crs_field "MMIO32 window of 512 MiB" "$mem32" '0x20000000,' 'Length'
	mem64='QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite'
	crs_field "MMIO64 window from 128 GiB" "$mem64" '0x0000002000000000,' 'Range Minimum'
	crs_field "MMIO64 window to 256 GiB - 1" "$mem64" '0x0000003FFFFFFFFF,' 'Range Maximum'
	crs_field "MMIO64 window of 128 GiB" "$mem64" '0x0000002000000000,' 'Length'
	dsdt_count "one window of each kind, no I/O window" 'Memory (ResourceProducer' 2
	if grep -Eq 'WordIO|DWordIO|QWordIO' iasl/dsdt.dsl; then
		notok "DSDT: PCI0 has no I/O window"
	else
		ok "DSDT: PCI0 has no I/O window"
	fi
	dsdt_has "ECAM reserved by PNP0C02" '_HID, EisaId \("PNP0C02"\)'
	crs_field "PNP0C02 from 0xE0000000" 'Memory32Fixed (ReadWrite' '0xE0000000,' 'Address Base'
	crs_field "PNP0C02 covers bus 0 (1 MiB)" 'Memory32Fixed (ReadWrite' '0x00100000,' 'Address Length'
	if grep -Eq 'IRQ|Interrupt' iasl/dsdt.dsl; then
		notok "DSDT: no interrupt resource"
	else
		ok "DSDT: no interrupt resource"
	fi
	facp_field() {
		# $1 label, $2 the field's heading, $3 the value line wanted
		# within the next 5 lines.
		if grep -A5 "$2" iasl/facp.dsl | grep -Eq "$3"; then
			ok "FADT: $1"
		else
			notok "FADT: $1"
		fi
	}
	facp_field "reset register I/O 0x604" 'Reset Register :' 'Address : 0+604$'
	facp_field "reset register in system I/O" 'Reset Register :' 'Space ID : 01'
	facp_field "reset value 1" 'Value to cause reset' ': 01$'
	facp_field "RESET_REG_SUP" 'Reset Register Supported' ': 1$'
	facp_field "x2APIC physical destination mode" 'Use APIC Physical Destination Mode' ': 1$'
	facp_field "sleep control register 0x600" 'Sleep Control Register :' 'Address : 0+600$'
	facp_field "sleep status register 0x601" 'Sleep Status Register :' 'Address : 0+601$'
	facp_field "hardware reduced" 'Hardware Reduced' ': 1$'
else
	echo "# SKIP: iasl not installed (Debian package acpica-tools)"
fi
finish
