#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vsw_conf.sh - the persistent configuration (issue 16): a vswctl -b style
# file with switches and port entries for taps that do not exist yet.
# `vswctl apply -f FILE` applies what it can (absent taps: a note, exit 0);
# a tap created afterwards (ip tuntap add) is placed by the udev rule's
# command into its switch, VLAN, static FDB entry and rule: the test VM
# runs no udevd, so the rule (udev/90-vsw.rules.in with the paths make
# install writes, pointing at this tree's vswctl and the test's file) goes
# to /run/udev/rules.d, `udevadm test --action=add` of the tap evaluates
# it and prints the RUN command, and the test runs exactly that; deleted and created again, it is placed again; the
# lines of another tap do not touch it; applying the file again is a no-op
# (systemctl reload); a syntax error in line N is reported as FILE:N and
# changes nothing (vswctl -j switch/port/flow show before and after, also
# for apply DEV). Last, vsw_vhost autoloads on the first open of
# /dev/vhost-vsw (fixed misc minor 10:248, the node made with mknod as
# kmod static-nodes does at boot), and `udevadm test` of it applies the
# rule's group kvm, mode 0660.

# shellcheck disable=SC2317 # functions called through check_* helpers
# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd mknod udevadm stat
need_module tun

VSWCTL_BIN=$(command -v "$VSWCTL")
conf=$VSW_TMPD/vsw.conf
M1=02:00:00:00:16:01
links=(cft1 cft2 cft3 cfsw0 cfsw1)
cleanup() { local l; for l in "${links[@]}"; do ip link del "$l" 2>/dev/null; done; }
defer cleanup

cat >"$conf" <<EOF
# vsw.conf of the test: two switches, two VM taps that do not exist yet
switch add cfsw0
switch add cfsw1
switch set cfsw0 ageing 120
port add cfsw0 cft1
port set cft1 mode access tag 10
fdb add cfsw0 $M1 vlan 10 port cft1
flow add cfsw0 priority 100 in_port=cft1,udp,tp_dst=9 actions=drop
port add cfsw1 cft2
port set cft2 mode trunk trunks 20,30
EOF

# the shipped rule, as make install writes it, where udev reads rules
rule=${VSW_SRC:-.}/udev/90-vsw.rules.in
[[ -d /run/udev ]] || defer rm -rf /run/udev	# udevadm test writes its db there
mkdir -p /run/udev/rules.d
defer rm -f /run/udev/rules.d/90-vsw.rules
sed -e "s|@SBINDIR@/vswctl|$VSWCTL_BIN|g" -e "s|@CONF@|$conf|g" "$rule" >/run/udev/rules.d/90-vsw.rules
# udev_cmd DEV: the RUN command udev would run for DEV's add event
udev_cmd() {
	udevadm test --action=add "/sys/class/net/$1" 2>/dev/null |
		sed -n "s/^run: '\(.*vswctl apply .*\)'\$/\1/p"
}
# udev_run DEV: run it (fails if the rule did not match)
udev_run() {
	local c
	c=$(udev_cmd "$1")
	[[ -n $c ]] || { echo "udevadm test $1: no vswctl RUN" >&2; return 1; }
	sh -c "$c"
}
# state: everything apply can change, as JSON
state() {
	{
		vswctl -j switch show
		vswctl -j port show
		vswctl -j flow show cfsw0
		vswctl -j fdb show cfsw0 | jq -c 'map(del(.updated))'
	} 2>&1
}
port_cfg() { # PORT: "master mode tag trunks"
	vswctl -j port show "$1" 2>/dev/null |
		jq -r '.[0] | "\(.master) \(.mode) \(.tag) \(.trunks)"' 2>/dev/null
}
in_port_rule() { # PORT: a drop rule matching in_port=PORT in cfsw0
	vswctl -j flow show cfsw0 | jq -e --arg p "$1" \
		'any(.[]; (.match | test("in_port=" + $p + "(,|$)")) and .actions == "drop")' >/dev/null
}

ktap_plan 27

# --- the file, before the taps exist -----------------------------------------------------------
"$VSWCTL_BIN" apply -f "$conf" 2>"$VSW_TMPD/err"
check_eq "apply with absent taps: exit 0" 0 "$?"
diag "stderr: $(tr '\n' '|' <"$VSW_TMPD/err")"
check_true "apply: a note on stderr for each absent tap's line" bash -c \
	"grep -q 'vsw.conf:5: vswctl: note: skipped: no device \"cft1\"' '$VSW_TMPD/err' &&
	 grep -q 'vsw.conf:9: vswctl: note: skipped: no device \"cft2\"' '$VSW_TMPD/err'"
check_eq "apply: both switches made" "cfsw0 cfsw1" \
	"$(vswctl -j switch show | jq -r '[.[].ifname | select(startswith("cfsw"))] | sort | join(" ")')"

