// SPDX-License-Identifier: Apache-2.0
/*
 * Text from outside never reaches a terminal raw: the sanitizer on every
 * kind of control character, and the log lines built with it.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <string.h>

#include "core/base/log.h"
#include "core/base/text.h"

static const char *clean(const char *s, size_t n, unsigned int flags)
{
	static char buf[512];

	ig_text__sanitize(buf, sizeof(buf), s, n, flags);
	return buf;
}

#define CLEAN(s) clean(s, sizeof(s) - 1, 0)

Test(text, printable_ascii_and_utf8_unchanged)
{
	cr_expect_str_eq(CLEAN("web-1_a.b c~"), "web-1_a.b c~");
	cr_expect_str_eq(CLEAN("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x90\xb3"),
			 "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x90\xb3");
	cr_expect(ig_text__is_clean("caf\xc3\xa9", 5, 0));
}

Test(text, c0_del_and_escape_sequences_are_escaped)
{
	cr_expect_str_eq(CLEAN("a\033]0;pwned\007b"), "a\\x1b]0;pwned\\x07b");
	cr_expect_str_eq(CLEAN("\033[2J\r\x7f"), "\\x1b[2J\\x0d\\x7f");
	cr_expect_str_eq(CLEAN("x\ny\tz"), "x\\ny\\tz");
	cr_expect_str_eq(clean("x\ny\tz\033", 6, IG_TEXT_KEEP_NL), "x\ny\tz\\x1b");
	cr_expect_not(ig_text__is_clean("a\033", 2, 0));
}

Test(text, c1_controls_and_bad_utf8_are_escaped)
{
	/* U+009B is CSI for terminals that obey C1 controls. */
	cr_expect_str_eq(CLEAN("\xc2\x9b" "31m"), "\\xc2\\x9b31m");
	cr_expect_str_eq(CLEAN("\x9b" "31m"), "\\x9b31m");
	cr_expect_str_eq(CLEAN("\xc0\xaf"), "\\xc0\\xaf", "overlong");
	cr_expect_str_eq(CLEAN("\xed\xa0\x80"), "\\xed\\xa0\\x80", "surrogate");
	cr_expect_str_eq(CLEAN("\xe6\x97"), "\\xe6\\x97", "cut sequence");
	cr_expect_str_eq(CLEAN("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80", "> U+10FFFF");
}

Test(text, nul_inside_is_escaped_and_output_is_bounded)
{
	char small[8];

	cr_expect_str_eq(clean("a\0b", 3, 0), "a\\x00b");
	cr_expect_eq(ig_text__sanitize(small, sizeof(small), "\033\033\033", 3, 0), 4,
		     "whole escapes only");
	cr_expect_str_eq(small, "\\x1b");
	cr_expect_eq(ig_text__sanitize(small, 6, "abc\xe6\x97\xa5xyz", 9, 0), 3);
	cr_expect_str_eq(small, "abc", "cut at a character boundary");
}

Test(text, log_lines_carry_no_escapes, .init = cr_redirect_stderr)
{
	ig_log(IG_LOG_WARN, "container added: %s", "evil\033]2;title\007\033[31m");
	fflush(stderr);
	cr_expect_stderr_eq_str("ig: warning: container added: "
				"evil\\x1b]2;title\\x07\\x1b[31m\n");
}
