/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The virtual PCI segment of a user VM (docs/vpci.md): ECAM bus 0 with
 * the host bridge at 00:00.0 and up to 31 functions (slots 1-31, function
 * 0 each), their BARs, doorbell ranges and the dispatch of every MMIO
 * access the hv posts for the VM.
 *
 * Locking: one mutex per bus serialises config and BAR accesses, function
 * add/remove and reset; a function's ops run under it (they may sleep).
 * The doorbell table has its own spinlock, taken in hard-IRQ context.
 */
#ifndef LHV_VPCI_H
#define LHV_VPCI_H

#include <linux/spinlock.h>
#include <linux/types.h>

#include "vpci_cfg.h"
#include "vpci_msix.h"

struct lhv_vm;
struct lhv_vpci;
struct lhv_vpci_fn;

/* Slots of bus 0: 0 is the host bridge. */
#define LHV_VPCI_SLOTS 32
/* Each slot's BARs are placed in its own 16 MiB of the MMIO32 window. */
#define LHV_VPCI_SLOT_WINDOW 0x1000000ULL

struct lhv_vpci_fn_ops {
	/*
	 * A guest access of size (1, 2, 4 or 8) bytes at off inside BAR bar,
	 * wholly inside it; the BAR's address is irrelevant. Bus mutex held.
	 */
	u64 (*bar_read)(struct lhv_vpci_fn *fn, unsigned int bar, u32 off,
			unsigned int size);
	void (*bar_write)(struct lhv_vpci_fn *fn, unsigned int bar, u32 off,
			  unsigned int size, u64 val);
	/* The MSI-X enable or function mask bit changed. Bus mutex held. */
	void (*msix_control)(struct lhv_vpci_fn *fn, bool enabled, bool masked);
	/* Doorbell index of the function's range rang: hard-IRQ context. */
	void (*doorbell)(struct lhv_vpci_fn *fn, unsigned int index);
	/* Platform reset (the VM starts from its boot state). Bus mutex held. */
	void (*reset)(struct lhv_vpci_fn *fn);
};

/*
 * A function on the bus. The owner sets it up with lhv_vpci_fn_init, adds
 * its capabilities to cfg and, if it has one, describes its doorbell
 * range (bell_count strides of bell_stride bytes at bell_off in BAR
 * bell_bar) before lhv_vpci_add.
 */
struct lhv_vpci_fn {
	struct vpci_cfg cfg;
	const struct lhv_vpci_fn_ops *ops;
	unsigned int bell_bar;
	u32 bell_off, bell_stride, bell_count;

	/* Owned by the bus. */
	unsigned int slot;
	int bell_first; /* first doorbell bit, -1: none (notify by ioreq) */
	bool bell_on;	/* registered with the hv at bell_gpa */
	u64 bell_gpa;
};

int lhv_vpci_fn_init(struct lhv_vpci_fn *fn, const struct vpci_cfg_desc *d,
		     const struct lhv_vpci_fn_ops *ops);

/*
 * A function's MSI-X (vpci_irq.c): the table and PBA (at pba_off) of one
 * BAR, with delivery to the VM. Any context for fire; the BAR accesses,
 * control and reset under the bus mutex as the function's ops are.
 */
struct lhv_vpci_irq {
	spinlock_t lock; /* msix */
	struct vpci_msix msix;
	struct lhv_vm *vm;
	const char *name; /* the device's, for warnings */
	u32 pba_off;
};

int lhv_vpci_irq_init(struct lhv_vpci_irq *irq, struct lhv_vm *vm,
		      const char *name, unsigned int nr,
		      struct vpci_msix_entry *table, u64 *pba, u32 pba_off);
/* Sends vector's message, or leaves it pending while masked. */
void lhv_vpci_irq_fire(struct lhv_vpci_irq *irq, unsigned int vector);
/* An access at off of the MSI-X BAR: the table below pba_off, the PBA. */
u64 lhv_vpci_irq_bar_read(struct lhv_vpci_irq *irq, u32 off, unsigned int size);
void lhv_vpci_irq_bar_write(struct lhv_vpci_irq *irq, u32 off,
			    unsigned int size, u64 val);
/* The capability's enable and function mask bits changed. */
void lhv_vpci_irq_control(struct lhv_vpci_irq *irq, bool enabled, bool masked);
void lhv_vpci_irq_reset(struct lhv_vpci_irq *irq);

/*
 * Creates vm's bus and makes it the VM's device transport and guest
 * memory map (takes a reference on the VM's RAM): call once the user VM
 * has its RAM, before any device is added.
 */
int lhv_vpci_init(struct lhv_vm *vm);
/* After every device of vm is gone (and the hv posts no more accesses). */
void lhv_vpci_fini(struct lhv_vm *vm);
/* Every function back to its state at creation; the VM is not running. */
void lhv_vpci_reset(struct lhv_vm *vm);

/* Puts fn into the lowest free slot and places its BARs; 0 or -errno. */
int lhv_vpci_add(struct lhv_vm *vm, struct lhv_vpci_fn *fn);
/* Takes fn off the bus; no access or doorbell reaches it on return. */
void lhv_vpci_remove(struct lhv_vm *vm, struct lhv_vpci_fn *fn);

/*
 * One guest access the hv posted: ECAM bus 0 or a BAR. Process context,
 * may sleep, not under lhv_vm_lock. Reads of nothing answer all ones and
 * writes to nothing are dropped. Returns 0 (answered, *data valid for a
 * read), or -ENODEV if vm has no bus (reads answered all ones too).
 */
int lhv_vpci_mmio(struct lhv_vm *vm, u64 gpa, bool write, u32 size, u64 *data);
/* Doorbell bit of vm rang (hard-IRQ context): kicks its queue. */
void lhv_vpci_doorbell(struct lhv_vm *vm, unsigned int bit);

/*
 * Provided by the user VM's ioreq code (the lead's side; stubbed in
 * uvm_io_stub.c until it lands). Register or remove a doorbell range with
 * the hv (LHV_HC_VM_DOORBELL; may sleep), and deliver an MSI to the VM
 * (LHV_HC_VM_INJECT_MSI; any context).
 */
int lhv_uvm_doorbell(struct lhv_vm *vm, bool add, u64 gpa, u32 len, u32 stride,
		     u32 first_bit);
int lhv_uvm_inject_msi(struct lhv_vm *vm, u64 addr, u32 data);

/* virtio_pci.c: the transport of user VM devices. */
extern const struct lhv_transport lhv_virtio_pci_transport;

/* uvm_mem_map.c: a user VM's guest memory for the device core. */
int lhv_uvm_mem_map_get(struct lhv_vm *vm);
void lhv_uvm_mem_map_put(struct lhv_vm *vm);

#endif /* LHV_VPCI_H */
