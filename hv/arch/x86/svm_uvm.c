// SPDX-License-Identifier: BSD-3-Clause
/*
 * User VM vCPUs on donated CPUs (docs/uvm.md).
 *
 * Donation: the SOS takes a CPU offline; on its way down the CPU calls
 * LHV_HC_CPU_DONATE, which makes its SOS VMCB intercept NMIs (until then
 * an NMI there is given back to the SOS). Once Linux reports the CPU dead,
 * the SOS calls LHV_HC_CPU_TAKE from another CPU: the hv sends the dead
 * CPU an NMI, whose exit lands in svm_park(), and the CPU is the hv's: it
 * waits for commands from the CPU that handles the SOS's VM calls.
 *
 *   RUN      run the vCPU from its boot state until it stops or crashes
 *   STOP     (an NMI makes the vCPU exit) back to waiting
 *   RELEASE  leave SVM and resume the parked SOS context natively, in
 *            Linux's play_dead: the CPU halts until the SOS's INIT/SIPI
 *            brings it online again, on bare metal, and lhv.ko re-enters
 *            the hv.
 *
 * A vCPU has its own VMCB, ASID and nested page table (its VM's RAM only),
 * the CPU's local APIC in x2APIC mode (the vCPU may send IPIs only to
 * itself), all I/O ports intercepted (COM1 emulated, the rest floats) and
 * the same CPUID filter as the SOS. FS, GS, TR, LDTR and the SYSCALL MSRs
 * are switched with VMSAVE/VMLOAD, so the SOS's survive the VM.
 */
#include <lhv/hypercall.h>
#include <asm/apic.h>
#include <asm/msr.h>
#include <asm/npt.h>
#include <asm/processor.h>
#include <asm/svm.h>
#include <asm/svm_internal.h>
#include <asm/uvm.h>
#include <asm/vcpu.h>
#include <hv/compiler.h>
#include <hv/errno.h>
#include <hv/guest_mem.h>
#include <hv/log.h>
#include <hv/memory.h>
#include <hv/percpu.h>
#include <hv/string.h>
#include <hv/vm.h>
#include <lib/format.h>
#include <lib/x86_decode.h>
#include <lib/x86_walk.h>

enum park_state { PARK_NONE, PARK_WAITING, PARK_RUNNING, PARK_LEFT };
enum park_cmd { CMD_NONE, CMD_RUN, CMD_STOP, CMD_RELEASE };

#define SVM_INTERCEPT_IOIO_PROT (1U << 27)
#define SVM_EXIT_IOIO 0x07b

#define IOIO_IN (1U << 0)
#define IOIO_STR (1U << 2)
#define IOIO_REP (1U << 3)
#define IOIO_SZ_SHIFT 4

#define MSR_X2APIC_ICR 0x830

#define RFLAGS_IF (1UL << 9)

/*
 * The x2APIC lock a user VM sees (docs/uvm.md): CPUID.7.EDX[29] says
 * IA32_ARCH_CAPABILITIES exists, its bit 21 that the legacy xAPIC can be
 * disabled, and IA32_XAPIC_DISABLE_STATUS bit 0 that it is. Linux then
 * keeps the x2APIC mode the vCPU starts in even without interrupt
 * remapping, instead of falling back to the xAPIC page, which the VM does
 * not have (its ICR could not be filtered).
 */
#define MSR_ARCH_CAPABILITIES 0x10a
#define MSR_XAPIC_DISABLE_STATUS 0xbd
#define ARCH_CAP_XAPIC_DISABLE (1ULL << 21)
#define LEGACY_XAPIC_DISABLED (1ULL << 0)
#define CPUID_7_EDX_ARCH_CAPABILITIES (1U << 29)
/*
 * IA32_APIC_BASE: the BSP flag is the physical CPU's, but the VM's vCPU 0
 * is its BSP (Linux takes a BSP without the flag for a crash kernel and
 * keeps one CPU). Writes may not change the mode or the base.
 */
#define MSR_APIC_BASE 0x1b
#define APIC_BASE_BSP (1ULL << 8)
#define HLT_LEN 1

