#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2016,SC2153,SC2012,SC2317
#
# `make check` driver. Runs, in order:
#   host      build tools/vswctl; `make -C tools/vswctl check` if it exists
#   harness   negative control of the VM harness on deb61 (fixture tests)
#   deb61     build modules (W=1 C=1, warnings = failure) + all selftests
#   deb612    same on the newest Debian 6.12 kernel
#   debug     build/reuse the debug kernel (KASAN, lockdep, kmemleak, KUnit),
#             modules + KUnit (vsw_kunit.ko) + all selftests
# The debug kernel builds in the background (nice 10) while deb61/deb612 run.
#
# Environment (from make): K="deb61 deb612 debug" kernels to use,
# T=GLOB only tests whose file name matches, PHASES="host harness kernels",
# W/C kbuild flags (default W=1 C=1), VSW_TEST_TIMEOUT per-test seconds.
#
# Counting: one result per test file per kernel, per KUnit case, per build,
# plus per-VM boot/teardown/token checks (see selftests/vm/run.sh) and host
# results as counted by tools/vswctl's check. The last line is
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
out=$src/build/check
rm -rf "$out"
mkdir -p "$out" "$src/build/logs"
results=$out/results.tsv
: >"$results"
timings=()
n=0
t_all=$SECONDS

record() { # status name [detail]
	local st=$1 name=$2 detail=${3:-}
	printf '%s\t%s\t%s\n' "$st" "$name" "$detail" >>"$results"
	n=$((n + 1))
	case $st in
	pass) echo "ok $n $name${detail:+ # $detail}" ;;
	skip) echo "ok $n $name # SKIP $detail" ;;
	*) echo "not ok $n $name${detail:+ # $detail}" ;;
	esac
}

# merge a selftests/vm/run.sh summary.tsv into the results
merge() {
	local st name detail
	while IFS=$'\t' read -r st name detail; do
		printf '%s\t%s\t%s\n' "$st" "$name" "$detail" >>"$results"
		n=$((n + 1))
	done <"$1"
}

