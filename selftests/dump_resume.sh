#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 600
#
# dump_resume.sh - every resumable dump (FDB, rules, flow cache, ports,
# VLANs, switches) read one part at a time, with changes between two
# recv()s: the switch deleted and re-created with the same ifindex and the
# same number of FDB changes (issue 13: a resumed FDB dump followed a saved
# pointer into the freed table of the old switch), FDB entries added,
# deleted and re-added (static, and learned from traffic), rules changed,
# the cache flushed, the netns name removed. A dump must never oops and
# never mix up objects: it must come back consistent, or flagged
# NLM_F_DUMP_INTR (the old switch's entries must never show up after it
# was deleted; no entry twice; every entry that stayed all along exactly
# once).
#
# Everything runs twice: as root in a fresh netns, and as an unprivileged
# user (nobody) in its own user and network namespace (unshare -Urn):
# creating a switch there needs CAP_NET_ADMIN over that netns only, so
# any local user can try this. The dumps are driven by
# selftests/netlink_fuzz/netlink_fuzz resume (built on the host): it reads
# with a 4 KiB buffer and a small SO_RCVBUF and runs the change between two
# parts, so nothing depends on timing.
#
# Usage inside: dump_resume.sh --inner OUTDIR (run by the test itself).

# shellcheck disable=SC2317 # functions run by the -x commands
# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

IDX=4242	# the switch's ifindex, in its own netns
N=300		# FDB entries per switch (about 7 parts of 4 KiB)

# ------------------------------------------------------------ inner part --
# Runs in the namespace to test (root or unprivileged), writes one file per
# scenario into $OUT; the outer part checks them.

# mac PREFIX I: 02:PREFIX:00:00:hi:lo (loops use printf directly: a
# process per entry is slow under TCG)
mac() { printf '02:%s:00:00:%02x:%02x' "$1" $(($2 >> 8)) $(($2 & 255)); }

# (not /sys/class/net: that shows the netns sysfs was mounted in)
pidx() { local l; l=$(ip -o link show dev "$1") && echo "${l%%:*}"; }

# mk_switch: sw0 (ifindex $IDX) with ports p1, p2 (veth peers p1x, p2x), up
mk_switch() {
	ip link add sw0 index "$IDX" type vsw || return 1
	ip -batch - <<-EOF || return 1
		link set sw0 up
		link add p1 type veth peer name p1x
		link add p2 type veth peer name p2x
		link set p1 master sw0
		link set p2 master sw0
		link set p1 up
		link set p1x up
		link set p2 up
		link set p2x up
	EOF
	vswctl fdb add sw0 "$DST" vlan 1 port p2 || return 1
	# carrier (linkwatch) before any frame: up to 10 s, polled
	local i
	for ((i = 0; i < 100; i++)); do
		[[ $(ip -o link show up | grep -c 'p[12]x\?@.*LOWER_UP') == 4 ]] && return 0
		sleep 0.1
	done
	echo "# no carrier on p1/p2 after 10 s" >&2
}

# the destination of learn(): known, so nothing floods and no learned
# MAC invalidates the cache (the cache dumps get one entry per source)
DST=02:ee:00:00:00:01

# fdb_add PREFIX FIRST COUNT [PORT]: static entries through one socket
fdb_add() {
	local p=$1 first=$2 n=$3 port i pi
	port=${4:-p1}
	pi=$(pidx "$port")
	for ((i = first; i < first + n; i++)); do
		printf 'fdb_new ifindex=%s fdb { mac=02:%s:00:00:%02x:%02x vid=1 port_ifindex=%s }\n' \
			"$IDX" "$p" $((i >> 8)) $((i & 255)) "$pi"
	done | "$FUZZ" batch | grep -c '^ok$'
}

# fdb_del PREFIX FIRST COUNT STEP
fdb_del() {
	local i
	for ((i = $2; i < $2 + $3; i += $4)); do
		printf 'fdb_del ifindex=%s fdb { mac=02:%s:00:00:%02x:%02x vid=1 }\n' \
			"$IDX" "$1" $((i >> 8)) $((i & 255))
	done | "$FUZZ" batch | grep -c '^ok$'
}

rules_add() { # FIRST COUNT
	local i
	for ((i = $1; i < $1 + $2; i++)); do
		printf 'rule_new ifindex=%s rule { priority=%s match { eth_type=0x0800 ip_proto=17 l4_dst=%s } actions { normal } }\n' \
			"$IDX" $((100 + i % 50)) "$i"
	done | "$FUZZ" batch | grep -c '^ok$'
}

