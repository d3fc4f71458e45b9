#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# netlink_scale.sh - the vsw dumps are multi-part, resumable and complete
# at scale: 100k static FDB entries and 10k rules (added in batches over the
# generic netlink family) come back exactly once each, the dumps are
# consistent, and an FDB dump during which the table changes ends flagged
# NLM_F_DUMP_INTR. Uses `netlink_fuzz scale` (selftests/netlink_fuzz, built
# on the host by `make -C selftests/netlink_fuzz`).
#
# Environment: NETLINK_SCALE_FDB (100000), NETLINK_SCALE_RULES (10000).

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

NFDB=${NETLINK_SCALE_FDB:-100000}
NRULES=${NETLINK_SCALE_RULES:-10000}

need_cmd ip
need_fuzz
need_vsw

ktap_plan 5

sw_add nsc0
veth_port nscp1 nsc0

out=$("$FUZZ" scale -s nsc0 -p nscp1 -f "$NFDB" -r "$NRULES" 2>&1)
rc=$?
diag "$(grep '^#' <<<"$out")"
for t in "FDB dump of $NFDB entries" "rule dump of $NRULES rules" \
	"FDB dump changed midway is flagged NLM_F_DUMP_INTR"; do
	if grep -qxF "ok $t" <<<"$out"; then
		ok "$t"
	else
		fail "$t" "$(grep -v '^#' <<<"$out" | head -n 5)"
	fi
done
check_eq "scale run exit status" 0 "$rc"

# deleting the switch frees everything (kmemleak on the debug kernel)
ip link del nsc0
check_eq "switch with all its entries deleted" "" "$(ip -br link show nsc0 2>/dev/null)"

ksft_finish
