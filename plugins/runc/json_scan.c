// SPDX-License-Identifier: Apache-2.0
/* A streaming JSON reader for runtime state files; see json_scan.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_scan.h"

#define JS_WINDOW	(64u << 10)

void js_init_mem(struct jscan *s, const char *text, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->p = text;
	s->end = text + len;
	s->line = 1;
}

int js_init_fd(struct jscan *s, int fd, uint64_t max_total)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->max_total = max_total;
	s->line = 1;
	s->buf = malloc(JS_WINDOW);
	if (!s->buf)
		return -ENOMEM;
	s->p = s->end = s->buf;
	return 0;
}

void js_fini(struct jscan *s)
{
	free(s->buf);
	s->buf = NULL;
}

void js_str_free(struct js_str *str)
{
	free(str->s);
	str->s = NULL;
	str->len = str->cap = 0;
}

static int fail(struct jscan *s, int err, const char *why)
{
	if (!s->err) {
		s->err = err;
		snprintf(s->why, sizeof(s->why), "%s", why);
	}
	return s->err;
}

/* More input in the window; false at the end (or on a read error). */
static bool refill(struct jscan *s)
{
	ssize_t n;

	if (s->fd < 0 || s->err)
		return false;
	do {
		n = read(s->fd, s->buf, JS_WINDOW);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		fail(s, -errno, "read error");
		return false;
	}
	s->read_total += (uint64_t)n;
	if (s->max_total && s->read_total > s->max_total) {
		fail(s, -EFBIG, "file too large");
		return false;
	}
	s->p = s->buf;
	s->end = s->buf + n;
	return n > 0;
}

static int peek_ch(struct jscan *s)
{
	if (s->p == s->end && !refill(s))
		return -1;
	return (unsigned char)*s->p;
}

static int next_ch(struct jscan *s)
{
	int c = peek_ch(s);

	if (c >= 0) {
		s->p++;
		s->line += c == '\n';
	}
	return c;
}

static int skip_ws(struct jscan *s)
{
	int c;

	while ((c = peek_ch(s)) == ' ' || c == '\t' || c == '\n' || c == '\r')
		next_ch(s);
	return c;
}

static int expect(struct jscan *s, int want, const char *why)
{
	if (s->err)
		return s->err;
	if (skip_ws(s) != want)
		return fail(s, -EINVAL, why);
	next_ch(s);
	return 0;
}

int js_peek(struct jscan *s)
{
	int c;

	if (s->err)
		return 0;
	c = skip_ws(s);
	if (c == '-' || (c >= '0' && c <= '9'))
		return '0';
	return c == '{' || c == '[' || c == '"' || c == 't' || c == 'f' || c == 'n' ? c : 0;
}

static int open_level(struct jscan *s, int ch, const char *why)
{
	struct js_level *l = &s->lv;
	int err = expect(s, ch, why);

	if (err)
		return err;
	if (l->depth == JS_MAX_DEPTH)
		return fail(s, -EINVAL, "nested too deep");
	l->first[++l->depth] = true;
	return 0;
}

/* Before a member: the closing character (returns 0, level closed), or a
 * comma unless it is the first (returns 1). */
static int member(struct jscan *s, int close)
{
	struct js_level *l = &s->lv;
	int c;

	if (s->err)
		return s->err;
	c = skip_ws(s);
	if (c == close) {
		next_ch(s);
		l->depth--;
		return 0;
	}
	if (!l->first[l->depth] && expect(s, ',', "',' expected"))
		return s->err;
	l->first[l->depth] = false;
	return 1;
}

int js_obj_begin(struct jscan *s)
{
	return open_level(s, '{', "'{' expected");
}

int js_obj_next(struct jscan *s, struct js_str *key)
{
	int r = member(s, '}');

	if (r <= 0)
		return r;
	if (skip_ws(s) != '"')
		return fail(s, -EINVAL, "'\"' expected (an object key)");
	if (js_string(s, key) || expect(s, ':', "':' expected"))
		return s->err;
	return 1;
}

int js_arr_begin(struct jscan *s)
{
	return open_level(s, '[', "'[' expected");
}

int js_arr_next(struct jscan *s)
{
	return member(s, ']');
}

static void put(struct js_str *out, const char *p, size_t n)
{
	char *grown;
	size_t cap;

	if (!out)
		return;
	if (out->len + n > out->max) {
		out->truncated = true;
		n = out->len < out->max ? out->max - out->len : 0;
	}
	if (out->len + n + 1 > out->cap) {
		cap = out->cap ? out->cap : 64;
		while (cap < out->len + n + 1)
			cap *= 2;
		grown = realloc(out->s, cap);
		if (!grown) {
			out->truncated = true;
			return;
		}
		out->s = grown;
		out->cap = cap;
	}
	memcpy(out->s + out->len, p, n);
	out->len += n;
	out->s[out->len] = '\0';
}