# learn IF PREFIX COUNT: 2 frames from each of COUNT MACs 02:PREFIX:00:00:xx:xx
# to $DST: learned, and one cache entry each
learn() {
	python3 - "$1" "$2" "$3" <<-'EOF'
		import socket, sys
		s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
		s.bind((sys.argv[1], 0))
		p = int(sys.argv[2], 16)
		dst = bytes([2, 0xee, 0, 0, 0, 1])
		for i in range(int(sys.argv[3])):
		    src = bytes([2, p, 0, 0, i >> 8, i & 255])
		    # twice: a new MAC's first frame is not cached
		    s.send(dst + src + b'\x08\x00' + bytes(46))
		    s.send(dst + src + b'\x08\x00' + bytes(46))
	EOF
}

# recreate PREFIX: delete sw0, make it again at the same ifindex with $N
# static entries of PREFIX: the same number of FDB changes as the old one
recreate() {
	ip link del sw0 && ip link del p1 && ip link del p2 && mk_switch &&
		fdb_add "$1" 0 "$N" >/dev/null
}

# resume NAME [-x PART:CMD]... CMD ATTRS: one dump into $OUT/NAME
resume() {
	local name=$1
	shift
	"$FUZZ" resume "$@" >"$OUT/$name" 2>&1
	echo "rc=$?" >>"$OUT/$name"
}

inner() {
	OUT=$1
	export -f mac pidx mk_switch fdb_add fdb_del rules_add learn recreate
	export FUZZ IDX N OUT DST
	# no IPv6: no frame, hence no FDB change, that the test did not make
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null
	sysctl -qw net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
	ip link set lo up
	mk_switch || { echo "cannot make the switch" >"$OUT/setup"; return 1; }
	echo ok >"$OUT/setup"

	# 1. the report: same ifindex, same number of FDB changes
	fdb_add 0a 0 "$N" >"$OUT/fdb_recreate_filtered.added"
	resume fdb_recreate_filtered -x "1:recreate 0b" fdb_get ifindex="$IDX"
	# 2. the same, dumping all switches
	recreate 0a
	resume fdb_recreate_all -x "1:recreate 0b" fdb_get
	# 3./4. entries deleted, re-added (same key, new entry), added
	recreate 0a
	resume fdb_churn_even -x "1:fdb_del 0a 0 $N 2 >/dev/null && fdb_add 0a 0 100 >/dev/null && fdb_add 0c 0 50 >/dev/null && vswctl fdb add sw0 $(mac 0c 999) vlan 1 port p2 && vswctl fdb del sw0 $(mac 0a $((N - 1))) vlan 1" \
		fdb_get ifindex="$IDX"
	recreate 0a
	resume fdb_churn_odd -x "1:fdb_del 0a 1 $N 2 >/dev/null && fdb_add 0c 0 50 >/dev/null" \
		-x "3:fdb_del 0a 0 200 2 >/dev/null" fdb_get ifindex="$IDX"
	# 5. learned entries: more learned, some flushed, then a new switch
	recreate 0a
	vswctl fdb flush sw0
	learn p1x 0d "$N"
	resume fdb_learned -x "1:learn p2x 0e 100 && vswctl fdb flush sw0 port p1" \
		-x "3:recreate 0b" fdb_get
	# 6. rules
	recreate 0a
	rules_add 0 150 >/dev/null
	resume rule_recreate -x "1:ip link del sw0 && ip link del p1 && ip link del p2 && mk_switch && rules_add 1000 150 >/dev/null" \
		rule_get ifindex="$IDX"
	rules_add 0 150 >/dev/null
	resume rule_churn -x "1:vswctl flow flush sw0 && rules_add 2000 100 >/dev/null" \
		rule_get ifindex="$IDX"
	# 7. the flow cache: flushed, then a new switch
	recreate 0a
	learn p1x 0d 200
	resume cache_flush -x "1:vswctl cache flush sw0" -x "2:recreate 0b" \
		cache_get ifindex="$IDX"
	learn p1x 0d 200
	resume cache_recreate -x "1:recreate 0b && learn p1x 0d 200" cache_get
	# 8. VLAN, port and switch dumps across a re-created switch
	learn p1x 0d 10
	resume vlan_recreate -x "1:recreate 0b" vlan_get ifindex="$IDX"
	for i in $(seq 3 40); do echo "link add q$i type veth peer name q${i}x"; echo "link set q$i master sw0"; done |
		ip -batch -
	resume port_recreate -x "1:recreate 0b" port_get ifindex="$IDX"
	for i in $(seq 1 30); do echo "link add s$i type vsw"; done | ip -batch -
	resume switch_recreate -x "1:recreate 0b && ip link del s20" switch_get
	# 9. the netns's name gone (root only: a named netns) - see the outer part
	echo "done" >"$OUT/inner.done"
}

