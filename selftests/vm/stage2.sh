#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Second stage of the vsw test VM. Runs as PID 1 after /init switch_root'ed
# into the host's root (9p, read-only). It prepares a usable system, installs
# the freshly built modules, runs the tests listed in the run config and
# records everything in the writable results share (mounted at /mnt/results):
#
#   config.sh                  written by the host (sourced here)
#   lib-modules/               our modules (extra/) + depmod output, by the host
#   stage2.log                 this script's log
#   setup.err                  non-empty => setup problem (host fails "setup")
#   boot.dmesg                 dmesg up to the first test
#   tests/NAME.started         test began
#   tests/NAME.out             test stdout+stderr (KTAP)
#   tests/NAME.dmesg           kernel log produced while the test ran
#   tests/NAME.leftover        links/netns the test left behind (if any)
#   tests/NAME.rc              exit status (124 = timeout), written last
#   tests/NAME.secs            duration
#   kunit/SUITE.ktap, kunit.rc, kunit.dmesg       (when VSW_KUNIT=1)
#   unload.err, teardown.dmesg                    module unload at the end
#   kmemleak.txt                                  (when VSW_KMEMLEAK=1)
#   token                      the nonce from vsw.nonce=, written last
#
# Verdicts are made on the host (selftests/vm/run.sh); this script only
# records. If it dies or the kernel panics, the token is missing and the
# host fails the run.

set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C HOME=/root TERM=dumb

R=/mnt/results

die() {
	echo "VSW-STAGE2-FAIL: $*" >/dev/console
	[[ -d $R ]] && echo "VSW-STAGE2-FAIL: $*" >>"$R/setup.err"
	poweroff_now
}

poweroff_now() {
	sync
	# -no-reboot makes qemu exit on reset; works with or without ACPI.
	echo b >/proc/sysrq-trigger 2>/dev/null
	/bin/busybox reboot -f
	sleep 1000
}

cmdline_arg() {
	local a
	for a in $(</proc/cmdline); do
		[[ $a == "$1="* ]] && { echo "${a#"$1"=}"; return 0; }
	done
	return 1
}

# ---------------------------------------------------------------- mounts ----
mount -t proc proc /proc || die "mount /proc"
mount -t sysfs sysfs /sys || die "mount /sys"
mount -t devtmpfs devtmpfs /dev || die "mount /dev"
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
# process substitution (<(...)) and /dev/std* need these links (udev makes them on real hosts)
ln -sfn /proc/self/fd /dev/fd
ln -sfn /proc/self/fd/0 /dev/stdin
ln -sfn /proc/self/fd/1 /dev/stdout
ln -sfn /proc/self/fd/2 /dev/stderr
# The project dir (this script lives in $src/selftests/vm/) may be under a
# directory that gets a tmpfs below (a CI clone in /tmp, a checkout in
# /root): keep a second view of the host root in /run to bind it back.
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mount -t tmpfs -o mode=755 tmpfs /run || die "mount tmpfs on /run"
mkdir -p /run/vsw/hostroot
# (a non-recursive bind shows the 9p root without what is mounted over it)
mount --bind / /run/vsw/hostroot || die "cannot bind / to /run/vsw/hostroot"
for d in /tmp /var/tmp /mnt /root /media; do
	[[ -d $d ]] || continue
	mount -t tmpfs -o mode=1777 tmpfs "$d" || die "mount tmpfs on $d"
done
chmod 700 /root
if [[ ! -d $src/selftests/vm ]]; then
	mkdir -p "$src"
	mount --bind "/run/vsw/hostroot$src" "$src" || die "cannot bind $src back over the tmpfs"
fi
mkdir -p /run/netns /run/lock "$R"
mount -t 9p -o trans=virtio,version=9p2000.L,rw,msize=262144 results "$R" ||
	die "cannot mount the results share"
exec >>"$R/stage2.log" 2>&1
echo "stage2: start at uptime $(cut -d' ' -f1 /proc/uptime)"
date +%s.%N >"$R/stage2.started"
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
hostname vsw-guest
ip link set lo up

