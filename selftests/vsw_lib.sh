# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/vsw_lib.sh - helpers for the vsw scenario tests, on top of lib.sh.
# Source it instead of lib.sh:
#
#   source "$(dirname "$0")/vsw_lib.sh"
#   vsw_init                        # tools + module, scratch dir, IPv6 off
#   sw_add sw0                      # switch (IPv6 off, up), deleted at exit
#   vm_add vm1 p1 sw0 192.0.2.1/24  # netns vm1, veth eth0 <-> port p1 of sw0
#   vswctl port set p1 mode access tag 10
#
# Every netns and port the helpers make has IPv6 disabled before it comes up,
# so no ND/MLD/RS frame pollutes the counters: the only frames on the wire are
# the ones a test sends. Addresses are documentation ranges (RFC 5737) inside
# the test's own network namespaces.
#
# Helpers:
#   vsw_init                        need ip/ping/jq/vswctl + the vsw module
#   need_built PROG HOW             need a program the harness builds on the host
#   need_fuzz                       need the netlink driver $FUZZ (netlink_fuzz)
#   need_vhost_guest                need $VG (selftests/vhost/vhost_guest)
#   vg ARGS...                      run $VG, its output into the diagnostics
#   pktgen_ok                       load pktgen; true if it can be driven
#   pg_dev T DEV MODE N DELAY SMAC SCOUNT DMAC DCOUNT   a pktgen device
#   pg_reset / pg_sent DEV          stop + remove all devices / frames sent
#   sw_add SW [NS]                  ip link add SW type vsw (in NS), up
#   vm_add NS PORT SW [ADDR [MAC]]  netns NS with eth0 (MAC) <-> PORT in SW
#   vm_mac NS [IF]                  MAC address of IF (eth0) in NS
#   veth_port PORT SW [PEER]        veth PORT (in SW) <-> PEER (init ns, up)
#   trunk_link SW1 P1 SW2 P2        veth P1 (port of SW1) <-> P2 (port of SW2)
#   vlan_if NS IF VID [PROTO] [ADDR] VLAN sub-interface IF.VID in NS
#   neigh NS IP MAC [IF]            permanent neighbour entry in NS
#   vsw_quiet                       flush neighbour caches (no ARP probes)
#   pstat PORT KEY                  counter from vswctl -j -s port show
#   pdrop PORT REASON               drop counter by reason
#   pfield PORT KEY                 field of vswctl -j port show PORT
#   fdb_port SW MAC VLAN            port the FDB has MAC on (empty if none)
#   fdb_count SW [ARGS]             entries in vswctl -j fdb show SW ARGS
#   nsrx NS IF / nstx NS IF          rx/tx packet counter of IF in NS
#   send_frames NS IF k=v...        craft and send raw frames (see below)
#   cap_start NAME NS IF [FILTER..] tcpdump -e -nn in the background
#   cap_stop NAME                   stop it; output in $(cap_file NAME)
#   bg NAME CMD...                  background job, killed at exit
#   bg_kill NAME                    kill it now
#   check_stderr DESC RE CMD...     CMD must exit 1 with stderr matching RE
#   check_true DESC CMD...          like check_cmd but for predicates
#   vsw_tmp                         per-test scratch dir ($VSW_TMPD)

__vsw_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=selftests/lib.sh
source "$__vsw_lib_dir/lib.sh"

VSW_PY=/usr/bin/python3
[[ -x $VSW_PY ]] || VSW_PY=python3
VSWCTL=${VSWCTL:-vswctl}
VSW_TMPD=
declare -A __vsw_bg=()

# need_built PROG HOW: a test program the harness builds on the host
# (HOW: the command that builds it): missing in the guest fails the test,
# missing outside one skips it
need_built() {
	[[ -x $1 ]] && return 0
	if [[ ${VSW_IN_VM:-0} == 1 ]]; then
		echo "TAP version 13"
		echo "1..0"
		diag "$1 is missing: the harness must build it on the host ($2)"
		exit "$KSFT_FAIL"
	fi
	ksft_skip_all "$1 not built ($2)"
}

# need_fuzz: the raw-netlink driver $FUZZ (selftests/netlink_fuzz)
FUZZ=$__vsw_lib_dir/netlink_fuzz/netlink_fuzz
need_fuzz() { need_built "$FUZZ" "make -C selftests/netlink_fuzz"; }

