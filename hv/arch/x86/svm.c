// SPDX-License-Identifier: BSD-3-Clause
/*
 * AMD SVM: late launch of the Service OS as a guest on this CPU, the exit
 * dispatch, and the way back to bare metal (HC_DISABLE).
 *
 * The guest is the Linux that called lhv_hv_entry: its VMCB is built from
 * the CPU's current state, and it resumes at the caller's return address
 * with RAX = 0 (arch/x86/entry.S saved the rest). All CPUs share one
 * nested page table (asm/npt.h). QEMU TCG has no nrip_save and no decode
 * assists, so RIP advances by lengths the handlers know.
 */
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/npt.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/svm.h>
#include <asm/svm_internal.h>
#include <asm/vcpu.h>
#include <hv/compiler.h>
#include <hv/entry.h>
#include <hv/errno.h>
#include <hv/hypercall.h>
#include <hv/log.h>
#include <hv/memory.h>
#include <hv/percpu.h>
#include <hv/spinlock.h>
#include <hv/string.h>

#define CPUID_SVM_FEATURES 0x8000000a
#define CPUID_SVM_NPT (1U << 0)
#define RDMSR_WRMSR_LEN 2
#define SVM_ASID_SOS 1

/* Bits of EFER a guest may set: what Linux uses on AMD. */
#define EFER_GUEST_BITS                                                        \
	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | EFER_LMSLE | EFER_FFXSR | \
	 EFER_TCE | EFER_AUTOIBRS)

/* MSR permission map (8 KiB used) and I/O permission map (12 KiB). */
static u8 svm_msrpm[2 * PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 svm_iopm[3 * PAGE_SIZE] __aligned(PAGE_SIZE);

/* Shared tables are built by the first CPU in (hv memory starts zeroed). */
static spinlock_t svm_setup_lock;
static bool svm_shared_ready;

/* Intercept reads (bit 2n) and/or writes (bit 2n + 1) of one MSR. */
void svm_uvm_intercept_msr(u8 *msrpm, u32 msr, bool read, bool write)
{
	u32 base, off;

	if (msr < 0x2000) {
		base = 0;
		off = msr;
	} else if (msr - 0xc0000000U < 0x2000) {
		base = 0x800;
		off = msr - 0xc0000000U;
	} else {
		base = 0x1000;
		off = msr - 0xc0010000U;
	}
	msrpm[base + off / 4] |=
		(u8)(((read ? 1U : 0U) | (write ? 2U : 0U)) << ((off % 4) * 2));
}

static void msrpm_intercept(u32 msr)
{
	svm_uvm_intercept_msr(svm_msrpm, msr, true, true);
}

static int svm_shared_setup(void)
{
	int err = 0;

	spin_lock(&svm_setup_lock);
	if (!svm_shared_ready) {
		err = npt_setup();
		if (!err)
			err = paging_setup();
		desc_setup(read_cs(), read_ss());
		/* EFER hides SVME; the SVM MSRs would let the SOS at the hv. */
		msrpm_intercept(MSR_EFER);
		msrpm_intercept(MSR_VM_CR);
		msrpm_intercept(MSR_VM_HSAVE_PA);
		if (!err)
			svm_shared_ready = true;
	}
	spin_unlock(&svm_setup_lock);
	return err;
}

static int svm_check(void)
{
	struct cpuid_regs r;

	cpuid_count(0x80000000, 0, &r);
	if (r.eax < CPUID_SVM_FEATURES)
		return -ENODEV;
	cpuid_count(0x80000001, 0, &r);
	if (!(r.ecx & (1U << 2)))
		return -ENODEV;
	cpuid_count(CPUID_SVM_FEATURES, 0, &r);
	if (!(r.edx & CPUID_SVM_NPT))
		return -ENODEV;
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS)
		return -ENODEV;
	/* Someone (KVM) already uses SVM on this CPU. */
	if (rdmsr(MSR_EFER) & EFER_SVME)
		return -EBUSY;
	return 0;
}

/* A segment as the GDT at @gdt describes selector @sel (LDT: unusable). */
static void seg_from_gdt(struct vmcb_seg *seg, u16 sel, u64 gdt)
{
	const u64 *desc;
	u64 d;

	seg->selector = sel;
	if (!(sel & ~7U) || (sel & 4U)) {
		seg->attrib = 0;
		seg->limit = 0;
		seg->base = 0;
		return;
	}
	desc = (const u64 *)(gdt + (sel & ~7U));
	d = desc[0];
	seg->attrib = (u16)(((d >> 40) & 0xff) | ((d >> 44) & 0xf00));
	seg->limit = (u32)((d & 0xffff) | ((d >> 32) & 0xf0000));
	if (d & (1ULL << 55))
		seg->limit = (seg->limit << 12) | 0xfff;
	seg->base = ((d >> 16) & 0xffffff) | ((d >> 32) & 0xff000000);
	/* System descriptors (S = 0: TSS, LDT) are 16 bytes in long mode. */
	if (!(d & (1ULL << 44)))
		seg->base |= desc[1] << 32;
}