[[ -r $R/config.sh ]] || die "no $R/config.sh"
# shellcheck source=/dev/null
source "$R/config.sh"
: "${VSW_SRC:?}" "${VSW_KERNEL:?}" "${VSW_TEST_TIMEOUT:?}"
nonce=$(cmdline_arg vsw.nonce) || die "no vsw.nonce= on the kernel command line"

setup_err() {
	echo "$*" >>"$R/setup.err"
	echo "stage2: SETUP ERROR: $*"
}
: >"$R/setup.err"

# ------------------------------------------------ writable /lib/modules ----
kver=$(uname -r)
modprobe -q overlay 2>/dev/null # a module on Debian kernels, built in on debug
mkdir -p /run/vsw/modules/upper /run/vsw/modules/work
if ! mount -t overlay overlay \
	-o lowerdir=/lib/modules,upperdir=/run/vsw/modules/upper,workdir=/run/vsw/modules/work \
	/lib/modules; then
	setup_err "overlayfs on /lib/modules failed"
fi
mkdir -p "/lib/modules/$kver/extra" || setup_err "cannot create /lib/modules/$kver/extra"
# Our modules + the module index (modules.dep etc.) prepared by the host
# with depmod: depmod -a here would read every module over 9p (slow).
cp -r "$R/lib-modules/." "/lib/modules/$kver/" || setup_err "cannot install modules"
echo "stage2: modules in extra/: $(ls "/lib/modules/$kver/extra")"

if [[ ${VSW_KMEMLEAK:-0} == 1 ]]; then
	if [[ -w /sys/kernel/debug/kmemleak ]]; then
		# No periodic scans (slow under KASAN+TCG, noise in the tests' kernel
		# log); forget leak suspects from boot: only report what the tests leak.
		echo scan=off >/sys/kernel/debug/kmemleak
		echo scan >/sys/kernel/debug/kmemleak
		echo clear >/sys/kernel/debug/kmemleak
	else
		setup_err "kmemleak requested but /sys/kernel/debug/kmemleak missing"
	fi
fi

dmesg >"$R/boot.dmesg"
echo "stage2: setup done at uptime $(cut -d' ' -f1 /proc/uptime)"

if [[ ${VSW_INTERACTIVE:-0} == 1 ]]; then
	cd "$VSW_SRC" || true
	export VSW_IN_VM=1 VSW_KERNEL VSW_SRC PATH=$VSW_SRC/tools/vswctl:$PATH
	echo "vsw: interactive shell (exit to power off); modules in /lib/modules/$kver/extra" >/dev/console
	setsid -c bash -i </dev/console >/dev/console 2>&1
	poweroff_now
fi

# ------------------------------------------------------------------ tests --
kmsg() { echo "vsw-harness: $*" >/dev/kmsg; }

# dmesg_since MARKER: kernel log lines after the last occurrence of MARKER
dmesg_since() {
	# linear: a chatty test logs 100k lines (string appends were quadratic)
	dmesg | awk -v m="vsw-harness: $1" 'index($0, m) { n = 0; next } { l[++n] = $0 } END { for (i = 1; i <= n; i++) print l[i] }'
}

links() { ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort; }

