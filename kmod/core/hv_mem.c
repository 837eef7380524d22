// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Where hv memory comes from, and its two kernel mappings.
 *
 * Production: memory the bootloader or the kernel command line reserved
 * (`memmap=4M$0x20000000`), named to lhv.ko with hv_mem=<size>@<address>.
 * The SOS never owned it: it is not System RAM, so no allocator hands it
 * out and the kernel's direct map does not cover it. lhv.ko refuses to
 * load the hv when the parameter is missing or names memory that is not
 * reserved, and says how to reserve it.
 *
 * Development: hv_mem=dev takes the pages from the page allocator (at
 * most 4 MiB), with a warning: the SOS owned them before and still maps
 * them, although the hv's nested page table keeps it out.
 *
 * Mappings: the image runs at one virtual address (it is position
 * independent, but stores pointers), mapped with the text executable and
 * read-only; a second, writable mapping serves the copies of the image
 * and the reads of the log ring.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/pgtable.h>

#include "lhv.h"

static char *hv_mem;
module_param(hv_mem, charp, 0444);
MODULE_PARM_DESC(hv_mem, "Memory for the hypervisor: <size>@<physical "
			 "address> of a range reserved at boot (memmap=), "
			 "or \"dev\" for page-allocator memory (development "
			 "only)");

/* The largest block the page allocator gives (MAX_ORDER differs). */
#define LHV_HV_MEM_DEV_MAX (4UL << 20)

/*
 * Make [off, off + len) executable and read-only in the fresh vmap
 * mapping at base. vmap() maps everything NX since Linux 5.8 and
 * set_memory_x() is not exported, so the module edits the new PTEs
 * itself. Nothing has used them yet, so no TLB holds the old ones.
 */
static int lhv_hv_mem_map_text(void *base, u64 off, u64 len)
{
	unsigned long start = (unsigned long)base + off;
	unsigned long end = start + PAGE_ALIGN(len), addr;
	pgd_t *pgd = (pgd_t *)__va(read_cr3_pa());

	for (addr = start; addr < end; addr += PAGE_SIZE) {
		p4d_t *p4d = p4d_offset(pgd_offset_pgd(pgd, addr), addr);
		pud_t *pud;
		pmd_t *pmd;
		pte_t *pte;

		if (p4d_none(*p4d))
			return -EFAULT;
		pud = pud_offset(p4d, addr);
		if (pud_none(*pud) || pud_leaf(*pud))
			return -EFAULT;
		pmd = pmd_offset(pud, addr);
		if (pmd_none(*pmd) || pmd_leaf(*pmd))
			return -EFAULT;
		pte = pte_offset_kernel(pmd, addr);
		if (!pte_present(*pte))
			return -EFAULT;
		set_pte(pte, pte_wrprotect(pte_mkexec(*pte)));
	}
	return 0;
}

static const char lhv_hv_mem_howto[] =
	"reserve it at boot, e.g. memmap=4M$0x20000000 on the kernel "
	"command line, and load lhv with hv_mem=4M@0x20000000 (docs/hv.md); "
	"hv_mem=dev takes SOS pages for development";

/* A range named by hv_mem=<size>@<address>, checked to be reserved. */
static int lhv_hv_mem_reserved(struct lhv_hv_mem *m, size_t need)
{
	unsigned long long size, phys;
	char *rest;

	size = memparse(hv_mem, &rest);
	if (*rest != '@' || kstrtoull(rest + 1, 0, &phys) || !size) {
		pr_err("hv_mem=%s: not <size>@<address>\n", hv_mem);
		return -EINVAL;
	}
	if (!PAGE_ALIGNED(size) || !PAGE_ALIGNED(phys) || phys + size < phys) {
		pr_err("hv_mem=%s: size and address must be page aligned\n",
		       hv_mem);
		return -EINVAL;
	}
	if (size < need) {
		pr_err("hv_mem=%s: the hypervisor needs %zu bytes\n", hv_mem,
		       need);
		return -ENOSPC;
	}
	if (region_intersects(phys, size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("hv_mem=%s is System RAM the kernel owns: %s\n", hv_mem,
		       lhv_hv_mem_howto);
		return -EBUSY;
	}
	if (region_intersects(phys, size, IORESOURCE_MEM,
			      IORES_DESC_RESERVED) != REGION_INTERSECTS) {
		pr_err("hv_mem=%s is not (all) reserved memory: %s\n", hv_mem,
		       lhv_hv_mem_howto);
		return -EINVAL;
	}
	if (!pfn_valid(PHYS_PFN(phys)) ||
	    !pfn_valid(PHYS_PFN(phys + size - 1))) {
		pr_err("hv_mem=%s lies outside the kernel's memory map: "
		       "reserve it inside RAM\n",
		       hv_mem);
		return -EINVAL;
	}
	m->phys = phys;
	m->size = size;
	return 0;
}

static int lhv_hv_mem_dev(struct lhv_hv_mem *m, size_t need)
{
	if (need > LHV_HV_MEM_DEV_MAX) {
		pr_err("hv_mem=dev: the hypervisor needs %zu bytes, more than "
		       "the page allocator gives\n",
		       need);
		return -ENOMEM;
	}
	m->dev_virt =
		alloc_pages_exact(need, GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
	if (!m->dev_virt) {
		pr_err("no %zu bytes of contiguous memory for the hv\n", need);
		return -ENOMEM;
	}
	pr_warn("hv_mem=dev: hv memory from the page allocator; for "
		"development only, products reserve it at boot\n");
	m->phys = virt_to_phys(m->dev_virt);
	m->size = need;
	return 0;
}

int lhv_hv_mem_get(struct lhv_hv_mem *m, size_t need, u64 text_off,
		   u64 text_len)
{
	unsigned long i, n = need >> PAGE_SHIFT;
	struct page **pages;
	int err;

	memset(m, 0, sizeof(*m));
	if (!hv_mem || !*hv_mem) {
		pr_err("no memory reserved for the hypervisor: %s\n",
		       lhv_hv_mem_howto);
		return -ENOMEM;
	}
	err = strcmp(hv_mem, "dev") ? lhv_hv_mem_reserved(m, need)
				    : lhv_hv_mem_dev(m, need);
	if (err)
		return err;
	pages = kvmalloc_array(n, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		lhv_hv_mem_put(m);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		pages[i] = pfn_to_page(PHYS_PFN(m->phys) + i);
	m->mapped = need;
	m->xmap = vmap(pages, n, VM_MAP, PAGE_KERNEL);
	m->wmap = vmap(pages, n, VM_MAP, PAGE_KERNEL);
	kvfree(pages);
	err = m->xmap && m->wmap ? 0 : -ENOMEM;
	if (!err)
		err = lhv_hv_mem_map_text(m->xmap, text_off, text_len);
	if (err)
		lhv_hv_mem_put(m);
	return err;
}

void lhv_hv_mem_put(struct lhv_hv_mem *m)
{
	if (m->xmap)
		vunmap(m->xmap);
	if (m->wmap) {
		/* Nothing of the hv (its log, a seed) stays behind. */
		memset(m->wmap, 0, m->mapped);
		vunmap(m->wmap);
	}
	if (m->dev_virt)
		free_pages_exact(m->dev_virt, m->size);
	memset(m, 0, sizeof(*m));
}
