# SPDX-License-Identifier: BSD-3-Clause
# Test of the harness: a kernel WARNING in the guest fails the scenario
# even when every TAP line says ok.
#@ expect: caught:kernel
#@ timeout: 120
#@ check: 6.12

guest_main() {
	plan 1
	ok "loading a module that warns succeeds" modprobe harness_fault action=warn
}
