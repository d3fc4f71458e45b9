// SPDX-License-Identifier: GPL-2.0
/* vswctl: minimal streaming JSON writer. */
#include <inttypes.h>

#include "json.h"

#define JW_DEPTH 32

static struct {
	FILE *f;
	bool pretty;
	int depth;
	bool nonempty[JW_DEPTH];
} jw;

void jw_start(FILE *f, bool pretty)
{
	jw.f = f;
	jw.pretty = pretty;
	jw.depth = 0;
	jw.nonempty[0] = false;
}

void json_escape(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(f, "\\u%04x", c);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

static void jw_indent(void)
{
	if (jw.pretty)
		fprintf(jw.f, "\n%*s", 4 * jw.depth, "");
}

/* Separator, indentation and key before a new value. */
static void jw_key(const char *key)
{
	if (jw.depth && jw.nonempty[jw.depth])
		fputc(',', jw.f);
	if (jw.depth) {
		jw.nonempty[jw.depth] = true;
		jw_indent();
	}
	if (key) {
		json_escape(jw.f, key);
		fputs(jw.pretty ? ": " : ":", jw.f);
	}
}

static void jw_open(const char *key, char c)
{
	jw_key(key);
	fputc(c, jw.f);
	if (jw.depth < JW_DEPTH - 1)
		jw.depth++;
	jw.nonempty[jw.depth] = false;
}

static void jw_close(char c)
{
	bool nonempty = jw.nonempty[jw.depth];

	if (jw.depth)
		jw.depth--;
	if (nonempty)
		jw_indent();
	fputc(c, jw.f);
	if (!jw.depth)
		fputc('\n', jw.f);
}

void jw_obj_open(const char *key)
{
	jw_open(key, '{');
}

void jw_obj_close(void)
{
	jw_close('}');
}

void jw_arr_open(const char *key)
{
	jw_open(key, '[');
}

void jw_arr_close(void)
{
	jw_close(']');
}

void jw_str(const char *key, const char *v)
{
	jw_key(key);
	json_escape(jw.f, v);
}

void jw_uint(const char *key, uint64_t v)
{
	jw_key(key);
	fprintf(jw.f, "%" PRIu64, v);
}

void jw_bool(const char *key, bool v)
{
	jw_key(key);
	fputs(v ? "true" : "false", jw.f);
}
