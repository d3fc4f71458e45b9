// SPDX-License-Identifier: GPL-2.0
/*
 * vswctl: configure vsw virtual switches (main, options, dispatch, batch
 * mode and the helpers shared by the command files).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "vswctl.h"

#ifndef VSWCTL_VERSION
#define VSWCTL_VERSION "1.0"
#endif

/* ------------------------------------------------------------------ */
/* Usage, dispatch, batch */

static const struct {
	const char *obj;	/* NULL: general lines */
	const char *text;
} usage_lines[] = {
	{ NULL, "vswctl [-j] [-p] [-s] [-n NETNS] [-b FILE] OBJECT COMMAND ..." },
	{ "switch", "vswctl switch add NAME | del NAME | show [NAME]" },
	{ "switch", "vswctl switch set NAME [ageing SECS] [max-macs N] [cache-size N]\n"
		    "                           [default-port PORT-OPTIONS...]" },
	{ "port", "vswctl port add SWITCH DEV | del DEV | show [DEV]" },
	{ "port", "vswctl port set DEV [mode access|trunk|native-untagged|native-tagged|dot1q-tunnel]\n"
		  "                           [tag VID] [trunks all|none|LIST] [cvlans all|LIST]\n"
		  "                           [learning on|off] [flood on|off] [bcast-flood on|off]\n"
		  "                           [mcast-flood on|off] [isolated on|off] [max-macs N]\n"
		  "                           [priority-tags never|if-nonzero|always]\n"
		  "                           [qinq-ethtype 802.1ad|802.1q]\n"
		  "                           [sample-rate N] [sample-group G]\n"
		  "                           [storm-bcast PPS] [storm-mcast PPS] [storm-unknown PPS]" },
	{ "fdb", "vswctl fdb show [SWITCH] [port DEV] [vlan VID]" },
	{ "fdb", "vswctl fdb add SWITCH MAC vlan VID port DEV" },
	{ "fdb", "vswctl fdb del SWITCH MAC vlan VID" },
	{ "fdb", "vswctl fdb flush SWITCH [port DEV] [vlan VID]" },
	{ "flow", "vswctl flow add SWITCH [priority N] [MATCH] actions=ACTIONS" },
	{ "flow", "vswctl flow del SWITCH [priority N] [MATCH]" },
	{ "flow", "vswctl flow flush SWITCH | flow show SWITCH" },
	{ "cache", "vswctl cache show SWITCH | cache flush SWITCH" },
	{ "vlan", "vswctl vlan show [SWITCH] | vlan stats SWITCH" },
	{ "monitor", "vswctl monitor [SWITCH]" },
	{ "apply", "vswctl apply [-f FILE] [DEV]" },
	{ "save", "vswctl save [SWITCH]" },
	{ "help", "vswctl help" },
};

static const char usage_tail[] =
"Options: -j JSON output, -p pretty JSON, -s statistics,\n"
"         -n NETNS run in /run/netns/NETNS, -b FILE read commands from FILE\n"
"LIST:    VIDs and ranges, e.g. 10,20,100-199\n"
"MATCH:   in_port=DEV,dl_src=MAC[/MASK],dl_dst=MAC[/MASK],dl_vlan=VID|none,\n"
"         dl_vlan_pcp=N,dl_type=0xNNNN,nw_src=IP[/LEN],nw_dst=IP[/LEN],\n"
"         nw_proto=N,nw_tos=N,tp_src=N,tp_dst=N,ipv6_src=IP6[/LEN],\n"
"         ipv6_dst=IP6[/LEN],arp_op=N; ip arp ipv6 tcp udp icmp\n"
"ACTIONS: normal drop flood output:DEV mod_vlan_vid:VID strip_vlan\n"
"         push_vlan:0x8100|0x88a8\n"
"See vswctl(8).\n";

