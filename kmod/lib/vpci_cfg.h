/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * One virtual PCI function's configuration space (PCI Local Bus 3.0 type-0
 * header, capability list), as a guest reaches it through ECAM. Portable
 * core: the same code runs in lhv.ko, the unit tests and the fuzzer.
 *
 * Model: the first 256 bytes are a byte array with a mask of the bits the
 * guest may write; everything else (identity, capability bodies, BAR type
 * bits) is read-only by construction. A BAR's writable bits are its
 * address bits above its size, so an all-ones write reads back the size
 * mask as Linux's sizing expects. The extended space (0x100-0xfff) reads
 * as zeroes: the functions are conventional PCI (no PCI Express
 * capability), so Linux never looks there.
 *
 * Accesses: any offset below 4096 and 1 to 8 bytes, aligned or not, as
 * long as the access ends inside the 4 KiB; it is split into bytes, each
 * read or written by the rules above (config space is storage without
 * read side effects). An access past the end reads all ones and writes
 * nothing. The one active register is the virtio PCI_CFG access window
 * (VIRTIO 1.2 4.1.4.9): an access that starts at its pci_cfg_data byte
 * performs a BAR access through ops.
 *
 * No locking: the caller serialises all calls for one function.
 */
#ifndef LHV_LIB_VPCI_CFG_H
#define LHV_LIB_VPCI_CFG_H

#include "portable.h"

#define VPCI_CFG_SIZE 4096u
#define VPCI_CFG_HDR_SIZE 256u
#define VPCI_NR_BARS 6u
/* Smallest memory BAR we hand out (a page: Linux maps BARs per page). */
#define VPCI_BAR_MIN_SIZE 4096u

/* Header registers (PCI 3.0 6.1) used by the model and its callers. */
#define VPCI_VENDOR_ID 0x00
#define VPCI_DEVICE_ID 0x02
#define VPCI_COMMAND 0x04
#define VPCI_STATUS 0x06
#define VPCI_REVISION 0x08
#define VPCI_CLASS_PROG 0x09
#define VPCI_CACHE_LINE 0x0c
#define VPCI_HEADER_TYPE 0x0e
#define VPCI_BAR0 0x10
#define VPCI_SUBSYS_VENDOR 0x2c
#define VPCI_SUBSYS_ID 0x2e
#define VPCI_ROM 0x30
#define VPCI_CAP_PTR 0x34
#define VPCI_INT_LINE 0x3c
#define VPCI_INT_PIN 0x3d

#define VPCI_CMD_MEMORY 0x0002u
#define VPCI_CMD_MASTER 0x0004u
#define VPCI_CMD_PARITY 0x0040u
#define VPCI_CMD_SERR 0x0100u
#define VPCI_CMD_INTX_DISABLE 0x0400u
#define VPCI_STATUS_CAP_LIST 0x0010u

#define VPCI_BAR_MEM_TYPE_64 0x4u

/* Capability ids (PCI 3.0 appendix H). */
#define VPCI_CAP_ID_VNDR 0x09
#define VPCI_CAP_ID_MSIX 0x11
/* Capabilities are placed from here, 4-byte aligned. */
#define VPCI_CAP_START 0x40

/* MSI-X capability (PCI 3.0 6.8.2): registers relative to the cap. */
#define VPCI_MSIX_CTRL 2
#define VPCI_MSIX_TABLE 4
#define VPCI_MSIX_PBA 8
#define VPCI_MSIX_CAP_LEN 12
#define VPCI_MSIX_CTRL_ENABLE 0x8000u
#define VPCI_MSIX_CTRL_MASKALL 0x4000u
#define VPCI_MSIX_CTRL_SIZE 0x07ffu
#define VPCI_MSIX_MAX_VECTORS 2048u

/* Virtio vendor capability (VIRTIO 1.2 4.1.4): fields and types. */
#define VPCI_VIRTIO_CAP_LEN 16
#define VPCI_VIRTIO_CAP_CFG_TYPE 3
#define VPCI_VIRTIO_CAP_BAR 4
#define VPCI_VIRTIO_CAP_OFFSET 8
#define VPCI_VIRTIO_CAP_LENGTH 12
#define VPCI_VIRTIO_NOTIFY_MULT 16  /* notify cap: notify_off_multiplier */
#define VPCI_VIRTIO_PCI_CFG_DATA 16 /* pci_cfg cap: pci_cfg_data */
#define VPCI_VIRTIO_CAP_LONG_LEN 20 /* notify and pci_cfg caps */

#define VPCI_VIRTIO_CAP_COMMON 1
#define VPCI_VIRTIO_CAP_NOTIFY 2
#define VPCI_VIRTIO_CAP_ISR 3
#define VPCI_VIRTIO_CAP_DEVICE 4
#define VPCI_VIRTIO_CAP_PCI_CFG 5

enum vpci_bar_type {
	VPCI_BAR_NONE = 0,
	VPCI_BAR_MEM32, /* 32-bit memory BAR */
	VPCI_BAR_MEM64, /* 64-bit memory BAR: uses this BAR and the next */
};

