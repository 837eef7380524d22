// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness for the bzImage setup-header parser and the UOS image
 * builder (userspace/vmload/). The input is a control block (vCPUs,
 * initrd size, command line length, TSC flag) and then the kernel file.
 * The header is parsed, and the image built end to end into 32 MiB of
 * guest RAM; whatever the input, the parser's promises (the parts lie
 * inside the file, the sizes agree) and the builder's (objects inside RAM
 * and disjoint, the kernel's bytes where the boot state points, the
 * e820 a partition of RAM plus the reserved ECAM, every ACPI checksum
 * right) must hold.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "vmload.h"

#define RAM (32u << 20)
#define CTL_LEN 6

struct ctl {
	uint8_t cpus;	       /* % VML_MAX_CPUS + 1 */
	uint16_t initrd_pages; /* initrd size in 4 KiB pages, % 2048 */
	uint16_t cmdline_len;  /* % 2100 */
	uint8_t tsc;	       /* odd: a TSC frequency is given */
};

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void check_bz(const struct vml_bzimage *bz, size_t size)
{
	check(bz->hdr_end >= BZ_HDR_MIN_END && bz->hdr_end <= BZ_HDR_MAX_END);
	check(bz->setup_size >= bz->hdr_end && bz->setup_size < size);
	check(bz->pm_size && bz->pm_size <= size - bz->setup_size);
	check(bz->init_size >= bz->pm_size);
	check(!(bz->kernel_alignment & (bz->kernel_alignment - 1)));
	check(bz->version >= BZ_MIN_VERSION);
	check(bz->xloadflags & BZ_XLF_KERNEL_64);
}

static void check_mem(const struct vml_mem *m)
{
	unsigned int i, j;

	for (i = 0; i < m->nr_objs; i++) {
		const struct vml_obj *a = &m->obj[i];

		check(a->size && a->gpa + a->size <= RAM);
		for (j = 0; j < i; j++)
			check(a->gpa + a->size <= m->obj[j].gpa ||
			      m->obj[j].gpa + m->obj[j].size <= a->gpa);
	}
}

static void check_result(const struct vml_mem *m, const struct vml_result *r,
			 const uint8_t *kernel, const uint8_t *ram)
{
	uint64_t end = 0;
	unsigned int i;

	check(r->kernel_gpa % r->bz.kernel_alignment == 0);
	check(r->boot.rip == r->kernel_gpa + 0x200);
	check(!memcmp(ram + r->kernel_gpa, kernel + r->bz.setup_size,
		      r->bz.pm_size));
	check(r->kernel_gpa + r->kernel_window <= RAM);
	check(!r->initrd_size || (r->initrd_gpa % 4096 == 0 &&
				  r->initrd_gpa + r->initrd_size <= RAM));
	check(ram[LHV_VM_CMDLINE_GPA + r->cmdline_len] == '\0');
	check(r->cmdline_len <= r->bz.cmdline_size);
	for (i = 0; i < r->nr_e820; i++) {
		/* The last entry: the ECAM of the MCFG's buses, not RAM. */
		if (i == r->nr_e820 - 1) {
			check(r->e820[i].addr == LHV_VM_ECAM_BASE);
			check(r->e820[i].size ==
			      ((uint64_t)LHV_VM_ECAM_BUS_LAST + 1) << 20);
			check(r->e820[i].type == VML_E820_RESERVED);
			break;
		}
		check(r->e820[i].addr == end);
		end += r->e820[i].size;
	}
	check(end == RAM);
	for (i = 1; i < VML_ACPI_NR; i++)
		check(!vml_acpi_checksum(ram + r->acpi[i].gpa,
					 r->acpi[i].size));
	check(!vml_acpi_checksum(ram + LHV_VM_ACPI_GPA, 36));
	check_mem(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *ram, initrd[2048 * 4096];
	static char line[2101];
	static uint32_t ids[VML_MAX_CPUS];
	struct vml_config c = { .apic_ids = ids };
	struct vml_result *r;
	struct vml_bzimage bz;
	struct vml_err err;
	struct vml_mem m;
	struct ctl k;
	unsigned int i;

	if (!ram) {
		ram = mmap(NULL, RAM, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		check(ram != MAP_FAILED);
		for (i = 0; i < VML_MAX_CPUS; i++)
			ids[i] = i * 3;
		memset(initrd, 0x5a, sizeof(initrd));
		memset(line, 'x', sizeof(line) - 1);
	}
	if (size < CTL_LEN)
		return 0;
	k.cpus = data[0];
	k.initrd_pages = (uint16_t)(data[1] | data[2] << 8);
	k.cmdline_len = (uint16_t)(data[3] | data[4] << 8);
	k.tsc = data[5];
	data += CTL_LEN;
	size -= CTL_LEN;

	/* The parser alone, on a copy of exactly the file's bytes. */
	uint8_t *file = malloc(size ? size : 1);

	check(file != NULL);
	memcpy(file, data, size);
	if (!vml_bzimage_parse(file, size, &bz, &err))
		check_bz(&bz, size);

	memset(&m, 0, sizeof(m));
	m.nr_ranges = 1;
	m.range[0].size = RAM;
	m.range[0].host = ram;
	c.kernel = file;
	c.kernel_size = size;
	c.nr_cpus = k.cpus % VML_MAX_CPUS + 1;
	c.initrd_size = (size_t)(k.initrd_pages % 2048) * 4096 + (k.tsc >> 4);
	c.initrd = c.initrd_size ? initrd : NULL;
	if (c.initrd_size > sizeof(initrd))
		c.initrd_size = sizeof(initrd);
	line[k.cmdline_len % (sizeof(line) - 1)] = '\0';
	c.cmdline = line;
	c.tsc_khz = k.tsc & 1 ? 1000u * k.tsc + 1 : 0;
	r = malloc(sizeof(*r));
	check(r != NULL);
	if (!vml_build(&m, &c, r, &err))
		check_result(&m, r, file, ram);
	else
		check(err.msg[0] != '\0');
	line[k.cmdline_len % (sizeof(line) - 1)] = 'x';
	free(r);
	free(file);
	return 0;
}