/* I/O and MSR permission maps of every user VM vCPU. */
static u8 uvm_iopm[3 * PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 uvm_msrpm[2 * PAGE_SIZE] __aligned(PAGE_SIZE);
static bool uvm_maps_ready;

static inline void vmsave(u64 pa)
{
	__asm__ __volatile__("vmsave %%rax" : : "a"(pa) : "memory");
}

static inline void vmload(u64 pa)
{
	__asm__ __volatile__("vmload %%rax" : : "a"(pa) : "memory");
}

/* Built by the first donation (hv memory starts zeroed, one enable). */
static void uvm_maps_setup(void)
{
	if (uvm_maps_ready)
		return;
	memset(uvm_iopm, 0xff, sizeof(uvm_iopm));
	svm_uvm_intercept_msr(uvm_msrpm, MSR_EFER, true, true);
	svm_uvm_intercept_msr(uvm_msrpm, MSR_VM_CR, true, true);
	svm_uvm_intercept_msr(uvm_msrpm, MSR_VM_HSAVE_PA, true, true);
	svm_uvm_intercept_msr(uvm_msrpm, MSR_X2APIC_ICR, false, true);
	svm_uvm_intercept_msr(uvm_msrpm, MSR_APIC_BASE, true, true);
	svm_uvm_intercept_msr(uvm_msrpm, MSR_ARCH_CAPABILITIES, true, true);
	svm_uvm_intercept_msr(uvm_msrpm, MSR_XAPIC_DISABLE_STATUS, true, true);
	uvm_maps_ready = true;
}

static struct per_cpu *cpu_by_id(u32 id)
{
	return id < HV_MAX_CPUS ? &hv_percpu[id] : NULL;
}

bool arch_cpu_parked_for(u32 id, u32 vm_id)
{
	struct per_cpu *c = cpu_by_id(id);

	return c &&
	       __atomic_load_n(&c->donated_vm, __ATOMIC_ACQUIRE) == vm_id &&
	       __atomic_load_n(&c->park_state, __ATOMIC_ACQUIRE) ==
		       PARK_WAITING;
}

s64 arch_cpu_donate(struct per_cpu *cpu, u64 vm_id)
{
	if (vm_id < 1 || vm_id > LHV_VM_MAX_ID)
		return -EINVAL;
	if (cpu->donated_vm)
		return -EBUSY;
	uvm_maps_setup();
	cpu->apic_id = apic_id_self();
	cpu->park_cmd = CMD_NONE;
	cpu->park_state = PARK_NONE;
	__atomic_store_n(&cpu->donated_vm, (u32)vm_id, __ATOMIC_RELEASE);
	cpu->take = false;
	cpu->vmcb.control.intercept_misc1 |= SVM_INTERCEPT_NMI;
	log_printf("lhv: cpu %u: donated to vm %u, taken once dead\n",
		   cpu->cpu_id, (u32)vm_id);
	return 0;
}

static void send_nmi(u32 apic_id)
{
	apic_send_nmi(this_cpu_id(), apic_id);
}

/*
 * Spins of the managing CPU waiting for a donated one: bounded, so that a
 * CPU that does not answer costs a log line, not the SOS's CPU forever.
 */
#define WAIT_SPINS (1UL << 26)

static bool wait_state(struct per_cpu *c, u32 state)
{
	unsigned long n;

	for (n = 0; n < WAIT_SPINS; n++) {
		if (__atomic_load_n(&c->park_state, __ATOMIC_ACQUIRE) == state)
			return true;
		cpu_relax();
	}
	log_printf("lhv: cpu %u: no answer (state %u, want %u, cmd %u)\n",
		   c->cpu_id, c->park_state, state, c->park_cmd);
	return false;
}

void arch_vm_start(struct hv_vm *vm)
{
	u32 i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		struct per_cpu *c = cpu_by_id(vm->cpus[i]);

		c->uvm_vcpu = i;
		/* vCPU 0 boots; the others wait for its INIT/SIPI. */
		c->uvm_wait_sipi = i != 0;
		c->uvm_sipi = false;
		c->uvm_init = false;
		c->uvm_guest_nmi = false;
		__atomic_store_n(&c->park_cmd, CMD_RUN, __ATOMIC_RELEASE);
	}
}

