// SPDX-License-Identifier: BSD-3-Clause
/*
 * The Service OS's informational hypercalls: hardware info, log read and
 * exit statistics. They only read hv state and write it to a checked
 * guest buffer; none changes what the hv does.
 */
#include <lhv/hypercall.h>
#include <lhv/version.h>
#include <hv/boot_info.h>
#include <hv/errno.h>
#include <hv/guest_mem.h>
#include <hv/hypercall.h>
#include <hv/log.h>
#include <hv/memory.h>
#include <hv/percpu.h>
#include <hv/string.h>

static u32 cpus_running(void)
{
	u32 n = 0, i;

	for (i = 0; i < HV_MAX_CPUS; i++)
		if (__atomic_load_n(&hv_percpu[i].running, __ATOMIC_RELAXED))
			n++;
	return n;
}

s64 hc_get_hw_info(u64 gpa, u64 size)
{
	struct lhv_hc_hw_info info;
	int err;

	if (size < LHV_HC_HW_INFO_MIN)
		return -EINVAL;
	if (size > sizeof(info))
		size = sizeof(info);
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.abi_version = LHV_ABI_VERSION;
	memcpy(info.version, LHV_VERSION_STRING,
	       strnlen(LHV_VERSION_STRING, sizeof(info.version) - 1));
	info.vendor = arch_hw_vendor();
	info.features = arch_hw_features();
	info.max_cpus = HV_MAX_CPUS;
	info.cpus_running = cpus_running();
	info.mem_phys = hv_mem_start();
	info.mem_size = hv_image_header.mem_size;
	info.nr_ram = hv_boot_info.nr_ram;
	info.seed_present = hv_boot_info.seed_len != 0;
	err = guest_write(gpa, &info, size);
	return err ? err : (s64)size;
}

s64 hc_log_read(u64 gpa)
{
	struct lhv_hc_log_read req;
	u64 head, tail, from, n, pos, done = 0;
	int err;

	err = guest_read(&req, gpa, sizeof(req));
	if (err)
		return err;
	if (req.pad)
		return -EINVAL;
	if (req.len > LHV_HC_MAX_COPY)
		return -E2BIG;
	head = __atomic_load_n(&hv_log.ring.head, __ATOMIC_ACQUIRE);
	tail = __atomic_load_n(&hv_log.ring.tail, __ATOMIC_ACQUIRE);
	if (req.cursor > head)
		return -EINVAL;
	from = req.cursor < tail ? tail : req.cursor;
	n = head - from;
	if (n > req.len)
		n = req.len;
	err = guest_check(req.buf, n);
	if (err)
		return err;
	/* The text wraps in the ring: at most two contiguous pieces. */
	for (pos = from; done < n;) {
		u64 off = pos & (HV_LOG_SIZE - 1);
		u64 piece = HV_LOG_SIZE - off;

		if (piece > n - done)
			piece = n - done;
		err = guest_write(req.buf + done, &hv_log.data[off], piece);
		if (err)
			return err;
		done += piece;
		pos += piece;
	}
	/* A writer may have overwritten what we copied: report it lost. */
	tail = __atomic_load_n(&hv_log.ring.tail, __ATOMIC_ACQUIRE);
	req.lost = from - req.cursor;
	if (tail > from)
		req.lost += (tail - from < n ? tail - from : n);
	req.cursor = from + n;
	err = guest_write(gpa, &req, sizeof(req));
	return err ? err : (s64)n;
}

s64 hc_get_stats(u64 cpu_id, u64 gpa)
{
	struct lhv_hc_cpu_stats st;
	const struct per_cpu *cpu;
	unsigned int r;
	int err;

	if (cpu_id >= HV_MAX_CPUS)
		return -ENOENT;
	cpu = &hv_percpu[cpu_id];
	if (!__atomic_load_n(&cpu->running, __ATOMIC_RELAXED))
		return -ENOENT;
	memset(&st, 0, sizeof(st));
	st.cpu = (u32)cpu_id;
	st.nr_reasons = LHV_EXIT_REASON_COUNT;
	/* Another CPU's counters: each is one aligned 64-bit load. */
	for (r = 0; r < LHV_EXIT_REASON_COUNT; r++) {
		st.count[r] =
			__atomic_load_n(&cpu->exit_count[r], __ATOMIC_RELAXED);
		st.cycles[r] =
			__atomic_load_n(&cpu->exit_cycles[r], __ATOMIC_RELAXED);
		st.exits += st.count[r];
	}
	err = guest_write(gpa, &st, sizeof(st));
	return err ? err : 0;
}
