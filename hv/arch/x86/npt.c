// SPDX-License-Identifier: BSD-3-Clause
/*
 * The Service OS's nested page table (see asm/npt.h). 2 MiB leaves
 * everywhere (1 GiB leaves are not usable under QEMU TCG, see DESIGN.md),
 * split into 4 KiB pages only where hv memory lies. Nested page table
 * walks count as user accesses, so every entry has U/S set.
 */
#include <lhv/vm_layout.h>
#include <asm/npt.h>
#include <asm/processor.h>
#include <hv/compiler.h>
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/memory.h>
#include <hv/page.h>
#include <hv/spinlock.h>
#include <hv/string.h>

#define PTE_P (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_US (1ULL << 2)
#define PTE_PS (1ULL << 7)
#define PTE_NX_BIT (1ULL << 63)
#define PTE_TABLE (PTE_P | PTE_RW | PTE_US)

#define SIZE_2M (1ULL << 21)
#define SIZE_1G (1ULL << 30)
#define ENTRIES 512

/* Enough 4 KiB tables for hv memory up to 6 MiB at any alignment. */
#define NPT_PT_MAX 4

typedef u64 npt_table[ENTRIES] __aligned(PAGE_SIZE);

static npt_table npt_pml5;
static npt_table npt_pml4;
static npt_table npt_pdpt;
static npt_table npt_pd[HV_NPT_GUEST_GIB];
static npt_table npt_pt[NPT_PT_MAX];

/*
 * Beyond the first HV_NPT_GUEST_GIB: SOS physical space mapped on demand,
 * a GiB at a time, when the SOS first touches it (high PCI windows of
 * 64-bit BARs, RAM of big boards). hv memory is always below, so the
 * policy stays "everything but hv memory"; the pools bound what it costs.
 */
#define NPT_EXTRA_GIB 32
#define NPT_EXTRA_PDPT 8
#define NPT_MAX_GPA (1ULL << 48) /* four levels: 256 TiB */

static npt_table npt_pd_extra[NPT_EXTRA_GIB];
static npt_table npt_pdpt_extra[NPT_EXTRA_PDPT];
static unsigned int npt_extra_pds, npt_extra_pdpts;
static spinlock_t npt_extra_lock;

/*
 * The nested walk has as many levels as the host's own paging: five when
 * the host runs with CR4.LA57 (Linux does on CPUs that have it, QEMU's
 * -cpu max included), so a top level is added then.
 */
static bool npt_five_levels;

u64 npt_root_pa(void)
{
	return npt_five_levels ? hv_pa(npt_pml5) : hv_pa(npt_pml4);
}

/* Whether physical page @pa is part of the log ring the SOS may read. */
static bool in_log(u64 pa)
{
	u64 start = hv_mem_start() + hv_image_header.log_offset;
	u64 end =
		start + sizeof(struct lhv_log_ring) + hv_image_header.log_size;

	return pa >= (start & ~(u64)(PAGE_SIZE - 1)) && pa < end;
}

/* Replaces the 2 MiB leaf at @base by a 4 KiB table without hv pages. */
static int split_2m(u64 base, unsigned int *used)
{
	u64 *pde = &npt_pd[base / SIZE_1G][(base / SIZE_2M) % ENTRIES];
	u64 *pt;
	unsigned int i;

	if (*used == NPT_PT_MAX)
		return -ENOMEM;
	pt = npt_pt[(*used)++];
	for (i = 0; i < ENTRIES; i++) {
		u64 pa = base + (u64)i * PAGE_SIZE;

		if (pa < hv_mem_start() || pa >= hv_mem_end())
			pt[i] = pa | PTE_P | PTE_RW | PTE_US;
		else if (in_log(pa))
			pt[i] = pa | PTE_P | PTE_US;
		else
			pt[i] = 0;
	}
	*pde = hv_pa(pt) | PTE_TABLE;
	return 0;
}

