// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The VM table: a fixed array of max_vms slots. Slot 0 is the service VM
 * (this Linux), which exists for as long as the module is loaded.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "lhv.h"
#include "lhv_vdev.h"
#include "uvm.h"

DEFINE_MUTEX(lhv_vm_lock);
static struct lhv_vm *lhv_vms; /* lhv_max_vms entries, NULL name = free */

static const char *const vm_state_names[] = {
	[LHV_VM_CREATED] = "created", [LHV_VM_LOADED] = "loaded",
	[LHV_VM_RUNNING] = "running", [LHV_VM_STOPPED] = "stopped",
	[LHV_VM_CRASHED] = "crashed",
};

const char *lhv_vm_state_name(enum lhv_vm_state state)
{
	if ((unsigned int)state >= ARRAY_SIZE(vm_state_names))
		return "unknown";
	return vm_state_names[state];
}

struct lhv_vm *lhv_vm_find_by_name(const char *name)
{
	unsigned int i;

	lockdep_assert_held(&lhv_vm_lock);
	for (i = 0; i < lhv_max_vms; i++)
		if (lhv_vms[i].name[0] && !strcmp(lhv_vms[i].name, name))
			return &lhv_vms[i];
	return NULL;
}

struct lhv_vm *lhv_vm_at(unsigned int i)
{
	lockdep_assert_held(&lhv_vm_lock);
	if (i >= lhv_max_vms || !lhv_vms[i].name[0])
		return NULL;
	return &lhv_vms[i];
}

struct lhv_vm *lhv_vm_free_slot(u32 max_id)
{
	unsigned int i;

	lockdep_assert_held(&lhv_vm_lock);
	for (i = 1; i < lhv_max_vms && i <= max_id; i++) {
		if (!lhv_vms[i].name[0]) {
			memset(&lhv_vms[i], 0, sizeof(lhv_vms[i]));
			lhv_vms[i].id = i;
			return &lhv_vms[i];
		}
	}
	return NULL;
}

unsigned int lhv_vm_count_user(void)
{
	unsigned int i, n = 0;

	for (i = 1; i < lhv_max_vms; i++)
		if (READ_ONCE(lhv_vms[i].uvm))
			n++;
	return n;
}

/* Module unload: every user VM goes, while the hv still runs. */
void lhv_vm_destroy_user(void)
{
	unsigned int i;

	mutex_lock(&lhv_vm_lock);
	for (i = 1; i < lhv_max_vms; i++)
		if (lhv_vms[i].uvm)
			lhv_uvm_destroy(&lhv_vms[i], NULL);
	mutex_unlock(&lhv_vm_lock);
}

struct lhv_vm *lhv_service_vm(void)
{
	return &lhv_vms[0];
}
EXPORT_SYMBOL_GPL(lhv_service_vm);

int lhv_vm_table_init(void)
{
	struct lhv_vm *service;
	int err;

	lhv_vms = kcalloc(lhv_max_vms, sizeof(*lhv_vms), GFP_KERNEL);
	if (!lhv_vms)
		return -ENOMEM;

	service = &lhv_vms[0];
	service->id = 0;
	strscpy(service->name, LHV_SERVICE_VM_NAME, sizeof(service->name));
	service->state = LHV_VM_RUNNING;
	service->mem_ops = &lhv_service_mem_ops;
	service->mem_ctx = lhv_service_mem_ctx();
	service->transport = &lhv_loopback_transport;
	mutex_init(&service->dev_lock);
	INIT_LIST_HEAD(&service->devs);
	err = lhv_sysfs_add_vm(service);
	if (err) {
		kfree(lhv_vms);
		lhv_vms = NULL;
	}
	return err;
}

void lhv_vm_table_exit(void)
{
	unsigned int i;

	mutex_lock(&lhv_vm_lock);
	for (i = 0; i < lhv_max_vms; i++) {
		if (!lhv_vms[i].name[0])
			continue;
		lhv_vm_destroy_devices(&lhv_vms[i]);
		lhv_sysfs_del_vm(&lhv_vms[i]);
	}
	kfree(lhv_vms);
	lhv_vms = NULL;
	mutex_unlock(&lhv_vm_lock);
}