static void vmcb_init_control(struct vmcb_control *c)
{
	c->intercept_misc1 = SVM_INTERCEPT_CPUID | SVM_INTERCEPT_MSR_PROT |
			     SVM_INTERCEPT_SHUTDOWN;
	c->intercept_misc2 = SVM_INTERCEPT_SVM_INSNS;
	c->iopm_base_pa = hv_pa(svm_iopm);
	c->msrpm_base_pa = hv_pa(svm_msrpm);
	c->asid = SVM_ASID_SOS;
	c->tlb_control = SVM_TLB_FLUSH_ALL;
	/*
	 * V_INTR_MASKING off, no INTR/NMI intercepts: physical interrupts go
	 * straight through the guest's IDT, masked by the guest's RFLAGS.IF.
	 */
	c->int_ctl = 0;
	c->nested_ctl = SVM_NP_ENABLE;
	c->nested_cr3 = npt_root_pa();
}

/* The guest: this CPU's Linux state, resuming lhv_hv_entry's caller. */
static void vmcb_init_save(struct per_cpu *cpu, struct vmcb_save *s)
{
	struct desc_ptr gdt, idt;

	store_gdt(&gdt);
	store_idt(&idt);
	s->gdtr.base = gdt.base;
	s->gdtr.limit = gdt.limit;
	s->idtr.base = idt.base;
	s->idtr.limit = idt.limit;

	seg_from_gdt(&s->cs, read_cs(), gdt.base);
	seg_from_gdt(&s->ss, read_ss(), gdt.base);
	seg_from_gdt(&s->ds, read_ds(), gdt.base);
	seg_from_gdt(&s->es, read_es(), gdt.base);
	seg_from_gdt(&s->fs, read_fs(), gdt.base);
	seg_from_gdt(&s->gs, read_gs(), gdt.base);
	seg_from_gdt(&s->tr, read_tr(), gdt.base);
	seg_from_gdt(&s->ldtr, read_ldtr(), gdt.base);
	/* A loaded TSS is busy (type 11); 64-bit mode ignores FS/GS bases. */
	s->tr.attrib = (u16)((s->tr.attrib & ~0xfU) | 0xb);
	s->fs.base = rdmsr(MSR_FS_BASE);
	s->gs.base = rdmsr(MSR_GS_BASE);
	s->cpl = 0;

	s->efer = rdmsr(MSR_EFER) | EFER_SVME;
	s->cr0 = read_cr0();
	s->cr2 = read_cr2();
	s->cr3 = read_cr3();
	s->cr4 = read_cr4();
	s->dr6 = read_dr6();
	s->dr7 = read_dr7();
	s->g_pat = rdmsr(MSR_IA32_PAT);
	s->dbgctl = rdmsr(MSR_IA32_DEBUGCTL);

	/* Without VMLOAD these stay live in the CPU; recorded for debugging. */
	s->star = rdmsr(MSR_STAR);
	s->lstar = rdmsr(MSR_LSTAR);
	s->cstar = rdmsr(MSR_CSTAR);
	s->sfmask = rdmsr(MSR_SFMASK);
	s->kernel_gs_base = rdmsr(MSR_KERNEL_GS_BASE);
	s->sysenter_cs = rdmsr(MSR_IA32_SYSENTER_CS);
	s->sysenter_esp = rdmsr(MSR_IA32_SYSENTER_ESP);
	s->sysenter_eip = rdmsr(MSR_IA32_SYSENTER_EIP);

	/* Return from lhv_hv_entry with 0. */
	s->rip = *(const u64 *)cpu->linux_rsp;
	s->rsp = cpu->linux_rsp + 8;
	s->rflags = cpu->linux_rflags;
	s->rax = 0;
}

