// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Portable cores of ../lib that lhv.ko links once for every backend: the
 * backends (lhv_blk, lhv_snd, lhv_xhci) call them through these exports
 * instead of each linking its own copy of the same object. The cores themselves
 * stay free of kernel headers.
 */
#include <linux/export.h>

#include "seg_copy.h"
#include "vpci_cfg.h"

EXPORT_SYMBOL_GPL(seg_slice);
EXPORT_SYMBOL_GPL(seg_read);
EXPORT_SYMBOL_GPL(seg_write);

/* A PCI function of its own (lhv_xhci) adds its MSI-X capability. */
EXPORT_SYMBOL_GPL(vpci_cfg_add_msix_cap);