# --- a tap appears: udev's command places it -------------------------------------------------------
ip tuntap add dev cft1 mode tap && ip tuntap add dev cft2 mode tap
check_eq "udevadm test: the rule's RUN for cft1" "$VSWCTL_BIN apply -f $conf cft1" "$(udev_cmd cft1)"
check_cmd "udev RUN for cft1 (vswctl apply -f FILE cft1)" udev_run cft1
check_eq "cft1: in cfsw0, access VLAN 10" "cfsw0 access 10" "$(port_cfg cft1 | cut -d' ' -f1-3)"
check_eq "cft1: its static FDB entry (vlan 10)" cft1 "$(fdb_port cfsw0 $M1 10)"
check_true "cft1: its in_port rule" in_port_rule cft1
check_eq "cft2: not touched by cft1's apply (no master)" "" \
	"$(ip -j link show cft2 | jq -r '.[0].master // empty')"

# --- another tap's lines do not touch this one ----------------------------------------------------
vswctl port set cft1 tag 99
check_cmd "udev RUN for cft2" udev_run cft2
check_eq "cft2: in cfsw1, trunk 20,30" "cfsw1 trunk 20,30" "$(port_cfg cft2 | cut -d' ' -f1,2,4)"
check_eq "cft1: left alone by cft2's apply (tag 99 kept)" "cfsw0 access 99" "$(port_cfg cft1 | cut -d' ' -f1-3)"
ip tuntap add dev cft3 mode tap
before=$(state)
check_cmd "udev RUN for cft3 (not in the file): exit 0" udev_run cft3
check_eq "cft3: nothing changed" "$before" "$(state)"

# --- the tap goes and comes back (VM restart) ---------------------------------------------------
for round in 1 2; do
	ip link del cft1
	ip tuntap add dev cft1 mode tap
	udev_run cft1
	check_eq "re-created cft1 ($round): in cfsw0, access VLAN 10, FDB entry" "cfsw0 access 10 cft1" \
		"$(port_cfg cft1 | cut -d' ' -f1-3) $(fdb_port cfsw0 $M1 10)"
done
check_true "re-created cft1: its in_port rule again" in_port_rule cft1

# --- the whole file again (systemctl reload): a no-op --------------------------------------------
before=$(state)
err=$("$VSWCTL_BIN" apply -f "$conf" 2>&1 >/dev/null)
check_eq "apply again: exit 0, nothing on stderr" "0 " "$? $err"
check_eq "apply again: nothing changed" "$before" "$(state)"

# --- a syntax error changes nothing --------------------------------------------------------------
bad=$VSW_TMPD/bad.conf
sed -e 's/tag 10/tag 11/' -e 's/^switch set cfsw0 ageing 120$/switch set cfsw0 ageing 60/' "$conf" >"$bad"
echo "port set cft2 mode trunk trunks 20,4095" >>"$bad"	# line 11
before=$(state)
check_stderr "syntax error in line 11: reported as FILE:11" "bad.conf:11: vswctl: invalid .*4095" \
	"$VSWCTL_BIN" apply -f "$bad"
check_eq "syntax error: nothing changed (tag, ageing of earlier lines)" "$before" "$(state)"
check_stderr "apply DEV with that file: FILE:11 too" "bad.conf:11: vswctl: invalid VLAN id" \
	env VSW_CONF="$bad" "$VSWCTL_BIN" apply cft1
check_eq "apply DEV: nothing changed" "$before" "$(state)"

# --- vsw_vhost autoloads on the first open of /dev/vhost-vsw -------------------------------------
rmmod vsw_vhost 2>/dev/null # not modprobe -r: it would unload vsw too
if [[ -d /sys/module/vsw_vhost ]]; then
	fail "vsw_vhost unloaded before the open" "refcnt $(cat /sys/module/vsw_vhost/refcnt)"
else
	ok "vsw_vhost not loaded before the open"
	defer __vsw_vhost_unload
fi
# what kmod static-nodes does at boot (from modules.devname): the node
# exists while the module does not
node=/dev/vhost-vsw
if [[ ! -e $node ]]; then
	mknod -m 0600 "$node" c 10 248
	defer rm -f "$node"
fi
check_cmd "open of c 10:248 (static node) succeeds" bash -c "exec 3<>'$node'"
check_eq "vsw_vhost loaded by it; /dev/vhost-vsw is 10:248" "yes 10:248" \
	"$([[ -d /sys/module/vsw_vhost ]] && echo yes || echo no) $(cat /sys/class/misc/vhost-vsw/dev 2>/dev/null)"
[[ -e /dev/char/10:248 ]] || defer rm -f /dev/char/10:248	# udevadm test makes it
udevadm test --action=add /sys/class/misc/vhost-vsw >/dev/null 2>&1
check_eq "udevadm test of vhost-vsw: group kvm, mode 0660 (as /dev/vhost-net)" "kvm 660" \
	"$(stat -c '%G %a' /dev/vhost-vsw 2>/dev/null)"

ksft_finish