void arch_vm_kick_others(struct hv_vm *vm)
{
	u32 self = this_cpu_id(), i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		struct per_cpu *c = cpu_by_id(vm->cpus[i]);

		/* One waiting for a SIPI sees the state change by itself. */
		if (c->cpu_id != self &&
		    __atomic_load_n(&c->park_state, __ATOMIC_ACQUIRE) ==
			    PARK_RUNNING &&
		    !__atomic_load_n(&c->uvm_wait_sipi, __ATOMIC_ACQUIRE))
			send_nmi(c->apic_id);
	}
}

void arch_vm_stop(struct hv_vm *vm)
{
	unsigned long n;
	u32 i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		struct per_cpu *c = cpu_by_id(vm->cpus[i]);

		if (__atomic_load_n(&c->donated_vm, __ATOMIC_ACQUIRE) != vm->id)
			continue;
		/* A CMD_RUN not yet taken is withdrawn the same way. */
		__atomic_store_n(&c->park_cmd, CMD_STOP, __ATOMIC_RELEASE);
		if (__atomic_load_n(&c->park_state, __ATOMIC_ACQUIRE) ==
		    PARK_RUNNING)
			send_nmi(c->apic_id);
	}
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct per_cpu *c = cpu_by_id(vm->cpus[i]);

		if (__atomic_load_n(&c->donated_vm, __ATOMIC_ACQUIRE) != vm->id)
			continue;
		/* Parked CPUs acknowledge by clearing the command. */
		for (n = 0; n < WAIT_SPINS; n++) {
			if (__atomic_load_n(&c->park_cmd, __ATOMIC_ACQUIRE) !=
				    CMD_STOP ||
			    __atomic_load_n(&c->park_state, __ATOMIC_ACQUIRE) ==
				    PARK_NONE)
				break;
			cpu_relax();
		}
		if (n == WAIT_SPINS)
			log_printf("lhv: cpu %u: did not stop (state %u)\n",
				   c->cpu_id, c->park_state);
	}
}

void arch_vm_release(struct hv_vm *vm)
{
	u32 i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		struct per_cpu *c = cpu_by_id(vm->cpus[i]);

		if (__atomic_load_n(&c->donated_vm, __ATOMIC_ACQUIRE) != vm->id)
			continue;
		if (__atomic_load_n(&c->park_state, __ATOMIC_ACQUIRE) ==
		    PARK_NONE) {
			/* Donated but never parked: just forget it. */
			c->vmcb.control.intercept_misc1 &= ~SVM_INTERCEPT_NMI;
			__atomic_store_n(&c->donated_vm, 0, __ATOMIC_RELEASE);
			continue;
		}
		__atomic_store_n(&c->park_cmd, CMD_RELEASE, __ATOMIC_RELEASE);
		wait_state(c, PARK_LEFT);
	}
}

bool arch_vcpu_should_stop(void)
{
	const struct per_cpu *c = cpu_by_id(this_cpu_id());

	return __atomic_load_n(&c->park_cmd, __ATOMIC_ACQUIRE) != CMD_RUN;
}

u32 arch_vcpu_apic_id(const struct hv_vm *vm, u32 i)
{
	return cpu_by_id(vm->cpus[i])->apic_id;
}

void arch_send_fixed(u32 apic_id, u8 vector)
{
	apic_send_fixed(this_cpu_id(), apic_id, vector);
}

/* Flat 64-bit segments for the boot state (attrib packs bits 8-15, 20-23). */
#define SEG_CODE64 0xa9b
#define SEG_DATA 0xc93
#define SEG_TSS_BUSY 0x8b

static void flat(struct vmcb_seg *s, u16 sel, u16 attrib)
{
	s->selector = sel;
	s->attrib = attrib;
	s->limit = 0xffffffff;
	s->base = 0;
}