# need_vhost_guest: $VG, the user-space virtio driver of /dev/vhost-vsw
# (selftests/vhost); vg ARGS... runs it (120 s at most), its output into
# the diagnostics
VG=$__vsw_lib_dir/vhost/vhost_guest
need_vhost_guest() { need_built "$VG" "make -C selftests/vhost"; }
vg() {
	local out rc=0
	out=$(timeout 120 "$VG" "$@" 2>&1) || rc=$?
	[[ -n $out ]] && diag "vhost_guest $*: $out"
	return "$rc"
}

# pktgen: frames made by the kernel, as fast as a vCPU goes
PG=/proc/net/pktgen
pktgen_ok() {
	modprobe pktgen 2>/dev/null
	[[ -w $PG/pgctrl ]]
}
pgw() { echo "$2" >"$1"; }
# pg_reset: stop sending, remove every device from every pktgen thread
pg_reset() {
	local t
	[[ -w $PG/pgctrl ]] && echo stop >"$PG/pgctrl" 2>/dev/null
	for t in "$PG"/kpktgend_*; do pgw "$t" rem_device_all 2>/dev/null; done
	true
}
# pg_dev THREAD DEV MODE COUNT DELAY_NS SRC_MAC SRC_COUNT DST_MAC DST_COUNT:
# DEV on pktgen thread THREAD; MODE start_xmit (DEV transmits them) or
# netif_receive (DEV receives them); COUNT 60-byte UDP frames (0: until
# stopped) 198.51.100.1 -> .2, DELAY_NS apart, from SRC_COUNT source MACs
# from SRC_MAC on, to DST_COUNT from DST_MAC on. Start with
# `pgw $PG/pgctrl start` (it returns when COUNT frames are sent).
pg_dev() {
	local f=$PG/$2
	pgw "$PG/kpktgend_$1" "add_device $2" &&
		pgw "$f" "count $4" &&
		pgw "$f" "pkt_size 60" &&
		pgw "$f" "xmit_mode $3" &&
		pgw "$f" "delay $5" &&
		pgw "$f" "src_mac $6" &&
		pgw "$f" "src_mac_count $7" &&
		pgw "$f" "dst_mac $8" &&
		pgw "$f" "dst_mac_count $9" &&
		pgw "$f" "src_min 198.51.100.1" &&
		pgw "$f" "src_max 198.51.100.1" &&
		pgw "$f" "dst 198.51.100.2"
}
pg_sent() { sed -n 's/^ *pkts-sofar: \([0-9]*\).*/\1/p' "$PG/$1"; }

vsw_init() {
	need_cmd ip ping jq "$VSWCTL"
	need_vsw
	VSW_TMPD=$(mktemp -d "${VSW_TMP:-/tmp}/vsw-$(basename "$0" .sh).XXXXXX") ||
		{ diag "mktemp failed"; exit "$KSFT_FAIL"; }
	# deferred first = run last
	defer rm -rf "$VSW_TMPD"
	defer __vsw_bg_cleanup
	__vsw_py_start || { diag "cannot start the python helper"; exit "$KSFT_FAIL"; }
}

vsw_tmp() { echo "$VSW_TMPD"; }

# vhost_load: modprobe vsw_vhost. If this test loaded it, it goes again at
# exit (after the test's background jobs): it holds vsw, and later tests of
# the same boot rmmod vsw.
vhost_load() {
	if [[ -d /sys/module/vsw_vhost ]]; then
		modprobe vsw_vhost
		return
	fi
	modprobe vsw_vhost || return 1
	defer __vsw_vhost_unload
}

__vsw_vhost_unload() {
	local i
	__vsw_bg_cleanup
	for i in 1 2 3 4 5; do
		modprobe -r vsw_vhost 2>/dev/null && return 0
		sleep 1
	done
	diag "vsw_vhost still in use at exit: $(cat /sys/module/vsw_vhost/refcnt 2>/dev/null) users"
}

vswctl() { command "$VSWCTL" "$@"; }

# have_psample: the kernel has psample (module loaded now, or built in):
# its generic netlink family exists
have_psample() {
	modprobe -q psample 2>/dev/null
	genl ctrl get name psample >/dev/null 2>&1
}

