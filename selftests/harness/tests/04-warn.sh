#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness fixture: exits 0 but makes the kernel WARN => must be reported as
# FAIL (kernel splat found in the dmesg written during the test).
source "$(dirname "$0")/../../lib.sh"
ktap_plan 2
check_cmd "load vsw_fixture" modprobe vsw_fixture
check_cmd "trigger WARN_ON" sh -c 'echo 1 > /sys/module/vsw_fixture/parameters/warn'
ksft_finish