if [[ ${1:-} == --inner ]]; then
	export PATH
	inner "$2"
	exit
fi

# ------------------------------------------------------------ outer part --

# fdb_macs FILE FROM_PART PREFIX: MACs of PREFIX in parts >= FROM_PART
fdb_macs() {
	awk -v from="$2" -v pre="fdb.mac=02:$3:" '
		/^part=/ { split($1, a, "="); if (a[2] + 0 < from) next
			for (i = 2; i <= NF; i++) if (index($i, pre) == 1) print substr($i, 9) }' "$1"
}

# all MACs of a dump, one per line
all_macs() { grep -o 'fdb\.mac=[0-9a-f:]*' "$1" | cut -d= -f2; }

endline() { grep '^end ' "$1" || echo "end missing (rc: $(grep '^rc=' "$1"))"; }
intr_of() { grep -q '^end .*intr=1' "$1"; }
err_of() { sed -n 's/^end .* err=\([0-9-]*\)$/\1/p' "$1"; }

# check_dump DESC FILE: the driver got to the end without an error
check_ended() {
	local f=$2
	if ! grep -q '^end ' "$f" || grep -q MALFORMED "$f" || [[ $(err_of "$f") != 0 ]]; then
		fail "$1" "$(endline "$f"); $(grep -m3 -E '^(#|netlink_fuzz|exec)|MALFORMED' "$f" | tr '\n' ' ')"
		return 1
	fi
	return 0
}

# the switch was re-created after part 1: from part 3 on (part 2 was built
# before the change) no entry of the old switch, and the dump is flagged
check_recreate() { # DESC FILE OLDPREFIX
	local desc=$1 f=$2 old
	check_ended "$desc" "$f" || return
	old=$(fdb_macs "$f" 3 "$3" | head -n 3 | tr '\n' ' ')
	if [[ -n $old ]]; then
		fail "$desc" "entries of the deleted switch after it was re-created: $old"
	elif ! intr_of "$f"; then
		fail "$desc" "not flagged NLM_F_DUMP_INTR: $(endline "$f")"
	else
		ok "$desc"
	fi
}

# no MAC twice; every MAC of STAY (list) exactly once; flagged
check_churn() { # DESC FILE STAY...
	local desc=$1 f=$2 dups missing
	shift 2
	check_ended "$desc" "$f" || return
	dups=$(all_macs "$f" | sort | uniq -d | head -n 3 | tr '\n' ' ')
	missing=$(comm -23 <(printf '%s\n' "$@" | sort) <(all_macs "$f" | sort -u) |
		head -n 5 | tr '\n' ' ')
	if [[ -n $dups ]]; then
		fail "$desc" "entries dumped twice: $dups"
	elif [[ -n $missing ]]; then
		fail "$desc" "entries that stayed all along are missing: ${missing:0:200}"
	elif ! intr_of "$f"; then
		fail "$desc" "not flagged NLM_F_DUMP_INTR: $(endline "$f")"
	else
		ok "$desc"
	fi
}

# just no error, and flagged if it had more than two parts
check_flagged() { # DESC FILE
	local f=$2 parts
	check_ended "$1" "$f" || return
	parts=$(sed -n 's/^end parts=\([0-9]*\).*/\1/p' "$f")
	if ((parts > 2)) && ! intr_of "$f"; then
		fail "$1" "changed after part 1 but not flagged: $(endline "$f")"
	else
		ok "$1 ($(endline "$f"))"
	fi
}

