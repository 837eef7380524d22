# SPDX-License-Identifier: BSD-3-Clause
# Test of the harness: a scenario that never ends must be stopped at its
# timeout and fail.
#@ expect: caught:timeout
#@ timeout: 12
#@ check: 6.12

guest_main() {
	plan 1
	while :; do sleep 1; done
}