# Whatever a test leaves behind (links in the init netns, netns) is
# recorded in tests/NAME.leftover (the host fails the test) and removed so
# the next test starts clean.
cleanup_after_test() { # NAME
	local l ns left=()
	for l in $(comm -13 <(echo "$links_before") <(links)); do
		left+=("link $l")
		ip link del "$l" >/dev/null 2>&1
	done
	for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }'); do
		left+=("netns $ns")
	done
	ip -all netns delete >/dev/null 2>&1
	if [[ ${#left[@]} -gt 0 ]]; then
		printf '%s\n' "${left[@]}" >"$R/tests/$1.leftover"
	fi
	rm -rf /tmp/* /tmp/.[!.]* /var/tmp/* 2>/dev/null
}

mkdir -p "$R/tests"
cd "$VSW_SRC" || die "cannot cd to $VSW_SRC"
export VSW_IN_VM=1 VSW_KERNEL VSW_SRC
export PATH=$VSW_SRC/tools/vswctl:$PATH
for i in "${!VSW_TESTS[@]}"; do
	t=${VSW_TESTS[i]}
	tmo=${VSW_TEST_TIMEOUTS[i]:-$VSW_TEST_TIMEOUT}
	name=${t##*/}
	echo "stage2: test $name"
	: >"$R/tests/$name.started"
	links_before=$(links)
	kmsg "begin $name"
	t0=$(date +%s.%N)
	VSW_TMP=$(mktemp -d /tmp/vsw-test.XXXXXX) \
		HOME=/root timeout -k 5 "$tmo" "$VSW_SRC/$t" \
		</dev/null >"$R/tests/$name.out" 2>&1 &
	pid=$!
	wait "$pid"
	rc=$?
	kill -KILL -- -"$pid" 2>/dev/null # stragglers in the test's process group
	t1=$(date +%s.%N)
	kmsg "end $name rc=$rc"
	dmesg_since "begin $name" >"$R/tests/$name.dmesg"
	echo "$t0 $t1" | awk '{ printf "%.1f\n", $2 - $1 }' >"$R/tests/$name.secs"
	cleanup_after_test "$name"
	echo "$rc" >"$R/tests/$name.rc"
	echo "stage2: test $name rc=$rc"
done

# ------------------------------------------------------------------ KUnit --
if [[ ${VSW_KUNIT:-0} == 1 ]]; then
	mkdir -p "$R/kunit"
	kmsg "begin kunit"
	rc=0
	if [[ ! -d /sys/kernel/debug/kunit ]]; then
		echo "no /sys/kernel/debug/kunit (CONFIG_KUNIT_DEBUGFS?)" >"$R/kunit/error"
		rc=1
	else
		before=$(ls /sys/kernel/debug/kunit)
		for m in "${VSW_KUNIT_MODULES[@]}"; do
			# The suites run synchronously while the module loads.
			timeout -k 5 "$VSW_TEST_TIMEOUT" modprobe "$m" >>"$R/kunit/modprobe.out" 2>&1 || rc=$?
			for s in /sys/kernel/debug/kunit/*; do
				grep -qxF "${s##*/}" <<<"$before" && continue
				cp "$s/results" "$R/kunit/${s##*/}.ktap"
			done
			# debugfs results vanish on unload: copied above first.
			modprobe -r "$m" >>"$R/kunit/modprobe.out" 2>&1 || rc=$((rc ? rc : 1))
		done
	fi
	kmsg "end kunit rc=$rc"
	dmesg_since "begin kunit" >"$R/kunit.dmesg"
	echo "$rc" >"$R/kunit.rc"
fi

# --------------------------------------------------------------- teardown --
kmsg "begin teardown"
: >"$R/unload.err"
mods=()
for f in "/lib/modules/$kver/extra"/*.ko; do
	[[ -e $f ]] || continue
	m=${f##*/}
	mods+=("${m%.ko}")
done
# Unload in any order that works (dependencies first), a few passes.
for _ in 1 2 3 4; do
	for m in "${mods[@]}"; do
		[[ -d /sys/module/$m ]] || continue
		[[ $(cat "/sys/module/$m/refcnt" 2>/dev/null || echo 0) == 0 ]] || continue
		rmmod "$m" 2>>"$R/unload.err.tmp"
	done
done
for m in "${mods[@]}"; do
	if [[ -d /sys/module/$m ]]; then
		echo "module $m still loaded after the tests (refcnt $(cat "/sys/module/$m/refcnt" 2>/dev/null))" >>"$R/unload.err"
	fi
done
rm -f "$R/unload.err.tmp"
if [[ ${VSW_KMEMLEAK:-0} == 1 && -w /sys/kernel/debug/kmemleak ]]; then
	sleep 6 # kmemleak ignores objects younger than 5 s
	echo scan >/sys/kernel/debug/kmemleak
	sleep 1
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >"$R/kmemleak.txt"
fi
kmsg "end teardown"
dmesg_since "begin teardown" >"$R/teardown.dmesg"
dmesg >"$R/full.dmesg"

echo "stage2: done at uptime $(cut -d' ' -f1 /proc/uptime)"
echo "$nonce" >"$R/token"
poweroff_now
