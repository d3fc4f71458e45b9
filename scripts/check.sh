#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2016,SC2153,SC2012,SC2317,SC2030,SC2031
#
# `make check` driver. Jobs:
#   host       build tools/vswctl (first, the guests use it), then
#              `make -C tools/vswctl check` (its results are counted) and
#              scripts/test-install.sh (make install into a scratch DESTDIR)
#   harness    negative control of the VM harness on deb61 (fixture tests)
#   deb61      build modules (W=1 C=1: warnings = failure) + all selftests
#   deb612     same on the newest Debian 6.12 kernel
#   debug      build/reuse the debug kernel (KASAN, lockdep, kmemleak,
#              KUnit) in the background at nice 10, build the modules, then
#              run KUnit + all selftests split over VSW_DEBUG_SHARDS VMs
# Up to VSW_JOBS (default 2 = the cores) jobs run at once; the debug kernel
# build does not count (it is niced). Each job's output is printed in one
# piece when it ends; a heartbeat line is printed every minute meanwhile.
#
# Environment (make passes its command line variables):
#   K="deb61 deb612 debug"   kernels to use     T=GLOB  tests to run (file name)
#   PHASES="host harness kernels"               W=1 C=1 kbuild flags (W= C= off)
#   VSW_TEST_TIMEOUT per-test seconds           VSW_JOBS, VSW_DEBUG_SHARDS
#
# Counting: one result per test file per kernel, per KUnit case, per build,
# plus each VM's boot/teardown/token checks (selftests/vm/run.sh), the
# harness checks, and tools/vswctl's own count. The last line is
# "N passed, N failed[, N skipped]"; exit status 1 if anything failed.
set -uo pipefail
# The whole script is one block: bash parses it before running it, so
# editing or checking out this file while it runs is harmless.
{
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$src" || exit 1

K=${K:-deb61 deb612 debug}
K=${K//,/ }
T=${T:-}
PHASES=${PHASES:-host harness kernels}
W=${W-1}
C=${C-1}
JOBS=${VSW_JOBS:-$(nproc)}
SHARDS=${VSW_DEBUG_SHARDS:-2}
out=$src/build/check
logs=$src/build/logs
mkdir -p "$src/build"
exec 9>"$src/build/check.lock"
if ! flock -n 9; then
	echo "# another make check runs in this checkout; waiting for it"
	flock 9
fi
rm -rf "$out"
mkdir -p "$out" "$logs" "$src/build/durations"
t_all=$SECONDS
timings=()

# Results of the current job go to $results (one file per job, merged at the
# end in a fixed order).
results=$out/main.tsv
: >"$results"

record() { # status name [detail]
	local st=$1 name=$2 detail=${3:-}
	printf '%s\t%s\t%s\n' "$st" "$name" "$detail" >>"$results"
	case $st in
	pass) echo "ok $name${detail:+ # $detail}" ;;
	skip) echo "ok $name # SKIP $detail" ;;
	*) echo "not ok $name${detail:+ # $detail}" ;;
	esac
}

has_phase() { [[ " $PHASES " == *" $1 "* ]]; }
has_kernel() { [[ " $K " == *" $1 "* ]]; }

for k in $K; do
	case $k in deb61 | deb612 | debug) ;; *)
		echo "check: unknown kernel '$k' (K= takes deb61, deb612, debug)" >&2
		exit 2 ;;
	esac
done

# ---------------------------------------------------------------- tests ----
tests=()
for t in selftests/*.sh; do
	[[ -f $t && -x $t ]] || continue
	b=${t##*/}
	case $b in demo.sh | *lib.sh) continue ;; esac
	# shellcheck disable=SC2053 # T is a glob on purpose
	[[ -z $T || $b == $T || ${b%.sh} == $T ]] || continue
	tests+=("$t")