__vsw_noipv6() { # NS IF (through the helper: no process spawned)
	if [[ -n $__vsw_py_req ]]; then
		py sysctl "$(__q "$1")" "net.ipv6.conf.$2.disable_ipv6" 1 >/dev/null 2>&1 || true
	else # tests that do not call vsw_init: IPv6 must go off all the same
		__ns_exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1" >/dev/null 2>&1 || true
	fi
}

# vm_ns NS...: netns with IPv6 off (lo up), deleted at exit
vm_ns() {
	local ns
	for ns in "$@"; do
		ns_create "$ns"
		__vsw_noipv6 "$ns" all
		__vsw_noipv6 "$ns" default
	done
}

sw_add() {
	local sw=$1 ns=${2:-}
	__ns_exec "$ns" ip link add "$sw" type vsw || return 1
	defer __ns_exec "$ns" ip link del "$sw"
	__vsw_noipv6 "$ns" "$sw"
	__ns_exec "$ns" ip link set "$sw" up
}

# vm_add NS PORT SW [ADDR [MAC]]  (4 processes: TCG is slow at spawning)
vm_add() {
	local ns=$1 port=$2 sw=$3 addr=${4:-} mac=${5:-} cmds
	[[ -e /run/netns/$ns ]] || vm_ns "$ns"
	# eth0 is born in NS, whose default has IPv6 off
	ip link add "$port" type veth peer name eth0 ${mac:+address "$mac"} netns "$ns" || return 1
	defer ip link del "$port"
	__vsw_noipv6 "" "$port"
	cmds="link set $port up"
	[[ -n $sw ]] && cmds="link set $port master $sw"$'\n'"$cmds"
	ip -batch - <<<"$cmds" || return 1
	cmds="link set eth0 up"
	[[ -n $addr ]] && cmds+=$'\n'"addr add $addr dev eth0"
	ip -n "$ns" -batch - <<<"$cmds"
}

vm_mac() {
	ip -n "$1" -j link show "${2:-eth0}" | jq -r '.[0].address'
}

# veth_port PORT SW [PEER]: veth pair in the init netns, PORT enslaved
veth_port() {
	local port=$1 sw=$2 peer=${3:-${1}x}
	ip link add "$port" type veth peer name "$peer" || return 1
	defer ip link del "$port"
	__vsw_noipv6 "" "$port"
	__vsw_noipv6 "" "$peer"
	if [[ -n $sw ]]; then ip link set "$port" master "$sw" || return 1; fi
	ip link set "$port" up && ip link set "$peer" up
}

trunk_link() {
	local sw1=$1 p1=$2 sw2=$3 p2=$4
	ip link add "$p1" type veth peer name "$p2" || return 1
	defer ip link del "$p1"
	__vsw_noipv6 "" "$p1"
	__vsw_noipv6 "" "$p2"
	ip link set "$p1" master "$sw1" && ip link set "$p2" master "$sw2" &&
		ip link set "$p1" up && ip link set "$p2" up
}

# vlan_if NS IF VID [PROTO] [ADDR]: IF.VID (or IF.sVID for 802.1ad) in NS
vlan_if() {
	local ns=$1 dev=$2 vid=$3 proto=${4:-802.1Q} addr=${5:-} name
	name=$dev.$vid
	[[ $proto == 802.1ad ]] && name=$dev.s$vid
	__ns_exec "$ns" ip link add link "$dev" name "$name" type vlan proto "$proto" id "$vid" || return 1
	__vsw_noipv6 "$ns" "$name"
	__ns_exec "$ns" ip link set "$name" up || return 1
	if [[ -n $addr ]]; then __ns_exec "$ns" ip addr add "$addr" dev "$name" || return 1; fi
}

# vsw_quiet: flush the (non-permanent) neighbour caches of every netns the
# test made and of the init netns, so no ARP re-validation probe of an
# earlier ping lands in the middle of an exact packet count
vsw_quiet() {
	local ns
	for ns in "${__ktap_namespaces[@]}"; do
		ip -n "$ns" neigh flush all >/dev/null 2>&1
	done
	ip neigh flush all >/dev/null 2>&1
	return 0
}

