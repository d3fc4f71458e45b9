#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 300
#
# storm.sh - storm control (issue 19): vswctl port set DEV storm-bcast PPS
# storm-mcast PPS storm-unknown PPS.
#
# pktgen sends frames into port sp1 (from its veth peer) at up to 10000/s,
# far above the limit of 200/s; sp2 is the only other port (the switch
# device is down), so what sp2 sends is what the switch forwarded. For a
# limited class that is about the limit times pktgen's own elapsed time
# plus the burst (a tenth of the rate): checked between half and one and
# a half times that, and every other frame is a "storm" drop on sp1.
# Checks: broadcast, multicast and unknown unicast each limited by their
# own option and not by the others; known unicast at the same rate is
# never limited; 0 turns a limit off; bad values are refused and change
# nothing; the switch's default-port carries the options to new ports;
# vswctl -j keys and FLAGS.

# shellcheck source=selftests/vsw_lib.sh
# shellcheck disable=SC2317 # functions run at exit (defer) or by wait_for
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
pktgen_ok || ksft_skip_all "no pktgen"
ktap_plan 24

LIMIT=200
N=5000			# frames per run
DELAY=100000		# ns between frames: at most 10000/s

ip link add sw0 type vsw || { diag "switch setup failed"; exit "$KSFT_FAIL"; }
defer ip link del sw0
{ veth_port sp1 sw0 && veth_port sp2 sw0; } || { diag "port setup failed"; exit "$KSFT_FAIL"; }
defer pg_reset
SRC=02:5a:00:00:00:01
KNOWN=02:5a:00:00:00:02
UNKNOWN=02:5a:00:00:00:99
vswctl fdb add sw0 "$KNOWN" vlan 1 port sp2 || { diag "fdb setup failed"; exit "$KSFT_FAIL"; }

# run DST: N frames from SRC to DST into sp1; sets SENT, FWD (sent by sp2),
# STORM (new storm drops on sp1), USEC (pktgen's elapsed time)
run() {
	local rx0 tx0 st0
	rx0=$(pstat sp1 rx_packets) tx0=$(pstat sp2 tx_packets)
	st0=$(pdrop sp1 storm)
	pg_reset
	if ! pg_dev 0 sp1x start_xmit "$N" "$DELAY" "$SRC" 1 "$1" 1 ||
		! pgw "$PG/pgctrl" start; then
		SENT=0 FWD=0 STORM=0 USEC=0
		return 1
	fi
	SENT=$(pg_sent sp1x)
	USEC=$(sed -n 's/^Result: OK: \([0-9]*\)(.*/\1/p' "$PG/sp1x")
	rx_done() { (($(pstat sp1 rx_packets) - rx0 >= SENT)); }
	wait_for 30 rx_done
	# each frame is sent or dropped just after it is counted received
	all_done() {
		(($(pstat sp2 tx_packets) - tx0 + $(pdrop sp1 storm) - st0 >= SENT))
	}
	wait_for 5 all_done
	FWD=$(($(pstat sp2 tx_packets) - tx0))
	STORM=$(($(pdrop sp1 storm) - st0))
	diag "to $1: sent $SENT in ${USEC} us ($((SENT * 1000000 / (USEC + 1)))/s), forwarded $FWD, storm drops $STORM"
}

# limited WHAT: the last run forwarded about LIMIT per second, dropped the rest
limited() {
	local exp lo hi
	# the burst is LIMIT/10 frames, then LIMIT per second
	exp=$((LIMIT * USEC / 1000000 + LIMIT / 10))
	lo=$((exp / 2)) hi=$((exp * 3 / 2))
	check_true "$1: forwarded $FWD within [$lo, $hi] ($LIMIT/s for ${USEC} us + burst)" \
		test "$FWD" -ge "$lo" -a "$FWD" -le "$hi"
	check_eq "$1: every other frame is a storm drop on sp1" "$SENT" $((FWD + STORM))
}

