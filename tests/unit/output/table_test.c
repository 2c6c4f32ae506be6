// SPDX-License-Identifier: Apache-2.0
/* Table output: golden text, ellipsis and fitting on a terminal, never a cut
 * when piped. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "out_helpers.h"

static const struct ig_value *const both[] = { t_rec1, t_rec2 };

Test(table, golden_piped)
{
	struct ig_output_opts o = t_opts(IG_OUT_TABLE, NULL, NULL);
	char *s = t_format(&o, both, 2);

	cr_assert_str_eq(s,
		"    PID COMM             SYSCALL        RET MODE       ALLOWED CONTAINERNAME\n"
		"   1234 cat              execve          -2 READ|EXEC  true    web\n"
		"      1 a-very-long-command-name 999              0 WRITE|0x10 false   \n");
	free(s);
}

Test(table, no_records_no_header)
{
	struct ig_output_opts o = t_opts(IG_OUT_TABLE, NULL, NULL);
	char *s = t_format(&o, NULL, 0);

	cr_assert_str_eq(s, "");
	free(s);
}

Test(table, tty_ellipsis_when_too_long)
{
	struct ig_output_opts o = t_opts(IG_OUT_TABLE, NULL, NULL);
	char *s;

	o.tty = true;
	o.term_width = 200;	/* wide enough: only the long value is cut */
	s = t_format(&o, both, 2);
	cr_assert_str_eq(s,
		"    PID COMM             SYSCALL        RET MODE       ALLOWED CONTAINERNAME\n"
		"   1234 cat              execve          -2 READ|EXEC  true    web\n"
		"      1 a-very-long-com\xe2\x80\xa6 999              0 WRITE|0x10 false   \n");
	free(s);
}

static size_t display_chars(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

Test(table, tty_fits_terminal_width)
{
	struct ig_output_opts o = t_opts(IG_OUT_TABLE, NULL, NULL);
	char *s, *line, *save = NULL;

	o.tty = true;
	o.term_width = 40;
	s = t_format(&o, both, 2);
	/* 73 columns + 6 separators shrunk by 34/73 each */
	cr_assert_str_eq(s,
		"PID COMM    SYSC\xe2\x80\xa6 R\xe2\x80\xa6 MODE AL\xe2\x80\xa6 CONTAI\xe2\x80\xa6\n"
		"12\xe2\x80\xa6 cat     exec\xe2\x80\xa6 -2 REA\xe2\x80\xa6 tr\xe2\x80\xa6 web\n"
		"  1 a-very\xe2\x80\xa6 999    0 WRI\xe2\x80\xa6 fa\xe2\x80\xa6 \n");
	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		cr_assert_leq(display_chars(line, strlen(line)), 40, "too wide: '%s'", line);
	free(s);
}

Test(table, piped_never_truncates_even_with_term_width)
{
	struct ig_output_opts o = t_opts(IG_OUT_TABLE, NULL, NULL);
	char *s;

	o.tty = false;
	o.term_width = 20;	/* ignored when not a tty */
	s = t_format(&o, both, 2);
	cr_assert_not_null(strstr(s, " a-very-long-command-name "));
	cr_assert_null(strstr(s, "\xe2\x80\xa6"));
	free(s);
}

Test(table, unicode_counted_by_character_and_controls_replaced)
{
	static const struct ig_field f[] = {
		{ .name = "name", .type = IG_FT_STRING, .width = 6 },
		{ .name = "v", .type = IG_FT_UINT, .width = 2 },
	};
	struct ig_value r1[] = { ig_val_str("h\xc3\xa9llo"), ig_val_u64(1) };
	struct ig_value r2[] = { ig_val_str("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5"
					    "\xe6\x9c\xac\xe8\xaa\x9e!"), ig_val_u64(2) };
	struct ig_value r3[] = { ig_val_str("a\nb\tc\xff"), ig_val_u64(3) };
	const struct ig_value *const recs[] = { r1, r2, r3 };
	struct ig_output_opts o = t_opts(IG_OUT_TABLE, NULL, NULL);
	char *s;

	o.tty = true;
	o.term_width = 80;
	s = t_format_fields(f, 2, &o, recs, 3);
	cr_assert_str_eq(s,
		"NAME   V\n"
		"h\xc3\xa9llo  1\n"
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6 2\n"
		"a?b?c\xef\xbf\xbd 3\n");
	free(s);
}

Test(table, picked_fields_in_given_order)
{
	struct ig_output_opts o = t_opts(IG_OUT_TABLE, NULL, "comm,pid");
	char *s = t_format(&o, both, 1);

	cr_assert_str_eq(s, "COMM                 PID\n"
			    "cat                 1234\n");
	free(s);
}

Test(table, hidden_field_selectable_and_header_of_dotted_names)
{
	struct ig_output_opts o = t_opts(IG_OUT_TABLE, NULL, "+k8s.namespace,-mode,-ret,-comm");
	char *s = t_format(&o, both, 1);

	cr_assert_str_eq(s, "    PID SYSCALL      ALLOWED CONTAINERNAME    NAMESPACE\n"
			    "   1234 execve       true    web              default\n");
	free(s);
}

Test(table, same_last_component_shows_full_name)
{
	static const struct ig_field f[] = {
		{ .name = "src.port", .type = IG_FT_UINT, .width = 8 },
		{ .name = "dst.port", .type = IG_FT_UINT, .width = 8 },
		{ .name = "k8s.podName", .type = IG_FT_STRING, .width = 5 },
	};
	struct ig_value r[] = { ig_val_u64(1), ig_val_u64(2), ig_val_str("p") };
	const struct ig_value *const recs[] = { r };
	struct ig_output_opts o = t_opts(IG_OUT_TABLE, NULL, NULL);
	char *s = t_format_fields(f, 3, &o, recs, 1);

	/* a column is never narrower than its header */
	cr_assert_str_eq(s, "SRC.PORT DST.PORT PODNAME\n"
			    "1        2        p\n");
	free(s);
}
