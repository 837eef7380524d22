/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Internal interface of the lhv service module (lhv.ko): what its files
 * share with each other. Nothing here is ABI; the ABI is in uapi/lhv/.
 */
#ifndef LHV_CORE_H
#define LHV_CORE_H

#include <linux/device.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <net/genetlink.h>
#include <lhv/netlink.h>

#include "virtq.h"

struct lhv_vdev;
struct lhv_vq;

#define LHV_MAX_VMS_LIMIT 64

/* Module parameters (main.c, vq_worker.c). */
extern unsigned int lhv_max_vms;
extern unsigned int lhv_busy_poll_us;

/*
 * How the core reaches the driver of a VM's devices: loopback (the service
 * VM's own virtio bus) or virtio-pci on a user VM's virtual PCI bus
 * (virtio_pci.c). Every callback may assume the device is registered.
 */
struct lhv_transport {
	const char *name;
	/* Expose vdev to the VM's driver (may probe it synchronously). */
	int (*attach)(struct lhv_vdev *vdev);
	/* Take it away: the driver is gone and the device reset on return. */
	void (*detach)(struct lhv_vdev *vdev);
	/* Used-buffer notification of vq; any context. */
	void (*interrupt)(struct lhv_vq *vq);
	/* Configuration change notification; any context. */
	void (*config_changed)(struct lhv_vdev *vdev);
};

/* A virtual machine as the service module sees it; id 0 is the service VM. */
struct lhv_uvm;
struct lhv_vpci;

struct lhv_vm {
	u32 id;
	char name[LHV_VM_NAME_MAX + 1];
	enum lhv_vm_state state;
	struct device *dev; /* /sys/class/lhv/<name> */
	/* Guest memory: every guest address goes through mem_ops->map. */
	const struct virtq_mem_ops *mem_ops;
	void *mem_ctx;
	const struct lhv_transport *transport;
	struct mutex dev_lock; /* devs */
	struct list_head devs; /* struct lhv_vdev.vm_node, sorted by id */
	struct lhv_uvm *uvm;   /* a user VM's own part (uvm.c); NULL for 0 */
	struct lhv_vpci *vpci; /* a user VM's virtual PCI bus (vpci.c) */
};

/* vm.c: the VM table. Lookups return with lhv_vm_lock held by the caller. */
extern struct mutex lhv_vm_lock;
int lhv_vm_table_init(void);
void lhv_vm_table_exit(void);
struct lhv_vm *lhv_vm_find_by_name(const char *name);
/*
 * netlink.c: the VM a request's LHV_ATTR_VM_NAME names (the caller checked
 * the attribute is present and holds lhv_vm_lock), or NULL with the
 * request's extack saying so.
 */
struct genl_info;
struct lhv_vm *lhv_nl_vm_lookup(struct genl_info *info);
/* A free slot with id <= max_id, zeroed but for its id; NULL if none. */
struct lhv_vm *lhv_vm_free_slot(u32 max_id);
/* How many user VMs exist (any lock or none: a snapshot). */
unsigned int lhv_vm_count_user(void);
/* Destroys every user VM (module unload). */
void lhv_vm_destroy_user(void);
/* The VM in slot i (0..lhv_max_vms-1), or NULL if the slot is free. */
struct lhv_vm *lhv_vm_at(unsigned int i);
/* The service VM (id 0); exists while lhv.ko is loaded. Exported. */
struct lhv_vm *lhv_service_vm(void);
const char *lhv_vm_state_name(enum lhv_vm_state state);

/* hv.c: the hypervisor image, its loading and enabling */
/* hv memory and its kernel mappings (hv_mem.c). */
struct lhv_hv_mem {
	phys_addr_t phys;
	size_t size;	/* reserved (hv_mem=) or allocated */
	size_t mapped;	/* of which the image uses and maps */
	void *xmap;	/* the image runs here: text RX, the rest RW */
	void *wmap;	/* all writable: copying the image, reading the log */
	void *dev_virt; /* hv_mem=dev: the page allocator's block */
};
/* Take hv memory for an image of need bytes, map it; pr_err on failure. */
int lhv_hv_mem_get(struct lhv_hv_mem *m, size_t need, u64 text_off,
		   u64 text_len);
/* Wipe, unmap and give back what lhv_hv_mem_get took. */
void lhv_hv_mem_put(struct lhv_hv_mem *m);

