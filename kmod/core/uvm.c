// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * User VM lifecycle in lhv.ko (uvm.h, docs/uvm.md).
 *
 * create: RAM from the page allocator in 2 MiB chunks (zeroed), the hv
 *         checks and maps them (LHV_HC_VM_CREATE); each CPU of the VM is
 *         taken offline with its donation armed (the hotplug callback
 *         calls LHV_HC_CPU_DONATE on it), and /dev/lhv-<name> appears.
 * start:  once every CPU is parked in the hv (LHV_HC_VM_START).
 * stop:   forced, the hv stops the vCPUs with an NMI; graceful, a
 *         "shutdown" line to the guest's lifecycle agent on COM2, and
 *         the guest's ACPI poweroff stops it.
 * destroy: stop, LHV_HC_VM_DESTROY (the CPUs resume the SOS's parked
 *         context on bare metal), bring the CPUs online again (they enter
 *         the hv as any CPU coming online does), scrub and free the RAM.
 *
 * Each state change is announced on the "vm" multicast group; the ones
 * the guest makes (crash, poweroff, reset) reach us by upcall.
 *
 * Everything runs under lhv_vm_lock from netlink or the device node.
 * Hypercall arguments live in kmalloc memory (the hv checks that they are
 * SOS RAM).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/ctype.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uuid.h>
#include <asm/smp.h>
#include <net/netlink.h>

#include "lhv.h"
#include "uvm.h"
#include "vpci.h"

/* How long start waits for a donated CPU to be parked by the SOS. */
#define LHV_UVM_PARK_WAIT_MS 2000

void lhv_uvm_mem_clear(struct lhv_uvm_mem *mem)
{
	u64 i;
	u32 j;

	for (i = 0; i < mem->nr_chunks; i++) {
		if (!mem->chunks[i])
			continue;
		for (j = 0; j < LHV_UVM_CHUNK_PAGES; j++)
			clear_highpage(mem->chunks[i] + j);
		cond_resched();
	}
}

static void lhv_uvm_mem_free(struct kref *ref)
{
	struct lhv_uvm_mem *mem = container_of(ref, struct lhv_uvm_mem, ref);
	u64 i;
	u32 j;

	/* Nothing of the VM reaches the next owner of a page. */
	lhv_uvm_mem_clear(mem);
	for (i = 0; i < mem->nr_chunks; i++) {
		if (!mem->chunks[i])
			continue;
		for (j = 0; j < LHV_UVM_CHUNK_PAGES; j++)
			__free_page(mem->chunks[i] + j);
	}
	kvfree(mem);
}

void lhv_uvm_mem_put(struct lhv_uvm_mem *mem)
{
	kref_put(&mem->ref, lhv_uvm_mem_free);
}

static struct lhv_uvm_mem *lhv_uvm_mem_alloc(u32 vm_id, u64 size)
{
	u64 i, n = size >> 21;
	struct lhv_uvm_mem *mem;

	mem = kvzalloc(struct_size(mem, chunks, n), GFP_KERNEL);
	if (!mem)
		return NULL;
	kref_init(&mem->ref);
	mem->vm_id = vm_id;
	mem->nr_chunks = n;
	for (i = 0; i < n; i++) {
		struct page *p =
			alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN |
					    __GFP_RETRY_MAYFAIL,
				    LHV_UVM_CHUNK_ORDER);

		if (!p) {
			lhv_uvm_mem_put(mem);
			return NULL;
		}
		/* Each page its own refcount, for the device node's mmap. */
		split_page(p, LHV_UVM_CHUNK_ORDER);
		mem->chunks[i] = p;
		cond_resched();
	}
	return mem;
}

/* Hands the RAM to the hv: LHV_HC_VM_CREATE with the chunk list. */
static long lhv_uvm_hv_create(struct lhv_vm *vm, const struct lhv_uvm *u)
{
	struct lhv_hc_vm_create *req;
	u64 *list, i;
	long ret;

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	list = kvmalloc_array(u->mem->nr_chunks, sizeof(*list), GFP_KERNEL);
	if (!req || !list) {
		kfree(req);
		kvfree(list);
		return -ENOMEM;
	}
	for (i = 0; i < u->mem->nr_chunks; i++)
		list[i] = page_to_phys(u->mem->chunks[i]);
	req->id = vm->id;
	req->profile = u->profile;
	memcpy(req->uuid, u->uuid, sizeof(req->uuid));
	req->nr_vcpus = u->nr_cpus;
	memcpy(req->cpus, u->cpus, sizeof(req->cpus));
	req->nr_chunks = u->mem->nr_chunks;
	req->ioreq_page = virt_to_phys(u->ioreq);
	/* The hv reads the list page by page: it must be physical. */
	ret = -EINVAL;
	if (!is_vmalloc_addr(list)) {
		req->chunks = virt_to_phys(list);
		ret = lhv_hv_call(LHV_HC_VM_CREATE, virt_to_phys(req), 0);
	}
	kvfree(list);
	kfree(req);
	return ret;
}

