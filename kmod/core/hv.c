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
 * hv memory is reserved at boot and named with hv_mem= (hv_mem.c); the hv
 * removes it from the SOS's view in its nested page table.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
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
	void *image;	       /* a copy of the file's image_size bytes */
	struct lhv_hv_mem mem; /* hv memory and its mappings (hv_mem.c) */
	bool fresh;	       /* hv memory never entered: zero it whole and
				* hand the platform seed over */
	struct cpumask cpus;   /* CPUs running under the hv */
} hv;

/* A CPU going offline for a user VM: donated instead of leaving. */
static u32 lhv_hv_donate_to[NR_CPUS];

/* Per-CPU results of entering or leaving the hv. */
struct lhv_hv_call {
	struct lhv_hv_boot_info *info; /* entering only */
	int ret[NR_CPUS];
};

static void lhv_hv_unload(void)
{
	/* Wipes all hv memory, the keep area with the platform seed too. */
	lhv_hv_mem_put(&hv.mem);
	lhv_seed_lost();
	kvfree(hv.image);
	hv.image = NULL;
	hv.state = LHV_HV_ABSENT;
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
	err = lhv_hv_mem_get(&hv.mem, hv.hdr.mem_size, hv.hdr.text_offset,
			     hv.hdr.text_size);
	if (!err) {
		hv.state = LHV_HV_LOADED;
		hv.fresh = true;
		pr_info("loaded %s: hv %.16s, image %llu bytes, memory %llu "
			"bytes at %pa\n",
			LHV_HV_FIRMWARE, hv.hdr.version, hv.hdr.image_size,
			hv.hdr.mem_size, &hv.mem.phys);
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
	lhv_seed_fill(info, first, hv.mem.phys, hv.mem.size);
	return 0;
}

static void lhv_hv_enter_cpu(void *data)
{
	struct lhv_hv_call *call = data;
	unsigned int cpu = smp_processor_id();
	lhv_hv_entry_fn entry = hv.mem.xmap + hv.hdr.entry_offset;
	struct lhv_hv_boot boot = {
		.size = sizeof(boot),
		.abi_version = LHV_ABI_VERSION,
		.cpu_id = cpu,
		.image_phys = hv.mem.phys,
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
	 * .bss), which is zeroed only the first time (reserved memory holds
	 * whatever the boot left there). Written through the writable
	 * mapping: the executable one has the text read-only.
	 */
	memcpy(hv.mem.wmap, hv.image, hv.hdr.image_size);
	if (hv.fresh || !hv.hdr.keep_size) {
		memset(hv.mem.wmap + hv.hdr.image_size, 0,
		       hv.hdr.mem_size - hv.hdr.image_size);
	} else {
		memset(hv.mem.wmap + hv.hdr.image_size, 0,
		       hv.hdr.keep_offset - hv.hdr.image_size);
		memset(hv.mem.wmap + hv.hdr.keep_offset + hv.hdr.keep_size, 0,
		       hv.hdr.mem_size - hv.hdr.keep_offset - hv.hdr.keep_size);
	}

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

static int lhv_hv_disable_locked(struct netlink_ext_ack *extack);

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
	/* A CPU may still be inside the old image: never load over it. */
	if (hv.state == LHV_HV_FAILED) {
		NL_SET_ERR_MSG(extack, "a CPU did not leave the hypervisor: "
				       "reboot the Service OS");
		err = -EIO;
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
	/* The hotplug callbacks read hv.state under the hotplug lock. */
	cpus_read_lock();
	err = lhv_hv_enter(call);
	if (err)
		hv.state =
			cpumask_empty(&hv.cpus) ? LHV_HV_LOADED : LHV_HV_FAILED;
	else
		hv.state = LHV_HV_RUNNING;
	cpus_read_unlock();
	if (err) {
		NL_SET_ERR_MSG(extack, "the hypervisor did not start on every "
				       "CPU: see the kernel log");
		goto out;
	}
	pr_info("hypervisor running on %u CPUs\n", cpumask_weight(&hv.cpus));
	/*
	 * Without upcalls a user VM's first device access would wait for
	 * ever: better no hypervisor than one that hangs its guests.
	 */
	err = lhv_upcall_start();
	if (err) {
		/* No user VM exists yet: creates wait for lhv_upcall_ready. */
		pr_err("no upcall interrupt (%d): leaving the hypervisor\n",
		       err);
		if (lhv_hv_disable_locked(NULL))
			pr_crit("the hypervisor did not stop (state %d)\n",
				hv.state);
		NL_SET_ERR_MSG(extack, "the hypervisor cannot interrupt this "
				       "kernel (upcall vector): see the kernel "
				       "log");
	}
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
	if (lhv_vm_count_user()) {
		NL_SET_ERR_MSG(extack, "user VMs exist: destroy them first");
		return -EBUSY;
	}
	call = kzalloc(sizeof(*call), GFP_KERNEL);
	if (!call)
		return -ENOMEM;
	lhv_upcall_stop();
	cpus_read_lock();
	err = lhv_hv_leave(call);
	hv.state = err ? LHV_HV_FAILED : LHV_HV_LOADED;
	cpus_read_unlock();
	kfree(call);
	if (err) {
		NL_SET_ERR_MSG(extack, "a CPU did not leave the hypervisor");
		return err;
	}
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

long lhv_hv_call(unsigned long id, unsigned long a0, unsigned long a1)
{
	long ret = -ENODEV;

	preempt_disable();
	if (READ_ONCE(hv.state) == LHV_HV_RUNNING &&
	    cpumask_test_cpu(smp_processor_id(), &hv.cpus))
		ret = lhv_vmmcall(id, a0, a1);
	preempt_enable();
	return ret;
}

void lhv_hv_info(struct lhv_hv_info *info)
{
	struct lhv_hc_hw_info *hw;

	memset(info, 0, sizeof(*info));
	mutex_lock(&lhv_hv_lock);
	info->state = hv.state;
	info->loaded = hv.mem.wmap != NULL;
	info->image_size = hv.hdr.image_size;
	info->mem_size = hv.hdr.mem_size;
	info->cpus = cpumask_weight(&hv.cpus);
	hw = hv.state == LHV_HV_RUNNING ? kzalloc(sizeof(*hw), GFP_KERNEL)
					: NULL;
	info->seed = lhv_seed_source();
	if (hw && lhv_hv_call(LHV_HC_GET_HW_INFO, virt_to_phys(hw),
			      sizeof(*hw)) == sizeof(*hw)) {
		info->hw_valid = true;
		info->vendor = hw->vendor;
		info->features = hw->features;
		/* The hv's word wins: it may have refused the seed. */
		if (!hw->seed_present)
			info->seed = LHV_HV_SEED_NONE;
	}
	kfree(hw);
	mutex_unlock(&lhv_hv_lock);
}

int lhv_hv_cpu_stats(unsigned int cpu, struct lhv_hc_cpu_stats *out)
{
	struct lhv_hc_cpu_stats *st;
	long ret = -ENODEV;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	mutex_lock(&lhv_hv_lock);
	if (hv.state == LHV_HV_RUNNING && cpumask_test_cpu(cpu, &hv.cpus))
		ret = lhv_hv_call(LHV_HC_GET_STATS, cpu, virt_to_phys(st));
	mutex_unlock(&lhv_hv_lock);
	if (!ret)
		*out = *st;
	kfree(st);
	return ret;
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
	if (!hv.mem.wmap)
		goto out;
	/* The log pages stay readable to us while the hv runs. */
	ring = hv.mem.wmap + hv.hdr.log_offset;
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

/*
 * CPU hotplug while the hv runs. Both callbacks run on the CPU concerned,
 * with the hotplug lock held for writing: enable and disable change
 * hv.state and hv.cpus only under cpus_read_lock(), so neither can run
 * now, and lhv_hv_lock (taken before the hotplug lock elsewhere) must not
 * be taken here. A CPU that comes online enters the hv; one that goes
 * offline leaves it first, so it parks on bare metal and a later INIT/SIPI
 * restarts it normally.
 */
static int lhv_hv_cpu_online(unsigned int cpu)
{
	struct lhv_hv_call *call;
	int ret;

	/* Back from a user VM (or never donated): an SOS CPU again. */
	WRITE_ONCE(lhv_hv_donate_to[cpu], 0);
	if (READ_ONCE(hv.state) != LHV_HV_RUNNING)
		return 0;
	call = kzalloc(sizeof(*call), GFP_KERNEL);
	if (!call)
		return -ENOMEM;
	/* The hv took the boot info when the first CPU entered. */
	preempt_disable();
	lhv_hv_enter_cpu(call);
	preempt_enable();
	ret = call->ret[cpu];
	kfree(call);
	if (ret) {
		pr_err("cpu %u came online but the hv refused it (%d)\n", cpu,
		       ret);
		return ret;
	}
	cpumask_set_cpu(cpu, &hv.cpus);
	return 0;
}

void lhv_hv_donate_prepare(unsigned int cpu, u32 vm_id)
{
	WRITE_ONCE(lhv_hv_donate_to[cpu], vm_id);
}

static int lhv_hv_cpu_offline(unsigned int cpu)
{
	u32 vm_id = READ_ONCE(lhv_hv_donate_to[cpu]);
	long ret;

	if (!cpumask_test_cpu(cpu, &hv.cpus))
		return 0;
	preempt_disable();
	if (vm_id)
		ret = lhv_vmmcall(LHV_HC_CPU_DONATE, vm_id, 0);
	else
		ret = lhv_vmmcall(LHV_HC_DISABLE, 0, 0);
	preempt_enable();
	if (vm_id) {
		if (ret) {
			pr_err("cpu %u: the hv refused it for vm %u (%ld)\n",
			       cpu, vm_id, ret);
			return -EBUSY;
		}
		/* The hv takes it when Linux parks it; no SOS runs there. */
		cpumask_clear_cpu(cpu, &hv.cpus);
		return 0;
	}
	if (ret) {
		pr_err("cpu %u did not leave the hv before going offline "
		       "(%ld)\n",
		       cpu, ret);
		return -EBUSY;
	}
	cpumask_clear_cpu(cpu, &hv.cpus);
	return 0;
}

static enum cpuhp_state lhv_hv_cpuhp;

int lhv_hv_init(void)
{
	int ret;

	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "lhv/hv:online",
					lhv_hv_cpu_online, lhv_hv_cpu_offline);
	if (ret < 0)
		return ret;
	lhv_hv_cpuhp = ret;
	if (!hv_enable)
		return 0;
	/* On failure the module's init calls lhv_hv_exit(). */
	return lhv_hv_enable(NULL);
}

void lhv_hv_exit(void)
{
	/* No callback may enter a CPU while the hv goes away. */
	if (lhv_hv_cpuhp > 0)
		cpuhp_remove_state_nocalls(lhv_hv_cpuhp);
	lhv_hv_cpuhp = 0;
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
