// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The controller's PCI function on the user VM's virtual bus (vpci.c):
 * class 0C0330 (xHCI), so the guest's stock xhci_pci binds to it.
 *
 *   BAR 0 (64-bit memory, XHCI_BAR_SIZE): the xHCI registers
 *   BAR 2 (32-bit memory, 4 KiB): MSI-X table at 0, PBA at 0x800
 *
 * One MSI-X vector per interrupter. Doorbells are register writes like
 * any other (their value names the endpoint, which an hv doorbell bit
 * would lose), so every access comes as an ioreq.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>

#include "xhci.h"

/* QEMU's xHCI identity: Linux's xhci_pci has no quirk for it. */
#define LHV_XHCI_VENDOR 0x1b36
#define LHV_XHCI_DEVICE 0x000d
#define LHV_XHCI_CLASS 0x0c0330

void lhv_xhci_fire(struct lhv_xhci *x, unsigned int vector)
{
	atomic64_inc(&x->irqs_sent);
	lhv_vpci_irq_fire(&x->irq, vector);
}

/* ---- BAR accesses (bus mutex held; may sleep) ---- */

static u64 lhv_xhci_bar_read(struct lhv_vpci_fn *fn, unsigned int bar, u32 off,
			     unsigned int size)
{
	struct lhv_xhci *x = lhv_xhci_of_fn(fn);

	if (bar == LHV_XHCI_REG_BAR)
		return lhv_xhci_mmio_read(x, off, size);
	if (bar == LHV_XHCI_MSIX_BAR)
		return lhv_vpci_irq_bar_read(&x->irq, off, size);
	return ~0ULL;
}

static void lhv_xhci_bar_write(struct lhv_vpci_fn *fn, unsigned int bar,
			       u32 off, unsigned int size, u64 val)
{
	struct lhv_xhci *x = lhv_xhci_of_fn(fn);

	if (bar == LHV_XHCI_REG_BAR)
		lhv_xhci_mmio_write(x, off, size, val);
	else if (bar == LHV_XHCI_MSIX_BAR)
		lhv_vpci_irq_bar_write(&x->irq, off, size, val);
}

static void lhv_xhci_msix_control(struct lhv_vpci_fn *fn, bool enabled,
				  bool masked)
{
	lhv_vpci_irq_control(&lhv_xhci_of_fn(fn)->irq, enabled, masked);
}

/* Platform reset: the VM boots again and finds a fresh controller. */
static void lhv_xhci_fn_reset(struct lhv_vpci_fn *fn)
{
	struct lhv_xhci *x = lhv_xhci_of_fn(fn);

	lhv_xhci_hc_reset(x);
	lhv_vpci_irq_reset(&x->irq);
}

static const struct lhv_vpci_fn_ops lhv_xhci_fn_ops = {
	.bar_read = lhv_xhci_bar_read,
	.bar_write = lhv_xhci_bar_write,
	.msix_control = lhv_xhci_msix_control,
	.reset = lhv_xhci_fn_reset,
};

int lhv_xhci_pci_init(struct lhv_xhci *x)
{
	struct vpci_cfg_desc d = {
		.vendor = LHV_XHCI_VENDOR,
		.device = LHV_XHCI_DEVICE,
		.subsys_vendor = LHV_XHCI_VENDOR,
		.subsys_id = LHV_XHCI_DEVICE,
		.class_code = LHV_XHCI_CLASS,
		.revision = 1,
		.bar = {
			[LHV_XHCI_REG_BAR] = { VPCI_BAR_MEM64, XHCI_BAR_SIZE },
			[LHV_XHCI_MSIX_BAR] = { VPCI_BAR_MEM32,
						LHV_XHCI_MSIX_BAR_SIZE },
		},
	};
	int err;

	BUILD_BUG_ON(vpci_msix_table_bytes(LHV_XHCI_INTRS) > LHV_XHCI_PBA_OFF);
	BUILD_BUG_ON(vpci_msix_pba_words(LHV_XHCI_INTRS) > ARRAY_SIZE(x->pba));
	err = lhv_vpci_irq_init(&x->irq, x->vm, x->vdev.name, LHV_XHCI_INTRS,
				x->table, x->pba, LHV_XHCI_PBA_OFF);
	if (err)
		return err;
	err = lhv_vpci_fn_init(&x->fn, &d, &lhv_xhci_fn_ops);
	if (err)
		return err;
	if (vpci_cfg_add_msix_cap(&x->fn.cfg, LHV_XHCI_INTRS, LHV_XHCI_MSIX_BAR,
				  0, LHV_XHCI_MSIX_BAR, LHV_XHCI_PBA_OFF) < 0)
		return -ENOSPC;
	/* No doorbell range: see above. */
	x->fn.bell_count = 0;
	return 0;
}
