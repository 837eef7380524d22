// SPDX-License-Identifier: BSD-3-Clause
/*
 * The hv's GDT and IDT (asm/desc.h) and what a CPU exception in the hv
 * does: log the vector, the faulting RIP and CR2, and stop the CPU. The
 * hv runs with interrupts masked and GIF clear, so only exceptions (its
 * own bugs, or a machine check) arrive here.
 */
#include <asm/desc.h>
#include <asm/processor.h>
#include <hv/compiler.h>
#include <hv/log.h>
#include <hv/memory.h>
#include <hv/percpu.h>

#define GDT_ENTRIES 32
#define IDT_VECTORS 32
/* exception.S: IDT_VECTORS stubs of this size each. */
#define STUB_SIZE 16

/* Flat 64-bit code (L, P, DPL 0, code RX) and data (P, RW). */
#define DESC_CODE64 0x00af9b000000ffffULL
#define DESC_DATA 0x00cf93000000ffffULL

struct idt_gate {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type; /* 0x8e: present, DPL 0, 64-bit interrupt gate */
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gate");

static u64 hv_gdt[GDT_ENTRIES] __aligned(16);
static struct idt_gate hv_idt[IDT_VECTORS] __aligned(16);

extern const char hv_exception_stubs[];

void desc_setup(u16 cs, u16 ss)
{
	u64 stubs = (u64)hv_exception_stubs;
	unsigned int v;

	if (cs >> 3 < GDT_ENTRIES)
		hv_gdt[cs >> 3] = DESC_CODE64;
	if (ss >> 3 && ss >> 3 < GDT_ENTRIES)
		hv_gdt[ss >> 3] = DESC_DATA;
	for (v = 0; v < IDT_VECTORS; v++) {
		u64 addr = stubs + v * STUB_SIZE;
		struct idt_gate *g = &hv_idt[v];

		g->offset_low = (u16)addr;
		g->selector = cs;
		g->ist = 0;
		g->type = 0x8e;
		g->offset_mid = (u16)(addr >> 16);
		g->offset_high = (u32)(addr >> 32);
	}
}

void desc_load(void)
{
	struct desc_ptr gdt = { .limit = sizeof(hv_gdt) - 1,
				.base = (u64)hv_gdt };
	struct desc_ptr idt = { .limit = sizeof(hv_idt) - 1,
				.base = (u64)hv_idt };

	__asm__ __volatile__("lgdt %0; lidt %1" : : "m"(gdt), "m"(idt));
}

/* The CPU whose hv stack @sp is on (each stack is in its per-CPU area). */
static long cpu_of_stack(u64 sp)
{
	u64 base = (u64)hv_percpu;

	if (sp < base || sp >= base + sizeof(hv_percpu))
		return -1;
	return (long)((sp - base) / HV_PERCPU_SIZE);
}

/* Called by exception.S with the CPU's frame; never returns. */
void hv_exception(u64 vector, u64 error, const u64 *frame, u64 rax);

void hv_exception(u64 vector, u64 error, const u64 *frame, u64 rax)
{
	/* frame: RIP, CS, RFLAGS, RSP, SS as the CPU pushed them. */
	log_printf("lhv: cpu %ld: exception %llu (error 0x%llx) in the hv at "
		   "image offset 0x%llx (rip 0x%llx) rsp 0x%llx rax 0x%llx "
		   "cr2 0x%llx: cpu stopped\n",
		   cpu_of_stack(frame[3]), (unsigned long long)vector,
		   (unsigned long long)error,
		   (unsigned long long)(frame[0] - (u64)__hv_image_start),
		   (unsigned long long)frame[0], (unsigned long long)frame[3],
		   (unsigned long long)rax, (unsigned long long)read_cr2());
	cpu_halt_forever();
}
