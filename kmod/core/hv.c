// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Loading and enabling the hypervisor image lhv.bin (loader contract in
 * uapi/lhv/hv_image.h, design in docs/hv.md).
 *
 * Enable: request_firmware("lhv/lhv.bin"), check the header with the
 * shared portable check, give the image physically contiguous memory,
 * map it executable and call its entry on every online CPU: each CPU
 * returns from the call as a guest of the hv. Disable: LHV_HC_DISABLE on
 * each of those CPUs returns it to bare metal. The memory stays with the
 * image (its log readable) until the module unloads.
 *
 * hv memory comes from the page allocator for now (alloc_pages_exact: at
 * most MAX_ORDER pages), and the hv removes it from the SOS's view in its
 * nested page table; reserving it at boot (memmap= or CMA) is the plan for
 * products, where the SOS must never have owned it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/firmware.h>
#include <linux/gfp.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <lhv/hv_image.h>
#include <lhv/hypercall.h>
#include <lhv/version.h>

#include "image_check.h"
#include "lhv.h"

#define LHV_HV_FIRMWARE "lhv/lhv.bin"

static bool hv_enable;
module_param(hv_enable, bool, 0444);
MODULE_PARM_DESC(hv_enable, "Load lhv/lhv.bin and run the Service OS under "
			    "it when the module loads (default off)");

typedef int (*lhv_hv_entry_fn)(struct lhv_hv_boot *boot);

/* Everything below is under lhv_hv_lock. */
static DEFINE_MUTEX(lhv_hv_lock);
static struct {
	enum lhv_hv_state state;
	struct lhv_hv_image_header hdr;
	void *image;	     /* a copy of the file's image_size bytes */
	void *mem;	     /* hv memory in the direct map */
	void *map;	     /* the same pages, mapped executable */
	bool fresh;	     /* hv memory never entered: hand the seed over */
	struct cpumask cpus; /* CPUs running under the hv */
} hv;

/* Per-CPU results of entering or leaving the hv. */
struct lhv_hv_call {
	struct lhv_hv_boot_info *info; /* entering only */
	int ret[NR_CPUS];
};

static void lhv_hv_unload(void)
{
	if (hv.map)
		vunmap(hv.map);
	if (hv.mem) {
		/* The keep area holds the platform seed. */
		memzero_explicit(hv.mem + hv.hdr.keep_offset, hv.hdr.keep_size);
		free_pages_exact(hv.mem, hv.hdr.mem_size);
		lhv_seed_lost();
	}
	kvfree(hv.image);
	hv.map = NULL;
	hv.mem = NULL;
	hv.image = NULL;
	hv.state = LHV_HV_ABSENT;
}

/*
 * Make the image's text executable and read-only in hv.map. vmap() maps
 * everything NX since Linux 5.8 and set_memory_x() is not exported, so
 * the module edits the fresh mapping's PTEs itself. Nothing has used them
 * yet, so no TLB holds the old ones; a stale entry would only cause a
 * spurious fault, which the kernel resolves by rechecking the PTE.
 */
