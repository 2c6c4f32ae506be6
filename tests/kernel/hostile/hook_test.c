// SPDX-License-Identifier: Apache-2.0
/*
 * Cases 9 and 5 (second part) of issue 17: what the hook socket and runc
 * state files say is checked against the kernel, and hook clients that say
 * nothing cost the event loop nothing.
 *   - a hook message or a state.json naming a host process (the test's own)
 *     does not make host processes a container;
 *   - a pid of 2^32 + N is not N; an unknown stage is refused;
 *   - poststop naming a running container does not stop its tracing;
 *   - 60 silent clients do not delay an honest hook message.
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "tests/kernel/hostile/hostile_helpers.h"

static char hookdir[64];

/* A hook directory of the suite's own: other igs of other tests do not see
 * the messages, and this ig hears no one else's. */
static void setup(void)
{
	igt_tmpdir_new(hookdir, sizeof(hookdir), "hookdir");
	setenv("IG_HOOK_DIR", hookdir, 1);
}

static void teardown(void)
{
	unsetenv("IG_HOOK_DIR");
	igt_tmpdir_remove(hookdir);
}

TestSuite(hook, .init = setup, .fini = teardown, .timeout = 90);

static int connect_ig(pid_t ig)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0);
	cr_assert_lt((size_t)snprintf(addr.sun_path, sizeof(addr.sun_path), "%.64s/ig-%d.sock",
				      hookdir, (int)ig), sizeof(addr.sun_path));
	cr_assert_eq(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0, "connect %s",
		     addr.sun_path);
	return fd;
}

/* Send msg to ig and return its answer ("ok", "error"), or "" when none
 * came within timeout_ms. */
static const char *ask(pid_t ig, const char *msg, int timeout_ms)
{
	static char reply[16];
	int fd = connect_ig(ig);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	cr_assert_eq(send(fd, msg, strlen(msg), MSG_NOSIGNAL), (ssize_t)strlen(msg));
	reply[0] = '\0';
	if (poll(&pfd, 1, timeout_ms) == 1 && (n = recv(fd, reply, sizeof(reply) - 1, 0)) > 0)
		reply[n] = '\0';
	close(fd);
	return reply;
}

static const char *create_msg(const char *id, long long pid, const char *stage)
{
	static char msg[512];

	snprintf(msg, sizeof(msg), "{\"stage\":\"%s\",\"state\":{\"ociVersion\":\"1.0.2\","
		 "\"id\":\"%s\",\"status\":\"creating\",\"pid\":%lld,\"bundle\":\"/nonexistent\"}}",
		 stage, id, pid);
	return msg;
}

/* Records of trace-exec in out that name container `name`. */
static int records_named(const char *out, const char *name)
{
	char needle[128];

	snprintf(needle, sizeof(needle), "\"containerName\":\"%s\"", name);
	return igt_count(out, needle);
}

Test(hook, host_pid_is_not_a_container)
{
	const char *const argv[] = { "/bin/true", "igt-hook-host-exec", NULL };
	struct igt_proc *p = igt_spawn_ig_ready("run", "trace-exec", "--host", "-o", "json", NULL);
	struct igt_result *r;

	cr_expect_str_eq(ask(p->pid, create_msg("fake-self", getpid(), "createRuntime"), 5000),
			 "error", "a host process is refused");
	hs_run_n(argv, 3);
	usleep(300 * 1000);
	r = igt_proc_finish(p, SIGINT, 10000);
	cr_expect(strstr(r->out, "igt-hook-host-exec"), "the execs were traced: %s", r->out);
	cr_expect_eq(records_named(r->out, "fake-self"), 0, "host execs named fake-self: %s",
		     r->out);
	cr_expect(strstr(r->err, "container fake-self ignored") &&
		  strstr(r->err, "mount namespace"), "%s", r->err);
	igt_result_free(r);
}

