// SPDX-License-Identifier: Apache-2.0
/*
 * `ig hook`: a container configured with it is traced from its first exec,
 * even when ig has no other way to know it (runc --root elsewhere than the
 * roots ig watches); with no ig it returns at once; a wedged ig costs the
 * timeout, never the container. Each test uses its own hook directory
 * (IG_HOOK_DIR) so other tests' ig instances do not answer.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "ctr_helpers.h"

static char hook_dir[64], alt_root[64], env_arg[96];

static void setup(void)
{
	snprintf(hook_dir, sizeof(hook_dir), "/tmp/igt-hookdir-XXXXXX");
	cr_assert_not_null(mkdtemp(hook_dir));
	snprintf(alt_root, sizeof(alt_root), "/tmp/igt-altroot-XXXXXX");
	cr_assert_not_null(mkdtemp(alt_root));
	snprintf(env_arg, sizeof(env_arg), "IG_HOOK_DIR=%s", hook_dir);
	/* ig started by this test inherits it */
	setenv("IG_HOOK_DIR", hook_dir, 1);
}

static void teardown(void)
{
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", hook_dir, alt_root);
	cr_expect_eq(system(cmd), 0);
}

static void add_ig_hooks(struct igt_bundle *b)
{
	const char *const create[] = { "/usr/bin/env", env_arg, igt_ig_path(), "hook",
				       "createRuntime", NULL };
	const char *const stop[] = { "/usr/bin/env", env_arg, igt_ig_path(), "hook", "poststop",
				     NULL };

	igt_bundle_add_hook(b, "createRuntime", create);
	igt_bundle_add_hook(b, "poststop", stop);
}

