#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Resolve a test kernel name to its image and build tree.
#
#   scripts/kernel-info.sh deb61|deb612|debug
#
# Prints shell assignments (eval them):
#   KNAME=deb61 KIMAGE=/boot/vmlinuz-... KDIR=<kbuild dir> KVER=<uname -r>
#   KDEBUG=0|1
# deb61/deb612: newest /boot/vmlinuz-6.1.*-amd64 / 6.12.*-amd64 and the
# matching /lib/modules/KVER/build (or /usr/src/linux-headers-KVER).
# debug: the cached tree of scripts/build-debug-kernel.sh; it must have been
# built already (this script never builds). Exits non-zero if anything is
# missing: a missing kernel is an error, never a skip.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "kernel-info: ERROR: $*" >&2; exit 1; }

newest_deb() { # $1 = 6.1 | 6.12
	local img
	img=$(find /boot -maxdepth 1 -name "vmlinuz-$1.*-amd64" 2>/dev/null | sort -V | tail -n 1)
	[[ -n $img ]] || die "no /boot/vmlinuz-$1.*-amd64 installed (make deps)"
	local kver=${img#/boot/vmlinuz-}
	local kdir=/lib/modules/$kver/build
	[[ -e $kdir/Makefile ]] || kdir=/usr/src/linux-headers-$kver
	[[ -e $kdir/Makefile ]] || die "no headers for $kver (apt-get install linux-headers-$kver)"
	[[ -d /lib/modules/$kver/kernel ]] || die "/lib/modules/$kver missing"
	printf 'KIMAGE=%q\nKDIR=%q\nKVER=%q\nKDEBUG=0\n' "$img" "$kdir" "$kver"
}

case ${1:-} in
deb61) echo "KNAME=deb61"; newest_deb 6.1 ;;
deb612) echo "KNAME=deb612"; newest_deb 6.12 ;;
debug)
	tree=$("$here/build-debug-kernel.sh" --path)
	[[ -f $tree/.vsw-built ]] || die "debug kernel not built ($tree); run scripts/build-debug-kernel.sh"
	echo "KNAME=debug"
	printf 'KIMAGE=%q\nKDIR=%q\nKVER=%q\nKDEBUG=1\n' "$tree/arch/x86/boot/bzImage" "$tree" \
		"$(cat "$tree/include/config/kernel.release")"
	;;
*) die "usage: $0 deb61|deb612|debug" ;;
esac
