/* SPDX-License-Identifier: GPL-2.0 */
/* Tiny KTAP-style test helpers for the vswctl host tests. */
#ifndef VSWCTL_KTEST_H
#define VSWCTL_KTEST_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int kt_count, kt_failed;

static void __attribute__((format(printf, 2, 3)))
kt_check(int ok, const char *fmt, ...)
{
	va_list ap;

	kt_count++;
	if (!ok)
		kt_failed++;
	printf("%sok %d ", ok ? "" : "not ", kt_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Compare strings, printing both on mismatch. */
static void kt_streq(const char *got, const char *want, const char *name)
{
	int ok = got && want ? !strcmp(got, want) : got == want;

	kt_check(ok, "%s", name);
	if (!ok)
		printf("#   got:  %s\n#   want: %s\n", got ? got : "(null)",
		       want ? want : "(null)");
}

static void kt_begin(const char *suite)
{
	printf("KTAP version 1\n# Subtest: %s\n", suite);
}

static int kt_end(const char *suite)
{
	printf("1..%d\n# %s: %d passed, %d failed\n", kt_count, suite,
	       kt_count - kt_failed, kt_failed);
	return kt_failed ? 1 : 0;
}

#endif
