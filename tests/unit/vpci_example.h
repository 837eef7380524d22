/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtual PCI function the vpci unit tests and the fuzzer build: a
 * virtio-blk device laid out as lhv.ko lays one out, MSI-X table and PBA
 * in a 32-bit BAR, the virtio structures in a 64-bit BAR.
 */
#ifndef LHV_TEST_VPCI_EXAMPLE_H
#define LHV_TEST_VPCI_EXAMPLE_H

#include "vpci_cfg.h"

#define MSIX_BAR 1
#define VIRTIO_BAR 4

static const struct vpci_cfg_desc vpci_example_desc = {
	.vendor = 0x1af4,
	.device = 0x1042,
	.subsys_vendor = 0x1af4,
	.subsys_id = 0x1100,
	.class_code = 0x018000,
	.revision = 1,
	.bar = {
		[MSIX_BAR] = { VPCI_BAR_MEM32, 0x2000 },
		[VIRTIO_BAR] = { VPCI_BAR_MEM64, 0x4000 },
	},
};

#endif /* LHV_TEST_VPCI_EXAMPLE_H */
