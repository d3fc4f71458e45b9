#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "make check" driver: runs the vswctl host test suites, prints their KTAP
# output indented, one "ok/not ok" line per suite, and ends with the line
# "N passed, N failed" counting every test case. Exit status 1 on failure.
cd "$(dirname "$0")/.." || exit 1
FUZZ_TIME=${FUZZ_TIME:-20}
FUZZ_RUNS=${FUZZ_RUNS:-2000000}
MAKE=${MAKE:-make}
passed=0 failed=0 skipped=0 suite=0
log=$(mktemp)
vglog=$(mktemp)
trap 'rm -f "$log" "$vglog"' EXIT

# suite NAME COMMAND...: a KTAP-printing command; counts its ok/not ok lines.
# A non-zero exit without any "not ok" (a crash) counts as one failure.
suite() {
	local name=$1 rc p f s
	shift
	"$@" >"$log" 2>&1
	rc=$?
	sed 's/^/    /' "$log"
	s=$(grep -c '^ok .*# SKIP' "$log")
	p=$(($(grep -c '^ok ' "$log") - s))
	f=$(grep -c '^not ok ' "$log")
	((rc != 0 && f == 0)) && f=1
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	suite=$((suite + 1))
	if ((f)); then
		echo "not ok $suite $name"
	else
		echo "ok $suite $name"
	fi
}

# single NAME COMMAND...: a command that is one test (exit status).
one() {
	local name=$1
	shift
	if "$@"; then
		echo "ok 1 $name"
	else
		echo "not ok 1 $name"
		return 1
	fi
}

single() {
	suite "$1" one "$@"
}

memcheck() {
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--error-exitcode=99 "$@" >/dev/null 2>"$vglog"
	local rc=$?
	sed 's/^/# /' "$vglog"
	((rc != 99))
}

memcheck_all() {
	local b
	b=$(mktemp)
	# harmless anywhere: the first command that reaches the kernel fails
	printf '# c\nhelp\nport set vswnosuch0 trunks 1-10,20 cvlans 0,5 mode trunk\nport set p1 tag 0\n' >"$b"
	memcheck ./tests/test_parse && memcheck ./tests/test_output &&
		memcheck ./vswctl -b "$b" 2>/dev/null
	local rc=$?
	rm -f "$b"
	return $rc
}

fuzz() {
	if ! command -v "${CLANG:-clang}" >/dev/null; then
		echo "# clang not found: install clang and libclang-rt-14-dev (make deps)"
		return 1
	fi
	$MAKE -s tests/fuzz_parse || {
		echo "# cannot build the libFuzzer target (libclang-rt-14-dev missing?)"
		return 1
	}
	mkdir -p tests/fuzz-work/corpus
	./tests/fuzz_parse -max_total_time="$FUZZ_TIME" -runs="$FUZZ_RUNS" \
		-timeout=10 -rss_limit_mb=2048 -dict=tests/fuzz.dict \
		-artifact_prefix=tests/fuzz-work/ -print_final_stats=1 \
		tests/fuzz-work/corpus tests/corpus 2>&1 | tail -n 12 | sed 's/^/# /'
	return "${PIPESTATUS[0]}"
}

# kerneldoc: the uapi header's kernel-doc is complete and warning-free
# (scripts/kernel-doc of the newest installed headers; 6.12's knows
# "private:" in enums)
kerneldoc() {
	local kd='' f out l
	for f in /usr/src/linux-headers-*-common/scripts/kernel-doc; do
		[[ -f $f ]] && kd=$f # the last in glob order: the newest
	done
	[[ -n $kd ]] || { echo "# no scripts/kernel-doc in /usr/src/linux-headers-*"; return 1; }
	echo "# $kd -none -Wall uapi/linux/vsw.h"
	out=$(perl "$kd" -none -Wall ../../uapi/linux/vsw.h 2>&1) || return 1
	[[ -z $out ]] && return 0
	while IFS= read -r l; do echo "# $l"; done <<<"$out"
	return 1
}

echo "KTAP version 1"
echo "1..8"
suite parse ./tests/test_parse
suite output ./tests/test_output
suite cli ./tests/test_cli.sh
suite completion ./tests/test_completion.sh
suite spec python3 tests/check_spec.py ../../uapi/linux/vsw.h ../../docs/vsw.yaml
single kerneldoc kerneldoc
if command -v valgrind >/dev/null; then
	single memcheck memcheck_all
else
	suite=$((suite + 1)) skipped=$((skipped + 1))
	echo "ok $suite memcheck # SKIP valgrind not installed"
fi
single fuzz fuzz
echo "# vswctl: $suite suites"
if ((skipped)); then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
((failed == 0))
