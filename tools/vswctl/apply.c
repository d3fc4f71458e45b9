// SPDX-License-Identifier: GPL-2.0
/*
 * vswctl apply [-f FILE] [DEV]: apply the persistent configuration file
 * (/etc/vsw/vsw.conf, a vswctl -b batch) to the running system.
 *
 * The whole file is read and checked first, with the sockets closed
 * (opt.check): every line runs through the normal command code, which
 * parses all of its words before it first needs the kernel, so a syntax
 * error anywhere is reported as FILE:LINE before anything changes. Then
 * the lines are applied in file order:
 *
 *  - without DEV, every line; a line naming an interface that does not
 *    exist (yet) is skipped with a note, "switch add" of an existing vsw
 *    switch and "port add" of a port already in that switch are no-ops, so
 *    the file can be applied again (systemctl reload vsw);
 *  - with DEV (udev: a new interface), only the lines that concern DEV:
 *    those naming DEV as a port (see line_names()).
 *
 * A line that fails for a real reason is reported and the others are
 * still applied; the exit status is then 1. Nothing is kept in the kernel:
 * the file is the only memory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vswctl.h"

#ifndef VSW_CONF_FILE
#define VSW_CONF_FILE "/etc/vsw/vsw.conf"
#endif

#define APPLY_MAXPORTS	(VSW_ACTIONS_MAX + 2)

struct conf_line {
	unsigned int lineno;
	int argc;
	char **argv;
	char *text;		/* split_line() wrote argv into it */
};

/* The interfaces a line names (see line_names()). */
struct line_names {
	const char *sw;		/* switch it acts on, NULL if none */
	unsigned int nports;
	char ports[APPLY_MAXPORTS][IFNAMSIZ];
};

static const struct {
	const char *obj, *cmd;
} conf_cmds[] = {
	{ "switch", "add" }, { "switch", "set" }, { "switch", "del" },
	{ "port", "add" }, { "port", "set" }, { "port", "del" },
	{ "fdb", "add" }, { "fdb", "del" }, { "fdb", "flush" },
	{ "flow", "add" }, { "flow", "del" }, { "flow", "flush" },
	{ "cache", "flush" },
};

