// SPDX-License-Identifier: BSD-3-Clause
/*
 * The hv's own page table (asm/paging.h). Built once per enable from a
 * fixed pool of tables in .bss; four or five levels as the host runs
 * (CR4.LA57 cannot change in long mode). The text is read-only and
 * executable, everything else writable and not executable.
 */
#include <asm/paging.h>
#include <asm/processor.h>
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/memory.h>
#include <hv/page.h>
#include <hv/percpu.h>

#define PTE_P (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_NX (1ULL << 63)
#define PTE_PWT (1ULL << 3)
#define PTE_PCD (1ULL << 4)
#define PTE_ADDR 0x000ffffffffff000ULL
#define ENTRIES 512

/*
 * Tables for the image and the windows at any alignment: a root (plus a
 * PML4 under LA57), and below it at most two of each lower level, since
 * the mapped range (a few MiB) crosses at most one boundary per level;
 * the PTs cover up to 8 MiB.
 */
#define PAGING_POOL 12

typedef u64 page_table[ENTRIES] __aligned(PAGE_SIZE);
static page_table paging_pool[PAGING_POOL];
static unsigned int paging_used;
static bool paging_five_levels;
/* Window of cpu n: paging_window_va + n * PAGE_SIZE; PTEs cached here. */
static u64 paging_window_va;
static u64 *paging_window_pte[HV_MAX_CPUS];

static inline void invlpg(u64 va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

u64 paging_root_pa(void)
{
	return hv_pa(paging_pool[0]);
}

/* The PTE for @va, allocating the tables above it. */
static u64 *paging_walk(u64 va)
{
	unsigned int level = paging_five_levels ? 5 : 4;
	u64 *table = paging_pool[0];

	for (; level > 1; level--) {
		unsigned int shift = 12 + 9 * (level - 1);
		u64 *entry = &table[(va >> shift) % ENTRIES];

		if (!(*entry & PTE_P)) {
			if (paging_used == PAGING_POOL)
				return NULL;
			*entry = hv_pa(paging_pool[paging_used++]) | PTE_P |
				 PTE_RW;
		}
		/* Tables are in hv memory: physical = image offset. */
		table = (u64 *)(__hv_image_start +
				((*entry & PTE_ADDR) - hv_mem_start()));
	}
	return &table[(va >> 12) % ENTRIES];
}

int paging_setup(void)
{
	u64 va = (u64)__hv_image_start, size = hv_image_header.mem_size;
	u64 text_start = hv_image_header.text_offset;
	u64 text_end = text_start + hv_image_header.text_size;
	u64 off;
	unsigned int cpu;

	paging_five_levels = read_cr4() & X86_CR4_LA57;
	paging_used = 1;
	for (off = 0; off < size; off += PAGE_SIZE) {
		u64 *pte = paging_walk(va + off);
		u64 flags = PTE_P;

		if (!pte)
			goto full;
		if (off < text_start || off >= text_end)
			flags |= PTE_RW | PTE_NX;
		*pte = (hv_mem_start() + off) | flags;
	}
	paging_window_va = va + size;
	for (cpu = 0; cpu < HV_MAX_CPUS; cpu++) {
		paging_window_pte[cpu] =
			paging_walk(paging_window_va + cpu * PAGE_SIZE);
		if (!paging_window_pte[cpu])
			goto full;
	}
	return 0;
full:
	log_printf("lhv: the hv page table needs more than %u tables\n",
		   PAGING_POOL);
	return -ENOMEM;
}

static void *map_window(unsigned int cpu_id, u64 pa, u64 flags)
{
	u64 va = paging_window_va + (u64)cpu_id * PAGE_SIZE;

	*paging_window_pte[cpu_id] =
		(pa & PTE_ADDR) | PTE_P | PTE_RW | PTE_NX | flags;
	invlpg(va);
	return (void *)(va + (pa & (PAGE_SIZE - 1)));
}

void *paging_map_window(unsigned int cpu_id, u64 pa)
{
	return map_window(cpu_id, pa, 0);
}

void *paging_map_window_uc(unsigned int cpu_id, u64 pa)
{
	return map_window(cpu_id, pa, PTE_PCD | PTE_PWT);
}

void paging_unmap_window(unsigned int cpu_id)
{
	*paging_window_pte[cpu_id] = 0;
	invlpg(paging_window_va + (u64)cpu_id * PAGE_SIZE);
}
