// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The virtio-pci common configuration structure, device side
 * (virtio_pci_common.h).
 */
#include "virtio_pci_common.h"

/* The register image is this long: a power of 2 past VPC_LEN. */
#define IMAGE_LEN 0x40

int vpc_init(struct vpc *c, const struct vpc_ops *ops, void *opaque,
	     uint64_t device_features, uint16_t num_queues,
	     uint16_t queue_max_size, uint16_t nr_vectors,
	     struct vpc_queue *queues)
{
	if (!num_queues || !queue_max_size)
		return -EINVAL;
	c->ops = ops;
	c->opaque = opaque;
	c->device_features = device_features;
	c->num_queues = num_queues;
	c->queue_max_size = queue_max_size;
	c->nr_vectors = nr_vectors;
	c->queues = queues;
	vpc_reset(c);
	return 0;
}

void vpc_reset(struct vpc *c)
{
	unsigned int i;

	c->device_feature_select = 0;
	c->driver_feature_select = 0;
	c->driver_features = 0;
	LHV_WRITE_ONCE(c->config_msix_vector, VPC_NO_VECTOR);
	c->queue_select = 0;
	for (i = 0; i < c->num_queues; i++) {
		struct vpc_queue *q = &c->queues[i];

		q->size = c->queue_max_size;
		LHV_WRITE_ONCE(q->msix_vector, VPC_NO_VECTOR);
		q->enabled = false;
		q->desc = q->driver = q->device = 0;
	}
}

static void put(uint8_t *img, unsigned int off, uint64_t v, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		img[off + i] = (uint8_t)(v >> (8 * i));
}

/* 32 bits of a 64-bit feature word selected by sel (0 beyond bit 63). */
static uint32_t feature_word(uint64_t features, uint32_t sel)
{
	if (sel == 0)
		return (uint32_t)features;
	if (sel == 1)
		return (uint32_t)(features >> 32);
	return 0;
}

static struct vpc_queue *selected(struct vpc *c)
{
	if (c->queue_select >= c->num_queues)
		return NULL;
	return &c->queues[c->queue_select];
}

static void build_image(struct vpc *c, uint8_t *img)
{
	const struct vpc_queue *q = selected(c);

	memset(img, 0, IMAGE_LEN);
	put(img, VPC_DFSELECT, c->device_feature_select, 4);
	put(img, VPC_DF,
	    feature_word(c->device_features, c->device_feature_select), 4);
	put(img, VPC_GFSELECT, c->driver_feature_select, 4);
	put(img, VPC_GF,
	    feature_word(c->driver_features, c->driver_feature_select), 4);
	put(img, VPC_MSIX, c->config_msix_vector, 2);
	put(img, VPC_NUMQ, c->num_queues, 2);
	put(img, VPC_STATUS, c->ops->get_status(c->opaque), 1);
	put(img, VPC_CFGGENERATION, c->ops->config_generation(c->opaque), 1);
	put(img, VPC_Q_SELECT, c->queue_select, 2);
	/* A queue that does not exist reads as size 0: unavailable. */
	if (!q)
		return;
	put(img, VPC_Q_SIZE, q->size, 2);
	put(img, VPC_Q_MSIX, q->msix_vector, 2);
	put(img, VPC_Q_ENABLE, q->enabled, 2);
	put(img, VPC_Q_NOFF, c->queue_select, 2);
	put(img, VPC_Q_DESCLO, q->desc, 8);
	put(img, VPC_Q_AVAILLO, q->driver, 8);
	put(img, VPC_Q_USEDLO, q->device, 8);
}

static bool size_ok(uint32_t off, unsigned int size)
{
	return (size == 1 || size == 2 || size == 4 || size == 8) &&
	       !(off % size);
}

uint64_t vpc_read(struct vpc *c, uint32_t off, unsigned int size)
{
	uint8_t img[IMAGE_LEN];
	uint64_t val = 0;
	unsigned int i;

	if (!size_ok(off, size))
		return size >= 1 && size < 8 ? (1ull << (8 * size)) - 1 : ~0ull;
	if (off >= IMAGE_LEN)
		return 0;
	/* Aligned and a power of 2 no larger than 8: inside the image. */
	build_image(c, img);
	for (i = 0; i < size; i++)
		val |= (uint64_t)img[off + i] << (8 * i);
	return val;
}

