/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * The lhv hypercall ABI (x86).
 *
 * A guest calls the hv with VMMCALL (AMD) or VMCALL (Intel): the id in R8,
 * arguments in RDI and RSI (a value or the guest-physical address of a
 * struct), the result in RAX: 0 or more on success, a negative errno (Linux
 * x86 numbering) on failure. Every other register is preserved.
 *
 * - An id this hv does not know returns -ENOSYS (38).
 * - Calls from guest ring 1-3 return -EPERM (1), whatever the id.
 * - Ids never change meaning; a changed call gets a new id.
 *
 * CPUID leaf LHV_CPUID_SIGNATURE reports the hv: EAX the highest lhv leaf,
 * EBX, ECX, EDX the 12 bytes "lhvlhvlhvlhv"; leaf LHV_CPUID_ABI reports
 * LHV_ABI_VERSION in EAX. The hypervisor-present bit (CPUID 1 ECX bit 31)
 * is set. SVM itself is hidden from the guest.
 */
#ifndef _UAPI_LHV_HYPERCALL_H
#define _UAPI_LHV_HYPERCALL_H

#define LHV_CPUID_SIGNATURE 0x40000000
#define LHV_CPUID_ABI 0x40000001
/* "lhvl" "hvlh" "vlhv" as EBX, ECX, EDX little-endian. */
#define LHV_CPUID_SIG_EBX 0x6c76686c
#define LHV_CPUID_SIG_ECX 0x686c7668
#define LHV_CPUID_SIG_EDX 0x76686c76

/* Returns LHV_ABI_VERSION. Any caller at ring 0. */
#define LHV_HC_GET_API_VERSION 0x0001
/*
 * Service OS only: leave the hv on the calling CPU. Returns 0 on bare
 * metal (SVM off); the caller must make the call on every CPU the hv runs
 * on before it frees hv memory.
 */
#define LHV_HC_DISABLE 0x0002
/*
 * Service OS only: describe the hv. RDI: guest-physical address of a
 * struct lhv_hc_hw_info, RSI: its size in bytes (at least
 * LHV_HC_HW_INFO_MIN). Writes min(RSI, sizeof) bytes, returns that count.
 */
#define LHV_HC_GET_HW_INFO 0x0003
/*
 * Service OS only: copy log text. RDI: guest-physical address of a struct
 * lhv_hc_log_read, which the hv reads and updates. Returns bytes copied.
 */
#define LHV_HC_LOG_READ 0x0004
/*
 * Service OS only: exit statistics of one CPU. RDI: the CPU (boot
 * cpu_id), RSI: guest-physical address of a struct lhv_hc_cpu_stats.
 * Returns 0; -ENOENT if the hv does not run on that CPU.
 */
#define LHV_HC_GET_STATS 0x0005
/*
 * Any VM: the calling VM's virtual seed. RDI: guest-physical address of
 * a buffer, RSI: its size (at least the vSEED's length). Writes exactly
 * the vSEED and returns its length in bytes (32: android profile,
 * SHA-256; 64: linux profile, SHA-512); -ENODATA when the platform gave no
 * seed, -EINVAL when RSI is smaller than the vSEED. Derivation: docs/hv.md.
 */
#define LHV_HC_GET_VSEED 0x0006

/*
 * User VMs (Service OS only; docs/uvm.md). A user VM runs each vCPU on a
 * physical CPU the SOS took offline and donated (LHV_HC_CPU_DONATE); its
 * RAM is a list of 2 MiB chunks of SOS RAM mapped from guest-physical 0.
 */
/* RDI: gpa of struct lhv_hc_vm_create. 0, or -EEXIST, -EINVAL, -EFAULT. */
#define LHV_HC_VM_CREATE 0x0007
/* RDI: gpa of struct lhv_hc_vcpu_set: a vCPU's state at start. */
#define LHV_HC_VM_SET_VCPU 0x0008
/* RDI: VM id. Every vCPU starts; -EBUSY if a CPU is not donated yet. */
#define LHV_HC_VM_START 0x0009
/* RDI: VM id. Forced stop: the vCPUs stop at once (NMI). */
#define LHV_HC_VM_STOP 0x000a
/* RDI: VM id. Must not run; its CPUs go back to the SOS, bare metal. */
#define LHV_HC_VM_DESTROY 0x000b
/* RDI: gpa of struct lhv_hc_console_read (as LOG_READ, per VM). */
#define LHV_HC_VM_CONSOLE_READ 0x000c
/* RDI: VM id, RSI: gpa of struct lhv_hc_vm_info. */
#define LHV_HC_VM_INFO 0x000d
/*
 * From the CPU itself, as it goes offline in the SOS: RDI: VM id the CPU
 * is for. From then on an NMI to it exits to the hv (and is given back to
 * the SOS unless the CPU is being taken).
 */
