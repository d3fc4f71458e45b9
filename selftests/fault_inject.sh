#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fault_inject.sh - every state-changing request survives an allocation
# failure at any point: for each vsw generic netlink command that changes
# state and for rtnetlink link add (type vsw), set master, set nomaster and
# link del, fail the Nth allocation of the task (/proc/thread-self/fail-nth,
# failslab + fail_page_alloc) for N = 1, 2, ... until the request succeeds.
# vsw-timeout: 120
#
# Each failure must return ENOMEM/ENOBUFS (with the extack message if the
# kernel gives one) and leave the state exactly as before: `netlink_fuzz
# failnth` dumps switches, ports, FDB, rules, flow cache, VLANs and links
# (what `vswctl -j -s` and `ip -j link` show, minus ages and statistics)
# after every run and compares. A fault the request tolerates must leave the
# same state as a run without a fault, and a listener of the "events" group
# must get the same events, or ENOBUFS (no event for a failed request). At
# the end the whole state is built again and compared with the one from
# before through `vswctl -j` and `ip -j link`, and kmemleak must find
# nothing. Needs CONFIG_FAULT_INJECTION,
# CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAULT_INJECTION_DEBUG_FS
# (the debug kernel): skipped elsewhere.
#
# FAULT_INJECT_MAXN (2000): give up on a request still failing at that N.
# FAULT_INJECT_DRY=1: no fault injection (runs on any kernel): each request
#   once, its undo, the comparisons (to develop the cases).
# FAULT_INJECT_VERBOSE=1: a stack trace in the kernel log per injected fault,
#   after a line "failnth: CASE N=..." (to find the allocation behind a
#   failure; the harness then fails the test for the traces).
# FAULT_INJECT_BREAK=1: negative control, a case whose undo leaves a
#   half-made state: the test must fail.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

NS=fi0
MAXN=${FAULT_INJECT_MAXN:-2000}
DBG=/sys/kernel/debug
KMEMLEAK=$DBG/kmemleak

need_cmd ip jq
need_fuzz
if [[ ${FAULT_INJECT_DRY:-0} == 1 ]]; then
	MAXN=0
else
	[[ -e /proc/self/fail-nth ]] ||
		ksft_skip_all "kernel without fault injection (no /proc/self/fail-nth: CONFIG_FAULT_INJECTION; the debug kernel has it)"
	[[ -d $DBG/failslab ]] || mount -t debugfs none $DBG 2>/dev/null
	[[ -d $DBG/failslab ]] ||
		ksft_skip_all "no $DBG/failslab (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS)"
	[[ -d $DBG/fail_page_alloc ]] ||
		ksft_skip_all "no $DBG/fail_page_alloc (CONFIG_FAIL_PAGE_ALLOC)"
fi
need_vsw

# knob FILE VALUE: set a fault-injection knob, restored at exit
knob() {
	local old
	old=$(cat "$1") || return 1
	defer eval "echo '$old' > '$1'"
	echo "$2" >"$1"
}
if ((MAXN)); then
	# fail sleeping allocations too (GFP_KERNEL is what the handlers
	# use), of any order, silently (a stack dump per fault would read as
	# a kernel splat)
	for d in failslab fail_page_alloc; do
		knob $DBG/$d/ignore-gfp-wait 0
		knob $DBG/$d/verbose $((${FAULT_INJECT_VERBOSE:-0} ? 2 : 0))
	done
	if [[ ${FAULT_INJECT_VERBOSE:-0} == 1 ]]; then
		for d in failslab fail_page_alloc; do
			knob $DBG/$d/verbose_ratelimit_interval_ms 1000
			knob $DBG/$d/verbose_ratelimit_burst 1000000
		done
		knob /proc/sys/kernel/printk_devkmsg on
	fi
	knob $DBG/fail_page_alloc/min-order 0
	knob $DBG/fail_page_alloc/ignore-gfp-highmem 0
	[[ -w $KMEMLEAK ]] && echo clear >$KMEMLEAK
fi

ns_create $NS
ip netns exec $NS sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	net.ipv6.conf.default.disable_ipv6=1
# everything stays down: no frame may change a counter between two dumps
ip -n $NS -b - <<EOF || { diag "setup failed"; exit "$KSFT_FAIL"; }
link add p1 index 101 type veth peer name p1x index 111
link add p2 index 102 type veth peer name p2x index 112
link add p3 index 103 type veth peer name p3x index 113
EOF
fz() { ip netns exec $NS "$FUZZ" "$@"; }

