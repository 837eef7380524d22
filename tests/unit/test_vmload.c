// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests for the UOS image builder (userspace/vmload/): a synthetic
 * bzImage placed into guest memory and every structure read back the way
 * the guest will read it (page table walks, GDT descriptors, the zero
 * page, each ACPI table), hostile setup headers one field at a time,
 * objects that do not fit, and Debian's own kernels when the test cache
 * holds them (skipped otherwise).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glob.h>
#include <sys/mman.h>

#include "synth_bzimage.h"
#include "verify.h"
#include "vmload.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)
#define PM_SIZE 0x10000u
#define INIT_SIZE 0x400000u

static uint8_t kernel[SYNTH_SETUP_SIZE + PM_SIZE];
static size_t kernel_len;
static const uint32_t ids4[] = { 0, 1, 2, 3 };

struct vm {
	struct vml_mem m;
	struct vml_config c;
	struct vml_result r;
	struct vml_err err;
};

static void vm_init(struct vm *v, uint64_t ram)
{
	int n, i;

	memset(v, 0, sizeof(*v));
	n = vml_ram_ranges(ram, v->m.range, &v->err);
	assert_true(n > 0);
	v->m.nr_ranges = (unsigned int)n;
	for (i = 0; i < n; i++) {
		v->m.range[i].host = mmap(
			NULL, v->m.range[i].size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		assert_true(v->m.range[i].host != MAP_FAILED);
	}
	kernel_len = synth_bzimage(kernel, PM_SIZE, INIT_SIZE);
	v->c.kernel = kernel;
	v->c.kernel_size = kernel_len;
	v->c.apic_ids = ids4;
	v->c.nr_cpus = 1;
}

static void vm_free(struct vm *v)
{
	unsigned int i;

	for (i = 0; i < v->m.nr_ranges; i++)
		munmap(v->m.range[i].host, v->m.range[i].size);
}

static uint8_t *gpa(struct vm *v, uint64_t a)
{
	unsigned int i;

	for (i = 0; i < v->m.nr_ranges; i++)
		if (a >= v->m.range[i].gpa &&
		    a < v->m.range[i].gpa + v->m.range[i].size)
			return v->m.range[i].host + (a - v->m.range[i].gpa);
	fail_msg("gpa 0x%llx is not RAM", (unsigned long long)a);
	return NULL;
}

static uint64_t rd64(struct vm *v, uint64_t a)
{
	return vml_get64(gpa(v, a));
}

/* Walk the boot page tables as the CPU does; returns the physical address. */
static uint64_t walk(struct vm *v, uint64_t va)
{
	uint64_t e = rd64(v, v->r.boot.cr3 + ((va >> 39) & 511) * 8);

	assert_true(e & VML_PTE_P);
	e = rd64(v, (e & ~0xfffull) + ((va >> 30) & 511) * 8);
	assert_true(e & VML_PTE_P);
	assert_false(e & VML_PTE_PS);
	e = rd64(v, (e & ~0xfffull) + ((va >> 21) & 511) * 8);
	assert_true(e & VML_PTE_P);
	assert_true(e & VML_PTE_PS);
	assert_true(e & VML_PTE_RW);
	return (e & ~0x1fffffull & 0x000fffffffffffffull) + (va & 0x1fffff);
}

static void check_table(struct vm *v, uint64_t a, const char *sig)
{
	uint8_t *t = gpa(v, a);
	uint32_t len = vml_get32(t + 4);

	assert_memory_equal(t, sig, 4);
	assert_true(len >= 36);
	assert_int_equal(vml_acpi_checksum(t, len), 0);
}

/* A one-byte system I/O Generic Address Structure at port. */
static void check_io_gas(const uint8_t *g, uint16_t port)
{
	assert_int_equal(g[0], 1); /* SystemIO */
	assert_int_equal(g[1], 8); /* bit width */
	assert_int_equal(g[2], 0); /* bit offset */
	assert_int_equal(g[3], 1); /* byte access */
	assert_int_equal(vml_get64(g + 4), port);
}

/* Poweroff (sleep registers, ACPI 5.0+) and reboot (reset register). */
static void check_fadt_power(const uint8_t *f)
{
	/* Revision 6 and the full length: the sleep registers are read. */
	assert_true(f[8] >= 5);
	assert_true(vml_get32(f + 4) >= 268);
	assert_true(vml_get32(f + 112) & (1u << 10)); /* RESET_REG_SUP */
	/* x2APIC physical destinations (MSIs without remapping). */
	assert_true(vml_get32(f + 112) & (1u << 19));
	check_io_gas(f + 116, LHV_VM_RESET_PORT);
	assert_int_equal(f[128], LHV_VM_RESET_VALUE);
	check_io_gas(f + 244, LHV_VM_SLEEP_CTL_PORT);
	check_io_gas(f + 256, LHV_VM_SLEEP_STS_PORT);
}

/* The bytes seq[0..n) occur in the table t. */
static void assert_aml(const uint8_t *t, const void *seq, size_t n)
{
	if (!memmem(t, vml_get32(t + 4), seq, n))
		fail_msg("DSDT lacks a %zu-byte sequence starting 0x%02x", n,
			 *(const uint8_t *)seq);
}

/*
 * The AML, Scope (\_SB) first: each device's _CRS is one I/O range and
 * the end tag, nothing else (no IRQ descriptor), and \_S5 gives type 5.
 */
static void check_dsdt(const uint8_t *t)
{
	/* Name (_CRS, Buffer (0x0a) { IO (Decode16, p, p, 1, n), End }) */
#define CRS(p, n)                                                              \
	{                                                                      \
		0x08, '_', 'C', 'R', 'S', 0x11, 0x0d, 0x0a, 0x0a, 0x47, 0x01,  \
			(p)&0xff, (p) >> 8, (p)&0xff, (p) >> 8, 0x01, (n),     \
			0x79, 0x00                                             \
	}
	const uint8_t com1[] = CRS(0x3f8, 8), com2[] = CRS(0x2f8, 8),
		      pvpanic[] = CRS(0x505, 1);
#undef CRS
	const uint8_t pnp0501[] = { 0x08, '_',	'H',  'I',  'D',
				    0x0c, 0x41, 0xd0, 0x05, 0x01 };
	const uint8_t uid0[] = { 0x08, '_', 'U', 'I', 'D', 0x00 };
	const uint8_t uid1[] = { 0x08, '_', 'U', 'I', 'D', 0x01 };
	const uint8_t qemu0001[] = "\x08_HID\x0dQEMU0001";
	const uint8_t s5[] = { 0x08, '\\', '_',	 'S',  '5',  '_', 0x12,
			       0x06, 0x02, 0x0a, 0x05, 0x0a, 0x05 };
	uint32_t len = vml_get32(t + 4);
	const uint8_t *com1_at, *com2_at;

	assert_int_equal(t[36], 0x10);
	com1_at = memmem(t, len, "COM1", 4);
	com2_at = memmem(t, len, "COM2", 4);
	assert_non_null(com1_at);
	assert_non_null(com2_at);
	assert_true(com1_at < com2_at);
	assert_aml(t, "PEVT", 4);
	assert_aml(t, pnp0501, sizeof(pnp0501));
	assert_aml(t, uid0, sizeof(uid0));
	assert_aml(t, uid1, sizeof(uid1));
	assert_aml(t, com1, sizeof(com1));
	assert_aml(t, com2, sizeof(com2));
	assert_aml(t, pvpanic, sizeof(pvpanic));
	assert_aml(t, qemu0001, sizeof(qemu0001)); /* NUL included */
	assert_aml(t, s5, sizeof(s5));
	/* The UARTs' _CRS follow their names: COM1 owns 0x3f8, COM2 0x2f8. */
	assert_true((const uint8_t *)memmem(t, len, com1, sizeof(com1)) <
		    com2_at);
	assert_true((const uint8_t *)memmem(t, len, com2, sizeof(com2)) >
		    com2_at);
}

/*
 * The resource template of the first _CRS after device name dev: its
 * bytes and, in *n, their count as the buffer's size says.
 */
static const uint8_t *crs_of(const uint8_t *t, const char dev[4], size_t *n)
{
	uint32_t len = vml_get32(t + 4);
	const uint8_t *d = memmem(t, len, dev, 4), *c, *end = t + len;

	assert_non_null(d);
	c = memmem(d, (size_t)(end - d), "_CRS", 4);
	assert_non_null(c);
	c += 4;
	assert_true(c + 4 < end);
	assert_int_equal(c[0], 0x11); /* BufferOp */
	/* PkgLength: 1 byte, or 2 when bit 6 of the first says so. */
	c += (c[1] & 0xc0) == 0x40 ? 3 : 2;
	assert_int_equal(c[0], 0x0a); /* ByteConst size */
	*n = c[1];
	assert_true(c + 2 + *n <= end);
	return c + 2;
}

/* A little-endian field of w bytes. */
static uint64_t le(const uint8_t *p, unsigned int w)
{
	uint64_t v = 0;

	while (w--)
		v = v << 8 | p[w];
	return v;
}

/*
 * One address space descriptor of a bridge window: tag, body length,
 * resource type, producer with fixed ends and positive decode, the type
 * flags, granularity and translation 0, and [min, min + len).
 */
static const uint8_t *check_window(const uint8_t *p, uint8_t tag,
				   unsigned int w, uint8_t type,
				   uint8_t type_flags, uint64_t min,
				   uint64_t len)
{
	assert_int_equal(p[0], tag);
	assert_int_equal(le(p + 1, 2), 3 + 5 * w);
	assert_int_equal(p[3], type);
	assert_int_equal(p[4], 0x0c); /* _MAF, _MIF; producer, PosDecode */
	assert_int_equal(p[5], type_flags);
	assert_int_equal(le(p + 6, w), 0);		       /* _GRA */
	assert_int_equal(le(p + 6 + w, w), min);	       /* _MIN */
	assert_int_equal(le(p + 6 + 2 * w, w), min + len - 1); /* _MAX */
	assert_int_equal(le(p + 6 + 3 * w, w), 0);	       /* _TRA */
	assert_int_equal(le(p + 6 + 4 * w, w), len);	       /* _LEN */
	return p + 6 + 5 * w;
}

/*
 * \_SB.PCI0: PNP0A08 (PNP0A03 compatible), segment, UID and base bus 0,
 * and a _CRS of exactly the bus range, the MMIO32 and the MMIO64 window
 * (no I/O window), then the end tag. \_SB.ECAM: PNP0C02 reserving the
 * ECAM of the MCFG's buses.
 */
static void check_dsdt_pci(const uint8_t *t)
{
	const uint8_t ids[] = { 0x08, '_',  'H',  'I',	'D',  0x0c, 0x41, 0xd0,
				0x0a, 0x08, 0x08, '_',	'C',  'I',  'D',  0x0c,
				0x41, 0xd0, 0x0a, 0x03, 0x08, '_',  'S',  'E',
				'G',  0x00, 0x08, '_',	'U',  'I',  'D',  0x00,
				0x08, '_',  'B',  'B',	'N',  0x00 };
	const uint8_t pnp0c02[] = { 'E', 'C', 'A',  'M',  0x08, '_',  'H',
				    'I', 'D', 0x0c, 0x41, 0xd0, 0x0c, 0x02 };
	const uint8_t *pci0, *p, *res;
	size_t n;

	pci0 = memmem(t, vml_get32(t + 4), "PCI0", 4);
	assert_non_null(pci0);
	assert_memory_equal(pci0 + 4, ids, sizeof(ids));
	res = crs_of(t, "PCI0", &n);
	p = check_window(res, 0x88, 2, 2, 0, 0, LHV_VM_ECAM_BUS_LAST + 1);
	p = check_window(p, 0x87, 4, 0, 0x01, LHV_VM_MMIO32_BASE,
			 LHV_VM_MMIO32_SIZE);
	p = check_window(p, 0x8a, 8, 0, 0x01, LHV_VM_MMIO64_BASE,
			 LHV_VM_MMIO64_SIZE);
	assert_int_equal(p[0], 0x79); /* end tag */
	assert_int_equal((size_t)(p + 2 - res), n);

	assert_aml(t, pnp0c02, sizeof(pnp0c02));
	res = crs_of(t, "ECAM", &n);
	assert_int_equal(n, 12 + 2);
	assert_int_equal(res[0], 0x86); /* Memory32Fixed */
	assert_int_equal(le(res + 1, 2), 9);
	assert_int_equal(res[3], 0x01); /* ReadWrite */
	assert_int_equal(le(res + 4, 4), LHV_VM_ECAM_BASE);
	assert_int_equal(le(res + 8, 4), (LHV_VM_ECAM_BUS_LAST + 1) * MIB);
	assert_int_equal(res[12], 0x79);
}

static void check_acpi(struct vm *v, unsigned int ncpus)
{
	uint8_t *rsdp = gpa(v, LHV_VM_ACPI_GPA), *x, *f, *madt, *mcfg;
	uint64_t xsdt, dsdt;
	unsigned int i;

	assert_memory_equal(rsdp, "RSD PTR ", 8);
	assert_int_equal(rsdp[15], 2);
	assert_int_equal(vml_acpi_checksum(rsdp, 20), 0);
	assert_int_equal(vml_acpi_checksum(rsdp, 36), 0);
	assert_int_equal(vml_get32(rsdp + 20), 36);
	xsdt = vml_get64(rsdp + 24);
	check_table(v, xsdt, "XSDT");
	x = gpa(v, xsdt);
	assert_int_equal(vml_get32(x + 4), 36 + 3 * 8);
	check_table(v, vml_get64(x + 36), "FACP");
	check_table(v, vml_get64(x + 44), "APIC");
	check_table(v, vml_get64(x + 52), "MCFG");

	f = gpa(v, vml_get64(x + 36));
	assert_int_equal(vml_get32(f + 4), 276);
	assert_int_equal(f[8], 6);
	assert_true(vml_get32(f + 112) & (1u << 20)); /* HW_REDUCED_ACPI */
	assert_int_equal(vml_get16(f + 46), 0);	      /* SCI_INT */
	assert_int_equal(vml_get32(f + 76), 0);	      /* PM_TMR_BLK */
	dsdt = vml_get64(f + 140);
	assert_int_equal(vml_get32(f + 40), dsdt);
	check_table(v, dsdt, "DSDT");
	check_fadt_power(f);
	check_dsdt(gpa(v, dsdt));
	check_dsdt_pci(gpa(v, dsdt));

	madt = gpa(v, vml_get64(x + 44));
	assert_int_equal(vml_get32(madt + 4), 44 + 16 * ncpus);
	assert_int_equal(vml_get32(madt + 36), LHV_VM_LAPIC_BASE);
	assert_int_equal(vml_get32(madt + 40), 0); /* no PCAT_COMPAT */
	for (i = 0; i < ncpus; i++) {
		uint8_t *e = madt + 44 + 16 * i;

		assert_int_equal(e[0], 9);
		assert_int_equal(e[1], 16);
		assert_int_equal(vml_get32(e + 4), v->c.apic_ids[i]);
		assert_int_equal(vml_get32(e + 8), 1);
	}

	mcfg = gpa(v, vml_get64(x + 52));
	assert_int_equal(vml_get32(mcfg + 4), 60);
	assert_int_equal(vml_get64(mcfg + 44), LHV_VM_ECAM_BASE);
	assert_int_equal(vml_get16(mcfg + 52), 0);
	assert_int_equal(mcfg[54], 0);
	assert_int_equal(mcfg[55], LHV_VM_ECAM_BUS_LAST);

	/* What the builder reports matches what is in memory. */
	for (i = 0; i < VML_ACPI_NR; i++)
		if (strcmp(v->r.acpi[i].sig, "RSDP"))
			check_table(v, v->r.acpi[i].gpa, v->r.acpi[i].sig);
}

/*
 * Sorted, disjoint, every byte of RAM in exactly one entry, and one more
 * entry outside RAM: the ECAM of the MCFG's buses, reserved.
 */
static int is_ecam_entry(const struct vml_e820 *e)
{
	return e->addr == LHV_VM_ECAM_BASE;
}

static void check_e820(struct vm *v)
{
	uint8_t *zp = gpa(v, LHV_VM_ZERO_PAGE_GPA);
	uint64_t covered = 0, ram = 0, prev_end = 0;
	unsigned int i, acpi = 0, ecam = 0;

	assert_int_equal(zp[0x1e8], v->r.nr_e820);
	for (i = 0; i < v->r.nr_e820; i++) {
		uint8_t *e = zp + 0x2d0 + 20 * i;

		assert_int_equal(vml_get64(e), v->r.e820[i].addr);
		assert_int_equal(vml_get64(e + 8), v->r.e820[i].size);
		assert_int_equal(vml_get32(e + 16), v->r.e820[i].type);
		assert_true(v->r.e820[i].size > 0);
		assert_true(v->r.e820[i].addr >= prev_end);
		prev_end = v->r.e820[i].addr + v->r.e820[i].size;
		if (is_ecam_entry(&v->r.e820[i])) {
			ecam++;
			assert_int_equal(v->r.e820[i].type, VML_E820_RESERVED);
			assert_int_equal(v->r.e820[i].size,
					 (LHV_VM_ECAM_BUS_LAST + 1) * MIB);
			continue;
		}
		covered += v->r.e820[i].size;
		if (v->r.e820[i].type == VML_E820_ACPI) {
			acpi++;
			assert_int_equal(v->r.e820[i].addr, LHV_VM_ACPI_GPA);
			assert_true(v->r.e820[i].size >= LHV_VM_ACPI_SIZE);
		}
	}
	for (i = 0; i < v->m.nr_ranges; i++)
		ram += v->m.range[i].size;
	assert_int_equal(acpi, 1);
	assert_int_equal(ecam, 1);
	/* Disjoint entries, all inside RAM, adding up to RAM: a partition. */
	assert_int_equal(covered, ram);
	for (i = 0; i < v->r.nr_e820; i++)
		if (!is_ecam_entry(&v->r.e820[i]))
			(void)gpa(v, v->r.e820[i].addr + v->r.e820[i].size - 1);
}

static void check_gdt(struct vm *v)
{
	uint64_t cs = rd64(v, v->r.boot.gdtr_base + LHV_VM_BOOT_CS);
	uint64_t ds = rd64(v, v->r.boot.gdtr_base + LHV_VM_BOOT_DS);

	assert_true(v->r.boot.gdtr_limit >= LHV_VM_BOOT_DS + 7);
	/* Code: present, S, execute, L set and D clear (64-bit), DPL 0. */
	assert_true(cs >> 47 & 1);
	assert_true(cs >> 44 & 1);
	assert_true(cs >> 43 & 1);
	assert_true(cs >> 53 & 1);
	assert_false(cs >> 54 & 1);
	assert_int_equal(cs >> 45 & 3, 0);
	/* Data: present, S, writable, not code. */
	assert_true(ds >> 47 & 1);
	assert_true(ds >> 44 & 1);
	assert_false(ds >> 43 & 1);
	assert_true(ds >> 41 & 1);
	/* The boot state's attributes are the descriptors' bits 40-55. */
	assert_int_equal(v->r.boot.cs.attr, (cs >> 40) & 0xf0ff);
	assert_int_equal(v->r.boot.ds.attr, (ds >> 40) & 0xf0ff);
}

static void check_boot_state(struct vm *v)
{
	const struct lhv_vcpu_boot_state *b = &v->r.boot;

	/* The ABI: no padding, the same layout for kernel and userspace. */
	assert_int_equal(sizeof(*b), 216);
	assert_int_equal(offsetof(struct lhv_vcpu_boot_state, cs), 88);
	assert_int_equal(sizeof(b->cs), 16);
	assert_int_equal(b->version, LHV_VCPU_BOOT_STATE_VERSION);
	assert_int_equal(b->size, sizeof(*b));
	assert_int_equal(b->rip, v->r.kernel_gpa + 0x200);
	assert_int_equal(b->rsi, LHV_VM_ZERO_PAGE_GPA);
	assert_int_equal(b->rflags, 2);
	assert_int_equal(b->cr0, 0x80000031);
	assert_int_equal(b->cr3, LHV_VM_PT_GPA);
	assert_int_equal(b->cr4, 0x20);
	assert_int_equal(b->efer, 0x500);
	assert_int_equal(b->cs.selector, 0x10);
	assert_int_equal(b->ds.selector, 0x18);
	assert_int_equal(b->ss.selector, 0x18);
	assert_int_equal(b->ss.attr, b->ds.attr);
	assert_int_equal(b->cs.base, 0);
	assert_int_equal(b->reserved, 0);
	/* startup_64 is mapped, and so are the zero page and the stack. */
	assert_int_equal(walk(v, b->rip), b->rip);
	assert_int_equal(walk(v, b->rsi), b->rsi);
	assert_int_equal(walk(v, b->rsp - 8), b->rsp - 8);
}

static void check_zero_page(struct vm *v, const char *line)
{
	uint8_t *zp = gpa(v, LHV_VM_ZERO_PAGE_GPA);
	uint64_t cl = vml_get32(zp + 0x228);

	assert_int_equal(vml_get16(zp + 0x1fe), 0xaa55);
	assert_memory_equal(zp + 0x202, "HdrS", 4);
	assert_int_equal(zp[0x210], 0xff);
	assert_int_equal(cl, LHV_VM_CMDLINE_GPA);
	assert_string_equal((char *)gpa(v, cl), line);
	assert_int_equal(vml_get32(zp + 0x218), (uint32_t)v->r.initrd_gpa);
	assert_int_equal(vml_get32(zp + 0xc0), v->r.initrd_gpa >> 32);
	assert_int_equal(vml_get32(zp + 0x21c), (uint32_t)v->r.initrd_size);
	assert_int_equal(vml_get64(zp + 0x70), LHV_VM_ACPI_GPA);
	assert_int_equal(vml_get64(zp + 0x250), 0); /* setup_data */
}

/*
 * The SHA-256 of guest memory as placed (what vm load tells the hv to
 * measure) equals that of the object itself; outside RAM is refused.
 */
static void check_guest_sha256(struct vm *v, uint64_t at, const void *obj,
			       size_t len)
{
	uint8_t want[VML_SHA256_LEN], got[VML_SHA256_LEN];
	struct vml_err err;

	vml_sha256(obj, len, want);
	assert_int_equal(vml_sha256_guest(&v->m, at, len, got, &err), 0);
	assert_memory_equal(got, want, sizeof(want));
	/* One byte more is another digest. */
	assert_int_equal(vml_sha256_guest(&v->m, at, len + 1, got, &err), 0);
	assert_memory_not_equal(got, want, sizeof(want));
	assert_int_not_equal(
		vml_sha256_guest(&v->m, 4 * GIB - 4096, 8192, got, &err), 0);
}

static void test_synthetic(void **state)
{
	static uint8_t initrd[100000];
	struct vm v;
	size_t i;

	(void)state;
	vm_init(&v, 64 * MIB);
	for (i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i ^ 0x5a);
	v.c.initrd = initrd;
	v.c.initrd_size = sizeof(initrd);
	v.c.cmdline = "console=ttyS0";
	v.c.tsc_khz = 2000000;
	v.c.nr_cpus = 4;
	assert_int_equal(vml_build(&v.m, &v.c, &v.r, &v.err), 0);

	assert_int_equal(v.r.kernel_gpa, SYNTH_PREF_ADDRESS);
	assert_int_equal(v.r.kernel_window, INIT_SIZE);
	for (i = 0; i < PM_SIZE; i += 997)
		assert_int_equal(*gpa(&v, v.r.kernel_gpa + i),
				 synth_code_byte(i));
	/* The initrd: highest page below the end of RAM, after the kernel. */
	assert_int_equal(v.r.initrd_gpa % 4096, 0);
	assert_int_equal(v.r.initrd_gpa,
			 (64 * MIB - sizeof(initrd)) & ~4095ull);
	assert_true(v.r.initrd_gpa >= v.r.kernel_gpa + v.r.kernel_window);
	assert_memory_equal(gpa(&v, v.r.initrd_gpa), initrd, sizeof(initrd));
	check_guest_sha256(&v, v.r.initrd_gpa, initrd, sizeof(initrd));

	assert_string_equal(v.r.cmdline_extra,
			    " tsc_early_khz=2000000 tsc=reliable reboot=acpi");
	check_zero_page(&v, "console=ttyS0 tsc_early_khz=2000000 tsc=reliable "
			    "reboot=acpi");
	check_e820(&v);
	check_gdt(&v);
	check_boot_state(&v);
	check_acpi(&v, 4);
	/* Identity map: low, kernel, the top of low RAM, just below 4 GiB. */
	assert_int_equal(walk(&v, 0), 0);
	assert_int_equal(walk(&v, 0x1234567), 0x1234567);
	assert_int_equal(walk(&v, 64 * MIB - 1), 64 * MIB - 1);
	assert_int_equal(walk(&v, 4 * GIB - 4096), 4 * GIB - 4096);
	assert_int_equal(v.r.map_top, 4 * GIB);
	vm_free(&v);
}

/* A pref_address that is misaligned or outside RAM: the lowest slot. */
static void test_kernel_not_at_pref(void **state)
{
	static const uint64_t pref[] = { 0x1000001, 0x40000000, 0x80000,
					 UINT64_MAX - 0xfff };
	struct vm v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pref) / sizeof(pref[0]); i++) {
		vm_init(&v, 32 * MIB);
		vml_put64(kernel + 0x258, pref[i]);
		assert_int_equal(vml_build(&v.m, &v.c, &v.r, &v.err), 0);
		assert_int_equal(v.r.kernel_gpa, SYNTH_ALIGN);
		assert_int_equal(v.r.boot.rip, SYNTH_ALIGN + 0x200);
		assert_int_equal(*gpa(&v, SYNTH_ALIGN), synth_code_byte(0));
		vm_free(&v);
	}
}

