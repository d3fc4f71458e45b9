# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/lib.sh - helpers for vsw kselftest-style tests (source it).
#
# A test is an executable selftests/<name>.sh. Exit status: 0 = pass,
# 4 = skip (KSFT_SKIP), anything else = fail. It prints KTAP on stdout:
#
#   #!/bin/bash
#   # SPDX-License-Identifier: GPL-2.0
#   source "$(dirname "$0")/lib.sh"
#   need_cmd ip ping               # skip (exit 4) if a tool is missing
#   need_vsw                       # modprobe vsw; FAILS inside the VM harness
#   ktap_plan 3
#   ns_create a; ns_create b       # netns a/b, lo up, removed at exit
#   veth_pair a va b vb            # veth va (in a) <-> vb (in b), both up
#   ip -n a addr add 10.0.0.1/24 dev va
#   ip -n b addr add 10.0.0.2/24 dev vb
#   check_cmd   "create switch"    ip link add sw0 type vsw
#   check_ping  "a reaches b"      a 10.0.0.2
#   check_eq    "mtu"  1500 "$(cat /sys/class/net/sw0/mtu)"
#   ksft_finish                    # prints totals, exits 0/1/4
#
# Result functions (each prints one KTAP line and counts it):
#   ok DESC                         pass
#   fail DESC [WHY]                 fail (WHY printed as a "# " diagnostic)
#   skip DESC [WHY]                 "ok N DESC # SKIP WHY"
#   check_eq DESC EXPECTED ACTUAL   ok if the two strings are equal
#   check_ne DESC UNEXPECTED ACTUAL ok if they differ
#   check_cmd DESC CMD...           ok if CMD exits 0 (output shown on failure)
#   check_fail DESC CMD...          ok if CMD exits non-zero
#   check_ping DESC NS ADDR         ok if ping from netns NS ("" = init ns)
#                                   gets a reply (3 tries, 1 s each)
#   check_no_ping DESC NS ADDR      ok if no reply within 2 s
# Other helpers:
#   ktap_plan N                     header + "1..N" (optional but recommended:
#                                   a mismatch with the number run = FAIL)
#   diag MSG...                     "# MSG" diagnostic line
#   ksft_skip_all WHY               "1..0 # SKIP WHY", exit 4 (use before plan)
#   ksft_finish                     totals line; exit 1 if any fail or plan
#                                   mismatch, 4 if everything skipped, else 0
#   need_cmd CMD...                 skip whole test if a command is missing
#   need_module MOD...              modprobe MOD or skip whole test
#   need_vsw                        modprobe vsw; inside the harness VM
#                                   (VSW_IN_VM=1) a missing vsw is a FAILURE
#   ns_create NAME...               create netns (lo up), deleted at exit
#   veth_pair NS1 IF1 NS2 IF2       veth pair, ends moved to NS1/NS2
#                                   ("" = init netns), both set up
#   ping_ok NS ADDR [TRIES]         helper: 0 if ping gets a reply
#   wait_for SECS CMD...            retry CMD every 0.2 s until it succeeds
#   defer CMD...                    run CMD at exit (LIFO), e.g. link deletes
#
# A test that needs more (or less) than the default 120 s per-test timeout
# declares it in its first 10 lines: "# vsw-timeout: SECS" (x5 on debug).
#
# Environment provided by the VM harness: VSW_IN_VM=1, VSW_KERNEL (deb61,
# deb612, debug), VSW_SRC (project dir, read-only), VSW_TMP (scratch dir,
# writable), and tools/vswctl is on PATH. Tests run as root, one at a time,
# cwd = project dir. Never rely on state left by another test.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

__ktap_n=0
__ktap_pass=0
__ktap_fail=0
__ktap_skip=0
__ktap_plan=
__ktap_hdr=0
__ktap_namespaces=()
__ktap_deferred=()

__ktap_header() {
	if [[ $__ktap_hdr == 0 ]]; then
		echo "TAP version 13"
		__ktap_hdr=1
	fi
}

ktap_plan() {
	__ktap_header
	__ktap_plan=$1
	echo "1..$1"
}

diag() {
	local l
	while IFS= read -r l; do echo "# $l"; done <<<"$*"
}

__ktap_diag_stream() {
	local l
	while IFS= read -r l; do echo "#   $l"; done
}

ok() {
	__ktap_header
	__ktap_n=$((__ktap_n + 1))
	__ktap_pass=$((__ktap_pass + 1))
	echo "ok $__ktap_n $1"
}

fail() {
	__ktap_header
	__ktap_n=$((__ktap_n + 1))
	__ktap_fail=$((__ktap_fail + 1))
	if [[ -n ${2:-} ]]; then diag "$2"; fi
	echo "not ok $__ktap_n $1"
}

skip() {
	__ktap_header
	__ktap_n=$((__ktap_n + 1))
	__ktap_skip=$((__ktap_skip + 1))
	echo "ok $__ktap_n $1 # SKIP ${2:-}"
}

check_eq() {
	if [[ "$2" == "$3" ]]; then
		ok "$1"
	else
		fail "$1" "expected '$2', got '$3'"
	fi
}

check_ne() {
	if [[ "$2" != "$3" ]]; then
		ok "$1"
	else
		fail "$1" "got '$3', which was not expected"
	fi
}

