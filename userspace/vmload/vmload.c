// SPDX-License-Identifier: BSD-3-Clause
/*
 * The UOS image builder (see vmload.h). The fixed low objects are claimed
 * first, then the kernel, then the initrd, so every later object is placed
 * around the earlier ones and every write lands in its own object.
 */
#include "vmload.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096ull
#define GIB (1ull << 30)
#define MIB2 (1ull << 21)

/* Zero page fields outside the setup header (zero-page.rst). */
#define ZP_ACPI_RSDP_ADDR 0x070
#define ZP_EXT_RAMDISK_IMAGE 0x0c0
#define ZP_EXT_RAMDISK_SIZE 0x0c4
#define ZP_EXT_CMD_LINE_PTR 0x0c8
#define ZP_E820_ENTRIES 0x1e8
#define ZP_E820_TABLE 0x2d0
#define ZP_E820_MAX 128
#define ZP_E820_ENTRY_LEN 20
#define ZP_SIZE 4096

/* Protocol 2.14 and later kernels read acpi_rsdp_addr from the zero page. */
#define BZ_VERSION_RSDP 0x020e
/* startup_64 is this far into the protected-mode code. */
#define STARTUP_64 0x200

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static uint64_t low_ram_end(const struct vml_mem *m)
{
	return m->range[0].gpa + m->range[0].size;
}

static uint64_t ram_top(const struct vml_mem *m)
{
	const struct vml_range *r = &m->range[m->nr_ranges - 1];

	return r->gpa + r->size;
}

static int check_mem(const struct vml_mem *m, struct vml_err *err)
{
	if (m->nr_ranges < 1 || m->nr_ranges > VML_MAX_RANGES ||
	    m->range[0].gpa != 0 || m->range[0].size < LHV_VM_RAM_MIN ||
	    m->range[0].size > LHV_VM_LOW_RAM_END ||
	    (m->nr_ranges == 2 && (m->range[1].gpa != LHV_VM_HIGH_RAM_BASE ||
				   m->range[1].size > LHV_VM_RAM_MAX)) ||
	    m->nr_objs)
		return vml_fail(
			err, -EINVAL,
			"guest memory is not laid out as vm_layout.h says");
	return 0;
}

/* The user's line and the platform's part, checked against the kernel. */
static int build_cmdline(const struct vml_config *c, struct vml_result *r,
			 char *line, struct vml_err *err)
{
	const char *user = c->cmdline ? c->cmdline : "";
	size_t ulen = strlen(user), xlen;

	/*
	 * reboot=acpi: on a hardware-reduced ACPI platform Linux reboots
	 * through EFI when it has no DMI quirk, and without EFI runtime
	 * services falls back to the BIOS reset vector, which this platform
	 * does not have: the vCPU would spin in real mode. ACPI's reset
	 * register stops the VM with reason reboot.
	 */
	if (c->tsc_khz)
		snprintf(r->cmdline_extra, sizeof(r->cmdline_extra),
			 "%stsc_early_khz=%" PRIu32 " tsc=reliable reboot=acpi",
			 ulen ? " " : "", c->tsc_khz);
	else
		snprintf(r->cmdline_extra, sizeof(r->cmdline_extra),
			 "%sreboot=acpi", ulen ? " " : "");
	xlen = strlen(r->cmdline_extra);
	if (ulen + xlen + 1 > LHV_VM_CMDLINE_MAX ||
	    ulen + xlen > r->bz.cmdline_size)
		return vml_fail(
			err, -E2BIG,
			"command line: %zu bytes (%zu of them the platform's) "
			"is more than the kernel's limit of %" PRIu32,
			ulen + xlen, xlen,
			r->bz.cmdline_size < LHV_VM_CMDLINE_MAX - 1
				? r->bz.cmdline_size
				: (uint32_t)LHV_VM_CMDLINE_MAX - 1);
	memcpy(line, user, ulen);
	memcpy(line + ulen, r->cmdline_extra, xlen + 1);
	r->cmdline_len = ulen + xlen;
	return 0;
}

static int place_kernel(struct vml_mem *m, struct vml_result *r,
			struct vml_err *err)
{
	const struct vml_bzimage *bz = &r->bz;
	uint64_t window = align_up(bz->init_size, PAGE);
	uint64_t a = bz->pref_address, end = low_ram_end(m);
	int ret;

