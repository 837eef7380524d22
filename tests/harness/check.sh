#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# check.sh: the default test run (`make check`): host checks, unit
# tests (cmocka), fuzz smoke, the box, then the QEMU scenarios, the ones
# whose "#@ check:" field leaves them out of the default run only with
# LHV_FULL=1 (`make check-full`). Ends with one line "N passed, M failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

passed=0 failed=0
log=$LHV_OUT/check
mkdir -p "$log"

result() { # status name [detail]
	if [ "$1" = 0 ]; then
		passed=$((passed + 1))
		echo "PASS $2"
	else
		failed=$((failed + 1))
		echo "FAIL $2${3:+: $3}"
	fi
}

# Host checks.
pkg_version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$LHV_TOP/dkms.conf")
src_version=$(sed -n 's/^#define LHV_VERSION_STRING "\(.*\)"/\1/p' \
	"$LHV_TOP/uapi/lhv/version.h")
[ -n "$pkg_version" ] && [ "$pkg_version" = "$src_version" ]
result $? "dkms.conf version matches uapi/lhv/version.h" \
	"'$pkg_version' vs '$src_version'"

# Kernel code: warning-free with W=1 (-Werror) and sparse-clean, per kernel.
for series in $LHV_KERNELS; do
	kver=$(kver_for_series "$series")
	make -s -C "$LHV_TOP" sparse KVER="$kver" >"$log/sparse-$series.log" 2>&1
	result $? "modules build with W=1 and pass sparse on ${kver:-$series}" \
		"$(grep -E 'warning:|error:' "$log/sparse-$series.log" | head -n 3)"
done

# Unit tests: each cmocka group reports its own counts.
for part in hv userspace kmod/lib; do
	start=$(date +%s)
	plog=$log/unit-${part//\//-}.log
	make -s -C "$LHV_TOP/$part" check >"$plog" 2>&1
	rc=$?
	p=$(grep -aoE '^\[  PASSED  \] [0-9]+' "$plog" |
		awk '{ s += $4 } END { print s + 0 }')
	f=$(grep -aoE '^\[  FAILED  \] [0-9]+' "$plog" |
		awk '{ s += $4 } END { print s + 0 }')
	passed=$((passed + p))
	failed=$((failed + f))
	echo "unit $part: $p passed, $f failed ($(($(date +%s) - start))s)"
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		result 1 "unit $part" "make check exited $rc"
		tail -n 30 "$plog" | sed 's/^/  | /'
	elif [ "$f" != 0 ]; then
		grep -a -B2 -A2 'FAILED\|Failure\|error' "$plog" | head -n 40 | sed 's/^/  | /'
	fi
done

# Fuzz smoke: every libFuzzer harness for 10 s; any crash fails it.
start=$(date +%s)
make -s -C "$LHV_TOP" fuzz-smoke >"$log/fuzz-smoke.log" 2>&1
rc=$?
# One counted result per harness: it ran and did not fail (the run stops at
# the first failure, so later harnesses count as failed too).
for f in "$LHV_TOP"/tests/fuzz/fuzz_*.c; do
	n=${f##*/fuzz_}
	n=${n%.c}
	r=1
	if grep -q "^== fuzz_$n " "$log/fuzz-smoke.log" &&
		! grep -q "^fuzz_$n FAILED" "$log/fuzz-smoke.log"; then
		r=0
	fi
	result $r "fuzz smoke: $n (10 s)" "see $log/fuzz-smoke.log"
done
echo "fuzz smoke: $(($(date +%s) - start))s"
[ "$rc" = 0 ] || tail -n 30 "$log/fuzz-smoke.log" | sed 's/^/  | /'

# The README's first command, `make run`, in batch mode: the box boots,
# enables the hypervisor and serves a disk (scripts/box-guest.sh).
start=$(date +%s)
"$LHV_TOP/scripts/run-box.sh" --batch >"$log/run-box.log" 2>&1
rc=$?
result $rc "make run box demo ($(($(date +%s) - start))s)" "see $log/run-box.log"
[ "$rc" = 0 ] || tail -n 30 "$log/run-box.log" | sed 's/^/  | /'

# QEMU scenarios.
if [ "${LHV_FULL:-0}" = 1 ]; then
	export LHV_QUICK=0
	hv_blk='blk-*'
else
	export LHV_QUICK=1
	hv_blk='blk-hostile-driver blk-remove blk-window'
fi
"$LHV_TOP/tests/harness/run-scenarios.sh"
read -r sp sf <"$LHV_OUT/scenarios/summary" || { sp=0 sf=1; }
passed=$((passed + sp))
failed=$((failed + sf))

# The lhv_blk suite again with the Service OS under the hypervisor, on
# four CPUs: the SOS must be as stable as a guest as on bare metal (the
# fio matrix only in the full run).
LHV_HV=1 LHV_SMP=4 ONLY=$hv_blk KERNELS=6.12 \
	"$LHV_TOP/tests/harness/run-scenarios.sh"
read -r sp sf <"$LHV_OUT/scenarios/summary" || { sp=0 sf=1; }
passed=$((passed + sp))
failed=$((failed + sf))

# The hypervisor's own scenarios again on four CPUs (they run on two above).
LHV_SMP=4 ONLY='hv-enable-disable hv-hypercalls' KERNELS=6.12 \
	"$LHV_TOP/tests/harness/run-scenarios.sh"
read -r sp sf <"$LHV_OUT/scenarios/summary" || { sp=0 sf=1; }
passed=$((passed + sp))
failed=$((failed + sf))

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
