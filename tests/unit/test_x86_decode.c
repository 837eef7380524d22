// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests of the MMIO instruction decoder (hv/lib/x86_decode.c). The
 * byte strings were assembled with GNU as and read back with objdump; the
 * comment beside each is objdump's disassembly. Every accepted encoding is
 * also decoded cut short (must say truncated) and with trailing bytes
 * (must not change).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "x86_decode.h"

/* An expected decode: err, then the fields of struct x86_mmio_insn. */
struct insn_case {
	const char *text;
	enum x86_cpu_mode mode;
	u8 bytes[16];
	u8 nbytes;
	int err;
	u8 len, size;
	bool write;
	u8 reg;
	bool high_byte, has_imm;
	u64 imm;
	enum x86_extend ext;
	u8 dst_size;
	enum x86_seg seg;
};

#define M64 X86_MODE_64
#define M32 X86_MODE_32
#define M16 X86_MODE_16
#define ZX X86_EXT_ZERO
#define SX X86_EXT_SIGN
#define NOEXT X86_EXT_NONE
#define B(...) { __VA_ARGS__ }, sizeof((u8[]){ __VA_ARGS__ })
/* A store of a register, a load, a store of an immediate, a refusal. */
#define ST(t, m, b, ln, sz, r, hi, sg)                                         \
	{                                                                      \
		t, m, b, 0, ln, sz, true, r, hi, false, 0, NOEXT, sz, sg       \
	}
#define LD(t, m, b, ln, sz, r, hi, ex, dst, sg)                                \
	{                                                                      \
		t, m, b, 0, ln, sz, false, r, hi, false, 0, ex, dst, sg        \
	}
#define IMM(t, m, b, ln, sz, im)                                               \
	{                                                                      \
		t, m, b, 0, ln, sz, true, 0, false, true, im, NOEXT, sz, 0     \
	}
#define BAD(t, m, b, e)                                                        \
	{                                                                      \
		t, m, b, e, 0, 0, false, 0, false, false, 0, 0, 0, 0           \
	}

