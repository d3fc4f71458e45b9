#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 300
#
# sampling.sh - packet sampling to psample (issue 19):
# `vswctl port set DEV sample-rate N sample-group G` sends 1 in N frames
# the port receives to the kernel's psample, read here by a real psample
# consumer (pyroute2, selftests/psample_listen.py):
#
#  - the options in port show (-j and FLAGS) and in the switch's
#    default-port (a port added later samples);
#  - pktgen sends K frames into a port with rate N: the number of samples
#    is K/N within 5 standard deviations of the binomial; every sample has
#    the port's group and rate, the port as input interface, no output
#    interface, the frame's length as original size and the whole frame
#    from its Ethernet header;
#  - a tagged frame's sample has its tag (the data path holds it apart);
#  - rate 0: no sample; another port's group: not in this one's samples;
#  - the psample group is held while the port samples, and dropped when
#    sampling stops and when the port leaves the switch;
#  - bad values are rejected and leave the configuration as it was.
#
# On a kernel without CONFIG_PSAMPLE a non-zero rate is
# refused with a message and the rest is skipped.

# shellcheck source=selftests/vsw_lib.sh
# shellcheck disable=SC2317 # functions run at exit (defer) or by wait_for
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd awk /usr/bin/python3
ktap_plan 20

here=$(cd "$(dirname "$0")" && pwd)
LISTEN=$here/psample_listen.py
K=10000		# frames pktgen sends
N=20		# sample rate: expected K/N = 500, sigma = 21.8
G=7

sw_add ssw0 || { diag "switch setup failed"; exit "$KSFT_FAIL"; }
if ! { veth_port sp1 ssw0 sp1x && veth_port sp2 ssw0 sp2x && veth_port sp3 ssw0 sp3x; }; then
	diag "port setup failed"
	exit "$KSFT_FAIL"
fi
# frames from sp1x go to one known MAC on sp2: counted there once sampled
# (sp3: a trunk of VLAN 10, whose tagged frames go to sp2 in VLAN 10)
DST=02:5a:00:00:00:02
vswctl port set sp2 mode native-untagged tag 1 trunks 10
vswctl port set sp3 mode trunk trunks 10
vswctl fdb add ssw0 $DST vlan 1 port sp2
vswctl fdb add ssw0 $DST vlan 10 port sp2

# --- 1. a kernel without psample refuses sampling ----------------------------------------------
if ! have_psample; then
	check_stderr "no psample in this kernel: sample-rate refused with a message" \
		"psample" vswctl port set sp1 sample-rate $N sample-group $G
	check_eq "... and nothing changed" "0 0" "$(pfield sp1 sample_rate) $(pfield sp1 sample_group)"
	check_stderr "... nor in the switch's default-port" \
		"psample" vswctl switch set ssw0 default-port sample-rate $N
	check_cmd "sample-group alone (sampling off) is kept" vswctl port set sp1 sample-group $G
	for i in $(seq 5 20); do skip "sampling check $i" "kernel without CONFIG_PSAMPLE"; done
	ksft_finish
fi

# --- 2. configuration --------------------------------------------------------------------------
check_eq "sampling is off by default" "0 0" "$(pfield sp1 sample_rate) $(pfield sp1 sample_group)"
vswctl port set sp1 sample-rate $N sample-group $G
check_eq "port set sample-rate $N sample-group $G: -j keys" "$N $G" \
	"$(pfield sp1 sample_rate) $(pfield sp1 sample_group)"
check_true "FLAGS shows it" grep -q "sample-rate=$N,sample-group=$G" \
	<(vswctl port show sp1)

groups() { /usr/bin/python3 "$LISTEN" groups; }
if ! groups >"$VSW_TMPD/g" 2>"$VSW_TMPD/g.err"; then
	diag "$(cat "$VSW_TMPD/g.err")"
	for i in $(seq 4 20); do skip "sampling check $i" "no psample consumer (python3-pyroute2)"; done
	ksft_finish
fi
check_true "psample has group $G, held once" grep -qx "$G 1" "$VSW_TMPD/g"

# bad values: refused, nothing changed
check_stderr "sample-rate abc refused" "sample-rate" vswctl port set sp1 sample-rate abc
check_stderr "sample-rate 2^32 refused" "sample-rate" vswctl port set sp1 sample-rate 4294967296
check_stderr "sample-rate with a bad tag: the whole request refused" "tag|vlan" \
	vswctl port set sp1 sample-rate 3 sample-group 8 tag 5000
check_eq "... the configuration is unchanged" "$N $G 1" \
	"$(pfield sp1 sample_rate) $(pfield sp1 sample_group) $(pfield sp1 tag)"

