// SPDX-License-Identifier: Apache-2.0
/*
 * Case 6 of issue 17: reports are never lost silently.
 *   - --output-dir is checked before anything is recorded (/proc: refused at
 *     start, not after the run);
 *   - a container name too long for a file name still gets its profile;
 *   - two containers of the same name get two files, and the report lists
 *     both.
 * (SIGHUP: sighup_test.c.)
 */
#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tests/kernel/hostile/hostile_helpers.h"

TestSuite(reports, .timeout = 120);

Test(reports, output_dir_checked_before_recording)
{
	/* a directory that is missing is made (tests/kernel/seccomp-advisor/
	 * lifecycle_test.c); these cannot be */
	static const char *const bad[] = { "/proc", "/proc/igt/x", "/etc/passwd",
					   "/etc/passwd/igt" };

	for (size_t i = 0; i < IG_ARRAY_SIZE(bad); i++) {
		struct igt_result *r = igt_ig(20000, "run", "seccomp-advisor", "--output-dir",
					      bad[i], "--", "/bin/echo", "igt-should-not-run",
					      NULL);

		cr_expect_eq(r->status, 2, "%s: refused at start (%d): %s", bad[i], r->status,
			     r->err);
		cr_expect(strstr(r->err, "--output-dir"), "%s: %s", bad[i], r->err);
		cr_expect_not(strstr(r->out, "igt-should-not-run"),
			      "%s: the command ran though its report had nowhere to go", bad[i]);
		cr_expect_eq(igt_count(r->err, "\n"), 1, "one line: %s", r->err);
		igt_result_free(r);
	}
}

static char name_buf[400];

static void named(struct igt_bundle *b)
{
	igt_bundle_annotate(b, "io.kubernetes.cri.container-name", name_buf);
}

/* Record containers b[0..n) named name_buf until SIGINT; returns the
 * output dir's listing (caller frees) and the run's result in *r. */
static char *record(struct igt_bundle **b, int n, char *dir, size_t dirlen,
		    struct igt_result **res)
{
	const char *const args[] = { "/bin/sh", "-c", "echo hi", NULL };
	struct igt_result *r;
	struct igt_proc *p;
	struct dirent *de;
	char *list = calloc(1, 4096);
	DIR *d;

	igt_tmpdir_new(dir, dirlen, "reports");
	p = igt_spawn_ig_ready("run", "seccomp-advisor", "-c", name_buf, "--output-dir", dir,
			       NULL);
	for (int i = 0; i < n; i++) {
		char id[64];

		b[i] = igt_bundle_new(igt_unique_id(id, "rep"), args);
		named(b[i]);
		r = igt_bundle_run(b[i], 30000);
		cr_expect_eq(r->status, 0, "%s", r->err);
		igt_result_free(r);
	}
	*res = igt_proc_finish(p, SIGINT, 20000);
	d = opendir(dir);
	cr_assert_not_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			snprintf(list + strlen(list), 4096 - strlen(list), "%s\n", de->d_name);
	closedir(d);
	return list;
}

Test(reports, long_container_name_gets_a_file)
{
	struct igt_bundle *b[1];
	struct igt_result *r;
	char dir[256], *list;

	memset(name_buf, 'n', 300);
	name_buf[300] = '\0';
	list = record(b, 1, dir, sizeof(dir), &r);
	cr_expect_eq(r->status, 0, "%s", r->err);
	cr_expect_not(strstr(r->err, "File name too long"), "%s", r->err);
	cr_expect_eq(igt_count(list, ".json\n"), 1, "one profile file: %s\n%s", list, r->err);
	cr_expect(strstr(r->out, dir), "the report lists the file: %s", r->out);
	free(list);
	igt_result_free(r);
	igt_bundle_destroy(b[0]);
	igt_tmpdir_remove(dir);
}

Test(reports, same_name_twice_keeps_both)
{
	struct igt_bundle *b[2];
	struct igt_result *r;
	char dir[256], *list;

	snprintf(name_buf, sizeof(name_buf), "twin-%d", (int)getpid());
	list = record(b, 2, dir, sizeof(dir), &r);
	cr_expect_eq(r->status, 0, "%s", r->err);
	cr_expect_eq(igt_count(list, ".json\n"), 2, "two profile files: %s\n%s", list, r->err);
	cr_expect(strstr(list, "-2.json"), "the second gets a suffix: %s", list);
	cr_expect(strstr(r->err, "another result of this run is named"), "said: %s", r->err);
	cr_expect_eq(igt_count(r->out, dir), 2, "the report lists both files: %s", r->out);
	free(list);
	igt_result_free(r);
	igt_bundle_destroy(b[0]);
	igt_bundle_destroy(b[1]);
	igt_tmpdir_remove(dir);
}