/* `runc --root <alt> run`: a root no plugin watches. Returns ms taken. */
static long run_alt(struct igt_bundle *b, struct igt_result **out)
{
	const char *const argv[] = { "runc", "--root", alt_root, "run", "--bundle", b->dir, b->id,
				     NULL };
	const char *const del[] = { "runc", "--root", alt_root, "delete", "--force", b->id, NULL };
	struct timespec t0, t1;

	igt_bundle_write(b);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	*out = igt_run(argv, 20000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	igt_result_free(igt_run(del, 10000));
	return (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
}

/* `ig hook createRuntime` by itself, fed an OCI state; returns ms taken. */
static long hook_alone(int *status)
{
	char cmd[PATH_MAX + 256];
	const char *const argv[] = { "/bin/sh", "-c", cmd, NULL };
	struct timespec t0, t1;
	struct igt_result *r;

	snprintf(cmd, sizeof(cmd), "echo '{\"ociVersion\":\"1.0.2\",\"id\":\"igt-hk-alone\","
		 "\"pid\":%d,\"bundle\":\"/nonexistent\"}' | %s hook createRuntime",
		 getpid(), igt_ig_path());
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = igt_run(argv, 10000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*status = r->status;
	igt_result_free(r);
	return (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
}

static struct igt_bundle *echo_bundle(const char *tag, const char *token)
{
	const char *const args[] = { "/bin/echo", token, NULL };
	char id[64];

	return igt_bundle_new(igt_unique_id(id, tag), args);
}

TestSuite(ctr_hook, .init = setup, .fini = teardown, .timeout = 90);

Test(ctr_hook, first_exec_is_traced)
{
	struct igt_bundle *hooked, *unhooked;
	struct igt_result *r, *ig;
	struct igt_proc *p;
	char tok1[64], tok2[64], removed[128];
	json_t *o;
	long ms;

	snprintf(tok1, sizeof(tok1), "igt-hook-first-%d", getpid());
	snprintf(tok2, sizeof(tok2), "igt-nohook-first-%d", getpid());
	hooked = echo_bundle("hk", tok1);
	unhooked = echo_bundle("nohk", tok2);
	add_ig_hooks(hooked);
	p = igt_spawn_ig_ready("run", "trace-exec", "-o", "json", "-v", "-v", NULL);

	ms = run_alt(hooked, &r);
	cr_assert_eq(r->status, 0, "runc run with the hook: %s", r->err);
	cr_expect(strstr(r->out, tok1), "the container ran: %s", r->out);
	igt_result_free(r);
	/* Control: ig cannot know this one (no hook, unwatched root). */
	run_alt(unhooked, &r);
	cr_assert_eq(r->status, 0, "%s", r->err);
	igt_result_free(r);
	snprintf(removed, sizeof(removed), "container removed: %s", hooked->id);
	cr_expect_eq(ctr_wait_file(p->err_path, removed, 5000), 0, "poststop/exit not seen");
	usleep(300000);
	ig = igt_proc_finish(p, SIGINT, 10000);

	/* The container's very first program, /bin/echo exec'ed by runc init. */
	o = ctr_find_line(ig->out, "comm", "echo", "args", tok1);
	cr_assert_not_null(o, "first exec of the hooked container not traced:\n%s\n%s", ig->out,
			   ig->err);
	cr_expect_str_eq(ctr_str(o, "runtime.containerName"), hooked->id);
	cr_expect_str_eq(ctr_str(o, "runtime.containerId"), hooked->id);
	json_decref(o);
	cr_expect_null(ctr_find_line(ig->out, "comm", "echo", "args", tok2),
		       "an unknown container is not selected: the hook is what made it work");
	cr_expect_lt(ms, 5000, "the hook did not hold the container long");
	igt_result_free(ig);
	igt_bundle_destroy(hooked);
	igt_bundle_destroy(unhooked);
}

Test(ctr_hook, no_ig_returns_at_once)
{
	struct igt_bundle *b = echo_bundle("hk-none", "alone");
	struct igt_result *r;
	int status;
	long ms;

	add_ig_hooks(b);
	run_alt(b, &r);
	cr_expect_eq(r->status, 0, "%s", r->err);
	cr_expect_str_eq(r->out, "alone\n");
	ms = hook_alone(&status);
	cr_expect_eq(status, 0);
	cr_expect_lt(ms, 1000, "no ig: the hook must not wait (%ld ms)", ms);
	igt_result_free(r);
	igt_bundle_destroy(b);
}

/* A socket that is listened on but never accepted: a wedged ig. And a stale
 * socket file whose ig is gone. */
Test(ctr_hook, wedged_ig_costs_the_timeout_only)
{
	struct sockaddr_un wedged = { .sun_family = AF_UNIX }, stale = { .sun_family = AF_UNIX };
	struct igt_bundle *b = echo_bundle("hk-wedged", "still-runs");
	struct igt_result *r;
	struct stat sb;
	int wfd, sfd, status;
	long ms;

	snprintf(wedged.sun_path, sizeof(wedged.sun_path), "%s/ig-999998.sock", hook_dir);
	snprintf(stale.sun_path, sizeof(stale.sun_path), "%s/ig-999999.sock", hook_dir);
	wfd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	cr_assert_eq(bind(wfd, (struct sockaddr *)&wedged, sizeof(wedged)), 0);
	cr_assert_eq(listen(wfd, 8), 0);
	sfd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	cr_assert_eq(bind(sfd, (struct sockaddr *)&stale, sizeof(stale)), 0);
	close(sfd);

	add_ig_hooks(b);
	ms = run_alt(b, &r);
	cr_expect_eq(r->status, 0, "a wedged ig must not fail the container: %s", r->err);
	cr_expect_str_eq(r->out, "still-runs\n");
	/* createRuntime and poststop each wait for the wedged one once */
	cr_expect_geq(ms, 2 * 2000 - 200, "the hook gave up too early (%ld ms)", ms);
	igt_result_free(r);
	/* the hook alone: the timeout, not much more */
	ms = hook_alone(&status);
	cr_expect_eq(status, 0, "a wedged ig is no error");
	cr_expect_geq(ms, 1900, "gave up too early (%ld ms)", ms);
	cr_expect_lt(ms, 3500, "waited too long (%ld ms)", ms);
	r = NULL;
	cr_expect_neq(stat(stale.sun_path, &sb), 0, "the stale socket is removed");
	cr_expect_eq(errno, ENOENT);
	close(wfd);
	igt_result_free(r);
	igt_bundle_destroy(b);
}

Test(ctr_hook, bad_usage)
{
	struct igt_result *r = igt_ig(5000, "hook", "bogus", NULL);

	cr_expect_eq(r->status, 2);
	cr_expect(strstr(r->err, "bogus") && strstr(r->err, "createRuntime"), "%s", r->err);
	igt_result_free(r);
	/* stdin is /dev/null: no OCI state */
	r = igt_ig(5000, "hook", "prestart", NULL);
	cr_expect_eq(r->status, 1);
	cr_expect(strstr(r->err, "OCI state"), "%s", r->err);
	cr_expect_eq(igt_count(r->err, "\n"), 1, "one line: %s", r->err);
	igt_result_free(r);
}

Test(ctr_hook, unsafe_hook_dir_is_refused)
{
	struct igt_result *r;

	cr_assert_eq(chmod(hook_dir, 0777), 0);
	r = igt_ig(10000, "list-containers", "--watch", "-t", "1", NULL);
	cr_expect_eq(r->status, 0, "%s", r->err);
	cr_expect(strstr(r->err, hook_dir) && strstr(r->err, "not listening"), "%s", r->err);
	igt_result_free(r);
	cr_assert_eq(chmod(hook_dir, 0700), 0);
}
