// SPDX-License-Identifier: BSD-3-Clause
/*
 * Measured start of a user VM (docs/uvm.md): the SOS names the regions
 * of the VM's memory that hold what it loaded (kernel, initrd, command
 * line); each start, vCPU 0 hashes them with SHA-256 on its own CPU before
 * the first guest instruction, so the digests describe exactly what ran,
 * whatever the SOS wrote into the VM's memory after loading. The SOS
 * reads them with LHV_HC_VM_INFO.
 */
#include <lhv/hypercall.h>
#include <hv/errno.h>
#include <hv/guest_mem.h>
#include <hv/log.h>
#include <hv/string.h>
#include <hv/vm.h>

#include "mbedtls/platform_util.h"
#include "mbedtls/sha256.h"

/* Bytes hashed per copy out of the VM's memory. */
#define MEASURE_PIECE 1024

s64 hc_vm_set_measure(u64 gpa)
{
	struct lhv_hc_vm_measure req;
	struct hv_vm *vm;
	s64 ret = 0;
	u32 i;
	int err;

	err = guest_read(&req, gpa, sizeof(req));
	if (err)
		return err;
	if (req.id < 1 || req.id > LHV_VM_MAX_ID || req.nr > LHV_VM_MEASURE_MAX)
		return -EINVAL;
	vm = &hv_vms[req.id];
	spin_lock(&hv_vm_lock);
	if (vm->state != LHV_HC_VM_CREATED && vm->state != LHV_HC_VM_STOPPED) {
		ret = vm->state == LHV_HC_VM_FREE ? -ENOENT : -EBUSY;
		goto out;
	}
	for (i = 0; i < req.nr; i++) {
		const struct lhv_hc_measure_region *r = &req.region[i];
		u64 end = r->gpa + r->len;

		if (r->pad || r->kind < LHV_MEASURE_KERNEL ||
		    r->kind > LHV_MEASURE_CMDLINE || !r->len) {
			ret = -EINVAL;
			goto out;
		}
		if (end < r->gpa || end > vm->ram_size) {
			ret = -EFAULT;
			goto out;
		}
	}
	memset(&vm->measure, 0, sizeof(vm->measure));
	memcpy(vm->measure.region, req.region, sizeof(req.region));
	vm->measure.nr = req.nr;
out:
	spin_unlock(&hv_vm_lock);
	return ret;
}

static int measure_region(const struct hv_vm *vm,
			  const struct lhv_hc_measure_region *r,
			  unsigned char digest[32])
{
	mbedtls_sha256_context ctx;
	unsigned char piece[MEASURE_PIECE];
	u64 done;
	int err = 0;

	mbedtls_sha256_init(&ctx);
	if (mbedtls_sha256_starts_ret(&ctx, 0))
		err = -EIO;
	for (done = 0; !err && done < r->len; done += sizeof(piece)) {
		u64 n = r->len - done < sizeof(piece) ? r->len - done
						      : sizeof(piece);

		err = guest_read_vm(vm, piece, r->gpa + done, n);
		if (!err && mbedtls_sha256_update_ret(&ctx, piece, n))
			err = -EIO;
	}
	if (!err && mbedtls_sha256_finish_ret(&ctx, digest))
		err = -EIO;
	mbedtls_sha256_free(&ctx);
	mbedtls_platform_zeroize(piece, sizeof(piece));
	return err;
}

void vm_measure(struct hv_vm *vm)
{
	unsigned char digest[32];
	u32 i;

	__atomic_store_n(&vm->measure.nr_done, 0, __ATOMIC_RELEASE);
	for (i = 0; i < vm->measure.nr; i++) {
		if (measure_region(vm, &vm->measure.region[i], digest)) {
			/* Checked at SET_MEASURE: the RAM cannot have moved. */
			vm_crash(vm, "measurement failed");
			return;
		}
		memcpy(vm->measure.sha256[i], digest, sizeof(digest));
	}
	__atomic_store_n(&vm->measure.nr_done, vm->measure.nr,
			 __ATOMIC_RELEASE);
	if (vm->measure.nr)
		log_printf("lhv: vm %u: measured %u regions\n", vm->id,
			   vm->measure.nr);
}
