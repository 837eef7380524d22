// SPDX-License-Identifier: BSD-3-Clause
/*
 * The DSDT's AML. It is what iasl makes of
 *
 *     Scope (\_SB) {
 *         Device (COM1) {
 *             Name (_HID, EisaId ("PNP0501"))
 *             Name (_UID, Zero)
 *             Name (_CRS, ResourceTemplate () {
 *                 IO (Decode16, 0x03F8, 0x03F8, 0x01, 0x08)
 *             })
 *         }
 *         Device (COM2) {
 *             Name (_HID, EisaId ("PNP0501"))
 *             Name (_UID, One)
 *             Name (_CRS, ResourceTemplate () {
 *                 IO (Decode16, 0x02F8, 0x02F8, 0x01, 0x08)
 *             })
 *         }
 *         Device (PEVT) {
 *             Name (_HID, "QEMU0001")
 *             Name (_CRS, ResourceTemplate () {
 *                 IO (Decode16, 0x0505, 0x0505, 0x01, 0x01)
 *             })
 *         }
 *         Device (PCI0) {
 *             Name (_HID, EisaId ("PNP0A08"))
 *             Name (_CID, EisaId ("PNP0A03"))
 *             Name (_SEG, Zero)
 *             Name (_UID, Zero)
 *             Name (_BBN, Zero)
 *             Name (_CRS, ResourceTemplate () {
 *                 WordBusNumber (ResourceProducer, MinFixed, MaxFixed,
 *                     PosDecode, 0, 0, LAST, 0, LAST + 1)
 *                 DWordMemory (ResourceProducer, PosDecode, MinFixed,
 *                     MaxFixed, NonCacheable, ReadWrite, 0, MMIO32 window)
 *                 QWordMemory (ResourceProducer, PosDecode, MinFixed,
 *                     MaxFixed, NonCacheable, ReadWrite, 0, MMIO64 window)
 *             })
 *         }
 *         Device (ECAM) {
 *             Name (_HID, EisaId ("PNP0C02"))
 *             Name (_CRS, ResourceTemplate () {
 *                 Memory32Fixed (ReadWrite, ECAM base, 1 MiB per bus)
 *             })
 *         }
 *     }
 *     Name (\_S5, Package (0x02) { 0x05, 0x05 })
 *
 * The UARTs have no interrupt: the UOS has no interrupt controller to
 * route one through, and Linux's 8250 driver polls a port without an IRQ.
 * Naming them here lets the serial driver claim them through PNP instead
 * of guessing IRQ 4 and 3. COM2 is the lifecycle channel (docs/uvm.md).
 * PEVT is the pvpanic device (pvpanic-mmio binds QEMU0001 with an I/O
 * resource). \_S5 gives the SLP_TYP that the FADT's sleep control
 * register takes for poweroff.
 *
 * PCI0 is the root of the virtual PCI segment (MCFG gives its ECAM): its
 * _CRS gives Linux the bus range and the windows lhv.ko places BARs in,
 * so Linux keeps those BARs. No I/O window (no I/O BARs), no _PRT (no
 * INTx), no _OSC (Linux then leaves the PCIe services alone). ECAM is the
 * motherboard resource (PNP0C02) that reserves the ECAM of the buses in
 * MCFG: Linux 6.1 uses MCFG only when such a device covers it.
 */
#include "aml.h"

#include <string.h>

#include <lhv/vm_layout.h>

#define AML_ZERO 0x00
#define AML_ONE 0x01
#define AML_NAME 0x08
#define AML_DWORD 0x0c
#define AML_BYTE 0x0a
#define AML_STRING 0x0d
#define AML_PACKAGE 0x12
#define AML_SCOPE 0x10
#define AML_BUFFER 0x11
#define AML_EXT 0x5b
#define AML_DEVICE 0x82
#define AML_ROOT '\\'

/* Small resource items (ACPI 6.5, 6.4.2). */
#define RES_IO 0x47 /* I/O port descriptor, 7 bytes of body */
#define RES_IO_DECODE16 0x01
#define RES_END 0x79 /* end tag, 1 byte of body: the checksum (0: none) */

/* Large resource items (6.4.3): tag, 16-bit body length, body. */
#define RES_MEM32_FIXED 0x86 /* 9 bytes of body */
#define RES_DWORD_SPACE 0x87 /* 23 */
#define RES_WORD_SPACE 0x88  /* 13 */
#define RES_QWORD_SPACE 0x8a /* 43 */
/* Address space descriptors: resource type, general and type flags. */
#define RES_SPACE_MEMORY 0
#define RES_SPACE_BUS 2
/* A window the bridge decodes: producer, positive decode, fixed ends. */
#define RES_WINDOW_FLAGS 0x0c /* _MAF | _MIF */
#define RES_MEM_RW 0x01	      /* ReadWrite, NonCacheable */
/* A resource template's bytes: at most what the PCI0 _CRS needs. */
#define RES_MAX 96

struct aml {
	uint8_t *p;
	size_t len, cap;
	int overflow;
};

