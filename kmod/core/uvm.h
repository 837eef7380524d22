/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * User VMs in lhv.ko (docs/uvm.md): their RAM, their CPUs, their device
 * node, and the hypercalls that make the hv run them.
 */
#ifndef LHV_UVM_H
#define LHV_UVM_H

#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/types.h>
#include <lhv/hypercall.h>
#include <lhv/netlink.h>

struct lhv_vm;
struct netlink_ext_ack;

#define LHV_UVM_CHUNK_ORDER (21 - PAGE_SHIFT)
#define LHV_UVM_CHUNK_PAGES (1UL << LHV_UVM_CHUNK_ORDER)

/* A VM's RAM: 2 MiB chunks, split into pages the mmap can refcount. */
struct lhv_uvm_mem {
	struct kref ref; /* the VM, and each open /dev/lhv-<vm> */
	u32 vm_id;
	bool clearing; /* LHV_VM_IOC_CLEAR_RAM at work (lhv_vm_lock) */
	u64 nr_chunks;
	struct page *chunks[]; /* first page of each chunk */
};

struct lhv_uvm {
	unsigned char uuid[16];
	u32 profile;
	u32 nr_cpus;
	unsigned int cpus[LHV_VM_MAX_VCPUS];
	u32 apic_ids[LHV_VM_MAX_VCPUS]; /* for the VM's MADT */
	unsigned int cpus_offline;	/* how many of them the SOS gave away */
	u64 mem_size;
	u64 exits;
	char crash_reason[64];
	u32 stop_reason;   /* LHV_HC_STOP_* as the hv last said */
	u32 vcpus_running; /* in the guest, after INIT/SIPI */
	u32 nr_measured;   /* entries of measured[] valid */
	struct lhv_uvm_measured {
		struct lhv_hc_measure_region region;
		unsigned char sha256[32];
	} measured[LHV_VM_MEASURE_MAX];
	struct lhv_uvm_mem *mem;
	struct lhv_ioreq_page *ioreq; /* shared with the hv */
	u64 ioreqs, doorbells, msis;  /* as the hv counts them */
	struct miscdevice misc;
	char dev_name[8 + LHV_VM_NAME_MAX + 1]; /* "lhv-<name>" */
};

struct lhv_uvm_params {
	const char *name;
	unsigned char uuid[16];
	bool uuid_set;
	u32 profile;
	u32 nr_cpus;
	unsigned int cpus[LHV_VM_MAX_VCPUS];
	u64 mem_size;
};

/* Under lhv_vm_lock. Errors carry an extack message. */
struct lhv_vm *lhv_uvm_create(const struct lhv_uvm_params *p,
			      struct netlink_ext_ack *extack);
int lhv_uvm_destroy(struct lhv_vm *vm, struct netlink_ext_ack *extack);
int lhv_uvm_start(struct lhv_vm *vm, struct netlink_ext_ack *extack);
/*
 * Forced: the hv stops the vCPUs now. Graceful: the shutdown request goes
 * to the guest's lifecycle agent (COM2) and the VM stops when the guest
 * powers off (an event says so).
 */
int lhv_uvm_stop(struct lhv_vm *vm, bool force, struct netlink_ext_ack *extack);
/*
 * Pulls the hv's view (running, crashed and why, stopped and why, exits,
 * measurements) into vm; announces a state change it finds.
 */
void lhv_uvm_refresh(struct lhv_vm *vm);
/* The hv said VM @id changed state (upcall work; takes lhv_vm_lock). */
void lhv_uvm_state_changed(unsigned int id);
/*
 * uvm_io.c: the VM's device I/O (ioreq page, doorbells, MSIs). The upcall
 * handler calls lhv_uvm_io_upcall (hard IRQ) with a bit per VM id.
 */
struct lhv_ioreq_page;
void lhv_uvm_io_upcall(u64 vm_bits);
struct lhv_ioreq_page *lhv_uvm_io_alloc_page(void);
void lhv_uvm_io_free_page(struct lhv_ioreq_page *page);
void lhv_uvm_io_start(struct lhv_vm *vm, struct lhv_ioreq_page *page);
/* No upcall reaches the VM's devices after this; no work runs. */
void lhv_uvm_io_stop(struct lhv_vm *vm);
/* Waits for answers in progress (after a forced stop). */
void lhv_uvm_io_flush(struct lhv_vm *vm);
/* Bytes into COM1 (port 0) or COM2 (1); returns how many were taken. */
long lhv_uvm_console_write(struct lhv_vm *vm, u32 port, const void *buf,
			   u32 len);
/* The regions the hv measures at each start (the device node's ioctl). */
int lhv_uvm_set_measure(struct lhv_vm *vm, struct lhv_hc_vm_measure *req);
/* Console bytes from *cursor on; returns the count or a negative errno. */
long lhv_uvm_console(struct lhv_vm *vm, u64 *cursor, char *buf, u32 len,
		     u64 *lost);
/* Sets a vCPU's boot state (the device node's ioctl). */
int lhv_uvm_set_boot(struct lhv_vm *vm, u32 vcpu,
		     const struct lhv_hc_vcpu_state *st);

/* uvm_dev.c: /dev/lhv-<name> */
int lhv_uvm_dev_add(struct lhv_vm *vm);
void lhv_uvm_dev_del(struct lhv_vm *vm);
void lhv_uvm_mem_put(struct lhv_uvm_mem *mem);
/* Zeroes every page of the RAM (at destroy, and for LHV_VM_IOC_CLEAR_RAM). */
void lhv_uvm_mem_clear(struct lhv_uvm_mem *mem);

#endif /* LHV_UVM_H */