static void test_no_initrd_no_tsc(void **state)
{
	struct vm v;

	(void)state;
	vm_init(&v, 32 * MIB);
	assert_int_equal(vml_build(&v.m, &v.c, &v.r, &v.err), 0);
	assert_int_equal(v.r.initrd_gpa, 0);
	/* No user line: the platform's part without a leading space. */
	assert_string_equal(v.r.cmdline_extra, "reboot=acpi");
	check_zero_page(&v, "reboot=acpi");
	assert_int_equal(vml_get32(gpa(&v, LHV_VM_ZERO_PAGE_GPA) + 0x21c), 0);
	check_acpi(&v, 1);
	vm_free(&v);
}

/* RAM above 4 GiB: mapped, in the e820, and the initrd may go there. */
static void test_high_ram(void **state)
{
	uint64_t high_end = 4 * GIB + (5 * GIB - LHV_VM_LOW_RAM_END);
	size_t isize = 60 * MIB;
	uint8_t *initrd = malloc(isize);
	struct vm v;

	(void)state;
	assert_non_null(initrd);
	memset(initrd, 0xa5, isize);
	vm_init(&v, 5 * GIB);
	/* initrd_addr_max of 64 MiB: the initrd cannot fit below it. */
	kernel[0x22c] = 0xff, kernel[0x22d] = 0xff, kernel[0x22e] = 0xff;
	kernel[0x22f] = 0x03;
	v.c.initrd = initrd;
	v.c.initrd_size = isize;
	assert_int_equal(vml_build(&v.m, &v.c, &v.r, &v.err), 0);
	assert_int_equal(v.r.initrd_gpa, high_end - isize);
	assert_int_equal(vml_get32(gpa(&v, LHV_VM_ZERO_PAGE_GPA) + 0xc0), 1);
	assert_int_equal(v.r.map_top, 6 * GIB);
	assert_int_equal(walk(&v, high_end - 1), high_end - 1);
	assert_int_equal(walk(&v, v.r.initrd_gpa), v.r.initrd_gpa);
	check_e820(&v);
	assert_int_equal(v.r.e820[v.r.nr_e820 - 1].addr, 4 * GIB);
	/* Without XLF_CAN_BE_LOADED_ABOVE_4G it does not fit at all. */
	vm_free(&v);
	vm_init(&v, 5 * GIB);
	kernel[0x22c] = 0xff, kernel[0x22d] = 0xff, kernel[0x22e] = 0xff;
	kernel[0x22f] = 0x03;
	kernel[0x236] = 0x1;
	v.c.initrd = initrd;
	v.c.initrd_size = isize;
	assert_int_equal(vml_build(&v.m, &v.c, &v.r, &v.err), -ENOSPC);
	assert_non_null(strstr(v.err.msg, "initrd"));
	vm_free(&v);
	free(initrd);
}

