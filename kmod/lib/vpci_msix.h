/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The MSI-X table and pending bit array of a virtual PCI function (PCI 3.0
 * 6.8.2), as the guest reaches them in a BAR, and the device's side:
 * firing a vector delivers its message or, while the vector or the whole
 * function is masked, sets its pending bit; unmasking a pending vector
 * delivers it then. Portable core.
 *
 * Accesses: the spec allows only aligned dword and qword accesses to the
 * table and the PBA; the model answers exactly those (a qword must be
 * qword aligned). Any other size or alignment reads all ones and writes
 * nothing. Of an entry's vector control only bit 0 (mask) is writable;
 * the PBA is read-only.
 *
 * No locking: the caller serialises all calls for one function (the
 * device fires from any context, so the caller uses a spinlock).
 */
#ifndef LHV_LIB_VPCI_MSIX_H
#define LHV_LIB_VPCI_MSIX_H

#include "portable.h"

#define VPCI_MSIX_ENTRY_SIZE 16u
#define VPCI_MSIX_ENTRY_ADDR_LO 0
#define VPCI_MSIX_ENTRY_ADDR_HI 4
#define VPCI_MSIX_ENTRY_DATA 8
#define VPCI_MSIX_ENTRY_CTRL 12
#define VPCI_MSIX_ENTRY_MASKED 0x1u

struct vpci_msix_entry {
	uint32_t addr_lo, addr_hi, data, ctrl;
};

struct vpci_msix_msg {
	uint64_t addr;
	uint32_t data;
};

struct vpci_msix {
	unsigned int nr;	       /* vectors, 1..2048 */
	bool enabled;		       /* MSI-X enable (capability) */
	bool masked;		       /* function mask (capability) */
	struct vpci_msix_entry *table; /* nr entries, the caller's */
	uint64_t *pba; /* vpci_msix_pba_words(nr), the caller's */
};

enum vpci_msix_fired {
	VPCI_MSIX_DROPPED, /* MSI-X off or no such vector: nothing to do */
	VPCI_MSIX_PENDING, /* masked: remembered in the PBA */
	VPCI_MSIX_DELIVER, /* send msg now */
};

static inline unsigned int vpci_msix_pba_words(unsigned int nr)
{
	return (nr + 63) / 64;
}

/* Table and PBA sizes in bytes as the BAR lays them out. */
static inline uint32_t vpci_msix_table_bytes(unsigned int nr)
{
	return nr * VPCI_MSIX_ENTRY_SIZE;
}

static inline uint32_t vpci_msix_pba_bytes(unsigned int nr)
{
	return vpci_msix_pba_words(nr) * 8;
}

/*
 * Takes table and pba (caller-allocated, sized for nr) and resets: every
 * vector masked with address and data 0, nothing pending, MSI-X off.
 * -EINVAL for nr outside 1..2048.
 */
int vpci_msix_init(struct vpci_msix *m, unsigned int nr,
		   struct vpci_msix_entry *table, uint64_t *pba);
void vpci_msix_reset(struct vpci_msix *m);

/* Guest accesses at off into the table or the PBA (see above). */
uint64_t vpci_msix_table_read(const struct vpci_msix *m, uint32_t off,
			      unsigned int size);
void vpci_msix_table_write(struct vpci_msix *m, uint32_t off, unsigned int size,
			   uint64_t val);
uint64_t vpci_msix_pba_read(const struct vpci_msix *m, uint32_t off,
			    unsigned int size);

/* The capability's enable and function mask bits changed. */
void vpci_msix_set_control(struct vpci_msix *m, bool enabled, bool masked);

/* The device raises vector; msg is filled for VPCI_MSIX_DELIVER. */
enum vpci_msix_fired vpci_msix_fire(struct vpci_msix *m, unsigned int vector,
				    struct vpci_msix_msg *msg);
/*
 * After any write or control change: takes one pending vector that may
 * now be delivered (clears its bit) into *vector and msg; false if none.
 * Call until it returns false.
 */
bool vpci_msix_take_ready(struct vpci_msix *m, unsigned int *vector,
			  struct vpci_msix_msg *msg);

#endif /* LHV_LIB_VPCI_MSIX_H */
