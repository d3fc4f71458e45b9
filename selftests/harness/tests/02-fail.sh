#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness fixture: one failing subtest => must be reported as FAIL.
source "$(dirname "$0")/../../lib.sh"
ktap_plan 2
ok "this one passes"
check_eq "this one fails on purpose" "expected" "actual"
ksft_finish