/* The whole usage, or only the lines of one object. */
static void usage(FILE *f, const char *obj)
{
	bool first = true;
	size_t i;

	for (i = 0; i < sizeof(usage_lines) / sizeof(usage_lines[0]); i++) {
		if (obj && (!usage_lines[i].obj || strcmp(obj, usage_lines[i].obj)))
			continue;
		fprintf(f, "%s%s\n", first ? "Usage: " : "       ",
			usage_lines[i].text);
		first = false;
	}
	if (!obj)
		fputs(usage_tail, f);
	else if (!strcmp(obj, "flow"))
		fputs(strstr(usage_tail, "MATCH:"), f);
	else if (!strcmp(obj, "port"))
		fprintf(f, "LIST:    VIDs and ranges, e.g. 10,20,100-199\n");
}

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(out, NULL);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} objects[] = {
	{ "switch", do_switch },
	{ "port", do_port },
	{ "fdb", do_fdb },
	{ "flow", do_flow },
	{ "cache", do_cache },
	{ "vlan", do_vlan },
	{ "monitor", do_monitor },
	{ "apply", do_apply },
	{ "save", do_save },
	{ "help", do_help },
};

static const char *cur_obj;	/* object of the failed command, for usage */

int do_cmd(int argc, char **argv)
{
	size_t i;

	cur_obj = NULL;
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		if (matches(argv[0], objects[i].name)) {
			cur_obj = objects[i].name;
			return objects[i].fn(argc - 1, argv + 1);
		}
	}
	return usage_err("unknown object \"%s\"", argv[0]);
}

/* Split a batch line into words; "..." and '...' quote, # starts a comment. */
int split_line(char *p, char **argv)
{
	int argc = 0;

	for (;;) {
		char *dst, q = 0;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			return argc;
		if (argc == BATCH_MAXARGS)
			return err("too many words (at most %d)", BATCH_MAXARGS);
		argv[argc++] = dst = p;
		while (*p && (q || !isspace((unsigned char)*p))) {
			if (q && *p == q)
				q = 0;
			else if (!q && (*p == '"' || *p == '\''))
				q = *p;
			else
				*dst++ = *p;
			p++;
		}
		if (q)
			return err("unterminated quote");
		if (*p)
			p++;
		*dst = '\0';
	}
}

static int do_batch(const char *name)
{
	FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	char *line = NULL, *argv[BATCH_MAXARGS];
	size_t cap = 0;
	unsigned int lineno = 0;
	int ret = 0, argc;

	if (!f)
		return err("cannot open batch file \"%s\": %s", name,
			   strerror(errno));
	while (!ret && getline(&line, &cap, f) >= 0) {
		snprintf(err_prefix, sizeof(err_prefix), "%s:%u: ", name,
			 ++lineno);
		argc = split_line(line, argv);
		if (argc > 0)
			ret = do_cmd(argc, argv);
		else if (argc < 0)
			ret = -1;
	}
	if (!ret && ferror(f))
		ret = err("cannot read batch file \"%s\": %s", name,
			  strerror(errno));
	err_prefix[0] = '\0';
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

static int netns_enter(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err("cannot open network namespace \"%s\": %s", name,
			   strerror(errno));
	if (setns(fd, CLONE_NEWNET)) {
		err("cannot enter network namespace \"%s\": %s", name,
		    strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "stats", no_argument, NULL, 's' },
		{ "netns", required_argument, NULL, 'n' },
		{ "batch", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret;

	out = stdout;
	while ((c = getopt_long(argc, argv, "+jpsn:b:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opt.json = true;
			break;
		case 'p':
			opt.json = opt.pretty = true;
			break;
		case 's':
			opt.stats = true;
			break;
		case 'n':
			opt.netns = optarg;
			break;
		case 'b':
			opt.batch = optarg;
			break;
		case 'h':
			usage(stdout, NULL);
			return 0;
		case 'V':
			printf("vswctl %s\n", VSWCTL_VERSION);
			return 0;
		default:
			usage(stderr, NULL);
			return 1;
		}
	}
	if (opt.netns && netns_enter(opt.netns))
		return 1;
	if (opt.batch && optind < argc)
		ret = usage_err("unexpected \"%s\" after -b FILE", argv[optind]);
	else if (opt.batch)
		ret = do_batch(opt.batch);
	else if (optind < argc)
		ret = do_cmd(argc - optind, argv + optind);
	else
		ret = usage_err("missing OBJECT");
	if (ret && want_usage && !opt.batch)
		usage(stderr, cur_obj);
	sockets_close();
	if (fflush(stdout) || ferror(stdout))
		ret = err("cannot write output: %s", strerror(errno));
	return ret ? 1 : 0;
}
