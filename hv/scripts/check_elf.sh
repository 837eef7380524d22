#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Checks a freshly linked lhv.elf before it becomes the image: the loader
# copies it and jumps in, with no dynamic linker and nothing to patch.
# Usage: check_elf.sh ELF   (READELF and NM may name the tools)
set -eu

elf=$1
readelf=${READELF:-readelf}
nm=${NM:-nm}
fail=0

err() {
	echo "check_elf: $elf: $*" >&2
	fail=1
}

# Position independence: ld turns every absolute address it cannot resolve
# at link time into a run-time relocation. Resolved slots (NONE) pass, and
# R_X86_64_RELATIVE (a pointer in data to the image itself), which the hv
# applies on entry (core/reloc.c); anything else would need a symbol
# lookup or a patch in the text, which nothing does.
relocs=$("$readelf" -rW "$elf" |
	awk '/^[0-9a-f]+ +[0-9a-f]+ +R_X86_64_/ &&
		$3 != "R_X86_64_NONE" && $3 != "R_X86_64_RELATIVE"')
[ -z "$relocs" ] ||
	err "needs run-time relocations other than RELATIVE:
$relocs"

# The RELATIVE ones must patch writable data of the file: the hv writes
# them before it runs on its own page table, and the loader re-copies
# only image_size bytes at each enable.
set -- $("$readelf" -SW "$elf" | awk '{ sub(/^ *\[ *[0-9]+\] */, "") }
	$1 == ".data" { print $3, $5 }')
lo=$((0x${1:-0}))
hi=$((lo + 0x${2:-0}))
bad=$("$readelf" -rW "$elf" | awk '$3 == "R_X86_64_RELATIVE" { print $1 }' |
	while read -r off; do
		[ $((0x$off)) -ge "$lo" ] && [ $((0x$off + 8)) -le "$hi" ] ||
			echo "$off"
	done)
[ -z "$bad" ] || err "RELATIVE relocations outside .data:
$bad"

undef=$("$nm" -u "$elf")
[ -z "$undef" ] || err "undefined symbols:
$undef"

for sec in .interp .dynamic .dynsym .got .got.plt .plt .eh_frame; do
	if "$readelf" -SW "$elf" | awk -v s="$sec" \
		'{ sub(/^ *\[ *[0-9]+\] */, "") } $1 == s { f = 1 } END { exit !f }'; then
		err "unexpected section $sec"
	fi
done

"$readelf" -hW "$elf" | grep -q 'Type: *DYN' ||
	err "not a position-independent executable"

exit $fail