	/* Its preferred address if that works, else the lowest one. */
	if (a % bz->kernel_alignment || a < LHV_VM_LOAD_MIN || a >= end ||
	    window > end - a || !vml_mem_free(m, a, window))
		a = align_up(LHV_VM_LOAD_MIN, bz->kernel_alignment);
	if (a >= end || window > end - a)
		return vml_fail(err, -ENOSPC,
				"kernel: init_size 0x%" PRIx32
				" does not fit in guest RAM below 0x%" PRIx64,
				bz->init_size, end);
	ret = vml_mem_claim(m, "kernel", a, window, err);
	if (!ret)
		ret = vml_mem_write(m, a, bz->data + bz->setup_size,
				    bz->pm_size, err);
	r->kernel_gpa = a;
	r->kernel_window = window;
	return ret;
}

static int place_initrd(struct vml_mem *m, const struct vml_config *c,
			struct vml_result *r, struct vml_err *err)
{
	uint64_t limit = (uint64_t)r->bz.initrd_addr_max + 1, gpa = 0;
	uint64_t size = align_up(c->initrd_size, PAGE);
	int ret;

	if (!c->initrd_size)
		return 0;
	if (limit > low_ram_end(m))
		limit = low_ram_end(m);
	/* Highest below initrd_addr_max; above 4 GiB if that is all left. */
	ret = vml_mem_find_top(m, LHV_VM_LOAD_MIN, limit, size, PAGE, &gpa);
	if (ret && m->nr_ranges == 2 &&
	    (r->bz.xloadflags & BZ_XLF_CAN_BE_LOADED_ABOVE_4G))
		ret = vml_mem_find_top(m, LHV_VM_HIGH_RAM_BASE, ram_top(m),
				       size, PAGE, &gpa);
	if (ret)
		return vml_fail(err, -ENOSPC,
				"initrd: %zu bytes do not fit in free guest "
				"RAM below 0x%" PRIx64 "%s",
				c->initrd_size, limit,
				r->bz.xloadflags & BZ_XLF_CAN_BE_LOADED_ABOVE_4G
					? " or above 4 GiB"
					: "");
	ret = vml_mem_claim(m, "initrd", gpa, size, err);
	if (!ret)
		ret = vml_mem_write(m, gpa, c->initrd, c->initrd_size, err);
	r->initrd_gpa = gpa;
	r->initrd_size = c->initrd_size;
	return ret;
}

static void add_e820(struct vml_result *r, uint64_t addr, uint64_t end,
		     uint32_t type)
{
	if (end <= addr || r->nr_e820 >= VML_MAX_E820)
		return;
	r->e820[r->nr_e820].addr = addr;
	r->e820[r->nr_e820].size = end - addr;
	r->e820[r->nr_e820].type = type;
	r->nr_e820++;
}

static void build_e820(const struct vml_mem *m, struct vml_result *r)
{
	r->nr_e820 = 0;
	add_e820(r, 0, LHV_VM_LEGACY_HOLE, VML_E820_RAM);
	add_e820(r, LHV_VM_LEGACY_HOLE, LHV_VM_ACPI_GPA, VML_E820_RESERVED);
	add_e820(r, LHV_VM_ACPI_GPA, LHV_VM_ACPI_GPA + LHV_VM_ACPI_SIZE,
		 VML_E820_ACPI);
	add_e820(r, LHV_VM_ACPI_GPA + LHV_VM_ACPI_SIZE, low_ram_end(m),
		 VML_E820_RAM);
	/*
	 * The ECAM of the buses in MCFG (1 MiB each), as firmware reserves
	 * it; the DSDT's PNP0C02 device reserves it too (acpi.c).
	 */
	add_e820(r, LHV_VM_ECAM_BASE,
		 LHV_VM_ECAM_BASE +
			 (((uint64_t)LHV_VM_ECAM_BUS_LAST + 1) << 20),
		 VML_E820_RESERVED);
	if (m->nr_ranges == 2)
		add_e820(r, m->range[1].gpa, m->range[1].gpa + m->range[1].size,
			 VML_E820_RAM);
}

