// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lhv.ko: the lhv service module. Brings up the pieces in dependency
 * order (sysfs class, VM table, netlink family last so user space never
 * sees a half-initialised module) and tears them down in reverse. The
 * service VM's memory map comes first: the service VM's devices use it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <lhv/version.h>

#include "lhv.h"

unsigned int lhv_max_vms = 8;

static int max_vms_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, LHV_MAX_VMS_LIMIT);
}

static const struct kernel_param_ops max_vms_ops = {
	.set = max_vms_set,
	.get = param_get_uint,
};

/* Read-only after load: the VM table is sized from it. */
module_param_cb(max_vms, &max_vms_ops, &lhv_max_vms, 0444);
MODULE_PARM_DESC(max_vms, "Most VMs this module manages, the service VM "
			  "included (1-64, default 8)");

static int __init lhv_init(void)
{
	int err;

	err = lhv_seed_init();
	if (err)
		return err;
	err = lhv_vm_mem_init();
	if (err)
		return err;
	err = lhv_sysfs_init();
	if (err)
		goto err_mem;
	err = lhv_vm_table_init();
	if (err)
		goto err_sysfs;
	err = lhv_netlink_init();
	if (err)
		goto err_vm;
	err = lhv_hv_init();
	if (err)
		goto err_netlink;

	pr_info("version %s (ABI %u) loaded, max_vms=%u\n", LHV_VERSION_STRING,
		LHV_ABI_VERSION, lhv_max_vms);
	return 0;

err_netlink:
	lhv_netlink_exit();
	lhv_hv_exit();
err_vm:
	lhv_vm_table_exit();
err_sysfs:
	lhv_sysfs_exit();
err_mem:
	lhv_vm_mem_exit();
	return err;
}

static void __exit lhv_exit(void)
{
	lhv_netlink_exit();
	lhv_vm_destroy_user();
	lhv_hv_exit();
	lhv_vm_table_exit();
	lhv_sysfs_exit();
	lhv_vm_mem_exit();
	pr_info("unloaded\n");
}

module_init(lhv_init);
module_exit(lhv_exit);

MODULE_DESCRIPTION("lhv device hypervisor: service module");
MODULE_AUTHOR("The lhv authors");
MODULE_LICENSE("Dual BSD/GPL");
MODULE_VERSION(LHV_VERSION_STRING);
