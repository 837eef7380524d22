// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The hv's upcalls (docs/ioreq.md): an interrupt vector of this kernel on
 * CPU 0 and one page of its RAM that the hv registers with
 * LHV_HC_SET_UPCALL. The vector comes from the x86 vector domain like any
 * device interrupt, so it is Linux's own and appears in /proc/interrupts
 * as "lhv-upcall"; the hv sends it as a fixed IPI after setting the VM's
 * bit in the page. The handler takes the bits with one exchange each and
 * passes them on: state changes to a work item (they need lhv_vm_lock),
 * I/O to the ioreq dispatcher.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/smp.h>
#include <linux/workqueue.h>
#include <asm/hw_irq.h>
#include <asm/irqdomain.h>
#include <lhv/ioreq.h>

#include "lhv.h"
#include "uvm.h"

/* The SOS CPU that takes upcalls; it never goes to a user VM. */
#define LHV_UPCALL_CPU 0

static struct {
	bool ready; /* the hv has the vector: user VMs may be created */
	int irq;
	struct lhv_upcall_page *page;
	struct lhv_hc_upcall *req;   /* kept: turning upcalls off needs it */
	unsigned long state_pending; /* VM id bits for the work */
	struct work_struct state_work;
} upcall;

static void lhv_upcall_state_work(struct work_struct *work)
{
	unsigned long bits = xchg(&upcall.state_pending, 0);
	unsigned int id;

	for_each_set_bit(id, &bits, BITS_PER_LONG) lhv_uvm_state_changed(id);
}

static irqreturn_t lhv_upcall_handler(int irq, void *data)
{
	u64 state = xchg(&upcall.page->vm_state, 0);
	u64 io = xchg(&upcall.page->vm_io, 0);

	if (io)
		lhv_uvm_io_upcall(io);
	if (state) {
		/* Bits of earlier upcalls the work has not taken stay set. */
		atomic_long_or(state, (atomic_long_t *)&upcall.state_pending);
		schedule_work(&upcall.state_work);
	}
	return IRQ_HANDLED;
}

/* A vector of the vector domain on LHV_UPCALL_CPU, with an edge flow. */
static int lhv_upcall_alloc_irq(void)
{
	struct irq_alloc_info info;
	int irq;

	memset(&info, 0, sizeof(info));
	info.mask = cpumask_of(LHV_UPCALL_CPU);
	irq = __irq_domain_alloc_irqs(x86_vector_domain, -1, 1, NUMA_NO_NODE,
				      &info, false, NULL);
	if (irq < 0)
		return irq;
	irq_set_handler(irq, handle_edge_irq);
	/*
	 * info.mask places the vector at allocation, but activation
	 * (request_irq) picks again from the affinity mask, by default all
	 * CPUs; an affinity set before activation is kept for it.
	 */
	irq_set_affinity(irq, cpumask_of(LHV_UPCALL_CPU));
	return irq;
}

static void lhv_upcall_free(void)
{
	free_page((unsigned long)upcall.page);
	upcall.page = NULL;
	kfree(upcall.req);
	upcall.req = NULL;
}

int lhv_upcall_start(void)
{
	struct irq_cfg *cfg;
	unsigned int cpu;
	int irq, err;

	INIT_WORK(&upcall.state_work, lhv_upcall_state_work);
	upcall.page = (void *)get_zeroed_page(GFP_KERNEL);
	upcall.req = kzalloc(sizeof(*upcall.req), GFP_KERNEL);
	if (!upcall.page || !upcall.req) {
		lhv_upcall_free();
		return -ENOMEM;
	}
	irq = lhv_upcall_alloc_irq();
	if (irq < 0) {
		lhv_upcall_free();
		return irq;
	}
	/* Not moved by irqbalance: the hv holds the vector and the CPU. */
	err = request_irq(irq, lhv_upcall_handler, IRQF_NOBALANCING,
			  "lhv-upcall", NULL);
	if (err) {
		irq_dispose_mapping(irq);
		lhv_upcall_free();
		return err;
	}
	upcall.irq = irq;
	cpu = cpumask_first(
		irq_data_get_effective_affinity_mask(irq_get_irq_data(irq)));
	if (cpu != LHV_UPCALL_CPU) {
		pr_err("the upcall vector landed on CPU %u, not on CPU %d\n",
		       cpu, LHV_UPCALL_CPU);
		lhv_upcall_stop();
		return -EIO;
	}
	cfg = irqd_cfg(irq_get_irq_data(irq));
	upcall.req->vector = cfg->vector;
	/*
	 * The hv sends a physical-mode IPI. cfg->dest_apicid is what the
	 * kernel's APIC driver writes into interrupt sources; in x2APIC
	 * cluster mode (6.1's default) that is a logical id, 1 for CPU 0,
	 * and the upcalls went to CPU 1.
	 */
	upcall.req->apic_id = cpu_physical_id(cpu);
	upcall.req->page = virt_to_phys(upcall.page);
	err = lhv_hv_call(LHV_HC_SET_UPCALL, virt_to_phys(upcall.req), 0);
	if (err) {
		lhv_upcall_stop();
		return err;
	}
	WRITE_ONCE(upcall.ready, true);
	pr_info("upcalls on vector 0x%x of apic %u (irq %d)\n",
		upcall.req->vector, upcall.req->apic_id, irq);
	return 0;
}

/*
 * A user VM waits for the SOS at its first device access: without upcalls
 * nothing would ever answer, so creates wait for this.
 */
bool lhv_upcall_ready(void)
{
	return READ_ONCE(upcall.ready);
}

void lhv_upcall_stop(void)
{
	WRITE_ONCE(upcall.ready, false);
	if (!upcall.irq)
		return;
	/* Off in the hv first: no IPI may come to a freed vector. */
	upcall.req->vector = 0;
	if (lhv_hv_state() == LHV_HV_RUNNING)
		lhv_hv_call(LHV_HC_SET_UPCALL, virt_to_phys(upcall.req), 0);
	free_irq(upcall.irq, NULL);
	irq_dispose_mapping(upcall.irq);
	upcall.irq = 0;
	cancel_work_sync(&upcall.state_work);
	lhv_upcall_free();
}