neigh() {
	ip -n "$1" neigh replace "$2" lladdr "$3" dev "${4:-eth0}" nud permanent
}

# --- the helper process ----------------------------------------------------
#
# Spawning processes is the main cost of a test under TCG (python ~1 s, jq and
# vswctl ~0.3-2 s each on a loaded host), so frame sending, interface
# counters and the vswctl JSON lookups go through one long-running Python
# helper per test (FIFOs $VSW_TMPD/py.req and py.rsp; one request line, one
# answer line). It enters other network namespaces with setns(2) and reads
# /proc/self/net/dev there.

__vsw_py_req=
__vsw_py_rsp=

__vsw_py_start() {
	mkfifo "$VSW_TMPD/py.req" "$VSW_TMPD/py.rsp" || return 1
	__vsw_py_script >"$VSW_TMPD/vswpy.py"
	VSWCTL_BIN=$(command -v "$VSWCTL") "$VSW_PY" -S -E "$VSW_TMPD/vswpy.py" \
		"$VSW_TMPD/py.req" "$VSW_TMPD/py.rsp" 2>"$VSW_TMPD/vswpy.err" &
	__vsw_bg[vswpy]=$!
	exec {__vsw_py_req}>"$VSW_TMPD/py.req"
	exec {__vsw_py_rsp}<"$VSW_TMPD/py.rsp"
}

# py CMD ARGS...: ask the helper; prints the answer, fails on "ERR ..."
py() {
	local ans
	printf '%s\n' "$*" >&"$__vsw_py_req" || { echo "vswpy: helper gone" >&2; return 1; }
	IFS= read -r ans <&"$__vsw_py_rsp" || { echo "vswpy: helper gone" >&2; return 1; }
	if [[ $ans == "ERR "* ]]; then
		echo "vswpy: ${ans#ERR }" >&2
		return 1
	fi
	printf '%s\n' "$ans"
}

__vsw_py_script() {
	cat <<'EOF'
import ctypes, json, os, socket, struct, subprocess, sys
libc = ctypes.CDLL(None, use_errno=True)
NEWNET = 0x40000000
ROOT = os.open("/proc/self/ns/net", os.O_RDONLY)
VSWCTL = os.environ.get("VSWCTL_BIN", "vswctl")

def enter(ns):
    fd = ROOT if ns in ("", "-") else os.open("/run/netns/" + ns, os.O_RDONLY)
    try:
        if libc.setns(fd, NEWNET) != 0:
            e = ctypes.get_errno()
            raise OSError(e, "setns %s: %s" % (ns, os.strerror(e)))
    finally:
        if fd != ROOT:
            os.close(fd)

def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))

def csum(b):
    if len(b) % 2:
        b += b"\0"
    c = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    c = (c & 0xffff) + (c >> 16)
    c = (c & 0xffff) + (c >> 16)
    return ~c & 0xffff

def send(ns, dev, args):
    o = dict(a.split("=", 1) for a in args if not a.startswith("vlan="))
    vlans = [a[5:] for a in args if a.startswith("vlan=")]
    enter(ns)
    try:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.bind((dev, 0))
    finally:
        enter("")
    src = mac(o["src"]) if "src" in o else s.getsockname()[4][:6]
    dst = mac(o.get("dst", "ff:ff:ff:ff:ff:ff"))
    etype = int(o.get("type", "0x0800"), 16)
    tags = b""
    for v in vlans:
        f = v.split(":")
        pcp = int(f[2]) if len(f) > 2 else 0
        tags += struct.pack("!HH", int(f[0], 16), (pcp << 13) | int(f[1]))
    if etype == 0x0800:
        if o.get("proto", "udp") == "icmp":
            l4 = struct.pack("!BBHHH", 8, 0, 0, 0x1234, 1) + b"vsw-test" * 4
            l4 = l4[:2] + struct.pack("!H", csum(l4)) + l4[4:]
            pn = 1
        else:
            data = b"vsw-test" * 4
            l4 = struct.pack("!HHHH", int(o.get("sport", 7)), int(o.get("dport", 9)),
                             8 + len(data), 0) + data
            pn = 17
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, int(o.get("tos", 0)), 20 + len(l4), 1, 0,
                         64, pn, 0, socket.inet_aton(o.get("ipsrc", "198.18.0.1")),
                         socket.inet_aton(o.get("ipdst", "198.18.0.2")))
        payload = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:] + l4
    else:
        payload = b"vsw-test" * 6
    n = int(o.get("nsrc", 1))
    ln = int(o.get("len", 60))
    for i in range(int(o.get("count", 1))):
        sm = src
        if n > 1:
            sm = (int.from_bytes(src, "big") + (i % n)).to_bytes(6, "big")
        fr = dst + sm + tags + struct.pack("!H", etype) + payload
        if len(fr) < ln:
            fr += bytes(ln - len(fr))
        s.send(fr)
    s.close()
    return "ok"

