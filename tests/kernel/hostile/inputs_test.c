// SPDX-License-Identifier: Apache-2.0
/*
 * Cases 4 (--base-profile) and 10 of issue 17: bad input is one clear line
 * and a non-zero exit, or the documented behaviour; never a hang.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "tests/kernel/hostile/hostile_helpers.h"

static char dir[256], path[PATH_MAX];

static void setup(void)
{
	igt_tmpdir_new(dir, sizeof(dir), "inputs");
	cr_assert_eq(chmod(dir, 0755), 0);
}

static void teardown(void)
{
	igt_tmpdir_remove(dir);
}

TestSuite(inputs, .init = setup, .fini = teardown, .timeout = 60);

static struct igt_result *base_profile(const char *file)
{
	return igt_ig(15000, "run", "seccomp-advisor", "-o", "json", "--base-profile", file,
		      "--", "/bin/true", NULL);
}

Test(inputs, base_profile_fifo_does_not_hang)
{
	struct igt_result *r;

	snprintf(path, sizeof(path), "%s/profile.json", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	r = base_profile(path);
	cr_expect_not(r->timed_out, "ig hung opening the FIFO");
	cr_expect_eq(r->status, 1, "%d: %s", r->status, r->err);
	cr_expect(strstr(r->err, "--base-profile") && strstr(r->err, "is a FIFO"), "%s", r->err);
	igt_result_free(r);
}

Test(inputs, base_profile_directory_and_device)
{
	struct igt_result *r = base_profile(dir);

	cr_expect_eq(r->status, 1, "%d: %s", r->status, r->err);
	cr_expect(strstr(r->err, "is a directory, not a regular file"), "%s", r->err);
	cr_expect_eq(igt_count(r->err, "\n"), 1, "one line: %s", r->err);
	igt_result_free(r);
	r = base_profile("/dev/zero");
	cr_expect_eq(r->status, 1, "%d: %s", r->status, r->err);
	cr_expect(strstr(r->err, "is a character device"), "%s", r->err);
	igt_result_free(r);
}

Test(inputs, base_profile_unknown_syscalls_left_out)
{
	struct igt_result *r;
	json_t *vals, *doc;
	char *text;

	snprintf(path, sizeof(path), "%s/base.json", dir);
	hs_write(path, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":"
		       "[\"getpid\",\"igt_no_such_call\",\"socketcall\"],\"action\":"
		       "\"SCMP_ACT_ALLOW\"}]}");
	r = base_profile(path);
	cr_expect_eq(r->status, 0, "%d: %s", r->status, r->err);
	cr_expect(strstr(r->err, "1 syscall name libseccomp does not know") &&
		  strstr(r->err, "igt_no_such_call"), "%s", r->err);
	vals = igt_json_values(r->out);
	doc = json_array_get(vals, 0);
	text = json_dumps(doc, 0);
	cr_expect(text && strstr(text, "\"getpid\""), "known names kept: %s", text);
	cr_expect(text && strstr(text, "\"socketcall\""), "a compat syscall is known: %s", text);
	cr_expect(text && !strstr(text, "igt_no_such_call"), "not copied: %s", text);
	free(text);
	json_decref(vals);
	igt_result_free(r);
}

Test(inputs, timeout_out_of_range)
{
	struct igt_result *r = igt_ig(10000, "run", "trace-exec", "-t", "1e10", "--", "/bin/true",
				      NULL);

	cr_expect_eq(r->status, 2, "%d: %s", r->status, r->err);
	cr_expect(strstr(r->err, "invalid --timeout '1e10'"), "%s", r->err);
	igt_result_free(r);
}

Test(inputs, uid_out_of_range)
{
	static const char *const bad[] = { "4294967296", "-2", "4294967295" };

	for (size_t i = 0; i < IG_ARRAY_SIZE(bad); i++) {
		struct igt_result *r = igt_ig(10000, "run", "trace-exec", "--uid", bad[i], "--",
					      "/bin/true", NULL);

		cr_expect_eq(r->status, 1, "--uid %s: %d %s", bad[i], r->status, r->err);
		cr_expect(strstr(r->err, "not a user id"), "--uid %s: %s", bad[i], r->err);
		igt_result_free(r);
	}
}

Test(inputs, empty_fields)
{
	struct igt_result *r = igt_ig(10000, "run", "trace-exec", "--fields", "", "--",
				      "/bin/true", NULL);

	cr_expect_eq(r->status, 2, "%d: %s", r->status, r->err);
	cr_expect(strstr(r->err, "--fields is empty"), "%s", r->err);
	igt_result_free(r);
}

Test(inputs, capabilities_advise_with_audit_only)
{
	struct igt_result *r = igt_ig(20000, "run", "capabilities", "--advise", "--audit-only",
				      "--", "/bin/true", NULL);

	cr_expect_eq(r->status, 1, "%d: %s", r->status, r->err);
	cr_expect(strstr(r->err, "--audit-only and --advise do not go together"), "%s", r->err);
	cr_expect_eq(igt_count(r->err, "\n"), 1, "one line: %s", r->err);
	igt_result_free(r);
}

Test(inputs, list_containers_as_non_root)
{
	const char *const argv[] = { "setpriv", "--reuid=65534", "--regid=65534",
				     "--clear-groups", igt_ig_path(), "list-containers", NULL };
	struct igt_result *r = igt_run(argv, 10000);

	cr_expect_eq(r->status, 1, "%d: %s", r->status, r->err);
	cr_expect(strstr(r->err, "list-containers needs root"), "%s", r->err);
	cr_expect_eq(igt_count(r->err, "\n"), 1, "one line: %s", r->err);
	igt_result_free(r);
}

Test(inputs, hook_as_non_root_names_the_real_problem)
{
	char cmd[PATH_MAX * 2];
	const char *const argv[] = { "/bin/sh", "-c", cmd, NULL };
	struct igt_result *r;

	/* A root-owned 0700 hook directory, as ig makes it. */
	cr_assert_eq(chmod(dir, 0700), 0);
	snprintf(cmd, sizeof(cmd), "echo '{\"id\":\"x\",\"pid\":1}' | IG_HOOK_DIR=%s setpriv "
		 "--reuid=65534 --regid=65534 --clear-groups %s hook createRuntime", dir,
		 igt_ig_path());
	r = igt_run(argv, 10000);
	cr_expect_eq(r->status, 0, "a hook never fails the container: %s", r->err);
	cr_expect(strstr(r->err, "belongs to uid 0, and this is uid 65534"), "%s", r->err);
	cr_expect_not(strstr(r->err, "writable by others"), "%s", r->err);
	igt_result_free(r);
}
