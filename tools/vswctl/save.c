// SPDX-License-Identifier: GPL-2.0
/*
 * vswctl save [SWITCH]: print the configuration of every switch (or of one)
 * as a "vswctl -b" batch that recreates it exactly, like "nft list ruleset".
 *
 * Per switch, in this order (each command needs what the ones before made):
 *   switch add SW
 *   switch set SW OPTIONS [default-port PORT-OPTIONS]
 *                                switch_kws[] options that differ from a
 *                                new switch's; default-port: port_kws[]
 *                                options that differ from a new port's
 *   port set SW OPTIONS          the internal port (the switch device)
 *   port add SW DEV              every other port, by name
 *   port set DEV OPTIONS         port_kws[] options that differ from what
 *                                the switch's default-port gives it
 *   fdb add SW MAC vlan VID port DEV     static entries, by MAC then VLAN
 *   flow add SW priority N MATCH actions=ACTIONS   rules, in table order
 * Switches are sorted by name, a blank line between two. The options come
 * from the tables "switch set" and "port set" parse (vswctl.h), so a new
 * option is saved once it has a row there. Everything is read first and
 * printed only if every dump succeeded: the output is all or nothing, and
 * the same configuration always gives the same bytes. Interfaces (veths,
 * taps...) are not vsw objects: "port add" needs them to exist.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "vswctl.h"

/* One output text and the key that orders it among its kind. */
struct line {
	char key[IFNAMSIZ + 32];
	char *text;
};

struct lines {
	size_t n;
	struct line *v;
};

static void lines_free(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	l->n = 0;
	l->v = NULL;
}

static int line_cmp(const void *a, const void *b)
{
	return strcmp(((const struct line *)a)->key,
		      ((const struct line *)b)->key);
}

static void lines_sort(struct lines *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(l->v[0]), line_cmp);
}

/* Take text (malloc'ed, may be NULL after a failed memstream). */
static int lines_add(struct lines *l, const char *key, char *text)
{
	struct line *v;

	if (!text)
		return err("out of memory");
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v) {
		free(text);
		return err("out of memory");
	}
	l->v = v;
	snprintf(v[l->n].key, sizeof(v[l->n].key), "%s", key);
	v[l->n++].text = text;
	return 0;
}

/*
 * s as the batch reader (split_line() in vswctl.c) reads it back: quotes
 * and '#' quoted one by one; names cannot hold blanks.
 */
static void put_quoted(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"')
			fputs("'\"'", f);
		else if (*s == '\'' || *s == '#')
			fprintf(f, "\"%c\"", *s);
		else
			fputc(*s, f);
	}
}

/* " WORD", quoted as needed */
static void put_word(FILE *f, const char *s)
{
	fputc(' ', f);
	put_quoted(f, s);
}

/* ------------------------------------------------------------------ */
/* Option printers, driven by switch_kws[] and port_kws[] */

/* Value of a port option as "port set" takes it; -1 if unknown. */
static int port_opt_text(const struct port_kw *k, const struct nlattr *a,
			 char *buf, size_t len)
{
	const uint8_t *bm;
	uint64_t v = nla_uint(a);

	switch (k->kind) {
	case K_MODE:
		if (v >= __VSW_VLAN_MODE_MAX)
			return -1;
		snprintf(buf, len, "%s", vlan_mode_names[v]);
		return 0;
	case K_TAG:
	case K_U32:
	case K_PPS:
		snprintf(buf, len, "%llu", (unsigned long long)v);
		return 0;
	case K_TRUNKS:
	case K_CVLANS:
		bm = nla_bin(a, VSW_VLAN_BITMAP_LEN);
		if (!bm)
			return -1;
		format_vlist(bm, k->kind == K_TRUNKS ? VLIST_TRUNKS :
			     VLIST_CVLANS, buf, len);
		return 0;
	case K_BOOL:
		snprintf(buf, len, "%s", v ? "on" : "off");
		return 0;
	case K_PRIO_TAGS:
		if (v >= __VSW_PRIORITY_TAGS_MAX)
			return -1;
		snprintf(buf, len, "%s", priority_tags_names[v]);
		return 0;
	case K_QINQ:
		if (!qinq_ethtype_name(v))
			return -1;
		snprintf(buf, len, "%s", qinq_ethtype_name(v));
		return 0;
	}
	return -1;
}

