#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# run-scenarios.sh: every scenario in tests/scenarios on every kernel series
# it supports (KERNELS="6.12 6.1" by default; ONLY="<glob> ..." picks scenarios).
# With LHV_QUICK=1 (`make check`) a scenario runs only on the series its
# "#@ check:" field names ("none": only in `make check-full`), so the
# default run stays short; without the field, on all of them.
# Builds the modules for each kernel first. Prints a line per run with its
# wall time and writes "passed failed" to $LHV_OUT/scenarios/summary.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# The patterns split on spaces but are not expanded here (a bare * would
# match the files of the current directory): below, against the scenarios.
set -f
read -r -a only <<<"${ONLY:-*}"
set +f
passed=0 failed=0 skipped=0
mkdir -p "$LHV_OUT/scenarios"

for series in $LHV_KERNELS; do
	kver=$(kver_for_series "$series")
	if [ -z "$kver" ]; then
		echo "FAIL kernel $series: no linux-headers-$series.*-amd64 installed (scripts/setup.sh)"
		failed=$((failed + 1))
		continue
	fi
	if ! make -s -C "$LHV_TOP" test-modules KVER="$kver" \
		>"$LHV_OUT/scenarios/build-$series.log" 2>&1; then
		echo "FAIL modules for $kver do not build warning-free:"
		tail -n 30 "$LHV_OUT/scenarios/build-$series.log" | sed 's/^/  | /'
		failed=$((failed + 1))
		continue
	fi
	for scenario in $(for pat in "${only[@]}"; do
		printf '%s\n' "$LHV_TOP"/tests/scenarios/$pat.sh
	done | sort -u); do
		[ -f "$scenario" ] || continue
		kernels=$(scenario_field "$scenario" kernels)
		case " ${kernels:-6.12 6.1} " in
		*" $series "*) ;;
		*) continue ;;
		esac
		quick=$(scenario_field "$scenario" check)
		if [ "${LHV_QUICK:-0}" = 1 ] && [ -n "$quick" ]; then
			case " $quick " in
			*" $series "*) ;;
			*)
				echo "skip $(basename "$scenario" .sh) on $series: make check-full runs it"
				skipped=$((skipped + 1))
				continue
				;;
			esac
		fi
		if "$LHV_TOP/tests/harness/run-scenario.sh" "$scenario" "$series"; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
	done
done

echo "$passed $failed" >"$LHV_OUT/scenarios/summary"
left=
[ "$skipped" = 0 ] || left=", $skipped runs left to make check-full"
echo "scenarios: $passed passed, $failed failed$left"
[ "$failed" = 0 ]
