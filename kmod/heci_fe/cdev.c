// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * /dev/meiN: the character device of Linux's mei driver, rebuilt on the
 * virtio HECI link. One open file is one host client. The semantics are
 * mei's (drivers/misc/mei/main.c): IOCTL_MEI_CONNECT_CLIENT (ENOTTY for a
 * UUID the ME does not offer, EBUSY when connected already or refused),
 * IOCTL_MEI_CONNECT_CLIENT_VTAG (EOPNOTSUPP: the bus negotiates no vtags),
 * IOCTL_MEI_NOTIFY_SET/GET; one message per write (EFBIG past the
 * client's max_msg_length, 0 for an empty one, EAGAIN or a wait past
 * tx_queue_limit queued messages) and per read (a short buffer takes the
 * message's start, the next reads the rest); poll for POLLIN, POLLOUT,
 * POLLPRI (notification) and POLLERR (not connected); O_NONBLOCK.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compat.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/virtio_config.h>
#include <linux/mei.h>

#include "fe.h"

#define FE_MINORS 32

static unsigned int fe_first_index;
module_param_named(first_index, fe_first_index, uint, 0444);
MODULE_PARM_DESC(first_index,
		 "Number of the first /dev/meiN this driver creates "
		 "(default 0; above the real ME's on a host that has one)");

static dev_t fe_devt;
static struct class *fe_class;
static DEFINE_IDA(fe_ida);
/* The device of each minor, for open; fe_minor_lock held. */
static struct fe_dev *fe_by_minor[FE_MINORS];
static DEFINE_MUTEX(fe_minor_lock);

static int fe_open(struct inode *inode, struct file *file)
{
	unsigned int minor = iminor(inode);
	unsigned long flags;
	struct fe_dev *fe;
	struct fe_cl *cl;

	cl = kzalloc(sizeof(*cl), GFP_KERNEL);
	if (!cl)
		return -ENOMEM;
	mutex_lock(&fe_minor_lock);
	fe = minor < FE_MINORS ? fe_by_minor[minor] : NULL;
	if (fe)
		kref_get(&fe->ref);
	mutex_unlock(&fe_minor_lock);
	if (!fe) {
		kfree(cl);
		return -ENODEV;
	}
	cl->fe = fe;
	INIT_LIST_HEAD(&cl->rd);
	INIT_LIST_HEAD(&cl->tx);
	init_waitqueue_head(&cl->rx_wait);
	init_waitqueue_head(&cl->tx_wait);
	init_waitqueue_head(&cl->ev_wait);
	init_waitqueue_head(&cl->ctl_wait);
	spin_lock_irqsave(&fe->lock, flags);
	if (fe->dead || !fe->ready) {
		spin_unlock_irqrestore(&fe->lock, flags);
		kfree(cl);
		fe_put(fe);
		return -ENODEV;
	}
	list_add_tail(&cl->node, &fe->cls);
	spin_unlock_irqrestore(&fe->lock, flags);
	file->private_data = cl;
	return nonseekable_open(inode, file);
}

static int fe_close(struct inode *inode, struct file *file)
{
	struct fe_cl *cl = file->private_data;
	struct fe_dev *fe = cl->fe;
	unsigned long flags;

	mutex_lock(&fe->ctl);
	fe_cl_disconnect(cl);
	spin_lock_irqsave(&fe->lock, flags);
	if (cl->state != FE_CL_IDLE && cl->state != FE_CL_DISCONNECTED)
		cl->state = FE_CL_DISCONNECTED; /* timed out: forget it */
	if (cl->host_addr)
		clear_bit(cl->host_addr, fe->host_addrs);
	list_del(&cl->node);
	spin_unlock_irqrestore(&fe->lock, flags);
	mutex_unlock(&fe->ctl);
	/* A sender may still hold a message of ours: let it finish. */
	mutex_lock(&fe->tx_mutex);
	mutex_unlock(&fe->tx_mutex);
	list_splice_init(&cl->tx, &cl->rd);
	while (!list_empty(&cl->rd)) {
		struct fe_msg *m =
			list_first_entry(&cl->rd, struct fe_msg, node);

		list_del(&m->node);
		kfree(m);
	}
	kfree(cl->asm_buf);
	kfree(cl);
	fe_put(fe);
	return 0;
}

/* The first complete message, or NULL; lock held. */
static struct fe_msg *fe_rd_first(struct fe_cl *cl)
{
	return list_first_entry_or_null(&cl->rd, struct fe_msg, node);
}

static bool fe_cl_connected(struct fe_cl *cl)
{
	return READ_ONCE(cl->state) == FE_CL_CONNECTED;
}

static ssize_t fe_read(struct file *file, char __user *ubuf, size_t length,
		       loff_t *offset)
{
	struct fe_cl *cl = file->private_data;
	struct fe_dev *fe = cl->fe;
	unsigned long flags;
	struct fe_msg *m;
	u8 *copy = NULL;
	size_t n = 0;
	bool done;
	int err;

	if (!length)
		return 0;
	if (!ubuf)
		return -EMSGSIZE;
	for (;;) {
		spin_lock_irqsave(&fe->lock, flags);
		m = fe_rd_first(cl);
		if (m)
			break;
		spin_unlock_irqrestore(&fe->lock, flags);
		*offset = 0;
		err = fe_cl_read_start(cl);
		if (err && err != -EBUSY)
			return err;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(cl->rx_wait,
					     !list_empty(&cl->rd) ||
						     !fe_cl_connected(cl))) {
			if (signal_pending(current))
				return -EINTR;
			return -ERESTARTSYS;
		}
		spin_lock_irqsave(&fe->lock, flags);
		m = fe_rd_first(cl);
		if (m)
			break;
		spin_unlock_irqrestore(&fe->lock, flags);
		if (!fe_cl_connected(cl))
			return -ENODEV;
	}
	/*
	 * What ends the message takes it off the list at once, so nothing
	 * else (a connect, another reader) can free it under us; a part of
	 * it is copied while the lock holds it.
	 */
	n = *offset < m->len ? min_t(size_t, length, m->len - *offset) : 0;
	done = *offset + n >= m->len;
	if (done) {
		list_del(&m->node);
	} else {
		copy = kmalloc(n, GFP_ATOMIC);
		if (copy)
			memcpy(copy, m->data + *offset, n);
	}
	spin_unlock_irqrestore(&fe->lock, flags);
	if (!done && !copy)
		return -ENOMEM;
	err = n && copy_to_user(ubuf, done ? m->data + *offset : copy, n)
		      ? -EFAULT
		      : 0;
	if (done) {
		kfree(m);
		*offset = 0; /* as mei: also after a fault */
	} else {
		kfree(copy);
		if (!err)
			*offset += n;
	}
	return err ? err : n;
}