Test(hook, pid_beyond_32_bits_and_unknown_stage)
{
	struct igt_proc *p = igt_spawn_ig_ready("run", "trace-exec", "-o", "json", NULL);
	pid_t child = igt_mntns_child();
	struct igt_result *r;

	cr_expect_str_eq(ask(p->pid, create_msg("wrapped", (1ll << 32) + child,
						"createRuntime"), 5000), "error",
			 "2^32 + pid is not pid");
	cr_expect_str_eq(ask(p->pid, create_msg("staged", child, "teardown"), 5000), "error",
			 "an unknown stage is refused");
	cr_expect_str_eq(ask(p->pid, create_msg("honest", child, "createRuntime"), 5000), "ok");
	r = igt_proc_finish(p, SIGINT, 10000);
	cr_expect(strstr(r->err, "no valid pid"), "%s", r->err);
	cr_expect(strstr(r->err, "unknown hook stage"), "%s", r->err);
	igt_result_free(r);
	igt_child_kill(child);
}

Test(hook, poststop_of_a_running_container_is_refused)
{
	struct igt_bundle *b = hs_container("hookstop", NULL);
	const char *const argv[] = { "/bin/true", "igt-after-poststop", NULL };
	struct igt_proc *p = igt_spawn_ig_ready("run", "trace-exec", "-c", b->id, "-o", "json",
						NULL);
	struct igt_result *r, *ex;
	char msg[256];

	snprintf(msg, sizeof(msg), "{\"stage\":\"poststop\",\"state\":{\"id\":\"%s\"}}", b->id);
	cr_expect_str_eq(ask(p->pid, msg, 5000), "error", "its init still runs");
	ex = igt_bundle_exec(b, argv, 20000);
	cr_expect_eq(ex->status, 0, "%s", ex->err);
	igt_result_free(ex);
	usleep(300 * 1000);
	r = igt_proc_finish(p, SIGINT, 10000);
	cr_expect(strstr(r->out, "igt-after-poststop"), "still traced after the poststop: %s",
		  r->out);
	cr_expect(strstr(r->err, "whose init process still runs"), "%s", r->err);
	igt_result_free(r);
	igt_bundle_destroy(b);
}

/* runc state naming a host process: not a container either. */
Test(hook, state_file_naming_a_host_process)
{
	struct igt_bundle *b = hs_container("hoststate", NULL);
	char root[256], path[PATH_MAX], *state;
	struct igt_result *r;

	igt_tmpdir_new(root, sizeof(root), "hostroot");
	snprintf(path, sizeof(path), "%s/fake-host", root);
	cr_assert_eq(mkdir(path, 0700), 0);
	strcat(path, "/state.json");
	state = hs_state_copy(b, "fake-host", getpid());
	hs_write(path, state);
	free(state);
	r = igt_ig(20000, "list-containers", "-o", "json", "--runtime-root", root, NULL);
	cr_expect_eq(r->status, 0, "%s", r->err);
	cr_expect_not(strstr(r->out, "fake-host"), "a host process listed as a container: %s",
		      r->out);
	cr_expect(strstr(r->out, b->id), "the real container is listed: %s", r->out);
	cr_expect(strstr(r->err, "container fake-host ignored"), "said without -v: %s", r->err);
	igt_result_free(r);
	igt_tmpdir_remove(root);
	igt_bundle_destroy(b);
}

Test(hook, silent_clients_do_not_delay_a_hook)
{
	struct igt_proc *p = igt_spawn_ig_ready("run", "trace-exec", "-o", "json", NULL);
	pid_t child = igt_mntns_child();
	int silent[60];
	long t0;
	struct igt_result *r;

	for (int i = 0; i < 60; i++)
		silent[i] = connect_ig(p->pid);
	/* ig hook gives up after its own 2 s (IG_HOOK_TIMEOUT_MS): the answer
	 * must come within that, or the container would run untraced. */
	t0 = hs_now_ms();
	cr_expect_str_eq(ask(p->pid, create_msg("after-silent", child, "createRuntime"), 2000),
			 "ok", "an honest hook behind 60 silent clients");
	cr_log_info("answered %ld ms after 60 silent clients connected", hs_now_ms() - t0);
	for (int i = 0; i < 60; i++)
		close(silent[i]);
	r = igt_proc_finish(p, SIGINT, 10000);
	cr_expect_eq(r->status, 0, "%s", r->err);
	igt_result_free(r);
	igt_child_kill(child);
}