/*
 * " KW VALUE" for each option of the port whose value is not the one it
 * has when it is added: @def[i] (the switch's default-port, saved in
 * "switch set" before the "port add" lines), or k->def where @def is NULL
 * or has no text (the internal port: the built-in defaults). An option the
 * kernel does not report (an older module) is left out.
 */
static int port_opts(FILE *f, const struct nlattr **pa, const char *name,
		     char *const *def)
{
	static char val[VLIST_STRMAX];
	const char *d;
	size_t i;

	for (i = 0; i < n_port_kws; i++) {
		const struct port_kw *k = &port_kws[i];

		if (!pa[k->attr])
			continue;
		if (port_opt_text(k, pa[k->attr], val, sizeof(val)))
			return err("cannot save port \"%s\": unknown %s value %llu",
				   name, k->kw, (unsigned long long)
				   nla_uint(pa[k->attr]));
		d = def && def[i] ? def[i] : k->def;
		if (d && !strcmp(val, d))
			continue;
		put_word(f, k->kw);
		put_word(f, val);
	}
	return 0;
}

/* The switch's default-port (a VSW_ATTR_DEFAULT_PORT nest) as one value
 * text per port_kws[] entry, NULL where absent; free with defaults_free().
 */
static char **defaults_parse(const struct nlattr *nest)
{
	const struct nlattr *pa[VSW_PORT_ATTR_MAX + 1];
	static char val[VLIST_STRMAX];
	char **def;
	size_t i;

	def = calloc(n_port_kws, sizeof(*def));
	if (!def || !nest || nla_parse(nest, pa, VSW_PORT_ATTR_MAX))
		return def;
	for (i = 0; i < n_port_kws; i++) {
		const struct port_kw *k = &port_kws[i];

		if (pa[k->attr] &&
		    !port_opt_text(k, pa[k->attr], val, sizeof(val)))
			def[i] = strdup(val);
	}
	return def;
}

static void defaults_free(char **def)
{
	size_t i;

	for (i = 0; def && i < n_port_kws; i++)
		free(def[i]);
	free(def);
}

static int switch_opts(FILE *f, const struct nlattr **tb)
{
	char val[24];
	size_t i;

	for (i = 0; i < n_switch_kws; i++) {
		const struct switch_kw *k = &switch_kws[i];

		if (!tb[k->attr])
			continue;
		snprintf(val, sizeof(val), "%llu",
			 (unsigned long long)nla_uint(tb[k->attr]));
		if (k->def && !strcmp(val, k->def))
			continue;
		put_word(f, k->kw);
		put_word(f, val);
	}
	/* last: every word after "default-port" is a port option */
	if (tb[VSW_ATTR_DEFAULT_PORT]) {
		char *text = port_default_text(tb[VSW_ATTR_DEFAULT_PORT]);

		if (!text)
			return err("out of memory");
		if (*text)
			fprintf(f, " default-port%s", text);
		free(text);
	}
	return 0;
}

/* " KW VALUE" for each option of a DEFAULT_PORT nest that differs from a
 * new port's; the number printed, -1 if out of memory
 */
static int print_port_default(FILE *f, const struct nlattr *nest)
{
	char **def = defaults_parse(nest);
	int n = 0;
	size_t i;

	if (!def)
		return -1;
	for (i = 0; i < n_port_kws; i++) {
		const struct port_kw *k = &port_kws[i];

		if (!def[i] || (k->def && !strcmp(def[i], k->def)))
			continue;
		put_word(f, k->kw);
		put_word(f, def[i]);
		n++;
	}
	defaults_free(def);
	return n;
}

char *port_default_text(const struct nlattr *nest)
{
	char *text = NULL;
	size_t len;
	FILE *d = open_memstream(&text, &len);

	if (!d)
		return NULL;
	if (print_port_default(d, nest) < 0) {
		fclose(d);
		free(text);
		return NULL;
	}
	if (fclose(d)) {
		free(text);
		return NULL;
	}
	return text;
}

/* ------------------------------------------------------------------ */
/* Dump callbacks: one struct lines each */

