# SPDX-License-Identifier: BSD-3-Clause
# Test of the harness: a scenario with a failing TAP line must fail.
#@ expect: caught:fail
#@ timeout: 120
#@ check: 6.12

guest_main() {
	plan 2
	ok "true passes" true
	ok "false fails, and the harness must notice" false
}