check_cmd() {
	local desc=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if [[ $rc == 0 ]]; then
		ok "$desc"
	else
		diag "command failed (exit $rc): $*"
		if [[ -n $out ]]; then __ktap_diag_stream <<<"$out"; fi
		fail "$desc"
	fi
}

check_fail() {
	local desc=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if [[ $rc != 0 ]]; then
		ok "$desc"
	else
		diag "command unexpectedly succeeded: $*"
		if [[ -n $out ]]; then __ktap_diag_stream <<<"$out"; fi
		fail "$desc"
	fi
}

# __ns_exec NS CMD... : run CMD in netns NS, or in the current one if NS=""
__ns_exec() {
	local ns=$1
	shift
	if [[ -n $ns ]]; then
		ip netns exec "$ns" "$@"
	else
		"$@"
	fi
}

ping_ok() {
	local ns=$1 addr=$2 tries=${3:-3} i p=ping
	[[ $addr == *:* ]] && p="ping -6"
	for ((i = 0; i < tries; i++)); do
		# shellcheck disable=SC2086
		__ns_exec "$ns" $p -n -q -c 1 -W 1 "$addr" >/dev/null 2>&1 && return 0
	done
	return 1
}

check_ping() {
	if ping_ok "$2" "$3" 3; then
		ok "$1"
	else
		fail "$1" "no ping reply from ${3} (netns '${2}')"
	fi
}

check_no_ping() {
	local p=ping
	[[ $3 == *:* ]] && p="ping -6"
	# shellcheck disable=SC2086
	if __ns_exec "$2" $p -n -q -c 2 -i 0.5 -W 1 "$3" >/dev/null 2>&1; then
		fail "$1" "unexpected ping reply from ${3} (netns '${2}')"
	else
		ok "$1"
	fi
}

wait_for() {
	local secs=$1 end
	shift
	end=$((SECONDS + secs))
	while ! "$@" >/dev/null 2>&1; do
		((SECONDS < end)) || return 1
		sleep 0.2
	done
}

ksft_skip_all() {
	if [[ $__ktap_hdr == 1 || $__ktap_n != 0 ]]; then
		# Results were already printed: skip the rest honestly.
		diag "SKIP rest: $*"
		ksft_finish
	fi
	echo "TAP version 13"
	echo "1..0 # SKIP $*"
	__ktap_plan=0
	exit "$KSFT_SKIP"
}

need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || ksft_skip_all "command '$c' not found"
	done
}

need_module() {
	local m
	for m in "$@"; do
		modprobe -q "$m" 2>/dev/null || ksft_skip_all "module '$m' not available"
	done
}

need_vsw() {
	if modprobe -q vsw 2>/dev/null; then
		return 0
	fi
	if [[ ${VSW_IN_VM:-0} == 1 ]]; then
		__ktap_header
		diag "vsw module not loadable inside the harness VM: $(modprobe vsw 2>&1)"
		echo "1..0"
		exit "$KSFT_FAIL"
	fi
	ksft_skip_all "vsw module not available (not running in the harness VM)"
}

ns_create() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns" || { diag "ip netns add $ns failed"; exit "$KSFT_FAIL"; }
		__ktap_namespaces+=("$ns")
		ip -n "$ns" link set lo up
	done
}

veth_pair() {
	local ns1=$1 if1=$2 ns2=$3 if2=$4
	ip link add "$if1" type veth peer name "$if2" || return 1
	if [[ -n $ns1 ]]; then ip link set "$if1" netns "$ns1" || return 1; fi
	if [[ -n $ns2 ]]; then ip link set "$if2" netns "$ns2" || return 1; fi
	__ns_exec "$ns1" ip link set "$if1" up &&
		__ns_exec "$ns2" ip link set "$if2" up
}

defer() {
	__ktap_deferred+=("$(printf '%q ' "$@")")
}

__ktap_cleanup() {
	local i ns
	for ((i = ${#__ktap_deferred[@]} - 1; i >= 0; i--)); do
		eval "${__ktap_deferred[i]}" >/dev/null 2>&1 || true
	done
	for ns in "${__ktap_namespaces[@]}"; do
		ip netns del "$ns" >/dev/null 2>&1 || true
	done
}
trap __ktap_cleanup EXIT
# A test killed by the harness timeout (SIGTERM) still cleans up.
trap 'exit 143' TERM
trap 'exit 130' INT

ksft_finish() {
	local rc=$KSFT_PASS
	__ktap_header
	if [[ -n $__ktap_plan && $__ktap_plan != "$__ktap_n" ]]; then
		diag "plan mismatch: planned $__ktap_plan, ran $__ktap_n"
		rc=$KSFT_FAIL
	fi
	[[ -z $__ktap_plan ]] && echo "1..$__ktap_n"
	echo "# Totals: pass:$__ktap_pass fail:$__ktap_fail xfail:0 xpass:0 skip:$__ktap_skip error:0"
	if [[ $__ktap_fail -gt 0 ]]; then
		rc=$KSFT_FAIL
	elif [[ $rc == 0 && $__ktap_pass == 0 && $__ktap_skip -gt 0 ]]; then
		rc=$KSFT_SKIP
	elif [[ $rc == 0 && $__ktap_n == 0 ]]; then
		diag "no subtests were run"
		rc=$KSFT_FAIL
	fi
	exit "$rc"
}