/* The tx_queue_limit parameter; 0 would block every write forever. */
static unsigned int fe_queue_limit(void)
{
	return max(READ_ONCE(fe_tx_queue_limit), 1u);
}

static ssize_t fe_write(struct file *file, const char __user *ubuf,
			size_t length, loff_t *offset)
{
	struct fe_cl *cl = file->private_data;
	struct fe_dev *fe = cl->fe;
	unsigned long flags;
	struct fe_msg *m;

	if (!fe_cl_connected(cl))
		return -ENODEV;
	if (length > cl->max_msg_len)
		return -EFBIG;
	if (!length)
		return 0;
	while (READ_ONCE(cl->tx_queued) >= fe_queue_limit()) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(cl->tx_wait,
					     READ_ONCE(cl->tx_queued) <
							     fe_queue_limit() ||
						     !fe_cl_connected(cl)))
			return signal_pending(current) ? -EINTR : -ERESTARTSYS;
		if (!fe_cl_connected(cl))
			return -ENODEV;
	}
	*offset = 0;
	m = kmalloc(struct_size(m, data, length), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->len = length;
	if (copy_from_user(m->data, ubuf, length)) {
		kfree(m);
		return -EFAULT;
	}
	spin_lock_irqsave(&fe->lock, flags);
	if (cl->state != FE_CL_CONNECTED) {
		spin_unlock_irqrestore(&fe->lock, flags);
		kfree(m);
		return -ENODEV;
	}
	list_add_tail(&m->node, &cl->tx);
	cl->tx_queued++;
	spin_unlock_irqrestore(&fe->lock, flags);
	schedule_work(&fe->tx_work);
	return length;
}

static int fe_notify_get(struct fe_cl *cl, bool block, u32 *ev)
{
	struct fe_dev *fe = cl->fe;
	unsigned long flags;

	if (fe->version.major < 2)
		return -EOPNOTSUPP;
	if (!fe_cl_connected(cl))
		return -ENODEV;
	if (!READ_ONCE(cl->notify_ev)) {
		if (!block)
			return -EAGAIN;
		if (wait_event_interruptible(cl->ev_wait,
					     READ_ONCE(cl->notify_ev) ||
						     !fe_cl_connected(cl)))
			return signal_pending(current) ? -EINTR : -ERESTARTSYS;
	}
	spin_lock_irqsave(&fe->lock, flags);
	*ev = cl->notify_ev;
	cl->notify_ev = false;
	spin_unlock_irqrestore(&fe->lock, flags);
	return 0;
}

