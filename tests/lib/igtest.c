// SPDX-License-Identifier: Apache-2.0
/*
 * Test helpers: locate the build, run commands with a timeout while capturing
 * their output. Background processes are in spawn.c, bundles in bundle.c.
 *
 * Set-up failures abort the current Criterion test (cr_assert_fail): a test
 * must never pass because its harness could not do its job.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "igtest.h"
#include "igtest_priv.h"


static char build_dir[PATH_MAX];
static char ig_path[PATH_MAX + 8];

const char *igt_build_dir(void)
{
	char exe[PATH_MAX];
	const char *env = getenv("IG_BUILD_DIR");
	ssize_t n;
	char *slash;
	int i;

	if (build_dir[0])
		return build_dir;
	if (env && env[0]) {
		if (!realpath(env, build_dir))
			cr_assert_fail("IG_BUILD_DIR=%s: %s", env, strerror(errno));
		return build_dir;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		cr_assert_fail("readlink /proc/self/exe: %s", strerror(errno));
	exe[n] = '\0';
	/* <BUILD>/tests/<bin>: strip the binary name and "tests". */
	for (i = 0; i < 2; i++) {
		slash = strrchr(exe, '/');
		if (!slash || slash == exe)
			cr_assert_fail("cannot derive the build dir from %s; set IG_BUILD_DIR",
				       exe);
		*slash = '\0';
	}
	snprintf(build_dir, sizeof(build_dir), "%s", exe);
	return build_dir;
}

const char *igt_ig_path(void)
{
	if (!ig_path[0])
		snprintf(ig_path, sizeof(ig_path), "%s/ig", igt_build_dir());
	return ig_path;
}

long igt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* ---------------------------------------------------------------- buffers */

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

static void buf_append(struct buf *b, const char *data, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;

		while (cap < b->len + len + 1)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (!b->data)
			cr_assert_fail("out of memory capturing output (%zu bytes)", cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

/* Read what is available on fd into b: 1 if more may come, 0 at EOF, -errno. */
static int buf_read_fd(struct buf *b, int fd)
{
	char chunk[65536];
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n > 0) {
			buf_append(b, chunk, n);
			continue;
		}
		if (n == 0)
			return 0;
		if (errno == EINTR)
			continue;
		return errno == EAGAIN ? 1 : -errno;
	}
}

struct igt_result *igt_result_new(void)
{
	struct igt_result *r = calloc(1, sizeof(*r));

	if (!r)
		cr_assert_fail("out of memory");
	return r;
}

static void result_take(struct igt_result *r, struct buf *out, struct buf *err)
{
	if (!out->data)
		buf_append(out, "", 0);
	if (!err->data)
		buf_append(err, "", 0);
	r->out = out->data;
	r->out_len = out->len;
	r->err = err->data;
	r->err_len = err->len;
}

void igt_result_free(struct igt_result *r)
{
	if (!r)
		return;
	free(r->out);
	free(r->err);
	free(r);
}

int igt_status_from_wait(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return -1;
}

/* ---------------------------------------------------------------- fork/exec */

/*
 * Child side (parent = the test's pid, taken before fork): dies with the
 * parent, own process group (so a timeout kills the whole tree), stdin
 * from /dev/null, stdout/stderr to the given fds, extra environment, exec.
 * Never returns; exit code 127 says exec failed (message on stderr).
 */
