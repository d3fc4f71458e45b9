#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 300
#
# limits.sh - what users and guests make vsw allocate is charged to them
# and bounded (issue 13 items 4, 5 and two smaller findings):
#
#  - memcg: a switch, its rules and static FDB entries made by a process of
#    a child memory cgroup are charged to it (memory.current grows by at
#    least what the objects need); so are the MACs the switch learns from
#    traffic, in softirq (charged to the switch creator's cgroup);
#  - at the cgroup's memory.max, adding rules fails with ENOMEM and a
#    message, no OOM kill, no splat, and the table stays consistent;
#  - a sender with a new source MAC per frame (pktgen, 10000 frames) leaves
#    the FDB at the default bound (max_macs 8192, shown by switch show);
#  - rule churn: rules changing faster than the index delay still get
#    indexed (rule_index_gen grows while a batch adds and deletes rules);
#  - the switch device refuses netpoll (netconsole), whose transmit runs
#    with IRQs off while ours takes BH spinlocks.
#
# The figures (bytes per switch, per rule, per FDB entry) are printed as
# diagnostics.

# shellcheck source=selftests/vsw_lib.sh
# shellcheck disable=SC2317 # functions run at exit (defer) or by wait_for
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd awk
CGR=/sys/fs/cgroup
[[ -r $CGR/cgroup.controllers ]] || ksft_skip_all "no cgroup2 at $CGR"
grep -qw memory "$CGR/cgroup.controllers" || ksft_skip_all "no memory controller"

ktap_plan 17

CG=$CGR/vsw_limits.$$
echo +memory >"$CGR/cgroup.subtree_control" 2>/dev/null
mkdir "$CG" || { diag "cannot make $CG"; exit "$KSFT_FAIL"; }
cg_cleanup() {
	local i
	# the processes ran to completion; the cgroup may stay busy a moment
	for i in $(seq 50); do rmdir "$CG" 2>/dev/null && return; sleep 0.1; done
	diag "could not remove $CG"
}
defer cg_cleanup

# cg_run CMD...: CMD in the test cgroup
cg_run() { bash -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' _ "$CG" "$@"; }
cg_cur() { cat "$CG/memory.current"; }
cg_stat() { awk -v k="$1" '$1 == k { v = $2 } END { print v + 0 }' "$CG/memory.stat"; }
# kernel memory: slab + percpu + vmalloc'ed (kvmalloc) tables
cg_kmem() { echo $(($(cg_stat slab) + $(cg_stat percpu) + $(cg_stat vmalloc))); }
swj() { vswctl -j -s switch show "$1" | jq -r ".[0].$2"; }

# --- 1. the switch ----------------------------------------------------------------------------
c0=$(cg_cur) k0=$(cg_kmem)
check_cmd "ip link add lsw0 type vsw, in a child memory cgroup" cg_run ip link add lsw0 type vsw
defer ip link del lsw0
c1=$(cg_cur) k1=$(cg_kmem)
diag "switch: memory.current +$((c1 - c0)) B, slab+percpu+vmalloc +$((k1 - k0)) B ($(nproc) CPUs)"
ip link set lsw0 up
check_eq "default max_macs shown by switch show" 8192 "$(swj lsw0 max_macs)"

# --- 2. static FDB entries and rules --------------------------------------------------------
# (an entry is a kmalloc-96 object: at least 64 B each, whatever RCU frees
# of earlier steps land meanwhile)
NR=2000 NF=8000
veth_port lp1 lsw0 lp1x || { diag "veth setup failed"; exit "$KSFT_FAIL"; }
bf=$VSW_TMPD/fdb.batch
awk -v n="$NF" 'BEGIN { for (i = 0; i < n; i++)
	printf "fdb add lsw0 02:f0:00:00:%02x:%02x vlan 1 port lp1\n", int(i / 256), i % 256 }' >"$bf"