struct lhv_hv_info {
	enum lhv_hv_state state;
	bool loaded; /* an image is in memory: the sizes are valid */
	u64 image_size;
	u64 mem_size;
	unsigned int cpus; /* CPUs running under the hv */
	bool hw_valid;	   /* running: vendor and features from the hv */
	u32 vendor;	   /* LHV_HC_VENDOR_* */
	u32 features;	   /* LHV_HC_HW_* */
	u32 seed;	   /* enum lhv_hv_seed */
};
/*
 * A hypercall from this CPU (preemption disabled around it); -ENODEV if
 * the hv does not run here. Buffer arguments are physical addresses of
 * direct-map memory (kmalloc), which the hv checks.
 */
long lhv_hv_call(unsigned long id, unsigned long a0, unsigned long a1);
/*
 * The next time @cpu goes offline it is donated to user VM @vm_id
 * instead of leaving the hv (0: leave, as usual). Cleared when it comes
 * online again.
 */
void lhv_hv_donate_prepare(unsigned int cpu, u32 vm_id);
enum lhv_hv_state lhv_hv_state(void);
void lhv_hv_info(struct lhv_hv_info *info);
struct lhv_hc_cpu_stats;
/* Exit statistics of a CPU under the hv; -ENODEV if it is not. */
int lhv_hv_cpu_stats(unsigned int cpu, struct lhv_hc_cpu_stats *out);
/*
 * upcall.c: the hv's interrupt into this kernel, set up once the hv runs
 * on every CPU and torn down before it leaves.
 */
int lhv_upcall_start(void);
void lhv_upcall_stop(void);
bool lhv_upcall_ready(void);
/* The hv statistics dump (netlink_hv.c). */
int lhv_nl_hv_stats_dump(struct sk_buff *skb, struct netlink_callback *cb);
/*
 * The newest text of the hv's log ring, at most len - 1 bytes and
 * NUL-terminated; empty before an image was loaded. Returns the length.
 */
size_t lhv_hv_log_read(char *buf, size_t len);
int lhv_hv_enable(struct netlink_ext_ack *extack);
int lhv_hv_disable(struct netlink_ext_ack *extack);
/* Module load (enables if the hv_enable parameter says so) and unload. */
int lhv_hv_init(void);
void lhv_hv_exit(void);

/* seed.c: the platform seed and the service VM's vSEED identity */
struct lhv_hv_boot_info;
/* Checks the parameters at module load. */
int lhv_seed_init(void);
/*
 * Fills the service VM's UUID and profile into @info and, on the @first
 * enable of fresh hv memory ([hv_phys, hv_phys + hv_size)), the platform
 * seed (reading, then zeroing, the bootloader's page). hv.c wipes @info
 * once the hv took it.
 */
void lhv_seed_fill(struct lhv_hv_boot_info *info, bool first, u64 hv_phys,
		   u64 hv_size);
/* hv memory, and the seed the hv kept in it, is gone. */
void lhv_seed_lost(void);
/* Where the seed the hv holds came from, as far as lhv.ko knows. */
enum lhv_hv_seed lhv_seed_source(void);

/* sysfs.c: /sys/class/lhv */
int lhv_sysfs_init(void);
void lhv_sysfs_exit(void);
int lhv_sysfs_add_vm(struct lhv_vm *vm);
void lhv_sysfs_del_vm(struct lhv_vm *vm);

/* netlink.c: the "lhv" generic netlink family */
extern struct genl_family lhv_genl_family;
int lhv_netlink_init(void);
void lhv_netlink_exit(void);

/* netlink_dev.c: LHV_CMD_DEV_ADD/DEL/GET */
int lhv_nl_dev_add(struct sk_buff *skb, struct genl_info *info);
int lhv_nl_dev_del(struct sk_buff *skb, struct genl_info *info);
int lhv_nl_dev_get(struct sk_buff *skb, struct genl_info *info);
int lhv_nl_dev_dump(struct sk_buff *skb, struct netlink_callback *cb);
extern const struct nla_policy lhv_dev_add_policy[LHV_ATTR_MAX + 1];
extern const struct nla_policy lhv_dev_del_policy[LHV_ATTR_MAX + 1];
extern const struct nla_policy lhv_dev_get_policy[LHV_ATTR_MAX + 1];

