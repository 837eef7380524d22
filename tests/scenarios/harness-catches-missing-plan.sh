# SPDX-License-Identifier: BSD-3-Clause
# Test of the harness: a scenario that announces 3 tests and runs 1 (it
# died half-way) must fail.
#@ expect: caught:plan
#@ timeout: 120
#@ check: 6.12

guest_main() {
	plan 3
	ok "the only test that ran" true
}
