// SPDX-License-Identifier: BSD-3-Clause
/* Decoding of MMIO moves (see x86_decode.h). */
#include "x86_decode.h"

/* REX bits; a REX prefix is any byte 0x40-0x4F in 64-bit mode. */
#define REX_B 0x01
#define REX_X 0x02
#define REX_R 0x04
#define REX_W 0x08

#define MODRM_MOD(m) ((m) >> 6)
#define MODRM_REG(m) (((m) >> 3) & 7)
#define MODRM_RM(m) ((m)&7)
#define SIB_BASE(s) ((s)&7)

/* Where the decoder is, and what the prefixes said. */
struct decoder {
	const u8 *bytes;
	u32 avail;
	u32 pos;
	enum x86_cpu_mode mode;
	bool opsize; /* 66 */
	bool adsize; /* 67 */
	bool lock;
	bool rep;
	u8 rex; /* 0: none */
	enum x86_seg seg;
};

/* The next byte; an instruction may not grow past 15 bytes. */
static int next_byte(struct decoder *d, u8 *b)
{
	if (d->pos >= X86_MAX_INSN_LEN)
		return X86_DECODE_TOO_LONG;
	if (d->pos >= d->avail)
		return X86_DECODE_TRUNCATED;
	*b = d->bytes[d->pos++];
	return X86_DECODE_OK;
}

/* @n (at most 8) little-endian bytes, sign-extended to 64 bits. */
static int next_signed(struct decoder *d, u32 n, u64 *val)
{
	u64 v = 0;
	u32 i;
	u8 b = 0;
	int err;

	for (i = 0; i < n; i++) {
		err = next_byte(d, &b);
		if (err)
			return err;
		v |= (u64)b << (8 * i);
	}
	if (n && n < 8 && (b & 0x80))
		v |= ~0ULL << (8 * n);
	*val = v;
	return X86_DECODE_OK;
}

static int skip_bytes(struct decoder *d, u32 n)
{
	u64 ignored;

	return next_signed(d, n, &ignored);
}

/* 26, 2E, 36, 3E: ES, CS, SS, DS; null prefixes in 64-bit mode. */
static enum x86_seg legacy_segment(u8 b)
{
	if (b == 0x26)
		return X86_SEG_ES;
	if (b == 0x2e)
		return X86_SEG_CS;
	return b == 0x36 ? X86_SEG_SS : X86_SEG_DS;
}

/* Notes a legacy prefix in @d; false if @b is none. */
static bool is_legacy_prefix(struct decoder *d, u8 b)
{
	if (b == 0x66)
		d->opsize = true;
	else if (b == 0x67)
		d->adsize = true;
	else if (b == 0xf0)
		d->lock = true;
	else if (b == 0xf2 || b == 0xf3)
		d->rep = true;
	else if (b == 0x64 || b == 0x65)
		d->seg = b == 0x64 ? X86_SEG_FS : X86_SEG_GS;
	else if (b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e)
		d->seg = d->mode == X86_MODE_64 ? d->seg : legacy_segment(b);
	else
		return false;
	return true;
}

/*
 * Consumes the prefixes and returns the first opcode byte. A REX counts
 * only right before the opcode: a legacy prefix after it cancels it.
 */
static int read_prefixes(struct decoder *d, u8 *opcode)
{
	int err;

	for (;;) {
		err = next_byte(d, opcode);
		if (err)
			return err;
		if (is_legacy_prefix(d, *opcode)) {
			d->rex = 0;
			continue;
		}
		if (d->mode == X86_MODE_64 && (*opcode & 0xf0) == 0x40) {
			d->rex = *opcode;
			continue;
		}
		return X86_DECODE_OK;
	}
}

/* Operand size of a non-byte form: REX.W wins over 66. */
static u8 operand_size(const struct decoder *d)
{
	if (d->rex & REX_W)
		return 8;
	if (d->mode == X86_MODE_16)
		return d->opsize ? 4 : 2;
	return d->opsize ? 2 : 4;
}

static u8 address_size(const struct decoder *d)
{
	if (d->mode == X86_MODE_64)
		return d->adsize ? 4 : 8;
	if (d->mode == X86_MODE_32)
		return d->adsize ? 2 : 4;
	return d->adsize ? 4 : 2;
}

/* Displacement bytes of a 16-bit ModRM memory operand (no SIB there). */
static u32 disp_size16(u8 modrm)
{
	if (MODRM_MOD(modrm) == 1)
		return 1;
	if (MODRM_MOD(modrm) == 2 || MODRM_RM(modrm) == 6)
		return 2;
	return 0;
}