static void test_madt_cpus(void **state)
{
	uint32_t ids[VML_MAX_CPUS + 1];
	unsigned int n[] = { 1, 2, 7, VML_MAX_CPUS }, i, j;
	struct vm v;

	(void)state;
	for (i = 0; i <= VML_MAX_CPUS; i++)
		ids[i] = 2 * i + 1;
	for (j = 0; j < 4; j++) {
		vm_init(&v, 32 * MIB);
		v.c.apic_ids = ids;
		v.c.nr_cpus = n[j];
		assert_int_equal(vml_build(&v.m, &v.c, &v.r, &v.err), 0);
		check_acpi(&v, n[j]);
		vm_free(&v);
	}
	vm_init(&v, 32 * MIB);
	v.c.apic_ids = ids;
	v.c.nr_cpus = VML_MAX_CPUS + 1;
	assert_true(vml_build(&v.m, &v.c, &v.r, &v.err) < 0);
	v.c.nr_cpus = 0;
	memset(&v.m.obj, 0, sizeof(v.m.obj));
	v.m.nr_objs = 0;
	assert_true(vml_build(&v.m, &v.c, &v.r, &v.err) < 0);
	ids[3] = ids[1];
	v.c.nr_cpus = 4;
	v.m.nr_objs = 0;
	assert_true(vml_build(&v.m, &v.c, &v.r, &v.err) < 0);
	assert_non_null(strstr(v.err.msg, "twice"));
	vm_free(&v);
}

