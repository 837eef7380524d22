// SPDX-License-Identifier: BSD-3-Clause
/*
 * mei-client-test: drives a /dev/meiN with nothing but <linux/mei.h> and
 * libc, as MEI userspace does, against the clients of lhv's ME simulator
 * (docs/heci.md). Each command checks one behaviour, prints what it found
 * and exits 0 only if every check held:
 *
 *   connect <dev> <uuid>   connect; print "ok <max_msg_length> <version>"
 *                          or the errno name (ENOTTY, EBUSY, ...)
 *   connect-many <dev> <uuid> <n>
 *                          n files connect to the client, all kept open;
 *                          print "ok" or the errno name of each
 *   echo <dev> [tag]       the echo client: every size from 1 to the
 *                          maximum, short reads, EFBIG, empty writes, a
 *                          burst past the ME's credits, non-blocking
 *                          reads, poll, notifications, a second connect
 *                          (EBUSY), the vtag ioctl, disconnect and
 *                          reconnect; tag (0-255) marks the payloads so
 *                          two runs at once can tell their traffic apart
 *   fwver <dev>            the fixed-reply client's answers
 *   slow <dev> <n>         n non-blocking writes to the slow client: some
 *                          must meet EAGAIN (the queue limit), then every
 *                          accepted one comes back in order
 *   reset <dev> <sysfs>    echo, a link reset through <sysfs> mid-
 *                          conversation (reads and writes fail ENODEV),
 *                          then a new connection works
 *   traffic <dev> <secs>   echo in a loop; exits 0 when the device goes
 *                          away (ENODEV) or the time is up, 1 on a wrong
 *                          answer
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/mei.h>

#define BUF_MAX 8192

/* The simulator's clients (docs/heci.md). */
static const char *const uuid_echo = "d2e5c6a4-0001-4c68-8076-6c6876000001";
static const char *const uuid_fwver = "d2e5c6a4-0002-4c68-8076-6c6876000002";
static const char *const uuid_slow = "d2e5c6a4-0004-4c68-8076-6c6876000004";

static int failures;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("FAIL: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

static const char *errname(int e)
{
	switch (e) {
	case ENOTTY:
		return "ENOTTY";
	case EBUSY:
		return "EBUSY";
	case ENODEV:
		return "ENODEV";
	case EINVAL:
		return "EINVAL";
	case EOPNOTSUPP:
		return "EOPNOTSUPP";
	case EAGAIN:
		return "EAGAIN";
	case EFBIG:
		return "EFBIG";
	case ETIMEDOUT:
		return "ETIMEDOUT";
	default:
		return strerror(e);
	}
}

/* Text UUID to the byte order of uuid_le (first three fields reversed). */
static int parse_uuid(const char *s, uuid_le *u)
{
	static const int order[16] = { 3, 2, 1,	 0,  5,	 4,  7,	 6,
				       8, 9, 10, 11, 12, 13, 14, 15 };
	unsigned int i, v;
	uint8_t raw[16];

	if (strlen(s) != 36)
		return -1;
	for (i = 0; i < 16; i++) {
		while (*s == '-')
			s++;
		if (sscanf(s, "%2x", &v) != 1)
			return -1;
		raw[i] = (uint8_t)v;
		s += 2;
	}
	for (i = 0; i < 16; i++)
		u->b[i] = raw[order[i]];
	return 0;
}

/* Open dev and connect to uuid; -errno on failure. */
static int connect_to(const char *dev, const char *uuid, int flags,
		      struct mei_client *props)
{
	struct mei_connect_client_data d;
	int fd, e;

	memset(&d, 0, sizeof(d));
	if (parse_uuid(uuid, &d.in_client_uuid))
		return -EINVAL;
	fd = open(dev, O_RDWR | flags);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, IOCTL_MEI_CONNECT_CLIENT, &d)) {
		e = errno;
		close(fd);
		return -e;
	}
	if (props)
		*props = d.out_client_properties;
	return fd;
}

static void fill(uint8_t *b, size_t n, unsigned int tag, unsigned int seq)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(tag ^ (seq * 31 + i * 7));
	if (n)
		b[0] = (uint8_t)tag;
}

