#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 240
#
# vhost_owner.sh - vsw_vhost on a multi-tenant host (issue 13, items 6-8):
#
#  1. the device's worker runs in the owner's cgroups (as drivers/vhost's:
#     a vhost_task, i.e. a thread of the owner, on 6.12; a kthread attached
#     with cgroup_attach_task_all() on 6.1), so a guest's ring processing
#     is charged to its VM;
#  2. VHOST_NET_SET_BACKEND binds to the tap device behind the tun file,
#     not to whatever device has its name: a tap renamed or moved to
#     another netns between open (TUNSETIFF) and bind, with a decoy of the
#     same name left behind, is bound where it is; a tap deleted before the
#     bind fails cleanly;
#  3. SCTP frames (CHECKSUM_PARTIAL, CRC32c) from the host stack reach a
#     guest with a valid CRC32c (not an Internet checksum, not NEEDS_CSUM).
#
#   vhost_guest A ~~ ta (access 10) sw0 tb (access 10) ~~ vhost_guest B
#                                    p1 (access 10, veth) -- eth0 vm1 (SCTP)
#   netns vhx: swx, where ta and tb are moved for the netns case

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_vhost_guest
ktap_plan 15

# backend NS PORT: the port's backend kind ("none" without one)
backend() {
	local ns=$1 port=$2 f=$VSW_TMPD/snap.$1.$2.json
	[[ -s $f ]] || { echo missing; return; }
	jq -r '.[0].backend.kind // "none"' "$f" 2>/dev/null || echo none
}
# snapcmd NS:PORT...: a --then command saving those ports' state
snapcmd() {
	local a ns port cmd=""
	for a in "$@"; do
		ns=${a%%:*} port=${a#*:}
		cmd+="${ns:+ip netns exec $ns }$VSWCTL -j -s port show $port >$VSW_TMPD/snap.$ns.$port.json && "
	done
	echo "${cmd}true"
}

tap_add() { # NAME SWITCH [NS]
	local ns=${3:-}
	__ns_exec "$ns" ip tuntap add dev "$1" mode tap vnet_hdr &&
		__vsw_noipv6 "$ns" "$1" &&
		__ns_exec "$ns" ip link set "$1" master "$2" up &&
		__ns_exec "$ns" "$VSWCTL" port set "$1" mode access tag 10
}

defer ip link del tg 2>/dev/null
defer ip link del tb 2>/dev/null
defer ip link del ta 2>/dev/null
defer ip link del tr 2>/dev/null
vhost_load || { diag "modprobe vsw_vhost failed"; exit "$KSFT_FAIL"; }
vm_ns vhx
if ! { sw_add sw0 && tap_add ta sw0 && tap_add tb sw0 &&
	vm_add vm1 p1 sw0 192.0.2.1/24 02:00:00:00:10:01 &&
	vswctl port set p1 mode access tag 10 && sw_add swx vhx; }; then
	diag "topology setup failed"
	exit "$KSFT_FAIL"
fi
dump_on_fail sw0

# --- 1. the worker is in the owner's cgroups ---------------------------------
cgm=$VSW_TMPD/cgroup2
mkdir -p "$cgm"
if mount -t cgroup2 none "$cgm" 2>/dev/null; then
	defer umount "$cgm"
	cg=$cgm/vsw-vhost-owner
	mkdir "$cg"
	defer rmdir "$cg"
	# from vhost_guest --then (devices open, workers running): every task
	# named vhost-vsw-*, its path under /proc and its cgroup v2 path
	cat >"$VSW_TMPD/workers.sh" <<'EOF'
owner=$1 out=$2
: >"$out"
for t in /proc/[0-9]*/task/[0-9]*; do
	c=$(cat "$t/comm" 2>/dev/null) || continue
	[[ $c == vhost-vsw-* ]] || continue
	echo "$t $c $(grep '^0::' "$t/cgroup")" >>"$out"
done
echo "$owner $(grep '^0::' /proc/"$owner"/cgroup)" >"$out.owner"
EOF
	out=$VSW_TMPD/workers
	check_cmd "xfer with the owner in cgroup vsw-vhost-owner" \
		bash -c 'echo $$ >"$1/cgroup.procs" && exec "$2" xfer ta tb --count 50 --then "bash $3 \$PPID $4"' \
		_ "$cg" "$VG" "$VSW_TMPD/workers.sh" "$out"
	diag "owner: $(cat "$out.owner" 2>/dev/null)"
	while read -r line; do diag "worker: $line"; done <"$out" 2>/dev/null
	owner=$(awk '{print $1}' "$out.owner" 2>/dev/null)
	check_eq "the owner is in /vsw-vhost-owner" "0::/vsw-vhost-owner" \
		"$(awk '{print $2}' "$out.owner" 2>/dev/null)"
	check_eq "two workers (one per open device)" 2 "$(grep -c . "$out" 2>/dev/null)"
	check_eq "both workers in the owner's cgroup" \
		"0::/vsw-vhost-owner 0::/vsw-vhost-owner" \
		"$(awk '{print $3}' "$out" 2>/dev/null | xargs)"
	if [[ $VSW_KERNEL == deb61 ]]; then
		check_eq "6.1: the workers are kthreads (own thread group)" 2 \
			"$(awk -F/ -v o="$owner" '$3 != o' "$out" 2>/dev/null | grep -c .)"
	else
		check_eq "6.12: the workers are threads of the owner (vhost_task)" 2 \
			"$(awk -F/ -v o="$owner" '$3 == o' "$out" 2>/dev/null | grep -c .)"
	fi
else
	for d in "owner in cgroup" "owner cgroup" "two workers" "workers' cgroup" "worker kind"; do
		skip "$d" "cannot mount cgroup2"
	done
fi

# --- 2. bind to the device behind the file -------------------------------------
# renamed between open and bind, a decoy of the old name (in VLAN 20 of the
# same switch) left behind: the renamed tap is bound, the decoy is not
check_cmd "tap renamed (ta -> tr) between open and bind, decoy ta: xfer" \
	vg xfer ta tb --count 200 --before-bind \
	"ip link set ta down && ip link set ta name tr && ip link set tr up &&
	 ip tuntap add dev ta mode tap && ip link set ta master sw0 up &&
	 $VSWCTL port set ta mode access tag 20" \
	--then "$(snapcmd :tr :ta)"
check_eq "... the renamed tap is bound, the decoy is not" "vhost none" \
	"$(backend "" tr) $(backend "" ta)"
ip link del ta
ip link set tr down && ip link set tr name ta && ip link set ta up

# moved to another netns (and enslaved there) between open and bind, decoys
# of the same names in the old netns: the moved taps are bound and the
# frames cross swx. The old code looked the name up in the tun file's
# netns and bound the decoys.
mv_cmd="ip link set ta netns vhx && ip link set tb netns vhx &&
	ip -n vhx link set ta master swx up && ip -n vhx link set tb master swx up &&
	ip netns exec vhx $VSWCTL port set ta mode access tag 10 &&
	ip netns exec vhx $VSWCTL port set tb mode access tag 10 &&
	ip tuntap add dev ta mode tap && ip link set ta master sw0 up &&
	ip tuntap add dev tb mode tap && ip link set tb master sw0 up &&
	$VSWCTL port set ta mode access tag 10 && $VSWCTL port set tb mode access tag 10"
check_cmd "taps moved to netns vhx between open and bind, decoys left: xfer" \
	vg xfer ta tb --count 200 --before-bind "$mv_cmd" \
	--then "$(snapcmd vhx:ta vhx:tb :ta :tb)"
check_eq "... the moved taps (in vhx) are bound" "vhost vhost" \
	"$(backend vhx ta) $(backend vhx tb)"
check_eq "... the decoys of the same names are not" "none none" \
	"$(backend "" ta) $(backend "" tb)"
# back to the original layout
ip link del ta; ip link del tb
ip -n vhx link set ta netns 1 && ip -n vhx link set tb netns 1
for t in ta tb; do
	ip link set "$t" master sw0 up && vswctl port set "$t" mode access tag 10
done

# deleted between open and bind: the tun file has no device any more
ip tuntap add dev tg mode tap vnet_hdr && ip link set tg master sw0 up
out=$("$VG" xfer tg tb --count 10 --before-bind "ip link del tg" 2>&1); rc=$?
diag "$out"
check_eq "tap deleted between open and bind: SET_BACKEND fails (exit 2)" 2 "$rc"
check_true "... with EBADFD" grep -q "File descriptor in bad state" <<<"$out"
check_cmd "the switch still works: xfer A <-> B" vg xfer ta tb --count 100

# --- 3. SCTP CRC32c to a guest ----------------------------------------------------
# vm1's SCTP stack sends INITs to 192.0.2.11 (B's MAC, a static neighbour):
# over its veth (NETIF_F_SCTP_CRC) they leave CHECKSUM_PARTIAL with
# csum_not_inet, cross sw0 and reach B, a guest whose tap has no checksum
# offload (the CRC must be computed) or checksum offload only (virtio-net
# cannot ask a guest for a CRC32c: it must be computed too).
if modprobe sctp 2>/dev/null && ip netns exec vm1 sysctl -q net.sctp.rto_initial >/dev/null 2>&1; then
	ip netns exec vm1 sysctl -qw net.sctp.rto_initial=100 net.sctp.rto_min=50 \
		net.sctp.rto_max=200 net.sctp.max_init_retransmits=1000
	ip -n vm1 neigh replace 192.0.2.11 lladdr 02:00:00:00:00:0b dev eth0 nud permanent
	bg sctp ip netns exec vm1 timeout 120 python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 132)
s.setblocking(False)
try:
    s.connect(("192.0.2.11", 5001))
except (BlockingIOError, OSError):
    pass
time.sleep(120)'
	for off in none csum; do
		check_cmd "SCTP INITs to a guest with offloads $off: valid CRC32c, no NEEDS_CSUM" \
			vg --offloads "$off" sctp ta tb --count 3
	done
	bg_kill sctp
else
	for off in none csum; do
		skip "SCTP to a guest with offloads $off" "no SCTP in this kernel (sctp module)"
	done
fi

ksft_finish