bool npt_map_gib(u64 gpa)
{
	u64 *pml4e, *pdpt, *pdpte, gib = gpa / SIZE_1G, i;
	bool done = false;

	if (gpa < (u64)HV_NPT_GUEST_GIB * SIZE_1G || gpa >= NPT_MAX_GPA)
		return false;
	spin_lock(&npt_extra_lock);
	pml4e = &npt_pml4[gpa >> 39];
	if (!(*pml4e & PTE_P)) {
		if (npt_extra_pdpts == NPT_EXTRA_PDPT)
			goto out;
		*pml4e = hv_pa(npt_pdpt_extra[npt_extra_pdpts++]) | PTE_TABLE;
	}
	/* The table a PML4 entry points to is one of ours: find it. */
	pdpt = NULL;
	if ((*pml4e & ~0xfffULL) == hv_pa(npt_pdpt))
		pdpt = npt_pdpt;
	for (i = 0; !pdpt && i < npt_extra_pdpts; i++)
		if ((*pml4e & ~0xfffULL) == hv_pa(npt_pdpt_extra[i]))
			pdpt = npt_pdpt_extra[i];
	if (!pdpt)
		goto out;
	pdpte = &pdpt[gib % ENTRIES];
	/* Another CPU mapped it first: nothing to do but retry. */
	if (*pdpte & PTE_P) {
		done = true;
		goto out;
	}
	if (npt_extra_pds == NPT_EXTRA_GIB)
		goto out;
	for (i = 0; i < ENTRIES; i++)
		npt_pd_extra[npt_extra_pds][i] = (gib * SIZE_1G + i * SIZE_2M) |
						 PTE_P | PTE_RW | PTE_US |
						 PTE_PS;
	__atomic_store_n(pdpte,
			 hv_pa(npt_pd_extra[npt_extra_pds++]) | PTE_TABLE,
			 __ATOMIC_RELEASE);
	log_printf("lhv: NPT: SOS GiB %llu mapped on first use\n",
		   (unsigned long long)gib);
	done = true;
out:
	spin_unlock(&npt_extra_lock);
	return done;
}

int npt_setup(void)
{
	unsigned int used = 0;
	u64 gib, i, base;
	int err;

	if (hv_mem_end() > (u64)HV_NPT_GUEST_GIB * SIZE_1G) {
		log_printf("lhv: hv memory above the %u GiB the NPT covers\n",
			   HV_NPT_GUEST_GIB);
		return -ERANGE;
	}

	npt_five_levels = read_cr4() & X86_CR4_LA57;
	npt_pml5[0] = hv_pa(npt_pml4) | PTE_TABLE;
	npt_pml4[0] = hv_pa(npt_pdpt) | PTE_TABLE;
	for (gib = 0; gib < HV_NPT_GUEST_GIB; gib++) {
		npt_pdpt[gib] = hv_pa(npt_pd[gib]) | PTE_TABLE;
		for (i = 0; i < ENTRIES; i++)
			npt_pd[gib][i] = (gib * SIZE_1G + i * SIZE_2M) | PTE_P |
					 PTE_RW | PTE_US | PTE_PS;
	}

	for (base = hv_mem_start() & ~(SIZE_2M - 1); base < hv_mem_end();
	     base += SIZE_2M) {
		err = split_2m(base, &used);
		if (err) {
			log_printf("lhv: hv memory needs more than %u NPT "
				   "tables\n",
				   NPT_PT_MAX);
			return err;
		}
	}
	return 0;
}

/* User VMs' tables (asm/npt.h): 2 MiB leaves, write-back, U/S set. */

void npt_vm_init(struct npt_vm *t)
{
	unsigned int i;

	memset(t, 0, sizeof(*t));
	t->pml5[0] = hv_pa(t->pml4) | PTE_TABLE;
	t->pml4[0] = hv_pa(t->pdpt) | PTE_TABLE;
	for (i = 0; i < NPT_VM_PDS; i++)
		t->pdpt[i] = hv_pa(t->pd[i]) | PTE_TABLE;
}

void npt_vm_map_chunk(struct npt_vm *t, u64 index, u64 hpa)
{
	t->pd[index / ENTRIES][index % ENTRIES] =
		hpa | PTE_P | PTE_RW | PTE_US | PTE_PS;
	t->chunks++;
}

bool npt_vm_maps(const struct npt_vm *t, u64 hpa)
{
	u64 i;

	for (i = 0; i < t->chunks; i++)
		if ((t->pd[i / ENTRIES][i % ENTRIES] & ~(SIZE_2M - 1) &
		     ~PTE_NX_BIT) == hpa)
			return true;
	return false;
}

u64 npt_vm_chunk_hpa(const struct npt_vm *t, u64 index)
{
	if (index >= t->chunks)
		return 0;
	return t->pd[index / ENTRIES][index % ENTRIES] & ~(SIZE_2M - 1) &
	       ~PTE_NX_BIT;
}

u64 npt_vm_root_pa(const struct npt_vm *t)
{
	return npt_five_levels ? hv_pa(t->pml5) : hv_pa(t->pml4);
}
