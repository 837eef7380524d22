/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The virtio-pci common configuration structure (VIRTIO 1.2 4.1.4.3), the
 * device side: the registers a driver reads and writes in the common
 * config BAR window, with callbacks into the device core for status,
 * features and queue enabling. Portable core.
 *
 * Accesses: reads of 1, 2, 4 or 8 bytes at an offset aligned to their
 * size are answered from the register image (reads have no side effects
 * here); writes must hit one register exactly, or one 32-bit half of a
 * 64-bit queue address. Anything else (unaligned, odd sizes, straddling
 * registers) reads all ones and writes nothing. Bytes past the structure
 * but inside its window read as zeroes.
 *
 * The caller serialises all calls for one device. config_msix_vector and
 * queues[i].msix_vector are written with LHV_WRITE_ONCE so an interrupt
 * path may read them without the caller's lock.
 */
#ifndef LHV_LIB_VIRTIO_PCI_COMMON_H
#define LHV_LIB_VIRTIO_PCI_COMMON_H

#include "portable.h"

/* Register offsets (VIRTIO 1.2 4.1.4.3). */
#define VPC_DFSELECT 0x00
#define VPC_DF 0x04
#define VPC_GFSELECT 0x08
#define VPC_GF 0x0c
#define VPC_MSIX 0x10
#define VPC_NUMQ 0x12
#define VPC_STATUS 0x14
#define VPC_CFGGENERATION 0x15
#define VPC_Q_SELECT 0x16
#define VPC_Q_SIZE 0x18
#define VPC_Q_MSIX 0x1a
#define VPC_Q_ENABLE 0x1c
#define VPC_Q_NOFF 0x1e
#define VPC_Q_DESCLO 0x20
#define VPC_Q_DESCHI 0x24
#define VPC_Q_AVAILLO 0x28
#define VPC_Q_AVAILHI 0x2c
#define VPC_Q_USEDLO 0x30
#define VPC_Q_USEDHI 0x34
#define VPC_Q_NDATA 0x38
#define VPC_Q_RESET 0x3a
/* The structure's length as the capability announces it. */
#define VPC_LEN 0x3c

#define VPC_NO_VECTOR 0xffffu

struct vpc_queue {
	uint16_t size;	      /* as the driver set it; max after reset */
	uint16_t msix_vector; /* VPC_NO_VECTOR if none */
	bool enabled;
	uint64_t desc, driver, device;
};

struct vpc_ops {
	/* The device status; with NEEDS_RESET if the device wants one. */
	uint8_t (*get_status)(void *opaque);
	/* The driver wrote status (0: reset the device). */
	void (*set_status)(void *opaque, uint8_t status);
	/* The driver's feature bits as written so far. */
	void (*set_driver_features)(void *opaque, uint64_t features);
	/* The driver enabled queue q with q's registers. */
	void (*enable_queue)(void *opaque, uint16_t q,
			     const struct vpc_queue *vq);
	uint8_t (*config_generation)(void *opaque);
};

struct vpc {
	/* Set by vpc_init. */
	const struct vpc_ops *ops;
	void *opaque;
	uint64_t device_features;
	uint16_t num_queues;
	uint16_t queue_max_size;
	uint16_t nr_vectors; /* MSI-X table size: vectors >= it are refused */
	struct vpc_queue *queues; /* num_queues, the caller's */

	/* Driver-visible registers. */
	uint32_t device_feature_select;
	uint32_t driver_feature_select;
	uint64_t driver_features;
	uint16_t config_msix_vector;
	uint16_t queue_select;
};

/* Sets up and resets c; -EINVAL for 0 queues or a max size of 0. */
int vpc_init(struct vpc *c, const struct vpc_ops *ops, void *opaque,
	     uint64_t device_features, uint16_t num_queues,
	     uint16_t queue_max_size, uint16_t nr_vectors,
	     struct vpc_queue *queues);
/* Registers back to their reset values (the device core resets itself). */
void vpc_reset(struct vpc *c);

uint64_t vpc_read(struct vpc *c, uint32_t off, unsigned int size);
void vpc_write(struct vpc *c, uint32_t off, unsigned int size, uint64_t val);

#endif /* LHV_LIB_VIRTIO_PCI_COMMON_H */
