// SPDX-License-Identifier: BSD-3-Clause
/*
 * The Service OS's VM-management hypercalls (hv/vm.h, docs/uvm.md). Every
 * argument is checked here, before the architecture code runs anything:
 * ids, vCPU counts, the donated CPUs, and each RAM chunk, which must be
 * 2 MiB of SOS RAM outside hv memory that no other VM holds.
 */
#include <lhv/hypercall.h>
#include <hv/errno.h>
#include <hv/guest_mem.h>
#include <hv/log.h>
#include <hv/memory.h>
#include <hv/percpu.h>
#include <hv/string.h>
#include <hv/upcall.h>
#include <hv/vm.h>

struct hv_vm hv_vms[LHV_VM_MAX_ID + 1];
spinlock_t hv_vm_lock;

static struct hv_vm *vm_get(u64 id)
{
	if (id < 1 || id > LHV_VM_MAX_ID)
		return NULL;
	return &hv_vms[id];
}

/* A chunk the SOS may give: its RAM, not hv memory, not another VM's. */
static int chunk_check(u64 hpa, const struct hv_vm *self)
{
	u32 i;

	if (hpa & (LHV_VM_CHUNK_SIZE - 1))
		return -EINVAL;
	if (guest_check(hpa, LHV_VM_CHUNK_SIZE) == -EFAULT)
		return -EFAULT;
	for (i = 1; i <= LHV_VM_MAX_ID; i++) {
		const struct hv_vm *o = &hv_vms[i];

		if (o->state != LHV_HC_VM_FREE && npt_vm_maps(&o->npt, hpa))
			return -EBUSY;
	}
	return npt_vm_maps(&self->npt, hpa) ? -EBUSY : 0;
}

static int vm_map_ram(struct hv_vm *vm, u64 list, u64 n)
{
	u64 batch[64], i, j, k;
	int err;

	for (i = 0; i < n; i += k) {
		k = n - i < 64 ? n - i : 64;
		err = guest_read(batch, list + i * 8, k * 8);
		if (err)
			return err;
		for (j = 0; j < k; j++) {
			err = chunk_check(batch[j], vm);
			if (err)
				return err;
			npt_vm_map_chunk(&vm->npt, i + j, batch[j]);
		}
	}
	return 0;
}

s64 hc_vm_create(u64 gpa)
{
	struct lhv_hc_vm_create req;
	struct hv_vm *vm;
	u32 i, j;
	int err;

	err = guest_read(&req, gpa, sizeof(req));
	if (err)
		return err;
	vm = vm_get(req.id);
	if (req.ioreq_page && ((req.ioreq_page & (PAGE_SIZE - 1)) ||
			       guest_check(req.ioreq_page, PAGE_SIZE)))
		return -EFAULT;
	if (!vm || req.pad || req.profile > LHV_VM_PROFILE_ANDROID ||
	    !req.nr_vcpus || req.nr_vcpus > LHV_VM_MAX_VCPUS ||
	    !req.nr_chunks ||
	    req.nr_chunks > LHV_VM_MAX_RAM / LHV_VM_CHUNK_SIZE)
		return -EINVAL;
	for (i = 0; i < req.nr_vcpus; i++) {
		if (req.cpus[i] >= HV_MAX_CPUS)
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (req.cpus[j] == req.cpus[i])
				return -EINVAL;
	}
	spin_lock(&hv_vm_lock);
	if (vm->state != LHV_HC_VM_FREE) {
		spin_unlock(&hv_vm_lock);
		return -EEXIST;
	}
	memset(vm, 0, sizeof(*vm));
	vm->id = req.id;
	vm->profile = req.profile;
	memcpy(vm->uuid, req.uuid, sizeof(vm->uuid));
	vm->nr_vcpus = req.nr_vcpus;
	memcpy(vm->cpus, req.cpus, sizeof(vm->cpus));
	npt_vm_init(&vm->npt);
	uart_init(&vm->uart, &vm->console);
	uart_init(&vm->com2, NULL);
	vm->ioreq_hpa = req.ioreq_page;
	err = vm_map_ram(vm, req.chunks, req.nr_chunks);
	if (err) {
		memset(vm, 0, sizeof(*vm));
	} else {
		vm->ram_size = req.nr_chunks * LHV_VM_CHUNK_SIZE;
		vm->state = LHV_HC_VM_CREATED;
		log_printf("lhv: vm %u created: %u vCPUs, %llu MiB\n", vm->id,
			   vm->nr_vcpus,
			   (unsigned long long)(vm->ram_size >> 20));
	}
	spin_unlock(&hv_vm_lock);
	return err;
}

