// SPDX-License-Identifier: Apache-2.0
/*
 * Low-level text output: the buffered writer, integer formatting, UTF-8
 * validation and JSON string escaping. These sit on the record -> JSON hot
 * path (budget: >= 1M records/s on one core), hence the tables.
 */
#include <errno.h>
#include <stdlib.h>

#include "output_int.h"

int obuf_init(struct obuf *b, const struct ig_output_opts *opts)
{
	b->out = opts->out;
	b->write = opts->write;
	b->write_arg = opts->write_arg;
	b->len = 0;
	b->err = 0;
	b->cap = OBUF_CAP;
	b->buf = malloc(b->cap);
	return b->buf ? 0 : -ENOMEM;
}

void obuf_fini(struct obuf *b)
{
	free(b->buf);
	b->buf = NULL;
}

static void obuf_write(struct obuf *b, const void *p, size_t n)
{
	if (b->err || !n)
		return;
	if (b->write) {
		b->err = b->write(b->write_arg, p, n);
		return;
	}
	errno = 0;
	if (fwrite(p, 1, n, b->out) != n || ferror(b->out))
		b->err = errno ? -errno : -EIO;
}

int obuf_flush(struct obuf *b)
{
	obuf_write(b, b->buf, b->len);
	b->len = 0;
	if (!b->err && !b->write) {
		errno = 0;
		if (fflush(b->out))
			b->err = errno ? -errno : -EIO;
	}
	return b->err;
}

void obuf_put_slow(struct obuf *b, const void *p, size_t n)
{
	obuf_write(b, b->buf, b->len);
	b->len = 0;
	if (n >= b->cap) {
		obuf_write(b, p, n);	/* too big to buffer: straight through */
		return;
	}
	memcpy(b->buf, p, n);
	b->len = n;
}

static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

size_t fmt_u64(char *p, uint64_t u)
{
	char tmp[20];
	char *e = tmp + sizeof(tmp), *q = e;
	size_t n;

	while (u >= 100) {
		unsigned int r = u % 100;

		u /= 100;
		q -= 2;
		memcpy(q, digit_pairs + 2 * r, 2);
	}
	if (u >= 10) {
		q -= 2;
		memcpy(q, digit_pairs + 2 * u, 2);
	} else {
		*--q = (char)('0' + u);
	}
	n = e - q;
	memcpy(p, q, n);
	return n;
}

size_t fmt_i64(char *p, int64_t i)
{
	if (i >= 0)
		return fmt_u64(p, i);
	*p = '-';
	/* negate in unsigned arithmetic: INT64_MIN has no positive twin */
	return 1 + fmt_u64(p + 1, -(uint64_t)i);
}

size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c < 0xc2)		/* continuation byte or overlong 2-byte lead */
		return 0;
	if (c < 0xe0)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c < 0xf0) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)		/* overlong */
			return 0;
		if (c == 0xed && s[1] >= 0xa0)		/* UTF-16 surrogate */
			return 0;
		return 3;
	}
	if (c < 0xf5) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)		/* overlong */
			return 0;
		if (c == 0xf4 && s[1] >= 0x90)		/* above U+10FFFF */
			return 0;
		return 4;
	}
	return 0;
}

/* 1 for bytes copied verbatim into a JSON string: printable ASCII but " and \ */
static const unsigned char json_plain[256] = {
	[0x20 ... 0x21] = 1,	/* '"' is 0x22 */
	[0x23 ... 0x5b] = 1,	/* '\\' is 0x5c */
	[0x5d ... 0x7e] = 1,	/* DEL is escaped */
};

static const char hexdig[] = "0123456789abcdef";

static void json_put_escape(struct obuf *b, unsigned char c)
{
	char e[6] = { '\\', 'u', '0', '0', hexdig[c >> 4], hexdig[c & 15] };

	switch (c) {
	case '"':  obuf_put(b, "\\\"", 2); return;
	case '\\': obuf_put(b, "\\\\", 2); return;
	case '\n': obuf_put(b, "\\n", 2); return;
	case '\t': obuf_put(b, "\\t", 2); return;
	case '\r': obuf_put(b, "\\r", 2); return;
	case '\b': obuf_put(b, "\\b", 2); return;
	case '\f': obuf_put(b, "\\f", 2); return;
	}
	obuf_put(b, e, sizeof(e));
}

void json_put_str(struct obuf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	obuf_putc(b, '"');
	while (i < n) {
		size_t j = i, k;

		while (j < n && json_plain[s[j]])
			j++;
		if (j > i) {
			obuf_put(b, s + i, j - i);
			i = j;
			if (i == n)
				break;
		}
		if (s[i] < 0x80) {
			json_put_escape(b, s[i]);
			i++;
			continue;
		}
		k = utf8_seq_len(s + i, n - i);
		if (utf8_is_c1(s + i, k)) {
			/* A terminal may obey U+0080..U+009F as escapes. */
			json_put_escape(b, s[i + 1]);
			i += k;
		} else if (k) {
			obuf_put(b, s + i, k);
			i += k;
		} else {
			obuf_put(b, "\xef\xbf\xbd", 3);	/* U+FFFD, one per bad byte */
			i++;
		}
	}
	obuf_putc(b, '"');
}

int sbuf_put(struct sbuf *sb, const void *p, size_t n)
{
	if (sb->cap - sb->len <= n) {
		size_t cap = sb->cap ? sb->cap : 256;
		char *s;

		while (cap - sb->len <= n)
			cap *= 2;
		s = realloc(sb->s, cap);
		if (!s)
			return -ENOMEM;
		sb->s = s;
		sb->cap = cap;
	}
	memcpy(sb->s + sb->len, p, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
	return 0;
}

int sbuf_set_utf8(struct sbuf *sb, const char *str, size_t n, char ctl_repl)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	int err = 0;

	sb->len = 0;
	err = sbuf_put(sb, "", 0);	/* an empty string is still a string */
	while (!err && i < n) {
		size_t k = utf8_seq_len(s + i, n - i);

		if (!k) {
			err = sbuf_put(sb, "\xef\xbf\xbd", 3);
			i++;
		} else if (ctl_repl && ((k == 1 && (s[i] < 0x20 || s[i] == 0x7f)) ||
					      utf8_is_c1(s + i, k))) {
			err = sbuf_put(sb, &ctl_repl, 1);
			i += k;
		} else {
			err = sbuf_put(sb, s + i, k);
			i += k;
		}
	}
	return err;
}
