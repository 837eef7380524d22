/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * The guest-physical platform of a user VM (UOS), and the vCPU state it
 * starts in. lhvctl's loader (userspace/vmload/) builds guest memory to
 * this layout; lhv.ko backs it and the hv enforces it. docs/uos-boot.md
 * explains each choice.
 *
 *   0                    RAM, up to min(ram size, LHV_VM_LOW_RAM_END)
 *     0x1000             GDT (LHV_VM_GDT_GPA)
 *     0x2000             zero page, struct boot_params
 *     0x3000             boot stack page (RSP = its top)
 *     0x4000             kernel command line (at most LHV_VM_CMDLINE_MAX)
 *     0x10000            boot page tables (LHV_VM_PT_GPA, LHV_VM_PT_MAX)
 *     0xa0000            legacy hole: RAM-backed, reserved in the e820
 *     0xe0000            ACPI tables, RSDP first (the BIOS scan area)
 *     0x100000...        kernel (at its pref_address), initrd at the top
 *   0xc0000000           no RAM: free for PCI MMIO windows
 *   0xe0000000           ECAM, PCI segment 0, buses 0-255 (256 MiB)
 *   0xfee00000           local APIC (the guest's own, passed through)
 *   0x100000000          the rest of RAM, if ram size > LHV_VM_LOW_RAM_END
 *
 * The only I/O port device is a 16550 UART at LHV_VM_COM1_PORT, emulated
 * by the hv. There is no PIC, IOAPIC, PIT, HPET or RTC.
 */
#ifndef _UAPI_LHV_VM_LAYOUT_H
#define _UAPI_LHV_VM_LAYOUT_H

#ifdef __KERNEL__
#include <linux/types.h>
typedef __u16 lhv_u16;
typedef __u32 lhv_u32;
typedef __u64 lhv_u64;
#else
#include <stdint.h>
typedef uint16_t lhv_u16;
typedef uint32_t lhv_u32;
typedef uint64_t lhv_u64;
#endif

/* RAM below 4 GiB ends here at the latest; the rest starts at 4 GiB. */
#define LHV_VM_LOW_RAM_END 0xc0000000ULL
#define LHV_VM_HIGH_RAM_BASE 0x100000000ULL
/* RAM sizes are multiples of this (the hv maps guest RAM in 2 MiB pages). */
#define LHV_VM_RAM_ALIGN 0x200000ULL
/* Smallest and largest RAM a UOS may have. */
#define LHV_VM_RAM_MIN 0x2000000ULL    /* 32 MiB */
#define LHV_VM_RAM_MAX 0x1000000000ULL /* 64 GiB */

/* PCI Express ECAM of segment 0, buses 0-255: 1 MiB per bus. */
#define LHV_VM_ECAM_BASE 0xe0000000ULL
#define LHV_VM_ECAM_SIZE 0x10000000ULL
/*
 * The virtual PCI segment has one bus: ECAM bus 0 (1 MiB) is what the hv
 * maps; the rest of the window stays reserved for more buses later.
 */
#define LHV_VM_ECAM_BUS_LAST 0

/* The local APIC's MMIO page (the UOS runs it in x2APIC mode if it can). */
#define LHV_VM_LAPIC_BASE 0xfee00000ULL

/* COM1: the hv's 16550 UART, eight ports from here, no interrupt line. */
#define LHV_VM_COM1_PORT 0x3f8
/*
 * COM2: the lifecycle channel, the same UART model. The SOS writes
 * requests ("shutdown\n") into its receive FIFO; the guest's agent reads
 * them from /dev/ttyS1 (docs/uvm.md). Both UARTs are described in the
 * DSDT (PNP0501) without an interrupt, so Linux polls them.
 */
#define LHV_VM_COM2_PORT 0x2f8
/* pvpanic (ACPI QEMU0001): a write of bit 0 marks the VM crashed. */
#define LHV_VM_PVPANIC_PORT 0x505
/*
 * The hardware-reduced ACPI sleep control and status registers (FADT
 * SLEEP_CONTROL_REG, SLEEP_STATUS_REG; one byte each) and the reset
 * register (FADT RESET_REG, value LHV_VM_RESET_VALUE). Writing SLP_EN
 * with SLP_TYP LHV_VM_S5_TYPE (the DSDT's _S5) powers the VM off.
 */
#define LHV_VM_SLEEP_CTL_PORT 0x600
#define LHV_VM_SLEEP_STS_PORT 0x601
#define LHV_VM_RESET_PORT 0x604
#define LHV_VM_RESET_VALUE 0x1
#define LHV_VM_S5_TYPE 0x5
#define LHV_VM_SLP_TYP_SHIFT 2
#define LHV_VM_SLP_TYP_MASK 0x1c
#define LHV_VM_SLP_EN 0x20

/*
 * 32-bit MMIO window for the BARs of the virtual PCI devices (the DSDT's
 * host bridge _CRS); 64-bit BARs go above RAM, from LHV_VM_MMIO64_BASE.
 */
#define LHV_VM_MMIO32_BASE 0xc0000000ULL
#define LHV_VM_MMIO32_SIZE 0x20000000ULL
#define LHV_VM_MMIO64_BASE 0x2000000000ULL
#define LHV_VM_MMIO64_SIZE 0x2000000000ULL

/* Fixed low-memory objects the loader places (page aligned). */
#define LHV_VM_GDT_GPA 0x1000ULL
#define LHV_VM_ZERO_PAGE_GPA 0x2000ULL
#define LHV_VM_STACK_GPA 0x3000ULL
#define LHV_VM_CMDLINE_GPA 0x4000ULL
/* Command line bytes, the terminating NUL included. */
#define LHV_VM_CMDLINE_MAX 0x1000ULL
/* Boot page tables: PML4, one PDPT, one page directory per GiB mapped. */
#define LHV_VM_PT_GPA 0x10000ULL
#define LHV_VM_PT_MAX 0x50000ULL
/* 0xa0000-0xdffff: reserved in the e820 (no legacy VGA or option ROMs). */
#define LHV_VM_LEGACY_HOLE 0xa0000ULL
/* ACPI tables, RSDP at the start: inside the area Linux scans for it. */
#define LHV_VM_ACPI_GPA 0xe0000ULL
#define LHV_VM_ACPI_SIZE 0x20000ULL
/* Lowest address for the kernel and the initrd. */
#define LHV_VM_LOAD_MIN 0x100000ULL

/* Linux's boot GDT selectors (__BOOT_CS, __BOOT_DS). */
#define LHV_VM_BOOT_CS 0x10
#define LHV_VM_BOOT_DS 0x18

/*
 * One segment register. attr holds bits 40-55 of the descriptor, as VMX
 * keeps them: type (bits 0-3), S (4), DPL (5-6), P (7), AVL (12), L (13),
 * D/B (14), G (15). SVM's 12-bit form is (attr & 0xff) | (attr >> 4 &
 * 0xf00). limit is the byte limit, already scaled by G.
 */
struct lhv_vcpu_segment {
	lhv_u64 base;
	lhv_u32 limit;
	lhv_u16 selector;
	lhv_u16 attr;
};

#define LHV_VCPU_BOOT_STATE_VERSION 1

/*
 * The state of a UOS's first vCPU at its first instruction: Linux's
 * startup_64, in long mode with paging on, per the 64-bit boot protocol.
 * Registers not named here (general-purpose ones, DR*, CR2, CR8, the FS,
 * GS and kernel GS bases, other MSRs) start at 0; interrupts are off
 * (RFLAGS.IF = 0). Other vCPUs wait for INIT/SIPI.
 */
struct lhv_vcpu_boot_state {
	/* LHV_VCPU_BOOT_STATE_VERSION. */
	lhv_u32 version;
	/* sizeof(struct lhv_vcpu_boot_state) as the producer was built. */
	lhv_u32 size;
	/* Kernel load address + 0x200: startup_64. */
	lhv_u64 rip;
	/* Guest-physical address of the zero page (struct boot_params). */
	lhv_u64 rsi;
	/* Top of the boot stack page (Linux sets its own before using it). */
	lhv_u64 rsp;
	/* 0x2: only the reserved bit. */
	lhv_u64 rflags;
	/* PE | ET | NE | PG. */
	lhv_u64 cr0;
	/* The PML4 of the identity-mapped boot page tables. */
	lhv_u64 cr3;
	/* PAE. */
	lhv_u64 cr4;
	/* LME | LMA. */
	lhv_u64 efer;
	/* The GDT: Linux's boot code and data descriptors at 0x10 and 0x18. */
	lhv_u64 gdtr_base;
	lhv_u32 gdtr_limit;
	lhv_u32 reserved; /* 0 */
	/* CS: 64-bit code, selector 0x10. */
	struct lhv_vcpu_segment cs;
	/* DS, ES, SS, FS, GS: flat data, selector 0x18. */
	struct lhv_vcpu_segment ds;
	struct lhv_vcpu_segment es;
	struct lhv_vcpu_segment ss;
	struct lhv_vcpu_segment fs;
	struct lhv_vcpu_segment gs;
	/*
	 * TR: selector 0, base 0, a busy 64-bit TSS of 0x68 bytes (VMX wants
	 * a usable TR at entry; Linux loads its own before any privilege
	 * change). LDTR: unusable, attr 0.
	 */
	struct lhv_vcpu_segment tr;
	struct lhv_vcpu_segment ldtr;
};

#endif /* _UAPI_LHV_VM_LAYOUT_H */
