// SPDX-License-Identifier: Apache-2.0
/*
 * Case 2 of issue 17: --ready-file (ig run, list-containers --watch) is
 * written by root into a path that anyone may have prepared. A symlink at
 * the path or at the temporary name never makes ig write elsewhere; a
 * device node or FIFO at the path is never replaced or opened.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tests/kernel/hostile/hostile_helpers.h"

static char dir[256], gdir[256], victim[PATH_MAX], ready[PATH_MAX];

/* A directory its owner (nobody) controls, and a root-only file elsewhere. */
static void setup(void)
{
	igt_tmpdir_new(dir, sizeof(dir), "ready");
	cr_assert_eq(chown(dir, 65534, 65534), 0);
	cr_assert_eq(chmod(dir, 0755), 0);
	hs_gadget_dir(gdir, sizeof(gdir), "good", "fixture-good");
	snprintf(victim, sizeof(victim), "%s/victim", gdir);
	hs_write(victim, "secret\n");
	cr_assert_eq(chmod(victim, 0600), 0);
	snprintf(ready, sizeof(ready), "%s/ready", dir);
}

static void teardown(void)
{
	igt_tmpdir_remove(dir);
	igt_tmpdir_remove(gdir);
}

TestSuite(ready_file, .init = setup, .fini = teardown, .timeout = 60);

static void expect_victim_intact(void)
{
	char *text = igt_read_file(victim, NULL);

	cr_expect_str_eq(text, "secret\n", "root's file was overwritten");
	free(text);
}

/* A symlink owned by the directory's owner, as that user would make it. */
static void plant_symlink(const char *path)
{
	cr_assert_eq(symlink(victim, path), 0, "symlink %s", path);
	cr_assert_eq(lchown(path, 65534, 65534), 0);
}

static struct igt_result *ig_run_ready(pid_t as_pid)
{
	const char *const argv[] = { igt_ig_path(), "run", "fixture-good", "--gadget-path", gdir,
				     "--host", "-t", "0.2", "-o", "json", "--ready-file", ready,
				     NULL };

	return as_pid ? hs_run_as_pid(as_pid, argv, 20000) : igt_run(argv, 20000);
}

Test(ready_file, predictable_temp_name_is_not_followed)
{
	pid_t pid = hs_free_pid();
	char planted[PATH_MAX + 32], *text;
	struct igt_result *r;

	/* ig 0.1 wrote <path>.tmp<pid> first: that name, made a symlink. */
	snprintf(planted, sizeof(planted), "%s.tmp%d", ready, (int)pid);
	plant_symlink(planted);
	r = ig_run_ready(pid);
	cr_expect_eq(r->status, 0, "stderr: %s", r->err);
	expect_victim_intact();
	text = igt_read_file(ready, NULL);
	cr_expect(text && atoi(text) == pid, "the ready file holds ig's pid: %s", text);
	free(text);
	igt_result_free(r);
}

Test(ready_file, symlink_at_the_path_is_refused)
{
	struct igt_result *r;
	struct stat sb;

	plant_symlink(ready);
	r = ig_run_ready(0);
	cr_expect_neq(r->status, 0, "ig must refuse: %s", r->err);
	cr_expect(strstr(r->err, "--ready-file") && strstr(r->err, "is a symlink"), "%s", r->err);
	expect_victim_intact();
	cr_expect(!lstat(ready, &sb) && S_ISLNK(sb.st_mode), "the symlink stays");
	igt_result_free(r);
}

Test(ready_file, device_node_is_not_replaced)
{
	struct igt_result *r;
	struct stat sb;

	/* /dev/full's numbers, in a directory of the test's own. */
	cr_assert_eq(mknod(ready, S_IFCHR | 0666, makedev(1, 7)), 0);
	r = ig_run_ready(0);
	cr_expect_neq(r->status, 0, "ig must refuse: %s", r->err);
	cr_expect(strstr(r->err, "character device"), "%s", r->err);
	cr_expect(!lstat(ready, &sb) && S_ISCHR(sb.st_mode), "the device node stays");
	igt_result_free(r);
}

Test(ready_file, list_containers_watch_does_not_follow_a_symlink)
{
	struct igt_result *r;

	plant_symlink(ready);
	r = igt_ig(20000, "list-containers", "--watch", "-t", "1", "--ready-file", ready, NULL);
	cr_expect_neq(r->status, 0, "ig must refuse: %s", r->err);
	cr_expect(strstr(r->err, "is a symlink"), "%s", r->err);
	expect_victim_intact();
	igt_result_free(r);
}

Test(ready_file, list_containers_watch_does_not_open_a_fifo)
{
	struct igt_result *r;
	struct stat sb;

	cr_assert_eq(mkfifo(ready, 0666), 0);
	r = igt_ig(10000, "list-containers", "--watch", "-t", "1", "--ready-file", ready, NULL);
	cr_expect_not(r->timed_out, "ig hung opening the FIFO");
	cr_expect_neq(r->status, 0, "ig must refuse: %s", r->err);
	cr_expect(strstr(r->err, "is a FIFO"), "%s", r->err);
	cr_expect(!lstat(ready, &sb) && S_ISFIFO(sb.st_mode), "the FIFO stays");
	igt_result_free(r);
}
