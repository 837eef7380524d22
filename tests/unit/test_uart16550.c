// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests of the user VMs' 16550 model (hv/lib/uart16550.c): what
 * Linux's 8250 driver probes (scratch, IER, FIFO bits, loopback modem
 * status), transmission into the console ring and reading it back, and
 * the receive FIFO the Service OS fills.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "uart16550.h"

static struct uart_console con;
static struct uart16550 uart;

static int setup(void **state)
{
	(void)state;
	memset(&con, 0, sizeof(con));
	uart_init(&uart, &con);
	return 0;
}

static uint8_t rd(unsigned int reg)
{
	uint8_t v = 0x5a;

	uart_access(&uart, reg, false, &v);
	return v;
}

static void wr(unsigned int reg, uint8_t v)
{
	uart_access(&uart, reg, true, &v);
}

static void test_probe_like_linux(void **state)
{
	(void)state;
	wr(7, 0xa5);
	assert_int_equal(rd(7), 0xa5);
	wr(1, 0);
	assert_int_equal(rd(1), 0);
	wr(1, 0x0f);
	assert_int_equal(rd(1), 0x0f);
	wr(1, 0xff); /* the upper IER bits do not exist */
	assert_int_equal(rd(1), 0x0f);
	wr(1, 0);
	assert_int_equal(rd(2), 0x01); /* no FIFO, no interrupt */
	wr(2, 0x07);
	assert_int_equal(rd(2) & 0xc0, 0xc0); /* 16550A: FIFO enabled */
	/* Loopback: RTS|OUT2 come back as CTS|DCD. */
	wr(4, 0x1a);
	assert_int_equal(rd(6) & 0xf0, 0x90);
	wr(4, 0x1f);
	assert_int_equal(rd(6) & 0xf0, 0xf0);
	wr(4, 0x03);
	assert_int_equal(rd(6), 0xb0);
	assert_int_equal(rd(5), 0x60); /* transmitter always empty */
}

static void test_divisor_latch(void **state)
{
	(void)state;
	wr(3, 0x83);
	wr(0, 0x01);
	wr(1, 0x00);
	assert_int_equal(rd(0), 0x01);
	assert_int_equal(rd(1), 0x00);
	wr(3, 0x03);
	wr(0, 'A'); /* a data write again, not DLL */
	assert_int_equal(con.head, 1);
	assert_int_equal(con.data[0], 'A');
	wr(3, 0x83);
	assert_int_equal(rd(0), 0x01); /* DLL kept its value */
}

static void test_transmit_and_read(void **state)
{
	const char *msg = "lhv uos marker\n";
	char buf[64] = { 0 };
	uint64_t cursor = 0, lost = 1;
	size_t i, n;

	(void)state;
	for (i = 0; msg[i]; i++)
		wr(0, (uint8_t)msg[i]);
	n = uart_console_read(&con, &cursor, buf, sizeof(buf), &lost);
	assert_int_equal(n, strlen(msg));
	assert_memory_equal(buf, msg, n);
	assert_int_equal(cursor, n);
	assert_int_equal(lost, 0);
	n = uart_console_read(&con, &cursor, buf, sizeof(buf), &lost);
	assert_int_equal(n, 0);
	/* A cursor beyond the head reads nothing and moves to the head. */
	cursor = 1000;
	n = uart_console_read(&con, &cursor, buf, sizeof(buf), &lost);
	assert_int_equal(n, 0);
	assert_int_equal(cursor, strlen(msg));
	/* Loopback mode sends nothing out. */
	wr(4, 0x10);
	wr(0, 'x');
	assert_int_equal(con.head, strlen(msg));
}

static void test_ring_overwrite(void **state)
{
	char buf[UART_CONSOLE_SIZE];
	uint64_t cursor = 0, lost = 0, i;
	size_t n;

	(void)state;
	for (i = 0; i < UART_CONSOLE_SIZE + 100; i++)
		wr(0, (uint8_t)('a' + i % 26));
	n = uart_console_read(&con, &cursor, buf, sizeof(buf), &lost);
	assert_int_equal(lost, 100);
	assert_int_equal(n, UART_CONSOLE_SIZE);
	assert_int_equal(buf[0], 'a' + 100 % 26);
	assert_int_equal(cursor, UART_CONSOLE_SIZE + 100);
	/* A short buffer takes part and leaves the cursor after it. */
	cursor = UART_CONSOLE_SIZE + 90;
	n = uart_console_read(&con, &cursor, buf, 4, &lost);
	assert_int_equal(n, 4);
	assert_int_equal(cursor, UART_CONSOLE_SIZE + 94);
}

