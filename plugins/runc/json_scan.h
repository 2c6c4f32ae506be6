/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A streaming JSON reader for runtime state files (internal to the runc
 * plugin): reads from memory or from a file descriptor in 64 KiB steps, keeps
 * only what the caller asks for and skips the rest without storing it. A
 * state.json of many MiB (runc copies the whole OCI config into it) costs a
 * fixed buffer, and reading can stop as soon as the caller knows enough (a
 * stopped container's pid is near the start).
 *
 * Untrusted input: nesting is bounded (JS_MAX_DEPTH), strings kept are
 * bounded by the caller, \u0000 is accepted and kept (callers cut at it),
 * invalid escapes, bad UTF-16 surrogates, numbers out of range and anything
 * after the document are errors.
 */
#ifndef IG_PLUGIN_RUNC_JSON_SCAN_H
#define IG_PLUGIN_RUNC_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JS_MAX_DEPTH	256

/* Containers nest: depth, and whether the next member is the first. */
struct js_level {
	int depth;
	bool first[JS_MAX_DEPTH + 1];
};

struct jscan {
	int fd;			/* -1: memory only */
	const char *p, *end;	/* unread input */
	char *buf;		/* fd mode: the window */
	uint64_t read_total;	/* bytes read from fd so far */
	uint64_t max_total;	/* refuse inputs longer than this (fd mode) */
	int err;		/* first error, sticky (-EINVAL, -EFBIG, -errno) */
	char why[96];		/* what was wrong */
	uint64_t line;		/* of the error, 1-based */
	struct js_level lv;
};

/* Scan len bytes of text, or read fd (not closed) up to max_total bytes. */
void js_init_mem(struct jscan *s, const char *text, size_t len);
int js_init_fd(struct jscan *s, int fd, uint64_t max_total);
void js_fini(struct jscan *s);

/* A growable string the scanner decodes into. */
struct js_str {
	char *s;		/* NUL-terminated; may hold NULs (len counts them) */
	size_t len, cap;
	size_t max;		/* keep at most this many bytes */
	bool truncated;		/* more was there */
};

/* Next value's kind without consuming it: '{', '[', '"', 'n'umber, 't',
 * 'f', 'n'ull as the JSON text starts, 0 at the end or on error. */
int js_peek(struct jscan *s);

/* Objects: js_obj_begin() consumes '{'; js_obj_next() reads the next key into
 * key (NULL: skip it) and its ':' and returns 1, or consumes '}' and returns
 * 0; <0 on error. Arrays alike, js_arr_next() returning 1 before each
 * element. */
int js_obj_begin(struct jscan *s);
int js_obj_next(struct jscan *s, struct js_str *key);
int js_arr_begin(struct jscan *s);
int js_arr_next(struct jscan *s);

/* One value: a string (decoded into out, or skipped when out is NULL), an
 * integer (*is_int false for a fraction, exponent or out of int64 range),
 * or any value skipped. 0 or -errno (-EINVAL also for the wrong kind). */
int js_string(struct jscan *s, struct js_str *out);
int js_int(struct jscan *s, int64_t *v, bool *is_int);
int js_skip(struct jscan *s);

/* After the top-level value: only white space may follow. */
int js_end(struct jscan *s);

void js_str_free(struct js_str *str);

#endif /* IG_PLUGIN_RUNC_JSON_SCAN_H */