c0=$(cg_cur)
check_cmd "$NF static FDB entries added from the cgroup" cg_run "$VSWCTL" -b "$bf"
c1=$(cg_cur)
diag "$NF static FDB entries: memory.current +$((c1 - c0)) B ($(((c1 - c0) / NF)) B per entry)"
check_true "static FDB entries charged to the cgroup: +$((c1 - c0)) >= $((NF * 64))" \
	test $((c1 - c0)) -ge $((NF * 64))
vswctl fdb flush lsw0

bf=$VSW_TMPD/rules.batch
awk -v n="$NR" 'BEGIN { for (i = 0; i < n; i++)
	printf "flow add lsw0 priority %d udp,tp_dst=%d actions=drop\n", 100 + i % 5, 1 + i }' >"$bf"
c0=$(cg_cur)
check_cmd "$NR rules added from the cgroup" cg_run "$VSWCTL" -b "$bf"
c1=$(cg_cur)
# a rule is a kmalloc-512 object plus per-CPU counters
diag "$NR rules: memory.current +$((c1 - c0)) B ($(((c1 - c0) / NR)) B per rule)"
check_true "rules charged to the cgroup: +$((c1 - c0)) >= $((NR * 448))" \
	test $((c1 - c0)) -ge $((NR * 448))

# --- 3. at memory.max: ENOMEM, no OOM kill, nothing half-made ---------------------------------
bf=$VSW_TMPD/more.batch
awk 'BEGIN { for (i = 0; i < 10000; i++)
	printf "flow add lsw0 priority 50 tcp,tp_dst=%d actions=drop\n", 1 + i }' >"$bf"
oom0=$(awk '$1 == "oom_kill" { print $2 }' "$CG/memory.events")
# vswctl writes its error into pages made beforehand, outside the cgroup:
# a pipe buffer or a new tmpfs page would be charged to the cgroup at its
# limit, and a user-space charge there means the OOM killer
of=$VSW_TMPD/more.out
head -c 65536 /dev/zero >"$of"
echo $(($(cg_cur) + 1024 * 1024)) >"$CG/memory.max"
cg_run "$VSWCTL" -b "$bf" 1<>"$of" 2>&1
rc=$?
echo max >"$CG/memory.max"
out=$(tr -d '\0' <"$of")
diag "at memory.max: exit $rc: $(tail -n 1 <<<"$out")"
check_true "adding rules beyond memory.max fails with ENOMEM and a message" \
	grep -qiE "out of memory|cannot allocate memory" <<<"$out"
check_eq "no OOM kill in the cgroup" "$oom0" \
	"$(awk '$1 == "oom_kill" { print $2 }' "$CG/memory.events")"
n=$(swj lsw0 rules)
check_eq "rule table consistent: switch show rules = flow show length" "$n" \
	"$(vswctl -j flow show lsw0 | jq length)"
check_true "some rules went in before the limit ($((n - NR)))" test "$n" -gt "$NR"
check_cmd "below the limit again, a rule goes in" \
	vswctl flow add lsw0 priority 7 udp,tp_dst=9 actions=drop
vswctl flow flush lsw0

# --- 4. a new source MAC per frame: learned FDB bounded, charged to the creator ---------------
if pktgen_ok; then
	defer pg_reset
	pg_reset
	c0=$(cg_cur)
	# start_xmit on the peer: lp1 receives them through the backlog, in
	# softirq. The backlog must hold all of them: with the default 1000 a
	# loaded machine drops frames before the switch sees them (CI: 2808 of
	# 10000), and fewer than 8192 new MACs reach it.
	backlog=$(sysctl -n net.core.netdev_max_backlog)
	defer sysctl -qw net.core.netdev_max_backlog="$backlog"
	sysctl -qw net.core.netdev_max_backlog=20000
	if pg_dev 0 lp1x start_xmit 10000 0 02:a1:00:00:00:00 10000 02:b2:00:00:00:01 1 &&
		pgw "$PG/pgctrl" start; then
		sent=$(pg_sent lp1x)
		rx_done() { (($(pstat lp1 rx_packets) >= sent)); }
		wait_for 30 rx_done
		c1=$(cg_cur)
		learned=$(swj lsw0 fdb_entries)
		diag "pktgen: $sent frames, $(pstat lp1 rx_packets) received by lp1, $learned learned, mac_limit drops $(pdrop lp1 mac_limit), memory.current +$((c1 - c0)) B"
		check_eq "10000 new source MACs: FDB bounded at the default 8192" 8192 "$learned"
		check_true "learned entries charged to the switch creator's cgroup: +$((c1 - c0)) >= $((8192 * 80))" \
			test $((c1 - c0)) -ge $((8192 * 80))
	else
		fail "pktgen setup"
		fail "learned entries charged"
	fi
