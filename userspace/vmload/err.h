/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Error text of the VM image builder: every refusal says what was wrong in
 * one line that lhvctl prints as is.
 */
#ifndef VMLOAD_ERR_H
#define VMLOAD_ERR_H

struct vml_err {
	char msg[256];
};

/* Set e->msg (if e is not NULL) and return code, a negative errno. */
__attribute__((format(printf, 3, 4))) int vml_fail(struct vml_err *e, int code,
						   const char *fmt, ...);

#endif /* VMLOAD_ERR_H */