s64 hc_vm_set_vcpu(u64 gpa)
{
	struct lhv_hc_vcpu_set req;
	struct hv_vm *vm;
	s64 ret = 0;
	int err;

	err = guest_read(&req, gpa, sizeof(req));
	if (err)
		return err;
	vm = vm_get(req.id);
	if (!vm)
		return -EINVAL;
	spin_lock(&hv_vm_lock);
	if (vm->state != LHV_HC_VM_CREATED && vm->state != LHV_HC_VM_STOPPED)
		ret = vm->state == LHV_HC_VM_FREE ? -ENOENT : -EBUSY;
	else if (req.vcpu >= vm->nr_vcpus)
		ret = -EINVAL;
	else
		vm->boot[req.vcpu] = req.state;
	spin_unlock(&hv_vm_lock);
	return ret;
}

s64 hc_vm_start(u64 id)
{
	struct hv_vm *vm = vm_get(id);
	s64 ret = 0;
	u32 i;

	if (!vm)
		return -EINVAL;
	spin_lock(&hv_vm_lock);
	if (vm->state == LHV_HC_VM_FREE) {
		ret = -ENOENT;
		goto out;
	}
	if (vm->state != LHV_HC_VM_CREATED && vm->state != LHV_HC_VM_STOPPED) {
		ret = -EBUSY;
		goto out;
	}
	for (i = 0; i < vm->nr_vcpus; i++) {
		if (!arch_cpu_parked_for(vm->cpus[i], vm->id)) {
			ret = -EBUSY; /* the SOS has not given that CPU yet */
			goto out;
		}
	}
	vm->state = LHV_HC_VM_RUNNING;
	vm->stop_reason = LHV_HC_STOP_NONE;
	vm->crash_reason[0] = '\0';
	vm->measure.nr_done = 0;
	vm_io_reset(vm);
	/* The UARTs as after a power cycle: no bytes of the last run wait. */
	uart_init(&vm->uart, &vm->console);
	uart_init(&vm->com2, NULL);
	log_printf("lhv: vm %u starts\n", vm->id);
	arch_vm_start(vm);
out:
	spin_unlock(&hv_vm_lock);
	return ret;
}

s64 hc_vm_stop(u64 id)
{
	struct hv_vm *vm = vm_get(id);
	s64 ret = 0;

	if (!vm)
		return -EINVAL;
	spin_lock(&hv_vm_lock);
	if (vm->state == LHV_HC_VM_FREE)
		ret = -ENOENT;
	else if (vm->state == LHV_HC_VM_RUNNING ||
		 vm->state == LHV_HC_VM_CRASHED)
		arch_vm_stop(vm);
	if (vm->state == LHV_HC_VM_RUNNING) {
		vm->state = LHV_HC_VM_STOPPED;
		vm->stop_reason = LHV_HC_STOP_FORCED;
	}
	spin_unlock(&hv_vm_lock);
	return ret;
}

s64 hc_vm_destroy(u64 id)
{
	struct hv_vm *vm = vm_get(id);
	s64 ret = 0;

	if (!vm)
		return -EINVAL;
	spin_lock(&hv_vm_lock);
	if (vm->state == LHV_HC_VM_FREE) {
		ret = -ENOENT;
	} else if (vm->state == LHV_HC_VM_RUNNING) {
		ret = -EBUSY; /* stop it first */
	} else {
		arch_vm_stop(vm);
		arch_vm_release(vm);
		log_printf("lhv: vm %u destroyed\n", vm->id);
		memset(vm, 0, sizeof(*vm));
	}
	spin_unlock(&hv_vm_lock);
	return ret;
}

s64 hc_vm_console_read(u64 gpa)
{
	struct lhv_hc_console_read req;
	char chunk[256];
	struct hv_vm *vm;
	u64 done = 0, lost = 0, cursor;
	int err;

	err = guest_read(&req, gpa, sizeof(req));
	if (err)
		return err;
	vm = vm_get(req.id);
	if (!vm)
		return -EINVAL;
	if (req.len > LHV_HC_MAX_COPY)
		return -E2BIG;
	err = guest_check(req.buf, req.len);
	if (err)
		return err;
	if (vm->state == LHV_HC_VM_FREE)
		return -ENOENT;
	cursor = req.cursor;
	/* The vCPU writes concurrently: a byte read twice is the worst. */
	while (done < req.len) {
		u64 want = req.len - done, l = 0;
		size_t n;

		if (want > sizeof(chunk))
			want = sizeof(chunk);
		n = uart_console_read(&vm->console, &cursor, chunk, want, &l);
		lost += l;
		if (!n)
			break;
		err = guest_write(req.buf + done, chunk, n);
		if (err)
			return err;
		done += n;
	}
	req.cursor = cursor;
	req.lost = lost;
	err = guest_write(gpa, &req, sizeof(req));
	return err ? err : (s64)done;
}

