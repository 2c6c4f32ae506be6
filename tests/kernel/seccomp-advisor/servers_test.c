// SPDX-License-Identifier: Apache-2.0
/*
 * What real servers showed (issue 18), on real runc:
 *  - a poll-loop server recorded without a pause survives pauses under its
 *    profile (the kernel resumes its poll() with restart_syscall, which the
 *    recording never saw: it is one of the implicit syscalls); recorded
 *    with --no-implicit, the same server dies at a pause, so the test can
 *    tell;
 *  - a program recorded with -- COMMAND --for-runtime runc[-nnp] starts in a
 *    runc container with that profile; recorded without it, runc cannot.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sa_helpers.h"

#define PORT	"7077"

static struct igt_result *ask(struct igt_bundle *b, const char *line)
{
	const char *const argv[] = { "/bin/sa_poll", "ask", PORT, line, NULL };

	return igt_bundle_exec(b, argv, 10000);
}

static void runc_do(const char *verb, const char *id)
{
	const char *const argv[] = { "runc", verb, id, NULL };
	struct igt_result *r = igt_run(argv, 10000);

	cr_assert_eq(r->status, 0, "runc %s %s: %s", verb, id, r->err);
	igt_result_free(r);
}

/* The server answers; returns false (and the output) when it does not. */
static bool answers(struct igt_bundle *b, char *why, size_t size)
{
	struct igt_result *r = ask(b, "ping");
	bool ok = r->status == 0 && !strncmp(r->out, "pong ", 5);

	snprintf(why, size, "status %d: %s%s", r->status, r->out, r->err);
	igt_result_free(r);
	return ok;
}

/* Wait for the server's "listening" line in its output file. */
static void wait_listening(struct igt_bundle *b)
{
	char path[300];
	int i;

	snprintf(path, sizeof(path), "%s/container.out", b->dir);
	for (i = 0; i < 100; i++) {
		char *out = igt_read_file(path, NULL);
		bool up = out && strstr(out, "listening");

		free(out);
		if (up)
			return;
		usleep(50 * 1000);
	}
	cr_assert_fail("sa_poll never listened (%s)", path);
}

/* Record the server in a container: two pings, then quit. No pause. */
static char *record_server(const char *tag, const char *extra)
{
	const char *const args[] = { "/bin/sa_poll", "serve", PORT, NULL };
	struct igt_bundle *b = sa_bundle(tag, args, "sa_poll");
	char dir[64], path[256], why[512];
	struct igt_result *r;
	struct igt_proc *ig;
	char *profile;

	igt_tmpdir_new(dir, sizeof(dir), "sa-srv");
	ig = igt_spawn_ig_ready("run", "seccomp-advisor", "-c", b->id, "--output-dir", dir,
				extra, NULL);
	igt_bundle_start(b);
	wait_listening(b);
	cr_assert(answers(b, why, sizeof(why)), "recording: %s", why);
	cr_assert(answers(b, why, sizeof(why)), "recording: %s", why);
	r = ask(b, "quit");
	cr_assert_str_eq(r->out, "bye\n", "status %d%s: %s", r->status,
			 r->timed_out ? " (timed out)" : "", r->err);
	igt_result_free(r);
	r = igt_proc_finish(ig, SIGINT, 20000);
	cr_assert_eq(r->status, 0, "ig: %s", r->err);
	igt_result_free(r);
	snprintf(path, sizeof(path), "%s/%s.json", dir, b->id);
	profile = igt_read_file(path, NULL);
	cr_assert(profile, "no profile %s", path);
	igt_tmpdir_remove(dir);
	igt_bundle_destroy(b);
	return profile;
}

/* Start the server under profile; pause and resume it 5 times with runc
 * (the cgroup freezer), then stop and continue it 5 times with signals,
 * asking after each. Returns how many of the 10 it survived. */
static int pauses_survived(const char *tag, const char *profile, char *why, size_t size)
{
	const char *const args[] = { "/bin/sa_poll", "serve", PORT, NULL };
	struct igt_bundle *b = sa_bundle(tag, args, "sa_poll");
	int i, survived = 0;
	pid_t pid;

	igt_bundle_set_seccomp(b, profile);
	igt_bundle_start(b);
	wait_listening(b);
	cr_assert(answers(b, why, size), "under the profile, before any pause: %s", why);
	pid = igt_bundle_pid(b);
	for (i = 0; i < 10; i++) {
		if (i < 5) {
			runc_do("pause", b->id);
			usleep(200 * 1000);
			runc_do("resume", b->id);
		} else {
			kill(pid, SIGSTOP);
			usleep(200 * 1000);
			kill(pid, SIGCONT);
		}
		usleep(100 * 1000);
		if (!answers(b, why, size))
			break;
		survived++;
	}
	if (survived < 10) {
		char path[300], *err;

		snprintf(path, sizeof(path), "%s/container.err", b->dir);
		err = igt_read_file(path, NULL);
		snprintf(why + strlen(why), size - strlen(why), "; server: %s", err ?: "");
		free(err);
	}
	igt_bundle_destroy(b);
	return survived;
}

Test(servers, poll_loop_survives_pauses, .timeout = 180)
{
	char *profile = record_server("sa-pause", NULL), why[1024];
	int n;

	/* not recorded (no pause while recording): there as an implicit call */
	cr_assert(sa_profile_allows(profile, "restart_syscall"), "%s", profile);
	n = pauses_survived("sa-pause", profile, why, sizeof(why));
	cr_assert_eq(n, 10, "died after %d of 10 pauses: %s\nprofile: %s", n, why, profile);
	free(profile);
}

/* The control: without the implicit calls the profile lacks
 * restart_syscall, and the server dies at a pause (poll() fails EPERM). */