static void uvm_vmcb_init(struct per_cpu *cpu, struct hv_vm *vm)
{
	const struct lhv_hc_vcpu_state *b = &vm->boot[cpu->uvm_vcpu];
	struct vmcb *v = &cpu->uvm_vmcb;
	struct vmcb_control *c = &v->control;
	struct vmcb_save *s = &v->save;

	memset(v, 0, sizeof(*v));
	c->intercept_misc1 = SVM_INTERCEPT_NMI | SVM_INTERCEPT_CPUID |
			     SVM_INTERCEPT_IOIO_PROT | SVM_INTERCEPT_MSR_PROT |
			     SVM_INTERCEPT_SHUTDOWN;
	c->intercept_misc2 = SVM_INTERCEPT_SVM_INSNS;
	c->iopm_base_pa = hv_pa(uvm_iopm);
	c->msrpm_base_pa = hv_pa(uvm_msrpm);
	c->asid = 1 + vm->id; /* the SOS has 1 */
	c->tlb_control = SVM_TLB_FLUSH_ALL;
	c->nested_ctl = SVM_NP_ENABLE;
	c->nested_cr3 = npt_vm_root_pa(&vm->npt);

	flat(&s->cs, (u16)b->cs, SEG_CODE64);
	flat(&s->ds, (u16)b->ds, SEG_DATA);
	flat(&s->es, (u16)b->ds, SEG_DATA);
	flat(&s->ss, (u16)b->ds, SEG_DATA);
	flat(&s->fs, (u16)b->ds, SEG_DATA);
	flat(&s->gs, (u16)b->ds, SEG_DATA);
	s->tr.attrib = SEG_TSS_BUSY;
	s->tr.limit = 0x67;
	s->gdtr.base = b->gdt_base;
	s->gdtr.limit = b->gdt_limit;
	s->idtr.base = b->idt_base;
	s->idtr.limit = b->idt_limit;
	s->cpl = 0;
	/* VMRUN needs SVME in the guest's EFER; reads hide it. */
	s->efer = b->efer | EFER_SVME;
	s->cr0 = b->cr0;
	s->cr3 = b->cr3;
	s->cr4 = b->cr4;
	s->dr6 = 0xffff0ff0;
	s->dr7 = 0x400;
	s->g_pat = 0x0007040600070406ULL; /* the power-on PAT */
	s->rip = b->rip;
	s->rsp = b->rsp;
	s->rflags = b->rflags | X86_RFLAGS_FIXED;
	s->rax = b->rax;

	memset(&cpu->uvm_regs, 0, sizeof(cpu->uvm_regs));
	cpu->uvm_regs.rbx = b->rbx;
	cpu->uvm_regs.rcx = b->rcx;
	cpu->uvm_regs.rdx = b->rdx;
	cpu->uvm_regs.rsi = b->rsi;
	cpu->uvm_regs.rdi = b->rdi;
	cpu->uvm_regs.rbp = b->rbp;
	cpu->uvm_vmcb_pa = hv_pa(v);
}

/*
 * After a SIPI: real mode at vector << 12, as a CPU leaves INIT (the
 * state the MP wake-up code of Linux expects). Paging is off, so with
 * nested paging guest-linear is guest-physical: the VM's RAM.
 */
#define SEG_REAL_CODE 0x9b
#define SEG_REAL_DATA 0x93
#define SEG_LDT 0x82
#define CR0_ET (1ULL << 4)