/*
 * Reads ModRM and whatever memory operand follows (SIB, displacement),
 * returning the full register number of ModRM.reg in *reg. Mod 3 names a
 * register, which cannot have faulted in the nested page table.
 */
static int read_modrm_memory(struct decoder *d, u8 *reg)
{
	u8 modrm, sib;
	u32 disp = 0;
	int err;

	err = next_byte(d, &modrm);
	if (err)
		return err;
	if (MODRM_MOD(modrm) == 3)
		return X86_DECODE_REG_OPERAND;
	*reg = (u8)(MODRM_REG(modrm) | ((d->rex & REX_R) ? 8 : 0));

	if (address_size(d) == 2)
		return skip_bytes(d, disp_size16(modrm));

	if (MODRM_MOD(modrm) == 1)
		disp = 1;
	else if (MODRM_MOD(modrm) == 2)
		disp = 4;
	else if (MODRM_RM(modrm) == 5)
		disp = 4; /* disp32, RIP-relative in 64-bit mode */
	if (MODRM_RM(modrm) == 4) {
		err = next_byte(d, &sib);
		if (err)
			return err;
		/* No base with mod 0: disp32 instead. */
		if (MODRM_MOD(modrm) == 0 && SIB_BASE(sib) == 5)
			disp = 4;
	}
	return skip_bytes(d, disp);
}

/* Byte registers 4-7 without any REX are AH, CH, DH, BH. */
static void set_byte_reg(const struct decoder *d, struct x86_mmio_insn *insn,
			 u8 reg)
{
	insn->reg = reg;
	insn->high_byte = false;
	if (!d->rex && reg >= 4 && reg < 8) {
		insn->reg = (u8)(reg - 4);
		insn->high_byte = true;
	}
}

/* 88, 89, 8A, 8B: mov between register @reg and memory. */
static void decode_mov_reg(const struct decoder *d, u8 opcode, u8 reg,
			   struct x86_mmio_insn *insn)
{
	insn->write = opcode == 0x88 || opcode == 0x89;
	insn->size = (opcode & 1) ? operand_size(d) : 1;
	insn->dst_size = insn->size;
	if (insn->size == 1)
		set_byte_reg(d, insn, reg);
	else
		insn->reg = reg;
}

/* C6 /0 ib, C7 /0 iw/id: mov of an immediate to memory. */
static int decode_mov_imm(struct decoder *d, u8 opcode, u8 reg,
			  struct x86_mmio_insn *insn)
{
	/* /7 is xabort/xbegin, the rest undefined. */
	if ((reg & 7) != 0)
		return X86_DECODE_OPCODE;
	insn->write = true;
	insn->has_imm = true;
	insn->size = opcode == 0xc6 ? 1 : operand_size(d);
	insn->dst_size = insn->size;
	/* A 64-bit store takes a sign-extended imm32. */
	return next_signed(d, insn->size == 8 ? 4 : insn->size, &insn->imm);
}

/* A0-A3: mov between AL/rAX and an absolute address (moffs). */
static int decode_mov_moffs(struct decoder *d, u8 opcode,
			    struct x86_mmio_insn *insn)
{
	insn->write = opcode >= 0xa2;
	insn->size = (opcode & 1) ? operand_size(d) : 1;
	insn->dst_size = insn->size;
	insn->reg = X86_RAX;
	return skip_bytes(d, address_size(d));
}

/* 0F B6/B7 movzx, 0F BE/BF movsx: 1 or 2 bytes into @reg, widened. */
static void decode_movx(const struct decoder *d, u8 opcode2, u8 reg,
			struct x86_mmio_insn *insn)
{
	insn->write = false;
	insn->size = (opcode2 & 1) ? 2 : 1;
	insn->dst_size = operand_size(d);
	insn->ext = opcode2 >= 0xbe ? X86_EXT_SIGN : X86_EXT_ZERO;
	insn->reg = reg;
}

static bool is_string_op(u8 opcode)
{
	return (opcode >= 0xa4 && opcode <= 0xa7) ||
	       (opcode >= 0xaa && opcode <= 0xaf) ||
	       (opcode >= 0x6c && opcode <= 0x6f);
}

static bool is_movx(u8 opcode2)
{
	return opcode2 == 0xb6 || opcode2 == 0xb7 || opcode2 == 0xbe ||
	       opcode2 == 0xbf;
}