static bool conf_cmd(const struct conf_line *l)
{
	size_t i;

	if (l->argc < 2)
		return false;
	for (i = 0; i < sizeof(conf_cmds) / sizeof(conf_cmds[0]); i++)
		if (matches(l->argv[0], conf_cmds[i].obj) &&
		    matches(l->argv[1], conf_cmds[i].cmd))
			return true;
	return false;
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%svswctl: note: ", err_prefix);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void add_port(struct line_names *n, const char *s, size_t len)
{
	if (!len || len >= IFNAMSIZ || n->nports == APPLY_MAXPORTS)
		return;	/* the syntax check rejected a bad name already */
	memcpy(n->ports[n->nports], s, len);
	n->ports[n->nports++][len] = '\0';
}

/* in_port=DEV and output:DEV in the comma separated parts of a flow word */
static void flow_ports(struct line_names *n, const char *w)
{
	while (*w) {
		size_t len = strcspn(w, ",");

		if (!strncmp(w, "actions=", 8)) {
			w += 8;
			continue;
		}
		if (len > 8 && !strncmp(w, "in_port=", 8))
			add_port(n, w + 8, len - 8);
		else if (len > 7 && !strncmp(w, "output:", 7))
			add_port(n, w + 7, len - 7);
		w += len;
		if (*w == ',')
			w++;
	}
}

/*
 * The switch and the ports a configuration line names:
 *   switch CMD SW ...                 switch SW
 *   port add SW DEV                   switch SW, port DEV
 *   port set|del DEV ...              port DEV
 *   fdb CMD SW ... [port DEV] ...     switch SW, port DEV
 *   flow CMD SW ... in_port=DEV ... output:DEV ...   switch SW, those ports
 *   cache flush SW                    switch SW
 * A line concerns DEV (vswctl apply DEV) when DEV is one of its ports.
 */
static void line_names(const struct conf_line *l, struct line_names *n)
{
	const char *obj = l->argv[0], *cmd = l->argv[1];
	int i;

	memset(n, 0, sizeof(*n));
	if (l->argc < 3)
		return;
	if (matches(obj, "port")) {
		if (matches(cmd, "add")) {
			n->sw = l->argv[2];
			if (l->argc > 3)
				add_port(n, l->argv[3], strlen(l->argv[3]));
		} else {
			add_port(n, l->argv[2], strlen(l->argv[2]));
		}
		return;
	}
	n->sw = l->argv[2];
	for (i = 3; i < l->argc; i++) {
		if (matches(obj, "fdb") && matches(l->argv[i], "port") &&
		    i + 1 < l->argc)
			add_port(n, l->argv[i + 1], strlen(l->argv[i + 1]));
		else if (matches(obj, "flow"))
			flow_ports(n, l->argv[i]);
	}
}

static bool concerns(const struct line_names *n, const char *dev)
{
	unsigned int i;

	for (i = 0; i < n->nports; i++)
		if (!strcmp(n->ports[i], dev))
			return true;
	return false;
}

static bool dev_exists(const char *name)
{
	return if_nametoindex(name) != 0;
}

/*
 * Whether to run a line now: false (with a note) if an interface it needs
 * is absent, false (quietly) if it is already in effect.
 */
static bool runnable(const struct conf_line *l, const struct line_names *n)
{
	const char *obj = l->argv[0], *cmd = l->argv[1];
	struct link_info li, sw;
	unsigned int i;

	if (matches(obj, "switch") && matches(cmd, "add")) {
		if (!dev_exists(n->sw))
			return true;
		if (link_get(n->sw, 0, &li) || strcmp(li.kind, "vsw"))
			return true;	/* let the command say what is wrong */
		return false;
	}
	if (n->sw && !dev_exists(n->sw)) {
		note("skipped: no device \"%s\"", n->sw);
		return false;
	}
	for (i = 0; i < n->nports; i++) {
		if (!dev_exists(n->ports[i])) {
			note("skipped: no device \"%s\"", n->ports[i]);
			return false;
		}
	}
	if (matches(obj, "port") && matches(cmd, "add") && n->nports &&
	    !link_get(n->ports[0], 0, &li) && li.master &&
	    !link_get(n->sw, 0, &sw) && sw.ifindex == li.master)
		return false;	/* already a port of that switch */
	return true;
}

static void free_lines(struct conf_line *lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(lines[i].argv);
		free(lines[i].text);
	}
	free(lines);
}

/*
 * Read and split FILE; -1 (reported) if it cannot be read. A line that
 * cannot be split (a quote left open) is kept unsplit, argc -1, for
 * check_conf() to report in line order.
 */
static int read_conf(const char *file, struct conf_line **out_lines,
		     size_t *out_n)
{
	FILE *f = fopen(file, "r");
	struct conf_line *lines = NULL;
	char *buf = NULL, *words[BATCH_MAXARGS];
	size_t cap = 0, n = 0;
	unsigned int lineno = 0;
	int ret = 0;

	if (!f)
		return err("cannot open configuration file \"%s\": %s", file,
			   strerror(errno));
	while (getline(&buf, &cap, f) >= 0) {
		struct conf_line *l, *nl;
		char *raw = strdup(buf);
		int argc;

		if (!raw) {
			ret = err("out of memory");
			break;
		}
		++lineno;
		opt.check = true;	/* quiet: check_conf() reports it */
		argc = split_line(buf, words);
		opt.check = false;
		if (argc < 0) {
			free(buf);
			buf = raw;
		} else {
			free(raw);
		}
		if (!argc)
			continue;
		nl = realloc(lines, (n + 1) * sizeof(*lines));
		if (!nl) {
			ret = err("out of memory");
			break;
		}
		lines = nl;
		l = &lines[n];
		l->lineno = lineno;
		l->argc = argc;
		l->text = buf;		/* words point into it */
		l->argv = calloc(argc > 0 ? argc + 1 : 1, sizeof(char *));
		if (!l->argv) {
			ret = err("out of memory");
			break;
		}
		n++;
		if (argc > 0)
			memcpy(l->argv, words, argc * sizeof(char *));
		buf = NULL;
		cap = 0;
	}
	if (!ret && ferror(f))
		ret = err("cannot read configuration file \"%s\": %s", file,
			  strerror(errno));
	free(buf);
	fclose(f);
	if (ret) {
		free_lines(lines, n);
		return -1;
	}
	*out_lines = lines;
	*out_n = n;
	return 0;
}