done
echo "# vsw check: kernels [$K], phases [$PHASES], ${#tests[@]} selftest(s)${T:+ matching '$T'}, $JOBS job(s)"
if [[ -n $T && ${#tests[@]} == 0 ]]; then
	record fail "selftests" "no executable selftests/*.sh matches T='$T'"
fi

# ------------------------------------------------------------- job pool ----
declare -A job_pid=() job_t0=() job_desc=()
running=()
queue=()

start_job() { # LABEL DESCRIPTION FUNC ARGS...
	local label=$1 desc=$2
	shift 2
	(
		results=$out/job-$label.tsv
		: >"$results"
		"$@"
	) >"$logs/job-$label.log" 2>&1 </dev/null &
	job_pid[$label]=$!
	job_t0[$label]=$SECONDS
	job_desc[$label]=$desc
	running+=("$label")
	echo "# started: $desc"
}

finish_job() { # LABEL
	local label=$1 rc=0 r keep=()
	wait "${job_pid[$label]}" || rc=$?
	local secs=$((SECONDS - job_t0[$label]))
	echo "# ---- ${job_desc[$label]}: ${secs}s ----"
	cat "$logs/job-$label.log"
	timings+=("$(printf '%-40s %5ds' "${job_desc[$label]}" "$secs")")
	if [[ $rc != 0 ]]; then
		# a job function never exits non-zero on its own: it died
		printf 'fail\t%s\tjob died (exit %s, log %s)\n' "$label" "$rc" "$logs/job-$label.log" >>"$out/job-$label.tsv"
		echo "not ok $label # job died (exit $rc)"
	fi
	for r in "${running[@]}"; do [[ $r == "$label" ]] || keep+=("$r"); done
	running=("${keep[@]}")
}

# counted jobs: everything in $running except the niced kernel build
counted() {
	local r c=0
	for r in "${running[@]}"; do [[ $r == debug-kernel ]] || c=$((c + 1)); done
	echo "$c"
}

run_pool() {
	local last_beat=$SECONDS r next
	while [[ ${#queue[@]} -gt 0 || ${#running[@]} -gt 0 ]]; do
		while [[ ${#queue[@]} -gt 0 && $(counted) -lt $JOBS ]]; do
			next=${queue[0]}
			queue=("${queue[@]:1}")
			# shellcheck disable=SC2086 # queue entries are "LABEL|DESC|FUNC ARGS"
			IFS='|' read -r l d f <<<"$next"
			# shellcheck disable=SC2086
			start_job "$l" "$d" $f
		done
		sleep 3
		for r in "${running[@]}"; do
			if ! kill -0 "${job_pid[$r]}" 2>/dev/null; then
				finish_job "$r"
				[[ $r == debug-kernel ]] && debug_kernel_done
			fi
		done
		if ((SECONDS - last_beat >= 60)); then
			last_beat=$SECONDS
			local s="" x
			for x in "${running[@]}"; do s+=" ${x}($((SECONDS - job_t0[$x]))s)"; done
			echo "# $((SECONDS - t_all))s: running:${s:- nothing}; queued: ${#queue[@]}"
		fi
	done
}

# ----------------------------------------------------------------- host ----
build_tools() {
	local log=$logs/vswctl.log
	if [[ ! -f tools/vswctl/Makefile ]]; then
		record fail "host:vswctl-build" "tools/vswctl/Makefile missing"
	elif make -C tools/vswctl >"$log" 2>&1; then
		record pass "host:vswctl-build"
	else
		sed 's/^/#   /' <(tail -n 30 "$log")
		record fail "host:vswctl-build" "log $log"
	fi
	# the raw-netlink fuzzer the netlink_* selftests run in the guest
	log=$logs/netlink_fuzz.log
	if make -C selftests/netlink_fuzz >"$log" 2>&1; then
		record pass "host:netlink_fuzz-build"
	else
		sed 's/^/#   /' <(tail -n 30 "$log")
		record fail "host:netlink_fuzz-build" "log $log"
	fi
	# the concurrency stress driver selftests/stress.sh runs in the guest
	log=$logs/stress.log
	if make -C selftests/stress >"$log" 2>&1; then
		record pass "host:stress-build"
	else
		sed 's/^/#   /' <(tail -n 30 "$log")
		record fail "host:stress-build" "log $log"
	fi
	# the vhost "guest" ring driver the vhost_* selftests run in the guest
	log=$logs/vhost_guest.log
	if make -C selftests/vhost >"$log" 2>&1; then
		record pass "host:vhost_guest-build"
	else
		sed 's/^/#   /' <(tail -n 30 "$log")
		record fail "host:vhost_guest-build" "log $log"
	fi
}

job_host() {
	# (not `make -n check`: recipe lines using $(MAKE) run even under -n)
	if ! grep -qE '^check[[:space:]]*:' tools/vswctl/Makefile 2>/dev/null; then
		record fail "host:vswctl-check" "tools/vswctl has no 'check' target"
		return 0
	fi
	local clog=$logs/vswctl-check.log rc=0 p f s line i
	make --no-print-directory -C tools/vswctl check >"$clog" 2>&1 || rc=$?
	# Count its results: its "N passed, N failed[, N skipped]" line if there
	# is one, else TAP "ok"/"not ok" lines, else one result (exit code).
	line=$(grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$clog" | tail -n 1)
	if [[ -n $line ]]; then
		p=$(sed -E 's/.*\b([0-9]+) passed.*/\1/' <<<"$line")
		f=$(sed -E 's/.*\b([0-9]+) failed.*/\1/' <<<"$line")
		s=0
		[[ $line == *skipped* ]] && s=$(sed -E 's/.*\b([0-9]+) skipped.*/\1/' <<<"$line")
	else
		s=$(grep -E '^ok [0-9]+' "$clog" | grep -c '# SKIP' || true)
		p=$(($(grep -cE '^ok [0-9]+' "$clog" || true) - s))
		f=$(grep -cE '^not ok [0-9]+' "$clog" || true)
	fi
	if [[ $((p + f + s)) == 0 ]]; then
		if [[ $rc == 0 ]]; then p=1; else f=1; fi
	elif [[ $rc != 0 && $f == 0 ]]; then
		f=1 # failed without saying which: still a failure
	fi
	grep -E '^not ok' "$clog" | head -n 20 | sed 's/^/#   /'
	for ((i = 0; i < p; i++)); do printf 'pass\thost:vswctl-check\t\n' >>"$results"; done
	for ((i = 0; i < f; i++)); do printf 'fail\thost:vswctl-check\t\n' >>"$results"; done
	for ((i = 0; i < s; i++)); do printf 'skip\thost:vswctl-check\t\n' >>"$results"; done
	echo "# host:vswctl-check: $p passed, $f failed, $s skipped (exit $rc, log $clog)"
	# make install into a scratch DESTDIR from a clean copy of the tree
	clog=$logs/install.log
	if scripts/test-install.sh >"$clog" 2>&1; then
		record pass "host:install"
	else
		grep -E '^(not ok|# )' "$clog" | head -n 20 | sed 's/^/#   /'
		record fail "host:install" "log $clog"
	fi
}

# -------------------------------------------------------------- harness ----
# Negative control: the runner must report exactly what
# selftests/harness/expected.tsv says for the fixture tests (a passing, a
# failing, a skipping, a WARN-ing, a leaking, a hanging and a crashing
# test...), and the host-side VM timeout must fail a run that never ends.
job_harness() {
	local kver kdir rdir log ok=1 st name detail got gdetail rrc=0
	if ! eval "$(scripts/kernel-info.sh deb61)"; then
		record fail "harness:negative-control" "no deb61 kernel"
		return 0
	fi
	kver=$KVER kdir=$KDIR
	log=$logs/harness-fixture.log
	if ! scripts/build-modules.sh -f "$kdir" >"$log" 2>&1; then
		record fail "harness:negative-control" "fixture build failed (log $log)"
		return 0
	fi
	rdir=$src/build/results/harness
	selftests/vm/run.sh -k deb61 -n harness -m "build/$kver/fixture" -o "$rdir" \
		selftests/harness/tests/*.sh >"$logs/harness-run.log" 2>&1 || rrc=$?
	[[ $rrc != 0 ]] || { echo "#   runner exited 0 on a run with failures"; ok=0; }
	while IFS=$'\t' read -r st name detail; do
		[[ -z $st || $st == \#* ]] && continue
		name=harness:$name
		got=$(awk -F'\t' -v n="$name" '$2 == n { print $1 }' "$rdir/summary.tsv" 2>/dev/null)
		gdetail=$(awk -F'\t' -v n="$name" '$2 == n { print $3 }' "$rdir/summary.tsv" 2>/dev/null)
		if [[ $got != "$st" || $gdetail != *"$detail"* ]]; then
			echo "#   $name: expected '$st${detail:+ ($detail)}', runner said '${got:-nothing}${gdetail:+ ($gdetail)}'"
			ok=0
		fi
	done <selftests/harness/expected.tsv
	local nexp ngot
	nexp=$(grep -cvE '^(#|$)' selftests/harness/expected.tsv)
	ngot=$(wc -l <"$rdir/summary.tsv" 2>/dev/null || echo 0)
	[[ $nexp == "$ngot" ]] || { echo "#   expected $nexp results, runner gave $ngot"; ok=0; }
	if [[ $ok == 1 ]]; then
		record pass "harness:negative-control" "runner caught fail/skip/WARN/leftover/timeout/crash/not-run"
	else
		sed 's/^/#   /' "$logs/harness-run.log" | tail -n 40
		record fail "harness:negative-control" "runner verdicts differ from selftests/harness/expected.tsv"
	fi

	# A VM that never finishes (here: 8 s budget) must fail, fail its tests
	# and not leave a token.
	rdir=$src/build/results/harness-timeout
	if selftests/vm/run.sh -k deb61 -n harness -W 8 -o "$rdir" selftests/harness/tests/01-pass.sh \
		>"$logs/harness-timeout.log" 2>&1; then
		record fail "harness:vm-timeout" "runner passed a VM killed by its timeout"
	elif grep -qP '^fail\tharness:vm\tVM timed out' "$rdir/summary.tsv" &&
		grep -qP '^fail\tharness:01-pass.sh\t' "$rdir/summary.tsv" &&
		! grep -qP '^pass\tharness:(01-pass.sh|teardown|vm)\t' "$rdir/summary.tsv"; then
		record pass "harness:vm-timeout" "hung VM detected"
	else
		sed 's/^/#   /' "$logs/harness-timeout.log" | tail -n 20
		record fail "harness:vm-timeout" "runner verdicts wrong for a timed-out VM"
	fi
}

# -------------------------------------------------------------- kernels ----
# build_modules NAME: sets MFLAGS (-m DIR or nothing); returns 1 if the tests
# cannot run. Records the "$k:build" result.
build_modules() {
	local k=$1 log warns bflags=() t0=$SECONDS
	MFLAGS=()
	if ! eval "$(scripts/kernel-info.sh "$k")"; then
		record fail "$k:kernel" "kernel not available"
		return 1
	fi
	echo "# [$k] $KVER ($KIMAGE)"
	[[ -n $W ]] && bflags+=("W=$W")
	[[ -n $C ]] && bflags+=("C=$C")
	if [[ ! -f kmod/Kbuild && ! -f kmod/Makefile ]]; then
		record skip "$k:build" "kmod/Kbuild not present yet"
		return 0
	fi
	log=$src/build/$KVER/build.log
	if ! scripts/build-modules.sh "$KDIR" "${bflags[@]}" >/dev/null 2>&1; then
		sed 's/^/#   /' <(grep -E 'error|warning' "$log" | head -n 40)
		record fail "$k:build" "module build failed (log $log)"
		record fail "$k:selftests" "not run: module build failed"
		return 1
	fi
	echo "# [$k] modules built in $((SECONDS - t0))s"
	# compiler (W=1) and sparse (C=1) warnings fail the build result
	warns=$(grep -cE '(warning|error):' "$log" || true)
	if [[ $warns != 0 ]]; then
		sed 's/^/#   /' <(grep -E '(warning|error):' "$log" | head -n 40)
		record fail "$k:build" "$warns warning(s) with ${bflags[*]} (log $log)"
	else
		record pass "$k:build" "$(cd "build/$KVER/kmod" && ls -- *.ko 2>/dev/null | tr '\n' ' ')${bflags[*]}"
	fi
	compgen -G "build/$KVER/kmod/*.ko" >/dev/null && MFLAGS=(-m "build/$KVER/kmod")
	return 0
}

# vm_run KERNEL LABEL [RUN.SH FLAGS] -- TESTS...
vm_run() {
	local k=$1 label=$2 flags=() rdir
	shift 2
	while [[ $# -gt 0 && $1 != -- ]]; do flags+=("$1"); shift; done
	shift
	[[ -n ${VSW_TEST_TIMEOUT:-} ]] && flags+=(-T "$VSW_TEST_TIMEOUT")
	rdir=$src/build/results/${label//\//-}
	selftests/vm/run.sh -k "$k" -n "$label" -o "$rdir" "${flags[@]}" "$@"
	if [[ -s $rdir/summary.tsv ]]; then
		cat "$rdir/summary.tsv" >>"$results"
		# remember test durations to balance the debug shards next time
		local f
		for f in "$rdir"/tests/*.secs; do
			[[ -e $f ]] || continue
			printf '%s\t%s\n' "$(basename "$f" .secs)" "$(cat "$f")"
		done >>"$src/build/durations/$k.tsv"
	else
		record fail "$label:vm" "runner produced no results"
	fi
}

job_kernel() { # deb61 | deb612
	local k=$1
	build_modules "$k" || return 0
	vm_run "$k" "$k" "${MFLAGS[@]}" -- "${tests[@]}"
}

# Debug kernel: built in the background (not counted in VSW_JOBS), then
# modules, then the shards are queued.
job_debug_kernel() {
	local t0=$SECONDS
	if scripts/build-debug-kernel.sh; then
		record pass "debug:kernel-build" "$((SECONDS - t0))s"
		build_modules debug || return 0
		printf '%s\n' "${MFLAGS[@]}" >"$out/debug-mflags"
	else
		record fail "debug:kernel-build" "see above"
	fi
	return 0
}

debug_kernel_done() {
	[[ -f $out/debug-mflags ]] || return 0 # kernel or module build failed
	local mflags=() kunit=() shards=$SHARDS i
	mapfile -t mflags <"$out/debug-mflags"
	eval "$(scripts/kernel-info.sh debug)"
	if [[ -f build/$KVER/kmod/vsw_kunit.ko ]]; then
		kunit=(-u)
	elif grep -qs kunit kmod/Kbuild; then
		results=$out/job-debug-kernel.tsv record fail "debug:kunit" \
			"kmod/Kbuild mentions KUnit but no vsw_kunit.ko was built"
	fi
	# tests that declare "# vsw-smp: N" (races: 2 vCPUs) get a VM of
	# their own on this kernel; the Debian kernels run them with the rest
	local smp_tests=() one_cpu=() t n smp=1
	for t in "${tests[@]}"; do
		n=$(head -n 10 "$t" | sed -n 's/^# vsw-smp: *\([0-9]\) *$/\1/p' | head -n 1)
		if [[ -n $n && $n -gt 1 ]]; then
			smp_tests+=("$t")
			((n > smp)) && smp=$n
		else
			one_cpu+=("$t")
		fi
	done
	((shards > ${#one_cpu[@]})) && shards=${#one_cpu[@]}
	((shards < 1 && ${#smp_tests[@]} == 0)) && shards=1
	# Longest-processing-time-first split, using durations of earlier runs
	# (unknown tests count 60 s).
	local -A dur=()
	local name secs
	if [[ -f build/durations/debug.tsv ]]; then
		while IFS=$'\t' read -r name secs; do dur[$name]=${secs%.*}; done <build/durations/debug.tsv
	fi
	local -a load=() members=()
	for ((i = 0; i < shards; i++)); do load[i]=0; members[i]=""; done
	while IFS=$'\t' read -r secs name; do
		local best=0
		for ((i = 1; i < shards; i++)); do ((load[i] < load[best])) && best=$i; done
		load[best]=$((load[best] + secs))
		members[best]+="$name "
	done < <(for t in "${one_cpu[@]}"; do printf '%s\t%s\n' "${dur[${t##*/}]:-60}" "$t"; done | sort -rn)
	for ((i = 0; i < shards; i++)); do
		local label=debug
		((shards > 1)) && label=debug/$((i + 1))
		local extra=()
		((i == 0)) && extra=("${kunit[@]}")
		# shellcheck disable=SC2206
		queue+=("${label//\//-}|kernel debug shard $((i + 1))/$shards (~${load[i]}s of tests)|vm_run debug $label ${mflags[*]} ${extra[*]} -- ${members[i]}")
	done
	if ((${#smp_tests[@]})); then
		((shards == 0)) || kunit=() # KUnit ran in shard 1
		queue+=("debug-smp|kernel debug, $smp vCPUs (${#smp_tests[@]} test(s))|vm_run debug debug/smp ${mflags[*]} ${kunit[*]} -c $smp -- ${smp_tests[*]}")
	fi
}

# ------------------------------------------------------------- schedule ----
if has_phase host || has_phase kernels; then
	build_tools # before any VM: the guests run tools/vswctl/vswctl
fi
if has_phase kernels && has_kernel debug; then
	dk=$(scripts/build-debug-kernel.sh --path)
	if [[ -f $dk/.vsw-built ]]; then
		# cached: build the modules now and queue the (longest) debug
		# shards first
		echo "# debug kernel: cached at $dk"
		results=$out/job-debug-kernel.tsv job_debug_kernel
		debug_kernel_done
	else
		echo "# debug kernel: not cached, building at nice 10 (log $logs/job-debug-kernel.log)"
		start_job debug-kernel "debug kernel build + modules" job_debug_kernel
	fi
fi
if has_phase kernels; then
	for k in deb61 deb612; do
		has_kernel "$k" && queue+=("$k|kernel $k (modules + VM)|job_kernel $k")
	done
fi
has_phase harness && queue+=("harness|harness self-test (deb61)|job_harness")
has_phase host && queue+=("host|host tests (make -C tools/vswctl check)|job_host")
run_pool

# -------------------------------------------------------------- summary ----
all=$out/results.tsv
cat "$out/main.tsv" >"$all"
for f in "$out"/job-*.tsv; do
	[[ -f $f ]] && cat "$f" >>"$all"
done
pass=$(grep -c '^pass' "$all")
fail=$(grep -c '^fail' "$all")
skip=$(grep -c '^skip' "$all")
echo "# ---- failures ----"
grep -P '^fail\t' "$all" | cut -f2,3 | sed 's/^/# FAIL /; s/\t/: /'
echo "# ---- timings (jobs overlap: $JOBS at once + the niced kernel build) ----"
for t in "${timings[@]}"; do echo "# $t"; done
echo "# total $((SECONDS - t_all))s"
if [[ $((pass + fail + skip)) == 0 ]]; then
	echo "check: no result at all - that is a failure" >&2
	fail=1
fi
line="$pass passed, $fail failed"
[[ $skip != 0 ]] && line+=", $skip skipped"
echo "$line" >"$out/final"
echo "$line"
[[ $fail == 0 ]]
exit
}
