// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness for a virtual PCI function as lhv.ko builds a virtio
 * device (kmod/lib/vpci_cfg.c, vpci_msix.c, virtio_pci_common.c). The
 * input is a run of 12-byte records: op, size, a 16-bit offset and a
 * 64-bit value (little endian). Ops: config space read/write, MSI-X table
 * read/write, PBA read, common config read/write, fire a vector, drain the
 * deliverable vectors, reset. The virtio PCI_CFG window's BAR accesses go
 * to the MSI-X table and the common config, as in lhv.ko. After each step
 * the invariants are checked: identity and capability chain unchanged,
 * BAR type bits intact, BAR addresses aligned to their size, only
 * writable command bits set, delivered vectors unmasked and programmed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "virtio_pci_common.h"
#include "vpci_cfg.h"
#include "vpci_msix.h"
#include "vpci_example.h"

#define NR_QUEUES 4
#define NR_VECTORS (NR_QUEUES + 1)

static struct vpci_cfg cfg;
static struct vpci_msix msix;
static struct vpci_msix_entry table[NR_VECTORS];
static uint64_t pba[1];
static struct vpc common;
static struct vpc_queue queues[NR_QUEUES];
static uint8_t status;
static uint8_t initial[VPCI_CFG_HDR_SIZE];

static uint8_t get_status(void *opaque)
{
	(void)opaque;
	return status;
}

static void set_status(void *opaque, uint8_t s)
{
	(void)opaque;
	status = s;
}

static void set_driver_features(void *opaque, uint64_t f)
{
	(void)opaque;
	(void)f;
}

static void enable_queue(void *opaque, uint16_t q, const struct vpc_queue *vq)
{
	(void)opaque;
	if (q >= NR_QUEUES || !vq->enabled)
		abort();
}

static uint8_t config_generation(void *opaque)
{
	(void)opaque;
	return 0;
}

static const struct vpc_ops vpc_ops = {
	.get_status = get_status,
	.set_status = set_status,
	.set_driver_features = set_driver_features,
	.enable_queue = enable_queue,
	.config_generation = config_generation,
};

static void check_window(unsigned int bar, uint32_t off, unsigned int len)
{
	if ((len != 1 && len != 2 && len != 4) || off % len)
		abort();
	if (bar == MSIX_BAR ? off >= 0x2000
			    : bar != VIRTIO_BAR || off >= 0x4000)
		abort();
}

static uint32_t bar_read(void *opaque, unsigned int bar, uint32_t off,
			 unsigned int len)
{
	(void)opaque;
	check_window(bar, off, len);
	if (bar == MSIX_BAR)
		return (uint32_t)vpci_msix_table_read(&msix, off, len);
	return (uint32_t)vpc_read(&common, off, len);
}

static void bar_write(void *opaque, unsigned int bar, uint32_t off,
		      unsigned int len, uint32_t val)
{
	(void)opaque;
	check_window(bar, off, len);
	if (bar == MSIX_BAR)
		vpci_msix_table_write(&msix, off, len, val);
	else
		vpc_write(&common, off, len, val);
}

static const struct vpci_cfg_ops cfg_ops = {
	.bar_read = bar_read,
	.bar_write = bar_write,
};

static void build(void)
{
	if (vpci_cfg_init(&cfg, &vpci_example_desc, &cfg_ops, NULL) ||
	    vpci_cfg_add_virtio_cap(&cfg, VPCI_VIRTIO_CAP_COMMON, VIRTIO_BAR, 0,
				    VPC_LEN, 0) < 0 ||
	    vpci_cfg_add_virtio_cap(&cfg, VPCI_VIRTIO_CAP_NOTIFY, VIRTIO_BAR,
				    0x3000, 4 * NR_QUEUES, 4) < 0 ||
	    vpci_cfg_add_virtio_cap(&cfg, VPCI_VIRTIO_CAP_ISR, VIRTIO_BAR,
				    0x1000, 4, 0) < 0 ||
	    vpci_cfg_add_virtio_cap(&cfg, VPCI_VIRTIO_CAP_PCI_CFG, 0, 0, 0, 0) <
		    0 ||
	    vpci_cfg_add_msix_cap(&cfg, NR_VECTORS, MSIX_BAR, 0, MSIX_BAR,
				  0x1000) < 0 ||
	    vpci_cfg_set_bar(&cfg, MSIX_BAR, 0xc0100000) ||
	    vpci_cfg_set_bar(&cfg, VIRTIO_BAR, 0xc0104000))
		abort();
	vpci_cfg_save_reset(&cfg);
	memcpy(initial, cfg.data, sizeof(initial));
	if (vpci_msix_init(&msix, NR_VECTORS, table, pba) ||
	    vpc_init(&common, &vpc_ops, NULL, 0x100000000ull, NR_QUEUES, 256,
		     NR_VECTORS, queues))
		abort();
	status = 0;
}