struct save_sw {
	char name[IFNAMSIZ];
	struct lines ports, fdb, rules;
	uint32_t *port_idx;	/* ifindexes of its ports (rules check them) */
	size_t n_port_idx;
	char **def;		/* its default-port, see defaults_parse() */
};

/* Text of a memstream, NULL if writing to it failed. */
static char *ms_done(FILE *f, char **text)
{
	if (fclose(f)) {
		free(*text);
		*text = NULL;
	}
	return *text;
}

static int save_switch_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_ATTR_MAX + 1];
	struct lines *l = data;
	char name[IFNAMSIZ], *text = NULL, *otext = NULL;
	size_t len, olen;
	FILE *f, *opts;

	if (genl_parse(nlh, tb, VSW_ATTR_MAX))
		return MNL_CB_OK;
	attr_ifname(tb[VSW_ATTR_IFNAME], tb[VSW_ATTR_IFINDEX], name);
	f = open_memstream(&text, &len);
	if (!f)
		return err("out of memory"), MNL_CB_ERROR;
	fputs("switch add", f);
	put_word(f, name);
	fputc('\n', f);
	opts = open_memstream(&otext, &olen);
	if (!opts) {
		fclose(f);
		free(text);
		return err("out of memory"), MNL_CB_ERROR;
	}
	if (switch_opts(opts, tb) || !ms_done(opts, &otext)) {
		fclose(f);
		free(text);
		return err("out of memory"), MNL_CB_ERROR;
	}
	/* "switch set SW" only if an option differs from a new switch's */
	if (olen) {
		fputs("switch set", f);
		put_word(f, name);
		fprintf(f, "%s\n", otext);
	}
	free(otext);
	return lines_add(l, name, ms_done(f, &text)) ? MNL_CB_ERROR :
	       MNL_CB_OK;
}

static int save_port_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_ATTR_MAX + 1], *pa[VSW_PORT_ATTR_MAX + 1];
	struct save_sw *s = data;
	char name[IFNAMSIZ], *text = NULL, *otext = NULL;
	size_t len, olen;
	uint32_t *idx;
	bool internal;
	FILE *f, *opts;
	int ret;

	if (genl_parse(nlh, tb, VSW_ATTR_MAX) || !tb[VSW_ATTR_PORT] ||
	    nla_parse(tb[VSW_ATTR_PORT], pa, VSW_PORT_ATTR_MAX))
		return MNL_CB_OK;
	attr_ifname(pa[VSW_PORT_ATTR_IFNAME], pa[VSW_PORT_ATTR_IFINDEX], name);
	internal = pa[VSW_PORT_ATTR_INTERNAL] != NULL;
	idx = realloc(s->port_idx, (s->n_port_idx + 1) * sizeof(*idx));
	if (!idx)
		return err("out of memory"), MNL_CB_ERROR;
	s->port_idx = idx;
	idx[s->n_port_idx++] = nla_uint(pa[VSW_PORT_ATTR_IFINDEX]);

	f = open_memstream(&text, &len);
	if (!f)
		return err("out of memory"), MNL_CB_ERROR;
	if (!internal) {	/* the internal port comes with its switch */
		fputs("port add", f);
		put_word(f, s->name);
		put_word(f, name);
		fputc('\n', f);
	}
	opts = open_memstream(&otext, &olen);
	if (!opts) {
		fclose(f);
		free(text);
		return err("out of memory"), MNL_CB_ERROR;
	}
	ret = port_opts(opts, pa, name, internal ? NULL : s->def);
	if (!ms_done(opts, &otext) && !ret)
		ret = err("out of memory");
	/* all defaults: no "port set" */
	if (!ret && olen) {
		fputs("port set", f);
		put_word(f, name);
		fprintf(f, "%s\n", otext);
	}
	free(otext);
	if (ret) {
		fclose(f);
		free(text);
		return MNL_CB_ERROR;
	}
	/* the internal port first (key ""), then the others by name */
	return lines_add(&s->ports, internal ? "" : name, ms_done(f, &text)) ?
	       MNL_CB_ERROR : MNL_CB_OK;
}