/* A hostile header: one field changed, the build refused with its name. */
struct hostile {
	const char *what;
	size_t off;
	unsigned int bytes;
	uint64_t val;
	const char *msg;
};

static const struct hostile hostile[] = {
	{ "boot flag", 0x1fe, 2, 0xaa56, "boot_flag" },
	{ "HdrS", 0x202, 4, 0x53726449, "HdrS" },
	{ "version 2.11", 0x206, 2, 0x020b, "2.12" },
	{ "header too short", 0x201, 1, 0x5f, "setup header" },
	{ "header too long", 0x201, 1, 0xff, "setup header" },
	{ "setup_sects past the file", 0x1f1, 1, 200, "setup_sects" },
	{ "syssize 0", 0x1f4, 4, 0, "syssize" },
	{ "syssize past the file", 0x1f4, 4, PM_SIZE / 16 + 1, "syssize" },
	{ "syssize huge", 0x1f4, 4, 0xffffffff, "syssize" },
	{ "zImage", 0x211, 1, 0, "LOADED_HIGH" },
	{ "32-bit only", 0x236, 2, 0x2, "XLF_KERNEL_64" },
	{ "not relocatable", 0x234, 1, 0, "relocatable" },
	{ "alignment 0", 0x230, 4, 0, "kernel_alignment" },
	{ "alignment not 2^n", 0x230, 4, 0x300000, "kernel_alignment" },
	{ "alignment 2 GiB", 0x230, 4, 0x80000000, "kernel_alignment" },
	{ "min_alignment > alignment", 0x235, 1, 22, "min_alignment" },
	{ "min_alignment 255", 0x235, 1, 255, "min_alignment" },
	{ "init_size < code", 0x260, 4, PM_SIZE - 16, "init_size" },
	{ "init_size 4 GiB", 0x260, 4, 0xffffffff, "init_size" },
	{ "initrd_addr_max tiny", 0x22c, 4, 0x1000, "initrd_addr_max" },
	{ "payload past the code", 0x24c, 4, PM_SIZE + 1, "payload" },
	{ "payload length wraps", 0x24c, 4, 0xffffffff, "payload" },
};