static const struct insn_case cases[] = {
	/* 88: mov r8 -> m8; AH-BH only without REX. */
	ST("mov %al,(%rdi)", M64, B(0x88, 0x07), 2, 1, X86_RAX, false, 0),
	ST("mov %ah,(%rdi)", M64, B(0x88, 0x27), 2, 1, X86_RAX, true, 0),
	ST("mov %sil,(%rdi)", M64, B(0x40, 0x88, 0x37), 3, 1, X86_RSI, false,
	   0),
	ST("mov %r9b,(%rax)", M64, B(0x44, 0x88, 0x08), 3, 1, X86_R9, false, 0),
	ST("mov %bh,0x10(%rdx)", M64, B(0x88, 0x7a, 0x10), 3, 1, X86_RBX, true,
	   0),
	ST("mov %r8b,0x10(%rsi)", M64, B(0x44, 0x88, 0x46, 0x10), 4, 1, X86_R8,
	   false, 0),
	/* 89: mov r -> m; SIB, no base, RIP-relative, disp8/32, 66. */
	ST("mov %ecx,(%rdi)", M64, B(0x89, 0x0f), 2, 4, X86_RCX, false, 0),
	ST("mov %r8d,(%r12)", M64, B(0x45, 0x89, 0x04, 0x24), 4, 4, X86_R8,
	   false, 0),
	ST("mov %rax,0x12345678(%rdi,%rsi,4)", M64,
	   B(0x48, 0x89, 0x84, 0xb7, 0x78, 0x56, 0x34, 0x12), 8, 8, X86_RAX,
	   false, 0),
	ST("mov %r15,0x0(%r13)", M64, B(0x4d, 0x89, 0x7d, 0x00), 4, 8, X86_R15,
	   false, 0),
	ST("mov %edx,0x0(,%rcx,8)", M64,
	   B(0x89, 0x14, 0xcd, 0x00, 0x00, 0x00, 0x00), 7, 4, X86_RDX, false,
	   0),
	ST("mov %eax,0x1000(%rip)", M64, B(0x89, 0x05, 0x00, 0x10, 0x00, 0x00),
	   6, 4, X86_RAX, false, 0),
	ST("mov %cx,0x8(%rsp)", M64, B(0x66, 0x89, 0x4c, 0x24, 0x08), 5, 2,
	   X86_RCX, false, 0),
	ST("mov %r11w,-0x80(%rbp,%r14,2)", M64,
	   B(0x66, 0x46, 0x89, 0x5c, 0x75, 0x80), 6, 2, X86_R11, false, 0),
	ST("mov %eax,0x0(%rbp)", M64, B(0x89, 0x45, 0x00), 3, 4, X86_RAX, false,
	   0),
	ST("mov %eax,(%rsp)", M64, B(0x89, 0x04, 0x24), 3, 4, X86_RAX, false,
	   0),
	ST("mov %eax,0x0(%rbp,%rcx,2)", M64, B(0x89, 0x44, 0x4d, 0x00), 4, 4,
	   X86_RAX, false, 0),
	ST("mov %r8d,(%r9)", M64, B(0x45, 0x89, 0x01), 3, 4, X86_R8, false, 0),
	ST("mov %rcx,(%rsi)", M64, B(0x48, 0x89, 0x0e), 3, 8, X86_RCX, false,
	   0),
	/* 67 in 64-bit mode: 32-bit addressing, same ModRM layout. */
	ST("mov %eax,(%ebx)", M64, B(0x67, 0x89, 0x03), 3, 4, X86_RAX, false,
	   0),
	ST("mov %eax,0x10(%eip)", M64,
	   B(0x67, 0x89, 0x05, 0x10, 0x00, 0x00, 0x00), 7, 4, X86_RAX, false,
	   0),
	/* Segment overrides: FS/GS kept, the others null in 64-bit mode. */
	ST("mov %eax,%fs:(%rdi)", M64, B(0x64, 0x89, 0x07), 3, 4, X86_RAX,
	   false, X86_SEG_FS),
	ST("mov %eax,%ds:(%rdi)", M64, B(0x3e, 0x89, 0x07), 3, 4, X86_RAX,
	   false, 0),
	ST("fs ds mov %eax,(%rdi)", M64, B(0x64, 0x3e, 0x89, 0x07), 4, 4,
	   X86_RAX, false, X86_SEG_FS),
	/* A REX before a legacy prefix is dropped: this is %ecx, not %r9d. */
	ST("rex.R 66: mov %cx,(%rdi)", M64, B(0x44, 0x66, 0x89, 0x0f), 4, 2,
	   X86_RCX, false, 0),
	/* 8A, 8B: loads. */
	LD("mov (%rdi),%al", M64, B(0x8a, 0x07), 2, 1, X86_RAX, false, NOEXT, 1,
	   0),
	LD("mov (%rdi),%ch", M64, B(0x8a, 0x2f), 2, 1, X86_RCX, true, NOEXT, 1,
	   0),
	LD("mov 0x7f(%rsi),%dil", M64, B(0x40, 0x8a, 0x7e, 0x7f), 4, 1, X86_RDI,
	   false, NOEXT, 1, 0),
	LD("mov (%r10),%r14b", M64, B(0x45, 0x8a, 0x32), 3, 1, X86_R14, false,
	   NOEXT, 1, 0),
	LD("mov (%rdi),%eax", M64, B(0x8b, 0x07), 2, 4, X86_RAX, false, NOEXT,
	   4, 0),
	LD("mov 0x10(%rdi),%r9d", M64, B(0x44, 0x8b, 0x4f, 0x10), 4, 4, X86_R9,
	   false, NOEXT, 4, 0),
	LD("mov (%rdx),%rbx", M64, B(0x48, 0x8b, 0x1a), 3, 8, X86_RBX, false,
	   NOEXT, 8, 0),
	LD("mov 0x8(%r8,%r9,1),%r10", M64, B(0x4f, 0x8b, 0x54, 0x08, 0x08), 5,
	   8, X86_R10, false, NOEXT, 8, 0),
	LD("mov (%rdi),%ax", M64, B(0x66, 0x8b, 0x07), 3, 2, X86_RAX, false,
	   NOEXT, 2, 0),
	LD("mov (%rbx),%r12w", M64, B(0x66, 0x44, 0x8b, 0x23), 4, 2, X86_R12,
	   false, NOEXT, 2, 0),
	LD("mov %gs:0x10,%rax", M64,
	   B(0x65, 0x48, 0x8b, 0x04, 0x25, 0x10, 0x00, 0x00, 0x00), 9, 8,
	   X86_RAX, false, NOEXT, 8, X86_SEG_GS),
	/* C6 /0, C7 /0: immediates, imm32 sign-extended for REX.W. */
	IMM("movb $0x5a,(%rdi)", M64, B(0xc6, 0x07, 0x5a), 3, 1, 0x5a),
	IMM("movb $0xff,0x40(%r11)", M64, B(0x41, 0xc6, 0x43, 0x40, 0xff), 5, 1,
	    ~0ULL),
	IMM("movw $0x1234,(%rax)", M64, B(0x66, 0xc7, 0x00, 0x34, 0x12), 5, 2,
	    0x1234),
	IMM("movl $0xdeadbeef,(%rdi)", M64,
	    B(0xc7, 0x07, 0xef, 0xbe, 0xad, 0xde), 6, 4, 0xffffffffdeadbeefULL),
	IMM("movl $0x1,0x100(%rip)", M64,
	    B(0xc7, 0x05, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00), 10,
	    4, 1),
	IMM("movq $-1,(%rdi)", M64, B(0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0xff),
	    7, 8, ~0ULL),
	IMM("movq $0x7fffffff,(%rsp)", M64,
	    B(0x48, 0xc7, 0x04, 0x24, 0xff, 0xff, 0xff, 0x7f), 8, 8,
	    0x7fffffff),
	IMM("movl $0x12345678,0x4(%rdi,%rax,4)", M64,
	    B(0xc7, 0x44, 0x87, 0x04, 0x78, 0x56, 0x34, 0x12), 8, 4,
	    0x12345678),
	/* 0F B6/B7/BE/BF: movzx, movsx. */
	LD("movzbl (%rdi),%eax", M64, B(0x0f, 0xb6, 0x07), 3, 1, X86_RAX, false,
	   ZX, 4, 0),
	LD("movzbw (%rdi),%ax", M64, B(0x66, 0x0f, 0xb6, 0x07), 4, 1, X86_RAX,
	   false, ZX, 2, 0),
	LD("movzbq (%r8),%r9", M64, B(0x4d, 0x0f, 0xb6, 0x08), 4, 1, X86_R9,
	   false, ZX, 8, 0),
	LD("movzwl (%rdi),%edx", M64, B(0x0f, 0xb7, 0x17), 3, 2, X86_RDX, false,
	   ZX, 4, 0),
	LD("movzwq 0x2(%rsi),%r15", M64, B(0x4c, 0x0f, 0xb7, 0x7e, 0x02), 5, 2,
	   X86_R15, false, ZX, 8, 0),
	LD("movsbl (%rdi),%eax", M64, B(0x0f, 0xbe, 0x07), 3, 1, X86_RAX, false,
	   SX, 4, 0),
	LD("movsbq (%rdi),%rcx", M64, B(0x48, 0x0f, 0xbe, 0x0f), 4, 1, X86_RCX,
	   false, SX, 8, 0),
	LD("movsbw (%rdi),%si", M64, B(0x66, 0x0f, 0xbe, 0x37), 4, 1, X86_RSI,
	   false, SX, 2, 0),
	LD("movswl (%rdi),%eax", M64, B(0x0f, 0xbf, 0x07), 3, 2, X86_RAX, false,
	   SX, 4, 0),
	LD("movswq 0x0(%r13,%rax,8),%r11", M64,
	   B(0x4d, 0x0f, 0xbf, 0x5c, 0xc5, 0x00), 6, 2, X86_R11, false, SX, 8,
	   0),
	/* movzbl with SPL-style byte register numbering does not apply. */
	LD("movzbl (%rdi),%esp", M64, B(0x0f, 0xb6, 0x27), 3, 1, X86_RSP, false,
	   ZX, 4, 0),
	/* A0-A3: moffs64, moffs32 with 67. */
	LD("movabs 0x1122334455667788,%al", M64,
	   B(0xa0, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), 9, 1,
	   X86_RAX, false, NOEXT, 1, 0),
	LD("movabs 0x1122334455667788,%eax", M64,
	   B(0xa1, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), 9, 4,
	   X86_RAX, false, NOEXT, 4, 0),
	LD("movabs 0x1122334455667788,%rax", M64,
	   B(0x48, 0xa1, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), 10, 8,
	   X86_RAX, false, NOEXT, 8, 0),
	ST("movabs %al,0x1122334455667788", M64,
	   B(0xa2, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), 9, 1,
	   X86_RAX, false, 0),
	ST("movabs %ax,0x1122334455667788", M64,
	   B(0x66, 0xa3, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), 10, 2,
	   X86_RAX, false, 0),
	ST("movabs %rax,0x1122334455667788", M64,
	   B(0x48, 0xa3, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), 10, 8,
	   X86_RAX, false, 0),
	LD("addr32 mov 0x11223344,%eax", M64,
	   B(0x67, 0xa1, 0x44, 0x33, 0x22, 0x11), 6, 4, X86_RAX, false, NOEXT,
	   4, 0),
	/* 32-bit code: 40-4F are inc/dec, 67 means 16-bit addressing. */
	ST("mov %eax,(%edi)", M32, B(0x89, 0x07), 2, 4, X86_RAX, false, 0),
	ST("mov %ah,0x10(%esi)", M32, B(0x88, 0x66, 0x10), 3, 1, X86_RAX, true,
	   0),
	LD("mov (%ebx,%ecx,4),%edx", M32, B(0x8b, 0x14, 0x8b), 3, 4, X86_RDX,
	   false, NOEXT, 4, 0),
	IMM("movl $0x12345678,0x4(%ebp)", M32,
	    B(0xc7, 0x45, 0x04, 0x78, 0x56, 0x34, 0x12), 7, 4, 0x12345678),
	IMM("movw $0xbeef,(%eax)", M32, B(0x66, 0xc7, 0x00, 0xef, 0xbe), 5, 2,
	    0xffffffffffffbeefULL),
	LD("movswl 0x2(%edi),%eax", M32, B(0x0f, 0xbf, 0x47, 0x02), 4, 2,
	   X86_RAX, false, SX, 4, 0),
	LD("mov 0x11223344,%eax", M32, B(0xa1, 0x44, 0x33, 0x22, 0x11), 5, 4,
	   X86_RAX, false, NOEXT, 4, 0),
	LD("addr16 mov 0x1234,%ax", M32, B(0x67, 0x66, 0xa1, 0x34, 0x12), 5, 2,
	   X86_RAX, false, NOEXT, 2, 0),
	ST("mov %eax,(%bx,%si)", M32, B(0x67, 0x89, 0x00), 3, 4, X86_RAX, false,
	   0),
	ST("mov %eax,0x1234(%bp)", M32, B(0x67, 0x89, 0x86, 0x34, 0x12), 5, 4,
	   X86_RAX, false, 0),
	ST("mov %eax,0x12(%bp,%di)", M32, B(0x67, 0x89, 0x43, 0x12), 4, 4,
	   X86_RAX, false, 0),
	ST("mov %eax,%fs:(%edi)", M32, B(0x64, 0x89, 0x07), 3, 4, X86_RAX,
	   false, X86_SEG_FS),
	ST("mov %eax,%es:(%edi)", M32, B(0x26, 0x89, 0x07), 3, 4, X86_RAX,
	   false, X86_SEG_ES),
	BAD("dec %eax; mov %eax,(%edi)", M32, B(0x48, 0x89, 0x07),
	    X86_DECODE_OPCODE),
	/* 16-bit code: 66 and 67 select 32 bits. */
	ST("mov %ax,(%bx)", M16, B(0x89, 0x07), 2, 2, X86_RAX, false, 0),
	ST("mov %eax,(%bx)", M16, B(0x66, 0x89, 0x07), 3, 4, X86_RAX, false, 0),
	ST("mov %eax,(%edi)", M16, B(0x67, 0x66, 0x89, 0x07), 4, 4, X86_RAX,
	   false, 0),
	IMM("movl $0x1,(%si)", M16, B(0x66, 0xc7, 0x04, 0x01, 0x00, 0x00, 0x00),
	    7, 4, 1),
	IMM("movw $0x2,0x10(%bx)", M16, B(0xc7, 0x47, 0x10, 0x02, 0x00), 5, 2,
	    2),
	LD("mov 0x1234,%ax", M16, B(0xa1, 0x34, 0x12), 3, 2, X86_RAX, false,
	   NOEXT, 2, 0),
	/* Refusals. */
	BAD("lock mov %eax,(%rdi)", M64, B(0xf0, 0x89, 0x07), X86_DECODE_LOCK),
	BAD("lock movzbl (%rdi),%eax", M64, B(0xf0, 0x0f, 0xb6, 0x07),
	    X86_DECODE_LOCK),
	BAD("rep mov %eax,(%rdi)", M64, B(0xf3, 0x89, 0x07), X86_DECODE_REP),
	BAD("repne movb $1,(%rdi)", M64, B(0xf2, 0xc6, 0x07, 0x01),
	    X86_DECODE_REP),
	BAD("lock incl (%rdi)", M64, B(0xf0, 0xff, 0x07), X86_DECODE_OPCODE),
	BAD("rep movsb", M64, B(0xf3, 0xa4), X86_DECODE_STRING),
	BAD("rep stos %eax,%es:(%rdi)", M64, B(0xf3, 0xab), X86_DECODE_STRING),
	BAD("movsq", M64, B(0x48, 0xa5), X86_DECODE_STRING),
	BAD("stos %al,%es:(%rdi)", M64, B(0xaa), X86_DECODE_STRING),
	BAD("add %eax,(%rdi)", M64, B(0x01, 0x07), X86_DECODE_OPCODE),
	BAD("xchg %eax,(%rdi)", M64, B(0x87, 0x07), X86_DECODE_OPCODE),
	BAD("popcnt (%rdi),%eax", M64, B(0xf3, 0x0f, 0xb8, 0x07),
	    X86_DECODE_OPCODE),
	BAD("mov %eax,%ebx", M64, B(0x89, 0xc3), X86_DECODE_REG_OPERAND),
	BAD("movzbl %al,%eax", M64, B(0x0f, 0xb6, 0xc0),
	    X86_DECODE_REG_OPERAND),
	BAD("movb $1,%al (C6 C0)", M64, B(0xc6, 0xc0, 0x01),
	    X86_DECODE_REG_OPERAND),
	BAD("C7 /1 (undefined)", M64, B(0xc7, 0x0f, 0, 0, 0, 0),
	    X86_DECODE_OPCODE),
	BAD("xbegin (C7 F8) is a register form", M64, B(0xc7, 0xf8, 0, 0, 0, 0),
	    X86_DECODE_REG_OPERAND),
	BAD("empty", M64, B(0x90), X86_DECODE_OPCODE),
	BAD("prefixes only", M64, B(0x66, 0x67, 0x2e), X86_DECODE_TRUNCATED),
	BAD("16 bytes: 14 prefixes + 89 07", M64,
	    B(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	      0x66, 0x66, 0x66, 0x89, 0x07),
	    X86_DECODE_TOO_LONG),
	BAD("mode out of range", (enum x86_cpu_mode)7, B(0x89, 0x07),
	    X86_DECODE_MODE),
};