static int save_fdb_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_ATTR_MAX + 1], *fa[VSW_FDB_ATTR_MAX + 1];
	struct save_sw *s = data;
	char mac[18], port[IFNAMSIZ], key[32], *text = NULL;
	const uint8_t *addr;
	uint32_t flags;
	size_t len;
	FILE *f;

	if (genl_parse(nlh, tb, VSW_ATTR_MAX) || !tb[VSW_ATTR_FDB] ||
	    nla_parse(tb[VSW_ATTR_FDB], fa, VSW_FDB_ATTR_MAX))
		return MNL_CB_OK;
	flags = nla_uint(fa[VSW_FDB_ATTR_FLAGS]);
	addr = nla_bin(fa[VSW_FDB_ATTR_MAC], 6);
	/* learned entries are state; the local one comes with the switch */
	if (!(flags & VSW_FDB_F_STATIC) || (flags & VSW_FDB_F_LOCAL) || !addr)
		return MNL_CB_OK;
	format_mac(addr, mac);
	attr_ifname(fa[VSW_FDB_ATTR_PORT_IFNAME], fa[VSW_FDB_ATTR_PORT_IFINDEX],
		    port);
	snprintf(key, sizeof(key), "%s %04llu", mac,
		 (unsigned long long)nla_uint(fa[VSW_FDB_ATTR_VID]));
	f = open_memstream(&text, &len);
	if (!f)
		return err("out of memory"), MNL_CB_ERROR;
	fputs("fdb add", f);
	put_word(f, s->name);
	fprintf(f, " %s vlan %llu port", mac,
		(unsigned long long)nla_uint(fa[VSW_FDB_ATTR_VID]));
	put_word(f, port);
	fputc('\n', f);
	return lines_add(&s->fdb, key, ms_done(f, &text)) ? MNL_CB_ERROR :
	       MNL_CB_OK;
}

static bool is_port(const struct save_sw *s, uint32_t ifindex)
{
	size_t i;

	for (i = 0; i < s->n_port_idx; i++)
		if (s->port_idx[i] == ifindex)
			return true;
	return false;
}

static int save_rule_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_ATTR_MAX + 1], *ra[VSW_RULE_ATTR_MAX + 1];
	char mstr[MATCH_STRMAX], astr[ACTIONS_STRMAX], key[24], *text = NULL;
	struct save_sw *s = data;
	unsigned long prio;
	struct actions a;
	struct match m;
	bool stale;
	unsigned int i;
	size_t len;
	FILE *f;

	if (genl_parse(nlh, tb, VSW_ATTR_MAX) || !tb[VSW_ATTR_RULE] ||
	    nla_parse(tb[VSW_ATTR_RULE], ra, VSW_RULE_ATTR_MAX))
		return MNL_CB_OK;
	prio = ra[VSW_RULE_ATTR_PRIORITY] ?
	       nla_uint(ra[VSW_RULE_ATTR_PRIORITY]) : VSW_RULE_PRIORITY_DEFAULT;
	if (match_from_nl(ra[VSW_RULE_ATTR_MATCH], &m) ||
	    actions_from_nl(ra[VSW_RULE_ATTR_ACTIONS], &a) ||
	    format_match(&m, mstr, sizeof(mstr)) < 0 ||
	    format_actions(&a, astr, sizeof(astr)) < 0)
		return err("cannot save a rule of \"%s\" (priority %lu): malformed dump",
			   s->name, prio), MNL_CB_ERROR;
	/* a port the rule names may have left the switch since */
	stale = (m.fields & MF(MF_IN_PORT)) && !is_port(s, m.in_port_ifindex);
	for (i = 0; i < a.n; i++)
		if (a.a[i].type == VSW_ACTION_ATTR_OUTPUT &&
		    !is_port(s, a.a[i].arg))
			stale = true;
	f = open_memstream(&text, &len);
	if (!f)
		return err("out of memory"), MNL_CB_ERROR;
	if (stale) {
		warn("rule of \"%s\" \"priority=%lu%s%s actions=%s\" names a device that is no longer a port of the switch: saved as a comment",
		     s->name, prio, *mstr ? "," : "", mstr, astr);
		fputs("# (names a device that is no longer a port) ", f);
	}
	fputs("flow add", f);
	put_word(f, s->name);
	fprintf(f, " priority %lu", prio);
	if (*mstr)
		put_word(f, mstr);
	fputs(" actions=", f);
	put_quoted(f, astr);
	fputc('\n', f);
	/* dump order = table order (equal priorities: order added) */
	snprintf(key, sizeof(key), "%012zu", s->rules.n);
	return lines_add(&s->rules, key, ms_done(f, &text)) ? MNL_CB_ERROR :
	       MNL_CB_OK;
}