static int lhv_uvm_check(const struct lhv_uvm_params *p,
			 struct netlink_ext_ack *extack)
{
	unsigned int i, j;
	size_t len = strlen(p->name);

	for (i = 0; i < len; i++) {
		if (!isalnum(p->name[i]) && p->name[i] != '-' &&
		    p->name[i] != '_') {
			NL_SET_ERR_MSG(extack, "VM names are letters, digits, "
					       "'-' and '_'");
			return -EINVAL;
		}
	}
	if (!p->nr_cpus || p->nr_cpus > LHV_VM_MAX_VCPUS) {
		NL_SET_ERR_MSG(extack, "a VM has 1 to 4 CPUs");
		return -EINVAL;
	}
	for (i = 0; i < p->nr_cpus; i++) {
		if (p->cpus[i] >= nr_cpu_ids || !cpu_online(p->cpus[i])) {
			NL_SET_ERR_MSG(extack, "a CPU of the VM is not online");
			return -EBUSY;
		}
		if (p->cpus[i] == 0) {
			NL_SET_ERR_MSG(extack, "CPU 0 stays with the SOS");
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (p->cpus[j] == p->cpus[i]) {
				NL_SET_ERR_MSG(extack, "a CPU is listed twice");
				return -EINVAL;
			}
		}
	}
	if (!p->mem_size || p->mem_size % LHV_VM_CHUNK_SIZE ||
	    p->mem_size > LHV_VM_MAX_RAM) {
		NL_SET_ERR_MSG(extack,
			       "VM memory: a multiple of 2 MiB, at most "
			       "3 GiB");
		return -EINVAL;
	}
	if (p->profile > LHV_VM_PROFILE_ANDROID) {
		NL_SET_ERR_MSG(extack, "unknown VM profile");
		return -EINVAL;
	}
	return 0;
}

/* Gives the VM's CPUs to the hv; stops at the first failure. */
static int lhv_uvm_take_cpus(struct lhv_vm *vm, struct netlink_ext_ack *extack)
{
	struct lhv_uvm *u = vm->uvm;
	int err;

	for (; u->cpus_offline < u->nr_cpus; u->cpus_offline++) {
		unsigned int cpu = u->cpus[u->cpus_offline];

		lhv_hv_donate_prepare(cpu, vm->id);
		err = remove_cpu(cpu);
		if (err) {
			lhv_hv_donate_prepare(cpu, 0);
			NL_SET_ERR_MSG(extack,
				       "the SOS could not give up a CPU "
				       "of the VM");
			return err;
		}
		/* Dead in Linux's eyes: now the hv may take it. */
		err = lhv_hv_call(LHV_HC_CPU_TAKE, cpu, 0);
		if (err) {
			NL_SET_ERR_MSG(extack, "the hypervisor did not take a "
					       "CPU of the VM");
			u->cpus_offline++; /* so that it comes back online */
			return err;
		}
	}
	return 0;
}

static void lhv_uvm_return_cpus(struct lhv_vm *vm)
{
	struct lhv_uvm *u = vm->uvm;

	while (u->cpus_offline) {
		unsigned int cpu = u->cpus[--u->cpus_offline];
		int err = add_cpu(cpu);

		if (err)
			pr_err("vm %s: cpu %u did not come back online (%d)\n",
			       vm->name, cpu, err);
	}
}

static void lhv_uvm_free(struct lhv_vm *vm)
{
	struct lhv_uvm *u = vm->uvm;

	if (u->mem)
		lhv_uvm_mem_put(u->mem);
	lhv_uvm_io_free_page(u->ioreq);
	kfree(u);
	vm->uvm = NULL;
	memset(vm->name, 0, sizeof(vm->name));
}

struct lhv_vm *lhv_uvm_create(const struct lhv_uvm_params *p,
			      struct netlink_ext_ack *extack)
{
	struct lhv_vm *vm;
	struct lhv_uvm *u;
	unsigned int i;
	long ret;
	int err;

