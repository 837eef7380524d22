// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness of the user VMs' 16550 model (hv/lib/uart16550.c):
 * the input is a program of guest register accesses, SOS receives and
 * console reads. Each step is a control byte (low 3 bits: register;
 * bits 3-4: read, write, receive, console read) and, for writes and
 * receives, a value byte (a receive queues that many bytes). After every
 * step the promises hold: IER keeps its four bits, IIR names a pending
 * interrupt only when that interrupt is enabled, received data before
 * THRE, data ready in LSR exactly when a read of RBR gives the next byte
 * queued (in order), the transmitter always empty, and every byte the
 * guest sent outside loopback and the divisor latch lands in the ring.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "uart16550.h"

enum { OP_READ, OP_WRITE, OP_RECEIVE, OP_CONSOLE };

static struct uart_console con;
static struct uart16550 uart;

/* What was queued but not yet read, to check the FIFO's order. */
static uint8_t queued[UART_RX_SIZE];
static unsigned int queued_head, queued_tail;

static uint8_t access_reg(unsigned int reg, bool write, uint8_t v)
{
	uart_access(&uart, reg, write, &v);
	return v;
}

static void check_iir(uint8_t iir, uint8_t ier, bool data_ready)
{
	uint8_t id = iir & 0x0f;

	check((iir & 0x30) == 0);
	check(id == 0x01 || id == 0x02 || id == 0x04);
	if (id == 0x04)
		check((ier & 0x01) && data_ready);
	if (id == 0x02)
		check((ier & 0x02) && !((ier & 0x01) && data_ready));
	if (id == 0x01)
		check(!((ier & 0x01) && data_ready));
}

static void step_read(unsigned int reg)
{
	bool dlab = uart.lcr & 0x80;
	bool loop = uart.mcr & 0x10;
	uint8_t ier = uart.ier, v;
	bool ready = !loop && queued_head != queued_tail;

	v = access_reg(reg, false, 0);
	switch (reg) {
	case 0:
		if (dlab)
			break;
		if (ready)
			check(v == queued[queued_tail++ % UART_RX_SIZE]);
		else
			check(v == 0);
		break;
	case 1:
		check((v & 0xf0) == 0 || dlab);
		break;
	case 2:
		check_iir(v, ier, ready);
		break;
	case 5:
		check((v & 0x60) == 0x60);
		check(!!(v & 0x01) == ready);
		break;
	default:
		break;
	}
}

static void step_write(unsigned int reg, uint8_t v)
{
	bool sends = reg == 0 && !(uart.lcr & 0x80) && !(uart.mcr & 0x10);
	uint64_t head = con.head;

	access_reg(reg, true, v);
	check(con.head == head + (sends ? 1 : 0));
	if (sends)
		check((uint8_t)con.data[head % UART_CONSOLE_SIZE] == v);
	/* FCR bit 1 drops what waits. */
	if (reg == 2 && (v & 0x02))
		queued_tail = queued_head;
}

static void step_receive(uint8_t n)
{
	uint8_t buf[256];
	size_t took, i, room = UART_RX_SIZE - (queued_head - queued_tail);

	for (i = 0; i < n; i++)
		buf[i] = (uint8_t)(queued_head + i);
	took = uart_receive(&uart, buf, n);
	check(took == (n < room ? n : room));
	for (i = 0; i < took; i++)
		queued[queued_head++ % UART_RX_SIZE] = buf[i];
}

static void step_console(uint8_t v)
{
	char buf[64];
	uint64_t cursor = con.head > v * 97u ? con.head - v * 97u : 0, lost;
	size_t n = uart_console_read(&con, &cursor, buf, sizeof(buf), &lost);

	check(n <= sizeof(buf));
	check(cursor <= con.head);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i = 0;

	memset(&con, 0, sizeof(con));
	uart_init(&uart, &con);
	queued_head = queued_tail = 0;
	while (i < size) {
		uint8_t c = data[i++];
		uint8_t v = i < size ? data[i] : 0;
		unsigned int op = (c >> 3) & 3;

		if (op != OP_READ)
			i++;
		switch (op) {
		case OP_READ:
			step_read(c & 7);
			break;
		case OP_WRITE:
			step_write(c & 7, v);
			break;
		case OP_RECEIVE:
			step_receive(v);
			break;
		default:
			step_console(v);
			break;
		}
		check((uart.ier & 0xf0) == 0);
	}
	return 0;
}
