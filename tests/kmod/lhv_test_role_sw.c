// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lhv_test_role_sw.ko: a USB role switch on a software node, for
 * tests/scenarios/uvm-xhci-drd.sh. It stands in for a board's dual-role
 * mux (Intel's intel_xhci_usb_sw is registered the same way): lhv_xhci
 * finds it by the node's name and drives it from a guest's role writes.
 * Never shipped.
 *
 * Parameter node: the software node's name (default lhv-test-role-sw);
 * the switch appears as /sys/class/usb_role/lhv-test-role-switch, whose
 * role attribute shows the role it was last set to.
 *
 * debugfs lhv_test_role_sw/:
 *   roles   read: every role the switch was set to, oldest first, one
 *           word each ("host", "device", "none") on one line; write
 *           anything: forget them
 *   refuse  bool: set refuses every role with -EIO
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/seq_file.h>
#include <linux/usb/role.h>

#define ROLE_LOG_MAX 64

static char *node = "lhv-test-role-sw";
module_param(node, charp, 0400);
MODULE_PARM_DESC(node, "name of the software node the switch sits on");

static struct software_node role_node;
static struct platform_device *role_pdev;
static struct usb_role_switch *role_sw; /* set by probe */
static struct dentry *role_dir;
static bool role_refuse;

static DEFINE_MUTEX(role_log_lock);
static enum usb_role role_log[ROLE_LOG_MAX];
static unsigned int role_log_len;

static int role_sw_set(struct usb_role_switch *sw, enum usb_role role)
{
	if (READ_ONCE(role_refuse))
		return -EIO;
	mutex_lock(&role_log_lock);
	if (role_log_len < ROLE_LOG_MAX)
		role_log[role_log_len++] = role;
	mutex_unlock(&role_log_lock);
	return 0;
}

static int roles_show(struct seq_file *m, void *v)
{
	unsigned int i;

	mutex_lock(&role_log_lock);
	for (i = 0; i < role_log_len; i++)
		seq_printf(m, "%s%s", i ? " " : "",
			   usb_role_string(role_log[i]));
	mutex_unlock(&role_log_lock);
	seq_putc(m, '\n');
	return 0;
}

static int roles_open(struct inode *inode, struct file *f)
{
	return single_open(f, roles_show, inode->i_private);
}

static ssize_t roles_write(struct file *f, const char __user *buf, size_t len,
			   loff_t *pos)
{
	mutex_lock(&role_log_lock);
	role_log_len = 0;
	mutex_unlock(&role_log_lock);
	return len;
}

static const struct file_operations roles_fops = {
	.owner = THIS_MODULE,
	.open = roles_open,
	.read = seq_read,
	.write = roles_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/*
 * The switch hangs off a platform device whose driver is this module, as
 * a board's mux driver does: the role class holds the parent driver's
 * module while a user (lhv_xhci) holds the switch.
 */
static int role_sw_probe(struct platform_device *pdev)
{
	struct usb_role_switch_desc desc = {
		.fwnode = software_node_fwnode(&role_node),
		.set = role_sw_set,
		.name = "lhv-test",
		/* Shows the class's role attribute (hidden otherwise). */
		.allow_userspace_control = true,
	};

	role_sw = usb_role_switch_register(&pdev->dev, &desc);
	return PTR_ERR_OR_ZERO(role_sw);
}

static void role_sw_remove(struct platform_device *pdev)
{
	usb_role_switch_unregister(role_sw);
}

static struct platform_driver role_sw_driver = {
	.probe = role_sw_probe,
	.remove_new = role_sw_remove, /* void on 6.1 and 6.12 alike */
	.driver = { .name = "lhv_test_role_sw" },
};

static int __init role_sw_init(void)
{
	int err;

	role_node.name = node;
	err = software_node_register(&role_node);
	if (err)
		return err;
	err = platform_driver_register(&role_sw_driver);
	if (err)
		goto err_node;
	role_pdev = platform_device_register_simple("lhv_test_role_sw", -1,
						    NULL, 0);
	if (IS_ERR(role_pdev)) {
		err = PTR_ERR(role_pdev);
		goto err_driver;
	}
	if (IS_ERR_OR_NULL(role_sw)) {
		err = role_sw ? PTR_ERR(role_sw) : -ENODEV;
		goto err_pdev;
	}
	role_dir = debugfs_create_dir("lhv_test_role_sw", NULL);
	debugfs_create_file("roles", 0600, role_dir, NULL, &roles_fops);
	debugfs_create_bool("refuse", 0600, role_dir, &role_refuse);
	return 0;

err_pdev:
	platform_device_unregister(role_pdev);
err_driver:
	platform_driver_unregister(&role_sw_driver);
err_node:
	software_node_unregister(&role_node);
	return err;
}

static void __exit role_sw_exit(void)
{
	debugfs_remove_recursive(role_dir);
	platform_device_unregister(role_pdev);
	platform_driver_unregister(&role_sw_driver);
	software_node_unregister(&role_node);
}

module_init(role_sw_init);
module_exit(role_sw_exit);

MODULE_DESCRIPTION("lhv test: a USB role switch that records its roles");
MODULE_AUTHOR("The lhv authors");
MODULE_LICENSE("Dual BSD/GPL");
