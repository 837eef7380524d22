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
# at link time into a run-time relocation. Only resolved slots (NONE) pass.
relocs=$("$readelf" -rW "$elf" |
	awk '/^[0-9a-f]+ +[0-9a-f]+ +R_X86_64_/ && $3 != "R_X86_64_NONE"')
[ -z "$relocs" ] ||
	err "needs run-time relocations (absolute addresses in data?):
$relocs"

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