static int lhv_hv_map_text(void)
{
	unsigned long start = (unsigned long)hv.map + hv.hdr.text_offset;
	unsigned long end = start + PAGE_ALIGN(hv.hdr.text_size), addr;
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

static int lhv_hv_map(void)
{
	unsigned long i, n = hv.hdr.mem_size >> PAGE_SHIFT;
	struct page **pages;

	hv.mem = alloc_pages_exact(hv.hdr.mem_size,
				   GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
	if (!hv.mem) {
		pr_err("no %llu bytes of contiguous memory for the hv\n",
		       hv.hdr.mem_size);
		return -ENOMEM;
	}
	hv.fresh = true;
	pages = kvmalloc_array(n, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		pages[i] = virt_to_page(hv.mem + i * PAGE_SIZE);
	/* One mapping: the image addresses itself relative to %rip. */
	hv.map = vmap(pages, n, VM_MAP, PAGE_KERNEL);
	kvfree(pages);
	return hv.map ? lhv_hv_map_text() : -ENOMEM;
}

static int lhv_hv_load(void)
{
	const struct firmware *fw;
	const char *why;
	int err;

	err = request_firmware(&fw, LHV_HV_FIRMWARE, NULL);
	if (err) {
		pr_err("cannot load firmware %s (%d)\n", LHV_HV_FIRMWARE, err);
		return err;
	}
	err = hv_image_check(fw->data, fw->size, &why);
	if (err) {
		pr_err("%s refused: %s\n", LHV_HV_FIRMWARE, why);
		goto out;
	}
	memcpy(&hv.hdr, fw->data, sizeof(hv.hdr));
	if (hv.hdr.max_cpus < nr_cpu_ids) {
		pr_err("%s handles %u CPUs, this system has %u\n",
		       LHV_HV_FIRMWARE, hv.hdr.max_cpus, nr_cpu_ids);
		err = -E2BIG;
		goto out;
	}
	err = -ENOMEM;
	hv.image = kvmalloc(hv.hdr.image_size, GFP_KERNEL);
	if (!hv.image)
		goto out;
	memcpy(hv.image, fw->data, hv.hdr.image_size);
	err = lhv_hv_map();
	if (!err) {
		hv.state = LHV_HV_LOADED;
		pr_info("loaded %s: hv %.16s, image %llu bytes, memory %llu "
			"bytes at %pa\n",
			LHV_HV_FIRMWARE, hv.hdr.version, hv.hdr.image_size,
			hv.hdr.mem_size,
			&(phys_addr_t){ virt_to_phys(hv.mem) });
	}
out:
	release_firmware(fw);
	if (err)
		lhv_hv_unload();
	return err;
}

struct lhv_ram_fill {
	struct lhv_hv_boot_info *info;
	bool overflow;
};

static int lhv_hv_ram_one(struct resource *res, void *arg)
{
	struct lhv_ram_fill *f = arg;
	struct lhv_hv_boot_info *info = f->info;
	u64 start = PAGE_ALIGN(res->start);
	u64 end = (res->end + 1) & PAGE_MASK;
	struct lhv_hv_ram_range *last;

	if (end <= start)
		return 0;
	last = info->nr_ram ? &info->ram[info->nr_ram - 1] : NULL;
	if (last && start == last->end) {
		last->end = end;
		return 0;
	}
	if (info->nr_ram == LHV_HV_MAX_RAM_RANGES) {
		f->overflow = true;
		return 1;
	}
	info->ram[info->nr_ram].start = start;
	info->ram[info->nr_ram].end = end;
	info->nr_ram++;
	return 0;
}

/*
 * The once-per-enable block: the SOS's System RAM (hypercall arguments
 * must lie in it) in ascending order, as the resource walk visits it.
 */
static int lhv_hv_fill_info(struct lhv_hv_boot_info *info)
{
	struct lhv_ram_fill f = { .info = info };
	bool first = hv.fresh;

	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	walk_iomem_res_desc(IORES_DESC_NONE,
			    IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0, -1, &f,
			    lhv_hv_ram_one);
	if (f.overflow) {
		pr_err("more than %u System RAM ranges: the hv cannot check "
		       "hypercall arguments against them\n",
		       LHV_HV_MAX_RAM_RANGES);
		return -E2BIG;
	}
	if (!info->nr_ram)
		return -ENOMEM;
	/* Once per hv memory: the bootloader's page is zeroed when read. */
	hv.fresh = false;
	lhv_seed_fill(info, first);
	return 0;
}

static void lhv_hv_enter_cpu(void *data)
{
	struct lhv_hv_call *call = data;
	unsigned int cpu = smp_processor_id();
	lhv_hv_entry_fn entry = hv.map + hv.hdr.entry_offset;
	struct lhv_hv_boot boot = {
		.size = sizeof(boot),
		.abi_version = LHV_ABI_VERSION,
		.cpu_id = cpu,
		.image_phys = virt_to_phys(hv.mem),
		.info = (unsigned long)call->info,
	};

	call->ret[cpu] = entry(&boot);
}

static void lhv_hv_leave_cpu(void *data)
{
	struct lhv_hv_call *call = data;

	call->ret[smp_processor_id()] = lhv_vmmcall(LHV_HC_DISABLE, 0, 0);
}

/* Returns every CPU in hv.cpus to bare metal. */
static int lhv_hv_leave(struct lhv_hv_call *call)
{
	unsigned int cpu;
	int err = 0;

	on_each_cpu_mask(&hv.cpus, lhv_hv_leave_cpu, call, true);
	for_each_cpu(cpu, &hv.cpus)
	{
		if (call->ret[cpu]) {
			pr_err("cpu %u did not leave the hv (%d)\n", cpu,
			       call->ret[cpu]);
			err = call->ret[cpu];
		}
	}
	if (!err)
		cpumask_clear(&hv.cpus);
	return err;
}

static int lhv_hv_enter(struct lhv_hv_call *call)
{
	unsigned int cpu;
	int err = 0;

	/*
	 * A fresh hv each time: its data as in the file, .bss zeroed but for
	 * the keep area (the platform seed; image_check.c checked it lies in
	 * .bss). Written through the direct map: hv.map has the text
	 * read-only.
	 */
	memcpy(hv.mem, hv.image, hv.hdr.image_size);
	memset(hv.mem + hv.hdr.image_size, 0,
	       hv.hdr.keep_size ? hv.hdr.keep_offset - hv.hdr.image_size
				: hv.hdr.mem_size - hv.hdr.image_size);
	if (hv.hdr.keep_size)
		memset(hv.mem + hv.hdr.keep_offset + hv.hdr.keep_size, 0,
		       hv.hdr.mem_size - hv.hdr.keep_offset - hv.hdr.keep_size);

	call->info = kzalloc(sizeof(*call->info), GFP_KERNEL);
	if (!call->info)
		return -ENOMEM;
	err = lhv_hv_fill_info(call->info);
	if (err)
		goto out;
	memset(call->ret, 0, sizeof(call->ret));
	on_each_cpu(lhv_hv_enter_cpu, call, true);
	for_each_online_cpu(cpu)
	{
		if (!call->ret[cpu]) {
			cpumask_set_cpu(cpu, &hv.cpus);
		} else {
			pr_err("cpu %u: the hv refused to start (%d)\n", cpu,
			       call->ret[cpu]);
			err = call->ret[cpu];
		}
	}
	if (err && !cpumask_empty(&hv.cpus))
		lhv_hv_leave(call);
out:
	/* The hv has its own copy; ours may hold the platform seed. */
	kfree_sensitive(call->info);
	call->info = NULL;
	return err;
}

int lhv_hv_enable(struct netlink_ext_ack *extack)
{
	struct lhv_hv_call *call;
	int err;

	call = kzalloc(sizeof(*call), GFP_KERNEL);
	if (!call)
		return -ENOMEM;
	mutex_lock(&lhv_hv_lock);
	if (hv.state == LHV_HV_RUNNING) {
		NL_SET_ERR_MSG(extack, "the hypervisor is already running");
		err = -EALREADY;
		goto out;
	}
	if (hv.state != LHV_HV_LOADED) {
		err = lhv_hv_load();
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot load lhv/lhv.bin: "
					       "see the kernel log");
			goto out;
		}
	}
	cpus_read_lock();
	err = lhv_hv_enter(call);
	cpus_read_unlock();
	if (err) {
		NL_SET_ERR_MSG(extack, "the hypervisor did not start on every "
				       "CPU: see the kernel log");
		hv.state =
			cpumask_empty(&hv.cpus) ? LHV_HV_LOADED : LHV_HV_FAILED;
		goto out;
	}
	hv.state = LHV_HV_RUNNING;
	pr_info("hypervisor running on %u CPUs\n", cpumask_weight(&hv.cpus));
out:
	mutex_unlock(&lhv_hv_lock);
	kfree(call);
	return err;
}

static int lhv_hv_disable_locked(struct netlink_ext_ack *extack)
{
	struct lhv_hv_call *call;
	int err;

	if (cpumask_empty(&hv.cpus)) {
		NL_SET_ERR_MSG(extack, "the hypervisor is not running");
		return -EALREADY;
	}
	call = kzalloc(sizeof(*call), GFP_KERNEL);
	if (!call)
		return -ENOMEM;
	cpus_read_lock();
	err = lhv_hv_leave(call);
	cpus_read_unlock();
	kfree(call);
	if (err) {
		NL_SET_ERR_MSG(extack, "a CPU did not leave the hypervisor");
		hv.state = LHV_HV_FAILED;
		return err;
	}
	hv.state = LHV_HV_LOADED;
	pr_info("hypervisor disabled: every CPU on bare metal\n");
	return 0;
}

int lhv_hv_disable(struct netlink_ext_ack *extack)
{
	int err;

	mutex_lock(&lhv_hv_lock);
	err = lhv_hv_disable_locked(extack);
	mutex_unlock(&lhv_hv_lock);
	return err;
}

enum lhv_hv_state lhv_hv_state(void)
{
	return READ_ONCE(hv.state);
}

void lhv_hv_info(struct lhv_hv_info *info)
{
	mutex_lock(&lhv_hv_lock);
	info->state = hv.state;
	info->loaded = hv.mem != NULL;
	info->image_size = hv.hdr.image_size;
	info->mem_size = hv.hdr.mem_size;
	info->cpus = cpumask_weight(&hv.cpus);
	mutex_unlock(&lhv_hv_lock);
}

size_t lhv_hv_log_read(char *buf, size_t len)
{
	const struct lhv_log_ring *ring;
	u64 head, tail, from, size, i;
	const char *text;
	size_t n = 0;

	if (!len)
		return 0;
	mutex_lock(&lhv_hv_lock);
	if (!hv.mem)
		goto out;
	/* The log pages stay readable to us while the hv runs. */
	ring = hv.mem + hv.hdr.log_offset;
	text = (const char *)(ring + 1);
	size = hv.hdr.log_size;
	head = READ_ONCE(ring->head);
	smp_rmb();
	tail = READ_ONCE(ring->tail);
	if (head - tail > size) /* never by the hv's rules; stay in bounds */
		tail = head - size;
	from = max(tail, head > len - 1 ? head - (len - 1) : 0);
	for (i = from; i < head; i++)
		buf[n++] = text[i & (size - 1)];
	/* Drop what the hv overwrote while we copied. */
	smp_rmb();
	tail = READ_ONCE(ring->tail);
	if (tail > from) {
		u64 lost = min_t(u64, tail - from, n);

		memmove(buf, buf + lost, n - lost);
		n -= lost;
	}
out:
	mutex_unlock(&lhv_hv_lock);
	buf[n] = '\0';
	return n;
}

int lhv_hv_init(void)
{
	if (!hv_enable)
		return 0;
	return lhv_hv_enable(NULL);
}

void lhv_hv_exit(void)
{
	mutex_lock(&lhv_hv_lock);
	/* hv memory goes back to the SOS only when no CPU runs the hv. */
	if (!cpumask_empty(&hv.cpus) && lhv_hv_disable_locked(NULL)) {
		pr_crit("hv still running on some CPU: its memory leaks\n");
		mutex_unlock(&lhv_hv_lock);
		return;
	}
	lhv_hv_unload();
	mutex_unlock(&lhv_hv_lock);
}
