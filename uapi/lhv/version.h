/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * lhv release and ABI versions, shared by hv, the modules and lhvctl.
 *
 * LHV_VERSION_STRING names the release (dkms.conf PACKAGE_VERSION must equal
 * it; `make check` verifies). LHV_ABI_VERSION counts incompatible changes to
 * the hypercall or netlink ABI; additions that old clients can ignore (new
 * attributes, new commands) do not bump it.
 */
#ifndef _UAPI_LHV_VERSION_H
#define _UAPI_LHV_VERSION_H

#define LHV_VERSION_MAJOR 0
#define LHV_VERSION_MINOR 1
#define LHV_VERSION_PATCH 0
#define LHV_VERSION_STRING "0.1.0"

#define LHV_ABI_VERSION 1

#endif /* _UAPI_LHV_VERSION_H */
