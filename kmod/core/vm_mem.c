// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The service VM's memory map. Its "guest-physical" addresses are the
 * Service OS's own physical addresses (the loopback transport's rings and
 * buffers are kernel memory), so the map is the list of System RAM ranges
 * taken at load, and a range maps through the kernel's direct map. Each VM
 * carries its own map (struct lhv_vm mem_ops/mem_ctx), so user VMs plug in
 * their chunk arrays the same way.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/io.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "lhv.h"

struct lhv_ram_range {
	u64 start;
	u64 last; /* inclusive: a range may end at 2^64 - 1 */
};

struct lhv_ram_map {
	unsigned int nr;
	struct lhv_ram_range *ranges; /* sorted, disjoint, not adjacent */
};

static struct lhv_ram_map lhv_service_ram;

struct lhv_ram_walk {
	unsigned int nr, max;
	struct lhv_ram_range *ranges; /* NULL while counting */
};

static int lhv_ram_walk_one(struct resource *res, void *arg)
{
	struct lhv_ram_walk *w = arg;

	if (w->ranges) {
		if (w->nr >= w->max)
			return 1; /* memory added since counting: skip it */
		w->ranges[w->nr].start = res->start;
		w->ranges[w->nr].last = res->end;
	}
	w->nr++;
	return 0;
}

static int lhv_ram_cmp(const void *a, const void *b)
{
	const struct lhv_ram_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

/* Sorts and merges adjacent ranges, so a buffer may straddle them. */
static unsigned int lhv_ram_merge(struct lhv_ram_range *r, unsigned int nr)
{
	unsigned int i, out = 0;

	if (!nr)
		return 0;
	sort(r, nr, sizeof(*r), lhv_ram_cmp, NULL);
	for (i = 1; i < nr; i++) {
		if (r[out].last != U64_MAX && r[i].start <= r[out].last + 1) {
			r[out].last = max(r[out].last, r[i].last);
			continue;
		}
		r[++out] = r[i];
	}
	return out + 1;
}

int lhv_vm_mem_init(void)
{
	const unsigned long flags = IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY;
	struct lhv_ram_walk w = { 0 };

	walk_iomem_res_desc(IORES_DESC_NONE, flags, 0, -1, &w,
			    lhv_ram_walk_one);
	if (!w.nr) {
		pr_err("no System RAM resources found\n");
		return -ENODEV;
	}
	w.max = w.nr;
	w.nr = 0;
	w.ranges = kcalloc(w.max, sizeof(*w.ranges), GFP_KERNEL);
	if (!w.ranges)
		return -ENOMEM;
	walk_iomem_res_desc(IORES_DESC_NONE, flags, 0, -1, &w,
			    lhv_ram_walk_one);
	lhv_service_ram.ranges = w.ranges;
	lhv_service_ram.nr = lhv_ram_merge(w.ranges, min(w.nr, w.max));
	return 0;
}

void lhv_vm_mem_exit(void)
{
	kfree(lhv_service_ram.ranges);
	lhv_service_ram.ranges = NULL;
	lhv_service_ram.nr = 0;
}

/* The range holding addr, by binary search, or NULL. */
static const struct lhv_ram_range *lhv_ram_find(const struct lhv_ram_map *m,
						u64 addr)
{
	unsigned int lo = 0, hi = m->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct lhv_ram_range *r = &m->ranges[mid];

		if (addr < r->start)
			hi = mid;
		else if (addr > r->last)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

/*
 * All of System RAM is writable for the device: the service VM's driver
 * is this kernel, which trusts itself as much as any device it drives.
 * The direct map is contiguous across a whole (merged) RAM range, so a
 * piece ends only where the range does.
 */
static void *lhv_service_map(void *ctx, u64 gpa, u64 len, bool writable,
			     u64 *mapped)
{
	const struct lhv_ram_map *m = ctx;
	const struct lhv_ram_range *r;
	u64 last;

	if (!len || check_add_overflow(gpa, len - 1, &last))
		return NULL;
	r = lhv_ram_find(m, gpa);
	if (!r)
		return NULL;
	/* r->last - gpa + 1 may be 2^64: compare the inclusive ends. */
	*mapped = last <= r->last ? len : r->last - gpa + 1;
	return phys_to_virt(gpa);
}

const struct virtq_mem_ops lhv_service_mem_ops = {
	.map = lhv_service_map,
};

void *lhv_service_mem_ctx(void)
{
	return &lhv_service_ram;
}
