#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a test kernel under QEMU (TCG), run tests inside it, report KTAP.
#
#   selftests/vm/run.sh -k deb61|deb612|debug [options] [TEST...]
#
#   TEST...            test scripts (paths relative to the repo root);
#                      default: every executable selftests/*.sh except
#                      demo.sh and *lib.sh
#   -k KERNEL          kernel to boot (see scripts/kernel-info.sh)
#   -n LABEL           prefix of the result names (default KERNEL)
#   -m DIR             install DIR/*.ko into /lib/modules/$(uname -r)/extra
#                      in the guest (repeatable); default build/<kver>/kmod
#                      if it holds modules
#   -o DIR             results dir (default build/results/<LABEL>)
#   -T SECS            per-test timeout (default 120, 600 on debug); a test
#                      can declare its own in its first 10 lines:
#                      "# vsw-timeout: SECS" (multiplied by 5 on debug)
#   -W SECS            overall VM timeout (default: computed from the tests)
#   -c CPUS            vCPUs of the guest (default 1; make check boots the
#                      debug kernel's tests that declare "# vsw-smp: 2" in
#                      their first 10 lines in a VM of their own with -c 2)
#   -u                 run KUnit: modprobe every *_kunit.ko of the module
#                      dirs (vsw_kunit), collect the debugfs KTAP
#   -i                 interactive: only boot to a shell (no tests, no verdict)
#   -v                 stream the serial console while the VM runs
#   env VSW_QEMU_CPU   qemu -cpu model (default qemu64: under TCG it runs
#                      fork/exec-heavy test scripts 2-3x faster than "max")
#   env VSW_QEMU_EXTRA extra qemu arguments appended to the command line,
#                      split on whitespace (e.g. "-icount shift=0,sleep=off"
#                      for bench/run: guest time follows instructions run)
#   env VSW_STRESS_*   passed to the tests in the guest (selftests/stress.sh)
#
# Verdicts (host side, fail closed). One result per line of summary.tsv
# (KERNEL below is LABEL when -n is given):
#   KERNEL:boot        stage 2 started, setup went fine, no splat before tests
#   KERNEL:TEST        exit 0 and no splat = pass; exit 4 and no splat = skip;
#                      anything else (exit code, timeout, kernel splat in the
#                      kernel log written during the test, links or netns
#                      left behind, guest died during the test, test never
#                      ran) = FAIL
#   KERNEL:kunit:SUITE.CASE  (with -u) each KUnit case; missing results = FAIL
#   KERNEL:teardown    our modules unload cleanly, no splat during teardown,
#                      (debug) kmemleak reports no unreferenced object
#   KERNEL:vm          the guest wrote the per-run nonce (success token)
#                      after everything ran; panic/hang/timeout = FAIL
# Exit status: 0 if nothing failed, 1 otherwise.
set -euo pipefail
# The whole script is one block: bash parses it before running it, so
# editing or checking out this file while it runs is harmless.
{

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)

SPLAT_RE='BUG:|WARNING:|KASAN|UBSAN|possible recursive locking|circular locking|suspicious RCU usage|inconsistent lock state|sleeping function called from invalid context|detected stalls|Oops|kernel BUG|unreferenced object|general protection fault|Call Trace|Kernel panic|list_(add|del) corruption|refcount_t:|blocked for more than'

kname=
label=
moddirs=()
results=
test_timeout=
vm_timeout=
cpus=1
kunit=0
interactive=0
verbose=${VSW_VERBOSE:-0}

usage() { awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "${BASH_SOURCE[0]}"; exit 2; }
die() { echo "run.sh: ERROR: $*" >&2; exit 1; }

while getopts "k:n:m:o:T:W:c:uivh" opt; do
	case $opt in
	k) kname=$OPTARG ;;
	n) label=$OPTARG ;;
	m) moddirs+=("$(realpath "$OPTARG")") ;;
	o) results=$OPTARG ;;
	T) test_timeout=$OPTARG ;;
	W) vm_timeout=$OPTARG ;;
	c) cpus=$OPTARG ;;
	u) kunit=1 ;;
	i) interactive=1 ;;
	v) verbose=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[[ -n $kname ]] || usage