static void emit(struct aml *a, const void *src, size_t n)
{
	if (a->overflow || n > a->cap - a->len) {
		a->overflow = 1;
		return;
	}
	memcpy(a->p + a->len, src, n);
	a->len += n;
}

static void emit1(struct aml *a, uint8_t b)
{
	emit(a, &b, 1);
}

/*
 * PkgLength (20.2.4) of a package whose contents after the PkgLength are
 * n bytes: the count includes the PkgLength's own bytes.
 */
static void emit_pkglen(struct aml *a, size_t n)
{
	size_t total;

	if (n + 1 <= 0x3f) {
		emit1(a, (uint8_t)(n + 1));
		return;
	}
	if (n + 2 <= 0xfff) {
		total = n + 2;
		emit1(a, (uint8_t)(0x40 | (total & 0xf)));
		emit1(a, (uint8_t)(total >> 4));
		return;
	}
	total = n + 3;
	emit1(a, (uint8_t)(0x80 | (total & 0xf)));
	emit1(a, (uint8_t)(total >> 4));
	emit1(a, (uint8_t)(total >> 12));
}

/* op, PkgLength, then body: the shape of Scope, Device and Buffer. */
static void emit_pkg(struct aml *a, const uint8_t *op, size_t oplen,
		     const struct aml *body)
{
	if (body->overflow) {
		a->overflow = 1;
		return;
	}
	emit(a, op, oplen);
	emit_pkglen(a, body->len);
	emit(a, body->p, body->len);
}

static void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void emit_name(struct aml *a, const char seg[4])
{
	emit1(a, AML_NAME);
	emit(a, seg, 4);
}

/* EisaId("PNP0501"): three 5-bit letters, then four hex digits. */
static void emit_eisaid(struct aml *a, const char id[7])
{
	unsigned int hi = (unsigned int)(id[0] - '@') << 10 |
			  (unsigned int)(id[1] - '@') << 5 |
			  (unsigned int)(id[2] - '@');
	unsigned int lo = 0;
	int i;

	for (i = 3; i < 7; i++)
		lo = lo << 4 | (unsigned int)(id[i] <= '9' ? id[i] - '0'
							   : id[i] - 'A' + 10);
	emit1(a, AML_DWORD);
	/* Stored as big-endian halves: the bytes read "41 d0 05 01". */
	emit1(a, (uint8_t)(hi >> 8));
	emit1(a, (uint8_t)hi);
	emit1(a, (uint8_t)(lo >> 8));
	emit1(a, (uint8_t)lo);
}

/* A small integer as iasl writes it: Zero, One or a ByteConst. */
static void emit_small_int(struct aml *a, uint8_t v)
{
	if (v > AML_ONE)
		emit1(a, AML_BYTE);
	emit1(a, v);
}

/*
 * Name (_CRS, ResourceTemplate () { res }): res[0..n) are the descriptors,
 * the end tag is added.
 */
static void emit_crs(struct aml *a, const uint8_t *res, size_t n)
{
	const uint8_t op = AML_BUFFER;
	uint8_t tmp[RES_MAX + 8];
	struct aml b = { .p = tmp, .cap = sizeof(tmp) };

	if (n + 2 > 0xff) {
		a->overflow = 1;
		return;
	}
	emit1(&b, AML_BYTE);
	emit1(&b, (uint8_t)(n + 2));
	emit(&b, res, n);
	emit1(&b, RES_END);
	emit1(&b, 0x00);
	emit_name(a, "_CRS");
	emit_pkg(a, &op, 1, &b);
}

/* Name (_CRS, ResourceTemplate () { IO (Decode16, port, port, 1, len) }) */
static void emit_io_crs(struct aml *a, uint16_t port, uint8_t len)
{
	const uint8_t res[] = {
		RES_IO,	       RES_IO_DECODE16,
		(uint8_t)port, (uint8_t)(port >> 8),
		(uint8_t)port, (uint8_t)(port >> 8),
		0x01, /* alignment */
		len,  /* ports */
	};

	emit_crs(a, res, sizeof(res));
}

static const uint8_t dev_op[] = { AML_EXT, AML_DEVICE };

/* Device (name) { _HID PNP0501, _UID uid, _CRS: eight ports, no IRQ } */
static void emit_uart(struct aml *a, const char name[4], uint16_t port,
		      uint8_t uid)
{
	uint8_t buf[64];
	struct aml dev = { .p = buf, .cap = sizeof(buf) };

	emit(&dev, name, 4);
	emit_name(&dev, "_HID");
	emit_eisaid(&dev, "PNP0501");
	emit_name(&dev, "_UID");
	emit_small_int(&dev, uid);
	emit_io_crs(&dev, port, 8);
	emit_pkg(a, dev_op, sizeof(dev_op), &dev);
}

/* Device (PEVT) { _HID "QEMU0001", _CRS: the one pvpanic port } */
static void emit_pvpanic(struct aml *a)
{
	static const char hid[] = "QEMU0001";
	uint8_t buf[64];
	struct aml dev = { .p = buf, .cap = sizeof(buf) };

	emit(&dev, "PEVT", 4);
	emit_name(&dev, "_HID");
	emit1(&dev, AML_STRING);
	emit(&dev, hid, sizeof(hid)); /* NUL included */
	emit_io_crs(&dev, LHV_VM_PVPANIC_PORT, 1);
	emit_pkg(a, dev_op, sizeof(dev_op), &dev);
}

