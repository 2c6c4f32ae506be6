// SPDX-License-Identifier: Apache-2.0
/*
 * The live status line: drawn on stderr when it is a terminal (a real pty
 * here), never when stderr is a pipe or a file.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/lib/igtest.h"

/* Run ig on a pty (stdout and stderr both), return all it wrote. */
static char *run_on_pty(const char *const argv[], int *status)
{
	size_t len = 0, cap = 65536;
	char *buf = calloc(1, cap);
	int master;
	pid_t pid;

	pid = forkpty(&master, NULL, NULL, NULL);
	cr_assert_geq(pid, 0, "forkpty: %s", strerror(errno));
	if (pid == 0) {
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	for (;;) {
		struct pollfd pfd = { .fd = master, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 20000) <= 0)
			break;
		n = read(master, buf + len, cap - 1 - len);
		if (n <= 0)	/* EIO once the child side is closed */
			break;
		len += (size_t)n;
		if (len >= cap - 1)
			break;
	}
	close(master);
	cr_assert_eq(waitpid(pid, status, 0), pid);
	buf[len] = '\0';
	return buf;
}

Test(status, shown_on_a_terminal_only, .timeout = 60)
{
	const char *const argv[] = { igt_ig_path(), "run", "trace-exec", "--", "/bin/sh", "-c",
				     "sleep 1; /bin/true", NULL };
	struct igt_result *r;
	int status;
	char *out = run_on_pty(argv, &status);

	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d: %s", status, out);
	cr_assert(strstr(out, "\r\033[K"), "no status line on a terminal: %s", out);
	cr_assert(strstr(out, "records"), "%s", out);
	cr_assert(strstr(out, "lost"), "%s", out);
	cr_assert(strstr(out, "true"), "records still printed: %s", out);
	free(out);

	r = igt_ig(30000, "run", "trace-exec", "--", "/bin/sh", "-c", "sleep 1", NULL);
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_not(strstr(r->err, "\033["), "status line on a pipe: %s", r->err);
	cr_assert_not(strstr(r->out, "\033["), "escape codes on a pipe: %s", r->out);
	igt_result_free(r);
}

/* A gadget's own text (host->set_status, ABI 1.3) follows the core's fields,
 * with the run of --runs; the line is cut to the terminal's width. */
Test(status, gadget_text_and_runs, .timeout = 60)
{
	char dir[256], gadget[512], cmd[1024];
	const char *argv[] = { igt_ig_path(), "run", "--gadget-path", dir, "fixture-runs",
			       "--runs", "2", "--", "/bin/sleep", "1", NULL };
	int status;
	char *out;

	igt_tmpdir_new(dir, sizeof(dir), "status");
	snprintf(gadget, sizeof(gadget), "%s/fixture-runs.so", dir);
	snprintf(cmd, sizeof(cmd), "cp '%s/tests/fixtures/gadgets/runs.so' '%s'",
		 igt_build_dir(), gadget);
	cr_assert_eq(system(cmd), 0);
	out = run_on_pty(argv, &status);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d: %s", status, out);
	cr_expect(strstr(out, "run 1/2  fixture run 0 tick "), "%s", out);
	cr_expect(strstr(out, "run 2/2  fixture run 1 tick "), "%s", out);
	free(out);
	igt_tmpdir_remove(dir);
}

/* An advisor's progress: how many syscalls, for how long, the last new one. */
Test(status, advisor_progress, .timeout = 60)
{
	const char *const argv[] = { igt_ig_path(), "run", "seccomp-advisor", "--", "/bin/sh",
				     "-c", "sleep 1", NULL };
	int status;
	char *out = run_on_pty(argv, &status);

	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d: %s", status, out);
	cr_expect(strstr(out, " syscalls in "), "%s", out);
	cr_expect(strstr(out, ", new "), "%s", out);
	free(out);
}