timed() { # LABEL CMD... : run CMD, remember its duration
	local label=$1 t0=$SECONDS rc=0
	shift
	"$@" || rc=$?
	timings+=("$(printf '%-34s %5ds' "$label" $((SECONDS - t0)))")
	echo "# time: $label $((SECONDS - t0))s"
	return $rc
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
echo "# vsw check: kernels [$K], phases [$PHASES], ${#tests[@]} selftest(s)${T:+ matching '$T'}"
if [[ -n $T && ${#tests[@]} == 0 ]]; then
	record fail "selftests" "no executable selftests/*.sh matches T='$T'"
fi

# ---------------------------------------------------- debug kernel (bg) ----
dk_pid=
dk_log=$src/build/logs/debug-kernel.log
dk_t0=$SECONDS
if has_phase kernels && has_kernel debug; then
	if [[ -f "$(scripts/build-debug-kernel.sh --path)/.vsw-built" ]]; then
		echo "# debug kernel: cached at $(scripts/build-debug-kernel.sh --path)"
	else
		echo "# debug kernel: not cached, building in the background (log $dk_log)"
	fi
	scripts/build-debug-kernel.sh >"$dk_log" 2>&1 &
	dk_pid=$!
fi

# ----------------------------------------------------------------- host ----
host_tests() {
	if [[ ! -f tools/vswctl/Makefile ]]; then
		record fail "host:vswctl-build" "tools/vswctl/Makefile missing"
		return
	fi
	local log=$src/build/logs/vswctl.log
	if make -C tools/vswctl >"$log" 2>&1; then
		record pass "host:vswctl-build"
	else
		sed 's/^/#   /' <(tail -n 30 "$log"); record fail "host:vswctl-build" "log $log"
		return
	fi
	if ! make -C tools/vswctl -n check >/dev/null 2>&1; then
		record skip "host:vswctl-check" "tools/vswctl has no 'check' target yet"
		return
	fi
	local clog=$src/build/logs/vswctl-check.log rc=0 p f s line
	make --no-print-directory -C tools/vswctl check >"$clog" 2>&1 || rc=$?
	# Count its results: a "N passed, N failed[, N skipped]" line if there is
	# one, else TAP "ok"/"not ok" lines, else one result from the exit code.
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
		# no countable lines: the exit code is the one result
		if [[ $rc == 0 ]]; then p=1; else f=1; fi
	elif [[ $rc != 0 && $f == 0 ]]; then
		f=1 # failed without saying which: still a failure
	fi
	grep -E '^not ok|FAIL' "$clog" | head -n 20 | sed 's/^/#   /'
	local i
	for ((i = 0; i < p; i++)); do printf 'pass\thost:vswctl-check\t\n' >>"$results"; done
	for ((i = 0; i < f; i++)); do printf 'fail\thost:vswctl-check\t\n' >>"$results"; done
	for ((i = 0; i < s; i++)); do printf 'skip\thost:vswctl-check\t\n' >>"$results"; done
	n=$((n + p + f + s))
	echo "# host:vswctl-check: $p passed, $f failed, $s skipped (exit $rc, log $clog)"
}
if has_phase host; then
	timed "host tests (tools/vswctl)" host_tests
fi

# -------------------------------------------------------------- harness ----
# Negative control: the runner must report exactly what
# selftests/harness/expected.tsv says for the fixture tests (a passing, a
# failing, a skipping, a WARN-ing, a hanging and a crashing test...), and the
# host-side VM timeout must fail a run that never finishes.
harness_selftest() {
	local kver kdir rdir log ok=1 st name detail got gdetail
	eval "$(scripts/kernel-info.sh deb61)" || { record fail "harness:negative-control" "no deb61 kernel"; return; }
	kver=$KVER kdir=$KDIR
	log=$src/build/logs/harness-fixture.log
	if ! scripts/build-modules.sh -f "$kdir" >"$log" 2>&1; then
		record fail "harness:negative-control" "fixture build failed (log $log)"
		return
	fi
	rdir=$src/build/results/harness
	selftests/vm/run.sh -k deb61 -T 15 -m "build/$kver/fixture" -o "$rdir" \
		selftests/harness/tests/*.sh >"$src/build/logs/harness-run.log" 2>&1
	local rrc=$?
	[[ $rrc != 0 ]] || { echo "#   runner exited 0 on a run with failures"; ok=0; }
	while IFS=$'\t' read -r st name detail; do
		[[ -z $st || $st == \#* ]] && continue
		name=deb61:$name
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
		record pass "harness:negative-control" "runner caught fail/skip/WARN/timeout/crash/not-run"
	else
		sed 's/^/#   /' "$src/build/logs/harness-run.log" | tail -n 40
		record fail "harness:negative-control" "runner verdicts differ from selftests/harness/expected.tsv"
	fi

	# A VM that never finishes (here: 8 s budget) must fail, fail its tests
	# and not leave a token.
	rdir=$src/build/results/harness-timeout
	if selftests/vm/run.sh -k deb61 -W 8 -o "$rdir" selftests/harness/tests/01-pass.sh \
		>"$src/build/logs/harness-timeout.log" 2>&1; then
		record fail "harness:vm-timeout" "runner passed a VM killed by its timeout"
	elif grep -qP '^fail\tdeb61:vm\tVM timed out' "$rdir/summary.tsv" &&
		grep -qP '^fail\tdeb61:01-pass.sh\t' "$rdir/summary.tsv" &&
		! grep -qP '^pass\tdeb61:(01-pass.sh|teardown|vm)\t' "$rdir/summary.tsv"; then
		record pass "harness:vm-timeout" "hung VM detected"
	else
		sed 's/^/#   /' "$src/build/logs/harness-timeout.log" | tail -n 20
		record fail "harness:vm-timeout" "runner verdicts wrong for a timed-out VM"
	fi
}
if has_phase harness; then
	timed "harness self-test (deb61)" harness_selftest
fi

# -------------------------------------------------------------- kernels ----
kernel_run() { # NAME
	local k=$1 kver kdir log warns bflags=() rflags=() mflags=()
	if ! eval "$(scripts/kernel-info.sh "$k")"; then
		record fail "$k:kernel" "kernel not available"
		return
	fi
	kver=$KVER kdir=$KDIR
	echo "# [$k] $kver ($KIMAGE)"
	[[ -n $W ]] && bflags+=("W=$W")
	[[ -n $C ]] && bflags+=("C=$C")
	if [[ -f kmod/Kbuild || -f kmod/Makefile ]]; then
		log=$src/build/$kver/build.log
		local t0=$SECONDS
		if ! scripts/build-modules.sh "$kdir" "${bflags[@]}" >/dev/null 2>&1; then
			sed 's/^/#   /' <(grep -E 'error|warning' "$log" | head -n 40)
			record fail "$k:build" "module build failed (log $log)"
			record fail "$k:selftests" "not run: module build failed"
			return
		fi
		timings+=("$(printf '%-34s %5ds' "module build $k" $((SECONDS - t0)))")
		# compiler (W=1) and sparse (C=1) warnings fail the build result
		warns=$(grep -cE '(warning|error):' "$log" || true)
		if [[ $warns != 0 ]]; then
			sed 's/^/#   /' <(grep -E '(warning|error):' "$log" | head -n 40)
			record fail "$k:build" "$warns warning(s) with ${bflags[*]} (log $log)"
		else
			record pass "$k:build" "$(cd "build/$kver/kmod" && ls -- *.ko 2>/dev/null | tr '\n' ' ')${bflags[*]}"
		fi
		compgen -G "build/$kver/kmod/*.ko" >/dev/null && mflags=(-m "build/$kver/kmod")
	else
		record skip "$k:build" "kmod/Kbuild not present yet"
	fi
	if [[ $k == debug ]]; then
		if [[ -f build/$kver/kmod/vsw_kunit.ko ]]; then
			rflags+=(-u)
		elif grep -qs kunit kmod/Kbuild; then
			record fail "debug:kunit" "kmod/Kbuild mentions KUnit but no vsw_kunit.ko was built"
		fi
	fi
	[[ -n ${VSW_TEST_TIMEOUT:-} ]] && rflags+=(-T "$VSW_TEST_TIMEOUT")
	local rdir=$src/build/results/$k
	selftests/vm/run.sh -k "$k" -o "$rdir" "${mflags[@]}" "${rflags[@]}" "${tests[@]}"
	if [[ -s $rdir/summary.tsv ]]; then
		merge "$rdir/summary.tsv"
	else
		record fail "$k:vm" "runner produced no results"
	fi
}

if has_phase kernels; then
	# the guests run tools/vswctl from the tree: make sure it is built
	if ! has_phase host && [[ -f tools/vswctl/Makefile ]]; then
		if make -C tools/vswctl >"$src/build/logs/vswctl.log" 2>&1; then
			record pass "host:vswctl-build"
		else
			record fail "host:vswctl-build" "log $src/build/logs/vswctl.log"
		fi
	fi
	for k in deb61 deb612; do
		has_kernel "$k" && timed "kernel $k (build + VM)" kernel_run "$k"
	done
	if has_kernel debug; then
		echo "# waiting for the debug kernel build (log $dk_log)"
		if wait "$dk_pid"; then
			timings+=("$(printf '%-34s %5ds' "debug kernel build (or cache)" $((SECONDS - dk_t0)))")
			record pass "debug:kernel-build" "$(tail -n 2 "$dk_log" | head -n 1 | sed 's/^\[debug-kernel\] //')"
			timed "kernel debug (build + VM)" kernel_run debug
		else
			sed 's/^/#   /' <(tail -n 20 "$dk_log")
			record fail "debug:kernel-build" "log $dk_log"
		fi
	fi
fi

# -------------------------------------------------------------- summary ----
pass=$(grep -c '^pass' "$results")
fail=$(grep -c '^fail' "$results")
skip=$(grep -c '^skip' "$results")
echo "# ---- failures ----"
grep -P '^fail\t' "$results" | cut -f2,3 | sed 's/^/# FAIL /; s/\t/: /'
echo "# ---- timings ----"
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