static void test_hostile_headers(void **state)
{
	const struct hostile *h;
	struct vm v;
	size_t i;
	int ret;

	(void)state;
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		h = &hostile[i];
		vm_init(&v, 32 * MIB);
		if (!strcmp(h->what, "payload length wraps"))
			kernel[0x248] = 0x10;
		for (unsigned int b = 0; b < h->bytes; b++)
			kernel[h->off + b] = (uint8_t)(h->val >> (8 * b));
		ret = vml_build(&v.m, &v.c, &v.r, &v.err);
		if (ret >= 0 || !strstr(v.err.msg, h->msg))
			fail_msg("%s: got %d \"%s\"", h->what, ret, v.err.msg);
		vm_free(&v);
	}
	/* Truncated anywhere in the header or the code. */
	vm_init(&v, 32 * MIB);
	for (i = 0; i < kernel_len; i += (i < 0x300 ? 1 : 4093)) {
		v.c.kernel_size = i;
		v.m.nr_objs = 0;
		assert_true(vml_build(&v.m, &v.c, &v.r, &v.err) < 0);
	}
	vm_free(&v);
}

static void test_does_not_fit(void **state)
{
	static uint8_t big[40 << 20];
	struct vm v;

	(void)state;
	/* The kernel's init_size window is larger than RAM. */
	vm_init(&v, 32 * MIB);
	vml_put32(kernel + 0x260, 32 << 20);
	assert_int_equal(vml_build(&v.m, &v.c, &v.r, &v.err), -ENOSPC);
	assert_non_null(strstr(v.err.msg, "init_size"));
	vm_free(&v);
	/* An initrd larger than the RAM left. */
	vm_init(&v, 64 * MIB);
	v.c.initrd = big;
	v.c.initrd_size = sizeof(big) + 8 * MIB;
	assert_int_equal(vml_build(&v.m, &v.c, &v.r, &v.err), -ENOSPC);
	assert_non_null(strstr(v.err.msg, "initrd"));
	/* RAM sizes the platform refuses. */
	assert_true(vml_ram_ranges(33 * MIB, v.m.range, &v.err) < 0);
	assert_true(vml_ram_ranges(16 * MIB, v.m.range, &v.err) < 0);
	assert_true(vml_ram_ranges(LHV_VM_RAM_MAX + 2 * MIB, v.m.range,
				   &v.err) < 0);
	vm_free(&v);
}

