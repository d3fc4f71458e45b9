#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 240
#
# flow_cache.sh - the flow (megaflow) cache.
#
#   vm1 p1, vm2 p2, vm3 p3: access VLAN 1 (defaults), 192.0.2.1-3
#   vm4 p4: trunk 10,20 (VM side: eth0.10, eth0.20)                 sw0
#
# `cache show -j` lists entries (match/actions/counters) after traffic,
# `cache flush` empties it, cache_hits grow; the cache never keeps a stale
# decision: a MAC move, a port VLAN change, and a drop rule added or deleted
# while a ping runs take effect on the next frame with no cache flush by
# hand; so do a static FDB entry added or deleted, a port going down and up,
# and an FDB entry ageing out. The cache is bounded (cache-size, eviction)
# and counts packets and bytes per entry. Learning new MACs leaves cached
# flows alone, but not a cached flood to the MAC just learned.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd tcpdump
ktap_plan 30

M1=02:00:00:00:00:01
M2=02:00:00:00:11:02
M3=02:00:00:00:00:03
M4=02:00:00:00:00:04

setup() {
	sw_add sw0 &&
		vm_add vm1 p1 sw0 192.0.2.1/24 $M1 &&
		vm_add vm2 p2 sw0 192.0.2.2/24 $M2 &&
		vm_add vm3 p3 sw0 192.0.2.3/24 $M3 &&
		vm_add vm4 p4 sw0 "" $M4 &&
		vswctl port set p4 mode trunk trunks 10,20 &&
		vlan_if vm4 eth0 10 802.1Q 198.51.100.4/24 &&
		vlan_if vm4 eth0 20 802.1Q 203.0.113.4/24
}
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }

nrules() { vswctl -j flow show sw0 | jq length; }
ncache() { vswctl -j cache show sw0 | jq length; }


# --- baseline and the cache -------------------------------------------------
check_eq "no rules at start (implicit normal not listed)" 0 "$(nrules)"
check_ping "baseline: vm1 -> vm2" vm1 192.0.2.2
check_ping "baseline: vm3 -> vm2" vm3 192.0.2.2
n=$(ncache)
check_true "cache show -j lists entries after traffic ($n)" num_ge "$n" 1
check_true "cache entries have match/actions/n_packets/n_bytes/used_ms" \
	bash -c "vswctl -j cache show sw0 | jq -e 'all(.[]; has(\"match\") and has(\"actions\") and has(\"n_packets\") and has(\"n_bytes\") and has(\"used_ms\"))'"
check_true "a cache entry for vm1 -> vm2 outputs to p2" \
	bash -c "vswctl -j cache show sw0 | jq -e 'any(.[]; (.match | test(\"dl_dst=$M2\")) and (.actions | test(\"output:p2\")))'"
# no ARP re-validation probe of the pings above may refill it meanwhile
vsw_quiet
check_cmd "cache flush sw0" vswctl cache flush sw0
check_eq "cache empty after cache flush" 0 "$(ncache)"
h0=$(vswctl -j -s switch show sw0 | jq '.[0].cache_hits')
ping_ok vm1 192.0.2.2 1
ip netns exec vm1 ping -n -q -c 3 -i 0.2 -W 1 192.0.2.2 >/dev/null 2>&1
h1=$(vswctl -j -s switch show sw0 | jq '.[0].cache_hits')
check_true "switch show -s: cache_hits grows ($h0 -> $h1)" test "$h1" -gt "$h0"


# --- cache coherence --------------------------------------------------------------
# MAC move: vm3 -> M1 is cached towards p1; then M1 shows up on p2
neigh vm3 192.0.2.1 $M1
ping_ok vm1 192.0.2.3 1
vsw_quiet
send_frames vm3 eth0 dst=$M1 count=3
r1=$(nsrx vm1 eth0) r2=$(nsrx vm2 eth0)
send_frames vm2 eth0 src=$M1 dst=$M3 count=1 # M1 moves to p2
send_frames vm3 eth0 dst=$M1 count=3
check_eq "after a MAC move, cached traffic follows it (vm2 +3, vm1 +0)" \
	"$r1 $((r2 + 3))" "$(nsrx vm1 eth0) $(nsrx vm2 eth0)"