/* Fails naming the case and the field, so a table row is easy to find. */
#define EXPECT_EQ(what, got, want)                                             \
	do {                                                                   \
		if ((u64)(got) != (u64)(want))                                 \
			fail_msg("%s: %s is 0x%llx, expected 0x%llx", c->text, \
				 what, (unsigned long long)(got),              \
				 (unsigned long long)(want));                  \
	} while (0)

static void check_fields(const struct insn_case *c,
			 const struct x86_mmio_insn *in)
{
	EXPECT_EQ("len", in->len, c->len);
	EXPECT_EQ("size", in->size, c->size);
	EXPECT_EQ("write", in->write, c->write);
	EXPECT_EQ("reg", in->reg, c->reg);
	EXPECT_EQ("high_byte", in->high_byte, c->high_byte);
	EXPECT_EQ("has_imm", in->has_imm, c->has_imm);
	if (c->has_imm)
		EXPECT_EQ("imm", in->imm, c->imm);
	EXPECT_EQ("ext", in->ext, c->ext);
	EXPECT_EQ("dst_size", in->dst_size, c->dst_size);
	EXPECT_EQ("seg", in->seg, c->seg);
}

static void test_table(void **state)
{
	const struct insn_case *c;
	struct x86_mmio_insn in;
	u8 padded[32];
	u32 cut;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = &cases[i];
		EXPECT_EQ("result",
			  x86_decode(c->bytes, c->nbytes, c->mode, &in),
			  c->err);
		if (c->err)
			continue;
		EXPECT_EQ("table length", c->len, c->nbytes);
		check_fields(c, &in);
		/* Bytes after the instruction change nothing. */
		memset(padded, 0x89, sizeof(padded));
		memcpy(padded, c->bytes, c->nbytes);
		EXPECT_EQ("padded result",
			  x86_decode(padded, sizeof(padded), c->mode, &in), 0);
		check_fields(c, &in);
		/* Any shorter prefix of it is truncated. */
		for (cut = 0; cut < c->nbytes; cut++)
			EXPECT_EQ("cut short",
				  x86_decode(c->bytes, cut, c->mode, &in),
				  X86_DECODE_TRUNCATED);
	}
}

