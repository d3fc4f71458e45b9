#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2001,SC2016
#
# Host-side test of `make install` (run by `make check`, host phase; KTAP).
# In a clean copy of the source tree (so a concurrent `make check` build of
# build/<kver> is not disturbed and nothing built earlier is counted):
#   make install DESTDIR=$tmp/root PREFIX=/usr
# must install exactly the expected files, with the configured paths in the
# udev rule and the unit, and build no test program (selftests/*, the vswctl
# unit tests, vsw_kunit.ko). The installed unit must pass
# `systemd-analyze verify` (if systemd-analyze is there).
#
#   scripts/test-install.sh [KDIR]     (default: what the Makefile picks)
set -uo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n $1"; }
fail() {
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n $1"
	[[ -z ${2:-} ]] || sed 's/^/# /' <<<"$2"
}
check() { # DESC EXPECTED ACTUAL
	if [[ $2 == "$3" ]]; then ok "$1"; else fail "$1" "$(diff <(echo "$2") <(echo "$3"))"; fi
}

echo "KTAP version 1"
echo "1..8"
mkdir -p "$tmp/src" "$tmp/root"
(cd "$src" && git ls-files -z -co --exclude-standard 2>/dev/null | grep -zv '^build/' |
	xargs -0 cp --parents -t "$tmp/src" 2>/dev/null)
[[ -f $tmp/src/Makefile ]] || { fail "copy of the source tree"; echo "# 0 passed, 1 failed"; exit 1; }

kdir=()
[[ -n ${1:-} ]] && kdir=(KDIR="$1")
if make -C "$tmp/src" --no-print-directory "${kdir[@]}" install DESTDIR="$tmp/root" PREFIX=/usr \
	>"$tmp/log" 2>&1; then
	ok "make install DESTDIR=... PREFIX=/usr"
else
	fail "make install DESTDIR=... PREFIX=/usr" "$(tail -n 20 "$tmp/log")"
fi

kver=$(cd "$tmp/root/lib/modules" 2>/dev/null && ls)
want="lib/modules/$kver/extra/vsw.ko
lib/modules/$kver/extra/vsw_vhost.ko
usr/lib/systemd/system/vsw.service
usr/lib/udev/rules.d/90-vsw.rules
usr/libexec/vsw/vsw-ifup
usr/sbin/vswctl
usr/share/bash-completion/completions/vswctl
usr/share/man/man8/vswctl.8"
check "installed files" "$want" "$(cd "$tmp/root" && find . -type f -printf '%P\n' | LC_ALL=C sort)"

# every ELF file and module in the copy: only vswctl and the two modules
built=$(cd "$tmp/src" && find . -type f \( -name '*.ko' -o -perm -u+x \) -printf '%P\n' |
	while read -r f; do
		case $f in *.ko) echo "${f##*/}" ;; *) head -c 4 "$f" | grep -q ELF && echo "$f" ;; esac
	done | LC_ALL=C sort)
check "built: vswctl and the two modules, no test program" \
	"tools/vswctl/vswctl
vsw.ko
vsw_vhost.ko" "$built"

rules=$tmp/root/usr/lib/udev/rules.d/90-vsw.rules
check "udev rule: RUN of the installed vswctl with the configuration file" \
	'ACTION=="add", SUBSYSTEM=="net", TEST=="/etc/vsw/vsw.conf", RUN+="/usr/sbin/vswctl apply -f /etc/vsw/vsw.conf $name"' \
	"$(grep '^ACTION' "$rules")"
check "udev rule: /dev/vhost-vsw like Debian's /dev/vhost-net (kvm, 0660)" \
	'SUBSYSTEM=="misc", KERNEL=="vhost-vsw", GROUP="kvm", MODE="0660", OPTIONS+="static_node=vhost-vsw"' \
	"$(grep '^SUBSYSTEM=="misc"' "$rules")"
unit=$tmp/root/usr/lib/systemd/system/vsw.service
check "unit: modprobe, apply, reload" \
	"ExecStart=/sbin/modprobe -a vsw vsw_vhost
ExecStart=/usr/sbin/vswctl apply -f /etc/vsw/vsw.conf
ExecReload=/usr/sbin/vswctl apply -f /etc/vsw/vsw.conf" "$(grep '^Exec' "$unit")"

check "vsw-ifup: runs the installed vswctl for its tap, mode 0755" \
	'exec /usr/sbin/vswctl apply -f /etc/vsw/vsw.conf "$1" 755' \
	"$(grep '^exec' "$tmp/root/usr/libexec/vsw/vsw-ifup") $(stat -c %a "$tmp/root/usr/libexec/vsw/vsw-ifup")"

# systemd-analyze verify wants the Exec binaries on this system: point the
# unit at the installed vswctl for the check
if command -v systemd-analyze >/dev/null; then
	mkdir -p "$tmp/verify"
	sed "s|/usr/sbin/vswctl|$tmp/root/usr/sbin/vswctl|" "$unit" >"$tmp/verify/vsw.service"
	if out=$(systemd-analyze verify --man=no "$tmp/verify/vsw.service" 2>&1) && [[ -z $out ]]; then
		ok "systemd-analyze verify vsw.service"
	else
		fail "systemd-analyze verify vsw.service" "$out"
	fi
else
	n=$((n + 1))
	echo "ok $n systemd-analyze verify vsw.service # SKIP no systemd-analyze"
fi
echo "# $((n - failed)) passed, $failed failed"
((failed == 0))