/* Write n bytes, read the answer back and compare. */
static bool roundtrip(int fd, size_t n, unsigned int tag, unsigned int seq)
{
	static uint8_t out[BUF_MAX], in[BUF_MAX];
	ssize_t r;

	fill(out, n, tag, seq);
	r = write(fd, out, n);
	if (r != (ssize_t)n) {
		fail("write of %zu bytes: %zd (%s)", n, r, errname(errno));
		return false;
	}
	r = read(fd, in, sizeof(in));
	if (r != (ssize_t)n || memcmp(in, out, n)) {
		fail("echo of %zu bytes: read %zd (%s)%s", n, r,
		     r < 0 ? errname(errno) : "ok",
		     r == (ssize_t)n ? ", other bytes" : "");
		return false;
	}
	return true;
}

static int cmd_connect(const char *dev, const char *uuid)
{
	struct mei_client p;
	int fd = connect_to(dev, uuid, 0, &p);

	if (fd < 0) {
		printf("%s\n", errname(-fd));
		return 0;
	}
	printf("ok %u %u\n", p.max_msg_length, p.protocol_version);
	close(fd);
	return 0;
}

static int cmd_connect_many(const char *dev, const char *uuid, int n)
{
	int fds[16], i, fd;

	for (i = 0; i < n && i < 16; i++) {
		fd = connect_to(dev, uuid, 0, NULL);
		fds[i] = fd;
		printf("%s%s", i ? " " : "", fd >= 0 ? "ok" : errname(-fd));
	}
	putchar('\n');
	while (i-- > 0)
		if (fds[i] >= 0)
			close(fds[i]);
	return 0;
}

static void echo_short_reads(int fd, unsigned int tag)
{
	uint8_t out[10], in[16];
	ssize_t a, b;

	fill(out, sizeof(out), tag, 99);
	if (write(fd, out, sizeof(out)) != sizeof(out))
		fail("short-read write: %s", errname(errno));
	a = read(fd, in, 3);
	b = read(fd, in + 3, sizeof(in) - 3);
	if (a != 3 || b != 7 || memcmp(in, out, sizeof(out)))
		fail("a 10-byte message read as 3 + rest gave %zd + %zd", a, b);
}

static void echo_burst(int fd, unsigned int tag, unsigned int count)
{
	static uint8_t out[BUF_MAX], in[BUF_MAX];
	unsigned int i;
	ssize_t r;

	for (i = 0; i < count; i++) {
		fill(out, 100 + i, tag, 1000 + i);
		if (write(fd, out, 100 + i) != (ssize_t)(100 + i)) {
			fail("burst write %u: %s", i, errname(errno));
			return;
		}
	}
	for (i = 0; i < count; i++) {
		fill(out, 100 + i, tag, 1000 + i);
		r = read(fd, in, sizeof(in));
		if (r != (ssize_t)(100 + i) || memcmp(in, out, 100 + i)) {
			fail("burst read %u: %zd", i, r);
			return;
		}
	}
}

static void echo_misc(int fd, const char *dev, uint32_t max, unsigned int tag)
{
	static uint8_t buf[BUF_MAX];
	struct mei_connect_client_data d;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint32_t v;
	int fl;

	if (write(fd, buf, max + 1) >= 0 || errno != EFBIG)
		fail("write of max_msg_length + 1 bytes: not EFBIG");
	if (write(fd, buf, 0) != 0)
		fail("an empty write did not return 0");

	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	if (read(fd, buf, sizeof(buf)) >= 0 || errno != EAGAIN)
		fail("non-blocking read with nothing there: not EAGAIN");
	fcntl(fd, F_SETFL, fl);

	memset(&d, 0, sizeof(d));
	parse_uuid(uuid_echo, &d.in_client_uuid);
	if (!ioctl(fd, IOCTL_MEI_CONNECT_CLIENT, &d) || errno != EBUSY)
		fail("a second connect on a connected file: not EBUSY");
#ifdef IOCTL_MEI_CONNECT_CLIENT_VTAG
	{
		struct mei_connect_client_data_vtag dv;
		int vfd = open(dev, O_RDWR);

		memset(&dv, 0, sizeof(dv));
		parse_uuid(uuid_echo, &dv.connect.in_client_uuid);
		dv.connect.vtag = 1;
		if (vfd < 0 ||
		    !ioctl(vfd, IOCTL_MEI_CONNECT_CLIENT_VTAG, &dv) ||
		    errno != EOPNOTSUPP)
			fail("IOCTL_MEI_CONNECT_CLIENT_VTAG: not EOPNOTSUPP");
		if (vfd >= 0)
			close(vfd);
	}
#else
	(void)dev;
#endif

	/* Notifications: the echo client signals one after each answer. */
	v = 2;
	if (!ioctl(fd, IOCTL_MEI_NOTIFY_SET, &v) || errno != EINVAL)
		fail("NOTIFY_SET 2: not EINVAL");
	v = 1;
	if (ioctl(fd, IOCTL_MEI_NOTIFY_SET, &v))
		fail("NOTIFY_SET 1: %s", errname(errno));
	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	if (!ioctl(fd, IOCTL_MEI_NOTIFY_GET, &v) || errno != EAGAIN)
		fail("NOTIFY_GET before any event, non-blocking: not EAGAIN");
	fcntl(fd, F_SETFL, fl);
	fill(buf, 5, tag, 7);
	if (write(fd, buf, 5) != 5)
		fail("write before poll: %s", errname(errno));
	if (poll(&pfd, 1, 5000) != 1 || !(pfd.revents & POLLIN))
		fail("poll did not report the answer (revents %#x)",
		     pfd.revents);
	if (read(fd, buf, sizeof(buf)) != 5)
		fail("read after poll");
	v = 0;
	if (ioctl(fd, IOCTL_MEI_NOTIFY_GET, &v) || v != 1)
		fail("NOTIFY_GET after an answer: %u (%s)", v, errname(errno));
	v = 0;
	if (ioctl(fd, IOCTL_MEI_NOTIFY_SET, &v))
		fail("NOTIFY_SET 0: %s", errname(errno));
}