static long fe_ioctl_connect(struct fe_cl *cl, void __user *arg, bool vtag)
{
	struct mei_connect_client_data data;
	u32 max = 0;
	u8 ver = 0;
	int err;

	/* The bus negotiates no vtags: mei answers EOPNOTSUPP first. */
	if (vtag)
		return -EOPNOTSUPP;
	if (copy_from_user(&data, arg, sizeof(data)))
		return -EFAULT;
	err = fe_cl_connect(cl, (const u8 *)&data.in_client_uuid, &max, &ver);
	if (err)
		return err;
	memset(&data, 0, sizeof(data));
	data.out_client_properties.max_msg_length = max;
	data.out_client_properties.protocol_version = ver;
	if (copy_to_user(arg, &data, sizeof(data)))
		return -EFAULT;
	return 0;
}

static long fe_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct fe_cl *cl = file->private_data;
	struct fe_dev *fe = cl->fe;
	void __user *uarg = (void __user *)arg;
	u32 v;
	long err;

	mutex_lock(&fe->ctl);
	if (fe->dead || !fe->ready) {
		err = -ENODEV;
		goto out;
	}
	switch (cmd) {
	case IOCTL_MEI_CONNECT_CLIENT:
		err = fe_ioctl_connect(cl, uarg, false);
		break;
#ifdef IOCTL_MEI_CONNECT_CLIENT_VTAG
	case IOCTL_MEI_CONNECT_CLIENT_VTAG:
		err = fe_ioctl_connect(cl, uarg, true);
		break;
#endif
	case IOCTL_MEI_NOTIFY_SET:
		if (copy_from_user(&v, uarg, sizeof(v))) {
			err = -EFAULT;
			break;
		}
		err = v > 1 ? -EINVAL : fe_cl_notify_set(cl, v);
		break;
	case IOCTL_MEI_NOTIFY_GET:
		/* Waiting for an event must not hold up other files. */
		mutex_unlock(&fe->ctl);
		err = fe_notify_get(cl, !(file->f_flags & O_NONBLOCK), &v);
		if (!err && copy_to_user(uarg, &v, sizeof(v)))
			err = -EFAULT;
		return err;
	default:
		err = -ENOIOCTLCMD;
	}
out:
	mutex_unlock(&fe->ctl);
	return err;
}

static __poll_t fe_poll(struct file *file, poll_table *wait)
{
	__poll_t req = poll_requested_events(wait);
	struct fe_cl *cl = file->private_data;
	__poll_t mask = 0;

	if (!fe_cl_connected(cl))
		return EPOLLERR;
	if (cl->notify_en && (req & EPOLLPRI)) {
		poll_wait(file, &cl->ev_wait, wait);
		if (READ_ONCE(cl->notify_ev))
			mask |= EPOLLPRI;
	}
	if (req & (EPOLLIN | EPOLLRDNORM)) {
		poll_wait(file, &cl->rx_wait, wait);
		if (!list_empty(&cl->rd))
			mask |= EPOLLIN | EPOLLRDNORM;
		else
			fe_cl_read_start(cl);
	}
	if (req & (EPOLLOUT | EPOLLWRNORM)) {
		poll_wait(file, &cl->tx_wait, wait);
		if (READ_ONCE(cl->tx_queued) < fe_queue_limit())
			mask |= EPOLLOUT | EPOLLWRNORM;
	}
	if (!fe_cl_connected(cl))
		mask = EPOLLERR;
	return mask;
}

/* Wait until this file's queued messages have been sent. */
static int fe_fsync(struct file *file, loff_t start, loff_t end, int datasync)
{
	struct fe_cl *cl = file->private_data;

	if (!fe_cl_connected(cl))
		return -ENODEV;
	if (wait_event_interruptible(cl->tx_wait, !READ_ONCE(cl->tx_queued) ||
							  !fe_cl_connected(cl)))
		return -EINTR;
	return fe_cl_connected(cl) ? 0 : -ENODEV;
}

static const struct file_operations fe_fops = {
	.owner = THIS_MODULE,
	.open = fe_open,
	.release = fe_close,
	.read = fe_read,
	.write = fe_write,
	.unlocked_ioctl = fe_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.poll = fe_poll,
	.fsync = fe_fsync,
};