static void test_cmdline_limits(void **state)
{
	char line[SYNTH_CMDLINE_SIZE + 2];
	struct vm v;
	/* The platform's part is always there: " reboot=acpi". */
	const size_t room = SYNTH_CMDLINE_SIZE - strlen(" reboot=acpi");

	(void)state;
	memset(line, 'a', sizeof(line));
	line[room] = '\0';
	vm_init(&v, 32 * MIB);
	v.c.cmdline = line;
	assert_int_equal(vml_build(&v.m, &v.c, &v.r, &v.err), 0);
	assert_int_equal(strlen((char *)gpa(&v, LHV_VM_CMDLINE_GPA)),
			 SYNTH_CMDLINE_SIZE);
	vm_free(&v);
	/* One byte more, or the TSC part on top: refused. */
	line[room] = 'a';
	line[room + 1] = '\0';
	vm_init(&v, 32 * MIB);
	v.c.cmdline = line;
	assert_int_equal(vml_build(&v.m, &v.c, &v.r, &v.err), -E2BIG);
	vm_free(&v);
	line[room - 10] = '\0';
	vm_init(&v, 32 * MIB);
	v.c.cmdline = line;
	v.c.tsc_khz = 1000000;
	assert_int_equal(vml_build(&v.m, &v.c, &v.r, &v.err), -E2BIG);
	vm_free(&v);
}

