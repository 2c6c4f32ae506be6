// SPDX-License-Identifier: Apache-2.0
/*
 * Table output, like Inspektor Gadget's: upper-case headers printed once,
 * columns of the field's width (16 by default) separated by one space.
 *
 * On a terminal the widths are shrunk proportionally to fit its width and a
 * value longer than its column ends in "…". Piped, nothing is ever cut: a
 * long value pushes the rest of its row right instead, so scripts and grep
 * see the whole value.
 */
#include <errno.h>

#include "output_int.h"

#define ELLIPSIS	"\xe2\x80\xa6"	/* U+2026 */

/* Shrink the columns (and the one-space separators) into term_width. */
static void fit_to_terminal(struct ig_output *o)
{
	size_t i, n = o->nr_cols;
	uint64_t sum = 0, avail;

	if (o->opts.term_width <= 0)
		return;
	for (i = 0; i < n; i++)
		sum += o->cols[i].width;
	if (sum + (n - 1) <= (uint64_t)o->opts.term_width)
		return;
	avail = (uint64_t)o->opts.term_width > n - 1 ? o->opts.term_width - (n - 1) : 0;
	for (i = 0; i < n; i++) {
		uint64_t w = o->cols[i].width * avail / sum;

		o->cols[i].width = w ? (unsigned int)w : 1;
	}
}

int table_setup(struct ig_output *o)
{
	if (o->opts.tty)
		fit_to_terminal(o);
	return 0;
}

static size_t count_chars(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

/* Byte offset just past the first k characters of s. */
static size_t chars_offset(const char *s, size_t n, size_t k)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (!k)
				return i;
			k--;
		}
	}
	return n;
}

static void pad(struct obuf *b, size_t k)
{
	static const char spaces[] = "                                ";

	while (k) {
		size_t m = k < sizeof(spaces) - 1 ? k : sizeof(spaces) - 1;

		obuf_put(b, spaces, m);
		k -= m;
	}
}

static int put_cell(struct ig_output *o, const struct ig_col *c, const char *s, size_t n,
		    bool last)
{
	struct obuf *b = &o->ob;
	size_t chars, w = c->width;
	int err;

	/* control characters would break the row, bad UTF-8 the terminal */
	err = sbuf_set_utf8(&o->cell, s, n, '?');
	if (err)
		return err;
	s = o->cell.s;
	n = o->cell.len;
	chars = count_chars(s, n);
	if (o->opts.tty && chars > w) {
		n = chars_offset(s, n, w - 1);
		obuf_put(b, s, n);
		obuf_put(b, ELLIPSIS, sizeof(ELLIPSIS) - 1);
		chars = w;
	} else if (c->f->align == IG_ALIGN_RIGHT && chars < w) {
		pad(b, w - chars);
		chars = w;
		obuf_put(b, s, n);
	} else {
		obuf_put(b, s, n);
	}
	if (!last && chars < w)
		pad(b, w - chars);
	obuf_putc(b, last ? '\n' : ' ');
	return 0;
}

static int put_header(struct ig_output *o)
{
	size_t i;
	int err = 0;

	for (i = 0; i < o->nr_cols && !err; i++) {
		const struct ig_col *c = &o->cols[i];

		err = put_cell(o, c, c->header, strlen(c->header), i + 1 == o->nr_cols);
	}
	return err;
}

int table_record(struct ig_output *o, const struct ig_value *vals)
{
	size_t i;
	int err = 0;

	if (!o->header_done) {
		err = put_header(o);
		if (err)
			return err;
		o->header_done = true;
	}
	for (i = 0; i < o->nr_cols && !err; i++) {
		const struct ig_col *c = &o->cols[i];
		const struct ig_value *v = &vals[c->idx];
		const char *s = "";
		int n = 0;

		if (v->flags & IG_VALUE_SET)
			n = value_text(o, c, v, &s);
		if (n < 0)
			return n;
		err = put_cell(o, c, s, n, i + 1 == o->nr_cols);
	}
	return err;
}
