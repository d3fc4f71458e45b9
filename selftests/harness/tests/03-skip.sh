#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness fixture: exits 4 (KSFT_SKIP) => must be reported as SKIP.
source "$(dirname "$0")/../../lib.sh"
need_cmd vsw-no-such-command
ok "unreachable"
ksft_finish
