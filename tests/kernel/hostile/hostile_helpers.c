// SPDX-License-Identifier: Apache-2.0
/* Helpers of the hostile-input suite (hostile_helpers.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sched.h>
#include <sys/syscall.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "tests/kernel/hostile/hostile_helpers.h"

struct igt_bundle *hs_container(const char *tag, void (*annotate)(struct igt_bundle *b))
{
	const char *const args[] = { "/bin/sleep", "600", NULL };
	struct igt_bundle *b;
	char id[64];

	b = igt_bundle_new(igt_unique_id(id, tag), args);
	if (annotate)
		annotate(b);
	igt_bundle_start(b);
	return b;
}

bool hs_has_control(const char *text, size_t n, const char **where)
{
	const unsigned char *u = (const unsigned char *)text;

	for (size_t i = 0; i < n; i++) {
		bool bad = (u[i] < 0x20 && u[i] != '\n' && u[i] != '\t') || u[i] == 0x7f ||
			   (u[i] == 0xc2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f);

		if (bad) {
			if (where)
				*where = text + i;
			return true;
		}
	}
	return false;
}

void hs_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t n = strlen(text);

	cr_assert_geq(fd, 0, "cannot create %s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, text, n), (ssize_t)n, "write %s", path);
	close(fd);
}

char *hs_state_copy(struct igt_bundle *b, const char *id, pid_t pid)
{
	char path[PATH_MAX], *text, *out;
	json_t *st;

	snprintf(path, sizeof(path), "/run/runc/%s/state.json", b->id);
	text = igt_read_file(path, NULL);
	cr_assert_not_null(text, "runc state %s", path);
	st = json_loads(text, 0, NULL);
	cr_assert_not_null(st, "runc state %s is JSON", path);
	json_object_set_new(st, "id", json_string(id));
	if (pid > 0) {
		json_object_set_new(st, "init_process_pid", json_integer(pid));
		json_object_del(st, "init_process_start");
	}
	out = json_dumps(st, JSON_COMPACT);
	json_decref(st);
	free(text);
	return out;
}

long hs_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

pid_t hs_free_pid(void)
{
	char *text = igt_read_file("/proc/sys/kernel/pid_max", NULL);
	long max = text ? atol(text) : 32768;

	free(text);
	for (int tries = 0; tries < 1000; tries++) {
		pid_t pid = (pid_t)(max / 2 + rand() % (max / 4));

		if (kill(pid, 0) && errno == ESRCH)
			return pid;
	}
	cr_assert_fail("no free pid found");
	return -1;
}

static char *slurp_fd(int fd, size_t *len)
{
	size_t n = 0, cap = 4096;
	char *buf = malloc(cap + 1);
	ssize_t r;

	cr_assert_not_null(buf);
	lseek(fd, 0, SEEK_SET);
	while ((r = read(fd, buf + n, cap - n)) > 0) {
		n += (size_t)r;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			cr_assert_not_null(buf);
		}
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

struct igt_result *hs_run_as_pid(pid_t pid, const char *const argv[], int timeout_ms)
{
	struct clone_args ca = { .exit_signal = SIGCHLD, .set_tid_size = 1 };
	struct igt_result *r = calloc(1, sizeof(*r));
	char out[] = "/tmp/igt-hs-out-XXXXXX", err[] = "/tmp/igt-hs-err-XXXXXX";
	int ofd = mkstemp(out), efd = mkstemp(err), st;
	long deadline = hs_now_ms() + timeout_ms;
	pid_t got;

	cr_assert(r && ofd >= 0 && efd >= 0);
	unlink(out);
	unlink(err);
	ca.set_tid = (uint64_t)(uintptr_t)&pid;
	got = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	cr_assert_geq(got, 0, "clone3 with set_tid %d: %s", (int)pid, strerror(errno));
	if (!got) {
		int null = open("/dev/null", O_RDONLY);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(null, 0);
		dup2(ofd, 1);
		dup2(efd, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	cr_assert_eq(got, pid);
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (hs_now_ms() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			r->timed_out = true;
			break;
		}
		usleep(10000);
	}
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r->out = slurp_fd(ofd, &r->out_len);
	r->err = slurp_fd(efd, &r->err_len);
	close(ofd);
	close(efd);
	return r;
}

void hs_gadget_dir(char *buf, size_t size, const char *variant, const char *name)
{
	char cmd[2 * PATH_MAX];

	igt_tmpdir_new(buf, size, "gadgets");
	snprintf(cmd, sizeof(cmd), "cp '%s/tests/fixtures/gadgets/%s.so' '%s/%s.so'",
		 igt_build_dir(), variant, buf, name);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

struct hs_piped *hs_spawn_piped(const char *const argv[])
{
	struct hs_piped *p = calloc(1, sizeof(*p));
	int pfd[2], efd;

	cr_assert_not_null(p);
	snprintf(p->err_path, sizeof(p->err_path), "/tmp/igt-hs-perr-XXXXXX");
	efd = mkstemp(p->err_path);
	cr_assert_geq(efd, 0);
	cr_assert_eq(pipe2(pfd, O_CLOEXEC), 0);
	p->pid = fork();
	cr_assert_geq(p->pid, 0);
	if (!p->pid) {
		int null = open("/dev/null", O_RDONLY);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(null, 0);
		dup2(pfd[1], 1);
		dup2(efd, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pfd[1]);
	close(efd);
	p->out_fd = pfd[0];
	fcntl(p->out_fd, F_SETFL, O_NONBLOCK);
	return p;
}

void hs_piped_read(struct hs_piped *p, char **buf, size_t *len, bool wait_eof)
{
	char chunk[65536];
	ssize_t n;

	for (;;) {
		n = read(p->out_fd, chunk, sizeof(chunk));
		if (n > 0) {
			*buf = realloc(*buf, *len + (size_t)n + 1);
			cr_assert_not_null(*buf);
			memcpy(*buf + *len, chunk, (size_t)n);
			*len += (size_t)n;
			(*buf)[*len] = '\0';
			continue;
		}
		if (n == 0 || !wait_eof)
			break;
		if (errno == EAGAIN)
			usleep(2000);
	}
	if (!*buf) {
		*buf = calloc(1, 1);
		*len = 0;
	}
}

int hs_piped_wait(struct hs_piped *p, int timeout_ms, char **err)
{
	long deadline = hs_now_ms() + timeout_ms;
	int st, ret;

	while (waitpid(p->pid, &st, WNOHANG) == 0) {
		if (hs_now_ms() > deadline) {
			kill(p->pid, SIGKILL);
			waitpid(p->pid, &st, 0);
			ret = -1;
			goto out;
		}
		usleep(5000);
	}
	ret = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
out:
	*err = igt_read_file(p->err_path, NULL);
	if (!*err)
		*err = strdup("");
	unlink(p->err_path);
	close(p->out_fd);
	free(p);
	return ret;
}

bool hs_wait_file(const char *path, int timeout_ms)
{
	long deadline = hs_now_ms() + timeout_ms;
	struct stat sb;

	while (hs_now_ms() < deadline) {
		if (!stat(path, &sb) && sb.st_size > 0)
			return true;
		usleep(10000);
	}
	return false;
}

void hs_run_n(const char *const argv[], int n)
{
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		cr_assert_geq(pid, 0);
		if (!pid) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, 1);
			dup2(null, 2);
			execv(argv[0], (char *const *)argv);
			_exit(127);
		}
		waitpid(pid, NULL, 0);
	}
}
