// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhv-cpuid: runs CPUID leaves 0x40000000 and 0x80000001 on every online
 * CPU (pinned with sched_setaffinity) and prints one line per CPU:
 *     cpu <n> sig <12 bytes or "none"> max 0x<eax> svm <0|1>
 * The QEMU scenarios use it to see whether each CPU runs under lhv.
 * Exit status 1 if a CPU could not be reached.
 *
 * lhv-cpuid --vmmcall makes a hypercall (GET_API_VERSION) from ring 3 and
 * prints "vmmcall rax <signed value>", or "vmmcall #UD" when the CPU
 * refused the instruction (bare metal: SIGILL). Under lhv the answer
 * must be -1 (-EPERM): guests' user space cannot call the hv.
 */
#include <cpuid.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <lhv/hypercall.h>

static int on_cpu(int cpu)
{
	unsigned int eax, ebx, ecx, edx, regs[3];
	char sig[13];
	cpu_set_t set;
	int svm;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return -1;

	__cpuid(LHV_CPUID_SIGNATURE, eax, ebx, ecx, edx);
	regs[0] = ebx;
	regs[1] = ecx;
	regs[2] = edx;
	memcpy(sig, regs, 12);
	sig[12] = '\0';
	if (ebx != LHV_CPUID_SIG_EBX || ecx != LHV_CPUID_SIG_ECX ||
	    edx != LHV_CPUID_SIG_EDX)
		strcpy(sig, "none");

	__cpuid(0x80000001, eax, ebx, ecx, edx);
	svm = !!(ecx & (1U << 2));
	__cpuid(LHV_CPUID_SIGNATURE, eax, ebx, ecx, edx);
	printf("cpu %d sig %s max 0x%x svm %d\n", cpu, sig, eax, svm);
	return 0;
}

static sigjmp_buf vmmcall_env;

static void on_sigill(int sig)
{
	(void)sig;
	siglongjmp(vmmcall_env, 1);
}

static int user_vmmcall(void)
{
	struct sigaction sa = { .sa_handler = on_sigill };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGILL, &sa, NULL))
		return 1;
	if (sigsetjmp(vmmcall_env, 1)) {
		printf("vmmcall #UD\n");
		return 0;
	}
	printf("vmmcall rax %ld\n", lhv_vmmcall(LHV_HC_GET_API_VERSION, 0, 0));
	return 0;
}

int main(int argc, char **argv)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);
	int cpu, ret = 0;

	if (argc == 2 && !strcmp(argv[1], "--vmmcall"))
		return user_vmmcall();
	if (argc != 1) {
		fprintf(stderr, "usage: lhv-cpuid [--vmmcall]\n");
		return 2;
	}

	for (cpu = 0; cpu < n; cpu++) {
		if (on_cpu(cpu)) {
			fprintf(stderr, "lhv-cpuid: cannot run on cpu %d\n",
				cpu);
			ret = 1;
		}
	}
	return ret;
}