/*
 * A Word, DWord or QWord address space descriptor (6.4.3.5.1-3) of a
 * bridge window [min, min + len): granularity and translation 0. Each
 * field is w bytes wide; the body is 3 + 5 * w bytes.
 */
static size_t put_window(uint8_t *p, uint8_t tag, unsigned int w, uint8_t type,
			 uint8_t type_flags, uint64_t min, uint64_t len)
{
	size_t body = 3 + 5 * (size_t)w;

	memset(p, 0, 3 + body);
	p[0] = tag;
	put_le(p + 1, body, 2);
	p[3] = type;
	p[4] = RES_WINDOW_FLAGS;
	p[5] = type_flags;
	put_le(p + 6 + w, min, w);		 /* _MIN */
	put_le(p + 6 + 2 * w, min + len - 1, w); /* _MAX */
	put_le(p + 6 + 4 * w, len, w);		 /* _LEN */
	return 3 + body;
}

/* Device (PCI0): the root bridge of segment 0 with its bus and windows. */
static void emit_pci_root(struct aml *a)
{
	uint8_t res[RES_MAX], buf[192];
	struct aml dev = { .p = buf, .cap = sizeof(buf) };
	size_t n = 0;

	n += put_window(res + n, RES_WORD_SPACE, 2, RES_SPACE_BUS, 0, 0,
			LHV_VM_ECAM_BUS_LAST + 1);
	n += put_window(res + n, RES_DWORD_SPACE, 4, RES_SPACE_MEMORY,
			RES_MEM_RW, LHV_VM_MMIO32_BASE, LHV_VM_MMIO32_SIZE);
	n += put_window(res + n, RES_QWORD_SPACE, 8, RES_SPACE_MEMORY,
			RES_MEM_RW, LHV_VM_MMIO64_BASE, LHV_VM_MMIO64_SIZE);

	emit(&dev, "PCI0", 4);
	emit_name(&dev, "_HID");
	emit_eisaid(&dev, "PNP0A08");
	emit_name(&dev, "_CID");
	emit_eisaid(&dev, "PNP0A03");
	emit_name(&dev, "_SEG");
	emit_small_int(&dev, 0);
	emit_name(&dev, "_UID");
	emit_small_int(&dev, 0);
	emit_name(&dev, "_BBN");
	emit_small_int(&dev, 0);
	emit_crs(&dev, res, n);
	emit_pkg(a, dev_op, sizeof(dev_op), &dev);
}

/* Device (ECAM): PNP0C02 reserving the ECAM of the buses MCFG lists. */
static void emit_ecam_reservation(struct aml *a)
{
	uint8_t res[12] = { RES_MEM32_FIXED, 9, 0, RES_MEM_RW };
	uint8_t buf[64];
	struct aml dev = { .p = buf, .cap = sizeof(buf) };

	put_le(res + 4, LHV_VM_ECAM_BASE, 4);
	put_le(res + 8, (LHV_VM_ECAM_BUS_LAST + 1) << 20, 4);
	emit(&dev, "ECAM", 4);
	emit_name(&dev, "_HID");
	emit_eisaid(&dev, "PNP0C02");
	emit_crs(&dev, res, sizeof(res));
	emit_pkg(a, dev_op, sizeof(dev_op), &dev);
}

/* Name (\_S5, Package (2) { SLP_TYPa, SLP_TYPb }) at the root. */
static void emit_s5(struct aml *a)
{
	const uint8_t name[] = { AML_ROOT, '_', 'S', '5', '_' };
	const uint8_t op = AML_PACKAGE;
	uint8_t buf[16];
	struct aml pkg = { .p = buf, .cap = sizeof(buf) };

	emit1(&pkg, 2); /* NumElements */
	emit_small_int(&pkg, LHV_VM_S5_TYPE);
	emit_small_int(&pkg, LHV_VM_S5_TYPE);
	emit1(a, AML_NAME);
	emit(a, name, sizeof(name));
	emit_pkg(a, &op, 1, &pkg);
}

size_t vml_dsdt_aml(uint8_t *buf, size_t cap)
{
	const uint8_t scope_op = AML_SCOPE;
	const uint8_t sb[] = { AML_ROOT, '_', 'S', 'B', '_' };
	uint8_t scope_buf[512];
	struct aml scope = { .p = scope_buf, .cap = sizeof(scope_buf) };
	struct aml out = { .p = buf, .cap = cap };

	emit(&scope, sb, sizeof(sb));
	emit_uart(&scope, "COM1", LHV_VM_COM1_PORT, 0);
	emit_uart(&scope, "COM2", LHV_VM_COM2_PORT, 1);
	emit_pvpanic(&scope);
	emit_pci_root(&scope);
	emit_ecam_reservation(&scope);

	emit_pkg(&out, &scope_op, 1, &scope);
	emit_s5(&out);
	return out.overflow ? 0 : out.len;
}