static uint16_t checked_vector(const struct vpc *c, uint16_t v)
{
	/* The driver reads NO_VECTOR back for a vector we cannot use. */
	return v < c->nr_vectors ? v : VPC_NO_VECTOR;
}

static void write_driver_features(struct vpc *c, uint32_t val)
{
	if (c->driver_feature_select == 0)
		c->driver_features =
			(c->driver_features & ~0xffffffffull) | val;
	else if (c->driver_feature_select == 1)
		c->driver_features = (c->driver_features & 0xffffffffull) |
				     (uint64_t)val << 32;
	else
		return; /* no features beyond bit 63 */
	c->ops->set_driver_features(c->opaque, c->driver_features);
}

static void write_status(struct vpc *c, uint8_t status)
{
	c->ops->set_status(c->opaque, status);
	if (!status)
		vpc_reset(c);
}

/* A queue address: the whole 64 bits or one 32-bit half of it. */
static void write_addr(uint64_t *reg, uint32_t half, unsigned int size,
		       uint64_t val)
{
	if (size == 8)
		*reg = val;
	else if (half)
		*reg = (*reg & 0xffffffffull) | val << 32;
	else
		*reg = (*reg & ~0xffffffffull) | (uint32_t)val;
}

/* Queue registers; the queue is fixed while enabled (4.1.4.3.2). */
static void write_queue(struct vpc *c, uint32_t off, unsigned int size,
			uint64_t val)
{
	struct vpc_queue *q = selected(c);
	uint64_t *addr = NULL;

	if (!q)
		return;
	if (off == VPC_Q_MSIX) {
		LHV_WRITE_ONCE(q->msix_vector,
			       checked_vector(c, (uint16_t)val));
		return;
	}
	if (q->enabled)
		return;
	if (off == VPC_Q_SIZE) {
		q->size = (uint16_t)val;
		return;
	}
	if (off == VPC_Q_ENABLE) {
		/* Writing 0 is not allowed to the driver: ignore it. */
		if ((uint16_t)val != 1)
			return;
		q->enabled = true;
		c->ops->enable_queue(c->opaque, c->queue_select, q);
		return;
	}
	if (off >= VPC_Q_USEDLO)
		addr = &q->device;
	else if (off >= VPC_Q_AVAILLO)
		addr = &q->driver;
	else
		addr = &q->desc;
	write_addr(addr, off & 4, size, val);
}

/* Whether [off, off + size) is exactly one writable register or half. */
static bool write_ok(uint32_t off, unsigned int size)
{
	switch (off) {
	case VPC_DFSELECT:
	case VPC_GFSELECT:
	case VPC_GF:
		return size == 4;
	case VPC_MSIX:
	case VPC_Q_SELECT:
	case VPC_Q_SIZE:
	case VPC_Q_MSIX:
	case VPC_Q_ENABLE:
		return size == 2;
	case VPC_STATUS:
		return size == 1;
	case VPC_Q_DESCLO:
	case VPC_Q_AVAILLO:
	case VPC_Q_USEDLO:
		return size == 4 || size == 8;
	case VPC_Q_DESCHI:
	case VPC_Q_AVAILHI:
	case VPC_Q_USEDHI:
		return size == 4;
	default:
		return false; /* read-only, reserved or not a register start */
	}
}

void vpc_write(struct vpc *c, uint32_t off, unsigned int size, uint64_t val)
{
	if (!write_ok(off, size))
		return;
	switch (off) {
	case VPC_DFSELECT:
		c->device_feature_select = (uint32_t)val;
		break;
	case VPC_GFSELECT:
		c->driver_feature_select = (uint32_t)val;
		break;
	case VPC_GF:
		write_driver_features(c, (uint32_t)val);
		break;
	case VPC_MSIX:
		LHV_WRITE_ONCE(c->config_msix_vector,
			       checked_vector(c, (uint16_t)val));
		break;
	case VPC_STATUS:
		write_status(c, (uint8_t)val);
		break;
	case VPC_Q_SELECT:
		c->queue_select = (uint16_t)val;
		break;
	default:
		write_queue(c, off, size, val);
		break;
	}
}
