// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A virtual PCI function's configuration space (vpci_cfg.h): a byte array
 * with a writable-bit mask, BARs whose writable bits encode their size,
 * and a capability list built once at creation.
 */
#include "vpci_cfg.h"

/* Command bits a guest may set: no I/O space, no INTx line to disable. */
#define CMD_WRITABLE                                                           \
	(VPCI_CMD_MEMORY | VPCI_CMD_MASTER | VPCI_CMD_PARITY | VPCI_CMD_SERR | \
	 VPCI_CMD_INTX_DISABLE)

static void put8(uint8_t *p, unsigned int off, uint8_t v)
{
	p[off] = v;
}

static void put16(uint8_t *p, unsigned int off, uint16_t v)
{
	p[off] = (uint8_t)v;
	p[off + 1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, unsigned int off, uint32_t v)
{
	put16(p, off, (uint16_t)v);
	put16(p, off + 2, (uint16_t)(v >> 16));
}

static uint32_t get32(const uint8_t *p, unsigned int off)
{
	return (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 |
	       (uint32_t)p[off + 2] << 16 | (uint32_t)p[off + 3] << 24;
}

static bool is_pow2_u64(uint64_t v)
{
	return v && !(v & (v - 1));
}

static int check_bars(const struct vpci_cfg_desc *d)
{
	unsigned int i;

	for (i = 0; i < VPCI_NR_BARS; i++) {
		const struct vpci_bar_desc *b = &d->bar[i];

		if (b->type == VPCI_BAR_NONE)
			continue;
		if (b->type != VPCI_BAR_MEM32 && b->type != VPCI_BAR_MEM64)
			return -EINVAL;
		if (!is_pow2_u64(b->size) || b->size < VPCI_BAR_MIN_SIZE)
			return -EINVAL;
		if (b->type == VPCI_BAR_MEM32 && b->size > 0x80000000ull)
			return -EINVAL;
		if (b->type == VPCI_BAR_MEM64) {
			/* The upper half is the next BAR, which must be free. */
			if (i + 1 >= VPCI_NR_BARS ||
			    d->bar[i + 1].type != VPCI_BAR_NONE)
				return -EINVAL;
			i++;
		}
	}
	return 0;
}

/* BAR i's writable address bits: everything above its size. */
static void init_bar(struct vpci_cfg *c, unsigned int i,
		     const struct vpci_bar_desc *b)
{
	unsigned int reg = VPCI_BAR0 + 4 * i;
	uint64_t mask = ~(b->size - 1);

	c->bar_size[i] = b->size;
	c->bar_type[i] = b->type;
	if (b->type == VPCI_BAR_MEM64) {
		put32(c->data, reg, VPCI_BAR_MEM_TYPE_64);
		put32(c->wmask, reg, (uint32_t)mask);
		put32(c->wmask, reg + 4, (uint32_t)(mask >> 32));
	} else {
		put32(c->wmask, reg, (uint32_t)mask);
	}
}

int vpci_cfg_init(struct vpci_cfg *c, const struct vpci_cfg_desc *d,
		  const struct vpci_cfg_ops *ops, void *opaque)
{
	unsigned int i;

	if (check_bars(d))
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->ops = ops;
	c->opaque = opaque;
	c->cap_next = VPCI_CAP_START;

	put16(c->data, VPCI_VENDOR_ID, d->vendor);
	put16(c->data, VPCI_DEVICE_ID, d->device);
	put8(c->data, VPCI_REVISION, d->revision);
	put8(c->data, VPCI_CLASS_PROG, (uint8_t)d->class_code);
	put16(c->data, VPCI_CLASS_PROG + 1, (uint16_t)(d->class_code >> 8));
	put16(c->data, VPCI_SUBSYS_VENDOR, d->subsys_vendor);
	put16(c->data, VPCI_SUBSYS_ID, d->subsys_id);
	put16(c->wmask, VPCI_COMMAND, CMD_WRITABLE);
	put8(c->wmask, VPCI_CACHE_LINE, 0xff);
	put8(c->wmask, VPCI_INT_LINE, 0xff);
	/* Interrupt pin 0: MSI-X only, no INTx. Header type 0, one function. */
	for (i = 0; i < VPCI_NR_BARS; i++) {
		if (d->bar[i].type == VPCI_BAR_NONE)
			continue;
		init_bar(c, i, &d->bar[i]);
		if (d->bar[i].type == VPCI_BAR_MEM64)
			i++;
	}
	vpci_cfg_save_reset(c);
	return 0;
}

int vpci_cfg_add_cap(struct vpci_cfg *c, uint8_t id, const uint8_t *body,
		     unsigned int len)
{
	unsigned int at = c->cap_next;

	if (len < 2 || len > VPCI_CFG_HDR_SIZE - at)
		return -ENOSPC;
	put8(c->data, at, id);
	put8(c->data, at + 1, 0);
	if (len > 2)
		memcpy(&c->data[at + 2], body, len - 2);
	if (c->cap_last)
		put8(c->data, c->cap_last + 1, (uint8_t)at);
	else
		put8(c->data, VPCI_CAP_PTR, (uint8_t)at);
	put16(c->data, VPCI_STATUS, VPCI_STATUS_CAP_LIST);
	c->cap_last = (uint8_t)at;
	c->cap_next = (uint16_t)((at + len + 3) & ~3u);
	return (int)at;
}

int vpci_cfg_add_virtio_cap(struct vpci_cfg *c, uint8_t cfg_type, uint8_t bar,
			    uint32_t off, uint32_t len, uint32_t notify_mult)
{
	uint8_t body[VPCI_VIRTIO_CAP_LONG_LEN - 2] = { 0 };
	unsigned int cap_len = VPCI_VIRTIO_CAP_LEN;
	bool pci_cfg = cfg_type == VPCI_VIRTIO_CAP_PCI_CFG;
	int at;

	if (cfg_type < VPCI_VIRTIO_CAP_COMMON ||
	    cfg_type > VPCI_VIRTIO_CAP_PCI_CFG || (pci_cfg && c->pci_cfg_cap))
		return -EINVAL;
	if (!pci_cfg &&
	    (bar >= VPCI_NR_BARS || c->bar_type[bar] == VPCI_BAR_NONE ||
	     off > c->bar_size[bar] || len > c->bar_size[bar] - off))
		return -EINVAL;
	if (pci_cfg)
		bar = off = len = 0;
	if (cfg_type == VPCI_VIRTIO_CAP_NOTIFY || pci_cfg)
		cap_len = VPCI_VIRTIO_CAP_LONG_LEN;
	/* body[k] is the cap's byte k + 2. */
	body[0] = (uint8_t)cap_len;
	body[VPCI_VIRTIO_CAP_CFG_TYPE - 2] = cfg_type;
	body[VPCI_VIRTIO_CAP_BAR - 2] = bar;
	put32(body, VPCI_VIRTIO_CAP_OFFSET - 2, off);
	put32(body, VPCI_VIRTIO_CAP_LENGTH - 2, len);
	if (cfg_type == VPCI_VIRTIO_CAP_NOTIFY)
		put32(body, VPCI_VIRTIO_NOTIFY_MULT - 2, notify_mult);
	at = vpci_cfg_add_cap(c, VPCI_CAP_ID_VNDR, body, cap_len);
	if (at < 0 || !pci_cfg)
		return at;
	c->pci_cfg_cap = (uint8_t)at;
	put8(c->wmask, at + VPCI_VIRTIO_CAP_BAR, 0xff);
	put32(c->wmask, at + VPCI_VIRTIO_CAP_OFFSET, 0xffffffff);
	put32(c->wmask, at + VPCI_VIRTIO_CAP_LENGTH, 0xffffffff);
	put32(c->wmask, at + VPCI_VIRTIO_PCI_CFG_DATA, 0xffffffff);
	return at;
}

int vpci_cfg_add_msix_cap(struct vpci_cfg *c, unsigned int nr,
			  uint8_t table_bar, uint32_t table_off,
			  uint8_t pba_bar, uint32_t pba_off)
{
	uint8_t body[VPCI_MSIX_CAP_LEN - 2];
	int at;

	if (!nr || nr > VPCI_MSIX_MAX_VECTORS || c->msix_cap ||
	    table_bar >= VPCI_NR_BARS || pba_bar >= VPCI_NR_BARS ||
	    c->bar_type[table_bar] == VPCI_BAR_NONE ||
	    c->bar_type[pba_bar] == VPCI_BAR_NONE || (table_off & 7) ||
	    (pba_off & 7))
		return -EINVAL;
	put16(body, VPCI_MSIX_CTRL - 2, (uint16_t)(nr - 1));
	put32(body, VPCI_MSIX_TABLE - 2, table_off | table_bar);
	put32(body, VPCI_MSIX_PBA - 2, pba_off | pba_bar);
	at = vpci_cfg_add_cap(c, VPCI_CAP_ID_MSIX, body, sizeof(body) + 2);
	if (at < 0)
		return at;
	c->msix_cap = (uint8_t)at;
	put16(c->wmask, at + VPCI_MSIX_CTRL,
	      VPCI_MSIX_CTRL_ENABLE | VPCI_MSIX_CTRL_MASKALL);
	return at;
}

int vpci_cfg_set_bar(struct vpci_cfg *c, unsigned int i, uint64_t addr)
{
	unsigned int reg = VPCI_BAR0 + 4 * i;
	uint32_t lo;

	if (i >= VPCI_NR_BARS || c->bar_type[i] == VPCI_BAR_NONE ||
	    (addr & (c->bar_size[i] - 1)) ||
	    (c->bar_type[i] == VPCI_BAR_MEM32 && addr >> 32))
		return -EINVAL;
	lo = get32(c->data, reg) & ~get32(c->wmask, reg);
	put32(c->data, reg, lo | (uint32_t)addr);
	if (c->bar_type[i] == VPCI_BAR_MEM64)
		put32(c->data, reg + 4, (uint32_t)(addr >> 32));
	return 0;
}

void vpci_cfg_save_reset(struct vpci_cfg *c)
{
	memcpy(c->reset_data, c->data, sizeof(c->data));
}

void vpci_cfg_reset(struct vpci_cfg *c)
{
	memcpy(c->data, c->reset_data, sizeof(c->data));
}

/* Whether the access [off, off + size) starts at the PCI_CFG data window. */
static bool at_pci_cfg_data(const struct vpci_cfg *c, uint32_t off)
{
	return c->pci_cfg_cap &&
	       off == c->pci_cfg_cap + (uint32_t)VPCI_VIRTIO_PCI_CFG_DATA;
}

/*
 * The window's BAR access, if its fields describe a valid one: length 1,
 * 2 or 4, offset aligned to it and inside the BAR, a BAR that exists.
 */
static bool pci_cfg_target(const struct vpci_cfg *c, unsigned int *bar,
			   uint32_t *off, unsigned int *len)
{
	unsigned int cap = c->pci_cfg_cap;

	*bar = c->data[cap + VPCI_VIRTIO_CAP_BAR];
	*off = get32(c->data, cap + VPCI_VIRTIO_CAP_OFFSET);
	*len = get32(c->data, cap + VPCI_VIRTIO_CAP_LENGTH);
	if (*len != 1 && *len != 2 && *len != 4)
		return false;
	if (*bar >= VPCI_NR_BARS || c->bar_type[*bar] == VPCI_BAR_NONE)
		return false;
	return !(*off % *len) && *off < c->bar_size[*bar] &&
	       *len <= c->bar_size[*bar] - *off;
}

static void pci_cfg_read(struct vpci_cfg *c)
{
	unsigned int bar, len;
	uint32_t off, val;

	if (!c->ops || !pci_cfg_target(c, &bar, &off, &len))
		return;
	val = c->ops->bar_read(c->opaque, bar, off, len);
	if (len < 4)
		val &= (1u << (8 * len)) - 1;
	put32(c->data, c->pci_cfg_cap + VPCI_VIRTIO_PCI_CFG_DATA, val);
}

static void pci_cfg_write(struct vpci_cfg *c)
{
	unsigned int bar, len;
	uint32_t off, val;

	if (!c->ops || !pci_cfg_target(c, &bar, &off, &len))
		return;
	val = get32(c->data, c->pci_cfg_cap + VPCI_VIRTIO_PCI_CFG_DATA);
	if (len < 4)
		val &= (1u << (8 * len)) - 1;
	c->ops->bar_write(c->opaque, bar, off, len, val);
}

static uint64_t all_ones(unsigned int size)
{
	return size >= 1 && size < 8 ? (1ull << (8 * size)) - 1 : ~0ull;
}

static bool access_ok(uint32_t off, unsigned int size)
{
	return size >= 1 && size <= 8 && off < VPCI_CFG_SIZE &&
	       size <= VPCI_CFG_SIZE - off;
}

uint64_t vpci_cfg_read(struct vpci_cfg *c, uint32_t off, unsigned int size)
{
	uint64_t val = 0;
	unsigned int i;

	if (!access_ok(off, size))
		return all_ones(size);
	if (at_pci_cfg_data(c, off))
		pci_cfg_read(c);
	for (i = 0; i < size; i++) {
		uint32_t o = off + i;
		uint8_t b = o < VPCI_CFG_HDR_SIZE ? c->data[o] : 0;

		val |= (uint64_t)b << (8 * i);
	}
	return val;
}

/* Which registers the bytes [off, off + size) touch. */
static bool touches(uint32_t off, unsigned int size, uint32_t reg,
		    unsigned int len)
{
	return off < reg + len && reg < off + size;
}

static unsigned int write_events(const struct vpci_cfg *c, uint32_t off,
				 unsigned int size)
{
	unsigned int ev = 0;

	if (touches(off, size, VPCI_COMMAND, 2))
		ev |= VPCI_CFG_EV_COMMAND;
	if (touches(off, size, VPCI_BAR0, 4 * VPCI_NR_BARS))
		ev |= VPCI_CFG_EV_BAR;
	if (c->msix_cap && touches(off, size, c->msix_cap + VPCI_MSIX_CTRL, 2))
		ev |= VPCI_CFG_EV_MSIX;
	return ev;
}

unsigned int vpci_cfg_write(struct vpci_cfg *c, uint32_t off, unsigned int size,
			    uint64_t val)
{
	unsigned int i, changed = 0;

	if (!access_ok(off, size))
		return 0;
	for (i = 0; i < size; i++) {
		uint32_t o = off + i;
		uint8_t old, b = (uint8_t)(val >> (8 * i));

		if (o >= VPCI_CFG_HDR_SIZE)
			break;
		old = c->data[o];
		c->data[o] =
			(uint8_t)((old & ~c->wmask[o]) | (b & c->wmask[o]));
		changed |= old != c->data[o];
	}
	if (at_pci_cfg_data(c, off))
		pci_cfg_write(c);
	return changed ? write_events(c, off, size) : 0;
}

uint16_t vpci_cfg_command(const struct vpci_cfg *c)
{
	return (uint16_t)(c->data[VPCI_COMMAND] | c->data[VPCI_COMMAND + 1]
							  << 8);
}

bool vpci_cfg_bar(const struct vpci_cfg *c, unsigned int i, uint64_t *addr,
		  uint64_t *size)
{
	unsigned int reg = VPCI_BAR0 + 4 * i;
	uint64_t a;

	if (i >= VPCI_NR_BARS || c->bar_type[i] == VPCI_BAR_NONE)
		return false;
	a = get32(c->data, reg) & ~0xfull;
	if (c->bar_type[i] == VPCI_BAR_MEM64)
		a |= (uint64_t)get32(c->data, reg + 4) << 32;
	*addr = a;
	*size = c->bar_size[i];
	return true;
}

void vpci_cfg_msix_control(const struct vpci_cfg *c, bool *enabled,
			   bool *masked)
{
	uint16_t ctrl = 0;

	if (c->msix_cap)
		ctrl = (uint16_t)(c->data[c->msix_cap + VPCI_MSIX_CTRL] |
				  c->data[c->msix_cap + VPCI_MSIX_CTRL + 1]
					  << 8);
	*enabled = ctrl & VPCI_MSIX_CTRL_ENABLE;
	*masked = ctrl & VPCI_MSIX_CTRL_MASKALL;
}
