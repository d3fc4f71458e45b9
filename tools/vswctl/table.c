// SPDX-License-Identifier: GPL-2.0
/* vswctl: aligned text tables. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fputs("vswctl: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	return strcpy(xrealloc(NULL, strlen(s) + 1), s);
}

void table_row(struct table *t, ...)
{
	va_list ap;
	unsigned int i;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->cells = xrealloc(t->cells, t->cap * t->ncols * sizeof(char *));
		t->trailer = xrealloc(t->trailer, t->cap * sizeof(char *));
	}
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = xstrdup(va_arg(ap, const char *));
	va_end(ap);
	t->trailer[t->nrows++] = NULL;
}

void table_trailer(struct table *t, char *s)
{
	if (!t->nrows) {
		free(s);
		return;
	}
	free(t->trailer[t->nrows - 1]);
	t->trailer[t->nrows - 1] = s;
}

static void table_line(const struct table *t, FILE *f, const int *w,
		       const char *const *cells)
{
	unsigned int i;

	for (i = 0; i + 1 < t->ncols; i++)
		fprintf(f, "%-*s", w[i], cells[i]);
	fprintf(f, "%s\n", cells[i]);
}

void table_print(struct table *t, FILE *f)
{
	int w[16] = { 0 };
	unsigned int r, i;

	for (i = 0; i < t->ncols && i < 16; i++) {
		w[i] = t->minw[i];
		if ((int)strlen(t->hdr[i]) + 2 > w[i])
			w[i] = strlen(t->hdr[i]) + 2;
		for (r = 0; r < t->nrows; r++) {
			int len = strlen(t->cells[r * t->ncols + i]) + 2;

			if (len > w[i])
				w[i] = len;
		}
	}
	if (t->nrows)
		table_line(t, f, w, t->hdr);
	for (r = 0; r < t->nrows; r++) {
		table_line(t, f, w, (const char *const *)&t->cells[r * t->ncols]);
		if (t->trailer[r])
			fputs(t->trailer[r], f);
		for (i = 0; i < t->ncols; i++)
			free(t->cells[r * t->ncols + i]);
		free(t->trailer[r]);
	}
	free(t->cells);
	free(t->trailer);
	t->cells = t->trailer = NULL;
	t->nrows = t->cap = 0;
}
