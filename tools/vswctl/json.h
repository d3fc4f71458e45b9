/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal streaming JSON writer (one document at a time). */
#ifndef VSWCTL_JSON_H
#define VSWCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Start a document on f; pretty = indented, else compact. */
void jw_start(FILE *f, bool pretty);
/* key is NULL for array elements and the top-level value. */
void jw_obj_open(const char *key);
void jw_obj_close(void);
void jw_arr_open(const char *key);
void jw_arr_close(void);
void jw_str(const char *key, const char *v);
void jw_uint(const char *key, uint64_t v);
void jw_bool(const char *key, bool v);
/* Write s as a JSON string literal (with quotes) to f. */
void json_escape(FILE *f, const char *s);

#endif
