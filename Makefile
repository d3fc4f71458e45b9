# SPDX-License-Identifier: GPL-2.0
#
# vsw - build, install and test. See docs/testing.md.
#
#   make [modules]        build the modules for KDIR (default: running kernel,
#                         else the newest /usr/src/linux-headers-*-amd64) into
#                         build/<kver>/kmod/*.ko; W=1 / C=1 / V=1 pass through
#   make tools            build tools/vswctl and the selftest drivers
#   make install          vsw.ko + vsw_vhost.ko (/lib/modules/KVER/extra) +
#                         depmod, vswctl, man page, bash completion, udev
#                         rules, systemd unit, libvirt/QEMU tap script
#                         vsw-ifup; builds no test program;
#                         PREFIX (/usr), DESTDIR and the *DIR variables below
#   make deps             apt-get install what building and testing need
#   make check            everything on deb61, deb612 and the debug kernel,
#                         ends with "N passed, N failed[, N skipped]"
#   make check K=deb61 T='vlan*'   only those kernels / tests (globs on the
#                         test file name); K is a list of deb61 deb612 debug
#   make check-quick      selftests on Debian 6.1 only
#   make check-harness    only the harness negative control
#   make debug-kernel     build (or reuse the cached) debug kernel
#   make vm K=deb61       boot a kernel with the modules and get a shell
#   make demo             run selftests/demo.sh in a Debian 6.1 guest
#   make bench            run bench/run if present
#   make soak             selftests/stress.sh for an hour on the debug kernel
#                         (2 vCPUs; SOAK_SECS=N for another duration; the
#                         seed is printed, VSW_STRESS_SEED=S repeats it);
#                         not part of make check
#   make clean

SHELL := /bin/bash
.DEFAULT_GOAL := modules

HOST_KVER := $(shell uname -r)
NEWEST_HEADERS := $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
KDIR ?= $(if $(wildcard /lib/modules/$(HOST_KVER)/build/Makefile),/lib/modules/$(HOST_KVER)/build,$(NEWEST_HEADERS))

KBUILD_FLAGS := $(if $(W),W=$(W)) $(if $(C),C=$(C)) $(if $(V),V=$(V))

PREFIX ?= /usr
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
LIBEXECDIR ?= $(PREFIX)/libexec/vsw
# the configuration file the unit and the udev rule apply (vswctl apply -f)
VSW_CONF ?= /etc/vsw/vsw.conf
MODPROBE ?= /sbin/modprobe
# modules go where modprobe looks, whatever PREFIX is
KVER = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
MODDIR ?= /lib/modules/$(KVER)/extra
SUBST = sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@CONF@|$(VSW_CONF)|g' \
	-e 's|@MODPROBE@|$(MODPROBE)|g' -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g'

# Packages needed to build and test (make deps).
DEPS := build-essential bc flex bison libelf-dev libssl-dev dwarves kmod cpio \
	xz-utils file sparse libmnl-dev pkg-config jq python3 \
	qemu-system-x86 busybox-static iproute2 iputils-ping ethtool tcpdump \
	shellcheck clang libclang-rt-14-dev valgrind python3-pyroute2 \
	linux-image-amd64 linux-headers-amd64 \
	linux-image-6.12-amd64 linux-headers-6.12-amd64 linux-source-6.12

.PHONY: all modules tools install deps check check-quick check-harness \
	debug-kernel vm demo bench soak clean

all: modules tools

modules:
	@test -n "$(KDIR)" || { echo "no kernel headers found: make deps" >&2; exit 1; }
	scripts/build-modules.sh $(KDIR) $(KBUILD_FLAGS)

tools:
	$(MAKE) -C tools/vswctl
	$(MAKE) -C selftests/netlink_fuzz
	$(MAKE) -C selftests/vhost
	$(MAKE) -C selftests/stress