RULE200='priority=200 match { in_port=101 vlan_vid=10 }'
RULE300='priority=300 match { in_port=101 eth_type=0x0800 ip_proto=17 ipv4_dst=198.51.100.0 ipv4_dst_mask=255.255.255.0 l4_dst=53 }'
ACT300='actions { push_vlan=0x88a8 set_vlan_vid=40 output=102 pop_vlan set_vlan_vid=20 normal }'
P3TRUNK='ifname=p3 mode=2 tag=30 trunks=10,20,100-199 learning=0 flood_ucast=0 isolated=1 max_macs=64'

# build_sw0: sw0 with two ports, a trunk, three static FDB entries, two rules
build_sw0() {
	local out
	ip -n $NS -b - <<EOF || return 1
link add sw0 index 100 address 02:00:00:00:01:00 type vsw
link set p1 master sw0
link set p2 master sw0
EOF
	out=$(fz batch <<EOF
port_set port { ifname=p1 mode=1 trunks=10,20 }
fdb_new ifname=sw0 fdb { mac=02:00:00:00:b0:01 vid=1 port_ifindex=102 }
fdb_new ifname=sw0 fdb { mac=02:00:00:00:b0:02 vid=10 port_ifindex=101 }
fdb_new ifname=sw0 fdb { mac=02:00:00:00:b0:03 vid=20 port_ifindex=101 }
rule_new ifname=sw0 rule { priority=100 match { eth_type=0x0806 } actions { flood } }
rule_new ifname=sw0 rule { $RULE200 actions { set_vlan_vid=20 output=102 normal } }
EOF
	)
	if grep -q '^error' <<<"$out"; then
		diag "$out"
		return 1
	fi
}
build_sw0 || { diag "vsw setup failed"; exit "$KSFT_FAIL"; }

# The cases, in order: each starts from the state the previous one left
# (its request done, without a fault). "undo" restores the state from
# before the request (after the first run and after a tolerated fault).
cases=$(cat <<EOF
case link_add_vsw
do link_add sw1 200 02:00:00:00:02:00 vsw
undo link_del sw1
end
case link_set_master
do link_master p3 sw1
undo link_nomaster p3
end
case port_set_trunk
do port_set port { $P3TRUNK }
undo port_set port { ifname=p3 mode=0 tag=1 trunks=none learning=1 flood_ucast=1 isolated=0 max_macs=0 }
end
case port_set_dot1q_tunnel
do port_set port { ifname=p3 mode=4 tag=300 cvlans=0,5,7-9 }
undo port_set port { $P3TRUNK cvlans=none }
end
case switch_set
do switch_set ifname=sw0 ageing=60 max_macs=100 cache_size=512
undo switch_set ifname=sw0 ageing=300 max_macs=8192 cache_size=65536
end
case fdb_new_vlan
do fdb_new ifname=sw0 fdb { mac=02:00:00:00:aa:01 vid=20 port_ifindex=101 }
undo fdb_del ifname=sw0 fdb { mac=02:00:00:00:aa:01 vid=20 }
end
case fdb_new_replace
do fdb_new ifname=sw0 fdb { mac=02:00:00:00:aa:01 vid=20 port_ifindex=102 }
undo fdb_new ifname=sw0 fdb { mac=02:00:00:00:aa:01 vid=20 port_ifindex=101 }
end
case fdb_del
do fdb_del ifname=sw0 fdb { mac=02:00:00:00:b0:01 vid=1 }
undo fdb_new ifname=sw0 fdb { mac=02:00:00:00:b0:01 vid=1 port_ifindex=102 }
end
case fdb_flush_port_vlan
do fdb_flush ifname=sw0 fdb { port_ifindex=101 vid=20 }
undo fdb_new ifname=sw0 fdb { mac=02:00:00:00:b0:03 vid=20 port_ifindex=101 }
end
case fdb_flush
do fdb_flush ifname=sw0
undo fdb_new ifname=sw0 fdb { mac=02:00:00:00:b0:02 vid=10 port_ifindex=101 }
undo fdb_new ifname=sw0 fdb { mac=02:00:00:00:aa:01 vid=20 port_ifindex=102 }
end
case rule_new_actions
do rule_new ifname=sw0 rule { $RULE300 $ACT300 }
undo rule_del ifname=sw0 rule { $RULE300 }
end
case rule_new_replace
do rule_new ifname=sw0 rule { $RULE200 actions { drop } }
undo rule_new ifname=sw0 rule { $RULE200 actions { set_vlan_vid=20 output=102 normal } }
end
case rule_del
do rule_del ifname=sw0 rule { $RULE300 }
undo rule_new ifname=sw0 rule { $RULE300 $ACT300 }
end
case rule_flush
do rule_flush ifname=sw0
undo rule_new ifname=sw0 rule { priority=100 match { eth_type=0x0806 } actions { flood } }
undo rule_new ifname=sw0 rule { $RULE200 actions { drop } }
end
case cache_flush
do cache_flush ifname=sw0
end
case link_set_nomaster
do link_nomaster p3
undo link_master p3 sw1
undo port_set port { $P3TRUNK mode=4 tag=300 cvlans=0,5,7-9 }
end
case link_del_vsw
do link_del sw1
undo link_add sw1 200 02:00:00:00:02:00 vsw
end
case link_del_vsw_with_ports
do link_del sw0
undo link_add sw0 100 02:00:00:00:01:00 vsw
undo link_master p1 sw0
undo link_master p2 sw0
undo switch_set ifname=sw0 ageing=60 max_macs=100 cache_size=512
undo port_set port { ifname=p1 mode=1 trunks=10,20 }
end
EOF
)
if [[ ${FAULT_INJECT_BREAK:-0} == 1 ]]; then
	# an undo that leaves a half-made state (an FDB entry) behind: the
	# comparison must catch it
	cases=$(cat <<EOF
case broken_undo
do fdb_new ifname=sw0 fdb { mac=02:00:00:00:cc:01 vid=1 port_ifindex=102 }
undo cache_flush ifname=sw0
end
EOF
	)
