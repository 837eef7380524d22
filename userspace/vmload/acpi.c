// SPDX-License-Identifier: BSD-3-Clause
/*
 * The UOS's hardware-reduced ACPI tables (see acpi.h). Offsets follow the
 * ACPI 6.5 specification; each table is written into a zeroed buffer, so a
 * field left unset is 0.
 */
#include "acpi.h"

#include <errno.h>
#include <string.h>

#include <lhv/vm_layout.h>

#include "aml.h"
#include "bzimage.h"

#define HDR_LEN 36
#define RSDP_LEN 36
#define RSDP_V1_LEN 20
#define FADT_LEN 276
#define MADT_X2APIC_LEN 16
#define MCFG_ENTRY_LEN 16
/* Room for the DSDT: header and AML. */
#define DSDT_MAX 1024

/* FADT fields (5.2.9). */
#define FADT_DSDT 40
#define FADT_P_LVL2_LAT 96
#define FADT_P_LVL3_LAT 98
#define FADT_IAPC_BOOT_ARCH 109
#define FADT_FLAGS 112
#define FADT_RESET_REG 116
#define FADT_RESET_VALUE 128
#define FADT_MINOR 131
#define FADT_X_DSDT 140
#define FADT_SLEEP_CONTROL_REG 244
#define FADT_SLEEP_STATUS_REG 256
#define FADT_HYPERVISOR_ID 268
/* Flags: WBINVD works, power and sleep buttons are not fixed features. */
#define FADT_WBINVD (1u << 0)
#define FADT_PWR_BUTTON (1u << 4)
#define FADT_SLP_BUTTON (1u << 5)
#define FADT_RESET_REG_SUP (1u << 10)
#define FADT_HW_REDUCED_ACPI (1u << 20)
/*
 * FORCE_APIC_PHYSICAL_DESTINATION_MODE: without interrupt remapping
 * Linux would otherwise run the (locked) x2APIC in cluster mode, whose
 * logical MSI destinations do not fit an MSI without remapping.
 */
#define FADT_APIC_PHYSICAL (1u << 19)
/* IA-PC boot architecture flags: no VGA, no CMOS RTC. */
#define IAPC_VGA_NOT_PRESENT (1u << 2)
#define IAPC_CMOS_RTC_NOT_PRESENT (1u << 5)

/* Generic Address Structure (5.2.3.2): system I/O, byte access. */
#define GAS_SYSTEM_IO 1
#define GAS_ACCESS_BYTE 1

#define MADT_TYPE_X2APIC 9
#define MADT_ENABLED 1u

uint8_t vml_acpi_checksum(const uint8_t *p, uint64_t len)
{
	uint8_t sum = 0;
	uint64_t i;

	for (i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	return (uint8_t)(0 - sum);
}

/* The common header (5.2.6); the checksum is set by seal(). */
static void put_header(uint8_t *t, const char sig[4], uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	vml_put32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, "LHV   ", 6);   /* OEM ID */
	memcpy(t + 16, "LHVUOS  ", 8); /* OEM table ID */
	vml_put32(t + 24, 1);	       /* OEM revision */
	memcpy(t + 28, "LHV ", 4);     /* creator ID */
	vml_put32(t + 32, 1);	       /* creator revision */
}

static void seal(uint8_t *t)
{
	t[9] = 0;
	t[9] = vml_acpi_checksum(t, vml_get32(t + 4));
}

/* A one-byte I/O register: what Linux writes with acpi_write(). */
static void put_io_gas(uint8_t *g, uint16_t port)
{
	g[0] = GAS_SYSTEM_IO;
	g[1] = 8; /* register bit width */
	g[2] = 0; /* bit offset */
	g[3] = GAS_ACCESS_BYTE;
	vml_put64(g + 4, port);
}