void igt_exec_child(pid_t parent, const char *const argv[], const char *const env[], int out_fd,
		    int err_fd)
{
	sigset_t none;
	int devnull;
	size_t i;

	/* Die with the test: a Criterion timeout SIGKILLs the test process, and
	 * a background ig left attached would slow down every later test. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(126);
	setpgid(0, 0);
	/* Undo what the test runner may have set: a shell starting us in the
	 * background ignores SIGINT, which ig and its tests rely on. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	devnull = open("/dev/null", O_RDONLY);
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
		_exit(126);
	for (i = 0; env && env[i]; i++)
		putenv((char *)env[i]);
	execvp(argv[0], (char *const *)argv);
	dprintf(2, "igtest: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

void igt_kill_tree(pid_t pid)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
}

static int pidfd_open_(pid_t pid)
{
	return syscall(SYS_pidfd_open, pid, 0);
}

/*
 * Pump both pipes until the child exits or the deadline passes. Exit is seen
 * through a pidfd, so a grandchild that keeps the pipes open (a daemon) does
 * not hang us; whatever the child wrote before exiting is drained.
 */
static void pump(pid_t pid, int out_fd, int err_fd, int timeout_ms, struct igt_result *r,
		 struct buf *out, struct buf *err)
{
	long deadline = igt_now_ms() + timeout_ms;
	int pidfd = pidfd_open_(pid);
	bool out_open = true, err_open = true, exited = false;
	int wstatus = 0;

	if (pidfd < 0)
		cr_assert_fail("pidfd_open: %s", strerror(errno));
	fcntl(out_fd, F_SETFL, O_NONBLOCK);
	fcntl(err_fd, F_SETFL, O_NONBLOCK);
	while (!exited) {
		struct pollfd pfd[3] = {
			{ .fd = out_open ? out_fd : -1, .events = POLLIN },
			{ .fd = err_open ? err_fd : -1, .events = POLLIN },
			{ .fd = pidfd, .events = POLLIN },
		};
		long left = deadline - igt_now_ms();

		if (left <= 0) {
			r->timed_out = true;
			igt_kill_tree(pid);
			break;
		}
		if (poll(pfd, 3, left) < 0 && errno != EINTR)
			cr_assert_fail("poll: %s", strerror(errno));
		if (pfd[0].revents)
			out_open = buf_read_fd(out, out_fd) > 0;
		if (pfd[1].revents)
			err_open = buf_read_fd(err, err_fd) > 0;
		if (pfd[2].revents)
			exited = true;
	}
	/* Drain what the child left in the pipes before it died. */
	if (out_open)
		buf_read_fd(out, out_fd);
	if (err_open)
		buf_read_fd(err, err_fd);
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	/* Members of its group that outlived it (timeout or not) go too. */
	kill(-pid, SIGKILL);
	r->status = igt_status_from_wait(wstatus);
	close(pidfd);
}

struct igt_result *igt_run_env(const char *const argv[], const char *const env[], int timeout_ms)
{
	struct buf out = { 0 }, err = { 0 };
	struct igt_result *r = igt_result_new();
	pid_t pid, parent = getpid();
	int po[2], pe[2];

	if (!argv || !argv[0])
		cr_assert_fail("igt_run: empty argv");
	if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0)
		cr_assert_fail("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		cr_assert_fail("fork: %s", strerror(errno));
	if (pid == 0)
		igt_exec_child(parent, argv, env, po[1], pe[1]);
	setpgid(pid, pid); /* also from the parent: no race with kill(-pid) */
	close(po[1]);
	close(pe[1]);
	pump(pid, po[0], pe[0], timeout_ms, r, &out, &err);
	close(po[0]);
	close(pe[0]);
	result_take(r, &out, &err);
	return r;
}

struct igt_result *igt_run(const char *const argv[], int timeout_ms)
{
	return igt_run_env(argv, NULL, timeout_ms);
}

int igt_ig_argv(const char **argv, int max, const char *first, va_list ap)
{
	const char *a;
	int n = 0;

	argv[n++] = igt_ig_path();
	for (a = first; a; a = va_arg(ap, const char *)) {
		if (n >= max - 1)
			cr_assert_fail("too many arguments for ig (max %d)", max - 2);
		argv[n++] = a;
	}
	argv[n] = NULL;
	return n;
}

struct igt_result *igt_ig(int timeout_ms, ...)
{
	const char *argv[IGT_MAX_ARGS];
	va_list ap;

	va_start(ap, timeout_ms);
	igt_ig_argv(argv, IGT_MAX_ARGS, va_arg(ap, const char *), ap);
	va_end(ap);
	return igt_run(argv, timeout_ms);
}

/* ---------------------------------------------------------------- misc */

const char *igt_unique_id(char *buf, const char *tag)
{
	static unsigned counter;

	snprintf(buf, 64, "igt-%.24s-%d-%u", tag ? tag : "t", (int)getpid(), counter++);
	return buf;
}

char *igt_read_file(const char *path, size_t *len)
{
	struct buf b = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err;

	if (fd < 0)
		return NULL;
	err = buf_read_fd(&b, fd);
	close(fd);
	if (err < 0) {
		free(b.data);
		errno = -err;
		return NULL;
	}
	if (!b.data)
		buf_append(&b, "", 0);
	if (len)
		*len = b.len;
	return b.data;
}

uint64_t igt_ns_inode(pid_t pid, const char *ns)
{
	char path[64];
	struct stat sb;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns);
	cr_assert_eq(stat(path, &sb), 0, "stat %s", path);
	return sb.st_ino;
}

const char *igt_arg(const char *const list[], int i)
{
	int k;

	if (!list)
		return NULL;
	for (k = 0; k < i; k++)
		if (!list[k])
			return NULL;
	return list[i];
}

int igt_count(const char *haystack, const char *needle)
{
	size_t nlen = strlen(needle), len, i = 0;
	int n = 0;

	if (!haystack || !nlen)
		return 0;
	/* No strstr() loop: ASan's strstr measures the whole haystack on every
	 * call, which made counting in 1 MiB of output take minutes. */
	len = strlen(haystack);
	while (i + nlen <= len) {
		if (haystack[i] == needle[0] && !memcmp(haystack + i, needle, nlen)) {
			n++;
			i += nlen;
		} else {
			i++;
		}
	}
	return n;
}

void igt_tmpdir_new(char *buf, size_t size, const char *tag)
{
	snprintf(buf, size, "/tmp/igt-%s-XXXXXX", tag);
	cr_assert_not_null(mkdtemp(buf), "cannot make %s", buf);
}

void igt_tmpdir_remove(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		cr_log_warn("cannot remove %s", dir);
}
