#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 8
# Harness fixture: hangs => must be killed by the per-test timeout and FAIL.
source "$(dirname "$0")/../../lib.sh"
ktap_plan 1
sleep 100000
ok "unreachable"
ksft_finish
