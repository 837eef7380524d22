# SPDX-License-Identifier: BSD-3-Clause
# lhv top-level build. `make help` lists the targets.

# Kernel to build the modules for: the newest installed Debian headers
# unless KVER= says otherwise.
KVER ?= $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | \
		sed 's|.*/linux-headers-||' | sort -V | tail -n 1)
KDIR ?= $(firstword $(wildcard /lib/modules/$(KVER)/build) \
		    /usr/src/linux-headers-$(KVER))
# Modules are built in a per-kernel copy of the sources, so builds for
# several kernels never clobber each other's objects.
KOUT := $(CURDIR)/out/kmod/$(KVER)
W ?= 1
BENCH_SERIES ?= 6.12
BENCH_KVER = $(shell ls -d /usr/src/linux-headers-$(BENCH_SERIES).*-amd64 2>/dev/null | \
		sed 's|.*/linux-headers-||' | sort -V | tail -n 1)
# Our own builds treat every warning as an error; DKMS builds on users'
# machines do not, so a newer compiler's new warning never blocks an install.
LHV_KCFLAGS ?= -Werror
# Kbuild runs one compiler at a time unless told otherwise; a plain
# `make check` then left one of the two cores idle. `make -jN` overrides.
KBUILD_JOBS ?= $(if $(strip $(filter -j%,$(MAKEFLAGS))$(findstring j,$(firstword $(MAKEFLAGS)))),,-j$(shell nproc))

.PHONY: bench-blk bench-snd all modules sparse test-modules dkms-source dkms-install setup-quiet userspace hv check unit scenarios fuzz fuzz-smoke run setup check-full \
	format format-check clean help

all: modules userspace hv

help:
	@echo 'make [KVER=<kernel>]  build modules, lhvctl and hv/lhv.bin'
	@echo 'make run              boot the QEMU box (hypervisor, service OS, user VM)'
	@echo 'make check            unit tests and QEMU scenarios (the CI test command, ~20 min)'
	@echo 'make check-full       the same with every scenario on every kernel (~50 min)'
	@echo 'make sparse [KVER=]   run sparse over the modules'
	@echo 'make unit             unit tests only (cmocka)'
	@echo 'make fuzz [FUZZ_SECONDS=60]  run every libFuzzer harness (tests/fuzz)'
	@echo 'make fuzz-smoke       run every libFuzzer harness for 10 s'
	@echo 'make scenarios [ONLY="<glob> ..."] [KERNELS="6.12 6.1"]  QEMU scenarios only'
	@echo 'make dkms-source [DESTDIR=/usr/src]  lay out the DKMS source tree'
	@echo 'make dkms-install     add, build and install through DKMS (on a real SOS)'
	@echo 'make bench-blk [BENCH_SERIES=6.12]  fio direct vs lhv_blk loopback vs a UOS, one QEMU run'
	@echo 'make bench-snd        lhv_snd period jitter at 1, 5, 10 ms, with and without load'
	@echo 'make setup            install build and test dependencies (apt)'
	@echo 'make format           clang-format every C file in place'
	@echo 'installed kernel headers:'
	@ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sed 's|.*/linux-headers-|  |'

modules:
	@test -n "$(KVER)" -a -d "$(KDIR)" || { \
		echo "no kernel headers for '$(KVER)': run scripts/setup.sh" >&2; exit 1; }
	@mkdir -p $(KOUT)
	@rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='*.mod*' \
		--exclude='.*.cmd' --exclude='Module.symvers' --exclude='modules.order' \
		--include='/hv/' --include='/hv/lib/' --include='/hv/lib/image_check.[ch]' \
		--exclude='/hv/**' \
		Kbuild kmod uapi hv $(KOUT)/
	$(MAKE) $(KBUILD_JOBS) -C $(KDIR) M=$(KOUT) W=$(W) KCFLAGS="$(LHV_KCFLAGS)" modules
	@echo "modules for $(KVER): $(KOUT)"

# sparse over every module source (C=2 checks even when objects are fresh);
# any warning fails.
sparse: modules
	@$(MAKE) $(KBUILD_JOBS) -s -C $(KDIR) M=$(KOUT) C=2 W=$(W) modules 2>&1 | \
		grep -E 'warning:|error:' && exit 1 || echo "sparse: clean ($(KVER))"

