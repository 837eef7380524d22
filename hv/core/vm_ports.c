// SPDX-License-Identifier: BSD-3-Clause
/*
 * The few I/O ports a user VM has (uapi/lhv/vm_layout.h, docs/uvm.md):
 * COM1 (console) and COM2 (lifecycle channel), pvpanic, and the
 * hardware-reduced ACPI sleep control/status and reset registers that the
 * VM's FADT points at. Everything else floats: reads all ones, writes
 * dropped, as on a bus with nothing behind it.
 */
#include <lhv/hypercall.h>
#include <lhv/vm_layout.h>
#include <hv/log.h>
#include <hv/vm.h>

/* pvpanic: what the device offers (read) and what the guest reports. */
#define PVPANIC_PANICKED (1U << 0)
#define PVPANIC_CRASH_LOADED (1U << 1)

static bool in_uart(u16 port, u16 base)
{
	return port >= base && port < base + 8;
}

static void sleep_control(struct hv_vm *vm, u32 val)
{
	u32 type = (val & LHV_VM_SLP_TYP_MASK) >> LHV_VM_SLP_TYP_SHIFT;

	if (!(val & LHV_VM_SLP_EN))
		return;
	if (type == LHV_VM_S5_TYPE) {
		vm_stop_self(vm, LHV_HC_STOP_POWEROFF);
		return;
	}
	/* No sleep states but S5: the guest stays awake. */
	log_printf("lhv: vm %u: sleep type %u ignored\n", vm->id, type);
}

static void pvpanic_write(struct hv_vm *vm, u32 val)
{
	if (val & PVPANIC_PANICKED)
		vm_crash(vm, "guest panic (pvpanic)");
	else if (val & PVPANIC_CRASH_LOADED)
		log_printf("lhv: vm %u: crash kernel loaded\n", vm->id);
}

void vm_port_access(struct hv_vm *vm, u16 port, unsigned int size, bool write,
		    u32 *val)
{
	struct uart16550 *uart = NULL;
	u16 base = 0;
	u8 b = (u8)*val;

	if (in_uart(port, LHV_VM_COM1_PORT)) {
		uart = &vm->uart;
		base = LHV_VM_COM1_PORT;
	} else if (in_uart(port, LHV_VM_COM2_PORT)) {
		uart = &vm->com2;
		base = LHV_VM_COM2_PORT;
	}
	if (uart && size == 1) {
		uart_access(uart, port - base, write, &b);
		if (!write)
			*val = b;
		return;
	}
	if (size == 1 && port == LHV_VM_PVPANIC_PORT) {
		if (write)
			pvpanic_write(vm, *val);
		else
			*val = PVPANIC_PANICKED | PVPANIC_CRASH_LOADED;
		return;
	}
	if (size == 1 && port == LHV_VM_SLEEP_CTL_PORT) {
		if (write)
			sleep_control(vm, *val & 0xff);
		else
			*val = 0;
		return;
	}
	if (size == 1 && port == LHV_VM_SLEEP_STS_PORT) {
		if (!write)
			*val = 0; /* never asleep, nothing to wake from */
		return;
	}
	if (size == 1 && port == LHV_VM_RESET_PORT) {
		if (write && (*val & 0xff) == LHV_VM_RESET_VALUE)
			vm_stop_self(vm, LHV_HC_STOP_REBOOT);
		else if (!write)
			*val = 0;
		return;
	}
	if (!write)
		*val = size == 4 ? 0xffffffffU : (1U << (size * 8)) - 1;
}
