// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * harness_fault.ko: a test-only module that misbehaves on purpose, so the
 * harness's own tests can show that a kernel WARNING or Oops in the guest
 * fails a scenario. Never shipped in the DKMS package.
 */
#include <linux/bug.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

static char *action = "none";
module_param(action, charp, 0444);
MODULE_PARM_DESC(action, "What to do at load: none, warn or oops");

static int __init harness_fault_init(void)
{
	if (!strcmp(action, "warn")) {
		WARN(1, "harness_fault: deliberate warning\n");
	} else if (!strcmp(action, "oops")) {
		/* A read through a pointer the compiler cannot prove NULL. */
		int *volatile p = NULL;

		pr_info("harness_fault: deliberate oops: %d\n", *p);
	}
	return 0;
}

static void __exit harness_fault_exit(void)
{
}

module_init(harness_fault_init);
module_exit(harness_fault_exit);
MODULE_DESCRIPTION("lhv test harness: deliberate kernel faults");
MODULE_LICENSE("Dual BSD/GPL");