# not_limited WHAT: the last run forwarded everything
not_limited() {
	check_true "$1: all $SENT forwarded ($FWD), no storm drop ($STORM)" \
		test "$SENT" -gt 0 -a "$FWD" -eq "$SENT" -a "$STORM" -eq 0
}

check_eq "-j: storm limits default to 0" "0 0 0" \
	"$(pfield sp1 storm_bcast) $(pfield sp1 storm_mcast) $(pfield sp1 storm_unknown)"

# --- broadcast ---------------------------------------------------------------------------------
check_cmd "port set sp1 storm-bcast $LIMIT" vswctl port set sp1 storm-bcast "$LIMIT"
check_eq "-j storm_bcast" "$LIMIT 0 0" \
	"$(pfield sp1 storm_bcast) $(pfield sp1 storm_mcast) $(pfield sp1 storm_unknown)"
check_true "port show: storm-bcast=$LIMIT in FLAGS" \
	grep -q "storm-bcast=$LIMIT" <<<"$(vswctl port show sp1)"
run ff:ff:ff:ff:ff:ff
check_true "broadcast: more sent than the limit lets through (pktgen at $((SENT * 1000000 / (USEC + 1)))/s)" \
	test "$STORM" -gt 0
limited "broadcast at storm-bcast $LIMIT"

# --- multicast: not limited by storm-bcast, then by storm-mcast --------------------------------
run 01:00:5e:00:00:01
not_limited "multicast under storm-bcast only"
check_cmd "port set sp1 storm-mcast $LIMIT" vswctl port set sp1 storm-mcast "$LIMIT"
run 01:00:5e:00:00:01
limited "multicast at storm-mcast $LIMIT"

# --- unknown unicast ---------------------------------------------------------------------------
run "$UNKNOWN"
not_limited "unknown unicast under storm-bcast and storm-mcast"
check_cmd "port set sp1 storm-unknown $LIMIT" vswctl port set sp1 storm-unknown "$LIMIT"
run "$UNKNOWN"
limited "unknown unicast at storm-unknown $LIMIT"

# --- known unicast: never limited --------------------------------------------------------------
run "$KNOWN"
not_limited "known unicast with all three limits at $LIMIT"

# --- 0 turns it off ----------------------------------------------------------------------------
check_cmd "port set sp1 storm-bcast 0" vswctl port set sp1 storm-bcast 0
run ff:ff:ff:ff:ff:ff
not_limited "broadcast after storm-bcast 0"

# --- bad values --------------------------------------------------------------------------------
bad=0
for v in -1 abc 100000001 4294967296 ""; do
	if vswctl port set sp1 storm-mcast "$v" 2>/dev/null; then
		diag "storm-mcast \"$v\" accepted"
		bad=1
	fi
done
check_eq "bad rates refused (-1, abc, above 100000000, 2^32, empty)" 0 "$bad"
check_eq "... and nothing changed" "0 $LIMIT $LIMIT" \
	"$(pfield sp1 storm_bcast) $(pfield sp1 storm_mcast) $(pfield sp1 storm_unknown)"
check_cmd "the highest rate, 100000000, is taken" vswctl port set sp1 storm-mcast 100000000

# --- default-port ------------------------------------------------------------------------------
check_cmd "switch set sw0 default-port storm-bcast 300 storm-unknown 40" \
	vswctl switch set sw0 default-port storm-bcast 300 storm-unknown 40
check_eq "switch show -j: default_port storm keys" "300 0 40" \
	"$(vswctl -j switch show sw0 | jq -r '.[0].default_port | "\(.storm_bcast) \(.storm_mcast) \(.storm_unknown)"')"
veth_port sp3 sw0 || diag "sp3 setup failed"
check_eq "a new port gets them" "300 0 40" \
	"$(pfield sp3 storm_bcast) $(pfield sp3 storm_mcast) $(pfield sp3 storm_unknown)"

ksft_finish
