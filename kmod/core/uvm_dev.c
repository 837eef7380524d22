// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * /dev/lhv-<vm> (uapi/lhv/vm_dev.h): the VM's RAM to mmap (offset =
 * guest-physical address) and its boot state to set. An open file holds
 * the RAM (kref), so a mapping outlives a destroyed VM safely: the pages
 * were scrubbed and stay allocated until the last unmap.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <lhv/vm_dev.h>

#include "compat.h"
#include "lhv.h"
#include "uvm.h"

static vm_fault_t lhv_uvm_fault(struct vm_fault *vmf)
{
	struct lhv_uvm_mem *mem = vmf->vma->vm_private_data;
	unsigned long pg = vmf->pgoff;
	struct page *page;

	if (pg >= mem->nr_chunks * LHV_UVM_CHUNK_PAGES)
		return VM_FAULT_SIGBUS;
	page = mem->chunks[pg / LHV_UVM_CHUNK_PAGES] + pg % LHV_UVM_CHUNK_PAGES;
	get_page(page);
	vmf->page = page;
	return 0;
}

static void lhv_uvm_vma_open(struct vm_area_struct *vma)
{
	struct lhv_uvm_mem *mem = vma->vm_private_data;

	kref_get(&mem->ref);
}

static void lhv_uvm_vma_close(struct vm_area_struct *vma)
{
	lhv_uvm_mem_put(vma->vm_private_data);
}

static const struct vm_operations_struct lhv_uvm_vm_ops = {
	.open = lhv_uvm_vma_open,
	.close = lhv_uvm_vma_close,
	.fault = lhv_uvm_fault,
};

static struct lhv_uvm *lhv_uvm_of(struct file *file)
{
	struct miscdevice *misc = file->private_data;

	return container_of(misc, struct lhv_uvm, misc);
}

static int lhv_uvm_open(struct inode *inode, struct file *file)
{
	struct lhv_uvm_mem *mem;

	mutex_lock(&lhv_vm_lock);
	mem = lhv_uvm_of(file)->mem;
	kref_get(&mem->ref);
	mutex_unlock(&lhv_vm_lock);
	file->private_data = mem;
	return 0;
}

static int lhv_uvm_release(struct inode *inode, struct file *file)
{
	lhv_uvm_mem_put(file->private_data);
	return 0;
}

static int lhv_uvm_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct lhv_uvm_mem *mem = file->private_data;
	unsigned long pages = vma_pages(vma);
	u64 ram_pages = mem->nr_chunks * LHV_UVM_CHUNK_PAGES;

	if (!(vma->vm_flags & VM_SHARED) || vma->vm_pgoff >= ram_pages ||
	    pages > ram_pages - vma->vm_pgoff)
		return -EINVAL;
	lhv_vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &lhv_uvm_vm_ops;
	vma->vm_private_data = mem;
	kref_get(&mem->ref);
	return 0;
}

/* The VM this file was opened for, if it still exists (lhv_vm_lock). */
static struct lhv_vm *lhv_uvm_file_vm(struct lhv_uvm_mem *mem)
{
	struct lhv_vm *vm = lhv_vm_at(mem->vm_id);

	return vm && vm->uvm && vm->uvm->mem == mem ? vm : NULL;
}

static long lhv_uvm_ioctl_set_boot(struct lhv_vm *vm, void __user *arg)
{
	struct lhv_vm_boot boot;

	if (copy_from_user(&boot, arg, sizeof(boot)))
		return -EFAULT;
	if (boot.pad)
		return -EINVAL;
	return lhv_uvm_set_boot(vm, boot.vcpu, &boot.state);
}

static long lhv_uvm_ioctl_set_measure(struct lhv_vm *vm, void __user *arg)
{
	struct lhv_hc_vm_measure req;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	return lhv_uvm_set_measure(vm, &req);
}

/*
 * Zeroes the RAM outside lhv_vm_lock: it takes a while for a large VM, and
 * the open file keeps the pages. Until it is done the VM counts as not
 * loaded (start refuses it) and no other opener may set a boot state.
 */
static long lhv_uvm_clear_ram(struct lhv_vm *vm, struct lhv_uvm_mem *mem)
{
	if (mem->clearing)
		return -EBUSY;
	mem->clearing = true;
	if (vm->state == LHV_VM_LOADED || vm->state == LHV_VM_STOPPED)
		vm->state = LHV_VM_CREATED;
	mutex_unlock(&lhv_vm_lock);
	lhv_uvm_mem_clear(mem);
	mutex_lock(&lhv_vm_lock);
	mem->clearing = false;
	return 0;
}

static long lhv_uvm_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct lhv_uvm_mem *mem = file->private_data;
	struct lhv_vm *vm;
	long ret;

	if (cmd != LHV_VM_IOC_SET_BOOT && cmd != LHV_VM_IOC_SET_MEASURE &&
	    cmd != LHV_VM_IOC_CLEAR_RAM)
		return -ENOTTY;
	mutex_lock(&lhv_vm_lock);
	vm = lhv_uvm_file_vm(mem);
	if (!vm)
		ret = -ENODEV;
	else if (vm->state == LHV_VM_RUNNING || mem->clearing)
		ret = -EBUSY;
	else if (cmd == LHV_VM_IOC_SET_BOOT)
		ret = lhv_uvm_ioctl_set_boot(vm, (void __user *)arg);
	else if (cmd == LHV_VM_IOC_SET_MEASURE)
		ret = lhv_uvm_ioctl_set_measure(vm, (void __user *)arg);
	else
		ret = lhv_uvm_clear_ram(vm, mem);
	mutex_unlock(&lhv_vm_lock);
	return ret;
}

static const struct file_operations lhv_uvm_fops = {
	.owner = THIS_MODULE,
	.open = lhv_uvm_open,
	.release = lhv_uvm_release,
	.mmap = lhv_uvm_mmap,
	.unlocked_ioctl = lhv_uvm_ioctl,
	.llseek = noop_llseek,
};

int lhv_uvm_dev_add(struct lhv_vm *vm)
{
	struct lhv_uvm *u = vm->uvm;

	snprintf(u->dev_name, sizeof(u->dev_name), "lhv-%s", vm->name);
	u->misc.minor = MISC_DYNAMIC_MINOR;
	u->misc.name = u->dev_name;
	u->misc.fops = &lhv_uvm_fops;
	u->misc.mode = 0600;
	return misc_register(&u->misc);
}

void lhv_uvm_dev_del(struct lhv_vm *vm)
{
	misc_deregister(&vm->uvm->misc);
}
