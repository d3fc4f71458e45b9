/* SPDX-License-Identifier: GPL-2.0 */
/* vswctl: aligned text tables for the human output. */
#ifndef VSWCTL_TABLE_H
#define VSWCTL_TABLE_H

#include <stdio.h>

struct table {
	unsigned int ncols;
	const char *const *hdr;		/* ncols headers */
	const int *minw;		/* ncols minimum widths */
	unsigned int nrows, cap;
	char **cells;			/* nrows * ncols */
	char **trailer;			/* per row text printed after it */
};

#define TABLE_INIT(h, w) { sizeof(h) / sizeof((h)[0]), h, w, 0, 0, NULL, NULL }

/* Append a row of t->ncols strings (copied). */
void table_row(struct table *t, ...);
/* Text printed below the last row (ownership of s is taken). */
void table_trailer(struct table *t, char *s);
/* Print (header first if there is any row) and free the rows. */
void table_print(struct table *t, FILE *f);

#endif