static int hex4(struct jscan *s, unsigned int *cp)
{
	*cp = 0;
	for (int i = 0; i < 4; i++) {
		int c = next_ch(s);

		if (c >= '0' && c <= '9')
			*cp = *cp << 4 | (unsigned int)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*cp = *cp << 4 | (unsigned int)((c | 0x20) - 'a' + 10);
		else
			return fail(s, -EINVAL, "bad \\u escape");
	}
	return 0;
}

static int escape(struct jscan *s, struct js_str *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	unsigned int cp, lo;
	const char *at;
	char u[4];
	int c = next_ch(s);

	if (c > 0 && c != 'u' && (at = strchr(from, c))) {
		put(out, &to[at - from], 1);
		return 0;
	}
	if (c != 'u' || hex4(s, &cp))
		return fail(s, -EINVAL, "bad escape in a string");
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(s, -EINVAL, "lone UTF-16 low surrogate");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (next_ch(s) != '\\' || next_ch(s) != 'u' || hex4(s, &lo) ||
		    lo < 0xdc00 || lo > 0xdfff)
			return fail(s, -EINVAL, "lone UTF-16 high surrogate");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (cp < 0x80) {
		u[0] = (char)cp;
		put(out, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		put(out, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		put(out, u, 3);
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		put(out, u, 4);
	}
	return 0;
}

int js_string(struct jscan *s, struct js_str *out)
{
	int c;

	if (out) {
		out->len = 0;
		out->truncated = false;
		put(out, "", 0);
	}
	if (expect(s, '"', "'\"' expected"))
		return s->err;
	for (;;) {
		const char *run = s->p;

		/* Plain bytes of the window in one go. */
		while (s->p < s->end && *s->p != '"' && *s->p != '\\' &&
		       (unsigned char)*s->p >= 0x20)
			s->p++;
		put(out, run, (size_t)(s->p - run));
		c = next_ch(s);
		if (c == '"')
			return 0;
		if (c == '\\') {
			if (escape(s, out))
				return s->err;
			continue;
		}
		if (c < 0)
			return fail(s, -EINVAL, "unterminated string");
		if (c < 0x20)
			return fail(s, -EINVAL, "control character in a string");
		/* c was the first byte of a new window: keep it. */
		put(out, (const char *)&(char){ (char)c }, 1);
	}
}

static bool digit(int c)
{
	return c >= '0' && c <= '9';
}

int js_int(struct jscan *s, int64_t *v, bool *is_int)
{
	char num[24];
	size_t n = 0;
	bool plain = true;
	int c;

	*v = 0;
	*is_int = false;
	if (s->err)
		return s->err;
	c = skip_ws(s);
	/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
	if (c == '-')
		num[n++] = (char)next_ch(s);
	c = peek_ch(s);
	if (!digit(c))
		return fail(s, -EINVAL, "a number expected");
	if (c == '0') {
		num[n++] = (char)next_ch(s);
	} else {
		while (digit(peek_ch(s))) {
			c = next_ch(s);
			if (n < sizeof(num) - 1)
				num[n++] = (char)c;
			else
				plain = false;
		}
	}
	if (peek_ch(s) == '.') {
		plain = false;
		next_ch(s);
		if (!digit(peek_ch(s)))
			return fail(s, -EINVAL, "bad number");
		while (digit(peek_ch(s)))
			next_ch(s);
	}
	if (peek_ch(s) == 'e' || peek_ch(s) == 'E') {
		plain = false;
		next_ch(s);
		if (peek_ch(s) == '+' || peek_ch(s) == '-')
			next_ch(s);
		if (!digit(peek_ch(s)))
			return fail(s, -EINVAL, "bad number");
		while (digit(peek_ch(s)))
			next_ch(s);
	}
	if (!plain)
		return 0;
	num[n] = '\0';
	errno = 0;
	*v = strtoll(num, NULL, 10);
	*is_int = !errno;
	if (!*is_int)
		*v = 0;
	return 0;
}

static int literal(struct jscan *s, const char *word)
{
	for (const char *w = word; *w; w++)
		if (next_ch(s) != *w)
			return fail(s, -EINVAL, "bad literal");
	return 0;
}

int js_skip(struct jscan *s)
{
	int64_t v;
	bool is_int;
	int r;

	switch (js_peek(s)) {
	case '{':
		if (js_obj_begin(s))
			return s->err;
		while ((r = js_obj_next(s, NULL)) > 0)
			if (js_skip(s))
				return s->err;
		return r;
	case '[':
		if (js_arr_begin(s))
			return s->err;
		while ((r = js_arr_next(s)) > 0)
			if (js_skip(s))
				return s->err;
		return r;
	case '"':
		return js_string(s, NULL);
	case '0':
		return js_int(s, &v, &is_int);
	case 't':
		return literal(s, "true");
	case 'f':
		return literal(s, "false");
	case 'n':
		return literal(s, "null");
	}
	return s->err ? s->err : fail(s, -EINVAL, peek_ch(s) < 0 ? "unexpected end of input" :
				      "a value expected");
}

int js_end(struct jscan *s)
{
	if (s->err)
		return s->err;
	return skip_ws(s) < 0 && !s->err ? 0 : fail(s, -EINVAL, "text after the document");
}
