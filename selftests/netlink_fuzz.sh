#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 170
#
# netlink_fuzz.sh - robustness of the "vsw" generic netlink family.
#
# selftests/netlink_fuzz/netlink_fuzz (built on the host by
# `make -C selftests/netlink_fuzz`; nothing is built in the guest) sends up
# to 100k malformed and random requests (random and out-of-range commands,
# random attribute types/lengths/nesting, truncated and lying headers,
# extreme values, dumps with garbage filters, batches, abandoned dumps) at a
# switch with ports, while frames flow through it and an event listener is
# subscribed. Every request that must be answered has to be answered, every
# reply has to be well formed, at least NETLINK_FUZZ_COUNT (100k) requests
# must have been sent on every kernel (the test FAILS if the time bound is
# reached first), and afterwards the switch must still answer and, reset to
# defaults, forward. The VM harness fails the test on any kernel splat
# (KASAN, lockdep, WARN...) it causes.
#
# Environment: NETLINK_FUZZ_COUNT (100000), NETLINK_FUZZ_SECS (time bound:
# 100 s, 450 s on the debug kernel), NETLINK_FUZZ_SEED (random; printed).
#
# Measured: 100k requests take 25 s on deb61 under TCG (load average 2-3;
# 67k datagrams, 80k errors, 11k acks, 9k data replies, 5k dumps); the
# whole test ~45 s. The debug kernel (KASAN, lockdep) is estimated at 3-4x
# (75-100 s), with spawns ~10x; the bounds leave 4x (deb61/deb612) and 4.5-6x
# (debug) headroom for a loaded host, and fit in the per-test timeout
# (170 s, x5 = 850 s on debug).

# shellcheck disable=SC1083 # { and } are words of netlink_fuzz req
# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

COUNT=${NETLINK_FUZZ_COUNT:-100000}
SECS=${NETLINK_FUZZ_SECS:-}
if [[ -z $SECS ]]; then
	SECS=100
	[[ ${VSW_KERNEL:-} == debug ]] && SECS=450
fi
SEED=${NETLINK_FUZZ_SEED:-$((RANDOM * 32768 + RANDOM))}
SW=nfz0

need_cmd ip ping
need_fuzz
need_vsw

TMPD=$(mktemp -d "${VSW_TMP:-/tmp}/netlink_fuzz.XXXXXX")
defer rm -rf "$TMPD"
defer __vsw_bg_cleanup

ktap_plan 10

ifindex() { cat "/sys/class/net/$1/ifindex"; }
req() { "$FUZZ" req "$@" >/dev/null 2>&1; }

sw_add "$SW"
vm_add nfa nfp1 "$SW" 192.0.2.1/24
vm_add nfb nfp2 "$SW" 192.0.2.2/24
veth_port nfp3 "$SW"
check_ping "frames flow before the fuzz" nfa 192.0.2.2

# something for the dumps to walk
ok=1
for i in $(seq 1 40); do
	req fdb_new ifname="$SW" fdb { mac="$(printf '02:00:00:00:%02x:%02x' $((i / 256)) $((i % 256)))" \
		vid=$((1 + i % 5)) port_ifindex="$(ifindex nfp3)" } || ok=0
	req rule_new ifname="$SW" rule { priority=$((100 + i)) match { eth_type=0x0800 ip_proto=17 \
		l4_dst=$((1000 + i)) } actions { normal } } || ok=0
done
check_eq "40 static FDB entries and 40 rules added" 1 "$ok"

# frames (learning, cache inserts, counters) and a listener (events) during the fuzz
bg ping ip netns exec nfa ping -q -i 0.2 192.0.2.2
bg mon "$FUZZ" monitor -t 100000 >"$TMPD/events.out" 2>&1
sleep 0.5

rc=0
"$FUZZ" fuzz -s "$SW" -p nfp1 -p nfp2 -p nfp3 -p "$SW" -n "$COUNT" -t "$SECS" -S "$SEED" \
	>"$TMPD/fuzz.out" 2>&1 || rc=$?
diag "$(cat "$TMPD/fuzz.out")"
check_eq "fuzzer: every request answered, every reply well formed, SWITCH_GET works after (seed $SEED)" 0 "$rc"
sent=$(sed -n 's/^# sent \([0-9]*\) requests.*/\1/p' "$TMPD/fuzz.out")
rejected=$(sed -n 's/^# sent .* \([0-9]*\) errors,.*/\1/p' "$TMPD/fuzz.out")
if [[ ${sent:-0} -lt $COUNT ]]; then
	diag "time bound ($SECS s) reached after ${sent:-0} of $COUNT requests"
fi
check_true "fuzzer sent all $COUNT malformed/random requests within $SECS s (sent ${sent:-0})" \
	test "${sent:-0}" -ge "$COUNT"
# most of them are malformed: the kernel must have rejected at least half
check_true "the kernel rejected most of them (${rejected:-0} errors of ${sent:-0})" \
	test "$((2 * ${rejected:-0}))" -ge "${sent:-0}" -a "${sent:-0}" -gt 0

bg_kill ping
bg_kill mon
nev=$(grep -c '^event=' "$TMPD/events.out")
diag "$nev events received during the fuzz"
bad=$(grep -c 'MALFORMED\|recv error' "$TMPD/events.out")
check_eq "events during the fuzz are well formed" 0 "$bad"

# back to defaults: the switch must forward again
req rule_flush ifname="$SW"
req fdb_flush ifname="$SW"
req switch_set ifname="$SW" ageing=300 max_macs=0 cache_size=65536
ok=1
for p in nfp1 nfp2 nfp3 "$SW"; do
	req port_set port { ifname="$p" mode=0 tag=1 trunks=none cvlans=none learning=1 \
		flood_ucast=1 flood_bcast=1 flood_mcast=1 isolated=0 max_macs=0 } || ok=0
done
check_eq "ports reset to defaults" 1 "$ok"
check_ping "frames flow after the fuzz" nfa 192.0.2.2
check_eq "port dump lists the 4 ports" 4 "$("$FUZZ" req -d port_get ifname="$SW" | grep -c '^cmd=port_get')"
check_cmd "every dump still completes" bash -c "
	for c in switch_get fdb_get rule_get cache_get vlan_get; do
		'$FUZZ' req -d \$c ifname=$SW >/dev/null || exit 1
	done"

ksft_finish