# Test-only modules (tests/kmod), for the QEMU scenarios; never packaged.
test-modules: modules
	@mkdir -p $(KOUT)/tests
	@rsync -a --delete --include='*.c' --include='*.h' --include='Kbuild' \
		--exclude='*' tests/kmod/ $(KOUT)/tests/kmod/
	$(MAKE) $(KBUILD_JOBS) -C $(KDIR) M=$(KOUT)/tests/kmod W=$(W) KCFLAGS="$(LHV_KCFLAGS)" \
		KBUILD_EXTRA_SYMBOLS=$(KOUT)/Module.symvers modules

# The DKMS source tree: what DKMS needs and nothing else.
LHV_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DESTDIR ?= /usr/src
dkms-source:
	@mkdir -p $(DESTDIR)/lhv-$(LHV_VERSION)
	@rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='*.mod*' \
		--exclude='.*.cmd' --include='/hv/' --include='/hv/lib/' \
		--include='/hv/lib/image_check.[ch]' --exclude='/hv/**' \
		dkms.conf Kbuild kmod uapi hv $(DESTDIR)/lhv-$(LHV_VERSION)/
	@echo "$(DESTDIR)/lhv-$(LHV_VERSION)"

# Install on this machine through DKMS (for a real Service OS, not here).
dkms-install: dkms-source
	dkms add -m lhv -v $(LHV_VERSION) || true
	dkms build -m lhv -v $(LHV_VERSION) -k $(KVER)
	dkms install -m lhv -v $(LHV_VERSION) -k $(KVER)

userspace:
	$(MAKE) -C userspace

hv:
	$(MAKE) -C hv

unit:
	$(MAKE) -C hv check
	$(MAKE) -C userspace check
	$(MAKE) -C kmod/lib check

# libFuzzer harnesses of the portable cores; corpora in out/fuzz/<name>/.
FUZZ_SECONDS ?= 60
fuzz:
	$(MAKE) -C tests/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)

fuzz-smoke:
	$(MAKE) -C tests/fuzz smoke

# The two commands of the README install what they need first.
check: setup-quiet
	$(MAKE) all
	tests/harness/check.sh

# Every scenario on every kernel it supports, the lhv_blk suite under the
# hv whole: before a release, or when a change touches what they cover.
check-full: setup-quiet
	$(MAKE) all
	LHV_FULL=1 tests/harness/check.sh

scenarios: all
	tests/harness/run-scenarios.sh

# Benchmarks (not in make check): results go to the terminal and
# out/bench/; record them in docs/performance.md with the command.
bench-blk: setup-quiet
	$(MAKE) test-modules userspace hv KVER=$(BENCH_KVER)
	@mkdir -p out/bench
	tests/harness/run-scenario.sh tests/bench/blk-loopback.sh $(BENCH_SERIES)
	@grep -a '^# ' out/scenarios/blk-loopback-$(BENCH_SERIES)/tap.log | \
		sed 's/^# //' | tee out/bench/blk-loopback-$(BENCH_SERIES).txt

# virtio_snd is 6.12-only in Debian: the audio benchmark always runs there.
bench-snd: BENCH_SERIES = 6.12
bench-snd: setup-quiet
	$(MAKE) test-modules userspace KVER=$(BENCH_KVER)
	@mkdir -p out/bench
	tests/harness/run-scenario.sh tests/bench/snd-jitter.sh 6.12
	@grep -a '^# ' out/scenarios/snd-jitter-6.12/tap.log | \
		sed 's/^# //' | tee out/bench/snd-jitter-6.12.txt

run: setup-quiet
	scripts/run-box.sh

setup-quiet:
	@scripts/setup.sh --check >/dev/null 2>&1 || scripts/setup.sh

setup:
	scripts/setup.sh

format:
	git ls-files '*.c' '*.h' | xargs clang-format -i

format-check:
	git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror

clean:
	rm -rf out
	$(MAKE) -C userspace clean
	$(MAKE) -C hv clean
	$(MAKE) -C kmod/lib clean