static void uvm_vmcb_init_sipi(struct per_cpu *cpu, u32 vector)
{
	struct vmcb_save *s = &cpu->uvm_vmcb.save;
	struct vmcb_seg *segs[] = { &s->ds, &s->es, &s->ss, &s->fs, &s->gs };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(segs); i++) {
		segs[i]->selector = 0;
		segs[i]->attrib = SEG_REAL_DATA;
		segs[i]->limit = 0xffff;
		segs[i]->base = 0;
	}
	s->cs.selector = (u16)(vector << 8);
	s->cs.base = (u64)vector << 12;
	s->cs.limit = 0xffff;
	s->cs.attrib = SEG_REAL_CODE;
	s->ldtr.attrib = SEG_LDT;
	s->ldtr.limit = 0xffff;
	s->gdtr.base = 0;
	s->gdtr.limit = 0xffff;
	s->idtr.base = 0;
	s->idtr.limit = 0xffff;
	s->cr0 = CR0_ET;
	s->cr3 = 0;
	s->cr4 = 0;
	s->efer = EFER_SVME; /* hidden from the guest's reads */
	s->rip = 0;
	s->rsp = 0;
	s->rflags = X86_RFLAGS_FIXED;
	s->rax = 0;
	memset(&cpu->uvm_regs, 0, sizeof(cpu->uvm_regs));
	cpu->uvm_vmcb.control.tlb_control = SVM_TLB_FLUSH_ALL;
}

/*
 * An AP of the VM waits here, in the hv, until a vCPU of its VM sends it
 * a SIPI. False: the VM stopped meanwhile.
 */
static bool wait_for_sipi(struct per_cpu *cpu, struct hv_vm *vm)
{
	__atomic_store_n(&cpu->uvm_wait_sipi, true, __ATOMIC_RELEASE);
	__atomic_store_n(&cpu->uvm_init, false, __ATOMIC_RELEASE);
	for (;;) {
		if (__atomic_load_n(&cpu->park_cmd, __ATOMIC_ACQUIRE) !=
			    CMD_RUN ||
		    __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) !=
			    LHV_HC_VM_RUNNING)
			return false;
		if (__atomic_exchange_n(&cpu->uvm_sipi, false,
					__ATOMIC_ACQ_REL))
			break;
		cpu_relax();
	}
	uvm_vmcb_init_sipi(cpu, cpu->uvm_sipi_vector);
	__atomic_store_n(&cpu->uvm_wait_sipi, false, __ATOMIC_RELEASE);
	return true;
}

/* Takes a pending NMI through the hv's IDT, whose NMI entry returns. */
static inline void drain_nmi(void)
{
	__asm__ __volatile__("stgi; clgi" : : : "memory");
}

static void run_vcpu(struct per_cpu *cpu)
{
	struct hv_vm *vm = &hv_vms[cpu->donated_vm];
	u64 apic_base;

	uvm_vmcb_init(cpu, vm);
	/* The SOS's hidden state stays in its VMCB while the vCPU runs. */
	vmsave(cpu->vmcb_pa);
	/* The vCPU gets the APIC in x2APIC mode: ICR writes are MSRs. */
	apic_base = apic_enter_x2apic();
	__atomic_store_n(&cpu->park_state, PARK_RUNNING, __ATOMIC_RELEASE);
	if (cpu->uvm_vcpu == 0)
		vm_measure(vm);
	/* A stop that came before we got here: do not even start. */
	while (__atomic_load_n(&cpu->park_cmd, __ATOMIC_ACQUIRE) == CMD_RUN &&
	       __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) ==
		       LHV_HC_VM_RUNNING) {
		if (cpu->uvm_wait_sipi && !wait_for_sipi(cpu, vm))
			break;
		vmload(cpu->uvm_vmcb_pa);
		__atomic_fetch_add(&vm->vcpus_running, 1, __ATOMIC_RELAXED);
		svm_uvm_loop(cpu);
		__atomic_fetch_sub(&vm->vcpus_running, 1, __ATOMIC_RELAXED);
		drain_nmi();
		/* INIT from the VM: wait for the next SIPI; else we stop. */
		if (!__atomic_exchange_n(&cpu->uvm_init, false,
					 __ATOMIC_ACQ_REL))
			break;
		cpu->uvm_wait_sipi = true;
	}
	__atomic_store_n(&cpu->uvm_wait_sipi, false, __ATOMIC_RELEASE);
	vmload(cpu->vmcb_pa);
	apic_restore(apic_base);
	drain_nmi();
}