# Only what a host runs: no selftest program, no KUnit module. Without
# DESTDIR also depmod and tell udev and systemd to reload.
install: modules
	$(MAKE) -C tools/vswctl vswctl
	@test -n "$(KVER)" || { echo "install: cannot read the kernel release of KDIR=$(KDIR)" >&2; exit 1; }
	install -D -m 0644 build/$(KVER)/kmod/vsw.ko $(DESTDIR)$(MODDIR)/vsw.ko
	install -D -m 0644 build/$(KVER)/kmod/vsw_vhost.ko $(DESTDIR)$(MODDIR)/vsw_vhost.ko
	install -D -m 0755 tools/vswctl/vswctl $(DESTDIR)$(SBINDIR)/vswctl
	install -D -m 0644 tools/vswctl/vswctl.8 $(DESTDIR)$(MANDIR)/man8/vswctl.8
	install -D -m 0644 tools/vswctl/vswctl.bash-completion $(DESTDIR)$(BASHCOMPDIR)/vswctl
	install -d $(DESTDIR)$(UDEVRULESDIR) $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(LIBEXECDIR)
	$(SUBST) libvirt/vsw-ifup.in >$(DESTDIR)$(LIBEXECDIR)/vsw-ifup
	chmod 0755 $(DESTDIR)$(LIBEXECDIR)/vsw-ifup
	$(SUBST) udev/90-vsw.rules.in >$(DESTDIR)$(UDEVRULESDIR)/90-vsw.rules
	chmod 0644 $(DESTDIR)$(UDEVRULESDIR)/90-vsw.rules
	$(SUBST) systemd/vsw.service.in >$(DESTDIR)$(SYSTEMDUNITDIR)/vsw.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/vsw.service
ifeq ($(DESTDIR),)
	depmod -a $(KVER)
	-udevadm control --reload 2>/dev/null
	-systemctl daemon-reload 2>/dev/null
endif

deps:
	@scripts/deps.sh $(DEPS)

check:
	@scripts/check.sh

check-quick:
	@K=deb61 PHASES=kernels scripts/check.sh

check-harness:
	@K=deb61 PHASES=harness scripts/check.sh

debug-kernel:
	@scripts/build-debug-kernel.sh

vm:
	@eval "$$(scripts/kernel-info.sh $(or $(K),deb61))" && \
	if [ -f kmod/Kbuild ]; then scripts/build-modules.sh $$KDIR $(KBUILD_FLAGS) >/dev/null; fi && \
	selftests/vm/run.sh -i -k $(or $(K),deb61)

demo:
	@eval "$$(scripts/kernel-info.sh deb61)" && scripts/build-modules.sh $$KDIR >/dev/null && \
	$(MAKE) --no-print-directory tools >/dev/null && \
	selftests/vm/run.sh -k deb61 -o build/results/demo selftests/demo.sh; \
	rc=$$?; echo "---- selftests/demo.sh output ----"; \
	cat build/results/demo/tests/demo.sh.out 2>/dev/null; exit $$rc

# a fresh machine needs the test dependencies too (quick when installed)
bench:
	@scripts/deps.sh $(DEPS)
	@if [ -x bench/run ]; then bench/run; else echo "bench/run not present yet" >&2; exit 1; fi

# selftests/stress.sh for SOAK_SECS (3600) on the debug kernel, with a test
# timeout to match; results in build/results/debug-smp/
SOAK_SECS ?= 3600
soak:
	@VSW_STRESS_SECS=$(SOAK_SECS) VSW_STRESS_OPS=0 VSW_STRESS_HOTPLUG=0 \
		VSW_TEST_TIMEOUT=$$(($(SOAK_SECS) + 900)) \
		K=debug PHASES=kernels T=stress scripts/check.sh

clean:
	rm -rf build
	-$(MAKE) -C tools/vswctl clean 2>/dev/null
	-$(MAKE) -C selftests/netlink_fuzz clean 2>/dev/null
	-$(MAKE) -C selftests/vhost clean 2>/dev/null
	-$(MAKE) -C selftests/stress clean 2>/dev/null