static void test_guest_memory_checks(void **state)
{
	uint8_t b[16] = { 1 };
	uint64_t a;
	struct vm v;

	(void)state;
	vm_init(&v, 32 * MIB);
	assert_int_equal(vml_mem_claim(&v.m, "a", 0x100000, 0x2000, &v.err), 0);
	/* Overlapping, outside RAM, wrapping: refused. */
	assert_true(vml_mem_claim(&v.m, "b", 0x101000, 0x2000, &v.err) < 0);
	assert_non_null(strstr(v.err.msg, "overlaps a"));
	assert_true(vml_mem_claim(&v.m, "c", 32 * MIB - 4096, 8192, &v.err) <
		    0);
	assert_true(vml_mem_claim(&v.m, "d", UINT64_MAX - 10, 100, &v.err) < 0);
	assert_true(vml_mem_claim(&v.m, "e", 4096, UINT64_MAX, &v.err) < 0);
	/* Writes only inside a claimed object. */
	assert_int_equal(vml_mem_write(&v.m, 0x101ff0, b, 16, &v.err), 0);
	assert_true(vml_mem_write(&v.m, 0x101ff8, b, 16, &v.err) < 0);
	assert_true(vml_mem_write(&v.m, 0x200000, b, 16, &v.err) < 0);
	assert_true(vml_mem_write(&v.m, UINT64_MAX - 4, b, 16, &v.err) < 0);
	/* The search goes around objects and stays inside [lo, hi). */
	assert_int_equal(vml_mem_find_top(&v.m, 0, 0x102000, 0x1000, 4096, &a),
			 0);
	assert_int_equal(a, 0xff000);
	assert_true(vml_mem_find_top(&v.m, 0x100000, 0x102000, 0x1000, 4096,
				     &a) < 0);
	assert_true(vml_mem_find_top(&v.m, 0, 64 * MIB, 0x1000, 4096, &a) < 0);
	vm_free(&v);
}