send_frames vm1 eth0 count=1 # back to p1
r1=$(nsrx vm1 eth0)
send_frames vm3 eth0 dst=$M1 count=2
check_eq "... and back when it returns to p1" "$((r1 + 2))" "$(nsrx vm1 eth0)"
# VLAN change: vm1 <-> vm2 cached in VLAN 1, then p2 moves to VLAN 30
ip -n vm1 neigh flush all
ping_ok vm1 192.0.2.2 2
check_ping "vm1 -> vm2 before the VLAN change" vm1 192.0.2.2
vswctl port set p2 tag 30
check_noping "after port set p2 tag 30 the cached decision is not used" vm1 192.0.2.2
vswctl port set p2 tag 1
check_ping "port set p2 tag 1: traffic resumes" vm1 192.0.2.2
# rule added while a ping runs: it stops within a second
bg pinger ip netns exec vm1 ping -n -i 0.2 -W 1 192.0.2.2 >"$VSW_TMPD/ping.out" 2>&1
sleep 1.5
e0=$(icmp_in_echos vm2)
vswctl flow add sw0 priority 100 icmp actions=drop
t0=$(icmp_in_echos vm2)
sleep 1.2
t1=$(icmp_in_echos vm2)
sleep 1
t2=$(icmp_in_echos vm2)
check_eq "running ping: a drop rule stops it at once (vm2 echo requests frozen)" "$t1" "$t2"
vswctl flow del sw0 priority 100 icmp
sleep 1.5
t3=$(icmp_in_echos vm2)
bg_kill pinger
check_true "running ping: traffic resumes after flow del ($t2 -> $t3)" test "$t3" -gt "$t2"
diag "vm2 echo requests received during the test: $e0 $t0 $t1 $t2 $t3"

dump_on_fail sw0
# --- static entries, port down/up, age-out: cached decisions follow -------------------------
rx() { echo "$(nsrx vm1 eth0) $(nsrx vm2 eth0)"; }
# add R1 R2 -> "R1+a R2+b"
plus() { local a b; read -r a b <<<"$1"; echo "$((a + $2)) $((b + $3))"; }
vsw_quiet
send_frames vm1 eth0 count=1 # M1 on p1
send_frames vm3 eth0 dst=$M1 count=2 # vm3 -> M1 cached towards p1
vswctl fdb add sw0 $M1 vlan 1 port p2
r=$(rx)
send_frames vm3 eth0 dst=$M1 count=3
check_eq "static entry added: cached traffic to M1 goes to p2 (vm1 +0, vm2 +3)" \
	"$(plus "$r" 0 3)" "$(rx)"
vswctl fdb del sw0 $M1 vlan 1
r=$(rx)
send_frames vm3 eth0 dst=$M1 count=2
check_eq "static entry deleted: M1 unknown again, flooded (vm1 +2, vm2 +2)" \
	"$(plus "$r" 2 2)" "$(rx)"
send_frames vm1 eth0 count=1 # M1 learned on p1 again
send_frames vm3 eth0 dst=$M1 count=1
d=$(pdrop p1 port_down)
ip link set p1 down
r=$(rx)
send_frames vm3 eth0 dst=$M1 count=3
check_eq "p1 down: frames to M1 dropped as port_down on p1 (+3), not sent" \
	"$((d + 3)) $r" "$(pdrop p1 port_down) $(rx)"
ip link set p1 up
wait_for 10 bash -c "[[ \$(ip -j link show p1 | jq -r '.[0].operstate') == UP ]]"
r=$(rx)
send_frames vm3 eth0 dst=$M1 count=2
check_eq "p1 up again: frames to M1 reach vm1 (+2), vm2 +0" "$(plus "$r" 2 0)" "$(rx)"
vswctl switch set sw0 ageing 1
wait_for 10 bash -c "! vswctl -j fdb show sw0 | jq -e 'any(.[]; .mac == \"$M1\")'"
r=$(rx)
send_frames vm3 eth0 dst=$M1 count=2
vswctl switch set sw0 ageing 300
check_eq "M1 aged out: cached traffic to it is flooded (vm1 +2, vm2 +2)" \
	"$(plus "$r" 2 2)" "$(rx)"