/* 15 bytes is the limit: 8 null prefixes + REX.W C7 07 imm32 reach it. */
static void test_fifteen_bytes(void **state)
{
	static const u8 tail[] = { 0x48, 0xc7, 0x07, 0x01, 0, 0, 0 };
	struct x86_mmio_insn in;
	u8 b[16];

	(void)state;
	memset(b, 0x2e, 9);
	memcpy(b + 9, tail, sizeof(tail));
	assert_int_equal(x86_decode(b, 16, X86_MODE_64, &in),
			 X86_DECODE_TOO_LONG);
	assert_int_equal(x86_decode(b + 1, 15, X86_MODE_64, &in),
			 X86_DECODE_OK);
	assert_int_equal(in.len, 15);
	assert_int_equal(in.size, 8);
	assert_int_equal(in.imm, 1);
}

static struct x86_regs sample_regs(void)
{
	struct x86_regs r;
	int i;

	for (i = 0; i < X86_NR_GPRS; i++)
		r.gpr[i] = 0x1111111111111111ULL * (u64)(i + 1) ^
			   0x8070605040302010ULL;
	return r;
}

static u64 store_of(const u8 *bytes, u32 n, const struct x86_regs *r)
{
	struct x86_mmio_insn in;

	assert_int_equal(x86_decode(bytes, n, X86_MODE_64, &in), 0);
	assert_true(in.write);
	return x86_mmio_store_value(&in, r);
}