static void test_hostile_registers(void **state)
{
	unsigned int reg;
	uint8_t v;

	(void)state;
	/* Any register number is reduced to 0-7; read-only ones ignore writes. */
	for (reg = 0; reg < 64; reg++) {
		v = (uint8_t)reg;
		uart_access(&uart, reg, true, &v);
		uart_access(&uart, reg, false, &v);
	}
	wr(5, 0);
	assert_int_equal(rd(5), 0x60);
}

static void test_receive(void **state)
{
	uint8_t big[UART_RX_SIZE + 10];
	unsigned int i;

	(void)state;
	assert_int_equal(rd(5) & 0x01, 0); /* no data ready */
	assert_int_equal(uart_receive(&uart, (const uint8_t *)"ok\n", 3), 3);
	assert_int_equal(rd(5) & 0x01, 1);
	assert_int_equal(rd(0), 'o');
	assert_int_equal(rd(0), 'k');
	assert_int_equal(rd(0), '\n');
	assert_int_equal(rd(5) & 0x01, 0);
	assert_int_equal(rd(0), 0); /* empty: reads 0, stays empty */
	assert_int_equal(rd(5) & 0x01, 0);

	/* A full FIFO takes what fits; bytes keep their order. */
	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	assert_int_equal(uart_receive(&uart, big, sizeof(big)), UART_RX_SIZE);
	assert_int_equal(uart_receive(&uart, big, 1), 0);
	for (i = 0; i < UART_RX_SIZE; i++)
		assert_int_equal(rd(0), (uint8_t)i);
	assert_int_equal(rd(5) & 0x01, 0);

	/* The divisor latch hides the FIFO; loopback disconnects it. */
	uart_receive(&uart, (const uint8_t *)"x", 1);
	wr(3, 0x80);
	assert_int_equal(rd(0), 12);
	wr(3, 0x03);
	wr(4, 0x10);
	assert_int_equal(rd(5) & 0x01, 0);
	wr(4, 0x00);
	assert_int_equal(rd(5) & 0x01, 1);
	/* FCR "clear receive FIFO" drops what waits. */
	wr(2, 0x03);
	assert_int_equal(rd(5) & 0x01, 0);
}

/*
 * What Linux's 8250 driver needs to poll an IRQ-less port: its timer
 * runs the interrupt handler, which returns at once when IIR says no
 * interrupt, so IIR must name received data and an empty transmitter.
 */
static void test_iir_for_polling(void **state)
{
	unsigned int i;

	(void)state;
	wr(2, 0x07);
	assert_int_equal(rd(2), 0xc1); /* nothing enabled: none */
	/* Enabling THRI with the transmitter empty raises THRE once. */
	wr(1, 0x02);
	assert_int_equal(rd(2), 0xc2);
	assert_int_equal(rd(2), 0xc1); /* taken by the IIR read */
	/* Each byte sent leaves the register empty: THRE again. */
	for (i = 0; i < 20; i++) {
		wr(0, 'a');
		assert_int_equal(rd(2), 0xc2);
		assert_int_equal(rd(2), 0xc1);
	}
	/* Disabled, it is not named; enabled again, it comes back. */
	wr(0, 'b');
	wr(1, 0x00);
	assert_int_equal(rd(2), 0xc1);
	wr(1, 0x02);
	assert_int_equal(rd(2), 0xc2);
	/* Received data comes first, while it waits and RDI is enabled. */
	uart_receive(&uart, (const uint8_t *)"xy", 2);
	assert_int_equal(rd(2), 0xc1); /* RDI disabled */
	wr(1, 0x03);
	assert_int_equal(rd(2), 0xc4);
	assert_int_equal(rd(2), 0xc4); /* until the data is read */
	assert_int_equal(rd(0), 'x');
	assert_int_equal(rd(0), 'y');
	/* THRE was taken above; no byte was sent since. */
	assert_int_equal(rd(2), 0xc1);
	/* The divisor latch does not transmit. */
	wr(3, 0x80);
	wr(0, 1);
	wr(3, 0x03);
	assert_int_equal(rd(2), 0xc1);
	assert_int_equal(con.head, 21);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_probe_like_linux, setup),
		cmocka_unit_test_setup(test_divisor_latch, setup),
		cmocka_unit_test_setup(test_transmit_and_read, setup),
		cmocka_unit_test_setup(test_ring_overwrite, setup),
		cmocka_unit_test_setup(test_hostile_registers, setup),
		cmocka_unit_test_setup(test_receive, setup),
		cmocka_unit_test_setup(test_iir_for_polling, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
