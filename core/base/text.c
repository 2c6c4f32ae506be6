// SPDX-License-Identifier: Apache-2.0
/* Terminal-safe copies of text from outside; see text.h. */
#include <stdio.h>
#include <string.h>

#include "text.h"

/*
 * Length of the character at s that may reach a terminal as it is: 1 for
 * printable ASCII, 2-4 for a valid UTF-8 sequence that is not a C1 control,
 * 0 for anything to escape.
 */
static size_t clean_len(const unsigned char *s, size_t n, unsigned int flags)
{
	unsigned char c = s[0];
	size_t len, i;
	unsigned int cp;

	if (c >= 0x20 && c < 0x7f)
		return 1;
	if ((c == '\n' || c == '\t') && (flags & IG_TEXT_KEEP_NL))
		return 1;
	if (c < 0xc2 || c > 0xf4)	/* controls, DEL, continuations, overlong leads */
		return 0;
	len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (n < len)
		return 0;
	cp = c & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp <= 0x9f)
		return 0;	/* overlong, out of range, a surrogate, a C1 control */
	return len;
}

size_t ig_text__sanitize(char *dst, size_t size, const char *s, size_t n, unsigned int flags)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, out = 0, k, len;
	const char *piece;
	char esc[5];

	if (!size)
		return 0;
	while (i < n) {
		k = clean_len(u + i, n - i, flags);
		piece = s + i;
		len = k;
		if (!k) {
			if (u[i] == '\n' || u[i] == '\t')
				snprintf(esc, sizeof(esc), "\\%c", u[i] == '\n' ? 'n' : 't');
			else
				snprintf(esc, sizeof(esc), "\\x%02x", u[i]);
			piece = esc;
			len = strlen(esc);
			k = 1;
		}
		if (out + len >= size)
			break;
		memcpy(dst + out, piece, len);
		out += len;
		i += k;
	}
	dst[out] = '\0';
	return out;
}

bool ig_text__is_clean(const char *s, size_t n, unsigned int flags)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		k = clean_len(u + i, n - i, flags);
		if (!k)
			return false;
		i += k;
	}
	return true;
}