struct vpci_bar_desc {
	uint8_t type;  /* enum vpci_bar_type */
	uint64_t size; /* power of 2, >= VPCI_BAR_MIN_SIZE */
};

/* What a function is: the read-only identity of its header. */
struct vpci_cfg_desc {
	uint16_t vendor, device;
	uint16_t subsys_vendor, subsys_id;
	uint32_t class_code; /* base class << 16 | subclass << 8 | prog-if */
	uint8_t revision;
	struct vpci_bar_desc bar[VPCI_NR_BARS];
};

/*
 * The virtio PCI_CFG window's BAR access: len is 1, 2 or 4, off is
 * aligned to len and the BAR is one the function has. Called with the
 * caller's serialisation held.
 */
struct vpci_cfg_ops {
	uint32_t (*bar_read)(void *opaque, unsigned int bar, uint32_t off,
			     unsigned int len);
	void (*bar_write)(void *opaque, unsigned int bar, uint32_t off,
			  unsigned int len, uint32_t val);
};

/* What a write changed, for the caller to act on (vpci_cfg_write). */
#define VPCI_CFG_EV_COMMAND 0x1u /* the command register */
#define VPCI_CFG_EV_BAR 0x2u	 /* a BAR's address */
#define VPCI_CFG_EV_MSIX 0x4u	 /* MSI-X enable or function mask */

struct vpci_cfg {
	uint8_t data[VPCI_CFG_HDR_SIZE];
	uint8_t wmask[VPCI_CFG_HDR_SIZE];
	uint8_t reset_data[VPCI_CFG_HDR_SIZE]; /* vpci_cfg_reset restores */
	uint64_t bar_size[VPCI_NR_BARS];
	uint8_t bar_type[VPCI_NR_BARS];
	uint16_t cap_next; /* where the next capability goes */
	uint8_t cap_last;  /* the last one's offset, 0 if none */
	uint8_t msix_cap;  /* 0 if none */
	uint8_t pci_cfg_cap;
	const struct vpci_cfg_ops *ops;
	void *opaque;
};

/*
 * A function with the identity and BARs of d, command 0, no capabilities
 * and BARs at address 0. -EINVAL if a BAR is not a power of 2 of at least
 * VPCI_BAR_MIN_SIZE, a 32-bit BAR is above 2 GiB, a 64-bit BAR is BAR 5
 * or its upper half is described too.
 */
int vpci_cfg_init(struct vpci_cfg *c, const struct vpci_cfg_desc *d,
		  const struct vpci_cfg_ops *ops, void *opaque);

/*
 * Appends a capability with id and len - 2 body bytes (id and next are
 * ours), all read-only. Returns its offset or -ENOSPC.
 */
int vpci_cfg_add_cap(struct vpci_cfg *c, uint8_t id, const uint8_t *body,
		     unsigned int len);
/*
 * A virtio capability (VIRTIO 1.2 4.1.4) of cfg_type for [off, off + len)
 * of bar; notify_mult only for VPCI_VIRTIO_CAP_NOTIFY. The PCI_CFG type
 * gets its bar, offset, length and pci_cfg_data fields writable (off and
 * len ignored). Returns the offset or a negative errno.
 */
int vpci_cfg_add_virtio_cap(struct vpci_cfg *c, uint8_t cfg_type, uint8_t bar,
			    uint32_t off, uint32_t len, uint32_t notify_mult);
/* The MSI-X capability: nr vectors (1..2048), table and PBA locations. */
int vpci_cfg_add_msix_cap(struct vpci_cfg *c, unsigned int nr,
			  uint8_t table_bar, uint32_t table_off,
			  uint8_t pba_bar, uint32_t pba_off);

/* Places BAR i at addr (aligned to its size); returns 0 or -EINVAL. */
int vpci_cfg_set_bar(struct vpci_cfg *c, unsigned int i, uint64_t addr);
/*
 * The state vpci_cfg_reset returns to is the present one (call after
 * the capabilities and the BAR placement).
 */
void vpci_cfg_save_reset(struct vpci_cfg *c);
void vpci_cfg_reset(struct vpci_cfg *c);

/* size bytes at off, little endian in the low bytes of the result. */
uint64_t vpci_cfg_read(struct vpci_cfg *c, uint32_t off, unsigned int size);
/* Returns VPCI_CFG_EV_* for what changed. */
unsigned int vpci_cfg_write(struct vpci_cfg *c, uint32_t off, unsigned int size,
			    uint64_t val);

uint16_t vpci_cfg_command(const struct vpci_cfg *c);
/*
 * Whether BAR i exists; if so its size and the address the guest (or
 * vpci_cfg_set_bar) programmed. While the guest sizes a BAR the address
 * reads as the size mask: callers decode only with memory decode on.
 */
bool vpci_cfg_bar(const struct vpci_cfg *c, unsigned int i, uint64_t *addr,
		  uint64_t *size);
/* MSI-X enable and function mask bits (false, false without MSI-X). */
void vpci_cfg_msix_control(const struct vpci_cfg *c, bool *enabled,
			   bool *masked);

#endif /* LHV_LIB_VPCI_CFG_H */
