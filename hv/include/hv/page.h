/* SPDX-License-Identifier: BSD-3-Clause */
/* Page size of the hv's memory layout. Usable from assembly. */
#ifndef _HV_PAGE_H
#define _HV_PAGE_H

#define PAGE_SHIFT 12
#define PAGE_SIZE (1 << PAGE_SHIFT)

#endif /* _HV_PAGE_H */