run_checks() { # WHO DIR
	local w=$1 d=$2 i m stay_even=() stay_odd=()
	if [[ $(cat "$d/setup" 2>/dev/null) != ok ]]; then
		for i in $(seq 1 12); do fail "$w: setup" "$(cat "$d/setup" 2>/dev/null) $(tail -n 5 "$d/inner.log")"; done
		return
	fi
	if [[ -s $d/inner.log ]]; then
		diag "$w: messages of the inner part:"
		diag "$(head -n 20 "$d/inner.log")"
	fi
	check_recreate "$w: FDB dump of a switch re-created with the same ifindex" "$d/fdb_recreate_filtered" 0a
	check_recreate "$w: FDB dump of all switches, one re-created" "$d/fdb_recreate_all" 0a
	# even entries deleted (0-99 of them re-added), odd ones stay but N-1
	for ((i = 1; i < N - 1; i += 2)); do
		printf -v m '02:0a:00:00:%02x:%02x' $((i >> 8)) $((i & 255))
		stay_even+=("$m")
	done
	check_churn "$w: FDB dump, entries deleted, re-added and added" "$d/fdb_churn_even" "${stay_even[@]}"
	# odd entries deleted after part 1, then even ones < 200 after part 3
	for ((i = 200; i < N; i += 2)); do
		printf -v m '02:0a:00:00:%02x:%02x' $((i >> 8)) $((i & 255))
		stay_odd+=("$m")
	done
	check_churn "$w: FDB dump, entries deleted twice" "$d/fdb_churn_odd" "${stay_odd[@]}"
	check_recreate "$w: FDB dump of learned entries, flushed, switch re-created" "$d/fdb_learned" 0d
	check_flagged "$w: rule dump, switch re-created" "$d/rule_recreate"
	check_flagged "$w: rule dump, rules flushed and added" "$d/rule_churn"
	if check_ended "$w: cache dump, cache flushed, switch re-created" "$d/cache_flush"; then
		# the first part was full of entries (then the flush)
		if grep -q '^part=1 cmd=cache_get' "$d/cache_flush"; then
			ok "$w: cache dump, cache flushed, switch re-created ($(endline "$d/cache_flush"))"
		else
			fail "$w: cache dump, cache flushed, switch re-created" "no cache entry to dump: $(endline "$d/cache_flush")"
		fi
	fi
	check_ended "$w: cache dump of all switches, one re-created" "$d/cache_recreate" &&
		ok "$w: cache dump of all switches, one re-created ($(endline "$d/cache_recreate"))"
	check_ended "$w: VLAN dump, switch re-created" "$d/vlan_recreate" &&
		ok "$w: VLAN dump, switch re-created ($(endline "$d/vlan_recreate"))"
	check_flagged "$w: port dump, switch re-created" "$d/port_recreate"
	check_flagged "$w: switch dump, one re-created, one deleted" "$d/switch_recreate"
}

need_cmd ip unshare setpriv python3 awk
need_fuzz
vsw_init

ktap_plan 26
# writable for nobody too (the harness's scratch dir is not)
TMPD=$(mktemp -d /tmp/dump_resume.XXXXXX)
defer rm -rf "$TMPD"
SELF=$(readlink -f "$0")
mkdir -m 0777 "$TMPD/root" "$TMPD/user"
chmod 0755 "$TMPD"

# as root, in a netns of its own (gone, with its switches, when it exits)
unshare -n "$SELF" --inner "$TMPD/root" >"$TMPD/root/inner.log" 2>&1
run_checks root "$TMPD/root"

# as nobody, in its own user and network namespace
if setpriv --reuid=65534 --regid=65534 --clear-groups -- \
	unshare -Urn true 2>"$TMPD/userns.err"; then
	setpriv --reuid=65534 --regid=65534 --clear-groups -- \
		unshare -Urn "$SELF" --inner "$TMPD/user" >"$TMPD/user/inner.log" 2>&1
	run_checks unprivileged "$TMPD/user"
else
	for i in $(seq 1 12); do
		skip "unprivileged: no user namespaces ($(head -c 200 "$TMPD/userns.err"))"
	done
fi

# the dumping process's netns loses its name and its switch midway
ns_create dr
ip -n dr link add sw0 index "$IDX" type vsw
ip -n dr link add p1 type veth peer name p1x
ip -n dr link set p1 master sw0
pi=$(ip netns exec dr cat /sys/class/net/p1/ifindex)
for i in $(seq 0 299); do
	printf 'fdb_new ifindex=%s fdb { mac=02:0a:00:00:%02x:%02x vid=1 port_ifindex=%s }\n' \
		"$IDX" $((i >> 8)) $((i & 255)) "$pi"
done | ip netns exec dr "$FUZZ" batch >/dev/null
ip netns exec dr "$FUZZ" resume -x "1:ip netns del dr && ip link del sw0 && ip link del p1" \
	fdb_get ifindex="$IDX" >"$TMPD/netns_gone" 2>&1
check_ended "netns deleted during the dump" "$TMPD/netns_gone" &&
	ok "netns deleted during the dump ($(endline "$TMPD/netns_gone"))"
ip netns exec dr true 2>/dev/null && ip netns del dr
check_true "the module still answers" vswctl switch show

for f in "$TMPD"/root/* "$TMPD"/user/*; do
	[[ -f $f ]] || continue
	((__ktap_fail)) || break
	diag "--- $f ---"
	diag "$(grep -vE '^part=' "$f" | head -n 30)"
	diag "$(grep -E '^part=' "$f" | cut -c1-160 | head -n 4)"
done
ksft_finish