static void test_store_value(void **state)
{
	struct x86_regs r = sample_regs();

	(void)state;
	r.gpr[X86_RAX] = 0x0123456789abcdefULL;
	r.gpr[X86_RCX] = 0xfedcba9876543210ULL;
	r.gpr[X86_RSI] = 0x00000000000000a5ULL;
	/* mov %al / %ah / %sil / %ecx / %cx / %rcx, (%rdi) */
	assert_int_equal(store_of((u8[]){ 0x88, 0x07 }, 2, &r), 0xef);
	assert_int_equal(store_of((u8[]){ 0x88, 0x27 }, 2, &r), 0xcd);
	assert_int_equal(store_of((u8[]){ 0x40, 0x88, 0x37 }, 3, &r), 0xa5);
	assert_int_equal(store_of((u8[]){ 0x89, 0x0f }, 2, &r), 0x76543210);
	assert_int_equal(store_of((u8[]){ 0x66, 0x89, 0x0f }, 3, &r), 0x3210);
	assert_int_equal(store_of((u8[]){ 0x48, 0x89, 0x0f }, 3, &r),
			 0xfedcba9876543210ULL);
	/* Immediates, cut to the access size. */
	assert_int_equal(store_of((u8[]){ 0xc6, 0x07, 0xff }, 3, &r), 0xff);
	assert_int_equal(
		store_of((u8[]){ 0xc7, 0x07, 0xef, 0xbe, 0xad, 0xde }, 6, &r),
		0xdeadbeef);
	assert_int_equal(
		store_of((u8[]){ 0x48, 0xc7, 0x07, 0xfe, 0xff, 0xff, 0xff }, 7,
			 &r),
		0xfffffffffffffffeULL);
	/* A store of a register leaves the registers alone. */
	assert_int_equal(r.gpr[X86_RAX], 0x0123456789abcdefULL);
}