# --- 3. the samples of a pktgen stream ---------------------------------------------------------
# listen DIR: a consumer in the background, ready when it returns
listen() {
	mkdir -p "$1"
	bg "listen$2" /usr/bin/python3 "$LISTEN" listen "$1"
	wait_for 60 test -e "$1/ready"
}
# collect DIR: every sample queued so far is in DIR/samples
collect() {
	touch "$1/stop"
	wait_for 60 test -e "$1/done"
}
# send COUNT frames from sp1x into sp1; returns once sp2 sent them all on
# (after sampling: their samples are queued by then)
tx0=0
send() {
	pg_reset
	pg_dev 0 sp1x start_xmit "$1" 0 02:5a:00:00:00:01 1 $DST 1 &&
		pgw "$PG/pgctrl" start || return 1
	tx0=$((tx0 + $(pg_sent sp1x)))
	fwd_done() { (($(pstat sp2 tx_packets) >= tx0)); }
	wait_for 120 fwd_done
}

if ! pktgen_ok; then
	for i in $(seq 9 20); do skip "sampling check $i" "no pktgen"; done
	ksft_finish
fi
defer pg_reset
# another port samples to another group at the same time
vswctl port set sp3 sample-rate 1 sample-group 8
d=$VSW_TMPD/l1
listen "$d" 1 || diag "listener not ready"
send $K || diag "pktgen: $(pg_sent sp1x) sent"
# a few frames tagged VLAN 10 into sp3 as well (sampled 1:1, group 8)
pg_reset
pg_dev 0 sp3x start_xmit 50 0 02:5a:00:00:00:03 1 $DST 1 &&
	pgw "$PG/sp3x" "vlan_id 10" && pgw "$PG/pgctrl" start
tx0=$((tx0 + 50))
wait_for 60 fwd_done
collect "$d" || diag "listener did not finish"
diag "listener: $(cat "$d/done" 2>/dev/null)"
S=$d/samples
ifi=$(cat /sys/class/net/sp1/ifindex)
n=$(awk -v g=$G '$1 == g' "$S" | wc -l)
check_true "$K frames at rate $N: $n samples, $((K / N)) +- 5 sigma (109)" \
	awk -v n="$n" -v k=$K -v r=$N 'BEGIN { e = k / r; s = sqrt(k / r * (1 - 1 / r)); exit !(n >= e - 5 * s && n <= e + 5 * s) }'
check_true "no sample lost to a full socket" grep -q "overflows 0" "$d/done"
bad=$(awk -v g=$G -v r=$N -v i="$ifi" '$1 == g && !($2 == r && $3 == i && $4 == 0)' "$S" | wc -l)
check_eq "every sample: group $G, rate $N, in ifindex $ifi (sp1), no out ifindex" 0 "$bad"
dstx=${DST//:/}
bad=$(awk -v g=$G -v d="$dstx" '$1 == g && !($5 == 60 && $6 == 60 && substr($7, 1, 12) == d)' "$S" | wc -l)
check_eq "every sample: original size 60, the whole frame from its Ethernet header" 0 "$bad"
n8=$(awk '$1 == 8' "$S" | wc -l)
i3=$(cat /sys/class/net/sp3/ifindex)
check_eq "the other port's group 8: its 50 frames, rate 1, from sp3 only" "50 50" \
	"$n8 $(awk -v i="$i3" '$1 == 8 && $2 == 1 && $3 == i' "$S" | wc -l)"
# (pktgen makes a tagged frame of pkt_size 60 62 bytes long: its header
# needs 16 bytes of payload)
diag "a tagged frame's sample: $(awk '$1 == 8' "$S" | head -1)"
check_eq "tagged frames: each sample has the 802.1Q tag of VLAN 10, 62 bytes" 50 \
	"$(awk '$1 == 8 && $5 == 62 && $6 == 62 && substr($7, 25, 8) == "8100000a"' "$S" | wc -l)"

# --- 4. rate 0: off ----------------------------------------------------------------------------
vswctl port set sp1 sample-rate 0
vswctl port set sp3 sample-rate 0
groups >"$VSW_TMPD/g"
check_eq "sampling off: the groups are released" "" "$(grep -E "^($G|8) " "$VSW_TMPD/g")"
d=$VSW_TMPD/l2
listen "$d" 2 || diag "listener not ready"
send 2000 || diag "pktgen: $(pg_sent sp1x) sent"
collect "$d"
check_eq "rate 0: 2000 frames, no sample" "samples 0 overflows 0" "$(cat "$d/done" 2>/dev/null)"

# --- 5. default-port, and a port leaving the switch --------------------------------------------
vswctl switch set ssw0 default-port sample-rate 5 sample-group 9
check_eq "default-port sample-rate 5 sample-group 9: switch show -j" "5 9" \
	"$(vswctl -j switch show ssw0 | jq -r '.[0].default_port | "\(.sample_rate) \(.sample_group)"')"
veth_port sp4 ssw0 sp4x
check_eq "a port added later samples at 5 to group 9" "5 9" \
	"$(pfield sp4 sample_rate) $(pfield sp4 sample_group)"
groups >"$VSW_TMPD/g"
check_true "psample has group 9, held once" grep -qx "9 1" "$VSW_TMPD/g"
ip link set sp4 nomaster
groups >"$VSW_TMPD/g"
check_eq "the port left the switch: group 9 released" "" "$(grep -E "^9 " "$VSW_TMPD/g")"
vswctl switch set ssw0 default-port sample-rate 0 sample-group 0

ksft_finish
