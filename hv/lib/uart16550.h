/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A 16550A UART as a user VM sees it at COM1 or COM2: transmitted bytes
 * go to a console ring the Service OS reads; bytes the Service OS sends
 * wait in a receive FIFO the guest reads (LSR data-ready). No interrupt
 * is raised (the VM has no interrupt controller for it: Linux polls a
 * UART that has no IRQ), but IIR names the pending one (received data,
 * transmitter empty) as the chip would, since Linux's poll runs the
 * interrupt handler, which reads IIR first. Enough of
 * the register model for Linux's 8250 driver to detect a 16550A: scratch
 * and IER read back, FIFO bits in IIR, modem-status loopback.
 * Portable: no hv, kernel or libc headers beyond <stdint.h>/<stdbool.h>.
 */
#ifndef _HV_LIB_UART16550_H
#define _HV_LIB_UART16550_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of console text kept per VM; a power of two. */
#define UART_CONSOLE_SIZE 16384

/*
 * The console ring: head counts every byte ever written and never wraps;
 * byte n lives at data[n % UART_CONSOLE_SIZE]. Readers keep a cursor.
 */
struct uart_console {
	uint64_t head;
	char data[UART_CONSOLE_SIZE];
};

/* Receive FIFO bytes; a power of two. */
#define UART_RX_SIZE 256

struct uart16550 {
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	bool fifo;
	/* A THRE interrupt not yet taken by reading IIR. */
	bool thre_pending;
	struct uart_console *console;
	/*
	 * Receive FIFO: one producer (uart_receive, the SOS's CPU) and one
	 * consumer (the vCPU reading RBR); free-running indexes.
	 */
	uint32_t rx_head, rx_tail;
	uint8_t rx[UART_RX_SIZE];
};

/* Registers as after reset; output to console (NULL: dropped). */
void uart_init(struct uart16550 *u, struct uart_console *console);

/*
 * One byte-wide access at register @reg (0-7: port - 0x3F8). A read
 * stores the value in *val; a write takes it from *val. Accesses of other
 * widths are the caller's to split or refuse.
 */
void uart_access(struct uart16550 *u, unsigned int reg, bool write,
		 uint8_t *val);

/*
 * Queues up to len bytes for the guest to read; returns how many fit.
 * Safe against a concurrent uart_access() on another CPU, not against a
 * second concurrent uart_receive().
 */
size_t uart_receive(struct uart16550 *u, const uint8_t *buf, size_t len);

/*
 * Copies console bytes from *cursor on into buf (at most len), moves
 * *cursor past them and returns how many; bytes overwritten before the
 * cursor are skipped and counted in *lost.
 */
size_t uart_console_read(const struct uart_console *c, uint64_t *cursor,
			 char *buf, size_t len, uint64_t *lost);

#endif /* _HV_LIB_UART16550_H */