def devstat(ns, dev):
    enter(ns)
    try:
        with open("/proc/self/net/dev") as f:
            lines = f.readlines()
    finally:
        enter("")
    for l in lines[2:]:
        name, _, rest = l.partition(":")
        if name.strip() == dev:
            v = rest.split()
            return "%s %s %s %s" % (v[1], v[0], v[9], v[8])
    raise OSError("no device %s in netns '%s'" % (dev, ns))

def snmp(ns, key):
    enter(ns)
    try:
        with open("/proc/self/net/snmp") as f:
            lines = [l.split() for l in f]
    finally:
        enter("")
    for h, v in zip(lines[0::2], lines[1::2]):
        if h[0] == "Icmp:" and key in h:
            return v[h.index(key)]
    raise OSError("no Icmp %s" % key)

def vsw(*args):
    r = subprocess.run([VSWCTL, "-j"] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise OSError("vswctl %s: %s" % (" ".join(args), r.stderr.decode().strip()))
    return json.loads(r.stdout)

def text(v):
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)

def port(dev, path, stats):
    j = vsw("-s", "port", "show", dev) if stats else vsw("port", "show", dev)
    if not j:
        return "none"
    v = j[0]
    for k in path.split("."):
        v = v.get(k) if isinstance(v, dict) else None
    return text(v)

def fdb(sw, m, vlan):
    for e in vsw("fdb", "show", sw):
        if e.get("mac", "").lower() == m.lower() and e.get("vlan") == int(vlan):
            return "%s %s" % (e.get("ifname"), e.get("state") or "learned")
    return "absent absent"

def sysctl(ns, key, val):
    enter(ns)
    try:
        with open("/proc/sys/" + key.replace(".", "/"), "w") as f:
            f.write(val)
    finally:
        enter("")
    return "ok"

SNAP = {}