else
	skip "FDB bound (no pktgen)"
	skip "learned entries charged (no pktgen)"
fi
vswctl fdb flush lsw0

# --- 5. rule churn: the index is still built ---------------------------------------------------
bf=$VSW_TMPD/base.batch
awk 'BEGIN { for (i = 0; i < 32; i++)
	printf "flow add lsw0 priority %d udp,tp_dst=%d actions=drop\n", 100 + i % 3, 1 + i }' >"$bf"
vswctl -b "$bf"
indexed() { [[ $(swj lsw0 rules_indexed) == true ]]; }
check_true "a settled table of 32 rules is indexed" wait_for 30 indexed
# the churn: one rule added and deleted again and again, through a FIFO
# that ends when the generator is stopped (each printf is one write of
# whole lines, so vswctl reads complete lines to the end)
churn_gen() {
	local i=0
	while :; do
		printf 'flow add lsw0 priority 300 tcp,tp_dst=%d actions=drop\nflow del lsw0 priority 300 tcp,tp_dst=%d\n' \
			$((1 + i % 50)) $((1 + i % 50))
		i=$((i + 1))
	done
}
mkfifo "$VSW_TMPD/churn.fifo"
"$VSWCTL" -b "$VSW_TMPD/churn.fifo" >"$VSW_TMPD/churn.out" 2>&1 &
cpid=$!
defer kill "$cpid"
churn_gen >"$VSW_TMPD/churn.fifo" &
gpid=$!
defer kill "$gpid"
# the counter without jq: one process a sample
index_gen() {
	[[ $("$VSWCTL" -j switch show lsw0) =~ \"rule_index_gen\":([0-9]+) ]] &&
		echo "${BASH_REMATCH[1]}"
}
g0=$(index_gen)
g=$g0 alive=1 end=$((SECONDS + 60))
# sampled while the churn runs: 3 builds within a minute
while ((g < g0 + 3 && SECONDS < end)); do
	sleep 0.1
	g=$(index_gen)
	kill -0 "$cpid" 2>/dev/null || { alive=0; break; }
done
kill "$gpid"
wait "$cpid"
crc=$?
n=$(grep -c . "$VSW_TMPD/churn.out")
diag "rule_index_gen $g0 -> $g while rules churned (churn still running: $alive, vswctl exit $crc)"
check_true "rules changing faster than the index delay still get indexed" \
	test "$alive" = 1 -a "$g" -ge $((g0 + 3))
check_eq "the churn (adds and deletes) ended cleanly" "0 0" "$crc $n"
vswctl flow flush lsw0

# --- 6. no netpoll on the switch device ----------------------------------------------------
NC=/sys/kernel/config/netconsole
modprobe netconsole 2>/dev/null
[[ -d /sys/kernel/config/netconsole ]] || mount -t configfs configfs /sys/kernel/config 2>/dev/null
if [[ -d $NC ]] && mkdir "$NC/vswlim"; then
	nc_cleanup() { echo 0 >"$NC/vswlim/enabled" 2>/dev/null; rmdir "$NC/vswlim"; }
	defer nc_cleanup
	ip addr add 192.0.2.1/24 dev lsw0
	echo lsw0 >"$NC/vswlim/dev_name"
	echo 192.0.2.1 >"$NC/vswlim/local_ip"
	echo 192.0.2.2 >"$NC/vswlim/remote_ip"
	check_fail "netconsole on the switch device is refused (IFF_DISABLE_NETPOLL)" \
		bash -c "echo 1 >$NC/vswlim/enabled"
else
	skip "netconsole on the switch device (no dynamic netconsole)"
fi

ksft_finish