static uint32_t build_fadt(uint8_t *t, uint64_t dsdt)
{
	put_header(t, "FACP", FADT_LEN, 6);
	/* No FACS: there is no firmware waking vector in a reduced platform. */
	vml_put32(t + FADT_DSDT, (uint32_t)dsdt);
	/* Latencies above 100 and 1000 us: no C2 or C3 through the FADT. */
	vml_put16(t + FADT_P_LVL2_LAT, 101);
	vml_put16(t + FADT_P_LVL3_LAT, 1001);
	vml_put16(t + FADT_IAPC_BOOT_ARCH,
		  IAPC_VGA_NOT_PRESENT | IAPC_CMOS_RTC_NOT_PRESENT);
	vml_put32(t + FADT_FLAGS, FADT_WBINVD | FADT_PWR_BUTTON |
					  FADT_SLP_BUTTON | FADT_RESET_REG_SUP |
					  FADT_APIC_PHYSICAL |
					  FADT_HW_REDUCED_ACPI);
	/* Reboot: Linux's ACPI reset path writes RESET_VALUE here. */
	put_io_gas(t + FADT_RESET_REG, LHV_VM_RESET_PORT);
	t[FADT_RESET_VALUE] = LHV_VM_RESET_VALUE;
	/*
	 * Poweroff: a reduced platform has no PM1 blocks; ACPI 5.0 added
	 * these two registers for it (SLP_TYP from \_S5, SLP_EN).
	 */
	put_io_gas(t + FADT_SLEEP_CONTROL_REG, LHV_VM_SLEEP_CTL_PORT);
	put_io_gas(t + FADT_SLEEP_STATUS_REG, LHV_VM_SLEEP_STS_PORT);
	t[FADT_MINOR] = 5; /* ACPI 6.5 */
	vml_put64(t + FADT_X_DSDT, dsdt);
	memcpy(t + FADT_HYPERVISOR_ID, "LHV     ", 8);
	seal(t);
	return FADT_LEN;
}

static uint32_t build_dsdt(uint8_t *t, uint64_t room)
{
	size_t n = vml_dsdt_aml(t + HDR_LEN, room - HDR_LEN);

	if (!n)
		return 0;
	/* Revision 2: integers are 64 bits wide. */
	put_header(t, "DSDT", (uint32_t)(HDR_LEN + n), 2);
	seal(t);
	return (uint32_t)(HDR_LEN + n);
}

static uint32_t build_madt(uint8_t *t, const uint32_t *ids, unsigned int n)
{
	uint32_t len = HDR_LEN + 8 + n * MADT_X2APIC_LEN;
	uint8_t *e = t + HDR_LEN + 8;
	unsigned int i;

	put_header(t, "APIC", len, 5);
	vml_put32(t + HDR_LEN, (uint32_t)LHV_VM_LAPIC_BASE);
	/* Flags 0: no PCAT_COMPAT, there are no 8259s to mask. */
	vml_put32(t + HDR_LEN + 4, 0);
	for (i = 0; i < n; i++, e += MADT_X2APIC_LEN) {
		e[0] = MADT_TYPE_X2APIC;
		e[1] = MADT_X2APIC_LEN;
		vml_put32(e + 4, ids[i]);
		vml_put32(e + 8, MADT_ENABLED);
		vml_put32(e + 12, i); /* ACPI processor UID */
	}
	seal(t);
	return len;
}

static uint32_t build_mcfg(uint8_t *t)
{
	uint32_t len = HDR_LEN + 8 + MCFG_ENTRY_LEN;
	uint8_t *e = t + HDR_LEN + 8;

	put_header(t, "MCFG", len, 1);
	vml_put64(e, LHV_VM_ECAM_BASE);
	vml_put16(e + 8, 0);	      /* segment */
	e[10] = 0;		      /* first bus */
	e[11] = LHV_VM_ECAM_BUS_LAST; /* last bus */
	seal(t);
	return len;
}

static uint32_t build_xsdt(uint8_t *t, const uint64_t *tables, unsigned int n)
{
	uint32_t len = HDR_LEN + 8 * n;
	unsigned int i;

	put_header(t, "XSDT", len, 1);
	for (i = 0; i < n; i++)
		vml_put64(t + HDR_LEN + 8 * i, tables[i]);
	seal(t);
	return len;
}

