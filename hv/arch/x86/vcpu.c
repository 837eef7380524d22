// SPDX-License-Identifier: BSD-3-Clause
/*
 * Exit handlers every x86 vendor shares: CPUID and the hypercall. They
 * see the guest through struct guest_regs (RAX included, copied there by
 * the vendor code) and return how far RIP advances.
 */
#include <lhv/hypercall.h>
#include <lhv/version.h>
#include <asm/processor.h>
#include <asm/svm.h>
#include <asm/vcpu.h>
#include <hv/errno.h>
#include <hv/hypercall.h>
#include <hv/percpu.h>
#include <hv/seed.h>
#include <hv/upcall.h>
#include <hv/vm.h>

#define CPUID_INSN_LEN 2
/* VMMCALL (0f 01 d9) and VMCALL (0f 01 c1) alike. */
#define HYPERCALL_INSN_LEN 3

#define CPUID_1_ECX_HYPERVISOR (1U << 31)
#define CPUID_80000001_ECX_SVM (1U << 2)
#define CPUID_SVM_FEATURES 0x8000000a

int vcpu_handle_cpuid(struct guest_regs *regs)
{
	u32 leaf = (u32)regs->rax, subleaf = (u32)regs->rcx;
	struct cpuid_regs r = { 0 };

	if ((leaf & 0xffff0000U) == 0x40000000U) {
		/* The hypervisor range is ours alone. */
		if (leaf == LHV_CPUID_SIGNATURE) {
			r.eax = LHV_CPUID_ABI;
			r.ebx = LHV_CPUID_SIG_EBX;
			r.ecx = LHV_CPUID_SIG_ECX;
			r.edx = LHV_CPUID_SIG_EDX;
		} else if (leaf == LHV_CPUID_ABI) {
			r.eax = LHV_ABI_VERSION;
		}
	} else if (leaf != CPUID_SVM_FEATURES) {
		cpuid_count(leaf, subleaf, &r);
		if (leaf == 1)
			r.ecx |= CPUID_1_ECX_HYPERVISOR;
		else if (leaf == 0x80000001)
			r.ecx &= ~CPUID_80000001_ECX_SVM;
	}
	/* CPUID writes the low halves and clears the high ones. */
	regs->rax = r.eax;
	regs->rbx = r.ebx;
	regs->rcx = r.ecx;
	regs->rdx = r.edx;
	return CPUID_INSN_LEN;
}

/* The Service OS's calls: the hv and its VMs. */
static s64 sos_hypercall(struct per_cpu *cpu, struct guest_regs *regs)
{
	switch (regs->r8) {
	case LHV_HC_DISABLE:
		/* The vendor code leaves after this call. */
		cpu->disable = true;
		return 0;
	case LHV_HC_GET_HW_INFO:
		return hc_get_hw_info(regs->rdi, regs->rsi);
	case LHV_HC_LOG_READ:
		return hc_log_read(regs->rdi);
	case LHV_HC_GET_STATS:
		return hc_get_stats(regs->rdi, regs->rsi);
	case LHV_HC_GET_VSEED:
		return vseed_hc_get(NULL, regs->rdi, regs->rsi);
	case LHV_HC_VM_CREATE:
		return hc_vm_create(regs->rdi);
	case LHV_HC_VM_SET_VCPU:
		return hc_vm_set_vcpu(regs->rdi);
	case LHV_HC_VM_START:
		return hc_vm_start(regs->rdi);
	case LHV_HC_VM_STOP:
		return hc_vm_stop(regs->rdi);
	case LHV_HC_VM_DESTROY:
		return hc_vm_destroy(regs->rdi);
	case LHV_HC_VM_CONSOLE_READ:
		return hc_vm_console_read(regs->rdi);
	case LHV_HC_VM_INFO:
		return hc_vm_info(regs->rdi, regs->rsi);
	case LHV_HC_CPU_DONATE:
		return arch_cpu_donate(cpu, regs->rdi);
	case LHV_HC_CPU_TAKE:
		return arch_cpu_take(regs->rdi);
	case LHV_HC_VM_SET_MEASURE:
		return hc_vm_set_measure(regs->rdi);
	case LHV_HC_VM_CONSOLE_WRITE:
		return hc_vm_console_write(regs->rdi);
	case LHV_HC_SET_UPCALL:
		return hc_set_upcall(regs->rdi);
	case LHV_HC_VM_DOORBELL:
		return hc_vm_doorbell(regs->rdi);
	case LHV_HC_VM_INJECT_MSI:
		return hc_vm_inject_msi(regs->rdi, regs->rsi);
	default:
		return -ENOSYS;
	}
}

int vcpu_handle_hypercall(struct per_cpu *cpu, struct guest_regs *regs,
			  unsigned int cpl, struct hv_vm *vm)
{
	s64 ret;

	if (cpl != 0)
		ret = -EPERM;
	else if (regs->r8 == LHV_HC_GET_API_VERSION)
		ret = LHV_ABI_VERSION;
	else if (!vm)
		ret = sos_hypercall(cpu, regs);
	else if (regs->r8 == LHV_HC_GET_VSEED)
		ret = vseed_hc_get(vm, regs->rdi, regs->rsi); /* its own */
	else if (regs->r8 >= LHV_HC_DISABLE && regs->r8 <= LHV_HC_VM_INJECT_MSI)
		ret = -EPERM; /* the SOS's alone */
	else
		ret = -ENOSYS;
	regs->rax = (u64)ret;
	return HYPERCALL_INSN_LEN;
}