def snapshot(sw):
    # one vswctl process: a -j batch of four dumps; volatile fields removed
    path = os.path.join(os.path.dirname(sys.argv[1]), "snap.batch")
    with open(path, "w") as f:
        f.write("switch show\nport show\nfdb show %s\nflow show %s\n" % (sw, sw))
    r = subprocess.run([VSWCTL, "-j", "-b", path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    out, txt, pos, dec = [], r.stdout.decode(), 0, json.JSONDecoder()
    try:
        while True:
            while pos < len(txt) and txt[pos].isspace():
                pos += 1
            if pos >= len(txt):
                break
            o, pos = dec.raw_decode(txt, pos)
            out.append(o)
    except ValueError:
        out = []
    if r.returncode != 0 or len(out) != 4:
        out = [vsw("switch", "show"), vsw("port", "show"), vsw("fdb", "show", sw),
               vsw("flow", "show", sw)]
    for part in out:
        for e in part:
            for k in ("updated", "used_ms", "cache_entries"):
                e.pop(k, None)
    return [json.dumps(p, sort_keys=True) for p in out]

def bad(args):
    try:
        r = subprocess.run([VSWCTL] + args, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=20)
        rc, err = r.returncode, r.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        rc, err = "timeout", ""
    first = err.split("\n")[0]
    now = snapshot(SNAP["sw"])
    names = ("switch show", "port show", "fdb show", "flow show")
    diff = [names[i] for i in range(4) if now[i] != SNAP["ref"][i]]
    same = "same" if not diff else "changed: " + ", ".join(diff)
    return "%s|%s|%s" % (rc, same, first)

def handle(w):
    c = w[0]
    if c == "snapref":
        SNAP["sw"] = w[1]
        SNAP["ref"] = snapshot(w[1])
        return "ok"
    if c == "bad":
        return bad(w[1:])
    if c == "sysctl":
        return sysctl(w[1], w[2], w[3])
    if c == "send":
        return send(w[1], w[2], w[3:])
    if c == "dev":
        return devstat(w[1], w[2])
    if c == "snmp":
        return snmp(w[1], w[2])
    if c == "port":
        return port(w[1], w[2], False)
    if c == "sport":
        return port(w[1], w[2], True)
    if c == "fdb":
        return fdb(w[1], w[2], w[3])
    raise OSError("unknown request %s" % c)

req = open(sys.argv[1], "r")
rsp = open(sys.argv[2], "w")
for line in req:
    w = line.split()
    try:
        ans = handle([x if x != "''" else "" for x in w])
    except Exception as e:
        ans = "ERR %s" % e
    rsp.write(ans.replace("\n", " ") + "\n")
    rsp.flush()
EOF
}

# --- vswctl JSON accessors (through the helper) --------------------------------

# an empty netns name is passed as '' (the init netns)
__q() { [[ -n $1 ]] && printf '%s' "$1" || printf "''"; }

pstat() { py sport "$1" "stats.$2" || echo none; }
pdrop() { py sport "$1" "stats.drop_reasons.$2" || echo none; }
pfield() { py port "$1" "$2" || echo none; }

# fdb_port SW MAC VLAN: ifname the FDB has MAC/VLAN on ("" if none)
fdb_port() {
	local a
	a=$(py fdb "$1" "$2" "$3") || return 1
	a=${a% *}
	[[ $a == absent ]] && a=
	echo "$a"
}

# fdb_state SW MAC VLAN: "static", "" (learned) or "absent"
fdb_state() {
	local a
	a=$(py fdb "$1" "$2" "$3") || return 1
	a=${a#* }
	[[ $a == learned ]] && a=
	echo "$a"
}

fdb_count() {
	local sw=$1
	shift
	vswctl -j fdb show "$sw" "$@" 2>/dev/null | jq 'length'
}

# fdb_has_mac SW MAC: any entry for MAC (any VLAN)
fdb_has_mac() {
	vswctl -j fdb show "$1" 2>/dev/null |
		jq -e --arg m "${2,,}" 'any(.[]; (.mac | ascii_downcase) == $m)' >/dev/null
}

# icmp_in_echos NS: ICMP echo requests received by NS (/proc/net/snmp)
icmp_in_echos() { py snmp "$(__q "$1")" InEchos; }

# devstat NS IF: "rx_packets rx_bytes tx_packets tx_bytes" of IF in NS
devstat() { py dev "$(__q "$1")" "$2"; }
nsrx() { local a; a=$(devstat "$1" "$2") && echo "${a%% *}"; }
nstx() { local a; a=$(devstat "$1" "$2") && a=${a#* } && a=${a#* } && echo "${a%% *}"; }

# --- raw frames ----------------------------------------------------------
#
# send_frames NS IF [key=value...]
#   dst=MAC src=MAC      (src defaults to IF's address)
#   vlan=TPID:VID[:PCP]  one per tag, outermost first (TPID 0x8100/0x88a8)
#   type=0xNNNN          ethertype after the tags (default 0x0800)
#   ipsrc= ipdst=        IPv4 addresses (default 198.18.0.1 -> 198.18.0.2)
#   proto=udp|icmp       (default udp) sport= dport= (default 7 -> 9) tos=
#   count=N              frames to send (default 1)
#   nsrc=N               vary the source MAC: src, src+1, ... (N distinct)
#   len=N                pad the frame to N bytes (default 60)
# The frames have gone through the switch when it returns (one CPU, the
# packet socket transmit runs the receive softirq before returning).
send_frames() {
	local ns=$1 dev=$2
	shift 2
	py send "$(__q "$ns")" "$dev" "$@" >/dev/null
}

# --- packet capture ------------------------------------------------------

cap_file() { echo "$VSW_TMPD/cap.$1"; }

# cap_start NAME NS IF [FILTER...]: tcpdump -e -nn on IF, ready on return
cap_start() {
	local name=$1 ns=$2 dev=$3 f
	shift 3
	f=$(cap_file "$name")
	: >"$f"
	: >"$f.err"
	__ns_exec "$ns" tcpdump -i "$dev" -e -nn -l -U -Q in "$@" >"$f" 2>"$f.err" &
	__vsw_bg[$name]=$!
	# wait until tcpdump has attached (it says "listening on")
	wait_for 10 grep -q "listening on" "$f.err"
}

# cap_start_all NAME NS IF [FILTER...]: both directions
cap_start_all() {
	local name=$1 ns=$2 dev=$3 f
	shift 3
	f=$(cap_file "$name")
	: >"$f"
	: >"$f.err"
	__ns_exec "$ns" tcpdump -i "$dev" -e -nn -l -U "$@" >"$f" 2>"$f.err" &
	__vsw_bg[$name]=$!
	wait_for 10 grep -q "listening on" "$f.err"
}

cap_stop() {
	local name=$1 f n m i
	f=$(cap_file "$name")
	# let tcpdump catch up (TCG is slow): wait until its output is stable
	sleep 0.4
	n=$(wc -l <"$f")
	for ((i = 0; i < 8; i++)); do
		sleep 0.25
		m=$(wc -l <"$f")
		[[ $m == "$n" ]] && break
		n=$m
	done
	bg_kill "$name"
}

# cap_count NAME [ERE]: number of captured lines (matching ERE)
cap_count() {
	local f
	f=$(cap_file "$1")
	if [[ -n ${2:-} ]]; then
		grep -cE -- "$2" "$f" || true
	else
		grep -c . "$f" || true
	fi
}

bg() {
	local name=$1
	shift
	"$@" &
	__vsw_bg[$name]=$!
}

bg_kill() {
	local pid=${__vsw_bg[$1]:-}
	[[ -n $pid ]] || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "__vsw_bg[$1]"
	return 0
}

__vsw_bg_cleanup() {
	local n
	for n in "${!__vsw_bg[@]}"; do bg_kill "$n"; done
}

# --- extra checks ---------------------------------------------------------

# check_true DESC CMD...: ok if CMD succeeds, no output shown
check_true() {
	local desc=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$desc"; else fail "$desc" "false: $*"; fi
}

# check_stderr DESC ERE CMD...: CMD must exit 1 with one stderr line
# "vswctl: ..." matching ERE (case-insensitive)
check_stderr() {
	local desc=$1 re=$2 rc=0 err
	shift 2
	err=$("$@" 2>&1 >/dev/null) || rc=$?
	if [[ $rc != 1 ]]; then
		fail "$desc" "expected exit 1, got $rc from: $* (stderr: ${err:0:300})"
	elif ! grep -qiE -- "$re" <<<"$err"; then
		fail "$desc" "stderr does not match /$re/: ${err:0:300}"
	else
		ok "$desc"
	fi
}

# dump_on_fail SW...: if a check failed since the last call, print the
# switches' state (ports with counters, FDB, cache, rules) as diagnostics
__vsw_fail_seen=0
dump_on_fail() {
	local sw
	((__ktap_fail > __vsw_fail_seen)) || return 0
	__vsw_fail_seen=$__ktap_fail
	for sw in "$@"; do
		diag "--- state of $sw after a failure ---"
		diag "$(vswctl -s port show 2>&1 | grep -A3 -E "^[^ ]+ +$sw ")"
		diag "$(vswctl fdb show "$sw" 2>&1)"
		diag "$(vswctl cache show "$sw" 2>&1)"
		diag "$(vswctl -s flow show "$sw" 2>&1)"
	done
}

# check_noping DESC NS ADDR: ok if one echo request (1 s wait) gets no reply
# (lib.sh's check_no_ping takes 2 s; this is called dozens of times per test)
check_noping() {
	if __ns_exec "$2" ping -n -q -c 1 -W 1 "$3" >/dev/null 2>&1; then
		fail "$1" "unexpected ping reply from ${3} (netns '${2}')"
	else
		ok "$1"
	fi
}

# retry N CMD...: run CMD up to N times, 0.3 s apart, until it succeeds
retry() {
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		sleep 0.3
	done
	return 1
}

# delta helpers: num_ge A B
num_ge() { [[ $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ ]] && (($1 >= $2)); }
