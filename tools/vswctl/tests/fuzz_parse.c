// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: random strings into the MATCH, ACTIONS, flow, VLAN LIST,
 * MAC and IP parsers.  Whatever parses must format, and the formatted text
 * must parse back to the same value and format identically (canonical form).
 */
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

static void fuzz_match(const char *s)
{
	char a[MATCH_STRMAX], b[MATCH_STRMAX];
	struct match m, m2;

	if (parse_match(s, &m))
		return;
	CHECK(format_match(&m, a, sizeof(a)) >= 0);
	CHECK(!parse_match(a, &m2));
	CHECK(!memcmp(&m, &m2, sizeof(m)));
	CHECK(format_match(&m2, b, sizeof(b)) >= 0 && !strcmp(a, b));
	match_check(&m);
}

static void fuzz_actions(const char *s)
{
	char a[ACTIONS_STRMAX], b[ACTIONS_STRMAX];
	struct actions x, y;

	if (parse_actions(s, &x))
		return;
	CHECK(x.n >= 1 && x.n <= VSW_ACTIONS_MAX);
	CHECK(format_actions(&x, a, sizeof(a)) >= 0);
	CHECK(!parse_actions(a, &y));
	CHECK(!memcmp(&x, &y, sizeof(x)));
	CHECK(format_actions(&y, b, sizeof(b)) >= 0 && !strcmp(a, b));
}

static void fuzz_flow(const char *s)
{
	char buf[MATCH_STRMAX + ACTIONS_STRMAX + 16];
	struct match m, m2;
	struct actions a, a2;
	int n;

	if (parse_flow(s, &m, &a, true))
		return;
	n = format_match(&m, buf, MATCH_STRMAX);
	CHECK(n >= 0);
	strcat(buf, n ? ",actions=" : "actions=");
	CHECK(format_actions(&a, buf + strlen(buf), ACTIONS_STRMAX) >= 0);
	CHECK(!parse_flow(buf, &m2, &a2, true));
	CHECK(!memcmp(&m, &m2, sizeof(m)) && !memcmp(&a, &a2, sizeof(a)));
}

static void fuzz_vlist(const char *s, enum vlist_kind kind)
{
	uint8_t bm[VSW_VLAN_BITMAP_LEN], bm2[VSW_VLAN_BITMAP_LEN];
	static char buf[VLIST_STRMAX];

	if (parse_vlist(s, kind, bm))
		return;
	CHECK(!vlist_test(bm, 4095));
	CHECK(kind == VLIST_CVLANS || !vlist_test(bm, 0));
	format_vlist(bm, kind, buf, sizeof(buf));
	CHECK(!parse_vlist(buf, kind, bm2));
	CHECK(!memcmp(bm, bm2, sizeof(bm)));
}

static void fuzz_addr(const char *s)
{
	uint8_t mac[6], mask[6], mac2[6], addr[16];
	char buf[18];
	uint8_t plen;
	int family;

	if (!parse_mac(s, mac)) {
		format_mac(mac, buf);
		CHECK(!parse_mac(buf, mac2) && !memcmp(mac, mac2, 6));
	}
	if (!parse_mac_masked(s, mac, mask))
		for (int i = 0; i < 6; i++)
			CHECK(!(mac[i] & ~mask[i]));
	if (!parse_prefix(s, &family, addr, &plen))
		CHECK(plen <= (family == AF_INET ? 32 : 128));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_match(s);
	fuzz_actions(s);
	fuzz_flow(s);
	fuzz_vlist(s, VLIST_TRUNKS);
	fuzz_vlist(s, VLIST_CVLANS);
	fuzz_addr(s);
	free(s);
	return 0;
}
