# SPDX-License-Identifier: BSD-3-Clause
# Test of the harness: a kernel Oops in the guest fails the scenario even
# when every TAP line says ok.
#@ expect: caught:kernel
#@ timeout: 120
#@ check: 6.12

guest_main() {
	plan 1
	modprobe harness_fault action=oops
	ok "the scenario itself reports success" true
}
