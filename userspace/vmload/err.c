// SPDX-License-Identifier: BSD-3-Clause
/*
 * Error text of the VM image builder (see err.h).
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

int vml_fail(struct vml_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e) {
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}
