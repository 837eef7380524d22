// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The virtio-pci transport (VIRTIO 1.2 4.1, modern only) of user VM
 * devices: each lhv_vdev of a user VM becomes a function on the VM's
 * virtual PCI bus (vpci.c), which the guest's stock virtio_pci drives.
 *
 *   BAR 1 (32-bit memory): MSI-X table at 0, PBA on the next page
 *   BAR 4 (64-bit memory, 16 KiB): common config 0x0000, ISR 0x1000,
 *         device config 0x2000, notify 0x3000 (4 bytes per queue)
 *
 * Common config goes to the portable register model (virtio_pci_common.c),
 * whose callbacks drive the device core; notify writes (doorbells, or
 * ioreqs if the hv has none) kick queues; used-buffer and config
 * notifications fire the queue's or the config MSI-X vector. docs/vpci.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "lhv.h"
#include "lhv_vdev.h"
#include "virtio_pci_common.h"
#include "vpci.h"
#include "vpci_msix.h"

#define LHV_VPV_MSIX_BAR 1
#define LHV_VPV_BAR 4
#define LHV_VPV_BAR_SIZE 0x4000
#define LHV_VPV_REGION_SHIFT 12 /* one page per structure */
#define LHV_VPV_COMMON 0
#define LHV_VPV_ISR 1
#define LHV_VPV_DEVICE 2
#define LHV_VPV_NOTIFY 3
#define LHV_VPV_NOTIFY_MULT 4
#define LHV_VPV_REGION_SIZE (1U << LHV_VPV_REGION_SHIFT)

/* VIRTIO 1.2 4.1.4.5: ISR status bits. */
#define LHV_VPV_ISR_QUEUE 0x1
#define LHV_VPV_ISR_CONFIG 0x2

/* PCI identity of a modern virtio device (VIRTIO 1.2 4.1.2). */
#define LHV_VPV_VENDOR 0x1af4
#define LHV_VPV_DEVICE_BASE 0x1040
#define LHV_VPV_SUBSYS_ID 0x1100

struct lhv_vpv {
	struct lhv_vpci_fn fn;
	struct lhv_vdev *vdev;
	struct vpc common;
	struct vpc_queue *queues;
	struct lhv_vpci_irq irq;
	struct vpci_msix_entry *table;
	u64 *pba;
	u32 pba_off; /* in the MSI-X BAR */
	atomic_t isr;
	atomic_t generation;
};

static struct lhv_vpv *to_vpv(struct lhv_vpci_fn *fn)
{
	return container_of(fn, struct lhv_vpv, fn);
}

/* ---- the device core behind the common config (vpc callbacks) ---- */

static u8 lhv_vpv_get_status(void *opaque)
{
	struct lhv_vpv *vpv = opaque;

	return lhv_vdev_get_status(vpv->vdev);
}

static void lhv_vpv_set_status(void *opaque, u8 status)
{
	struct lhv_vpv *vpv = opaque;

	lhv_vdev_set_status(vpv->vdev, status);
	if (!status)
		atomic_set(&vpv->isr, 0);
}

static void lhv_vpv_set_driver_features(void *opaque, u64 features)
{
	struct lhv_vpv *vpv = opaque;

	lhv_vdev_set_driver_features(vpv->vdev, features);
}

/* What a PCI driver's queue registers say, as the core keeps them. */
static void lhv_vpv_enable_queue(void *opaque, u16 q, const struct vpc_queue *r)
{
	struct lhv_vpv *vpv = opaque;
	struct lhv_vdev *vdev = vpv->vdev;
	struct lhv_vq *vq = &vdev->vqs[q];

	mutex_lock(&vdev->lock);
	vq->size = r->size;
	vq->desc = r->desc;
	vq->avail = r->driver;
	vq->used = r->device;
	vq->ready = true;
	mutex_unlock(&vdev->lock);
}

static u8 lhv_vpv_config_generation(void *opaque)
{
	struct lhv_vpv *vpv = opaque;

	return (u8)atomic_read(&vpv->generation);
}

static const struct vpc_ops lhv_vpv_common_ops = {
	.get_status = lhv_vpv_get_status,
	.set_status = lhv_vpv_set_status,
	.set_driver_features = lhv_vpv_set_driver_features,
	.enable_queue = lhv_vpv_enable_queue,
	.config_generation = lhv_vpv_config_generation,
};