#define LHV_HC_CPU_DONATE 0x000e
/*
 * From another CPU, once the SOS saw the donated CPU die: RDI: its cpu_id.
 * The hv sends it an NMI and keeps it, parked, for its VM. 0, or -EINVAL
 * for a CPU that was not donated. VM_START answers -EBUSY until parked.
 */
#define LHV_HC_CPU_TAKE 0x000f
/*
 * RDI: gpa of struct lhv_hc_vm_measure. The regions the hv hashes
 * (SHA-256) from the VM's memory each time it starts the VM, before the
 * first guest instruction; VM_INFO reports the digests. Only while the VM
 * is created or stopped.
 */
#define LHV_HC_VM_SET_MEASURE 0x0010
/*
 * RDI: gpa of struct lhv_hc_console_write: bytes into the receive FIFO of
 * the VM's COM1 (port 0) or COM2 (port 1, the lifecycle channel).
 * Returns the bytes taken (fewer when the FIFO is full).
 */
#define LHV_HC_VM_CONSOLE_WRITE 0x0011
/*
 * RDI: gpa of struct lhv_hc_upcall. Where and how the hv tells the SOS
 * that something needs it: it sets bits in the SOS's upcall page and
 * sends a fixed IPI with the vector to the APIC id. Vector 0 turns the
 * upcall off. docs/hv.md.
 */
#define LHV_HC_SET_UPCALL 0x0012
/*
 * RDI: gpa of struct lhv_hc_doorbell: registers (or removes) a range of a
 * VM's guest-physical space whose writes the hv completes at once by
 * setting a doorbell bit in the VM's ioreq page and upcalling.
 */
#define LHV_HC_VM_DOORBELL 0x0013
/*
 * RDI: VM id | (MSI data << 32), RSI: MSI address. Delivers a fixed,
 * edge MSI in physical destination mode to one of the VM's own CPUs as
 * an IPI (the VM's APIC is passed through). -EINVAL for any other target,
 * mode or a vector below 16; -EAGAIN if the VM is not running.
 */
#define LHV_HC_VM_INJECT_MSI 0x0014

/*
 * Every guest-physical argument must lie in the caller's RAM and never in
 * hv memory, and a range must not wrap: otherwise -EFAULT. Lengths above
 * LHV_HC_MAX_COPY are refused with -E2BIG.
 */
#define LHV_HC_MAX_COPY (64 * 1024)

/*
 * One hypercall with VMMCALL (AMD SVM), for callers in a guest (test
 * modules and tools; lhv.ko could share it). Returns RAX.
 */
static inline long lhv_vmmcall(unsigned long id, unsigned long a0,
			       unsigned long a1)
{
	register unsigned long r8 __asm__("r8") = id;
	long ret;

	__asm__ __volatile__("vmmcall"
			     : "=a"(ret), "+r"(r8), "+D"(a0), "+S"(a1)
			     :
			     : "memory");
	return ret;
}

/* Fixed-width types as in <lhv/hv_image.h>: kernel, hv and userspace. */
#ifdef __KERNEL__
#include <linux/types.h>
typedef __u32 __lhv_hc_u32;
typedef __u64 __lhv_hc_u64;
#else
#include <stdint.h>
typedef uint32_t __lhv_hc_u32;
typedef uint64_t __lhv_hc_u64;
#endif

/* enum lhv_hc_vendor */
#define LHV_HC_VENDOR_AMD_SVM 1
#define LHV_HC_VENDOR_INTEL_VMX 2

/* lhv_hc_hw_info.features */
#define LHV_HC_HW_NPT (1U << 0)	   /* nested paging (NPT/EPT) */
#define LHV_HC_HW_NRIP (1U << 1)   /* the CPU reports next RIP */
#define LHV_HC_HW_LA57 (1U << 2)   /* five-level paging */
#define LHV_HC_HW_DECODE (1U << 3) /* decode assists */

