/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Internal interface of the lhv service module (lhv.ko): what its files
 * share with each other. Nothing here is ABI; the ABI is in uapi/lhv/.
 */
#ifndef LHV_CORE_H
#define LHV_CORE_H

#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <lhv/netlink.h>

#define LHV_MAX_VMS_LIMIT 64

/* Module parameters (main.c). */
extern unsigned int lhv_max_vms;

/* A virtual machine as the service module sees it; id 0 is the service VM. */
struct lhv_vm {
	u32 id;
	char name[LHV_VM_NAME_MAX + 1];
	enum lhv_vm_state state;
	struct device *dev; /* /sys/class/lhv/<name> */
};

/* vm.c: the VM table. Lookups return with lhv_vm_lock held by the caller. */
extern struct mutex lhv_vm_lock;
int lhv_vm_table_init(void);
void lhv_vm_table_exit(void);
struct lhv_vm *lhv_vm_find_by_name(const char *name);
const char *lhv_vm_state_name(enum lhv_vm_state state);

/* hv state, as reported to user space; hv loading arrives with hv/. */
enum lhv_hv_state lhv_hv_state(void);

/* sysfs.c: /sys/class/lhv */
int lhv_sysfs_init(void);
void lhv_sysfs_exit(void);
int lhv_sysfs_add_vm(struct lhv_vm *vm);
void lhv_sysfs_del_vm(struct lhv_vm *vm);

/* netlink.c: the "lhv" generic netlink family */
int lhv_netlink_init(void);
void lhv_netlink_exit(void);

#endif /* LHV_CORE_H */
