/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Decoder for the x86 instructions a guest uses to touch MMIO: under QEMU
 * TCG, SVM has no decode assist and no nrip_save, so on a nested page
 * fault the hv fetches the bytes at the guest's RIP and decodes the access
 * here. Only plain moves between a register (or an immediate) and memory:
 * 88, 89, 8A, 8B, C6 /0, C7 /0, 0F B6, 0F B7, 0F BE, 0F BF, A0-A3, with
 * 66/67, segment and REX prefixes. The memory operand's address is not
 * computed: the faulting guest-physical address comes from the exit.
 * Portable: hv types only (<hv/types.h> is the compiler's own headers).
 */
#ifndef _HV_LIB_X86_DECODE_H
#define _HV_LIB_X86_DECODE_H

#include <hv/types.h>

/* The architectural limit: longer instructions raise #GP. */
#define X86_MAX_INSN_LEN 15

/* General-purpose registers in encoding order (ModRM.reg + REX.R * 8). */
enum x86_gpr {
	X86_RAX,
	X86_RCX,
	X86_RDX,
	X86_RBX,
	X86_RSP,
	X86_RBP,
	X86_RSI,
	X86_RDI,
	X86_R8,
	X86_R9,
	X86_R10,
	X86_R11,
	X86_R12,
	X86_R13,
	X86_R14,
	X86_R15,
	X86_NR_GPRS
};

/* The guest's 16 GPRs, indexed by enum x86_gpr. */
struct x86_regs {
	u64 gpr[X86_NR_GPRS];
};

/*
 * Default operand and address size of the code segment: 64 when EFER.LMA
 * and CS.L, else 32 when CS.D, else 16 (also real mode).
 */
enum x86_cpu_mode {
	X86_MODE_16,
	X86_MODE_32,
	X86_MODE_64,
};

/* A segment override prefix; in 64-bit mode only FS and GS are kept. */
enum x86_seg {
	X86_SEG_NONE,
	X86_SEG_ES,
	X86_SEG_CS,
	X86_SEG_SS,
	X86_SEG_DS,
	X86_SEG_FS,
	X86_SEG_GS,
};

/* How a load widens the value read into the destination register. */
enum x86_extend {
	X86_EXT_NONE, /* mov: size == dst_size */
	X86_EXT_ZERO, /* movzx */
	X86_EXT_SIGN, /* movsx */
};

/* Why x86_decode() refused; negative, 0 is success. */
enum x86_decode_err {
	X86_DECODE_OK = 0,
	X86_DECODE_TRUNCATED = -1,   /* fewer bytes than the instruction */
	X86_DECODE_TOO_LONG = -2,    /* over 15 bytes of prefixes + insn */
	X86_DECODE_LOCK = -3,	     /* LOCK on a mov: #UD on hardware */
	X86_DECODE_REP = -4,	     /* F2/F3 prefix */
	X86_DECODE_STRING = -5,	     /* movs/stos/lods/cmps/scas/ins/outs */
	X86_DECODE_OPCODE = -6,	     /* any other instruction */
	X86_DECODE_REG_OPERAND = -7, /* ModRM names a register, not memory */
	X86_DECODE_MODE = -8,	     /* mode argument out of range */
};

/* One decoded MMIO access. */
struct x86_mmio_insn {
	u8 len;	 /* instruction bytes: RIP advances by this */
	u8 size; /* bytes accessed in memory: 1, 2, 4 or 8 */
	bool write;
	/*
	 * The register stored from, or loaded into (0-15, enum x86_gpr);
	 * with high_byte, bits 15:8 of register 0-3 (AH, CH, DH, BH).
	 */
	u8 reg;
	bool high_byte;
	/* Stores of an immediate (C6, C7): imm, sign-extended to 64 bits. */
	bool has_imm;
	u64 imm;
	/* Loads: the width written to the register (1, 2, 4 or 8). */
	enum x86_extend ext;
	u8 dst_size;
	enum x86_seg seg;
};

/*
 * Decodes the instruction in bytes[0..avail) (avail may exceed 15: only
 * the first 15 count). Returns X86_DECODE_OK and fills *insn, or a
 * negative enum x86_decode_err (*insn then undefined).
 */
int x86_decode(const u8 *bytes, u32 avail, enum x86_cpu_mode mode,
	       struct x86_mmio_insn *insn);

/* A short text for an enum x86_decode_err, for logs. */
const char *x86_decode_strerror(int err);

/* The value a store writes: the register or immediate, cut to size. */
u64 x86_mmio_store_value(const struct x86_mmio_insn *insn,
			 const struct x86_regs *regs);

/*
 * Completes a load with @val read from memory (only its low size bytes
 * count): extends it as insn->ext says, then writes dst_size bytes of the
 * register as the CPU does (a 32-bit write clears bits 63:32, 8- and
 * 16-bit writes keep the rest). No-op for a store.
 */
void x86_mmio_load_result(const struct x86_mmio_insn *insn,
			  struct x86_regs *regs, u64 val);

#endif /* _HV_LIB_X86_DECODE_H */