/* SWITCH_GET of one switch: its default-port into s->def */
static int save_default_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_ATTR_MAX + 1];
	struct save_sw *s = data;

	if (genl_parse(nlh, tb, VSW_ATTR_MAX))
		return MNL_CB_OK;
	defaults_free(s->def);
	s->def = defaults_parse(tb[VSW_ATTR_DEFAULT_PORT]);
	return s->def ? MNL_CB_OK : (err("out of memory"), MNL_CB_ERROR);
}

/* ------------------------------------------------------------------ */

static int save_dump(struct save_sw *s, uint8_t cmd, uint16_t nest, mnl_cb_t cb,
		     const char *noun)
{
	char buf[NL_BUFSZ], what[96];
	struct nlmsghdr *nlh = vsw_req(buf, cmd, NLM_F_DUMP);

	if (put_switch(nlh, s->name))
		return -1;
	if (nest)
		mnl_attr_nest_end(nlh, mnl_attr_nest_start(nlh, nest));
	snprintf(what, sizeof(what), "cannot save: cannot dump %s of \"%s\"",
		 noun, s->name);
	return vsw_talk(nlh, cb, s, what);
}

static void print_lines(FILE *f, const struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		fputs(l->v[i].text, f);
}

int do_save(int argc, char **argv)
{
	char buf[NL_BUFSZ], *text = NULL;
	struct lines sws = { 0, NULL };
	struct save_sw s;
	struct link_info li;
	struct nlmsghdr *nlh;
	size_t i, len;
	int ret = 0;
	FILE *f;

	if (argc > 1)
		return usage_err("unexpected \"%s\"", argv[1]);
	if (opt.json)
		return err("save prints a vswctl -b batch, not JSON (no -j)");
	/* a clear message for a name that is not a switch */
	if (argc && link_get_switch(argv[0], &li))
		return -1;
	nlh = vsw_req(buf, VSW_CMD_SWITCH_GET, argc ? 0 : NLM_F_DUMP);
	if (argc && put_switch(nlh, argv[0]))
		return -1;
	if (vsw_talk(nlh, save_switch_cb, &sws, argc ?
		     "cannot save: cannot read the switch" :
		     "cannot save: cannot dump switches")) {
		lines_free(&sws);
		return -1;
	}
	lines_sort(&sws);
	f = open_memstream(&text, &len);
	if (!f) {
		lines_free(&sws);
		return err("out of memory");
	}
	if (sws.n)
		fputs("# vsw configuration, from \"vswctl save\"; restore it with \"vswctl -b FILE\"\n",
		      f);
	for (i = 0; !ret && i < sws.n; i++) {
		memset(&s, 0, sizeof(s));
		memcpy(s.name, sws.v[i].key, sizeof(s.name) - 1);
		nlh = vsw_req(buf, VSW_CMD_SWITCH_GET, 0);
		ret = put_switch(nlh, s.name) ||
		      vsw_talk(nlh, save_default_cb, &s,
			       "cannot save: cannot read the switch") ||
		      save_dump(&s, VSW_CMD_PORT_GET, 0, save_port_cb, "ports") ||
		      save_dump(&s, VSW_CMD_FDB_GET, VSW_ATTR_FDB, save_fdb_cb,
				"FDB") ||
		      save_dump(&s, VSW_CMD_RULE_GET, 0, save_rule_cb, "rules");
		if (!ret) {
			lines_sort(&s.ports);
			lines_sort(&s.fdb);
			lines_sort(&s.rules);
			fputs(i ? "\n" : "", f);
			fputs(sws.v[i].text, f);
			print_lines(f, &s.ports);
			print_lines(f, &s.fdb);
			print_lines(f, &s.rules);
		}
		lines_free(&s.ports);
		lines_free(&s.fdb);
		lines_free(&s.rules);
		free(s.port_idx);
		defaults_free(s.def);
	}
	lines_free(&sws);
	if (fclose(f)) {
		free(text);
		return err("out of memory");
	}
	if (!ret)
		fwrite(text, 1, len, out);
	free(text);
	return ret ? -1 : 0;
}