/*
 * Syntax check of every line: the commands run with opt.check set, so they
 * parse everything and fail (quietly) where they would first talk to the
 * kernel; a failure with want_usage set is a syntax error.
 */
static int check_conf(const char *file, struct conf_line *lines, size_t n)
{
	char *words[BATCH_MAXARGS];
	size_t i;
	int bad = 0;

	opt.check = true;
	for (i = 0; i < n; i++) {
		struct conf_line *l = &lines[i];

		snprintf(err_prefix, sizeof(err_prefix), "%s:%u: ", file,
			 l->lineno);
		if (l->argc < 0) {	/* split it again, for the message */
			opt.check = false;
			split_line(l->text, words);
			opt.check = true;
			bad++;
			continue;
		}
		if (!conf_cmd(l)) {
			usage_err("\"%s%s%s\" is not a configuration command (switch, port, fdb, flow: add, set, del, flush; cache flush)",
				  l->argv[0], l->argc > 1 ? " " : "",
				  l->argc > 1 ? l->argv[1] : "");
			bad++;
			continue;
		}
		want_usage = false;
		if (do_cmd(l->argc, l->argv) && want_usage)
			bad++;
	}
	opt.check = false;
	err_prefix[0] = '\0';
	if (bad)
		return err("%s: %d syntax error%s, nothing applied", file, bad,
			   bad > 1 ? "s" : "");
	return 0;
}

int do_apply(int argc, char **argv)
{
	const char *file = NULL, *dev = NULL;
	struct conf_line *lines = NULL;
	size_t n = 0, i;
	int failed = 0;

	if (opt.batch)
		return usage_err("apply cannot be used in a batch");
	for (; argc > 0; argc--, argv++) {
		if (matches(argv[0], "-f") || matches(argv[0], "file")) {
			NEXT_ARG();
			file = argv[0];
		} else if (!dev) {
			dev = argv[0];
		} else {
			return usage_err("unexpected \"%s\"", argv[0]);
		}
	}
	if (!file)
		file = getenv("VSW_CONF");
	if (!file || !*file)
		file = VSW_CONF_FILE;
	if (dev) {
		char ifname[IFNAMSIZ];

		if (parse_ifname(dev, ifname))
			return perr();
	}
	if (read_conf(file, &lines, &n))
		return -1;
	if (check_conf(file, lines, n)) {
		free_lines(lines, n);
		want_usage = false;	/* the messages say it all */
		return -1;
	}
	want_usage = false;
	for (i = 0; i < n; i++) {
		struct conf_line *l = &lines[i];
		struct line_names names;

		line_names(l, &names);
		if (dev && !concerns(&names, dev))
			continue;
		snprintf(err_prefix, sizeof(err_prefix), "%s:%u: ", file,
			 l->lineno);
		if (!runnable(l, &names))
			continue;
		if (do_cmd(l->argc, l->argv))
			failed++;
	}
	err_prefix[0] = '\0';
	want_usage = false;
	free_lines(lines, n);
	if (failed)
		return err("%s: %d line%s failed", file, failed,
			   failed > 1 ? "s" : "");
	return 0;
}
