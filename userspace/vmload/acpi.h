/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The UOS's ACPI tables, hardware-reduced: RSDP (revision 2) -> XSDT ->
 * FADT (HW_REDUCED_ACPI) -> DSDT, MADT (one local x2APIC entry per vCPU)
 * and MCFG (the ECAM of PCI segment 0). All of them live in one area,
 * RSDP first; docs/uos-boot.md says why each field has its value.
 */
#ifndef VMLOAD_ACPI_H
#define VMLOAD_ACPI_H

#include <stdint.h>

#include "err.h"

/* RSDP, XSDT, FACP, DSDT, APIC, MCFG. */
#define VML_ACPI_NR 6
/* Most vCPUs a UOS may have; the MADT holds one entry each. */
#define VML_MAX_CPUS 64

struct vml_acpi_table {
	char sig[5];   /* "RSDP" for the RSDP, else the table's signature */
	uint64_t gpa;  /* where it lies in the area */
	uint32_t size; /* its length field (20+16 bytes for the RSDP) */
};

/*
 * Build the tables into buf, which is the guest's [base, base + size).
 * apic_ids[0..nr_cpus) are the vCPUs' APIC ids, the boot CPU first.
 * Fills out[VML_ACPI_NR] and returns the bytes used, or a negative errno.
 */
int vml_acpi_build(uint8_t *buf, uint64_t base, uint64_t size,
		   const uint32_t *apic_ids, unsigned int nr_cpus,
		   struct vml_acpi_table out[VML_ACPI_NR], struct vml_err *err);

/* The byte that makes len bytes at p sum to 0 mod 256 (with it as 0). */
uint8_t vml_acpi_checksum(const uint8_t *p, uint64_t len);

#endif /* VMLOAD_ACPI_H */
