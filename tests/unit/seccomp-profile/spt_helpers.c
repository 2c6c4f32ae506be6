// SPDX-License-Identifier: Apache-2.0
/* Helpers of the seccomp-profile unit tests (spt_helpers.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "spt_helpers.h"

static char dir[256];

const char *spt_dir(void)
{
	if (!dir[0])
		igt_tmpdir_new(dir, sizeof(dir), "spt");
	return dir;
}

void spt_fini(void)
{
	if (dir[0])
		igt_tmpdir_remove(dir);
	dir[0] = '\0';
}

const char *spt_write(const char *name, const char *text)
{
	static char paths[8][512];
	static int next;
	char *path = paths[next++ % 8];
	FILE *f;

	snprintf(path, sizeof(paths[0]), "%s/%s", spt_dir(), name);
	f = fopen(path, "w");
	cr_assert_not_null(f, "cannot write %s", path);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
	return path;
}

void spt_validate(const char *doc, const char *kind)
{
	/* python3-jsonschema against the reference schemas; the script finds
	 * them from the repository root, the tests' cwd */
	const char *const argv[] = { "/usr/bin/python3", "tests/kernel/seccomp-advisor/validate.py",
				     kind, spt_write("validate.json", doc), NULL };
	struct igt_result *r = igt_run(argv, 30000);

	cr_assert_eq(r->status, 0, "%s schema validation failed:\n%s%s\n%s", kind, r->out, r->err,
		     doc);
	igt_result_free(r);
}
