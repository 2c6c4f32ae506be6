// SPDX-License-Identifier: Apache-2.0
/*
 * --widen's sibling table: the code's families are the ones docs/lifecycle.md
 * shows, and a name's siblings leave the name itself out and include only
 * what this libseccomp knows.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lib/seccomp/widen.h"
#include "tests/lib/igtest.h"

/* The doc's table rows between the markers, one family per row:
 * | `poll`, `ppoll` | why | */
Test(widen, docs_table_is_the_code_table)
{
	char *doc = igt_read_file("docs/lifecycle.md", NULL), *p, *end, *line;
	const char *const *const *f = sp_widen_families;
	int rows = 0;

	cr_assert_not_null(doc, "docs/lifecycle.md (run from the repository root)");
	p = strstr(doc, "<!-- widen table: lib/seccomp/widen.c -->");
	end = p ? strstr(p, "<!-- end of the widen table -->") : NULL;
	cr_assert(p && end, "markers of the widen table missing");
	*end = '\0';
	for (line = strtok(p, "\n"); line; line = strtok(NULL, "\n")) {
		char want[512] = "| ";
		const char *const *m;

		if (strncmp(line, "| `", 3))
			continue;
		cr_assert_not_null(*f, "the doc has more rows than the code: %s", line);
		for (m = *f; *m; m++)
			snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s`%s`",
				 m == *f ? "" : ", ", *m);
		cr_expect_eq(strncmp(line, want, strlen(want)), 0, "doc: %s\ncode: %s", line,
			     want);
		f++;
		rows++;
	}
	cr_expect_null(*f, "the code has more families than the doc's %d rows", rows);
	free(doc);
}

Test(widen, siblings)
{
	const char *out[16];
	int n, i;
	bool ppoll = false;

	n = sp_widen__siblings("poll", out, 16);
	for (i = 0; i < n; i++) {
		cr_expect_str_neq(out[i], "poll");
		ppoll |= !strcmp(out[i], "ppoll");
	}
	cr_expect(ppoll);
	/* in two families: both families' members, once each */
	n = sp_widen__siblings("unlinkat", out, 16);
	cr_expect_eq(n, 2, "unlink and rmdir, got %d", n);
	cr_expect_eq(sp_widen__siblings("getpid", out, 16), 0);
	/* x86_64's libseccomp has no sigreturn: never offered */
	n = sp_widen__siblings("rt_sigreturn", out, 16);
	for (i = 0; i < n; i++)
		cr_expect_str_neq(out[i], "sigreturn");
}
