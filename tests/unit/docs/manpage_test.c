// SPDX-License-Identifier: Apache-2.0
/*
 * docs/ig.8 is written by hand: it must name every command and flag that
 * `ig --help` prints, so a new flag without a man page entry fails here.
 * Run from the repository root, as make test does.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/igtest.h"

/* The man page as plain text: roff's "\-" is a "-". */
static char *man_text(void)
{
	char *s = igt_read_file("docs/ig.8", NULL), *r, *w;

	cr_assert_not_null(s, "cannot read docs/ig.8 (run from the repository root)");
	for (r = w = s; *r; r++) {
		if (r[0] == '\\' && r[1] == '-')
			r++;
		*w++ = *r;
	}
	*w = '\0';
	return s;
}

/* The word at p (letters, digits, '-'), copied into buf. */
static const char *word(const char *p, char *buf, size_t size)
{
	size_t n = 0;

	while (n + 1 < size && (isalnum((unsigned char)p[n]) || p[n] == '-'))
		n++;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

Test(manpage, names_every_command_and_flag_of_help)
{
	struct igt_result *r = igt_ig(10000, "--help", NULL);
	char *man = man_text(), buf[64];
	const char *line, *p;
	int commands = 0, flags = 0;
	bool in_commands = false;

	cr_assert_eq(r->status, 0, "ig --help: %s", r->err);
	for (line = r->out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (!strncmp(line, "Commands:", 9) || *line != ' ')
			in_commands = !strncmp(line, "Commands:", 9);
		if (in_commands && line[0] == ' ' && line[2] != ' ') {
			word(line + 2, buf, sizeof(buf));
			cr_assert(strstr(man, buf), "command '%s' of ig --help is not in docs/ig.8", buf);
			commands++;
		}
		/* flags: "--name" anywhere in the option column (before the help text) */
		for (p = line; (p = strstr(p, " --")) && p - line < 36; p += 3) {
			word(p + 1, buf, sizeof(buf));
			if (strlen(buf) > 2) {
				cr_assert(strstr(man, buf), "flag '%s' of ig --help is not in docs/ig.8",
					  buf);
				flags++;
			}
		}
	}
	cr_assert_geq(commands, 5, "found %d commands in ig --help:\n%s", commands, r->out);
	cr_assert_geq(flags, 10, "found %d flags in ig --help:\n%s", flags, r->out);
	igt_result_free(r);
	free(man);
}