	lockdep_assert_held(&lhv_vm_lock);
	if (lhv_hv_state() != LHV_HV_RUNNING) {
		NL_SET_ERR_MSG(extack, "the hypervisor is not running");
		return ERR_PTR(-ENODEV);
	}
	if (!lhv_upcall_ready()) {
		NL_SET_ERR_MSG(extack, "the hypervisor is still starting "
				       "(no upcall vector yet)");
		return ERR_PTR(-EAGAIN);
	}
	err = lhv_uvm_check(p, extack);
	if (err)
		return ERR_PTR(err);
	if (lhv_vm_find_by_name(p->name)) {
		NL_SET_ERR_MSG(extack, "a VM of that name exists");
		return ERR_PTR(-EEXIST);
	}
	vm = lhv_vm_free_slot(LHV_VM_MAX_ID);
	if (!vm) {
		NL_SET_ERR_MSG(extack,
			       "no free VM slot (max_vms, or the hv's 8)");
		return ERR_PTR(-ENOSPC);
	}
	u = kzalloc(sizeof(*u), GFP_KERNEL);
	if (!u)
		return ERR_PTR(-ENOMEM);
	vm->uvm = u;
	strscpy(vm->name, p->name, sizeof(vm->name));
	vm->state = LHV_VM_CREATED;
	if (p->uuid_set)
		memcpy(u->uuid, p->uuid, sizeof(u->uuid));
	else
		generate_random_uuid(u->uuid);
	u->profile = p->profile;
	u->nr_cpus = p->nr_cpus;
	memcpy(u->cpus, p->cpus, sizeof(u->cpus));
	for (i = 0; i < p->nr_cpus; i++)
		u->apic_ids[i] = per_cpu(x86_cpu_to_apicid, p->cpus[i]);
	u->mem_size = p->mem_size;
	u->mem = lhv_uvm_mem_alloc(vm->id, p->mem_size);
	if (!u->mem) {
		NL_SET_ERR_MSG(extack, "not enough free 2 MiB blocks for the "
				       "VM's memory");
		err = -ENOMEM;
		goto out_free;
	}
	u->ioreq = lhv_uvm_io_alloc_page();
	if (!u->ioreq) {
		err = -ENOMEM;
		goto out_free;
	}
	err = lhv_vpci_init(vm);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot set up the VM's PCI bus");
		goto out_free;
	}
	lhv_uvm_io_start(vm, u->ioreq);
	ret = lhv_uvm_hv_create(vm, u);
	if (ret) {
		NL_SET_ERR_MSG(extack, "the hypervisor refused the VM: see "
				       "lhvctl hv log");
		err = ret;
		goto out_io;
	}
	err = lhv_uvm_take_cpus(vm, extack);
	if (!err)
		err = lhv_sysfs_add_vm(vm);
	if (!err) {
		err = lhv_uvm_dev_add(vm);
		if (err)
			lhv_sysfs_del_vm(vm);
	}
	if (err) {
		lhv_hv_call(LHV_HC_VM_DESTROY, vm->id, 0);
		lhv_uvm_return_cpus(vm);
		goto out_io;
	}
	mutex_init(&vm->dev_lock);
	INIT_LIST_HEAD(&vm->devs);
	pr_info("vm %s (id %u) created: %u CPUs, %llu MiB\n", vm->name, vm->id,
		u->nr_cpus, u->mem_size >> 20);
	lhv_nl_vm_event(vm, LHV_VM_EVENT_CREATED);
	return vm;

out_io:
	lhv_uvm_io_stop(vm);
	lhv_vpci_fini(vm);
out_free:
	lhv_uvm_free(vm);
	return ERR_PTR(err);
}

static enum lhv_vm_event lhv_uvm_stop_event(u32 reason)
{
	switch (reason) {
	case LHV_HC_STOP_POWEROFF:
		return LHV_VM_EVENT_POWEROFF;
	case LHV_HC_STOP_REBOOT:
		return LHV_VM_EVENT_REBOOT;
	default:
		return LHV_VM_EVENT_STOPPED;
	}
}