/* netlink_usb.c: SOS USB port assignment, served by lhv_xhci */
int lhv_nl_usb_assign(struct sk_buff *skb, struct genl_info *info);
int lhv_nl_usb_release(struct sk_buff *skb, struct genl_info *info);
int lhv_nl_usb_get(struct sk_buff *skb, struct genl_info *info);
int lhv_nl_usb_dump(struct sk_buff *skb, struct netlink_callback *cb);
extern const struct nla_policy lhv_usb_assign_policy[LHV_ATTR_MAX + 1];
extern const struct nla_policy lhv_usb_release_policy[LHV_ATTR_MAX + 1];
extern const struct nla_policy lhv_usb_get_policy[LHV_ATTR_MAX + 1];

/* netlink_vm.c: the user VM commands */
int lhv_nl_vm_create(struct sk_buff *skb, struct genl_info *info);
int lhv_nl_vm_destroy(struct sk_buff *skb, struct genl_info *info);
int lhv_nl_vm_start(struct sk_buff *skb, struct genl_info *info);
int lhv_nl_vm_stop(struct sk_buff *skb, struct genl_info *info);
int lhv_nl_vm_console(struct sk_buff *skb, struct genl_info *info);
int lhv_nl_vm_console_write(struct sk_buff *skb, struct genl_info *info);
/* The user VM attributes of a VM_GET reply (none for the service VM). */
int lhv_nl_put_uvm(struct sk_buff *msg, struct lhv_vm *vm);
extern const struct nla_policy lhv_vm_create_policy[LHV_ATTR_MAX + 1];
extern const struct nla_policy lhv_vm_name_policy[LHV_ATTR_MAX + 1];
extern const struct nla_policy lhv_vm_stop_policy[LHV_ATTR_MAX + 1];
extern const struct nla_policy lhv_vm_console_policy[LHV_ATTR_MAX + 1];
extern const struct nla_policy lhv_vm_console_write_policy[LHV_ATTR_MAX + 1];

/* netlink.c: multicast groups, and the VM event on the "vm" group. */
enum { LHV_NL_MCGRP_VM };
void lhv_nl_vm_event(struct lhv_vm *vm, enum lhv_vm_event event);

/* backend.c: the backend registry */
extern struct mutex lhv_dev_mutex; /* device add/del, backend removal */
const struct lhv_backend *lhv_backend_get(u32 type);
void lhv_backend_put(const struct lhv_backend *backend);
const char *lhv_dev_type_name(u32 type);
u32 lhv_vdev_type(const struct lhv_vdev *vdev);

/* vm_mem.c: the service VM's memory map */
int lhv_vm_mem_init(void);
void lhv_vm_mem_exit(void);
extern const struct virtq_mem_ops lhv_service_mem_ops;
void *lhv_service_mem_ctx(void);

/* loopback.c */
extern const struct lhv_transport lhv_loopback_transport;

/*
 * vdev.c: the device as its driver sees it, for transports. Status and
 * features follow VIRTIO 1.2 3.1; lhv_vdev_set_status(vdev, 0) resets.
 */
u64 lhv_vdev_offered_features(const struct lhv_vdev *vdev);
void lhv_vdev_set_driver_features(struct lhv_vdev *vdev, u64 features);
u8 lhv_vdev_get_status(struct lhv_vdev *vdev);
void lhv_vdev_set_status(struct lhv_vdev *vdev, u8 status);
void lhv_vdev_read_config(struct lhv_vdev *vdev, unsigned int off, void *buf,
			  unsigned int len);
void lhv_vdev_write_config(struct lhv_vdev *vdev, unsigned int off,
			   const void *buf, unsigned int len);
/* Remove every device of vm (module exit; backends are gone by then). */
void lhv_vm_destroy_devices(struct lhv_vm *vm);

/* vq_worker.c: the per-queue service loop */
int lhv_vq_worker_create(struct lhv_vq *vq);
void lhv_vq_worker_destroy(struct lhv_vq *vq);
void lhv_vq_kick(struct lhv_vq *vq);	    /* driver notification */
void lhv_vq_worker_stop(struct lhv_vq *vq); /* waits for the loop to leave */

/* sysfs.c: per-device directories */
int lhv_sysfs_add_vdev(struct lhv_vdev *vdev);
void lhv_sysfs_del_vdev(struct lhv_vdev *vdev);

#endif /* LHV_CORE_H */
