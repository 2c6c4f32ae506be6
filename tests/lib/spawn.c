// SPDX-License-Identifier: Apache-2.0
/*
 * Background processes: output to pid-tagged temp files (reaped after the
 * run if the test dies), wait for a needle or for ig's --ready-file, stop
 * with a signal and collect the output.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igtest.h"
#include "igtest_priv.h"

static int make_temp(char *path, size_t size, const char *tag)
{
	int fd;

	/* The pid lets the end-of-run reaper (bundle.c) remove files of tests
	 * killed before they could. */
	snprintf(path, size, "/tmp/igt-%s-%d-XXXXXX", tag, (int)getpid());
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		cr_assert_fail("mkstemp %s: %s", path, strerror(errno));
	return fd;
}

struct igt_proc *igt_spawn(const char *const argv[])
{
	struct igt_proc *p = calloc(1, sizeof(*p));
	pid_t parent = getpid();
	int out_fd, err_fd;

	if (!p)
		cr_assert_fail("out of memory");
	if (!argv || !argv[0])
		cr_assert_fail("igt_spawn: empty argv");
	out_fd = make_temp(p->out_path, sizeof(p->out_path), "out");
	err_fd = make_temp(p->err_path, sizeof(p->err_path), "err");
	p->pid = fork();
	if (p->pid < 0)
		cr_assert_fail("fork: %s", strerror(errno));
	if (p->pid == 0)
		igt_exec_child(parent, argv, NULL, out_fd, err_fd);
	setpgid(p->pid, p->pid);
	close(out_fd);
	close(err_fd);
	return p;
}

/* Has the process exited? Does not reap it (igt_proc_finish does). */
static bool proc_exited(pid_t pid)
{
	siginfo_t si = { 0 };

	if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return true;
	return si.si_pid == pid;
}

static bool file_contains(const char *path, const char *needle)
{
	char *data = igt_read_file(path, NULL);
	bool found = data && strstr(data, needle);

	free(data);
	return found;
}

bool igt_proc_wait_output(struct igt_proc *p, const char *needle, int timeout_ms)
{
	long deadline = igt_now_ms() + timeout_ms;

	for (;;) {
		bool exited = proc_exited(p->pid);

		/* Check after the exit test so the final output is seen. */
		if (file_contains(p->out_path, needle) || file_contains(p->err_path, needle))
			return true;
		if (exited || igt_now_ms() >= deadline)
			return false;
		usleep(10000);
	}
}

struct igt_result *igt_proc_finish(struct igt_proc *p, int sig, int timeout_ms)
{
	struct igt_result *r = igt_result_new();
	long deadline = igt_now_ms() + timeout_ms;
	int wstatus = 0;
	size_t len;

	if (sig)
		kill(p->pid, sig);
	while (waitpid(p->pid, &wstatus, WNOHANG) == 0) {
		if (igt_now_ms() >= deadline) {
			r->timed_out = true;
			igt_kill_tree(p->pid);
			waitpid(p->pid, &wstatus, 0);
			break;
		}
		usleep(5000);
	}
	kill(-p->pid, SIGKILL);
	r->status = igt_status_from_wait(wstatus);
	r->out = igt_read_file(p->out_path, &len);
	r->out_len = r->out ? len : 0;
	r->err = igt_read_file(p->err_path, &len);
	r->err_len = r->err ? len : 0;
	if (!r->out)
		r->out = strdup("");
	if (!r->err)
		r->err = strdup("");
	unlink(p->out_path);
	unlink(p->err_path);
	free(p);
	return r;
}

/* Wait for ig's --ready-file to hold its pid; fail the test with ig's stderr. */
static void wait_ready(struct igt_proc *p, const char *ready_path, int timeout_ms)
{
	long deadline = igt_now_ms() + timeout_ms;
	struct igt_result *r;
	struct stat st;

	for (;;) {
		if (stat(ready_path, &st) == 0 && st.st_size > 0)
			break;
		if (proc_exited(p->pid) || igt_now_ms() >= deadline) {
			bool exited = proc_exited(p->pid);

			unlink(ready_path);
			r = igt_proc_finish(p, SIGKILL, 2000);
			cr_assert_fail("ig %s before it was ready (status %d); stderr:\n%s",
				       exited ? "exited" : "did not get ready in time",
				       r->status, r->err);
		}
		usleep(5000);
	}
	unlink(ready_path);
}

struct igt_proc *igt_spawn_ig_ready(const char *arg0, ...)
{
	const char *args[IGT_MAX_ARGS], *argv[IGT_MAX_ARGS + 2];
	char ready[64];
	struct igt_proc *p;
	int n, i, j = 0, fd;
	va_list ap;

	va_start(ap, arg0);
	n = igt_ig_argv(args, IGT_MAX_ARGS, arg0, ap);
	va_end(ap);
	fd = make_temp(ready, sizeof(ready), "ready");
	close(fd);
	unlink(ready); /* ig creates it; its existence with content is the signal */
	/* --ready-file goes before "--" (ig's global flags precede the command). */
	for (i = 0; i < n; i++) {
		if (!strcmp(args[i], "--") && j == i) {
			argv[j++] = "--ready-file";
			argv[j++] = ready;
		}
		argv[j++] = args[i];
	}
	if (j == n) {
		argv[j++] = "--ready-file";
		argv[j++] = ready;
	}
	argv[j] = NULL;
	p = igt_spawn(argv);
	wait_ready(p, ready, 20000);
	return p;
}
