// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The virtual PCI segment of a user VM (vpci.h, docs/vpci.md): the host
 * bridge and up to 31 functions on ECAM bus 0, BAR placement in the
 * VM's MMIO32 window, dispatch of the accesses the hv posts, and the
 * doorbell ranges the hv completes by itself. Config space semantics are
 * the portable core's (kmod/lib/vpci_cfg.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <lhv/ioreq.h>
#include <lhv/vm_layout.h>

#include "lhv.h"
#include "vpci.h"

/*
 * The host bridge's identity: the generic PCIe host bridge ID pair Linux
 * binds no driver and applies no quirk to; class 0600 is what matters.
 */
#define LHV_VPCI_HB_VENDOR 0x1b36
#define LHV_VPCI_HB_DEVICE 0x0008

struct lhv_vpci {
	struct lhv_vm *vm;
	struct mutex lock; /* slot[], every fn's cfg, BAR accesses */
	struct lhv_vpci_fn *slot[LHV_VPCI_SLOTS];
	struct lhv_vpci_fn host_bridge;
	spinlock_t bell_lock; /* bell_owner[] */
	struct lhv_vpci_fn *bell_owner[LHV_DOORBELL_BITS];
};

static u64 lhv_vpci_ones(unsigned int size)
{
	return size < 8 ? (1ULL << (8 * size)) - 1 : ~0ULL;
}

/* The PCI_CFG access window of a virtio function reaches its BARs. */
static u32 lhv_vpci_window_read(void *opaque, unsigned int bar, u32 off,
				unsigned int len)
{
	struct lhv_vpci_fn *fn = opaque;

	return (u32)fn->ops->bar_read(fn, bar, off, len);
}

static void lhv_vpci_window_write(void *opaque, unsigned int bar, u32 off,
				  unsigned int len, u32 val)
{
	struct lhv_vpci_fn *fn = opaque;

	fn->ops->bar_write(fn, bar, off, len, val);
}

static const struct vpci_cfg_ops lhv_vpci_window_ops = {
	.bar_read = lhv_vpci_window_read,
	.bar_write = lhv_vpci_window_write,
};

int lhv_vpci_fn_init(struct lhv_vpci_fn *fn, const struct vpci_cfg_desc *d,
		     const struct lhv_vpci_fn_ops *ops)
{
	fn->ops = ops;
	fn->bell_first = -1;
	fn->bell_on = false;
	return vpci_cfg_init(&fn->cfg, d, &lhv_vpci_window_ops, fn);
}
EXPORT_SYMBOL_GPL(lhv_vpci_fn_init);

/* Where the doorbell range is while memory decode is on; false if off. */
static bool lhv_vpci_bell_gpa(const struct lhv_vpci_fn *fn, u64 *gpa)
{
	u64 addr, size;

	if (fn->bell_first < 0 ||
	    !(vpci_cfg_command(&fn->cfg) & VPCI_CMD_MEMORY) ||
	    !vpci_cfg_bar(&fn->cfg, fn->bell_bar, &addr, &size))
		return false;
	*gpa = addr + fn->bell_off;
	/* A BAR moved to wrap the address space decodes nothing sane. */
	return *gpa >= addr && addr;
}

static void lhv_vpci_bell_off(struct lhv_vpci *bus, struct lhv_vpci_fn *fn)
{
	if (!fn->bell_on)
		return;
	lhv_uvm_doorbell(bus->vm, false, fn->bell_gpa,
			 fn->bell_count * fn->bell_stride, fn->bell_stride,
			 fn->bell_first);
	fn->bell_on = false;
}

/*
 * Keeps the hv's doorbell range where the guest put the BAR. If the hv
 * refuses it, notify writes still arrive as ioreqs (the slow way).
 */
static void lhv_vpci_bell_update(struct lhv_vpci *bus, struct lhv_vpci_fn *fn)
{
	bool on;
	u64 gpa = 0;
	int err;

	on = lhv_vpci_bell_gpa(fn, &gpa);
	if (fn->bell_on && on && gpa == fn->bell_gpa)
		return;
	lhv_vpci_bell_off(bus, fn);
	if (!on)
		return;
	err = lhv_uvm_doorbell(bus->vm, true, gpa,
			       fn->bell_count * fn->bell_stride,
			       fn->bell_stride, fn->bell_first);
	if (err) {
		if (err != -ENODEV)
			pr_warn_ratelimited("vm %s: slot %u: doorbell at %#llx "
					    "refused (%d), notify by ioreq\n",
					    bus->vm->name, fn->slot, gpa, err);
		return;
	}
	fn->bell_on = true;
	fn->bell_gpa = gpa;
}

/* Reserves bell_count consecutive doorbell bits for fn, if free. */
static void lhv_vpci_bell_alloc(struct lhv_vpci *bus, struct lhv_vpci_fn *fn)
{
	unsigned int first, i, j, run = 0;

	fn->bell_first = -1;
	if (!fn->bell_count || fn->bell_count > LHV_DOORBELL_BITS ||
	    !fn->bell_stride)
		return;
	spin_lock_irq(&bus->bell_lock);
	for (i = 0; i < LHV_DOORBELL_BITS; i++) {
		run = bus->bell_owner[i] ? 0 : run + 1;
		if (run < fn->bell_count)
			continue;
		first = i + 1 - fn->bell_count;
		for (j = first; j <= i; j++)
			bus->bell_owner[j] = fn;
		fn->bell_first = first;
		break;
	}
	spin_unlock_irq(&bus->bell_lock);
}