static void lhv_uvm_take_info(struct lhv_uvm *u,
			      const struct lhv_hc_vm_info *info)
{
	u32 i;

	u->exits = info->exits;
	u->ioreqs = info->ioreqs;
	u->doorbells = info->doorbells;
	u->msis = info->msis;
	u->stop_reason = info->stop_reason;
	u->vcpus_running = info->vcpus_running;
	u->nr_measured = min_t(u32, info->nr_measured, LHV_VM_MEASURE_MAX);
	for (i = 0; i < u->nr_measured; i++) {
		u->measured[i].region = info->measured[i].region;
		memcpy(u->measured[i].sha256, info->measured[i].sha256,
		       sizeof(u->measured[i].sha256));
	}
}

void lhv_uvm_refresh(struct lhv_vm *vm)
{
	struct lhv_hc_vm_info *info;

	lockdep_assert_held(&lhv_vm_lock);
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return;
	if (lhv_hv_call(LHV_HC_VM_INFO, vm->id, virt_to_phys(info)))
		goto out;
	lhv_uvm_take_info(vm->uvm, info);
	if (vm->state != LHV_VM_RUNNING)
		goto out;
	/* Changes the guest made on its own since we last looked. */
	if (info->state == LHV_HC_VM_CRASHED) {
		vm->state = LHV_VM_CRASHED;
		strscpy(vm->uvm->crash_reason, info->crash_reason,
			sizeof(vm->uvm->crash_reason));
		pr_info("vm %s crashed: %s\n", vm->name, vm->uvm->crash_reason);
		lhv_nl_vm_event(vm, LHV_VM_EVENT_CRASHED);
	} else if (info->state == LHV_HC_VM_STOPPED) {
		vm->state = LHV_VM_STOPPED;
		pr_info("vm %s stopped by the guest (%s)\n", vm->name,
			info->stop_reason == LHV_HC_STOP_REBOOT ? "reset"
								: "poweroff");
		lhv_nl_vm_event(vm, lhv_uvm_stop_event(info->stop_reason));
	}
out:
	kfree(info);
}

void lhv_uvm_state_changed(unsigned int id)
{
	struct lhv_vm *vm;

	mutex_lock(&lhv_vm_lock);
	vm = lhv_vm_at(id);
	if (vm && vm->uvm)
		lhv_uvm_refresh(vm);
	mutex_unlock(&lhv_vm_lock);
}

int lhv_uvm_start(struct lhv_vm *vm, struct netlink_ext_ack *extack)
{
	unsigned int waited = 0;
	long ret;

	lhv_uvm_refresh(vm);
	if (vm->state != LHV_VM_LOADED && vm->state != LHV_VM_STOPPED) {
		if (vm->state == LHV_VM_CREATED)
			NL_SET_ERR_MSG(extack, "load the VM first");
		else
			NL_SET_ERR_MSG(extack, "the VM is running or crashed");
		return -EBUSY;
	}
	/* Devices start from reset, as after a power cycle. */
	lhv_vpci_reset(vm);
	/* Linux reports a CPU dead a moment before it parks. */
	while ((ret = lhv_hv_call(LHV_HC_VM_START, vm->id, 0)) == -EBUSY &&
	       waited < LHV_UVM_PARK_WAIT_MS) {
		msleep(20);
		waited += 20;
	}
	if (ret) {
		NL_SET_ERR_MSG(extack, "the hypervisor did not start the VM");
		return ret;
	}
	vm->state = LHV_VM_RUNNING;
	lhv_nl_vm_event(vm, LHV_VM_EVENT_STARTED);
	return 0;
}

/* What the lifecycle agent in the guest acts on (docs/uvm.md). */
static const char lhv_uvm_shutdown_line[] = "shutdown\n";

static int lhv_uvm_request_shutdown(struct lhv_vm *vm,
				    struct netlink_ext_ack *extack)
{
	long n = lhv_uvm_console_write(vm, 1, lhv_uvm_shutdown_line,
				       sizeof(lhv_uvm_shutdown_line) - 1);

	if (n < 0) {
		NL_SET_ERR_MSG(extack, "the hypervisor refused the request");
		return n;
	}
	if (n != sizeof(lhv_uvm_shutdown_line) - 1) {
		NL_SET_ERR_MSG(extack, "the guest's lifecycle channel is full: "
				       "no agent reads it; stop with force");
		return -EAGAIN;
	}
	lhv_nl_vm_event(vm, LHV_VM_EVENT_STOP_REQUESTED);
	return 0;
}