/* ---- BAR accesses (bus mutex held) ---- */

static void lhv_vpv_kick(struct lhv_vpv *vpv, unsigned int q)
{
	struct lhv_vq *vq;

	if (q >= vpv->vdev->nr_queues)
		return;
	vq = &vpv->vdev->vqs[q];
	atomic64_inc(&vq->stats.notifications);
	lhv_vq_kick(vq);
}

/*
 * An access inside one structure of BAR 4, naturally aligned; others read
 * all ones and write nothing.
 */
static bool lhv_vpv_region(u32 off, unsigned int size, unsigned int *region,
			   u32 *roff)
{
	if (off % size || off >= LHV_VPV_BAR_SIZE)
		return false;
	*region = off >> LHV_VPV_REGION_SHIFT;
	*roff = off & (LHV_VPV_REGION_SIZE - 1);
	return size <= LHV_VPV_REGION_SIZE - *roff;
}

static u64 lhv_vpv_bar_read(struct lhv_vpci_fn *fn, unsigned int bar, u32 off,
			    unsigned int size)
{
	struct lhv_vpv *vpv = to_vpv(fn);
	unsigned int region;
	__le64 le = 0;
	u32 roff;

	if (bar == LHV_VPV_MSIX_BAR)
		return lhv_vpci_irq_bar_read(&vpv->irq, off, size);
	if (bar != LHV_VPV_BAR || !lhv_vpv_region(off, size, &region, &roff))
		return ~0ULL;
	switch (region) {
	case LHV_VPV_COMMON:
		return vpc_read(&vpv->common, roff, size);
	case LHV_VPV_ISR:
		/* Reading clears it (4.1.4.5). */
		return roff ? 0 : (u8)atomic_xchg(&vpv->isr, 0);
	case LHV_VPV_DEVICE:
		lhv_vdev_read_config(vpv->vdev, roff, &le, size);
		return le64_to_cpu(le);
	default:
		return 0; /* notify reads nothing */
	}
}

static void lhv_vpv_bar_write(struct lhv_vpci_fn *fn, unsigned int bar, u32 off,
			      unsigned int size, u64 val)
{
	struct lhv_vpv *vpv = to_vpv(fn);
	__le64 le = cpu_to_le64(val);
	unsigned int region;
	u32 roff;

	if (bar == LHV_VPV_MSIX_BAR) {
		lhv_vpci_irq_bar_write(&vpv->irq, off, size, val);
		return;
	}
	if (bar != LHV_VPV_BAR || !lhv_vpv_region(off, size, &region, &roff))
		return;
	switch (region) {
	case LHV_VPV_COMMON:
		vpc_write(&vpv->common, roff, size, val);
		break;
	case LHV_VPV_DEVICE:
		lhv_vdev_write_config(vpv->vdev, roff, &le, size);
		break;
	case LHV_VPV_NOTIFY:
		/* The address names the queue (no NOTIFICATION_DATA). */
		lhv_vpv_kick(vpv, roff / LHV_VPV_NOTIFY_MULT);
		break;
	default:
		break; /* the ISR is read-only */
	}
}

static void lhv_vpv_msix_control(struct lhv_vpci_fn *fn, bool enabled,
				 bool masked)
{
	lhv_vpci_irq_control(&to_vpv(fn)->irq, enabled, masked);
}

/* Hard-IRQ context: lhv_vq_kick only queues the queue's work. */
static void lhv_vpv_doorbell(struct lhv_vpci_fn *fn, unsigned int index)
{
	lhv_vpv_kick(to_vpv(fn), index);
}

static void lhv_vpv_reset(struct lhv_vpci_fn *fn)
{
	struct lhv_vpv *vpv = to_vpv(fn);

	lhv_vdev_set_status(vpv->vdev, 0);
	vpc_reset(&vpv->common);
	atomic_set(&vpv->isr, 0);
	lhv_vpci_irq_reset(&vpv->irq);
}

static const struct lhv_vpci_fn_ops lhv_vpv_fn_ops = {
	.bar_read = lhv_vpv_bar_read,
	.bar_write = lhv_vpv_bar_write,
	.msix_control = lhv_vpv_msix_control,
	.doorbell = lhv_vpv_doorbell,
	.reset = lhv_vpv_reset,
};