static void lhv_vpci_bell_free(struct lhv_vpci *bus, struct lhv_vpci_fn *fn)
{
	unsigned int i;

	if (fn->bell_first < 0)
		return;
	spin_lock_irq(&bus->bell_lock);
	for (i = fn->bell_first; i < fn->bell_first + fn->bell_count; i++)
		bus->bell_owner[i] = NULL;
	spin_unlock_irq(&bus->bell_lock);
	fn->bell_first = -1;
}

/* Places slot's BARs in its window, largest first (all naturally aligned). */
static int lhv_vpci_place_bars(struct lhv_vpci_fn *fn, unsigned int slot)
{
	u64 base = LHV_VM_MMIO32_BASE + slot * LHV_VPCI_SLOT_WINDOW;
	u64 cursor = base, addr, size, best_size;
	bool placed[VPCI_NR_BARS] = { false };
	unsigned int i, best;
	int err;

	for (;;) {
		best = VPCI_NR_BARS;
		best_size = 0;
		for (i = 0; i < VPCI_NR_BARS; i++) {
			if (!placed[i] &&
			    vpci_cfg_bar(&fn->cfg, i, &addr, &size) &&
			    size > best_size) {
				best = i;
				best_size = size;
			}
		}
		if (best == VPCI_NR_BARS)
			return 0;
		if (best_size > base + LHV_VPCI_SLOT_WINDOW - cursor)
			return -ENOSPC;
		err = vpci_cfg_set_bar(&fn->cfg, best, cursor);
		if (err)
			return err;
		placed[best] = true;
		cursor += best_size;
	}
}

int lhv_vpci_add(struct lhv_vm *vm, struct lhv_vpci_fn *fn)
{
	struct lhv_vpci *bus = vm->vpci;
	unsigned int slot;
	int err;

	if (!bus)
		return -ENODEV;
	mutex_lock(&bus->lock);
	for (slot = 1; slot < LHV_VPCI_SLOTS; slot++)
		if (!bus->slot[slot])
			break;
	err = -ENOSPC;
	if (slot == LHV_VPCI_SLOTS)
		goto out;
	err = lhv_vpci_place_bars(fn, slot);
	if (err)
		goto out;
	/* A platform reset returns here: BARs placed, decode off. */
	vpci_cfg_save_reset(&fn->cfg);
	fn->slot = slot;
	fn->bell_on = false;
	lhv_vpci_bell_alloc(bus, fn);
	bus->slot[slot] = fn;
out:
	mutex_unlock(&bus->lock);
	return err;
}

void lhv_vpci_remove(struct lhv_vm *vm, struct lhv_vpci_fn *fn)
{
	struct lhv_vpci *bus = vm->vpci;

	if (!bus)
		return;
	mutex_lock(&bus->lock);
	if (fn->slot < LHV_VPCI_SLOTS && bus->slot[fn->slot] == fn) {
		bus->slot[fn->slot] = NULL;
		lhv_vpci_bell_off(bus, fn);
		lhv_vpci_bell_free(bus, fn);
	}
	mutex_unlock(&bus->lock);
}

/* After a config write: follow BAR moves, decode and MSI-X control. */
static void lhv_vpci_cfg_written(struct lhv_vpci *bus, struct lhv_vpci_fn *fn,
				 unsigned int events)
{
	bool enabled, masked;

	if (events & (VPCI_CFG_EV_COMMAND | VPCI_CFG_EV_BAR))
		lhv_vpci_bell_update(bus, fn);
	if ((events & VPCI_CFG_EV_MSIX) && fn->ops && fn->ops->msix_control) {
		vpci_cfg_msix_control(&fn->cfg, &enabled, &masked);
		fn->ops->msix_control(fn, enabled, masked);
	}
}

/* ECAM: bus 0, function 0 of each slot; false if nothing is there. */
static bool lhv_vpci_ecam(struct lhv_vpci *bus, u64 gpa, bool write, u32 size,
			  u64 *data)
{
	u64 off = gpa - LHV_VM_ECAM_BASE;
	u32 reg = off & (VPCI_CFG_SIZE - 1);
	struct lhv_vpci_fn *fn;

	/* Bus, device, function: 8, 5 and 3 bits above the 4 KiB. */
	if (off >> 20 || (off >> 12) & 7)
		return false;
	fn = bus->slot[(off >> 15) & 31];
	/* An access across two functions' spaces reaches neither. */
	if (!fn || size > VPCI_CFG_SIZE - reg)
		return false;
	if (!write) {
		*data = vpci_cfg_read(&fn->cfg, reg, size);
		return true;
	}
	lhv_vpci_cfg_written(bus, fn,
			     vpci_cfg_write(&fn->cfg, reg, size, *data));
	return true;
}

