// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A user VM's device I/O, lhv.ko's side of the ioreq page (docs/ioreq.md):
 *
 * - the upcall (hard IRQ) takes the VM's doorbell bits at once and kicks
 *   the queues they stand for (lhv_vpci_doorbell only queues work), then
 *   queues the VM's ioreq work if a slot may be pending;
 * - the ioreq work (process context, high-priority workqueue) answers
 *   each pending slot through the VM's virtual PCI bus and marks it done;
 *   the vCPU, which waits in the hv, goes on;
 * - doorbell ranges and MSIs go to the hv by hypercall.
 *
 * Lifetime: lhv_uvm_io_start() before the VM first runs, lhv_uvm_io_stop()
 * once the hv stopped it for good (destroy): after it no upcall touches
 * the VM and no work runs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <lhv/ioreq.h>

#include "lhv.h"
#include "uvm.h"
#include "vpci.h"

struct lhv_uvm_io {
	spinlock_t lock; /* vm: the upcall against start/stop */
	struct lhv_vm *vm;
	struct lhv_ioreq_page *page;
	struct work_struct work;
};

static struct lhv_uvm_io lhv_uvm_io[LHV_VM_MAX_ID + 1];

static void lhv_uvm_io_answer(struct lhv_vm *vm, struct lhv_ioreq *slot)
{
	u64 seq = READ_ONCE(slot->seq), data = READ_ONCE(slot->data);
	u32 size = READ_ONCE(slot->size);
	bool write = READ_ONCE(slot->dir) == LHV_IOREQ_WRITE;
	u64 gpa = READ_ONCE(slot->addr);

	if (size != 1 && size != 2 && size != 4 && size != 8) {
		data = ~0ULL; /* the hv never posts these; answer anyway */
	} else if (lhv_vpci_mmio(vm, gpa, write, size, &data)) {
		data = ~0ULL;
	}
	/* A request of an earlier run (the VM was stopped meanwhile). */
	if (READ_ONCE(slot->seq) != seq)
		return;
	if (!write)
		WRITE_ONCE(slot->data, data);
	smp_store_release(&slot->state, LHV_IOREQ_DONE);
}

static void lhv_uvm_io_work(struct work_struct *work)
{
	struct lhv_uvm_io *io = container_of(work, struct lhv_uvm_io, work);
	struct lhv_vm *vm = READ_ONCE(io->vm);
	unsigned int i;

	if (!vm)
		return;
	for (i = 0; i < LHV_VM_MAX_VCPUS; i++) {
		struct lhv_ioreq *slot = &io->page->slot[i];

		if (smp_load_acquire(&slot->state) == LHV_IOREQ_PENDING)
			lhv_uvm_io_answer(vm, slot);
	}
}

/* Hard IRQ, from the upcall handler. */
void lhv_uvm_io_upcall(u64 vm_bits)
{
	unsigned long bits = vm_bits;
	unsigned int id, w, b;

	for_each_set_bit(id, &bits, LHV_VM_MAX_ID + 1)
	{
		struct lhv_uvm_io *io = &lhv_uvm_io[id];

		spin_lock(&io->lock);
		if (!io->vm) {
			spin_unlock(&io->lock);
			continue;
		}
		for (w = 0; w < ARRAY_SIZE(io->page->doorbell); w++) {
			unsigned long rung;

			if (!READ_ONCE(io->page->doorbell[w]))
				continue;
			rung = xchg(&io->page->doorbell[w], 0);
			for_each_set_bit(b, &rung, 64)
				lhv_vpci_doorbell(io->vm, w * 64 + b);
		}
		queue_work(system_highpri_wq, &io->work);
		spin_unlock(&io->lock);
	}
}

struct lhv_ioreq_page *lhv_uvm_io_alloc_page(void)
{
	return (void *)get_zeroed_page(GFP_KERNEL);
}

void lhv_uvm_io_free_page(struct lhv_ioreq_page *page)
{
	free_page((unsigned long)page);
}

void lhv_uvm_io_start(struct lhv_vm *vm, struct lhv_ioreq_page *page)
{
	struct lhv_uvm_io *io = &lhv_uvm_io[vm->id];

	spin_lock_init(&io->lock);
	INIT_WORK(&io->work, lhv_uvm_io_work);
	io->page = page;
	spin_lock_irq(&io->lock);
	io->vm = vm;
	spin_unlock_irq(&io->lock);
}

void lhv_uvm_io_stop(struct lhv_vm *vm)
{
	struct lhv_uvm_io *io = &lhv_uvm_io[vm->id];

	if (!io->vm)
		return;
	spin_lock_irq(&io->lock);
	io->vm = NULL;
	spin_unlock_irq(&io->lock);
	cancel_work_sync(&io->work);
	io->page = NULL;
}

void lhv_uvm_io_flush(struct lhv_vm *vm)
{
	struct lhv_uvm_io *io = &lhv_uvm_io[vm->id];

	if (io->vm)
		flush_work(&io->work);
}

int lhv_uvm_doorbell(struct lhv_vm *vm, bool add, u64 gpa, u32 len, u32 stride,
		     u32 first_bit)
{
	struct lhv_hc_doorbell *req;
	long ret;

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	req->id = vm->id;
	req->op = add ? LHV_DOORBELL_ADD : LHV_DOORBELL_DEL;
	req->gpa = gpa;
	req->len = len;
	req->stride = stride;
	req->first_bit = first_bit;
	ret = lhv_hv_call(LHV_HC_VM_DOORBELL, virt_to_phys(req), 0);
	kfree(req);
	return ret;
}

int lhv_uvm_inject_msi(struct lhv_vm *vm, u64 addr, u32 data)
{
	return lhv_hv_call(LHV_HC_VM_INJECT_MSI, vm->id | ((u64)data << 32),
			   addr);
}
EXPORT_SYMBOL_GPL(lhv_uvm_inject_msi);
