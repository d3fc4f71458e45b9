#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vswctl command-line checks that need no vsw module: syntax errors, exit
# status, error format, batch mode. Prints KTAP "ok"/"not ok" lines.
cd "$(dirname "$0")/.." || exit 1
VSWCTL=${VSWCTL:-./vswctl}
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect RC FIRST-STDERR-LINE -- ARGS...: run vswctl, check status and message
expect() {
	local rc=$1 msg=$2 got_rc got_msg
	shift 3
	"$VSWCTL" "$@" >"$tmp/out" 2>"$tmp/err" <"${STDIN:-/dev/null}"
	got_rc=$?
	got_msg=$(head -n1 "$tmp/err")
	n=$((n + 1))
	if [[ $got_rc == "$rc" && $got_msg == "$msg" ]]; then
		echo "ok $n vswctl $*"
	else
		echo "not ok $n vswctl $*"
		echo "#   rc $got_rc (want $rc), stderr: $got_msg"
		echo "#   want: $msg"
	fi
}

check() {	# check NAME COMMAND...
	local name=$1
	shift
	n=$((n + 1))
	if "$@"; then echo "ok $n $name"; else echo "not ok $n $name"; fi
}

echo "KTAP version 1"
echo "# Subtest: cli"
expect 1 'vswctl: invalid VLAN id "5000" (1-4094)' -- port set p1 tag 5000
expect 1 'vswctl: invalid priority "99999999999999" (0-65535)' -- \
	flow add sw0 priority 99999999999999 actions=drop
expect 1 'vswctl: invalid priority "70000" (0-65535)' -- \
	flow add sw0 priority=70000,actions=drop
expect 1 'vswctl: duplicate "priority"' -- flow add sw0 priority 1 priority=2 actions=drop
expect 1 'vswctl: invalid VLAN range "20-10" (reversed)' -- port set p1 trunks 20-10
expect 1 'vswctl: invalid mode "hybrid" (access, trunk, native-untagged, native-tagged or dot1q-tunnel)' -- \
	port set p1 mode hybrid
expect 1 'vswctl: invalid learning value "maybe" (on or off)' -- port set p1 learning maybe
expect 1 'vswctl: duplicate "tag"' -- port set p1 tag 10 tag 20
expect 1 'vswctl: unknown port option "colour"' -- port set p1 colour red
expect 1 'vswctl: missing argument after "tag"' -- port set p1 tag
expect 1 'vswctl: port set: nothing to change' -- port set p1
expect 1 'vswctl: invalid ageing time "1000001" (0-1000000)' -- switch set sw0 ageing 1000001
expect 1 'vswctl: invalid cache size "0" (1-4294967295)' -- switch set sw0 cache-size 0
expect 1 'vswctl: invalid MAC address "02:00:00:00:01"' -- fdb add sw0 02:00:00:00:01 vlan 10 port lo
expect 1 'vswctl: fdb add: missing "port DEV"' -- fdb add sw0 02:00:00:00:00:01 vlan 10
expect 1 'vswctl: fdb del: missing "vlan VID"' -- fdb del sw0 02:00:00:00:00:01
expect 1 'vswctl: cannot find device "nosuchdev0"' -- fdb flush sw0 port nosuchdev0
expect 1 'vswctl: unknown match field "foo"' -- flow add sw0 foo=1 actions=drop
expect 1 'vswctl: missing "actions=ACTIONS"' -- flow add sw0 in_port=lo
expect 1 'vswctl: unexpected "actions=drop" (no actions allowed here)' -- flow del sw0 in_port=lo,actions=drop
expect 1 'vswctl: action "normal" must be the last one' -- flow add sw0 actions=normal,output:lo
expect 1 'vswctl: match field "tp_dst" needs nw_proto=6, 17 or 132 (tcp, udp, sctp)' -- \
	flow add sw0 ip tp_dst=80 actions=drop
expect 1 'vswctl: cannot find device "nosuchdev0"' -- flow add sw0 in_port=nosuchdev0 actions=drop
expect 1 'vswctl: invalid device name "abcdefghijklmnopq"' -- switch show abcdefghijklmnopq
expect 1 'vswctl: unknown object "bogus"' -- bogus
expect 1 'vswctl: unknown switch command "frob"' -- switch frob sw0
expect 1 'vswctl: missing OBJECT' --
expect 1 'vswctl: "lo" is not a vsw switch' -- switch del lo
expect 1 'vswctl: "lo" is not a vsw switch' -- port add lo lo
expect 1 'vswctl: "lo" is not a port of a vsw switch' -- port del lo
expect 1 'vswctl: cannot find device "nosuchdev0"' -- port del nosuchdev0
expect 1 'vswctl: cannot open network namespace "vsw-no-such-ns": No such file or directory' -- \
	-n vsw-no-such-ns switch show
expect 0 '' -- help
check "help prints the usage on stdout" grep -q '^Usage: vswctl' "$tmp/out"
expect 1 'vswctl: unexpected "x"' -- switch show sw0 x
check "usage on stderr after a syntax error" grep -q '^Usage: vswctl' "$tmp/err"

# batch mode: comments and blank lines skipped, FILE:LINE: prefix, stop at first error
printf '# comment\n\n   # indented comment\nport set p1 trunks 20-10\nport set p1 tag 5000\n' >"$tmp/batch"
expect 1 "$tmp/batch:4: vswctl: invalid VLAN range \"20-10\" (reversed)" -- -b "$tmp/batch"
check "batch stops at the first error" test "$(wc -l <"$tmp/err")" = 1
printf 'help\nport set p1 tag 0\n' >"$tmp/stdin"
STDIN=$tmp/stdin expect 1 '-:2: vswctl: invalid VLAN id "0" (1-4094)' -- -b -
printf 'port set "p 1" tag 10\nport set "p1\n' >"$tmp/batch"
expect 1 "$tmp/batch:1: vswctl: invalid device name \"p 1\"" -- -b "$tmp/batch"
printf 'port set "p1\n' >"$tmp/batch"
expect 1 "$tmp/batch:1: vswctl: unterminated quote" -- -b "$tmp/batch"
expect 1 'vswctl: cannot open batch file "/nonexistent/x": No such file or directory' -- -b /nonexistent/x
printf '# nothing but comments\n\n' >"$tmp/batch"
expect 0 '' -- -b "$tmp/batch"

# no module: clear error, exit 1, nothing on stdout
if [[ ! -d /sys/module/vsw ]] && ! grep -qw vsw /proc/net/netlink 2>/dev/null &&
	! "$VSWCTL" switch show >/dev/null 2>&1; then
	expect 1 'vswctl: vsw module not loaded (generic netlink family "vsw" not found; try: modprobe vsw)' -- \
		-j switch show
	check "no JSON on stdout without the module" test ! -s "$tmp/out"
else
	n=$((n + 1)); echo "ok $n no-module error # SKIP vsw module loaded"
	n=$((n + 1)); echo "ok $n no-module output # SKIP vsw module loaded"
fi
echo "1..$n"