static void build_rsdp(uint8_t *t, uint64_t xsdt)
{
	memcpy(t, "RSD PTR ", 8);
	memcpy(t + 9, "LHV   ", 6);
	t[15] = 2; /* revision: ACPI 2.0+, XSDT only (no RSDT) */
	vml_put32(t + 20, RSDP_LEN);
	vml_put64(t + 24, xsdt);
	t[8] = vml_acpi_checksum(t, RSDP_V1_LEN);
	t[32] = vml_acpi_checksum(t, RSDP_LEN);
}

static int check_ids(const uint32_t *ids, unsigned int n, struct vml_err *err)
{
	unsigned int i, j;

	if (!n || n > VML_MAX_CPUS)
		return vml_fail(err, -EINVAL, "%u vCPUs: 1 to %u are possible",
				n, VML_MAX_CPUS);
	for (i = 0; i < n; i++) {
		if (ids[i] == UINT32_MAX)
			return vml_fail(err, -EINVAL,
					"APIC id 0xffffffff is not an APIC id");
		for (j = 0; j < i; j++)
			if (ids[j] == ids[i])
				return vml_fail(err, -EINVAL,
						"APIC id %u given twice",
						ids[i]);
	}
	return 0;
}

static void note(struct vml_acpi_table *o, const char *sig, uint64_t gpa,
		 uint32_t size)
{
	memcpy(o->sig, sig, 4);
	o->sig[4] = '\0';
	o->gpa = gpa;
	o->size = size;
}

/* 16-byte steps keep each table aligned; 64 leaves room for RSDP. */
#define ALIGN16(x) (((x) + 15) & ~(uint64_t)15)

int vml_acpi_build(uint8_t *buf, uint64_t base, uint64_t size,
		   const uint32_t *apic_ids, unsigned int nr_cpus,
		   struct vml_acpi_table out[VML_ACPI_NR], struct vml_err *err)
{
	/* Worst case: RSDP, XSDT, FADT, MADT for every CPU, MCFG, DSDT. */
	uint64_t need = 64 + 64 + FADT_LEN + 16 +
			(HDR_LEN + 8 + VML_MAX_CPUS * MADT_X2APIC_LEN) + 16 +
			64 + 16 + DSDT_MAX;
	uint64_t off, fadt, madt, mcfg, dsdt, xsdt, tables[3];
	uint32_t len;
	int ret;

	ret = check_ids(apic_ids, nr_cpus, err);
	if (ret)
		return ret;
	if (size < need || base > UINT32_MAX - size)
		return vml_fail(
			err, -ENOSPC,
			"ACPI area 0x%llx+0x%llx is too small or above 4 GiB",
			(unsigned long long)base, (unsigned long long)size);
	memset(buf, 0, need);

	xsdt = 64;
	off = xsdt + 64;
	dsdt = off;
	len = build_dsdt(buf + dsdt, DSDT_MAX);
	if (!len)
		return vml_fail(err, -ENOSPC, "DSDT: AML does not fit");
	note(&out[3], "DSDT", base + dsdt, len);
	off = ALIGN16(dsdt + len);

	fadt = off;
	len = build_fadt(buf + fadt, base + dsdt);
	note(&out[2], "FACP", base + fadt, len);
	off = ALIGN16(fadt + len);

	mcfg = off;
	len = build_mcfg(buf + mcfg);
	note(&out[5], "MCFG", base + mcfg, len);
	off = ALIGN16(mcfg + len);

	madt = off;
	len = build_madt(buf + madt, apic_ids, nr_cpus);
	note(&out[4], "APIC", base + madt, len);
	off = ALIGN16(madt + len);

	tables[0] = base + fadt;
	tables[1] = base + madt;
	tables[2] = base + mcfg;
	len = build_xsdt(buf + xsdt, tables, 3);
	note(&out[1], "XSDT", base + xsdt, len);

	build_rsdp(buf, base + xsdt);
	note(&out[0], "RSDP", base, RSDP_LEN);
	return (int)off;
}