s64 hc_vm_info(u64 id, u64 gpa)
{
	struct lhv_hc_vm_info info;
	struct hv_vm *vm = vm_get(id);
	u32 i;
	int err;

	if (!vm)
		return -EINVAL;
	memset(&info, 0, sizeof(info));
	spin_lock(&hv_vm_lock);
	info.state = vm->state;
	info.stop_reason = vm->stop_reason;
	info.nr_vcpus = vm->nr_vcpus;
	info.vcpus_running =
		__atomic_load_n(&vm->vcpus_running, __ATOMIC_RELAXED);
	info.ram_size = vm->ram_size;
	info.exits = vm->exits;
	info.ioreqs = __atomic_load_n(&vm->nr_ioreqs, __ATOMIC_RELAXED);
	info.doorbells = __atomic_load_n(&vm->nr_doorbells, __ATOMIC_RELAXED);
	info.msis = __atomic_load_n(&vm->nr_msis, __ATOMIC_RELAXED);
	info.nr_measured =
		__atomic_load_n(&vm->measure.nr_done, __ATOMIC_ACQUIRE);
	for (i = 0; i < info.nr_measured && i < LHV_VM_MEASURE_MAX; i++) {
		info.measured[i].region = vm->measure.region[i];
		memcpy(info.measured[i].sha256, vm->measure.sha256[i], 32);
	}
	for (i = 0; i < vm->nr_vcpus; i++)
		if (arch_cpu_parked_for(vm->cpus[i], vm->id))
			info.cpus_parked++;
	memcpy(info.crash_reason, vm->crash_reason,
	       sizeof(info.crash_reason) - 1);
	spin_unlock(&hv_vm_lock);
	err = guest_write(gpa, &info, sizeof(info));
	return err ? err : 0;
}

s64 hc_vm_console_write(u64 gpa)
{
	struct lhv_hc_console_write req;
	u8 buf[LHV_HC_CONSOLE_WRITE_MAX];
	struct hv_vm *vm;
	int err;

	err = guest_read(&req, gpa, sizeof(req));
	if (err)
		return err;
	vm = vm_get(req.id);
	if (!vm || req.pad || req.port > 1)
		return -EINVAL;
	if (req.len > sizeof(buf))
		return -E2BIG;
	err = guest_read(buf, req.buf, req.len);
	if (err)
		return err;
	/* One writer per FIFO: the SOS's calls are serialised here. */
	spin_lock(&hv_vm_lock);
	if (vm->state == LHV_HC_VM_FREE) {
		spin_unlock(&hv_vm_lock);
		return -ENOENT;
	}
	err = (int)uart_receive(req.port ? &vm->com2 : &vm->uart, buf, req.len);
	spin_unlock(&hv_vm_lock);
	return err;
}

/*
 * The first vCPU to end the run wins (one compare-exchange); the others
 * are made to leave, and the SOS hears of it.
 */
static bool vm_end_run(struct hv_vm *vm, u32 state)
{
	u32 running = LHV_HC_VM_RUNNING;

	if (!__atomic_compare_exchange_n(&vm->state, &running, state, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return false;
	arch_vm_kick_others(vm);
	upcall_send(vm->id, UPCALL_STATE);
	return true;
}

void vm_crash(struct hv_vm *vm, const char *why)
{
	size_t n = strnlen(why, sizeof(vm->crash_reason) - 1);

	if (__atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) != LHV_HC_VM_RUNNING)
		return;
	/* In place before the state says crashed (release in vm_end_run). */
	memcpy(vm->crash_reason, why, n);
	vm->crash_reason[n] = '\0';
	if (vm_end_run(vm, LHV_HC_VM_CRASHED))
		log_printf("lhv: vm %u crashed: %s\n", vm->id, why);
}

void vm_stop_self(struct hv_vm *vm, u32 reason)
{
	if (__atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) != LHV_HC_VM_RUNNING)
		return;
	vm->stop_reason = reason;
	if (vm_end_run(vm, LHV_HC_VM_STOPPED))
		log_printf("lhv: vm %u: %s\n", vm->id,
			   reason == LHV_HC_STOP_REBOOT ? "reset by the guest"
							: "powered off");
}
