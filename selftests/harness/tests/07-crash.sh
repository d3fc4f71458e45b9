#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness fixture: crashes the guest kernel => this test must FAIL, every
# later test must FAIL as never run, and the VM run must FAIL (no token).
source "$(dirname "$0")/../../lib.sh"
ktap_plan 1
echo c >/proc/sysrq-trigger
sleep 30
ok "unreachable"
ksft_finish