int arch_cpu_enable(struct per_cpu *cpu)
{
	int err;

	err = svm_check();
	if (err) {
		log_printf("lhv: cpu %u: no usable SVM with NPT (%d)\n",
			   cpu->cpu_id, err);
		return err;
	}
	err = svm_shared_setup();
	if (err)
		return err;

	memset(&cpu->vmcb, 0, sizeof(cpu->vmcb));
	vmcb_init_control(&cpu->vmcb.control);
	vmcb_init_save(cpu, &cpu->vmcb.save);
	cpu->vmcb_pa = hv_pa(&cpu->vmcb);
	cpu->disable = false;
	cpu->npf_logged = 0;
	cpu->exits = 0;
	memset(cpu->exit_count, 0, sizeof(cpu->exit_count));
	memset(cpu->exit_cycles, 0, sizeof(cpu->exit_cycles));

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, hv_pa(cpu->host_save));
	/*
	 * From here on the hv sees only its own memory: its page table, GDT
	 * and IDT. VMRUN saves these as the host state each #VMEXIT restores.
	 * The SOS's global TLB entries must not outlive the switch.
	 */
	write_cr3(paging_root_pa());
	flush_tlb_all_local();
	desc_load();
	cpu->running = true;
	log_printf("lhv: cpu %u: launching the SOS as a guest\n", cpu->cpu_id);
	svm_vcpu_loop(cpu);
}

void svm_inject_exception(struct vmcb *vmcb, unsigned int vector)
{
	u64 ev = vector | SVM_EVTINJ_TYPE_EXCP | SVM_EVTINJ_VALID;

	/* #GP carries an error code (0 here); #UD does not. */
	if (vector == X86_EXC_GP)
		ev |= SVM_EVTINJ_ERR_VALID;
	vmcb->control.event_inj = ev;
}

/*
 * RDMSR/WRMSR of EFER or an SVM MSR, for the SOS and user VMs alike;
 * returns a length or -X86_EXC_*.
 */
int svm_msr_efer(struct vmcb *vmcb, struct guest_regs *regs, bool write)
{
	u32 msr = (u32)regs->rcx;
	u64 val = (regs->rdx << 32) | (u32)regs->rax;

	switch (msr) {
	case MSR_EFER:
		if (!write) {
			val = vmcb->save.efer & ~EFER_SVME;
			break;
		}
		if (val & ~(EFER_GUEST_BITS | EFER_SVME))
			return -X86_EXC_GP;
		/* VMRUN needs SVME; the guest never sees it. */
		vmcb->save.efer = (val & EFER_GUEST_BITS) | EFER_SVME;
		return RDMSR_WRMSR_LEN;
	case MSR_VM_CR:
		if (write)
			return -X86_EXC_GP;
		/* As firmware that disabled SVM would leave it. */
		val = VM_CR_LOCK | VM_CR_SVMDIS;
		break;
	default: /* MSR_VM_HSAVE_PA, or one intercepted by mistake */
		return -X86_EXC_GP;
	}
	regs->rax = (u32)val;
	regs->rdx = val >> 32;
	return RDMSR_WRMSR_LEN;
}

static int svm_handle_npf(struct per_cpu *cpu, struct vmcb *vmcb)
{
	/* First touch of SOS space above the premapped GiBs: map, retry. */
	if (!(vmcb->control.exit_info1 & NPF_PRESENT) &&
	    npt_map_gib(vmcb->control.exit_info2))
		return 0;
	/* Logged a few times per CPU, so a looping SOS cannot flood the log. */
	if (cpu->npf_logged < 8) {
		cpu->npf_logged++;
		log_printf("lhv: cpu %u: SOS access to gpa 0x%llx refused "
			   "(err 0x%llx, rip 0x%llx): #GP\n",
			   cpu->cpu_id,
			   (unsigned long long)vmcb->control.exit_info2,
			   (unsigned long long)vmcb->control.exit_info1,
			   (unsigned long long)vmcb->save.rip);
	}
	return -X86_EXC_GP;
}

/* Leaves SVM on this CPU and continues the guest natively; no return. */
void __noreturn svm_disable(struct per_cpu *cpu)
{
	struct vmcb_save *s = &cpu->vmcb.save;
	struct desc_ptr gdt = { .limit = (u16)s->gdtr.limit,
				.base = s->gdtr.base };
	struct desc_ptr idt = { .limit = (u16)s->idtr.limit,
				.base = s->idtr.base };
	u64 *frame = (u64 *)(s->rsp - 16);

	log_printf("lhv: cpu %u: leaving after %llu exits\n", cpu->cpu_id,
		   (unsigned long long)cpu->exits);
	cpu->running = false;

	__asm__ __volatile__("lgdt %0; lidt %1" : : "m"(gdt), "m"(idt));
	if (read_cr4() != s->cr4)
		write_cr4(s->cr4);
	if (read_cr0() != s->cr0)
		__asm__ __volatile__("mov %0, %%cr0" : : "r"(s->cr0));
	/* Back on the SOS's page table, which maps the hv as the loader did. */
	write_cr3(s->cr3);

	/* Linux builds without a red zone: below its RSP is free. */
	frame[0] = s->rflags;
	frame[1] = s->rip;

	wrmsr(MSR_IA32_PAT, s->g_pat);
	__asm__ __volatile__("mov %0, %%dr7" : : "r"(s->dr7));
	wrmsr(MSR_EFER, s->efer);
	/* GIF must be set before SVME is cleared, or INIT and NMI stay off. */
	wrmsr(MSR_VM_HSAVE_PA, 0);
	__asm__ __volatile__("stgi" : : : "memory");
	wrmsr(MSR_EFER, s->efer & ~EFER_SVME);
	svm_resume_native(&cpu->regs, (u64)frame);
}

