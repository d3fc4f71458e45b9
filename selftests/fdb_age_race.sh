#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 150
# vsw-smp: 2
#
# fdb_age_race.sh - FDB ageing racing cache hits (issue 13, item 3).
#
#   pktgen (kpktgend_0) -> a0 [sw0, ageing 1 s] b0 <- pktgen (kpktgend_1)
#
# A cached decision points to the FDB entry of its source MAC (a hit
# refreshes that entry's age). Ageing must make the decision unusable before
# the entry can be freed, else a hit writes into freed memory. Two pktgen
# threads (one per vCPU on the debug kernel, which boots this test with 2)
# inject frames on the two ports: a steady pair of MACs that always hits
# the cache, and a range of MACs that comes back every ~1.2 s, just after
# its entries aged out, so ageing, relearning and hits on both CPUs overlap
# for the whole run. (The old code freed an aged entry and bumped the
# generation only after the walk: a hit had to land between the two, after
# a grace period, to write into freed memory. This run exercises the paths
# around that window; it is not expected to hit the window itself.) KASAN (debug kernel) fails the run on any use after
# free; the checks below verify that the race was really exercised: entries
# aged out and were learned again, traffic was forwarded by the cache.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd modprobe
pktgen_ok || ksft_skip_all "no pktgen (module or /proc/net/pktgen)"
ktap_plan 8

SECS=${FDB_AGE_RACE_SECS:-12}
MACS=384	# the cycling range, per port

defer pg_reset

setup() {
	sw_add sw0 &&
		veth_port a0 sw0 a0p &&
		veth_port b0 sw0 b0p &&
		vswctl switch set sw0 ageing 1
}
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }
dump_on_fail sw0

nthreads=$(find "$PG" -name 'kpktgend_*' | wc -l)
t1=0
((nthreads > 1)) && t1=1
diag "pktgen threads: $nthreads (vCPUs: $(nproc))"

# Both directions learn first, so the cycling frames are unicast (cached
# with their source entry), not floods.
vswctl fdb add sw0 02:b0:00:00:00:01 vlan 1 port b0
vswctl fdb add sw0 02:a0:00:00:00:01 vlan 1 port a0
# a0: MACs 02:a0:01:00:00:00.. cycle (MACS of them at ~320 frames/s: each
# comes back after ~1.2 s, just after ageing removed it), to the static
# 02:b0:..:01; b0: one learned MAC hitting the cache all the time, to the
# static 02:a0:..:01.
pg_reset
pg_both() {
	pg_dev 0 a0 netif_receive 0 3100000 02:a0:01:00:00:00 "$MACS" 02:b0:00:00:00:01 1 &&
		pg_dev "$t1" b0 netif_receive 0 2000000 02:b0:01:00:00:00 1 02:a0:00:00:00:01 1
}
check_cmd "pktgen devices set up" pg_both
h0=$(vswctl -j -s switch show sw0 | jq '.[0].cache_hits')
bg pktgen bash -c "echo start >$PG/pgctrl"
# sample the FDB while it churns: it must go up and down
lo=1000000 hi=0
end=$((SECONDS + SECS))
while ((SECONDS < end)); do
	n=$(fdb_count sw0)
	[[ $n =~ ^[0-9]+$ ]] || continue
	((n > hi)) && hi=$n
	# low point: only after the range was learned (before it, the FDB
	# holds just the two static entries)
	((hi > 40 && n < lo)) && lo=$n
	sleep 0.5
done
echo stop >"$PG/pgctrl"
bg_kill pktgen
sa=$(pg_sent a0) sb=$(pg_sent b0)
diag "sent: a0 $sa, b0 $sb; FDB size between $lo and $hi"
h1=$(vswctl -j -s switch show sw0 | jq '.[0].cache_hits')

check_true "frames injected on both ports ($sa, $sb)" \
	bash -c "[[ $sa -gt $MACS && $sb -gt 100 ]]"
check_true "cache hits under the churn ($h0 -> $h1)" test "$h1" -gt "$((h0 + 100))"
check_true "the cycling MACs were learned (FDB up to $hi)" test "$hi" -gt 40
check_true "... and aged out meanwhile (FDB down to $lo of $hi)" test "$lo" -lt "$((hi - 20))"
check_true "frames forwarded to b0 (b0p received $(nsrx '' b0p))" \
	test "$(nsrx '' b0p)" -gt "$MACS"
# once the traffic stopped, every learned entry ages out, static ones stay
check_true "all learned entries aged out after the traffic stopped" \
	wait_for 20 bash -c "[[ \$($VSWCTL -j fdb show sw0 | jq '[.[] | select(.state != \"static\")] | length') == 0 ]]"
check_eq "static entries stay" 2 "$(fdb_count sw0)"

ksft_finish