static void zero_page(const struct vml_result *r, uint8_t *zp)
{
	const struct vml_bzimage *bz = &r->bz;
	uint8_t *e;
	unsigned int i;

	memset(zp, 0, ZP_SIZE);
	memcpy(zp + BZ_SETUP_SECTS, bz->data + BZ_SETUP_SECTS,
	       bz->hdr_end - BZ_SETUP_SECTS);
	zp[BZ_TYPE_OF_LOADER] = 0xff;
	/* No real-mode heap: the real-mode code never runs. */
	zp[BZ_LOADFLAGS] = (uint8_t)(bz->loadflags & ~BZ_CAN_USE_HEAP);
	vml_put16(zp + BZ_HEAP_END_PTR, 0);
	vml_put32(zp + BZ_CODE32_START, (uint32_t)r->kernel_gpa);
	vml_put32(zp + BZ_CMD_LINE_PTR, (uint32_t)LHV_VM_CMDLINE_GPA);
	vml_put32(zp + ZP_EXT_CMD_LINE_PTR, 0);
	vml_put32(zp + BZ_RAMDISK_IMAGE, (uint32_t)r->initrd_gpa);
	vml_put32(zp + BZ_RAMDISK_SIZE, (uint32_t)r->initrd_size);
	vml_put32(zp + ZP_EXT_RAMDISK_IMAGE, (uint32_t)(r->initrd_gpa >> 32));
	vml_put32(zp + ZP_EXT_RAMDISK_SIZE, (uint32_t)(r->initrd_size >> 32));
	/* Whatever the file says: there is no setup_data, and this is a PC. */
	vml_put64(zp + BZ_SETUP_DATA, 0);
	vml_put32(zp + BZ_HW_SUBARCH, 0);
	if (bz->version >= BZ_VERSION_RSDP)
		vml_put64(zp + ZP_ACPI_RSDP_ADDR, LHV_VM_ACPI_GPA);
	zp[ZP_E820_ENTRIES] = (uint8_t)r->nr_e820;
	for (i = 0; i < r->nr_e820 && i < ZP_E820_MAX; i++) {
		e = zp + ZP_E820_TABLE + i * ZP_E820_ENTRY_LEN;
		vml_put64(e, r->e820[i].addr);
		vml_put64(e + 8, r->e820[i].size);
		vml_put32(e + 16, r->e820[i].type);
	}
}

/*
 * Identity map [0, top) with 2 MiB pages: PML4, one PDPT, a page
 * directory per GiB. top covers all RAM and at least 4 GiB.
 */
static int build_page_tables(struct vml_mem *m, struct vml_result *r,
			     struct vml_err *err)
{
	uint64_t top = align_up(ram_top(m), GIB), npd, i, j, pd;
	uint8_t *pt;
	int ret;

	if (top < 4 * GIB)
		top = 4 * GIB;
	npd = top / GIB;
	r->pt_size = (2 + npd) * PAGE;
	r->map_top = top;
	if (npd > 512 || r->pt_size > LHV_VM_PT_MAX)
		return vml_fail(
			err, -ENOSPC,
			"boot page tables for %" PRIu64 " GiB do not fit", npd);
	pt = calloc(1, r->pt_size);
	if (!pt)
		return vml_fail(err, -ENOMEM, "out of memory");
	vml_put64(pt, (LHV_VM_PT_GPA + PAGE) | VML_PTE_P | VML_PTE_RW);
	for (i = 0; i < npd; i++) {
		pd = LHV_VM_PT_GPA + (2 + i) * PAGE;
		vml_put64(pt + PAGE + i * 8, pd | VML_PTE_P | VML_PTE_RW);
		for (j = 0; j < 512; j++)
			vml_put64(pt + (2 + i) * PAGE + j * 8,
				  (i * GIB + j * MIB2) | VML_PTE_P |
					  VML_PTE_RW | VML_PTE_PS);
	}
	ret = vml_mem_claim(m, "page-tables", LHV_VM_PT_GPA, r->pt_size, err);
	if (!ret)
		ret = vml_mem_write(m, LHV_VM_PT_GPA, pt, r->pt_size, err);
	free(pt);
	return ret;
}

static void set_seg(struct lhv_vcpu_segment *s, uint16_t sel, uint16_t attr,
		    uint32_t limit)
{
	s->base = 0;
	s->limit = limit;
	s->selector = sel;
	s->attr = attr;
}

/* The GDT's descriptors: null, null, __BOOT_CS, __BOOT_DS. */
static const uint64_t gdt[4] = {
	0, 0, 0x00af9b000000ffffull, /* 64-bit code, flat */
	0x00cf93000000ffffull,	     /* data, flat */
};