u32 arch_hw_vendor(void)
{
	return LHV_HC_VENDOR_AMD_SVM;
}

u32 arch_hw_features(void)
{
	struct cpuid_regs r;
	u32 f = LHV_HC_HW_NPT;

	cpuid_count(CPUID_SVM_FEATURES, 0, &r);
	if (r.edx & (1U << 3))
		f |= LHV_HC_HW_NRIP;
	if (r.edx & (1U << 7))
		f |= LHV_HC_HW_DECODE;
	if (read_cr4() & X86_CR4_LA57)
		f |= LHV_HC_HW_LA57;
	return f;
}

/* How an SVM exit code counts in the statistics. */
enum lhv_exit_reason svm_exit_reason(u32 code)
{
	switch (code) {
	case SVM_EXIT_CPUID:
		return LHV_EXIT_CPUID;
	case SVM_EXIT_VMMCALL:
		return LHV_EXIT_HYPERCALL;
	case SVM_EXIT_MSR:
		return LHV_EXIT_MSR;
	case SVM_EXIT_NPF:
		return LHV_EXIT_NPF;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
		return LHV_EXIT_VIRT_INSN;
	default:
		return LHV_EXIT_OTHER;
	}
}

int svm_handle_exit(struct per_cpu *cpu)
{
	struct vmcb *vmcb = &cpu->vmcb;
	u32 code = (u32)vmcb->control.exit_code;
	enum lhv_exit_reason reason = svm_exit_reason(code);
	u64 t0 = rdtsc();
	int len;

	cpu->exits++;
	vmcb->control.tlb_control = 0;
	cpu->regs.rax = vmcb->save.rax;

	switch (code) {
	case SVM_EXIT_CPUID:
		len = vcpu_handle_cpuid(&cpu->regs);
		break;
	case SVM_EXIT_VMMCALL:
		len = vcpu_handle_hypercall(cpu, &cpu->regs, vmcb->save.cpl,
					    NULL);
		break;
	case SVM_EXIT_MSR:
		len = svm_msr_efer(vmcb, &cpu->regs,
				   vmcb->control.exit_info1 & 1);
		break;
	case SVM_EXIT_NPF:
		len = svm_handle_npf(cpu, vmcb);
		break;
	case SVM_EXIT_NMI:
		/* Only intercepted on a CPU donated to a user VM. */
		svm_sos_nmi(cpu);
		len = 0;
		break;
	case SVM_EXIT_INVALID:
		log_printf("lhv: cpu %u: VMRUN refused the VMCB\n",
			   cpu->cpu_id);
		cpu_halt_forever();
	default:
		if (reason == LHV_EXIT_VIRT_INSN) {
			/* VMRUN, VMLOAD, ...: the SOS has no SVM. */
			len = -X86_EXC_UD;
			break;
		}
		log_printf("lhv: cpu %u: unhandled exit 0x%x (info1 0x%llx "
			   "info2 0x%llx rip 0x%llx): halted\n",
			   cpu->cpu_id, code,
			   (unsigned long long)vmcb->control.exit_info1,
			   (unsigned long long)vmcb->control.exit_info2,
			   (unsigned long long)vmcb->save.rip);
		cpu_halt_forever();
	}

	if (len < 0) {
		svm_inject_exception(vmcb, (unsigned int)-len);
	} else {
		vmcb->save.rip += (u64)len;
		vmcb->save.rax = cpu->regs.rax;
	}
	/* Single writer (this CPU); readers load each counter whole. */
	__atomic_store_n(&cpu->exit_count[reason], cpu->exit_count[reason] + 1,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&cpu->exit_cycles[reason],
			 cpu->exit_cycles[reason] + (rdtsc() - t0),
			 __ATOMIC_RELAXED);
	if (cpu->disable) {
		cpu->regs.rax = 0;
		svm_disable(cpu);
	}
	return 0;
}
