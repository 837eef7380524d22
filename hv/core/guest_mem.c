// SPDX-License-Identifier: BSD-3-Clause
/* Checked copies to and from guest memory (hv/guest_mem.h). */
#include <lhv/hypercall.h>
#include <asm/paging.h>
#include <hv/boot_info.h>
#include <hv/errno.h>
#include <hv/guest_mem.h>
#include <hv/memory.h>
#include <hv/page.h>
#include <hv/percpu.h>
#include <hv/string.h>
#include <hv/vm.h>

int guest_check(u64 gpa, u64 len)
{
	if (len > LHV_HC_MAX_COPY)
		return -E2BIG;
	if (!len)
		return 0;
	if (gpa + len < gpa || !boot_info_is_sos_ram(gpa, len))
		return -EFAULT;
	/* hv memory was SOS RAM once (the development allocation). */
	if (gpa < hv_mem_end() && gpa + len > hv_mem_start())
		return -EFAULT;
	return 0;
}

int guest_check_vm(const struct hv_vm *vm, u64 gpa, u64 len)
{
	if (!vm)
		return guest_check(gpa, len);
	if (len > LHV_HC_MAX_COPY)
		return -E2BIG;
	/* A user VM's RAM: its chunks, from guest-physical 0. */
	if (gpa + len < gpa || gpa + len > vm->ram_size)
		return -EFAULT;
	return 0;
}

/* Host-physical address of @gpa of the SOS (identity) or of @vm; 0: none. */
static u64 guest_hpa(const struct hv_vm *vm, u64 gpa)
{
	u64 chunk;

	if (!vm)
		return gpa;
	chunk = npt_vm_chunk_hpa(&vm->npt, gpa / LHV_VM_CHUNK_SIZE);
	return chunk ? chunk + (gpa & (LHV_VM_CHUNK_SIZE - 1)) : 0;
}

static int guest_copy(const struct hv_vm *vm, void *buf, u64 gpa, u64 len,
		      bool to_guest)
{
	unsigned int cpu = this_cpu_id();
	int err = guest_check_vm(vm, gpa, len);

	if (err)
		return err;
	while (len) {
		u64 chunk = PAGE_SIZE - (gpa & (PAGE_SIZE - 1));
		u64 hpa = guest_hpa(vm, gpa);
		void *win;

		if (!hpa)
			return -EFAULT;
		if (chunk > len)
			chunk = len;
		win = paging_map_window(cpu, hpa);
		if (to_guest)
			memcpy(win, buf, chunk);
		else
			memcpy(buf, win, chunk);
		paging_unmap_window(cpu);
		buf = (char *)buf + chunk;
		gpa += chunk;
		len -= chunk;
	}
	return 0;
}

int guest_read(void *dst, u64 gpa, u64 len)
{
	return guest_copy(NULL, dst, gpa, len, false);
}

int guest_write(u64 gpa, const void *src, u64 len)
{
	/* The window copy only reads from src. */
	return guest_copy(NULL, (void *)(uintptr_t)src, gpa, len, true);
}

int guest_read_vm(const struct hv_vm *vm, void *dst, u64 gpa, u64 len)
{
	return guest_copy(vm, dst, gpa, len, false);
}

int guest_write_vm(const struct hv_vm *vm, u64 gpa, const void *src, u64 len)
{
	return guest_copy(vm, (void *)(uintptr_t)src, gpa, len, true);
}