/* Where a donated CPU goes when the SOS parks it; never returns. */
static void __noreturn svm_park(struct per_cpu *cpu)
{
	log_printf("lhv: cpu %u: parked for vm %u\n", cpu->cpu_id,
		   cpu->donated_vm);
	__atomic_store_n(&cpu->park_state, PARK_WAITING, __ATOMIC_RELEASE);
	for (;;) {
		u32 cmd = __atomic_load_n(&cpu->park_cmd, __ATOMIC_ACQUIRE);

		switch (cmd) {
		case CMD_RUN:
			run_vcpu(cpu);
			__atomic_store_n(&cpu->park_state, PARK_WAITING,
					 __ATOMIC_RELEASE);
			/* The CPU returns to waiting; a stop is acknowledged. */
			__atomic_compare_exchange_n(
				&cpu->park_cmd, &cmd, CMD_NONE, false,
				__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
			break;
		case CMD_STOP:
			__atomic_store_n(&cpu->park_cmd, CMD_NONE,
					 __ATOMIC_RELEASE);
			break;
		case CMD_RELEASE:
			cpu->vmcb.control.intercept_misc1 &= ~SVM_INTERCEPT_NMI;
			__atomic_store_n(&cpu->donated_vm, 0, __ATOMIC_RELEASE);
			log_printf("lhv: cpu %u: back to the SOS\n",
				   cpu->cpu_id);
			__atomic_store_n(&cpu->park_state, PARK_LEFT,
					 __ATOMIC_RELEASE);
			/* Resumes the SOS's HLT/MWAIT natively: no return. */
			svm_disable(cpu);
		default:
			cpu_relax();
			break;
		}
	}
}

s64 arch_cpu_take(u64 id)
{
	struct per_cpu *c = id < HV_MAX_CPUS ? cpu_by_id((u32)id) : NULL;

	if (!c || !__atomic_load_n(&c->donated_vm, __ATOMIC_ACQUIRE))
		return -EINVAL;
	if (__atomic_load_n(&c->park_state, __ATOMIC_ACQUIRE) != PARK_NONE)
		return 0; /* already parked */
	__atomic_store_n(&c->take, true, __ATOMIC_RELEASE);
	send_nmi(c->apic_id);
	return 0;
}

/*
 * An NMI exit of the SOS on a donated CPU: the take (park the CPU), or an
 * NMI meant for the SOS, which is drained and given back to it.
 */
void svm_sos_nmi(struct per_cpu *cpu)
{
	drain_nmi();
	if (__atomic_load_n(&cpu->take, __ATOMIC_ACQUIRE))
		svm_park(cpu);
	cpu->vmcb.control.event_inj =
		2 | SVM_EVTINJ_TYPE_NMI | SVM_EVTINJ_VALID;
}

/* Port I/O: the platform's few ports (core/vm_ports.c). */
static int uvm_ioio(struct hv_vm *vm, struct vmcb *v, struct guest_regs *r)
{
	u32 info = (u32)v->control.exit_info1;
	u32 port = info >> 16, size = (info >> IOIO_SZ_SHIFT) & 7, val;

	if (info & (IOIO_STR | IOIO_REP)) {
		vm_crash(vm, "string I/O is not emulated");
		return -1;
	}
	/* SZ8, SZ16, SZ32 are one-hot: 1, 2, 4 is the byte count. */
	if (size != 1 && size != 2 && size != 4) {
		vm_crash(vm, "bad I/O size");
		return -1;
	}
	val = (u32)r->rax;
	vm_port_access(vm, (u16)port, size, !(info & IOIO_IN), &val);
	if (info & IOIO_IN) {
		if (size == 4)
			r->rax = val; /* a 32-bit result clears the top half */
		else
			r->rax = (r->rax & ~((1ULL << (size * 8)) - 1)) | val;
	}
	/* EXITINFO2 holds the next RIP for I/O intercepts. */
	v->save.rip = v->control.exit_info2;
	return 0;
}

static int uvm_msr(struct per_cpu *cpu, struct hv_vm *vm, struct vmcb *v,
		   struct guest_regs *r)
{
	bool write = v->control.exit_info1 & 1;
	u32 msr = (u32)r->rcx;

	u64 val;

	if (msr == MSR_X2APIC_ICR && write) {
		uvm_ipi_icr_write(cpu, vm, (r->rdx << 32) | (u32)r->rax);
		return 2;
	}
	if (msr == MSR_APIC_BASE) {
		u64 now = rdmsr(MSR_APIC_BASE) & ~APIC_BASE_BSP;

		if (write) {
			val = ((r->rdx << 32) | (u32)r->rax) & ~APIC_BASE_BSP;
			/* x2APIC is locked: the value may only stay. */
			return val == now ? 2 : -X86_EXC_GP;
		}
		val = now | (cpu->uvm_vcpu == 0 ? APIC_BASE_BSP : 0);
		r->rax = (u32)val;
		r->rdx = val >> 32;
		return 2;
	}
	if (msr == MSR_ARCH_CAPABILITIES || msr == MSR_XAPIC_DISABLE_STATUS) {
		if (write)
			return -X86_EXC_GP; /* read-only */
		val = msr == MSR_ARCH_CAPABILITIES ? ARCH_CAP_XAPIC_DISABLE
						   : LEGACY_XAPIC_DISABLED;
		r->rax = (u32)val;
		r->rdx = val >> 32;
		return 2;
	}
	return svm_msr_efer(v, r, write);
}

/* NPF EXITINFO1: the access was an instruction fetch. */
#define NPF_FETCH (1ULL << 4)
#define SEG_ATTR_L (1U << 9)
#define SEG_ATTR_DB (1U << 10)

static int uvm_read_gpa(void *ctx, u64 gpa, void *buf, u32 len)
{
	return guest_read_vm(ctx, buf, gpa, len);
}

static void uvm_npf_crash(struct hv_vm *vm, const char *what, u64 gpa,
			  const u8 *insn, u32 n)
{
	char why[64];

	fmt_snprintf(why, sizeof(why), "%s at gpa 0x%llx (%02x %02x %02x %02x)",
		     what, (unsigned long long)gpa, n > 0 ? insn[0] : 0,
		     n > 1 ? insn[1] : 0, n > 2 ? insn[2] : 0,
		     n > 3 ? insn[3] : 0);
	vm_crash(vm, why);
}

/*
 * An access outside the VM's RAM: no decode assists here, so the hv
 * fetches the instruction through the guest's page tables, decodes it,
 * and carries out the access (core/vm_io.c). Returns the instruction
 * length, -X86_EXC_* to inject, or 0 to stop the vCPU.
 */
static int uvm_npf(struct per_cpu *cpu, struct hv_vm *vm, struct vmcb *v,
		   struct guest_regs *r)
{
	const struct vmcb_save *s = &v->save;
	u64 gpa = v->control.exit_info2, val = 0;
	struct x86_paging pg = {
		.cr0 = s->cr0,
		.cr3 = s->cr3,
		.cr4 = s->cr4,
		.efer = s->efer,
		.user = s->cpl == 3,
		.read_gpa = uvm_read_gpa,
		.ctx = vm,
	};
	struct x86_mmio_insn insn;
	enum x86_cpu_mode mode;
	struct x86_regs regs;
	u8 bytes[X86_MAX_INSN_LEN];
	int err = 0;
	u32 n;

	_Static_assert(sizeof(regs) == sizeof(*r), "same register order");
	if (gpa < vm->ram_size || (v->control.exit_info1 & NPF_FETCH)) {
		uvm_npf_crash(vm,
			      gpa < vm->ram_size ? "fault in RAM"
						 : "code fetch outside RAM",
			      gpa, bytes, 0);
		return 0;
	}
	n = x86_fetch_insn(&pg, s->cs.base + s->rip, bytes, sizeof(bytes),
			   &err);
	if (!n) {
		uvm_npf_crash(vm, "cannot fetch the instruction", gpa, bytes,
			      0);
		return 0;
	}
	if ((s->efer & X86_EFER_LMA) && (s->cs.attrib & SEG_ATTR_L))
		mode = X86_MODE_64;
	else
		mode = (s->cs.attrib & SEG_ATTR_DB) ? X86_MODE_32 : X86_MODE_16;
	err = x86_decode(bytes, n, mode, &insn);
	if (err == X86_DECODE_LOCK)
		return -X86_EXC_UD;
	if (err == X86_DECODE_TOO_LONG)
		return -X86_EXC_GP;
	if (err) {
		uvm_npf_crash(vm, x86_decode_strerror(err), gpa, bytes, n);
		return 0;
	}
	memcpy(&regs, r, sizeof(regs));
	regs.gpr[X86_RSP] = s->rsp;
	if (insn.write)
		val = x86_mmio_store_value(&insn, &regs);
	if (vm_mmio(vm, cpu->uvm_vcpu, gpa, insn.size, insn.write, &val))
		return 0;
	if (!insn.write) {
		x86_mmio_load_result(&insn, &regs, val);
		memcpy(r, &regs, sizeof(regs));
		v->save.rsp = regs.gpr[X86_RSP];
	}
	return insn.len;
}

/* Returns 0 to resume the vCPU, 1 to stop it. */
int svm_uvm_handle_exit(struct per_cpu *cpu)
{
	struct hv_vm *vm = &hv_vms[cpu->donated_vm];
	struct vmcb *v = &cpu->uvm_vmcb;
	struct guest_regs *r = &cpu->uvm_regs;
	u32 code = (u32)v->control.exit_code;
	int len = 0;

	__atomic_store_n(&vm->exits, vm->exits + 1, __ATOMIC_RELAXED);
	v->control.tlb_control = 0;
	r->rax = v->save.rax;

	switch (code) {
	case SVM_EXIT_NMI:
		/*
		 * The SOS's stop, an INIT from the VM, an NMI from the VM to
		 * inject, or a stray NMI (dropped).
		 */
		drain_nmi();
		if (__atomic_load_n(&cpu->uvm_init, __ATOMIC_ACQUIRE))
			return 1;
		if (__atomic_exchange_n(&cpu->uvm_guest_nmi, false,
					__ATOMIC_ACQ_REL))
			v->control.event_inj =
				2 | SVM_EVTINJ_TYPE_NMI | SVM_EVTINJ_VALID;
		break;
	case SVM_EXIT_CPUID: {
		u32 leaf = (u32)r->rax, subleaf = (u32)r->rcx;

		len = vcpu_handle_cpuid(r);
		if (leaf == 7 && subleaf == 0)
			r->rdx |= CPUID_7_EDX_ARCH_CAPABILITIES;
		break;
	}
	case SVM_EXIT_VMMCALL:
		len = vcpu_handle_hypercall(cpu, r, v->save.cpl, vm);
		break;
	case SVM_EXIT_IOIO:
		if (uvm_ioio(vm, v, r))
			return 1;
		break;
	case SVM_EXIT_MSR:
		len = uvm_msr(cpu, vm, v, r);
		break;
	case SVM_EXIT_SHUTDOWN:
		vm_crash(vm, "triple fault (shutdown)");
		return 1;
	case SVM_EXIT_NPF:
		len = uvm_npf(cpu, vm, v, r);
		if (len == 0)
			return 1;
		break;
	default: {
		char why[64];

		if (svm_exit_reason(code) == LHV_EXIT_VIRT_INSN) {
			len = -X86_EXC_UD; /* no nested SVM */
			break;
		}

		fmt_snprintf(why, sizeof(why), "unhandled exit 0x%x", code);
		vm_crash(vm, why);
		return 1;
	}
	}
	if (len < 0) {
		svm_inject_exception(v, (unsigned int)-len);
	} else {
		v->save.rip += (u64)len;
		v->save.rax = r->rax;
	}
	if (__atomic_load_n(&cpu->park_cmd, __ATOMIC_ACQUIRE) != CMD_RUN)
		return 1;
	return __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) !=
	       LHV_HC_VM_RUNNING;
}
