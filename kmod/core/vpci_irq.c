// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The MSI-X of one function on a user VM's virtual PCI bus: the portable
 * table/PBA model (vpci_msix.c) under a spinlock, since devices fire from
 * any context, with delivery through lhv_uvm_inject_msi outside the lock.
 * Shared by the virtio-pci transport and functions of their own
 * (lhv_xhci). docs/vpci.md, "MSI-X".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>

#include "lhv.h"
#include "vpci.h"

int lhv_vpci_irq_init(struct lhv_vpci_irq *irq, struct lhv_vm *vm,
		      const char *name, unsigned int nr,
		      struct vpci_msix_entry *table, u64 *pba, u32 pba_off)
{
	irq->vm = vm;
	irq->name = name;
	irq->pba_off = pba_off;
	spin_lock_init(&irq->lock);
	return vpci_msix_init(&irq->msix, nr, table, pba);
}
EXPORT_SYMBOL_GPL(lhv_vpci_irq_init);

static void lhv_vpci_irq_send(struct lhv_vpci_irq *irq,
			      const struct vpci_msix_msg *msg)
{
	int err = lhv_uvm_inject_msi(irq->vm, msg->addr, msg->data);

	/* A stopped VM misses its interrupts; its restart resets devices. */
	if (err && err != -EAGAIN)
		pr_warn_ratelimited("%s/%s: MSI %#llx/%#x not delivered (%d)\n",
				    irq->vm->name, irq->name, msg->addr,
				    msg->data, err);
}

void lhv_vpci_irq_fire(struct lhv_vpci_irq *irq, unsigned int vector)
{
	struct vpci_msix_msg msg;
	enum vpci_msix_fired fired;
	unsigned long flags;

	spin_lock_irqsave(&irq->lock, flags);
	fired = vpci_msix_fire(&irq->msix, vector, &msg);
	spin_unlock_irqrestore(&irq->lock, flags);
	if (fired == VPCI_MSIX_DELIVER)
		lhv_vpci_irq_send(irq, &msg);
}
EXPORT_SYMBOL_GPL(lhv_vpci_irq_fire);

/* Sends every pending vector an unmask or enable made deliverable. */
static void lhv_vpci_irq_drain(struct lhv_vpci_irq *irq)
{
	struct vpci_msix_msg msg;
	unsigned int vector;
	unsigned long flags;
	bool ready;

	for (;;) {
		spin_lock_irqsave(&irq->lock, flags);
		ready = vpci_msix_take_ready(&irq->msix, &vector, &msg);
		spin_unlock_irqrestore(&irq->lock, flags);
		if (!ready)
			return;
		lhv_vpci_irq_send(irq, &msg);
	}
}

u64 lhv_vpci_irq_bar_read(struct lhv_vpci_irq *irq, u32 off, unsigned int size)
{
	unsigned long flags;
	u64 val;

	spin_lock_irqsave(&irq->lock, flags);
	if (off < irq->pba_off)
		val = vpci_msix_table_read(&irq->msix, off, size);
	else
		val = vpci_msix_pba_read(&irq->msix, off - irq->pba_off, size);
	spin_unlock_irqrestore(&irq->lock, flags);
	return val;
}
EXPORT_SYMBOL_GPL(lhv_vpci_irq_bar_read);

void lhv_vpci_irq_bar_write(struct lhv_vpci_irq *irq, u32 off,
			    unsigned int size, u64 val)
{
	unsigned long flags;

	/* The PBA is read-only. */
	if (off >= irq->pba_off)
		return;
	spin_lock_irqsave(&irq->lock, flags);
	vpci_msix_table_write(&irq->msix, off, size, val);
	spin_unlock_irqrestore(&irq->lock, flags);
	lhv_vpci_irq_drain(irq);
}
EXPORT_SYMBOL_GPL(lhv_vpci_irq_bar_write);

void lhv_vpci_irq_control(struct lhv_vpci_irq *irq, bool enabled, bool masked)
{
	unsigned long flags;

	spin_lock_irqsave(&irq->lock, flags);
	vpci_msix_set_control(&irq->msix, enabled, masked);
	spin_unlock_irqrestore(&irq->lock, flags);
	lhv_vpci_irq_drain(irq);
}
EXPORT_SYMBOL_GPL(lhv_vpci_irq_control);

void lhv_vpci_irq_reset(struct lhv_vpci_irq *irq)
{
	unsigned long flags;

	spin_lock_irqsave(&irq->lock, flags);
	vpci_msix_reset(&irq->msix);
	spin_unlock_irqrestore(&irq->lock, flags);
}
EXPORT_SYMBOL_GPL(lhv_vpci_irq_reset);
