// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhv-testusb: runs one test of Linux's usbtest driver on a device, as
 * the kernel tree's testusb does (Debian packages no testusb). usbtest
 * takes its requests through usbfs: USBDEVFS_IOCTL on the device node,
 * aimed at the interface usbtest is bound to, carrying a small parameter
 * block (test number, iterations, length, vary, sglen in; the time it
 * took out). The block is the layout with 64-bit times, which usbtest
 * accepts from 64-bit programs.
 *
 *   lhv-testusb -D /dev/bus/usb/BBB/DDD -t N [-i ifno] [-c count]
 *               [-s size] [-v vary] [-g sglen]
 *   lhv-testusb -D /dev/bus/usb/BBB/DDD -r TYPE:REQ:VALUE:INDEX:LENGTH
 *
 * -r sends one control request of its own on EP0 (USBDEVFS_CONTROL, an
 * IN request reads at most LENGTH bytes, an OUT one sends LENGTH zeroes)
 * instead of a usbtest test: requests usbtest has no test for, such as
 * an IN request with wLength 0.
 *
 * Prints one line with the outcome. Exit status: 0 the test passed,
 * 1 it failed (the errno usbtest returned is printed; the kernel log says
 * more), 2 usbtest does not apply it to this device (EOPNOTSUPP: the
 * device lacks the endpoints the test needs), 3 bad usage or no device.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/usbdevice_fs.h>

/* usbtest's request block, in the layout it takes from 64-bit callers. */
struct lhv_usbtest_req {
	uint32_t test_num;
	uint32_t iterations;
	uint32_t length;
	uint32_t vary;
	uint32_t sglen;
	int64_t duration_sec;  /* out */
	int64_t duration_usec; /* out */
};

#define LHV_USBTEST_REQUEST _IOWR('U', 100, struct lhv_usbtest_req)

enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_NOT_APPLICABLE = 2, EXIT_USAGE = 3 };

/* Longest data stage -r moves (usbfs takes at most a page). */
#define LHV_CONTROL_MAX 4096u

static void usage(void)
{
	fprintf(stderr,
		"usage: lhv-testusb -D /dev/bus/usb/BBB/DDD -t test [-i ifno]\n"
		"                   [-c count] [-s size] [-v vary] [-g "
		"sglen]\n"
		"       lhv-testusb -D /dev/bus/usb/BBB/DDD -r "
		"TYPE:REQ:VALUE:INDEX:LENGTH\n");
}

static int number(const char *arg, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || end == arg || *end || v > UINT32_MAX || arg[0] == '-')
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* TYPE:REQ:VALUE:INDEX:LENGTH, each a number that fits its field. */
static int control_spec(const char *spec, struct usbdevfs_ctrltransfer *c)
{
	static const uint32_t max[5] = { 0xff, 0xff, 0xffff, 0xffff,
					 LHV_CONTROL_MAX };
	uint32_t v[5];
	char field[16];
	const char *p = spec;
	size_t n;
	int i;

	for (i = 0; i < 5; i++) {
		n = strcspn(p, ":");
		if (n >= sizeof(field) || (i < 4) != (p[n] == ':'))
			return -1;
		memcpy(field, p, n);
		field[n] = 0;
		if (number(field, &v[i]) || v[i] > max[i])
			return -1;
		p += n + (i < 4);
	}
	c->bRequestType = (uint8_t)v[0];
	c->bRequest = (uint8_t)v[1];
	c->wValue = (uint16_t)v[2];
	c->wIndex = (uint16_t)v[3];
	c->wLength = (uint16_t)v[4];
	return 0;
}

/* -r: one control request; the outcome on one line. */
static int control_request(const char *dev, const char *spec)
{
	static uint8_t data[LHV_CONTROL_MAX];
	struct usbdevfs_ctrltransfer c;
	int fd, rc, err;

	memset(&c, 0, sizeof(c));
	if (control_spec(spec, &c)) {
		fprintf(stderr, "lhv-testusb: bad control request '%s'\n",
			spec);
		return EXIT_USAGE;
	}
	c.timeout = 5000; /* ms */
	c.data = data;
	fd = open(dev, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "lhv-testusb: %s: %s\n", dev, strerror(errno));
		return EXIT_USAGE;
	}
	rc = ioctl(fd, USBDEVFS_CONTROL, &c);
	err = errno;
	close(fd);
	if (rc >= 0) {
		printf("control %s: ok, %d bytes\n", spec, rc);
		return EXIT_PASS;
	}
	printf("control %s: failed, %s (errno %d)\n", spec, strerror(err), err);
	return EXIT_FAIL;
}

int main(int argc, char **argv)
{
	/* testusb's defaults, except a smaller count. */
	struct lhv_usbtest_req req = {
		.iterations = 100,
		.length = 1024,
		.vary = 1024,
		.sglen = 32,
	};
	struct usbdevfs_ioctl wrap;
	const char *dev = NULL, *control = NULL;
	uint32_t ifno = 0, test = UINT32_MAX, *field;
	int opt, fd, rc, err;

	while ((opt = getopt(argc, argv, "D:t:i:c:s:v:g:r:")) != -1) {
		switch (opt) {
		case 'D':
			dev = optarg;
			continue;
		case 'r':
			control = optarg;
			continue;
		case 't':
			field = &test;
			break;
		case 'i':
			field = &ifno;
			break;
		case 'c':
			field = &req.iterations;
			break;
		case 's':
			field = &req.length;
			break;
		case 'v':
			field = &req.vary;
			break;
		case 'g':
			field = &req.sglen;
			break;
		default:
			usage();
			return EXIT_USAGE;
		}
		if (number(optarg, field)) {
			fprintf(stderr,
				"lhv-testusb: bad number '%s' for -%c\n",
				optarg, opt);
			return EXIT_USAGE;
		}
	}
	if (dev && control && test == UINT32_MAX && optind == argc)
		return control_request(dev, control);
	if (!dev || test == UINT32_MAX || control || optind != argc) {
		usage();
		return EXIT_USAGE;
	}
	req.test_num = test;

	fd = open(dev, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "lhv-testusb: %s: %s\n", dev, strerror(errno));
		return EXIT_USAGE;
	}
	memset(&wrap, 0, sizeof(wrap));
	wrap.ifno = (int)ifno;
	wrap.ioctl_code = LHV_USBTEST_REQUEST;
	wrap.data = &req;
	rc = ioctl(fd, USBDEVFS_IOCTL, &wrap);
	err = errno;
	close(fd);

	if (rc >= 0) {
		printf("test %u: ok, %lld.%06lld s (count %u size %u vary %u "
		       "sglen %u)\n",
		       test, (long long)req.duration_sec,
		       (long long)req.duration_usec, req.iterations, req.length,
		       req.vary, req.sglen);
		return EXIT_PASS;
	}
	if (err == EOPNOTSUPP) {
		printf("test %u: not applicable to this device\n", test);
		return EXIT_NOT_APPLICABLE;
	}
	printf("test %u: failed, %s (errno %d)\n", test, strerror(err), err);
	return EXIT_FAIL;
}
