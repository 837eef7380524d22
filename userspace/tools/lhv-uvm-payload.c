// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhv-uvm-payload <vm> <hello|cpuid|triple|npf|npfexec|ipi|spin|vseed>: loads one of the
 * tiny programs of uvm-payloads.S into a created user VM through
 * /dev/lhv-<vm> (mmap of its RAM, LHV_VM_IOC_SET_BOOT) with identity page
 * tables for the first 4 GiB and a flat GDT, entry at 0x10000 in 64-bit
 * mode. For the QEMU scenarios of the hv's user VM support; the real
 * loader is lhvctl vm load.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <lhv/vm_dev.h>

#define MAP_SIZE (2UL << 20) /* the VM's first chunk */
#define PML4 0x1000
#define PDPT 0x2000
#define PD0 0x3000 /* four page directories: 4 GiB in 2 MiB pages */
#define GDT 0x800
#define ENTRY 0x10000
#define STACK 0x80000

#define PG_P 0x1ULL
#define PG_RW 0x2ULL
#define PG_PS 0x80ULL

#define DECLARE_PAYLOAD(n)                                                     \
	extern const unsigned char uvm_payload_##n[], uvm_payload_##n##_end[]

DECLARE_PAYLOAD(hello);
DECLARE_PAYLOAD(cpuid);
DECLARE_PAYLOAD(triple);
DECLARE_PAYLOAD(npf);
DECLARE_PAYLOAD(npfexec);
DECLARE_PAYLOAD(ipi);
DECLARE_PAYLOAD(spin);
DECLARE_PAYLOAD(vseed);

static const struct {
	const char *name;
	const unsigned char *start, *end;
} payloads[] = {
#define P(n)                                                                   \
	{                                                                      \
#n, uvm_payload_##n, uvm_payload_##n##_end                     \
	}
	P(hello),   P(cpuid), P(triple), P(npf),
	P(npfexec), P(ipi),   P(spin),	 P(vseed),
#undef P
};

static void put64(unsigned char *mem, uint64_t at, uint64_t v)
{
	memcpy(mem + at, &v, sizeof(v));
}

static void build(unsigned char *mem, const unsigned char *code, size_t len)
{
	uint64_t i;

	memset(mem, 0, MAP_SIZE);
	put64(mem, PML4, PDPT | PG_P | PG_RW);
	for (i = 0; i < 4; i++)
		put64(mem, PDPT + 8 * i, (PD0 + 0x1000 * i) | PG_P | PG_RW);
	for (i = 0; i < 4 * 512; i++)
		put64(mem, PD0 + 8 * i, (i << 21) | PG_P | PG_RW | PG_PS);
	put64(mem, GDT + 0x10, 0x00af9a000000ffffULL); /* 64-bit code */
	put64(mem, GDT + 0x18, 0x00cf92000000ffffULL); /* data */
	memcpy(mem + ENTRY, code, len);
}

int main(int argc, char **argv)
{
	struct lhv_vm_boot boot = { 0 };
	const unsigned char *code = NULL;
	size_t i, len = 0;
	unsigned char *mem;
	char path[96];
	int fd;

	if (argc != 3) {
		fprintf(stderr,
			"usage: lhv-uvm-payload <vm> "
			"<hello|cpuid|triple|npf|npfexec|ipi|spin|vseed>\n");
		return 2;
	}
	for (i = 0; i < sizeof(payloads) / sizeof(payloads[0]); i++) {
		if (!strcmp(argv[2], payloads[i].name)) {
			code = payloads[i].start;
			len = (size_t)(payloads[i].end - payloads[i].start);
		}
	}
	if (!code) {
		fprintf(stderr, "lhv-uvm-payload: no payload '%s'\n", argv[2]);
		return 2;
	}
	snprintf(path, sizeof(path), "/dev/lhv-%s", argv[1]);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "lhv-uvm-payload: %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	mem = mmap(NULL, MAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mem == MAP_FAILED) {
		fprintf(stderr, "lhv-uvm-payload: mmap: %s\n", strerror(errno));
		return 1;
	}
	build(mem, code, len);
	munmap(mem, MAP_SIZE);

	boot.state.rip = ENTRY;
	boot.state.rsp = STACK;
	boot.state.rflags = 0x2;
	boot.state.cr0 = 0x80050033; /* PG, AM, WP, NE, ET, MP, PE */
	boot.state.cr3 = PML4;
	boot.state.cr4 = 0x620;	 /* PAE, OSFXSR, OSXMMEXCPT */
	boot.state.efer = 0x500; /* LME, LMA */
	boot.state.gdt_base = GDT;
	boot.state.gdt_limit = 0x1f;
	boot.state.cs = 0x10;
	boot.state.ds = 0x18;
	if (ioctl(fd, LHV_VM_IOC_SET_BOOT, &boot)) {
		fprintf(stderr, "lhv-uvm-payload: set boot state: %s\n",
			strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}
