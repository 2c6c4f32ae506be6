// SPDX-License-Identifier: Apache-2.0
/*
 * Case 1 of issue 17, and the gadget directory of list 10: gadget and
 * plugin files others may have damaged are refused with one line, never a
 * crash or a hang.
 *   - the first 6000 bytes of a gadget (ig run, ig list, an unknown name that
 *     makes ig list what it has) or of a plugin on IG_PLUGIN_PATH;
 *   - a FIFO named x.so on IG_PLUGIN_PATH;
 *   - a descriptor claiming 10^8 fields, or pointing at address 16;
 *   - a gadget directory whose parent anyone may write.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tests/kernel/hostile/hostile_helpers.h"

static char dir[256];

static void setup(void)
{
	igt_tmpdir_new(dir, sizeof(dir), "loader");
	cr_assert_eq(chmod(dir, 0755), 0);
}

static void teardown(void)
{
	igt_tmpdir_remove(dir);
}

TestSuite(loader, .init = setup, .fini = teardown, .timeout = 60);

/* The first n bytes of src into dir/name. */
static void cut_copy(const char *src, const char *name, size_t n)
{
	char path[PATH_MAX], *data;
	size_t len;
	FILE *f;

	data = igt_read_file(src, &len);
	cr_assert_not_null(data, "%s", src);
	cr_assert_gt(len, n);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(data, 1, n, f), n);
	fclose(f);
	chmod(path, 0755);
	free(data);
}

static void expect_refused(const struct igt_result *r, const char *what)
{
	cr_expect_not(r->timed_out, "%s: ig hung", what);
	cr_expect_lt(r->status, 128, "%s: ig died of signal %d: %s", what, r->status - 128, r->err);
	cr_expect(strstr(r->err, "refusing") && strstr(r->err, "truncated"), "%s: %s", what,
		  r->err);
}

Test(loader, truncated_gadget)
{
	char src[PATH_MAX];
	struct igt_result *r;

	snprintf(src, sizeof(src), "%s/gadgets/trace-exec.so", igt_build_dir());
	cut_copy(src, "truncated.so", 6000);
	r = igt_ig(20000, "run", "truncated", "--gadget-path", dir, "--", "/bin/true", NULL);
	expect_refused(r, "ig run truncated");
	cr_expect_eq(r->status, 2, "an unknown gadget: %s", r->err);
	igt_result_free(r);
	r = igt_ig(20000, "list", "--gadget-path", dir, NULL);
	expect_refused(r, "ig list");
	cr_expect_eq(r->status, 0, "%s", r->err);
	igt_result_free(r);
	r = igt_ig(20000, "run", "no-such-gadget", "--gadget-path", dir, NULL);
	cr_expect_lt(r->status, 128, "ig died listing gadgets: %s", r->err);
	cr_expect(strstr(r->err, "unknown gadget 'no-such-gadget'"), "%s", r->err);
	igt_result_free(r);
}

Test(loader, truncated_plugin)
{
	char src[PATH_MAX], env[300];
	const char *const argv[] = { igt_ig_path(), "list-containers", NULL };
	const char *envs[] = { env, NULL };
	struct igt_result *r;

	snprintf(src, sizeof(src), "%s/plugins/runc.so", igt_build_dir());
	cut_copy(src, "x.so", 6000);
	snprintf(env, sizeof(env), "IG_PLUGIN_PATH=%s", dir);
	r = igt_run_env(argv, envs, 20000);
	expect_refused(r, "list-containers with a cut plugin");
	igt_result_free(r);
}

Test(loader, fifo_plugin)
{
	char path[PATH_MAX], env[300];
	const char *const argv[] = { igt_ig_path(), "list-containers", NULL };
	const char *envs[] = { env, NULL };
	struct igt_result *r;

	snprintf(path, sizeof(path), "%s/x.so", dir);
	cr_assert_eq(mkfifo(path, 0644), 0);
	snprintf(env, sizeof(env), "IG_PLUGIN_PATH=%s", dir);
	r = igt_run_env(argv, envs, 15000);
	cr_expect_not(r->timed_out, "ig hung opening a FIFO plugin");
	cr_expect(strstr(r->err, "x.so") && strstr(r->err, "not a regular file"), "%s", r->err);
	igt_result_free(r);
}

Test(loader, descriptor_counts_and_pointers)
{
	static const char *const variants[] = { "huge_counts", "wild_pointer" };

	for (size_t i = 0; i < IG_ARRAY_SIZE(variants); i++) {
		char gdir[256];
		struct igt_result *r;

		hs_gadget_dir(gdir, sizeof(gdir), variants[i], variants[i]);
		r = igt_ig(20000, "list", "--gadget-path", gdir, NULL);
		cr_expect_lt(r->status, 128, "%s: ig died of signal %d", variants[i],
			     r->status - 128);
		cr_expect_eq(r->status, 0, "%s: %s", variants[i], r->err);
		cr_expect(strstr(r->err, "refusing gadget") && strstr(r->err, "not a gadget"),
			  "%s: %s", variants[i], r->err);
		igt_result_free(r);
		igt_tmpdir_remove(gdir);
	}
}

Test(loader, gadget_dir_under_a_directory_anyone_may_write)
{
	char parent[256], gdir[300], cmd[700];
	struct igt_result *r;

	igt_tmpdir_new(parent, sizeof(parent), "wwparent");
	cr_assert_eq(chmod(parent, 0777), 0, "writable by all, no sticky bit");
	snprintf(gdir, sizeof(gdir), "%s/gadgets", parent);
	cr_assert_eq(mkdir(gdir, 0755), 0);
	snprintf(cmd, sizeof(cmd), "cp '%s/tests/fixtures/gadgets/good.so' '%s/fixture-good.so'",
		 igt_build_dir(), gdir);
	cr_assert_eq(system(cmd), 0);
	r = igt_ig(20000, "run", "fixture-good", "--gadget-path", gdir, "--", "/bin/true", NULL);
	cr_expect_eq(r->status, 2, "refused, so unknown: %s", r->err);
	cr_expect(strstr(r->err, "parent directory") && strstr(r->err, "writable by others"),
		  "%s", r->err);
	igt_result_free(r);
	/* The same under a sticky one (/tmp's kind): nobody can swap it. */
	cr_assert_eq(chmod(parent, 01777), 0);
	r = igt_ig(20000, "run", "fixture-good", "--gadget-path", gdir, "-o", "json", "--",
		   "/bin/true", NULL);
	cr_expect_eq(r->status, 0, "%s", r->err);
	igt_result_free(r);
	igt_tmpdir_remove(parent);
}