static ssize_t fw_status_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	struct fe_dev *fe = dev_get_drvdata(d);
	ssize_t n = 0;
	unsigned int i;
	u32 v;

	for (i = 0; i < 6; i++) {
		virtio_cread_le(fe->vdev, struct lhv_virtio_heci_config,
				fw_status[i], &v);
		n += sysfs_emit_at(buf, n, "%08X\n", v);
	}
	return n;
}
static DEVICE_ATTR_RO(fw_status);

static ssize_t hbm_ver_show(struct device *d, struct device_attribute *attr,
			    char *buf)
{
	struct fe_dev *fe = dev_get_drvdata(d);

	return sysfs_emit(buf, "%u.%u\n", fe->version.major, fe->version.minor);
}
static DEVICE_ATTR_RO(hbm_ver);

/* Write 1: reset the link (host_reset / hw_ready) and start it again. */
static ssize_t reset_store(struct device *d, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct fe_dev *fe = dev_get_drvdata(d);
	bool v;
	int err;

	err = kstrtobool(buf, &v);
	if (err)
		return err;
	if (!v)
		return -EINVAL;
	mutex_lock(&fe->ctl);
	err = fe->dead ? -ENODEV : fe_link_reset(fe);
	mutex_unlock(&fe->ctl);
	return err ? err : count;
}
static DEVICE_ATTR_WO(reset);

static struct attribute *fe_attrs[] = {
	&dev_attr_fw_status.attr,
	&dev_attr_hbm_ver.attr,
	&dev_attr_reset.attr,
	NULL,
};
ATTRIBUTE_GROUPS(fe);

int fe_cdev_add(struct fe_dev *fe)
{
	int minor, err;
	dev_t devt;

	minor = ida_alloc_max(&fe_ida, FE_MINORS - 1, GFP_KERNEL);
	if (minor < 0)
		return minor;
	fe->index = minor + fe_first_index;
	devt = MKDEV(MAJOR(fe_devt), minor);
	/* Its own allocation: an open file may outlive fe's removal. */
	fe->cdev = cdev_alloc();
	if (!fe->cdev) {
		err = -ENOMEM;
		goto err_ida;
	}
	fe->cdev->ops = &fe_fops;
	fe->cdev->owner = THIS_MODULE;
	mutex_lock(&fe_minor_lock);
	fe_by_minor[minor] = fe;
	mutex_unlock(&fe_minor_lock);
	err = cdev_add(fe->cdev, devt, 1);
	if (err)
		goto err_minor;
	fe->cdevice =
		device_create_with_groups(fe_class, &fe->vdev->dev, devt, fe,
					  fe_groups, "mei%d", fe->index);
	if (IS_ERR(fe->cdevice)) {
		err = PTR_ERR(fe->cdevice);
		fe->cdevice = NULL;
		goto err_minor;
	}
	return 0;

err_minor:
	mutex_lock(&fe_minor_lock);
	fe_by_minor[minor] = NULL;
	mutex_unlock(&fe_minor_lock);
	cdev_del(fe->cdev);
	fe->cdev = NULL;
err_ida:
	ida_free(&fe_ida, minor);
	return err;
}

void fe_cdev_del(struct fe_dev *fe)
{
	dev_t devt;

	if (!fe->cdevice)
		return;
	devt = fe->cdev->dev;
	mutex_lock(&fe_minor_lock);
	fe_by_minor[MINOR(devt)] = NULL;
	mutex_unlock(&fe_minor_lock);
	device_destroy(fe_class, devt);
	cdev_del(fe->cdev);
	fe->cdev = NULL;
	ida_free(&fe_ida, MINOR(devt));
	fe->cdevice = NULL;
}

int fe_cdev_init(void)
{
	int err;

	err = alloc_chrdev_region(&fe_devt, 0, FE_MINORS, "lhv_heci_fe");
	if (err)
		return err;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	fe_class = class_create("lhv_mei");
#else
	fe_class = class_create(THIS_MODULE, "lhv_mei");
#endif
	if (IS_ERR(fe_class)) {
		unregister_chrdev_region(fe_devt, FE_MINORS);
		return PTR_ERR(fe_class);
	}
	return 0;
}

void fe_cdev_exit(void)
{
	class_destroy(fe_class);
	unregister_chrdev_region(fe_devt, FE_MINORS);
	ida_destroy(&fe_ida);
}