static bool is_mov(u8 opcode)
{
	return (opcode >= 0x88 && opcode <= 0x8b) || opcode == 0xc6 ||
	       opcode == 0xc7 || (opcode >= 0xa0 && opcode <= 0xa3);
}

/* LOCK makes a mov #UD; F2/F3 turn some into other instructions. */
static int check_prefixes(const struct decoder *d)
{
	if (d->lock)
		return X86_DECODE_LOCK;
	if (d->rep)
		return X86_DECODE_REP;
	return X86_DECODE_OK;
}

/* Identifies the opcode, then reads its operands. */
static int decode_opcode(struct decoder *d, u8 opcode,
			 struct x86_mmio_insn *insn)
{
	u8 opcode2 = 0, reg = 0;
	int err;

	if (is_string_op(opcode))
		return X86_DECODE_STRING;
	if (opcode == 0x0f) {
		err = next_byte(d, &opcode2);
		if (err)
			return err;
		if (!is_movx(opcode2))
			return X86_DECODE_OPCODE;
	} else if (!is_mov(opcode)) {
		return X86_DECODE_OPCODE;
	}
	err = check_prefixes(d);
	if (err)
		return err;
	if (opcode >= 0xa0 && opcode <= 0xa3)
		return decode_mov_moffs(d, opcode, insn);

	err = read_modrm_memory(d, &reg);
	if (err)
		return err;
	if (opcode == 0xc6 || opcode == 0xc7)
		return decode_mov_imm(d, opcode, reg, insn);
	if (opcode == 0x0f)
		decode_movx(d, opcode2, reg, insn);
	else
		decode_mov_reg(d, opcode, reg, insn);
	return X86_DECODE_OK;
}

int x86_decode(const u8 *bytes, u32 avail, enum x86_cpu_mode mode,
	       struct x86_mmio_insn *insn)
{
	struct decoder d = { .bytes = bytes, .avail = avail, .mode = mode };
	u8 opcode = 0;
	int err;

	if (mode != X86_MODE_16 && mode != X86_MODE_32 && mode != X86_MODE_64)
		return X86_DECODE_MODE;
	*insn = (struct x86_mmio_insn){ .ext = X86_EXT_NONE };
	err = read_prefixes(&d, &opcode);
	if (!err)
		err = decode_opcode(&d, opcode, insn);
	if (err)
		return err;
	insn->len = (u8)d.pos;
	insn->seg = d.seg;
	return X86_DECODE_OK;
}

static const char *const decode_errors[] = {
	[-X86_DECODE_OK] = "ok",
	[-X86_DECODE_TRUNCATED] = "instruction bytes missing",
	[-X86_DECODE_TOO_LONG] = "instruction longer than 15 bytes",
	[-X86_DECODE_LOCK] = "lock prefix on mov",
	[-X86_DECODE_REP] = "rep/repne prefix",
	[-X86_DECODE_STRING] = "string instruction",
	[-X86_DECODE_OPCODE] = "instruction not emulated for MMIO",
	[-X86_DECODE_REG_OPERAND] = "no memory operand",
	[-X86_DECODE_MODE] = "bad CPU mode",
};

const char *x86_decode_strerror(int err)
{
	u32 i = (u32)-err;

	if (err > 0 || i >= sizeof(decode_errors) / sizeof(decode_errors[0]))
		return "unknown error";
	return decode_errors[i];
}

static u64 size_mask(u32 size)
{
	return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

u64 x86_mmio_store_value(const struct x86_mmio_insn *insn,
			 const struct x86_regs *regs)
{
	u64 v;

	if (insn->has_imm) {
		v = insn->imm;
	} else {
		v = regs->gpr[insn->reg % X86_NR_GPRS];
		if (insn->high_byte)
			v >>= 8;
	}
	return v & size_mask(insn->size);
}

void x86_mmio_load_result(const struct x86_mmio_insn *insn,
			  struct x86_regs *regs, u64 val)
{
	u64 *r = &regs->gpr[insn->reg % X86_NR_GPRS];
	u64 sign, keep;

	if (insn->write)
		return;
	val &= size_mask(insn->size);
	if (insn->ext == X86_EXT_SIGN && insn->size && insn->size < 8) {
		sign = 1ULL << (8 * insn->size - 1);
		val = (val ^ sign) - sign;
	}
	if (insn->high_byte) {
		*r = (*r & ~0xff00ULL) | ((val & 0xff) << 8);
	} else if (insn->dst_size == 4) {
		*r = val & 0xffffffffULL;
	} else {
		keep = ~size_mask(insn->dst_size);
		*r = (*r & keep) | (val & ~keep);
	}
}