struct lhv_hc_hw_info {
	__lhv_hc_u32 size;	   /* sizeof as the hv was built */
	__lhv_hc_u32 abi_version;  /* LHV_ABI_VERSION */
	char version[16];	   /* LHV_VERSION_STRING, NUL-terminated */
	__lhv_hc_u32 vendor;	   /* LHV_HC_VENDOR_* */
	__lhv_hc_u32 features;	   /* LHV_HC_HW_* */
	__lhv_hc_u32 max_cpus;	   /* highest cpu_id accepted, plus one */
	__lhv_hc_u32 cpus_running; /* CPUs under the hv now */
	__lhv_hc_u64 mem_phys;	   /* hv memory: physical start */
	__lhv_hc_u64 mem_size;	   /* and size in bytes */
	__lhv_hc_u32 nr_ram;	   /* SOS RAM ranges the hv checks against */
	__lhv_hc_u32 seed_present; /* 1: a platform seed was handed over */
};
#define LHV_HC_HW_INFO_MIN 8

struct lhv_hc_log_read {
	__lhv_hc_u64 cursor; /* in/out: log byte to start at */
	__lhv_hc_u64 buf;    /* guest-physical address of the buffer */
	__lhv_hc_u32 len;    /* buffer bytes, <= LHV_HC_MAX_COPY */
	__lhv_hc_u32 pad;    /* must be 0 */
	__lhv_hc_u64 lost;   /* out: bytes overwritten before cursor */
};

/* Exit reasons as counted, the same on every vendor. */
enum lhv_exit_reason {
	LHV_EXIT_CPUID,
	LHV_EXIT_HYPERCALL,
	LHV_EXIT_MSR,
	LHV_EXIT_NPF,	    /* nested page fault */
	LHV_EXIT_VIRT_INSN, /* VMRUN, VMLOAD, ...: refused with #UD */
	LHV_EXIT_IO,
	LHV_EXIT_INTR,
	LHV_EXIT_HLT,
	LHV_EXIT_OTHER,
	LHV_EXIT_REASON_COUNT,
};

struct lhv_hc_cpu_stats {
	__lhv_hc_u32 cpu;
	__lhv_hc_u32 nr_reasons; /* LHV_EXIT_REASON_COUNT of the hv */
	__lhv_hc_u64 exits;	 /* all exits */
	__lhv_hc_u64 count[LHV_EXIT_REASON_COUNT];
	/* TSC cycles from exit to the next VMRUN, per reason. */
	__lhv_hc_u64 cycles[LHV_EXIT_REASON_COUNT];
};

/* Largest user VM: vCPUs, RAM (below the 3 GiB hole, docs/uvm.md). */
#define LHV_VM_MAX_VCPUS 4
#define LHV_VM_CHUNK_SIZE (2ULL << 20)
#define LHV_VM_MAX_RAM (3ULL << 30)
/* VM ids the hv takes: 1 .. LHV_VM_MAX_ID (0 is the SOS). */
#define LHV_VM_MAX_ID 8

/* enum lhv_vm_profile: how a VM's vSEED derives (SEED, docs/hv.md). */
#define LHV_VM_PROFILE_LINUX 0
#define LHV_VM_PROFILE_ANDROID 1

struct lhv_hc_vm_create {
	__lhv_hc_u32 id;      /* 1..LHV_VM_MAX_ID */
	__lhv_hc_u32 profile; /* LHV_VM_PROFILE_* */
	unsigned char uuid[16];
	__lhv_hc_u32 nr_vcpus; /* 1..LHV_VM_MAX_VCPUS */
	/* The physical CPUs (cpu_id as at enable) running vCPU 0, 1, ... */
	__lhv_hc_u32 cpus[LHV_VM_MAX_VCPUS];
	__lhv_hc_u32 pad; /* must be 0 */
	/* RAM: nr_chunks 2 MiB chunks, listed at chunks (gpa of u64s). */
	__lhv_hc_u64 nr_chunks;
	__lhv_hc_u64 chunks;
	/*
	 * gpa of the VM's struct lhv_ioreq_page (<lhv/ioreq.h>), one page of
	 * SOS RAM the hv shares with the SOS, or 0 for a VM without device
	 * models (its MMIO accesses outside RAM then read all ones).
	 */
	__lhv_hc_u64 ioreq_page;
};

/* A vCPU's state at start: 64-bit mode, flat segments. */
struct lhv_hc_vcpu_state {
	__lhv_hc_u64 rip, rsp, rflags;
	__lhv_hc_u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
	__lhv_hc_u64 cr0, cr3, cr4, efer;
	__lhv_hc_u64 gdt_base, idt_base;
	__lhv_hc_u32 gdt_limit, idt_limit;
	__lhv_hc_u32 cs, ds; /* selectors; ds is also es, ss, fs, gs */
};

struct lhv_hc_vcpu_set {
	__lhv_hc_u32 id;
	__lhv_hc_u32 vcpu;
	struct lhv_hc_vcpu_state state;
};

