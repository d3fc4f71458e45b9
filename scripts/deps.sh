#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages given as arguments (make deps passes the list).
# Quiet and offline when everything is already installed; otherwise one
# `apt-get update` and one non-interactive `apt-get install` of the missing
# ones. Fails if anything is still missing afterwards.
set -euo pipefail

t0=$SECONDS
missing() {
	local p st
	for p in "$@"; do
		st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		[[ $st == "install ok installed" ]] || echo "$p"
	done
}

mapfile -t need < <(missing "$@")
if [[ ${#need[@]} == 0 ]]; then
	echo "deps: all $# packages installed ($((SECONDS - t0))s)"
	exit 0
fi
echo "deps: installing ${need[*]}"
sudo=
[[ $(id -u) == 0 ]] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" </dev/null
mapfile -t still < <(missing "$@")
if [[ ${#still[@]} != 0 ]]; then
	echo "deps: ERROR: still missing: ${still[*]}" >&2
	exit 1
fi
echo "deps: done in $((SECONDS - t0))s"