static void sync_msix_control(void)
{
	bool en, mask;

	vpci_cfg_msix_control(&cfg, &en, &mask);
	vpci_msix_set_control(&msix, en, mask);
}

static void drain(void)
{
	struct vpci_msix_msg msg;
	unsigned int v, n = 0;

	while (vpci_msix_take_ready(&msix, &v, &msg)) {
		if (v >= NR_VECTORS || (table[v].ctrl & 1) || msix.masked ||
		    !msix.enabled || ++n > NR_VECTORS)
			abort();
	}
}

static void check_invariants(void)
{
	unsigned int i, pos, hops = 0;
	uint64_t addr, size;

	/* Identity, capability bodies and the list never change. */
	for (i = 0; i < VPCI_CFG_HDR_SIZE; i++) {
		if (cfg.wmask[i] == 0xff)
			continue;
		if ((cfg.data[i] & ~cfg.wmask[i]) !=
		    (initial[i] & ~cfg.wmask[i]))
			abort();
	}
	if (vpci_cfg_command(&cfg) &
	    ~(VPCI_CMD_MEMORY | VPCI_CMD_MASTER | VPCI_CMD_PARITY |
	      VPCI_CMD_SERR | VPCI_CMD_INTX_DISABLE))
		abort();
	for (i = 0; i < VPCI_NR_BARS; i++) {
		if (vpci_cfg_bar(&cfg, i, &addr, &size) && (addr & (size - 1)))
			abort();
	}
	for (pos = (uint8_t)vpci_cfg_read(&cfg, VPCI_CAP_PTR, 1); pos;
	     pos = (uint8_t)vpci_cfg_read(&cfg, pos + 1, 1))
		if (++hops > 8)
			abort();
	if (hops != 5)
		abort();
	if (pba[0] >> NR_VECTORS)
		abort();
}

static uint64_t get_le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vpci_msix_msg msg;

	build();
	for (; size >= 12; data += 12, size -= 12) {
		uint8_t op = data[0] % 9;
		unsigned int sz = data[1] % 10;
		uint32_t off = (uint32_t)get_le(data + 2, 2);
		uint64_t val = get_le(data + 4, 8);

		switch (op) {
		case 0:
			vpci_cfg_read(&cfg, off, sz);
			break;
		case 1:
			if (vpci_cfg_write(&cfg, off, sz, val) &
			    VPCI_CFG_EV_MSIX)
				sync_msix_control();
			break;
		case 2:
			vpci_msix_table_read(&msix, off, sz);
			break;
		case 3:
			vpci_msix_table_write(&msix, off, sz, val);
			break;
		case 4:
			vpci_msix_pba_read(&msix, off, sz);
			break;
		case 5:
			vpc_read(&common, off, sz);
			break;
		case 6:
			vpc_write(&common, off, sz, val);
			break;
		case 7:
			if (vpci_msix_fire(&msix, (unsigned int)val & 0xffff,
					   &msg) == VPCI_MSIX_DELIVER &&
			    ((unsigned int)(val & 0xffff) >= NR_VECTORS ||
			     (table[val & 0xffff].ctrl & 1)))
				abort();
			break;
		default:
			vpci_cfg_reset(&cfg);
			vpci_msix_reset(&msix);
			vpc_reset(&common);
			break;
		}
		drain();
		check_invariants();
	}
	return 0;
}