/* Decodes a load, applies @val and returns the register it wrote. */
static u64 load_into(const u8 *bytes, u32 n, u64 before, u64 val)
{
	struct x86_regs r = sample_regs(), orig;
	struct x86_mmio_insn in;
	int i;

	assert_int_equal(x86_decode(bytes, n, X86_MODE_64, &in), 0);
	assert_false(in.write);
	r.gpr[in.reg] = before;
	orig = r;
	x86_mmio_load_result(&in, &r, val);
	for (i = 0; i < X86_NR_GPRS; i++)
		if (i != in.reg)
			assert_int_equal(r.gpr[i], orig.gpr[i]);
	return r.gpr[in.reg];
}

static void test_load_result(void **state)
{
	const u64 old = 0xaaaaaaaaaaaaaaaaULL, val = 0x8182838485868788ULL;

	(void)state;
	/* mov (%rdi),%al / %ch / %ax / %eax / %rbx */
	assert_int_equal(load_into((u8[]){ 0x8a, 0x07 }, 2, old, val),
			 0xaaaaaaaaaaaaaa88ULL);
	assert_int_equal(load_into((u8[]){ 0x8a, 0x2f }, 2, old, val),
			 0xaaaaaaaaaaaa88aaULL);
	assert_int_equal(load_into((u8[]){ 0x66, 0x8b, 0x07 }, 3, old, val),
			 0xaaaaaaaaaaaa8788ULL);
	assert_int_equal(load_into((u8[]){ 0x8b, 0x07 }, 2, old, val),
			 0x85868788ULL);
	assert_int_equal(load_into((u8[]){ 0x48, 0x8b, 0x1a }, 3, old, val),
			 val);
	/* movzx: movzbl, movzbw (merges 16 bits), movzwq */
	assert_int_equal(load_into((u8[]){ 0x0f, 0xb6, 0x07 }, 3, old, val),
			 0x88);
	assert_int_equal(
		load_into((u8[]){ 0x66, 0x0f, 0xb6, 0x07 }, 4, old, val),
		0xaaaaaaaaaaaa0088ULL);
	assert_int_equal(
		load_into((u8[]){ 0x4c, 0x0f, 0xb7, 0x7e, 0x02 }, 5, old, val),
		0x8788);
	/* movsx: movsbl, movsbq, movsbw, movswl (positive and negative) */
	assert_int_equal(load_into((u8[]){ 0x0f, 0xbe, 0x07 }, 3, old, val),
			 0xffffff88ULL);
	assert_int_equal(
		load_into((u8[]){ 0x48, 0x0f, 0xbe, 0x0f }, 4, old, val),
		0xffffffffffffff88ULL);
	assert_int_equal(
		load_into((u8[]){ 0x66, 0x0f, 0xbe, 0x37 }, 4, old, val),
		0xaaaaaaaaaaaaff88ULL);
	assert_int_equal(load_into((u8[]){ 0x0f, 0xbf, 0x07 }, 3, old, 0x7ffe),
			 0x7ffe);
	assert_int_equal(load_into((u8[]){ 0x0f, 0xbf, 0x07 }, 3, old, 0x8001),
			 0xffff8001ULL);
	/* moffs load into %al keeps the rest of %rax. */
	assert_int_equal(
		load_into((u8[]){ 0xa0, 1, 2, 3, 4, 5, 6, 7, 8 }, 9, old, val),
		0xaaaaaaaaaaaaaa88ULL);
}

static void test_store_ignores_load_result(void **state)
{
	struct x86_regs r = sample_regs(), orig = sample_regs();
	struct x86_mmio_insn in;

	(void)state;
	assert_int_equal(x86_decode((u8[]){ 0x89, 0x07 }, 2, X86_MODE_64, &in),
			 0);
	x86_mmio_load_result(&in, &r, 0x1234);
	assert_memory_equal(&r, &orig, sizeof(r));
}

static void test_strerror(void **state)
{
	int e;

	(void)state;
	for (e = X86_DECODE_MODE; e <= X86_DECODE_OK; e++)
		assert_string_not_equal(x86_decode_strerror(e),
					"unknown error");
	assert_string_equal(x86_decode_strerror(-100), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_fifteen_bytes),
		cmocka_unit_test(test_store_value),
		cmocka_unit_test(test_load_result),
		cmocka_unit_test(test_store_ignores_load_result),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
