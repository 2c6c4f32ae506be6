/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals shared by the formatters in output/: the buffered writer, the
 * column selection and layout, and the per-format entry points. Nothing
 * outside output/ includes this.
 */
#ifndef IG_OUTPUT_INT_H
#define IG_OUTPUT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "output.h"

#define IG_OUT_DEFAULT_WIDTH	16
#define OBUF_CAP		(64 * 1024)
/* Flush to the FILE once a record leaves the buffer at least this full. */
#define OBUF_HIGH		(OBUF_CAP / 2)

/*
 * Our own output buffer in front of the FILE: one memcpy per fragment and no
 * locking per byte. Errors are sticky: after a failed write the buffer keeps
 * accepting (and discarding) bytes so hot paths need not check every put;
 * callers look at err once per record.
 */
struct obuf {
	FILE *out;
	int (*write)(void *arg, const void *p, size_t n);	/* instead of out */
	void *write_arg;
	char *buf;
	size_t len;
	size_t cap;
	int err;		/* 0 or the first -errno a write returned */
};

int obuf_init(struct obuf *b, const struct ig_output_opts *opts);
void obuf_fini(struct obuf *b);
/* Write the buffer to the FILE and fflush it. Returns b->err. */
int obuf_flush(struct obuf *b);
void obuf_put_slow(struct obuf *b, const void *p, size_t n);

static inline void obuf_put(struct obuf *b, const void *p, size_t n)
{
	if (__builtin_expect(b->cap - b->len < n, 0)) {
		obuf_put_slow(b, p, n);
		return;
	}
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static inline void obuf_putc(struct obuf *b, char c)
{
	if (__builtin_expect(b->len == b->cap, 0)) {
		obuf_put_slow(b, &c, 1);
		return;
	}
	b->buf[b->len++] = c;
}

/* Room for n (small, <= OBUF_CAP) bytes at the end; commit with b->len += k. */
static inline char *obuf_room(struct obuf *b, size_t n)
{
	if (__builtin_expect(b->cap - b->len < n, 0))
		obuf_flush(b);
	if (b->err)
		b->len = 0;	/* discard: the reader is gone */
	return b->buf + b->len;
}

/* ---- text helpers (fmt.c) */

/* Decimal digits of u into p (>= 20 bytes); returns the length. */
size_t fmt_u64(char *p, uint64_t u);
size_t fmt_i64(char *p, int64_t i);
/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid. */
size_t utf8_seq_len(const unsigned char *s, size_t n);
/* The k-byte UTF-8 sequence at s (k from utf8_seq_len) is a C1 control,
 * U+0080..U+009F: terminals may obey those as escape sequences. */
static inline bool utf8_is_c1(const unsigned char *s, size_t k)
{
	return k == 2 && s[0] == 0xc2 && s[1] < 0xa0;
}
/* A JSON string literal, quotes included: control characters (C0, DEL, C1)
 * escaped, invalid UTF-8 bytes replaced by U+FFFD. */
void json_put_str(struct obuf *b, const char *s, size_t n);

/* A growable scratch string. */
struct sbuf {
	char *s;
	size_t len;
	size_t cap;
};

int sbuf_put(struct sbuf *sb, const void *p, size_t n);
static inline int sbuf_puts(struct sbuf *sb, const char *s)
{
	return sbuf_put(sb, s, strlen(s));
}
/* Copy s into sb (reset first) as valid UTF-8: invalid bytes become U+FFFD;
 * when ctl_repl is not 0, C0 controls and DEL become that character. */
int sbuf_set_utf8(struct sbuf *sb, const char *s, size_t n, char ctl_repl);

/* ---- time (timefmt.c) */

#define TS_LEN	30	/* "2026-11-29T03:24:42.123456789Z" */

/* Wall-clock ns since the epoch -> TS_LEN chars (no NUL). Keeps the formatted
 * date and time of the last second seen in *cache_sec / cache (19 chars). */
void ts_format_cached(char *p, int64_t wall_ns, int64_t *cache_sec, char *cache);

/* ---- columns and layout (fields.c) */

/* One selected field. */
struct ig_col {
	const struct ig_field *f;
	size_t idx;			/* index into the record's values */
	const char *key;		/* last dotted component of the name */
	char header[64];		/* table header (upper case) */
	unsigned int width;		/* table width, after tty fitting */
	const char **enum_direct;	/* value -> name for small enum values */
	uint64_t enum_direct_n;
};

/*
 * Nesting of dotted names, in order of first appearance: node 0 is the root
 * object; a node is either an object (col < 0) or a leaf (a column).
 */
struct lnode {
	const char *name;
	size_t namelen;
	int col;
	int first_child;
	int next_sibling;
};

/* One value slot of the precompiled JSON: the text before it, then a value. */
struct jslot {
	char *pre;
	size_t prelen;
	int col;
};

struct yaml_emitter_s;

struct ig_output {
	struct ig_output_opts opts;
	const struct ig_field *fields;
	size_t nr_fields;

	struct ig_col *cols;
	size_t nr_cols;
	struct lnode *nodes;
	size_t nr_nodes;

	struct obuf ob;
	struct sbuf tmp;		/* scratch for one value */

	/* json / jsonpretty */
	struct jslot *slots;
	size_t nr_slots;
	char *jtail;
	size_t jtaillen;

	/* table */
	bool header_done;
	struct sbuf cell;		/* one cell, sanitised */

	/* yaml (records, and documents in every format but json) */
	struct yaml_emitter_s *ye;
	bool ye_started;

	int64_t ts_sec;
	char ts_cache[20];
};

int cols_select(struct ig_output *o, const char *spec, char *err, size_t errlen);
int layout_build(struct ig_output *o, char *err, size_t errlen);

/* Text of a non-null value for table and yaml: either points into the value
 * (strings) or into o->tmp. Returns the length, or -ENOMEM. */
int value_text(struct ig_output *o, const struct ig_col *c, const struct ig_value *v,
	       const char **s);
const char *enum_name(const struct ig_col *c, uint64_t v);

/* ---- formats */
int table_setup(struct ig_output *o);
int table_record(struct ig_output *o, const struct ig_value *vals);

int json_setup(struct ig_output *o, bool pretty);
int json_record(struct ig_output *o, const struct ig_value *vals);
int json_document(struct ig_output *o, const void *doc, bool pretty);
void json_cleanup(struct ig_output *o);

int yaml_record(struct ig_output *o, const struct ig_value *vals);
int yaml_document(struct ig_output *o, const void *doc);
void yaml_cleanup(struct ig_output *o);
/* Would this plain scalar read back as something other than a string? */
bool yaml_plain_is_special(const char *s, size_t n);

#endif /* IG_OUTPUT_INT_H */