Test(servers, poll_loop_dies_without_implicit, .timeout = 180)
{
	char *profile = record_server("sa-bare", "--no-implicit"), why[1024];
	int n;

	cr_assert_not(sa_profile_allows(profile, "restart_syscall"),
		      "restart_syscall recorded without a pause?\n%s", profile);
	n = pauses_survived("sa-bare", profile, why, sizeof(why));
	cr_assert_lt(n, 10, "survived every pause without restart_syscall: %s", profile);
	cr_assert(strstr(why, "poll: Operation not permitted"), "%s", why);
	free(profile);
}

/* -- COMMAND on the host; the table row says how it was recorded and what
 * it is for. */
static char *record_command(const char *fixture, const char *for_runtime, const char *want_for)
{
	char dir[64], path[256], prog[256], row[64];
	struct igt_result *r;
	char *profile;

	igt_tmpdir_new(dir, sizeof(dir), "sa-for");
	snprintf(prog, sizeof(prog), "%s/tests/fixtures/static/%s", igt_build_dir(), fixture);
	r = igt_ig(30000, "run", "seccomp-advisor", "--output-dir", dir, "--fields",
		   "name,recorded,for", "--for-runtime", for_runtime, "--", prog, NULL);
	cr_assert_eq(r->status, 0, "ig: %s", r->err);
	snprintf(row, sizeof(row), "command%*scommand   %s", 26, "", want_for);
	cr_assert(strstr(r->out, row), "want the row '%s' in:\n%s", row, r->out);
	snprintf(path, sizeof(path), "%s/command.json", dir);
	profile = igt_read_file(path, NULL);
	cr_assert(profile, "no profile %s: %s", path, r->err);
	igt_result_free(r);
	igt_tmpdir_remove(dir);
	return profile;
}

/* The same static program in a runc container under profile. */
static struct igt_result *run_in_container(const char *fixture, const char *profile, bool nnp)
{
	char in[64];
	const char *const args[] = { in, NULL };
	struct igt_bundle *b;
	struct igt_result *r;

	snprintf(in, sizeof(in), "/bin/%s", fixture);
	b = sa_bundle("sa-for", args, fixture);
	igt_bundle_set_nnp(b, nnp);
	igt_bundle_set_seccomp(b, profile);
	r = igt_bundle_run(b, 30000);
	igt_bundle_destroy(b);
	return r;
}

static void for_runtime_loop(const char *fixture)
{
	char prog[256], *plain, *runc, *nnp;
	const char *const argv[] = { prog, NULL };
	struct igt_result *ref, *r;

	snprintf(prog, sizeof(prog), "%s/tests/fixtures/static/%s", igt_build_dir(), fixture);
	ref = igt_run(argv, 10000);
	cr_assert_eq(ref->status, 0, "%s: %s", fixture, ref->err);
	plain = record_command(fixture, "none", "process");
	runc = record_command(fixture, "runc", "runc");
	nnp = record_command(fixture, "runc-nnp", "runc-nnp");

	/* the process's own profile: runc fails after installing it, either
	 * on a call of its own (EPERM) or in its Go runtime (a denied futex
	 * wake, which the runtime treats as fatal), whichever comes first */
	r = run_in_container(fixture, plain, true);
	cr_assert_neq(r->status, 0, "runc started %s under a process profile: %s", fixture,
		      r->out);
	cr_assert(strstr(r->err, "operation not permitted") || strstr(r->err, "fatal error:"),
		  "%s", r->err);
	cr_assert_str_neq(r->out, ref->out, "%s ran under a process profile", fixture);
	igt_result_free(r);
	/* runc: with or without noNewPrivileges */
	r = run_in_container(fixture, runc, true);
	cr_assert_eq(r->status, 0, "nnp true: %s\n%s", r->err, runc);
	cr_assert_str_eq(r->out, ref->out, "output differs in the container");
	igt_result_free(r);
	r = run_in_container(fixture, runc, false);
	cr_assert_eq(r->status, 0, "nnp false: %s\n%s", r->err, runc);
	cr_assert_str_eq(r->out, ref->out, "output differs in the container");
	igt_result_free(r);
	/* runc-nnp: enough with noNewPrivileges, and without what runc does
	 * only when it switches user and capabilities after the filter */
	r = run_in_container(fixture, nnp, true);
	cr_assert_eq(r->status, 0, "runc-nnp, nnp true: %s\n%s", r->err, nnp);
	igt_result_free(r);
	cr_assert(sa_profile_allows(runc, "setgroups"), "%s", runc);
	cr_assert_not(sa_profile_allows(nnp, "setgroups"), "%s", nnp);
	sa_validate(runc, "oci");
	igt_result_free(ref);
	free(plain);
	free(runc);
	free(nnp);
}

Test(servers, for_runtime_threads, .timeout = 180)
{
	for_runtime_loop("sa_threads");
}

Test(servers, for_runtime_files, .timeout = 180)
{
	for_runtime_loop("sa_files");
}

/* A container's profile gets its runtime's calls as recorded: --for-runtime
 * with containers is one line and a non-zero exit ("none" is accepted). */
Test(servers, for_runtime_only_with_a_command, .timeout = 60)
{
	struct igt_result *r;

	r = igt_ig(20000, "run", "seccomp-advisor", "--for-runtime", "runc", "-t", "1", NULL);
	cr_assert_neq(r->status, 0);
	cr_assert_eq(igt_count(r->err, "\n"), 1, "want one line: %s", r->err);
	cr_assert(strstr(r->err, "--for-runtime runc: only with -- COMMAND"), "%s", r->err);
	igt_result_free(r);
	r = igt_ig(20000, "run", "seccomp-advisor", "--for-runtime", "none", "-t", "1", NULL);
	cr_assert_eq(r->status, 0, "%s", r->err);
	igt_result_free(r);
}
