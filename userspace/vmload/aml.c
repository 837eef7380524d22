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
 *     }
 *
 * COM1 has no interrupt: the UOS has no interrupt controller to route one
 * through, and Linux's 8250 driver polls a port without an IRQ. Naming it
 * here lets the serial driver claim it through PNP instead of guessing.
 */
#include "aml.h"

#include <string.h>

#include <lhv/vm_layout.h>

#define AML_ZERO 0x00
#define AML_NAME 0x08
#define AML_DWORD 0x0c
#define AML_BYTE 0x0a
#define AML_SCOPE 0x10
#define AML_BUFFER 0x11
#define AML_EXT 0x5b
#define AML_DEVICE 0x82
#define AML_ROOT '\\'

/* Small resource items (ACPI 6.5, 6.4.2). */
#define RES_IO 0x47 /* I/O port descriptor, 7 bytes of body */
#define RES_IO_DECODE16 0x01
#define RES_END 0x79 /* end tag, 1 byte of body: the checksum (0: none) */

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

static void emit_com1_crs(struct aml *a)
{
	const uint8_t res[] = {
		RES_IO,
		RES_IO_DECODE16,
		LHV_VM_COM1_PORT & 0xff,
		LHV_VM_COM1_PORT >> 8,
		LHV_VM_COM1_PORT & 0xff,
		LHV_VM_COM1_PORT >> 8,
		0x01, /* alignment */
		0x08, /* ports */
		RES_END,
		0x00,
	};
	const uint8_t op = AML_BUFFER;
	uint8_t tmp[32];
	struct aml b = { .p = tmp, .cap = sizeof(tmp) };

	emit1(&b, AML_BYTE);
	emit1(&b, sizeof(res));
	emit(&b, res, sizeof(res));
	emit_name(a, "_CRS");
	emit_pkg(a, &op, 1, &b);
}

size_t vml_dsdt_aml(uint8_t *buf, size_t cap)
{
	const uint8_t dev_op[] = { AML_EXT, AML_DEVICE }, scope_op = AML_SCOPE;
	const uint8_t sb[] = { AML_ROOT, '_', 'S', 'B', '_' };
	uint8_t dev_buf[96], scope_buf[128];
	struct aml dev = { .p = dev_buf, .cap = sizeof(dev_buf) };
	struct aml scope = { .p = scope_buf, .cap = sizeof(scope_buf) };
	struct aml out = { .p = buf, .cap = cap };

	emit(&dev, "COM1", 4);
	emit_name(&dev, "_HID");
	emit_eisaid(&dev, "PNP0501");
	emit_name(&dev, "_UID");
	emit1(&dev, AML_ZERO);
	emit_com1_crs(&dev);

	emit(&scope, sb, sizeof(sb));
	emit_pkg(&scope, dev_op, sizeof(dev_op), &dev);

	emit_pkg(&out, &scope_op, 1, &scope);
	return out.overflow ? 0 : out.len;
}