[[ $cpus =~ ^[1-4]$ ]] || die "-c takes 1-4 vCPUs (the debug kernel has NR_CPUS=4)"
label=${label:-$kname}

eval "$("$src/scripts/kernel-info.sh" "$kname")"
: "${KIMAGE:?}" "${KVER:?}" "${KDIR:?}" "${KDEBUG:?}"
[[ -r $KIMAGE ]] || die "kernel image $KIMAGE not readable"

# ------------------------------------------------------------ test list ----
tests=()
if [[ $# -gt 0 ]]; then
	for t in "$@"; do
		t=$(realpath -m "$t")
		[[ $t == "$src"/* ]] || die "test $t is not inside $src"
		[[ -f $t && -x $t ]] || die "test $t is not an executable file"
		tests+=("${t#"$src"/}")
	done
else
	for t in "$src"/selftests/*.sh; do
		[[ -f $t && -x $t ]] || continue
		case ${t##*/} in demo.sh | *lib.sh) continue ;; esac
		tests+=("${t#"$src"/}")
	done
fi
declare -A seen_names=()
for t in "${tests[@]}"; do
	n=${t##*/}
	[[ -z ${seen_names[$n]:-} ]] || die "two tests named $n"
	seen_names[$n]=1
done

if [[ ${#moddirs[@]} == 0 ]] && compgen -G "$src/build/$KVER/kmod/*.ko" >/dev/null; then
	moddirs=("$src/build/$KVER/kmod")
fi
for d in "${moddirs[@]}"; do
	compgen -G "$d/*.ko" >/dev/null || die "no .ko files in $d"
done
kunit_mods=()
if [[ $kunit == 1 ]]; then
	for d in "${moddirs[@]}"; do
		for k in "$d"/*_kunit.ko; do
			[[ -e $k ]] || continue
			k=${k##*/}
			kunit_mods+=("${k%.ko}")
		done
	done
	[[ ${#kunit_mods[@]} -gt 0 ]] || die "-u given but no *_kunit.ko in: ${moddirs[*]:-(no module dirs)}"
fi

explicit_timeout=$test_timeout
if [[ -z $test_timeout ]]; then
	test_timeout=120
	[[ $KDEBUG == 1 ]] && test_timeout=600
fi
# A test may declare its own timeout (for the Debian kernels; x5 on the
# debug kernel) in its first 10 lines:   # vsw-timeout: SECS
# An explicit -T is a floor for it (make soak runs a test longer).
timeouts=()
max_timeout=$test_timeout
for t in "${tests[@]}"; do
	tt=$(head -n 10 "$src/$t" | sed -n 's/^# vsw-timeout: *\([0-9][0-9]*\) *$/\1/p' | head -n 1)
	if [[ -n $tt ]]; then
		[[ $KDEBUG == 1 ]] && tt=$((tt * 5))
		[[ -n $explicit_timeout ]] && ((explicit_timeout > tt)) && tt=$explicit_timeout
	else
		tt=$test_timeout
	fi
	timeouts+=("$tt")
	((tt > max_timeout)) && max_timeout=$tt
done
boot_budget=120
[[ $KDEBUG == 1 ]] && boot_budget=400
if [[ -z $vm_timeout ]]; then
	vm_timeout=$((boot_budget + (${#tests[@]} + kunit) * (max_timeout + 10) + 90))
fi
mem=1G
[[ $KDEBUG == 1 ]] && mem=2G

# --------------------------------------------------------------- prepare --
results=${results:-$src/build/results/${label//\//-}}
mkdir -p "$(dirname "$results")"
# one run per results dir at a time (several people share a checkout)
exec 8>"$results.lock"
flock -n 8 || die "another run is using $results (pass -o DIR)"
rm -rf "$results"
mkdir -p "$results" "$src/build/vm"
results=$(realpath "$results")
chmod 777 "$results"
[[ $results != *,* ]] || die "results dir $results contains a comma (qemu option syntax)"

initrd=$src/build/vm/initramfs-$KVER.cpio
if [[ ! -s $initrd || $here/init -nt $initrd || $here/mkinitramfs.sh -nt $initrd ]]; then
	"$here/mkinitramfs.sh" "$KVER" "$initrd"
fi

nonce=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
{
	printf 'VSW_SRC=%q\n' "$src"
	printf 'VSW_KERNEL=%q\n' "$kname"
	printf 'VSW_TEST_TIMEOUT=%q\n' "$test_timeout"
	printf 'VSW_KUNIT=%q\n' "$kunit"
	printf 'VSW_KUNIT_MODULES=('; printf '%q ' "${kunit_mods[@]}"; printf ')\n'
	printf 'VSW_KMEMLEAK=%q\n' "$KDEBUG"
	printf 'VSW_INTERACTIVE=%q\n' "$interactive"
	printf 'VSW_TESTS=('; [[ ${#tests[@]} == 0 ]] || printf '%q ' "${tests[@]}"; printf ')\n'
	printf 'VSW_TEST_TIMEOUTS=('; [[ ${#tests[@]} == 0 ]] || printf '%q ' "${timeouts[@]}"; printf ')\n'
	# test knobs (selftests/stress.sh) reach the guest's tests
	for v in ${!VSW_STRESS_@}; do printf 'export %s=%q\n' "$v" "${!v}"; done
} >"$results/config.sh"

# Module index for the guest, made here (depmod over 9p under TCG takes
# ~30 s): a depmod base dir with the kernel's own modules (symlinked), its
# modules.builtin* and our modules in extra/. The guest copies lib-modules/
# into its writable (overlayfs) /lib/modules/$(uname -r).
depbase=$(mktemp -d)
qpid=
tailpid=
# shellcheck disable=SC2317 # invoked by the trap
cleanup() {
	rm -rf "$depbase"
	# never leave a QEMU behind when this script is interrupted
	if [[ -n $qpid ]]; then kill "$qpid" 2>/dev/null || true; fi
	if [[ -n $tailpid ]]; then kill "$tailpid" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
mdir=$depbase/lib/modules/$KVER
mkdir -p "$mdir/extra"
if [[ $KDEBUG == 1 ]]; then
	mfrom=$KDIR # the debug kernel has no /lib/modules/$KVER: all built in
else
	mfrom=/lib/modules/$KVER
	ln -s "$mfrom/kernel" "$mdir/kernel"
fi
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[[ -f $mfrom/$f ]] && cp "$mfrom/$f" "$mdir/"
done
for d in "${moddirs[@]}"; do
	cp "$d"/*.ko "$mdir/extra/"
done
depmod -b "$depbase" "$KVER" || die "depmod for $KVER failed"
mkdir -p "$results/lib-modules"
cp -r "$mdir/extra" "$mdir"/modules.* "$results/lib-modules/"

append="console=ttyS0,115200 rdinit=/init panic=-1 log_buf_len=16M loglevel=5"
append+=" rcupdate.rcu_cpu_stall_timeout=60 mitigations=off"
append+=" vsw.nonce=$nonce vsw.stage2=$here/stage2.sh"
# debug kernel: a WARN (KASAN, lockdep, ...) ends the run; AML is so slow
# under KASAN+TCG that ACPI's _PRT hits AE_AML_LOOP_TIMEOUT (2x30 s): no ACPI
# (MP table IRQ routing; we reset instead of powering off anyway); KUnit
# is not enabled by default with allnoconfig.
# More than one vCPU: SeaBIOS's MP table lists only the boot CPU under
# TCG, so the CPUs come from ACPI's MADT, without the interpreter (acpi=ht).
if [[ $KDEBUG == 1 ]]; then
	append+=" panic_on_warn=1 oops=panic kunit.enable=1"
	if ((cpus > 1)); then append+=" acpi=ht"; else append+=" acpi=off"; fi
fi

# shellcheck disable=SC2054 # commas are qemu option syntax
qemu=(qemu-system-x86_64 -accel tcg -cpu "${VSW_QEMU_CPU:-qemu64}" -m "$mem" -smp "$cpus" -nodefaults
	-display none -no-reboot -monitor none
	-kernel "$KIMAGE" -initrd "$initrd" -append "$append"
	-fsdev "local,id=r,path=/,security_model=none,readonly=on,multidevs=remap"
	-device virtio-9p-pci,fsdev=r,mount_tag=hostroot
	-fsdev "local,id=res,path=$results,security_model=none,multidevs=remap"
	-device virtio-9p-pci,fsdev=res,mount_tag=results)
# shellcheck disable=SC2206 # word splitting wanted
[[ -n ${VSW_QEMU_EXTRA:-} ]] && qemu+=($VSW_QEMU_EXTRA)

if [[ $interactive == 1 ]]; then
	# Boot to a shell: stage2 sees VSW_INTERACTIVE=1 and starts bash on the
	# console instead of the tests.
	exec "${qemu[@]}" -serial mon:stdio
fi

# ------------------------------------------------------------------- run --
console=$results/console.log
echo "# [$label] booting $KIMAGE ($KVER), $cpus vCPU(s), ${#tests[@]} test(s), timeout ${vm_timeout}s"
t_start=$SECONDS
timeout -k 10 "$vm_timeout" "${qemu[@]}" -serial "file:$console" </dev/null \
	>"$results/qemu.out" 2>&1 &
qpid=$!
if [[ $verbose == 1 ]]; then
	tail -n +1 -F "$console" 2>/dev/null | sed "s/^/[$label] /" &
	tailpid=$!
fi
declare -A reported=()
t_stage2="?"
progress() {
	local f n
	if [[ -z ${reported[__stage2]:-} && -f $results/stage2.started ]]; then
		reported[__stage2]=1
		t_stage2=$((SECONDS - t_start))
		echo "# [$label] stage 2 started after ${t_stage2}s"
	fi
	for f in "$results"/tests/*.rc; do
		[[ -e $f ]] || continue
		n=${f##*/}; n=${n%.rc}
		[[ -n ${reported[$n]:-} ]] && continue
		reported[$n]=1
		echo "# [$label] $n finished: exit $(cat "$f") in $(cat "$results/tests/$n.secs" 2>/dev/null)s"
	done
}
# Stall watchdog: the guest must start stage 2 within the boot budget and
# then finish a test at least every 1.5 test timeouts (KUnit/teardown
# included); otherwise the VM is killed (a hung kernel would else sit until
# the overall timeout).
last_progress=$SECONDS
nprog=0
stalled=0
while kill -0 "$qpid" 2>/dev/null; do
	sleep 2
	progress
	if [[ ${#reported[@]} != "$nprog" ]]; then
		nprog=${#reported[@]}
		last_progress=$SECONDS
	fi
	# (after a test's timeout the guest still collects its dmesg and cleans
	# up, slowly on the debug kernel: allow half a test timeout, >= 120 s)
	budget=$((max_timeout + (max_timeout / 2 > 120 ? max_timeout / 2 : 120)))
	[[ -z ${reported[__stage2]:-} ]] && budget=$boot_budget
	if ((SECONDS - last_progress > budget)); then
		echo "# [$label] no progress for ${budget}s: killing the VM"
		stalled=1
		kill "$qpid" 2>/dev/null || true
		sleep 5
		pkill -KILL -P "$qpid" 2>/dev/null || true
		break
	fi
done
qrc=0
wait "$qpid" || qrc=$?
qpid=
progress
if [[ -n $tailpid ]]; then kill "$tailpid" 2>/dev/null || true; fi
t_run=$((SECONDS - t_start))

# -------------------------------------------------------------- verdicts --
summary=$results/summary.tsv
: >"$summary"
nres=0
nfail=0
nskip=0
npass=0
ktap=()
console_shown=0

result() { # status name detail
	local st=$1 name=$2 detail=${3:-}
	printf '%s\t%s\t%s\n' "$st" "$name" "$detail" >>"$summary"
	nres=$((nres + 1))
	case $st in
	pass) npass=$((npass + 1)); ktap+=("ok $nres $name${detail:+ # $detail}") ;;
	skip) nskip=$((nskip + 1)); ktap+=("ok $nres $name # SKIP $detail") ;;
	*) nfail=$((nfail + 1)); ktap+=("not ok $nres $name${detail:+ # $detail}") ;;
	esac
}

# show TEXT...: diagnostic lines attached to the next verdict line
show() { local l; while IFS= read -r l; do ktap+=("#   $l"); done; }

splat_of() { # file -> prints the splat context, status 0 if any
	[[ -s $1 ]] || return 1
	grep -qE "$SPLAT_RE" "$1" || return 1
	local first
	first=$(grep -nE "$SPLAT_RE" "$1" | head -n 1 | cut -d: -f1)
	sed -n "$((first > 5 ? first - 5 : 1)),$((first + 45))p" "$1"
}

show_console() {
	[[ $console_shown == 1 ]] && return
	console_shown=1
	show <<<"--- last 60 lines of the serial console ($console) ---"
	show < <(tail -n 60 "$console" 2>/dev/null)
}

token_ok=0
if [[ -f $results/token && $(cat "$results/token") == "$nonce" ]]; then
	token_ok=1
fi

# boot/setup
if [[ ! -f $results/stage2.started ]]; then
	show_console
	result fail "$label:boot" "stage 2 never started (init or 9p root failed)"
elif [[ -s $results/setup.err ]]; then
	show <"$results/setup.err"
	result fail "$label:boot" "setup error"
elif splat=$(splat_of "$results/boot.dmesg"); then
	show <<<"$splat"
	result fail "$label:boot" "kernel splat during boot"
elif [[ ! -f $results/boot.dmesg ]]; then
	show_console
	result fail "$label:boot" "guest died during setup"
else
	result pass "$label:boot" "stage 2 after ${t_stage2}s"
fi

for t in "${tests[@]}"; do
	n=${t##*/}
	base=$results/tests/$n
	name="$label:$n"
	if [[ ! -e $base.started ]]; then
		result fail "$name" "never ran (guest died earlier)"
		continue
	fi
	if [[ ! -e $base.rc ]]; then
		show < <(tail -n 30 "$base.out" 2>/dev/null)
		show_console
		result fail "$name" "guest died or hung during this test"
		continue
	fi
	rc=$(cat "$base.rc")
	secs=$(cat "$base.secs" 2>/dev/null || echo "?")
	subs=$(grep -cE '^(not )?ok [0-9]+' "$base.out" 2>/dev/null || true)
	left=
	[[ -s $base.leftover ]] && left="; left behind: $(tr '\n' ' ' <"$base.leftover")"
	if splat=$(splat_of "$base.dmesg"); then
		show < <(tail -n 30 "$base.out")
		show <<<"--- kernel log ---"
		show <<<"$splat"
		result fail "$name" "kernel splat (exit $rc, ${secs}s)$left"
	elif [[ $rc == 124 || $rc == 137 ]]; then
		show < <(tail -n 30 "$base.out")
		result fail "$name" "timeout after ${secs}s$left"
	elif [[ $rc != 0 && $rc != 4 ]]; then
		show < <(tail -n 40 "$base.out")
		result fail "$name" "exit $rc, ${secs}s$left"
	elif [[ -n $left ]]; then
		show <"$base.leftover"
		result fail "$name" "exit $rc but left links/netns behind (cleanup missing)$left"
	elif [[ $rc == 0 ]]; then
		result pass "$name" "${subs} subtests, ${secs}s"
	else
		result skip "$name" "$(grep -m1 -oE 'SKIP.*' "$base.out" | cut -c6- || true)"
	fi
done

if [[ $kunit == 1 ]]; then
	ncase=0
	if [[ ! -f $results/kunit.rc ]]; then
		show_console
		result fail "$label:kunit" "guest died before/during KUnit"
	else
		for k in "$results"/kunit/*.ktap; do
			[[ -e $k ]] || continue
			suite=${k##*/}; suite=${suite%.ktap}
			# case lines are indented one level: "    ok 1 name"
			while IFS= read -r line; do
				ncase=$((ncase + 1))
				cname=$(sed -E 's/^ *(not )?ok [0-9]+ //; s/ #.*//' <<<"$line")
				if [[ $line =~ ^\ +not\ ok ]]; then
					show <"$k"
					result fail "$label:kunit:$suite.$cname"
				elif [[ $line =~ \#\ SKIP ]]; then
					result skip "$label:kunit:$suite.$cname" "${line##*# SKIP}"
				else
					result pass "$label:kunit:$suite.$cname"
				fi
			done < <(grep -E '^    (not )?ok [0-9]+ ' "$k")
			# a suite can fail outside its cases (suite_init, ...)
			if grep -qE '^not ok [0-9]+ ' "$k" && ! grep -qE '^    not ok [0-9]+ ' "$k"; then
				show <"$k"
				result fail "$label:kunit:$suite" "suite failed"
			fi
		done
		krc=$(cat "$results/kunit.rc")
		if splat=$(splat_of "$results/kunit.dmesg"); then
			show <<<"$splat"
			result fail "$label:kunit" "kernel splat during KUnit"
		elif [[ $krc != 0 || $ncase == 0 ]]; then
			show < <(cat "$results/kunit/modprobe.out" "$results/kunit/error" 2>/dev/null)
			result fail "$label:kunit" "modprobe ${kunit_mods[*]} exit $krc, $ncase cases found"
		fi
	fi
fi

# teardown
if [[ ! -f $results/teardown.dmesg ]]; then
	show_console
	result fail "$label:teardown" "guest died before teardown finished"
else
	td_fail=
	if [[ -s $results/unload.err ]]; then
		show <"$results/unload.err"
		td_fail="module unload failed"
	fi
	if splat=$(splat_of "$results/teardown.dmesg"); then
		show <<<"$splat"
		td_fail="${td_fail:+$td_fail; }kernel splat during teardown"
	fi
	if [[ $KDEBUG == 1 ]]; then
		if [[ ! -f $results/kmemleak.txt ]]; then
			td_fail="${td_fail:+$td_fail; }kmemleak report missing"
		elif grep -q 'unreferenced object' "$results/kmemleak.txt"; then
			show < <(head -n 60 "$results/kmemleak.txt")
			td_fail="${td_fail:+$td_fail; }kmemleak: $(grep -c 'unreferenced object' "$results/kmemleak.txt") leak(s)"
		fi
	fi
	if [[ -n $td_fail ]]; then
		result fail "$label:teardown" "$td_fail"
	else
		result pass "$label:teardown"
	fi
fi

if [[ $token_ok == 1 ]]; then
	result pass "$label:vm" "${t_run}s"
else
	why="no success token"
	[[ $qrc == 124 || $qrc == 137 ]] && why="VM timed out after ${vm_timeout}s, no success token"
	[[ $stalled == 1 ]] && why="VM stalled (no progress), killed, no success token"
	grep -q 'Kernel panic' "$console" 2>/dev/null && why="kernel panic, no success token"
	show_console
	result fail "$label:vm" "$why"
fi

echo "TAP version 13"
echo "1..$nres"
printf '%s\n' "${ktap[@]}"
echo "# [$label] $KVER: ${t_run}s in the VM; $npass passed, $nfail failed, $nskip skipped"
[[ $nfail == 0 ]]
exit
}
