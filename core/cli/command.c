// SPDX-License-Identifier: Apache-2.0
/*
 * The traced command. The child blocks on a pipe between fork and execve:
 * the parent registers its pid in the pid filter (the kernel adds its
 * descendants on fork) and attaches the gadget first, so even the first
 * execve is seen. A second, close-on-exec pipe carries execvp's errno back,
 * so "command not found" is one clear line instead of a silent 127.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "command.h"

static void child(char *const argv[], int release_rd, int err_wr, const sigset_t *mask)
{
	ssize_t n;
	char b = 0;
	int e;

	/* ig blocks SIGINT/SIGTERM for its signalfd and ignores SIGPIPE; the
	 * command gets the defaults back. */
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	do {
		n = read(release_rd, &b, 1);
	} while (n < 0 && errno == EINTR);
	if (n != 1 || b != 'g')
		_exit(127);	/* ig gave up before releasing us */
	close(release_rd);
	execvp(argv[0], argv);
	e = errno;
	if (write(err_wr, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

int ig_command__spawn(struct ig_command *c, char *const argv[], const sigset_t *orig_mask)
{
	int rel[2], ex[2], err;

	memset(c, 0, sizeof(*c));
	c->pid = -1;
	c->pidfd = c->release_fd = c->exec_err_fd = -1;
	if (pipe2(rel, O_CLOEXEC))
		return -errno;
	if (pipe2(ex, O_CLOEXEC)) {
		err = -errno;
		goto err_close_rel;
	}
	c->pid = fork();
	if (c->pid < 0) {
		err = -errno;
		goto err_close_ex;
	}
	if (c->pid == 0) {
		close(rel[1]);
		close(ex[0]);
		child(argv, rel[0], ex[1], orig_mask);
	}
	close(rel[0]);
	close(ex[1]);
	c->release_fd = rel[1];
	c->exec_err_fd = ex[0];
	c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	if (c->pidfd < 0 && errno != ENOSYS) {
		err = -errno;
		ig_command__abort(c);
		return err;
	}
	/* ENOSYS (kernels before 5.3, valgrind): the caller watches SIGCHLD. */
	return 0;

err_close_ex:
	close(ex[0]);
	close(ex[1]);
err_close_rel:
	close(rel[0]);
	close(rel[1]);
	return err;
}

int ig_command__release(struct ig_command *c)
{
	ssize_t n;
	char b = 'g';
	int e = 0;

	n = write(c->release_fd, &b, 1);
	close(c->release_fd);
	c->release_fd = -1;
	if (n != 1)
		return -EPIPE;
	do {
		n = read(c->exec_err_fd, &e, sizeof(e));
	} while (n < 0 && errno == EINTR);
	close(c->exec_err_fd);
	c->exec_err_fd = -1;
	if (n == sizeof(e)) {
		ig_command__reap(c);
		return -e;
	}
	return 0;
}

static int reap(struct ig_command *c, int flags)
{
	int st;
	pid_t r;

	if (c->reaped)
		return 0;
	do {
		r = waitpid(c->pid, &st, flags);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (r == 0)
		return -EAGAIN;
	c->reaped = true;
	if (WIFEXITED(st))
		c->status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		c->status = 128 + WTERMSIG(st);
	return 0;
}

int ig_command__reap(struct ig_command *c)
{
	return reap(c, 0);
}

int ig_command__try_reap(struct ig_command *c)
{
	return reap(c, WNOHANG);
}

void ig_command__abort(struct ig_command *c)
{
	if (c->pid <= 0 || c->reaped)
		return;
	if (c->release_fd >= 0) {
		/* Closing the pipe without writing makes the child exit. */
		close(c->release_fd);
		c->release_fd = -1;
		ig_command__reap(c);
		return;
	}
	kill(c->pid, SIGTERM);
}

void ig_command__fini(struct ig_command *c)
{
	if (c->release_fd >= 0)
		close(c->release_fd);
	if (c->exec_err_fd >= 0)
		close(c->exec_err_fd);
	if (c->pidfd >= 0)
		close(c->pidfd);
	c->release_fd = c->exec_err_fd = c->pidfd = -1;
}