static void boot_state(struct vml_result *r)
{
	struct lhv_vcpu_boot_state *b = &r->boot;

	memset(b, 0, sizeof(*b));
	b->version = LHV_VCPU_BOOT_STATE_VERSION;
	b->size = sizeof(*b);
	b->rip = r->kernel_gpa + STARTUP_64;
	b->rsi = LHV_VM_ZERO_PAGE_GPA;
	b->rsp = LHV_VM_STACK_GPA + PAGE;
	b->rflags = 0x2;
	b->cr0 = VML_CR0_PE | VML_CR0_ET | VML_CR0_NE | VML_CR0_PG;
	b->cr3 = LHV_VM_PT_GPA;
	b->cr4 = VML_CR4_PAE;
	b->efer = VML_EFER_LME | VML_EFER_LMA;
	b->gdtr_base = LHV_VM_GDT_GPA;
	b->gdtr_limit = sizeof(gdt) - 1;
	set_seg(&b->cs, LHV_VM_BOOT_CS, VML_ATTR_CODE64, 0xffffffff);
	set_seg(&b->ds, LHV_VM_BOOT_DS, VML_ATTR_DATA, 0xffffffff);
	b->es = b->ss = b->fs = b->gs = b->ds;
	set_seg(&b->tr, 0, VML_ATTR_TSS64_BUSY, 0x67);
	set_seg(&b->ldtr, 0, 0, 0);
}

/* The objects at fixed addresses (vm_layout.h), page tables excepted. */
static int place_fixed(struct vml_mem *m, const char *line, uint64_t len,
		       const uint32_t *ids, unsigned int n,
		       struct vml_result *r, struct vml_err *err)
{
	uint8_t g[sizeof(gdt)], *acpi;
	unsigned int i;
	int ret;

	for (i = 0; i < 4; i++)
		vml_put64(g + 8 * i, gdt[i]);
	ret = vml_mem_claim(m, "gdt", LHV_VM_GDT_GPA, PAGE, err);
	if (!ret)
		ret = vml_mem_write(m, LHV_VM_GDT_GPA, g, sizeof(g), err);
	if (!ret)
		ret = vml_mem_claim(m, "zero-page", LHV_VM_ZERO_PAGE_GPA, PAGE,
				    err);
	if (!ret)
		ret = vml_mem_claim(m, "stack", LHV_VM_STACK_GPA, PAGE, err);
	if (!ret)
		ret = vml_mem_claim(m, "cmdline", LHV_VM_CMDLINE_GPA,
				    LHV_VM_CMDLINE_MAX, err);
	if (!ret)
		ret = vml_mem_write(m, LHV_VM_CMDLINE_GPA, line, len + 1, err);
	if (ret)
		return ret;

	acpi = malloc(LHV_VM_ACPI_SIZE);
	if (!acpi)
		return vml_fail(err, -ENOMEM, "out of memory");
	ret = vml_acpi_build(acpi, LHV_VM_ACPI_GPA, LHV_VM_ACPI_SIZE, ids, n,
			     r->acpi, err);
	if (ret >= 0) {
		memset(acpi + ret, 0, LHV_VM_ACPI_SIZE - (uint64_t)ret);
		ret = vml_mem_claim(m, "acpi", LHV_VM_ACPI_GPA,
				    LHV_VM_ACPI_SIZE, err);
	}
	if (!ret)
		ret = vml_mem_write(m, LHV_VM_ACPI_GPA, acpi, LHV_VM_ACPI_SIZE,
				    err);
	free(acpi);
	return ret;
}

int vml_build(struct vml_mem *m, const struct vml_config *c,
	      struct vml_result *r, struct vml_err *err)
{
	char line[LHV_VM_CMDLINE_MAX];
	uint8_t zp[ZP_SIZE];
	int ret;

	memset(r, 0, sizeof(*r));
	ret = check_mem(m, err);
	if (!ret)
		ret = vml_bzimage_parse(c->kernel, c->kernel_size, &r->bz, err);
	if (!ret)
		ret = build_cmdline(c, r, line, err);
	if (!ret)
		ret = place_fixed(m, line, r->cmdline_len, c->apic_ids,
				  c->nr_cpus, r, err);
	if (!ret)
		ret = build_page_tables(m, r, err);
	if (!ret)
		ret = place_kernel(m, r, err);
	if (!ret)
		ret = place_initrd(m, c, r, err);
	if (ret)
		return ret;
	build_e820(m, r);
	zero_page(r, zp);
	ret = vml_mem_write(m, LHV_VM_ZERO_PAGE_GPA, zp, sizeof(zp), err);
	if (ret)
		return ret;
	boot_state(r);
	return 0;
}
