// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * MSI-X table, PBA and vector delivery of a virtual PCI function
 * (vpci_msix.h).
 */
#include "vpci_msix.h"

static uint64_t all_ones(unsigned int size)
{
	return size == 4 ? 0xffffffffull : ~0ull;
}

/* Aligned dword or qword inside a region of len bytes. */
static bool access_ok(uint32_t off, unsigned int size, uint32_t len)
{
	return (size == 4 || size == 8) && !(off % size) && off < len &&
	       size <= len - off;
}

int vpci_msix_init(struct vpci_msix *m, unsigned int nr,
		   struct vpci_msix_entry *table, uint64_t *pba)
{
	if (!nr || nr > 2048)
		return -EINVAL;
	m->nr = nr;
	m->table = table;
	m->pba = pba;
	vpci_msix_reset(m);
	return 0;
}

void vpci_msix_reset(struct vpci_msix *m)
{
	unsigned int i;

	m->enabled = false;
	m->masked = false;
	for (i = 0; i < m->nr; i++) {
		m->table[i].addr_lo = 0;
		m->table[i].addr_hi = 0;
		m->table[i].data = 0;
		m->table[i].ctrl = VPCI_MSIX_ENTRY_MASKED;
	}
	memset(m->pba, 0, vpci_msix_pba_bytes(m->nr));
}

static uint32_t *entry_word(struct vpci_msix_entry *e, uint32_t off)
{
	switch (off) {
	case VPCI_MSIX_ENTRY_ADDR_LO:
		return &e->addr_lo;
	case VPCI_MSIX_ENTRY_ADDR_HI:
		return &e->addr_hi;
	case VPCI_MSIX_ENTRY_DATA:
		return &e->data;
	default:
		return &e->ctrl;
	}
}

static uint32_t read_dword(const struct vpci_msix *m, uint32_t off)
{
	struct vpci_msix_entry *e = &m->table[off / VPCI_MSIX_ENTRY_SIZE];

	return *entry_word(e, off % VPCI_MSIX_ENTRY_SIZE);
}

static void write_dword(struct vpci_msix *m, uint32_t off, uint32_t val)
{
	struct vpci_msix_entry *e = &m->table[off / VPCI_MSIX_ENTRY_SIZE];
	uint32_t reg = off % VPCI_MSIX_ENTRY_SIZE;

	if (reg == VPCI_MSIX_ENTRY_CTRL)
		val &= VPCI_MSIX_ENTRY_MASKED;
	*entry_word(e, reg) = val;
}

uint64_t vpci_msix_table_read(const struct vpci_msix *m, uint32_t off,
			      unsigned int size)
{
	if (!access_ok(off, size, vpci_msix_table_bytes(m->nr)))
		return all_ones(size);
	if (size == 4)
		return read_dword(m, off);
	return read_dword(m, off) | (uint64_t)read_dword(m, off + 4) << 32;
}

void vpci_msix_table_write(struct vpci_msix *m, uint32_t off, unsigned int size,
			   uint64_t val)
{
	if (!access_ok(off, size, vpci_msix_table_bytes(m->nr)))
		return;
	write_dword(m, off, (uint32_t)val);
	if (size == 8)
		write_dword(m, off + 4, (uint32_t)(val >> 32));
}

uint64_t vpci_msix_pba_read(const struct vpci_msix *m, uint32_t off,
			    unsigned int size)
{
	uint64_t word;

	if (!access_ok(off, size, vpci_msix_pba_bytes(m->nr)))
		return all_ones(size);
	word = m->pba[off / 8];
	if (size == 8)
		return word;
	return (uint32_t)(word >> (8 * (off % 8)));
}

void vpci_msix_set_control(struct vpci_msix *m, bool enabled, bool masked)
{
	m->enabled = enabled;
	m->masked = masked;
}

static bool vector_masked(const struct vpci_msix *m, unsigned int v)
{
	return m->masked || (m->table[v].ctrl & VPCI_MSIX_ENTRY_MASKED);
}

static void fill_msg(const struct vpci_msix *m, unsigned int v,
		     struct vpci_msix_msg *msg)
{
	msg->addr = (uint64_t)m->table[v].addr_hi << 32 | m->table[v].addr_lo;
	msg->data = m->table[v].data;
}

enum vpci_msix_fired vpci_msix_fire(struct vpci_msix *m, unsigned int vector,
				    struct vpci_msix_msg *msg)
{
	if (!m->enabled || vector >= m->nr)
		return VPCI_MSIX_DROPPED;
	if (vector_masked(m, vector)) {
		m->pba[vector / 64] |= 1ull << (vector % 64);
		return VPCI_MSIX_PENDING;
	}
	fill_msg(m, vector, msg);
	return VPCI_MSIX_DELIVER;
}

bool vpci_msix_take_ready(struct vpci_msix *m, unsigned int *vector,
			  struct vpci_msix_msg *msg)
{
	unsigned int w, b;

	if (!m->enabled || m->masked)
		return false;
	for (w = 0; w < vpci_msix_pba_words(m->nr); w++) {
		uint64_t bits = m->pba[w];

		while (bits) {
			unsigned int v;

			b = (unsigned int)__builtin_ctzll(bits);
			bits &= bits - 1;
			v = w * 64 + b;
			if (vector_masked(m, v))
				continue;
			m->pba[w] &= ~(1ull << b);
			fill_msg(m, v, msg);
			*vector = v;
			return true;
		}
	}
	return false;
}