static int cmd_echo(const char *dev, unsigned int tag)
{
	struct mei_client p;
	unsigned int i;
	size_t n;
	int fd;

	fd = connect_to(dev, uuid_echo, 0, &p);
	if (fd < 0) {
		fail("connect to echo: %s", errname(-fd));
		return 1;
	}
	if (p.max_msg_length < 16 || p.max_msg_length > BUF_MAX - 1) {
		fail("echo's max_msg_length %u", p.max_msg_length);
		return 1;
	}
	for (n = 1; n <= p.max_msg_length && !failures; n++)
		roundtrip(fd, n, tag, (unsigned int)n);
	printf("echo: %u sizes, 1 to %u bytes\n", p.max_msg_length,
	       p.max_msg_length);
	echo_short_reads(fd, tag);
	echo_burst(fd, tag, 40);
	echo_misc(fd, dev, p.max_msg_length, tag);
	close(fd);

	/* Disconnect (close) and connect again, three times. */
	for (i = 0; i < 3 && !failures; i++) {
		fd = connect_to(dev, uuid_echo, 0, NULL);
		if (fd < 0) {
			fail("reconnect %u: %s", i, errname(-fd));
			break;
		}
		roundtrip(fd, 64 + i, tag, 5000 + i);
		close(fd);
	}
	return failures ? 1 : 0;
}

static int cmd_fwver(const char *dev)
{
	static const uint8_t get[4] = { 0x01, 0, 0, 0 };
	static const uint8_t want[12] = { 0x81, 0, 0,  0, 16,	0,
					  1,	0, 25, 0, 0xcf, 0x07 };
	static const uint8_t bad[4] = { 0x07, 0, 0, 0 };
	static const uint8_t want_bad[4] = { 0x87, 1, 0, 0 };
	uint8_t in[64];
	ssize_t r;
	int fd;

	fd = connect_to(dev, uuid_fwver, 0, NULL);
	if (fd < 0) {
		fail("connect to fwver: %s", errname(-fd));
		return 1;
	}
	if (write(fd, get, sizeof(get)) != sizeof(get))
		fail("GET_VERSION write");
	r = read(fd, in, sizeof(in));
	if (r != sizeof(want) || memcmp(in, want, sizeof(want)))
		fail("GET_VERSION answer (%zd bytes)", r);
	else
		printf("fwver: %u.%u.%u.%u\n", in[4] | in[5] << 8,
		       in[6] | in[7] << 8, in[8] | in[9] << 8,
		       in[10] | in[11] << 8);
	if (write(fd, bad, sizeof(bad)) != sizeof(bad))
		fail("bad request write");
	r = read(fd, in, sizeof(in));
	if (r != sizeof(want_bad) || memcmp(in, want_bad, sizeof(want_bad)))
		fail("bad request answer (%zd bytes)", r);
	close(fd);
	return failures ? 1 : 0;
}

