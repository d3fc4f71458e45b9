#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Out-of-tree build of the vsw modules for one kernel, in a per-kernel copy
# of the sources so several kernels never clobber each other's objects.
#
#   scripts/build-modules.sh [-f] KDIR [KBUILD ARGS...]   (e.g. W=1 C=1)
#
# Default: copies Kbuild, kmod/ and uapi/ to build/<kver>/ and runs
#   make -C KDIR M=build/<kver> modules      => build/<kver>/kmod/*.ko
# -f: the harness fixture instead: selftests/harness/fixture/ ->
#   build/<kver>/fixture/                     => build/<kver>/fixture/*.ko
# <kver> is KDIR's UTS_RELEASE (= uname -r of that kernel). Only source files (*.c *.h
# *.S Kbuild Makefile) are copied; a copy is refreshed only when it differs,
# so incremental builds stay incremental; copies whose source vanished are
# deleted. The full make output goes to build/<kver>/build[-fixture].log and
# to stdout.
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fixture=0
if [[ ${1:-} == -f ]]; then fixture=1; shift; fi
kdir=${1:?usage: build-modules.sh [-f] KDIR [ARGS...]}
shift

die() { echo "build-modules: ERROR: $*" >&2; exit 1; }
uts=$kdir/include/generated/utsrelease.h
[[ -f $uts ]] || die "$kdir is not a prepared kernel build dir (no $uts)"
# UTS_RELEASE = the module vermagic = uname -r (Debian's kernel.release differs)
kver=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$uts")
[[ -n $kver ]] || die "cannot read UTS_RELEASE from $uts"
out=$src/build/$kver

is_src() { [[ $1 == *.c || $1 == *.h || $1 == *.S || ${1##*/} == Kbuild || ${1##*/} == Makefile ]]; }

sync_tree() { # SRC DST: mirror source files of SRC into DST
	local s=$1 d=$2 f
	mkdir -p "$d"
	while IFS= read -r -d '' f; do
		f=${f#./}
		is_src "$f" || continue
		mkdir -p "$d/$(dirname "$f")"
		cmp -s "$s/$f" "$d/$f" || cp -p "$s/$f" "$d/$f"
	done < <(cd "$s" && find . -type f -print0)
	while IFS= read -r -d '' f; do
		f=${f#./}
		is_src "$f" || continue
		[[ -e $s/$f ]] || rm -f "$d/$f"
	done < <(cd "$d" && find . -type f -print0)
}

if [[ $fixture == 1 ]]; then
	sync_tree "$src/selftests/harness/fixture" "$out/fixture"
	m=$out/fixture
	log=$out/build-fixture.log
else
	[[ -f $src/kmod/Kbuild || -f $src/kmod/Makefile ]] || die "kmod/Kbuild missing"
	mkdir -p "$out"
	cmp -s "$src/Kbuild" "$out/Kbuild" || cp -p "$src/Kbuild" "$out/Kbuild"
	sync_tree "$src/kmod" "$out/kmod"
	if [[ -d $src/uapi ]]; then sync_tree "$src/uapi" "$out/uapi"; fi
	m=$out
	log=$out/build.log
fi

echo "build-modules: make -C $kdir M=$m $* modules"
set +e
make -C "$kdir" M="$m" "$@" modules 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
[[ $rc == 0 ]] || die "module build for $kver failed (exit $rc, log $log)"