/* A BAR with memory decode on that holds the whole access. */
static bool lhv_vpci_bar(struct lhv_vpci *bus, u64 gpa, bool write, u32 size,
			 u64 *data)
{
	unsigned int s, i;
	u64 addr, len;

	for (s = 1; s < LHV_VPCI_SLOTS; s++) {
		struct lhv_vpci_fn *fn = bus->slot[s];

		if (!fn || !(vpci_cfg_command(&fn->cfg) & VPCI_CMD_MEMORY))
			continue;
		for (i = 0; i < VPCI_NR_BARS; i++) {
			if (!vpci_cfg_bar(&fn->cfg, i, &addr, &len) ||
			    gpa < addr || gpa - addr >= len ||
			    size > len - (gpa - addr))
				continue;
			if (write)
				fn->ops->bar_write(fn, i, gpa - addr, size,
						   *data);
			else
				*data = fn->ops->bar_read(fn, i, gpa - addr,
							  size);
			return true;
		}
	}
	return false;
}

int lhv_vpci_mmio(struct lhv_vm *vm, u64 gpa, bool write, u32 size, u64 *data)
{
	struct lhv_vpci *bus = vm->vpci;
	bool claimed = false;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		size = 8; /* the hv posts no other size; answer all ones */
	else if (bus) {
		if (write)
			*data &= lhv_vpci_ones(size);
		mutex_lock(&bus->lock);
		if (gpa >= LHV_VM_ECAM_BASE &&
		    gpa - LHV_VM_ECAM_BASE < LHV_VM_ECAM_SIZE)
			claimed = lhv_vpci_ecam(bus, gpa, write, size, data);
		else
			claimed = lhv_vpci_bar(bus, gpa, write, size, data);
		mutex_unlock(&bus->lock);
	}
	if (!write)
		*data = claimed ? *data & lhv_vpci_ones(size)
				: lhv_vpci_ones(size);
	return bus ? 0 : -ENODEV;
}

void lhv_vpci_doorbell(struct lhv_vm *vm, unsigned int bit)
{
	struct lhv_vpci *bus = READ_ONCE(vm->vpci);
	struct lhv_vpci_fn *fn;
	unsigned long flags;

	if (!bus || bit >= LHV_DOORBELL_BITS)
		return;
	spin_lock_irqsave(&bus->bell_lock, flags);
	fn = bus->bell_owner[bit];
	if (fn)
		fn->ops->doorbell(fn, bit - fn->bell_first);
	spin_unlock_irqrestore(&bus->bell_lock, flags);
}

void lhv_vpci_reset(struct lhv_vm *vm)
{
	struct lhv_vpci *bus = vm->vpci;
	unsigned int s;

	if (!bus)
		return;
	mutex_lock(&bus->lock);
	for (s = 0; s < LHV_VPCI_SLOTS; s++) {
		struct lhv_vpci_fn *fn = bus->slot[s];

		if (!fn)
			continue;
		vpci_cfg_reset(&fn->cfg);
		lhv_vpci_bell_update(bus, fn);
		if (fn->ops && fn->ops->reset)
			fn->ops->reset(fn);
	}
	mutex_unlock(&bus->lock);
}

static int lhv_vpci_add_host_bridge(struct lhv_vpci *bus)
{
	static const struct vpci_cfg_desc hb = {
		.vendor = LHV_VPCI_HB_VENDOR,
		.device = LHV_VPCI_HB_DEVICE,
		.class_code = 0x060000, /* host bridge */
	};
	int err;

	/* No BARs, no capabilities, so no ops are ever called. */
	err = lhv_vpci_fn_init(&bus->host_bridge, &hb, NULL);
	if (err)
		return err;
	bus->host_bridge.slot = 0;
	bus->slot[0] = &bus->host_bridge;
	return 0;
}

int lhv_vpci_init(struct lhv_vm *vm)
{
	struct lhv_vpci *bus;
	int err;

	if (!vm->uvm || vm->vpci)
		return -EINVAL;
	bus = kzalloc(sizeof(*bus), GFP_KERNEL);
	if (!bus)
		return -ENOMEM;
	bus->vm = vm;
	mutex_init(&bus->lock);
	spin_lock_init(&bus->bell_lock);
	err = lhv_vpci_add_host_bridge(bus);
	if (!err)
		err = lhv_uvm_mem_map_get(vm);
	if (err) {
		kfree(bus);
		return err;
	}
	vm->vpci = bus;
	vm->transport = &lhv_virtio_pci_transport;
	return 0;
}

void lhv_vpci_fini(struct lhv_vm *vm)
{
	struct lhv_vpci *bus = vm->vpci;
	unsigned int s;

	if (!bus)
		return;
	for (s = 1; s < LHV_VPCI_SLOTS; s++)
		WARN_ON(bus->slot[s]);
	vm->transport = NULL;
	WRITE_ONCE(vm->vpci, NULL);
	lhv_uvm_mem_map_put(vm);
	mutex_destroy(&bus->lock);
	kfree(bus);
}
