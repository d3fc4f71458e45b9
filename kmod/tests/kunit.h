/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsw - what the KUnit test files (kunit.c, dp_test.c) share.
 */
#ifndef _VSW_KUNIT_H
#define _VSW_KUNIT_H

#include <kunit/test.h>

#include "vsw_dp.h"

#define KT_TYPE_TEST	0x88b5	/* local experimental ethertype */

extern const u8 kt_src[ETH_ALEN];

/* A port configuration: @mode, @tag and up to two trunk VLANs (0: none). */
void kt_cfg(struct vsw_port_cfg *c, u8 mode, u16 tag, u16 t1, u16 t2);

#endif /* _VSW_KUNIT_H */
