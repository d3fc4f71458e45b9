#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness fixture: must be reported as PASS. Also checks the guest
# environment the harness promises to tests.
source "$(dirname "$0")/../../lib.sh"
ktap_plan 6
check_eq "cwd is the project dir" "$VSW_SRC" "$PWD"
check_cmd "/tmp is writable" touch /tmp/x
check_cmd "/lib/modules/\$(uname -r)/extra is writable" touch "/lib/modules/$(uname -r)/extra/.x"
ns_create fx_a fx_b
veth_pair fx_a va fx_b vb
ip -n fx_a addr add 10.99.0.1/24 dev va
ip -n fx_b addr add 10.99.0.2/24 dev vb
check_ping "veth ping across netns" fx_a 10.99.0.2
check_no_ping "no reply from an absent address" fx_a 10.99.0.3
# request_module() autoload through the host's modprobe (dummy is a module
# on Debian kernels, built in on the debug kernel)
check_cmd "ip link add type dummy (module autoload)" ip link add fxdummy0 type dummy
ip link del fxdummy0
ksft_finish
