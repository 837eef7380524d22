// SPDX-License-Identifier: BSD-3-Clause
/*
 * IPIs of a user VM's vCPUs (docs/uvm.md, isolation). A vCPU has its
 * CPU's local APIC in x2APIC mode with every ICR write intercepted; the
 * write is checked here and carried out only toward the VM's own CPUs:
 *
 *   fixed      to a vCPU of the VM: sent as is (physical destination);
 *              broadcasts are expanded to the VM's vCPUs
 *   NMI        flagged on the target and sent as a physical NMI, whose
 *              exit injects it (the hv intercepts NMIs to stop vCPUs)
 *   INIT       the target leaves the guest and waits for a SIPI
 *   SIPI       a waiting target starts in real mode at vector << 12
 *
 * Physical and logical (x2APIC cluster) destinations are both resolved
 * to the VM's own CPUs. Anything else, and any destination outside the
 * VM, is dropped and logged a few times per VM.
 */
#include <asm/apic.h>
#include <asm/msr.h>
#include <asm/uvm.h>
#include <hv/log.h>
#include <hv/percpu.h>
#include <hv/vm.h>

#define MSR_X2APIC_ICR 0x830
#define ICR_VECTOR 0xffULL
#define ICR_MODE(v) (((v) >> 8) & 7)
#define ICR_MODE_FIXED 0
#define ICR_MODE_LOWEST 1
#define ICR_MODE_NMI 4
#define ICR_MODE_INIT 5
#define ICR_MODE_SIPI 6
#define ICR_LOGICAL (1ULL << 11)
#define ICR_ASSERT (1ULL << 14)
#define ICR_LEVEL (1ULL << 15)
#define ICR_SHORTHAND(v) (((v) >> 18) & 3)
#define SH_NONE 0
#define SH_SELF 1
#define SH_ALL 2
#define SH_ALL_BUT_SELF 3
/* What of the ICR a physical fixed IPI keeps: vector, mode, level bits. */
#define ICR_KEEP (ICR_VECTOR | (7ULL << 8) | ICR_ASSERT | ICR_LEVEL)

static void drop(struct hv_vm *vm, u64 val, const char *why)
{
	/* A looping guest cannot flood the log. */
	if (vm->ipis_dropped++ < 4)
		log_printf("lhv: vm %u: IPI dropped, %s (icr 0x%llx)\n", vm->id,
			   why, (unsigned long long)val);
}

static void deliver(struct per_cpu *self, struct hv_vm *vm, struct per_cpu *to,
		    u64 val)
{
	switch (ICR_MODE(val)) {
	case ICR_MODE_FIXED:
	case ICR_MODE_LOWEST:
		/* Lowest priority to one known CPU is fixed to it. */
		wrmsr(MSR_X2APIC_ICR,
		      ((u64)to->apic_id << 32) | (val & ICR_VECTOR));
		break;
	case ICR_MODE_NMI:
		__atomic_store_n(&to->uvm_guest_nmi, true, __ATOMIC_RELEASE);
		apic_send_nmi(self->cpu_id, to->apic_id);
		break;
	case ICR_MODE_INIT:
		/* INIT level de-assert: nothing on CPUs since the P4. */
		if ((val & ICR_LEVEL) && !(val & ICR_ASSERT))
			break;
		if (to == self)
			break;
		__atomic_store_n(&to->uvm_init, true, __ATOMIC_RELEASE);
		if (!__atomic_load_n(&to->uvm_wait_sipi, __ATOMIC_ACQUIRE))
			apic_send_nmi(self->cpu_id, to->apic_id);
		break;
	case ICR_MODE_SIPI:
		/* Only a CPU waiting for it takes a SIPI. */
		if (!__atomic_load_n(&to->uvm_wait_sipi, __ATOMIC_ACQUIRE))
			break;
		to->uvm_sipi_vector = (u32)(val & ICR_VECTOR);
		__atomic_store_n(&to->uvm_sipi, true, __ATOMIC_RELEASE);
		break;
	default:
		drop(vm, val, "delivery mode");
		break;
	}
}

/*
 * Whether an x2APIC destination names @apic_id: physical, the id itself;
 * logical (cluster mode), cluster id << 16 | a bit per CPU of the
 * cluster, the cluster being id >> 4 and the bit id & 15.
 */
static bool names(u32 dest, bool logical, u32 apic_id)
{
	if (!logical)
		return dest == apic_id;
	return (dest >> 16) == (apic_id >> 4) &&
	       (dest & (1U << (apic_id & 15)));
}

/* The destination bits of a logical ICR that no vCPU of @vm has. */
static u32 foreign_bits(const struct hv_vm *vm, u32 dest)
{
	u32 mask = dest & 0xffff, i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		u32 id = hv_percpu[vm->cpus[i]].apic_id;

		if ((dest >> 16) == (id >> 4))
			mask &= ~(1U << (id & 15));
	}
	return mask;
}

void uvm_ipi_icr_write(struct per_cpu *self, struct hv_vm *vm, u64 val)
{
	u32 sh = ICR_SHORTHAND(val), dest = (u32)(val >> 32), i;
	bool hit = false;

	if (sh == SH_SELF) {
		if (ICR_MODE(val) == ICR_MODE_FIXED)
			wrmsr(MSR_X2APIC_ICR, val);
		else
			drop(vm, val, "self with that mode");
		return;
	}
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct per_cpu *to = &hv_percpu[vm->cpus[i]];

		if (sh == SH_NONE ? !names(dest, val & ICR_LOGICAL, to->apic_id)
				  : sh == SH_ALL_BUT_SELF && to == self)
			continue;
		hit = true;
		deliver(self, vm, to, val & ICR_KEEP);
	}
	/* Only the VM's part of a destination is served. */
	if (sh == SH_NONE &&
	    (!hit || ((val & ICR_LOGICAL) && foreign_bits(vm, dest))))
		drop(vm, val, "destination outside the VM");
}
