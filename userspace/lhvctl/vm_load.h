/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lhvctl vm load: what the command (vm_load.c) and its dry-run writer
 * (vm_dump.c) share.
 */
#ifndef LHVCTL_VM_LOAD_H
#define LHVCTL_VM_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "gmem.h"
#include "verify.h"
#include "vmload.h"

/* One object the UOS boots from: kernel, initrd or command line. */
struct vm_object {
	const char *what;     /* "kernel", "initrd", "cmdline" */
	const char *path;     /* its file, NULL for the command line */
	const char *sig_path; /* its signature file */
	uint8_t *data;
	size_t len;
	uint8_t hash[VML_SHA256_LEN];
	const char *status; /* "verified", "unsigned", "bad-signature",
			     * "unchecked" (no key, --insecure) */
};

/*
 * Write a dry run's image to the folder dir (made if missing): each placed
 * object as <name>.bin (sparse), the ACPI tables as <sig>.dat,
 * layout.json (objects, e820, ACPI tables, command line) and
 * boot-state.json. Errors are printed; returns 0 or -1.
 */
int vm_dump(const char *dir, const struct vml_mem *m,
	    const struct vml_result *r, const struct vm_object *objs,
	    unsigned int nobjs);

#endif /* LHVCTL_VM_LOAD_H */