/* ---- the transport ---- */

static u32 lhv_vpv_class(u32 device_id)
{
	switch (device_id) {
	case 1: /* net */
		return 0x020000;
	case 2: /* block: mass storage, other */
		return 0x018000;
	case 25: /* sound: multimedia audio */
		return 0x040100;
	default:
		return 0xff0000;
	}
}

/* The capabilities Linux's virtio_pci_modern looks for, and MSI-X. */
static int lhv_vpv_add_caps(struct lhv_vpv *vpv, unsigned int nr_vectors)
{
	struct vpci_cfg *c = &vpv->fn.cfg;
	struct lhv_vdev *vdev = vpv->vdev;
	u32 page = LHV_VPV_REGION_SIZE;
	int err = 0;

	if (vpci_cfg_add_virtio_cap(c, VPCI_VIRTIO_CAP_COMMON, LHV_VPV_BAR,
				    LHV_VPV_COMMON * page, VPC_LEN, 0) < 0 ||
	    vpci_cfg_add_virtio_cap(c, VPCI_VIRTIO_CAP_NOTIFY, LHV_VPV_BAR,
				    LHV_VPV_NOTIFY * page,
				    vdev->nr_queues * LHV_VPV_NOTIFY_MULT,
				    LHV_VPV_NOTIFY_MULT) < 0 ||
	    vpci_cfg_add_virtio_cap(c, VPCI_VIRTIO_CAP_ISR, LHV_VPV_BAR,
				    LHV_VPV_ISR * page, 1, 0) < 0)
		err = -ENOSPC;
	if (!err && vdev->config_size &&
	    vpci_cfg_add_virtio_cap(c, VPCI_VIRTIO_CAP_DEVICE, LHV_VPV_BAR,
				    LHV_VPV_DEVICE * page, vdev->config_size,
				    0) < 0)
		err = -ENOSPC;
	if (!err && (vpci_cfg_add_virtio_cap(c, VPCI_VIRTIO_CAP_PCI_CFG, 0, 0,
					     0, 0) < 0 ||
		     vpci_cfg_add_msix_cap(c, nr_vectors, LHV_VPV_MSIX_BAR, 0,
					   LHV_VPV_MSIX_BAR, vpv->pba_off) < 0))
		err = -ENOSPC;
	return err;
}

static int lhv_vpv_init_fn(struct lhv_vpv *vpv, unsigned int nr_vectors)
{
	struct lhv_vdev *vdev = vpv->vdev;
	u32 msix_bytes =
		vpv->pba_off + PAGE_ALIGN(vpci_msix_pba_bytes(nr_vectors));
	struct vpci_cfg_desc d = {
		.vendor = LHV_VPV_VENDOR,
		.device = LHV_VPV_DEVICE_BASE + vdev->device_id,
		.subsys_vendor = LHV_VPV_VENDOR,
		.subsys_id = LHV_VPV_SUBSYS_ID,
		.class_code = lhv_vpv_class(vdev->device_id),
		.revision = 1, /* modern only */
		.bar = {
			[LHV_VPV_MSIX_BAR] = { VPCI_BAR_MEM32,
					       roundup_pow_of_two(msix_bytes) },
			[LHV_VPV_BAR] = { VPCI_BAR_MEM64, LHV_VPV_BAR_SIZE },
		},
	};
	int err;

	err = lhv_vpci_fn_init(&vpv->fn, &d, &lhv_vpv_fn_ops);
	if (err)
		return err;
	err = lhv_vpv_add_caps(vpv, nr_vectors);
	if (err)
		return err;
	vpv->fn.bell_bar = LHV_VPV_BAR;
	vpv->fn.bell_off = LHV_VPV_NOTIFY * LHV_VPV_REGION_SIZE;
	vpv->fn.bell_stride = LHV_VPV_NOTIFY_MULT;
	vpv->fn.bell_count = vdev->nr_queues;
	return 0;
}

static void lhv_vpv_free(struct lhv_vpv *vpv)
{
	kfree(vpv->queues);
	kfree(vpv->table);
	kfree(vpv->pba);
	kfree(vpv);
}