dump_on_fail sw0
# --- cache-size bound, eviction, per-entry counters ---------------------------------------------
# (the first frame from a new source MAC is not cached: the flows below
# come from MACs already known, to distinct unknown destinations, so each
# one is a live, separate entry)
send_frames vm1 eth0 count=1
send_frames vm2 eth0 count=1
vswctl cache flush sw0
vswctl switch set sw0 cache-size 8
r=$(rx)
for ((i = 10; i < 50; i++)); do send_frames vm1 eth0 dst=02:00:00:00:50:$i count=1; done
n=$(ncache)
check_eq "cache-size 8: 40 flows to unknown MACs leave exactly 8 entries" 8 "$n"
check_eq "... and every one of the 40 frames was flooded (vm1 +0, vm2 +40)" "$(plus "$r" 0 40)" "$(rx)"
vswctl switch set sw0 cache-size 65536
vswctl cache flush sw0
send_frames vm1 eth0 dst=$M2 count=5 len=100
entry() {
	vswctl -j cache show sw0 |
		jq -r --arg s $M1 --arg d $M2 '.[] | select((.match | test("dl_src=" + $s)) and (.match | test("dl_dst=" + $d))) | "\(.n_packets) \(.n_bytes) \(.used_ms)"'
}
e=$(entry)
read -r np nb used <<<"$e"
check_eq "cache entry M1 -> M2: n_packets 5, n_bytes 500 (the miss and 4 hits, 100-byte frames)" \
	"5 500" "$np $nb"
check_true "... used_ms is recent ($used ms)" bash -c "(( ${used:-999999} < 10000 ))"
send_frames vm1 eth0 dst=$M2 count=2 len=100
check_eq "two more hits: n_packets 7, n_bytes 700" "7 700" "$(entry | cut -d' ' -f1-2)"

dump_on_fail sw0
# --- a new MAC keeps the cache; a flood to it ends when it is learned ---------------------
# (max-macs 1000, then 0 again: changes that revalidate every cached
# decision and forget the floods to unknown MACs noted above; one of those
# 40 may share its hash bit with a new MAC below, whose learning would then
# revalidate too.) 20 new source MACs on p3
# (to M2, known): the entry M1 -> M2 stays the same one, its counters go on
# (with a whole-cache invalidation per learn the next frame would be a miss
# and start a new entry at 1)
M6=02:00:00:00:66:01
vswctl switch set sw0 max-macs 1000
vswctl switch set sw0 max-macs 0
vswctl cache flush sw0
send_frames vm1 eth0 dst=$M2 count=2 len=100
send_frames vm3 eth0 src=02:00:00:00:77:00 nsrc=20 dst=$M2 count=20 len=100
send_frames vm1 eth0 dst=$M2 count=3 len=100
check_eq "20 new MACs learned on p3: entry M1 -> M2 kept (n_packets 5, n_bytes 500)" \
	"5 500" "$(entry | cut -d' ' -f1-2)"
check_eq "... and the 20 were learned on p3" 20 \
	"$(vswctl -j fdb show sw0 | jq '[.[] | select(.ifname == "p3" and (.mac | startswith("02:00:00:00:77:")))] | length')"
# vm1 -> M6 (unknown): flooded and cached; M6 speaks on p2: the next frame
# to it goes to p2 only (vm3 +0)
rx3() { echo "$(nsrx vm2 eth0) $(nsrx vm3 eth0)"; }
r=$(rx3)
send_frames vm1 eth0 dst=$M6 count=3
check_eq "vm1 -> unknown M6: flooded (vm2 +3, vm3 +3)" "$(plus "$r" 3 3)" "$(rx3)"
send_frames vm2 eth0 src=$M6 dst=$M1 count=1
r=$(rx3)
send_frames vm1 eth0 dst=$M6 count=3
check_eq "M6 learned on p2: the cached flood is not used (vm2 +3, vm3 +0)" \
	"$(plus "$r" 3 0)" "$(rx3)"


dump_on_fail sw0
ksft_finish