static int cmd_slow(const char *dev, unsigned int n)
{
	static uint8_t out[256], in[256];
	unsigned int i, sent = 0, again = 0;
	ssize_t r;
	int fd;

	fd = connect_to(dev, uuid_slow, O_NONBLOCK, NULL);
	if (fd < 0) {
		fail("connect to slow: %s", errname(-fd));
		return 1;
	}
	for (i = 0; i < n; i++) {
		fill(out, 32, 0x5a, sent);
		r = write(fd, out, 32);
		if (r == 32)
			sent++;
		else if (errno == EAGAIN)
			again++;
		else
			fail("write %u: %s", i, errname(errno));
	}
	printf("slow: %u writes accepted, %u met EAGAIN\n", sent, again);
	if (!again)
		fail("no write met EAGAIN past the queue limit");
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	for (i = 0; i < sent; i++) {
		fill(out, 32, 0x5a, i);
		r = read(fd, in, sizeof(in));
		if (r != 32 || memcmp(in, out, 32)) {
			fail("answer %u: %zd bytes", i, r);
			break;
		}
	}
	close(fd);
	return failures ? 1 : 0;
}

static int cmd_reset(const char *dev, const char *sysfs)
{
	uint8_t buf[64];
	int fd, s;

	fd = connect_to(dev, uuid_echo, 0, NULL);
	if (fd < 0) {
		fail("connect: %s", errname(-fd));
		return 1;
	}
	roundtrip(fd, 20, 1, 1);
	/* A message in flight when the link resets is lost. */
	if (write(fd, buf, 8) != 8)
		fail("write before the reset");
	s = open(sysfs, O_WRONLY);
	if (s < 0 || write(s, "1", 1) != 1)
		fail("reset through %s: %s", sysfs, errname(errno));
	if (s >= 0)
		close(s);
	while (read(fd, buf, sizeof(buf)) > 0)
		; /* an answer that made it before the reset */
	if (errno != ENODEV)
		fail("read after the reset: %s, not ENODEV", errname(errno));
	if (write(fd, buf, 8) >= 0 || errno != ENODEV)
		fail("write after the reset: not ENODEV");
	close(fd);
	fd = connect_to(dev, uuid_echo, 0, NULL);
	if (fd < 0) {
		fail("connect after the reset: %s", errname(-fd));
		return 1;
	}
	roundtrip(fd, 300, 2, 2);
	roundtrip(fd, 1000, 2, 3);
	close(fd);
	return failures ? 1 : 0;
}

static int cmd_traffic(const char *dev, unsigned int secs)
{
	static uint8_t out[512], in[512];
	time_t end = time(NULL) + secs;
	unsigned long n = 0;
	ssize_t r;
	int fd;

	fd = connect_to(dev, uuid_echo, 0, NULL);
	if (fd < 0) {
		printf("traffic: connect %s\n", errname(-fd));
		return -fd == ENODEV || -fd == ENOENT ? 0 : 1;
	}
	while (time(NULL) < end) {
		fill(out, 1 + n % 500, 3, (unsigned int)n);
		r = write(fd, out, 1 + n % 500);
		if (r >= 0)
			r = read(fd, in, sizeof(in));
		if (r < 0) {
			printf("traffic: %lu messages, then %s\n", n,
			       errname(errno));
			close(fd);
			return errno == ENODEV ? 0 : 1;
		}
		if (r != (ssize_t)(1 + n % 500) || memcmp(in, out, r)) {
			printf("traffic: wrong answer after %lu\n", n);
			return 1;
		}
		n++;
	}
	printf("traffic: %lu messages, time up\n", n);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "connect"))
		return cmd_connect(argv[2], argv[3]);
	if (argc >= 5 && !strcmp(argv[1], "connect-many"))
		return cmd_connect_many(argv[2], argv[3], atoi(argv[4]));
	if (argc >= 3 && !strcmp(argv[1], "echo"))
		return cmd_echo(argv[2], argc > 3 ? atoi(argv[3]) & 0xff : 0);
	if (argc >= 3 && !strcmp(argv[1], "fwver"))
		return cmd_fwver(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "slow"))
		return cmd_slow(argv[2], (unsigned int)atoi(argv[3]));
	if (argc >= 4 && !strcmp(argv[1], "reset"))
		return cmd_reset(argv[2], argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "traffic"))
		return cmd_traffic(argv[2], (unsigned int)atoi(argv[3]));
	fprintf(stderr,
		"usage: mei-client-test connect|connect-many|echo|fwver|"
		"slow|reset|traffic <dev> ...\n");
	return 2;
}