static struct lhv_vpv *lhv_vpv_alloc(struct lhv_vdev *vdev,
				     unsigned int nr_vectors)
{
	struct lhv_vpv *vpv = kzalloc(sizeof(*vpv), GFP_KERNEL);

	if (!vpv)
		return NULL;
	vpv->vdev = vdev;
	vpv->queues =
		kcalloc(vdev->nr_queues, sizeof(*vpv->queues), GFP_KERNEL);
	vpv->table = kcalloc(nr_vectors, sizeof(*vpv->table), GFP_KERNEL);
	vpv->pba = kcalloc(vpci_msix_pba_words(nr_vectors), sizeof(*vpv->pba),
			   GFP_KERNEL);
	if (!vpv->queues || !vpv->table || !vpv->pba) {
		lhv_vpv_free(vpv);
		return NULL;
	}
	return vpv;
}

/* A user VM's devices are fixed while it runs: no PCI hotplug. */
static bool lhv_vpv_vm_running(const struct lhv_vm *vm)
{
	return vm->state == LHV_VM_RUNNING || vm->state == LHV_VM_CRASHED;
}

static int lhv_vpv_attach(struct lhv_vdev *vdev)
{
	/* One vector per queue plus the config vector, as Linux asks. */
	unsigned int nr_vectors = vdev->nr_queues + 1;
	struct lhv_vpv *vpv;
	int err;

	if (lhv_vpv_vm_running(vdev->vm))
		return -EBUSY;
	if (vdev->config_size > LHV_VPV_REGION_SIZE ||
	    vdev->nr_queues * LHV_VPV_NOTIFY_MULT > LHV_VPV_REGION_SIZE ||
	    nr_vectors > VPCI_MSIX_MAX_VECTORS)
		return -EINVAL;
	vpv = lhv_vpv_alloc(vdev, nr_vectors);
	if (!vpv)
		return -ENOMEM;
	vpv->pba_off = PAGE_ALIGN(vpci_msix_table_bytes(nr_vectors));
	err = lhv_vpv_init_fn(vpv, nr_vectors);
	if (!err)
		err = vpc_init(&vpv->common, &lhv_vpv_common_ops, vpv,
			       lhv_vdev_offered_features(vdev), vdev->nr_queues,
			       vdev->queue_max_size, nr_vectors, vpv->queues);
	if (!err)
		err = lhv_vpci_irq_init(&vpv->irq, vdev->vm, vdev->name,
					nr_vectors, vpv->table, vpv->pba,
					vpv->pba_off);
	if (err) {
		lhv_vpv_free(vpv);
		return err;
	}
	vdev->transport_priv = vpv;
	err = lhv_vpci_add(vdev->vm, &vpv->fn);
	if (err) {
		vdev->transport_priv = NULL;
		lhv_vpv_free(vpv);
	}
	return err;
}

static void lhv_vpv_detach(struct lhv_vdev *vdev)
{
	struct lhv_vpv *vpv = vdev->transport_priv;

	/* Off the bus first, so no guest access restarts the device. */
	lhv_vpci_remove(vdev->vm, &vpv->fn);
	/* The backend stops: no completion, so no interrupt, after this. */
	lhv_vdev_set_status(vdev, 0);
	WRITE_ONCE(vdev->transport_priv, NULL);
	lhv_vpv_free(vpv);
}

static void lhv_vpv_interrupt(struct lhv_vq *vq)
{
	struct lhv_vpv *vpv = READ_ONCE(vq->vdev->transport_priv);

	if (!vpv)
		return;
	atomic_or(LHV_VPV_ISR_QUEUE, &vpv->isr);
	lhv_vpci_irq_fire(&vpv->irq,
			  READ_ONCE(vpv->queues[vq->index].msix_vector));
}

static void lhv_vpv_config_changed(struct lhv_vdev *vdev)
{
	struct lhv_vpv *vpv = READ_ONCE(vdev->transport_priv);

	if (!vpv)
		return;
	/* The driver re-reads config until the generation holds still. */
	atomic_inc(&vpv->generation);
	atomic_or(LHV_VPV_ISR_CONFIG, &vpv->isr);
	lhv_vpci_irq_fire(&vpv->irq, READ_ONCE(vpv->common.config_msix_vector));
}

const struct lhv_transport lhv_virtio_pci_transport = {
	.name = "virtio-pci",
	.attach = lhv_vpv_attach,
	.detach = lhv_vpv_detach,
	.interrupt = lhv_vpv_interrupt,
	.config_changed = lhv_vpv_config_changed,
};