/* Debian's kernels from the harness cache, when it has them. */
static void test_real_kernels(void **state)
{
	const char *home = getenv("HOME"), *cache = getenv("LHV_CACHE");
	char pattern[512];
	unsigned int done = 0;
	glob_t g;
	size_t i;

	(void)state;
	if (cache)
		snprintf(pattern, sizeof(pattern),
			 "%s/kernels/*/boot/vmlinuz-*", cache);
	else
		snprintf(pattern, sizeof(pattern),
			 "%s/.cache/lhv/kernels/*/boot/vmlinuz-*",
			 home ? home : "");
	if (glob(pattern, 0, NULL, &g) || !g.gl_pathc) {
		print_message("SKIP: no Debian kernel in %s (the QEMU harness "
			      "fetches them)\n",
			      pattern);
		skip();
	}
	for (i = 0; i < g.gl_pathc; i++) {
		FILE *f = fopen(g.gl_pathv[i], "rb");
		uint8_t *buf = malloc(64 << 20);
		size_t len;
		struct vm v;

		assert_non_null(f);
		assert_non_null(buf);
		len = fread(buf, 1, 64 << 20, f);
		fclose(f);
		vm_init(&v, 512 * MIB);
		v.c.kernel = buf;
		v.c.kernel_size = len;
		v.c.cmdline = "console=ttyS0";
		v.c.tsc_khz = 1800000;
		v.c.nr_cpus = 2;
		if (vml_build(&v.m, &v.c, &v.r, &v.err))
			fail_msg("%s: %s", g.gl_pathv[i], v.err.msg);
		print_message(
			"%s: protocol %u.%02u, init_size 0x%x at 0x%llx\n",
			g.gl_pathv[i], v.r.bz.version >> 8,
			v.r.bz.version & 0xff, v.r.bz.init_size,
			(unsigned long long)v.r.kernel_gpa);
		assert_int_equal(v.r.kernel_gpa, v.r.bz.pref_address);
		assert_memory_equal(gpa(&v, v.r.kernel_gpa),
				    buf + v.r.bz.setup_size, 4096);
		check_e820(&v);
		check_gdt(&v);
		check_boot_state(&v);
		check_acpi(&v, 2);
		vm_free(&v);
		free(buf);
		done++;
	}
	globfree(&g);
	assert_true(done > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_synthetic),
		cmocka_unit_test(test_kernel_not_at_pref),
		cmocka_unit_test(test_no_initrd_no_tsc),
		cmocka_unit_test(test_high_ram),
		cmocka_unit_test(test_madt_cpus),
		cmocka_unit_test(test_hostile_headers),
		cmocka_unit_test(test_does_not_fit),
		cmocka_unit_test(test_cmdline_limits),
		cmocka_unit_test(test_guest_memory_checks),
		cmocka_unit_test(test_real_kernels),
	};

	return cmocka_run_group_tests_name("vmload", tests, NULL, NULL);
}