int lhv_uvm_stop(struct lhv_vm *vm, bool force, struct netlink_ext_ack *extack)
{
	long ret;

	lhv_uvm_refresh(vm);
	if (vm->state != LHV_VM_RUNNING &&
	    !(force && vm->state == LHV_VM_CRASHED)) {
		NL_SET_ERR_MSG(extack, "the VM is not running");
		return -EALREADY;
	}
	if (!force)
		return lhv_uvm_request_shutdown(vm, extack);
	ret = lhv_hv_call(LHV_HC_VM_STOP, vm->id, 0);
	if (ret)
		return ret;
	/* Answers in progress end before a restart can post new ones. */
	lhv_uvm_io_flush(vm);
	if (vm->state == LHV_VM_RUNNING) {
		vm->state = LHV_VM_STOPPED;
		vm->uvm->stop_reason = LHV_HC_STOP_FORCED;
		lhv_nl_vm_event(vm, LHV_VM_EVENT_STOPPED);
	}
	return 0;
}

int lhv_uvm_destroy(struct lhv_vm *vm, struct netlink_ext_ack *extack)
{
	long ret;

	lhv_uvm_refresh(vm);
	if (vm->state == LHV_VM_RUNNING)
		lhv_hv_call(LHV_HC_VM_STOP, vm->id, 0);
	ret = lhv_hv_call(LHV_HC_VM_DESTROY, vm->id, 0);
	if (ret) {
		NL_SET_ERR_MSG(extack, "the hypervisor did not destroy the VM");
		return ret;
	}
	/* The vCPUs are gone: no ioreq or doorbell comes any more. */
	lhv_uvm_io_stop(vm);
	lhv_vm_destroy_devices(vm);
	lhv_vpci_fini(vm);
	lhv_uvm_dev_del(vm);
	lhv_sysfs_del_vm(vm);
	lhv_uvm_return_cpus(vm);
	pr_info("vm %s destroyed\n", vm->name);
	lhv_nl_vm_event(vm, LHV_VM_EVENT_DESTROYED);
	lhv_uvm_free(vm);
	return 0;
}

long lhv_uvm_console(struct lhv_vm *vm, u64 *cursor, char *buf, u32 len,
		     u64 *lost)
{
	struct lhv_hc_console_read *req;
	long ret;

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	req->id = vm->id;
	req->len = len;
	req->cursor = *cursor;
	req->buf = virt_to_phys(buf);
	ret = lhv_hv_call(LHV_HC_VM_CONSOLE_READ, virt_to_phys(req), 0);
	if (ret >= 0) {
		*cursor = req->cursor;
		*lost = req->lost;
	}
	kfree(req);
	return ret;
}

int lhv_uvm_set_boot(struct lhv_vm *vm, u32 vcpu,
		     const struct lhv_hc_vcpu_state *st)
{
	struct lhv_hc_vcpu_set *req;
	long ret;

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	req->id = vm->id;
	req->vcpu = vcpu;
	req->state = *st;
	ret = lhv_hv_call(LHV_HC_VM_SET_VCPU, virt_to_phys(req), 0);
	kfree(req);
	if (!ret &&
	    (vm->state == LHV_VM_CREATED || vm->state == LHV_VM_STOPPED)) {
		vm->state = LHV_VM_LOADED;
		lhv_nl_vm_event(vm, LHV_VM_EVENT_LOADED);
	}
	return ret;
}

long lhv_uvm_console_write(struct lhv_vm *vm, u32 port, const void *buf,
			   u32 len)
{
	struct lhv_hc_console_write *req;
	void *copy;
	long ret;

	if (len > LHV_HC_CONSOLE_WRITE_MAX)
		return -E2BIG;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	copy = kmemdup(buf, len ? len : 1, GFP_KERNEL);
	if (!req || !copy) {
		kfree(req);
		kfree(copy);
		return -ENOMEM;
	}
	req->id = vm->id;
	req->port = port;
	req->len = len;
	req->buf = virt_to_phys(copy);
	ret = lhv_hv_call(LHV_HC_VM_CONSOLE_WRITE, virt_to_phys(req), 0);
	kfree(copy);
	kfree(req);
	return ret;
}

int lhv_uvm_set_measure(struct lhv_vm *vm, struct lhv_hc_vm_measure *req)
{
	struct lhv_hc_vm_measure *hc;
	long ret;

	hc = kmemdup(req, sizeof(*req), GFP_KERNEL);
	if (!hc)
		return -ENOMEM;
	hc->id = vm->id; /* the file's VM, whatever the caller wrote */
	ret = lhv_hv_call(LHV_HC_VM_SET_MEASURE, virt_to_phys(hc), 0);
	kfree(hc);
	return ret;
}