struct lhv_hc_console_read {
	__lhv_hc_u32 id;
	__lhv_hc_u32 len;    /* <= LHV_HC_MAX_COPY */
	__lhv_hc_u64 cursor; /* in/out */
	__lhv_hc_u64 buf;    /* gpa */
	__lhv_hc_u64 lost;   /* out */
};

/* Bytes one LHV_HC_VM_CONSOLE_WRITE may carry. */
#define LHV_HC_CONSOLE_WRITE_MAX 256

struct lhv_hc_console_write {
	__lhv_hc_u32 id;
	__lhv_hc_u32 port; /* 0: COM1, 1: COM2 */
	__lhv_hc_u32 len;  /* <= LHV_HC_CONSOLE_WRITE_MAX */
	__lhv_hc_u32 pad;  /* must be 0 */
	__lhv_hc_u64 buf;  /* gpa */
};

/* What a measured region holds. */
#define LHV_MEASURE_KERNEL 1
#define LHV_MEASURE_INITRD 2
#define LHV_MEASURE_CMDLINE 3
#define LHV_VM_MEASURE_MAX 4

struct lhv_hc_measure_region {
	__lhv_hc_u32 kind; /* LHV_MEASURE_* */
	__lhv_hc_u32 pad;  /* must be 0 */
	__lhv_hc_u64 gpa;  /* in the VM's guest-physical space */
	__lhv_hc_u64 len;  /* > 0, inside the VM's RAM */
};

struct lhv_hc_vm_measure {
	__lhv_hc_u32 id;
	__lhv_hc_u32 nr; /* 0..LHV_VM_MEASURE_MAX */
	struct lhv_hc_measure_region region[LHV_VM_MEASURE_MAX];
};

struct lhv_hc_upcall {
	__lhv_hc_u32 vector;  /* 32..255, 0: off */
	__lhv_hc_u32 apic_id; /* SOS CPU that takes it: physical APIC id */
	__lhv_hc_u64 page;    /* gpa of struct lhv_upcall_page, 4 KiB aligned */
};

#define LHV_DOORBELL_ADD 1
#define LHV_DOORBELL_DEL 2

struct lhv_hc_doorbell {
	__lhv_hc_u32 id;	/* VM */
	__lhv_hc_u32 op;	/* LHV_DOORBELL_* */
	__lhv_hc_u64 gpa;	/* start, outside the VM's RAM */
	__lhv_hc_u32 len;	/* bytes, <= 64 KiB */
	__lhv_hc_u32 stride;	/* bytes per bit: 1, 2, 4 or 8 */
	__lhv_hc_u32 first_bit; /* bit of the first stride */
	__lhv_hc_u32 pad;	/* must be 0 */
};

/* enum lhv_hc_vm_state, as the hv sees a VM. */
#define LHV_HC_VM_FREE 0
#define LHV_HC_VM_CREATED 1
#define LHV_HC_VM_RUNNING 2
#define LHV_HC_VM_STOPPED 3
#define LHV_HC_VM_CRASHED 4

/* Why the hv stopped a VM (lhv_hc_vm_info.stop_reason). */
#define LHV_HC_STOP_NONE 0
#define LHV_HC_STOP_FORCED 1
#define LHV_HC_STOP_POWEROFF 2
#define LHV_HC_STOP_REBOOT 3

struct lhv_hc_vm_info {
	__lhv_hc_u32 state; /* LHV_HC_VM_* */
	__lhv_hc_u32 nr_vcpus;
	__lhv_hc_u32 cpus_parked; /* donated CPUs the hv holds */
	__lhv_hc_u32 stop_reason; /* LHV_HC_STOP_* */
	__lhv_hc_u64 ram_size;
	__lhv_hc_u64 exits;
	char crash_reason[64]; /* NUL-terminated, empty if none */
	/* What the last start measured; nr_measured 0 until it is done. */
	__lhv_hc_u32 nr_measured;
	__lhv_hc_u32 vcpus_running; /* vCPUs inside the guest (after SIPI) */
	struct {
		struct lhv_hc_measure_region region;
		unsigned char sha256[32];
	} measured[LHV_VM_MEASURE_MAX];
	__lhv_hc_u64 upcalls;	/* upcalls sent for this VM */
	__lhv_hc_u64 ioreqs;	/* accesses the SOS answered */
	__lhv_hc_u64 doorbells; /* doorbell writes completed at once */
	__lhv_hc_u64 msis;	/* MSIs delivered */
};

#endif /* _UAPI_LHV_HYPERCALL_H */