fi
ncases=$(grep -c '^case ' <<<"$cases")

ktap_plan $((ncases + 3))

# vswctl -j -s and ip -j link of the netns, without what changes by itself
snapshot() {
	local sw
	{
		vswctl -n $NS -j -s switch show
		vswctl -n $NS -j -s port show
		for sw in $(vswctl -n $NS -j switch show | jq -r '.[].ifname'); do
			vswctl -n $NS -j fdb show "$sw"
			vswctl -n $NS -j -s flow show "$sw"
			vswctl -n $NS -j -s cache show "$sw"
			vswctl -n $NS -j vlan show "$sw"
		done
		ip -n $NS -j -d link show
	} | jq -S -c 'walk(if type == "object" then
		del(.age, .used, .used_ms, .updated, .stats64, .stats) else . end)'
}
snap_before=$(snapshot)

out=$(fz failnth ${FAULT_INJECT_VERBOSE:+-k} -m "$MAXN" <<<"$cases" 2>&1)
rc=$?
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok }" ;;
	"not ok "*) fail "${line#not ok }" ;;
	"#"*) echo "$line" ;;
	*) diag "$line" ;;
	esac
done <<<"$out"
summary=$(grep '^failnth ' <<<"$out")
# the cases after a failed one do not run (the state is unknown)
ran=$(grep -cE '^(not )?ok ' <<<"$out")
for ((i = ran; i < ncases; i++)); do
	fail "case $((i + 1)) not run" "an earlier case failed"
done
if [[ $rc == 0 ]]; then
	ok "failnth run: ${summary#failnth }"
else
	fail "failnth run: ${summary#failnth }" "exit status $rc"
fi

# The cases left sw1 deleted, p3 out of it and sw0 deleted (the last one):
# build sw0 again as at the start; the state must be the one from before
# the run, as vswctl and ip see it.
if [[ ${FAULT_INJECT_BREAK:-0} != 1 && $rc == 0 ]]; then
	build_sw0 || diag "building sw0 again failed"
	snap_after=$(snapshot)
	if [[ $snap_after == "$snap_before" ]]; then
		ok "vswctl -j and ip -j link: same state after the run"
	else
		fail "vswctl -j and ip -j link: same state after the run" \
			"$(diff <(tr '{' '\n' <<<"$snap_before") <(tr '{' '\n' <<<"$snap_after") | head -n 20)"
	fi
else
	skip "vswctl -j and ip -j link: same state after the run" "the run failed"
fi

ip -n $NS link del sw0 2>/dev/null
ip -n $NS link del sw1 2>/dev/null
if ((MAXN)) && [[ -w $KMEMLEAK ]]; then
	# kmemleak reports an object only once it is 5 s old: wait, then scan
	sleep 6
	echo scan >$KMEMLEAK
	leaks=$(cat $KMEMLEAK)
	if [[ -z $leaks ]]; then
		ok "kmemleak: nothing"
	elif grep -qE 'vsw|genl|rtnl|netlink|netdev' <<<"$leaks"; then
		fail "kmemleak: nothing" "$(head -n 40 <<<"$leaks")"
	else
		diag "$(head -n 40 <<<"$leaks")"
		ok "kmemleak: nothing attributable to the requests"
	fi
else
	skip "kmemleak: nothing" "no fault injection or no $KMEMLEAK"
fi

ksft_finish
