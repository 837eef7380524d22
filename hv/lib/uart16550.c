// SPDX-License-Identifier: BSD-3-Clause
/* The user VMs' COM1 (see uart16550.h). */
#include "uart16550.h"

/* Register offsets and bits, as the 16550 data sheet numbers them. */
#define REG_DATA 0 /* RBR/THR, DLL with DLAB */
#define REG_IER 1  /* DLM with DLAB */
#define REG_IIR 2  /* FCR on write */
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define REG_MSR 6
#define REG_SCR 7

#define LCR_DLAB 0x80
#define MCR_LOOP 0x10
#define IER_RDI 0x01  /* received data available */
#define IER_THRI 0x02 /* transmitter holding register empty */
#define IIR_NO_INT 0x01
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_FIFO 0xc0
#define FCR_ENABLE 0x01
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
/* Outside loopback the line looks connected: DCD, DSR and CTS. */
#define MSR_CONNECTED 0xb0

_Static_assert((UART_CONSOLE_SIZE & (UART_CONSOLE_SIZE - 1)) == 0,
	       "UART_CONSOLE_SIZE must be a power of two");
_Static_assert((UART_RX_SIZE & (UART_RX_SIZE - 1)) == 0,
	       "UART_RX_SIZE must be a power of two");

void uart_init(struct uart16550 *u, struct uart_console *console)
{
	u->ier = 0;
	u->lcr = 0;
	u->mcr = 0;
	u->scr = 0;
	u->dll = 12; /* 9600 baud, as firmware would leave it */
	u->dlm = 0;
	u->fifo = false;
	u->thre_pending = false;
	u->console = console;
	u->rx_head = 0;
	u->rx_tail = 0;
}

size_t uart_receive(struct uart16550 *u, const uint8_t *buf, size_t len)
{
	uint32_t head = u->rx_head;
	uint32_t tail = __atomic_load_n(&u->rx_tail, __ATOMIC_ACQUIRE);
	size_t n = 0;

	while (n < len && head - tail < UART_RX_SIZE) {
		u->rx[head % UART_RX_SIZE] = buf[n++];
		head++;
	}
	__atomic_store_n(&u->rx_head, head, __ATOMIC_RELEASE);
	return n;
}

static bool uart_rx_ready(const struct uart16550 *u)
{
	/* In loopback the line is disconnected from the outside. */
	return !(u->mcr & MCR_LOOP) &&
	       __atomic_load_n(&u->rx_head, __ATOMIC_ACQUIRE) != u->rx_tail;
}

static uint8_t uart_rx_pop(struct uart16550 *u)
{
	uint8_t c;

	if (!uart_rx_ready(u))
		return 0;
	c = u->rx[u->rx_tail % UART_RX_SIZE];
	__atomic_store_n(&u->rx_tail, u->rx_tail + 1, __ATOMIC_RELEASE);
	return c;
}

static void uart_transmit(struct uart16550 *u, uint8_t c)
{
	struct uart_console *con = u->console;

	/* Loopback: the byte would come back in; nothing leaves. */
	if ((u->mcr & MCR_LOOP) || !con)
		return;
	con->data[con->head % UART_CONSOLE_SIZE] = (char)c;
	con->head++;
}

/* In loopback the modem outputs appear as inputs: DTR->DSR, RTS->CTS... */
static uint8_t uart_msr(const struct uart16550 *u)
{
	if (!(u->mcr & MCR_LOOP))
		return MSR_CONNECTED;
	return (uint8_t)(((u->mcr & 0x02) << 3) | ((u->mcr & 0x01) << 5) |
			 ((u->mcr & 0x04) << 4) | ((u->mcr & 0x08) << 4));
}

/*
 * The interrupt the IIR names, highest priority first, as if it had an
 * IRQ line: Linux polls an IRQ-less port by calling its interrupt
 * handler, which does nothing while IIR says "no interrupt". Reading IIR
 * while it names THRE clears that one, as on the chip.
 */
static uint8_t uart_iir(struct uart16550 *u)
{
	uint8_t fifo = u->fifo ? IIR_FIFO : 0;

	if ((u->ier & IER_RDI) && uart_rx_ready(u))
		return fifo | IIR_RDI;
	if ((u->ier & IER_THRI) && u->thre_pending) {
		u->thre_pending = false;
		return fifo | IIR_THRI;
	}
	return fifo | IIR_NO_INT;
}

static uint8_t uart_read(struct uart16550 *u, unsigned int reg)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case REG_DATA:
		return dlab ? u->dll : uart_rx_pop(u);
	case REG_IER:
		return dlab ? u->dlm : u->ier;
	case REG_IIR:
		return uart_iir(u);
	case REG_LCR:
		return u->lcr;
	case REG_MCR:
		return u->mcr;
	case REG_LSR:
		/* Transmits instantly. */
		return (uint8_t)(LSR_THRE | LSR_TEMT |
				 (uart_rx_ready(u) ? LSR_DR : 0));
	case REG_MSR:
		return uart_msr(u);
	default:
		return u->scr;
	}
}

static void uart_write(struct uart16550 *u, unsigned int reg, uint8_t v)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case REG_DATA:
		if (dlab) {
			u->dll = v;
			break;
		}
		uart_transmit(u, v);
		/* Sent at once: the holding register is empty again. */
		u->thre_pending = true;
		break;
	case REG_IER:
		if (dlab) {
			u->dlm = v;
			break;
		}
		/* Enabling THRI with the register empty raises it at once. */
		if ((v & IER_THRI) && !(u->ier & IER_THRI))
			u->thre_pending = true;
		u->ier = v & 0x0f;
		break;
	case REG_IIR:
		u->fifo = v & FCR_ENABLE;
		/* FCR bit 1 clears the receive FIFO. */
		if (v & 0x02)
			__atomic_store_n(
				&u->rx_tail,
				__atomic_load_n(&u->rx_head, __ATOMIC_ACQUIRE),
				__ATOMIC_RELEASE);
		break;
	case REG_LCR:
		u->lcr = v;
		break;
	case REG_MCR:
		u->mcr = v & 0x1f;
		break;
	case REG_SCR:
		u->scr = v;
		break;
	default: /* LSR and MSR are read-only */
		break;
	}
}

void uart_access(struct uart16550 *u, unsigned int reg, bool write,
		 uint8_t *val)
{
	reg &= 7;
	if (write)
		uart_write(u, reg, *val);
	else
		*val = uart_read(u, reg);
}

size_t uart_console_read(const struct uart_console *c, uint64_t *cursor,
			 char *buf, size_t len, uint64_t *lost)
{
	uint64_t head = c->head, from = *cursor, n, i;

	*lost = 0;
	if (from > head)
		from = head; /* a cursor from the future: start at the end */
	if (head - from > UART_CONSOLE_SIZE) {
		*lost = head - UART_CONSOLE_SIZE - from;
		from = head - UART_CONSOLE_SIZE;
	}
	n = head - from;
	if (n > len)
		n = len;
	for (i = 0; i < n; i++)
		buf[i] = c->data[(from + i) % UART_CONSOLE_SIZE];
	*cursor = from + n;
	return (size_t)n;
}
