// SPDX-License-Identifier: Apache-2.0
/* Non-blocking writes to stdout and stderr; see outfd.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "outfd.h"

/* A description of our own for fd, with O_NONBLOCK; -1 if none can be had. */
static int reopen_nonblock(int fd)
{
	char path[32];
	int nfd, fl;

	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	/* O_APPEND kept: a terminal does not care, a FIFO neither. */
	nfd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (fl & O_APPEND));
	return nfd;
}

int ig_outfd__init(struct ig_outfd *o, int fd, size_t limit)
{
	struct stat sb;
	int nfd;

	memset(o, 0, sizeof(*o));
	o->fd = fd;
	o->limit = limit;
	if (fstat(fd, &sb)) {
		o->err = -errno;
		return o->err;
	}
	if (S_ISREG(sb.st_mode) || S_ISBLK(sb.st_mode))
		return 0;
	if (S_ISSOCK(sb.st_mode)) {
		o->sock = true;
		return 0;
	}
	if (fcntl(fd, F_GETFL) & O_NONBLOCK)
		return 0;	/* someone made it non-blocking already: EAGAIN is handled */
	nfd = (S_ISFIFO(sb.st_mode) || S_ISCHR(sb.st_mode)) ? reopen_nonblock(fd) : -1;
	if (nfd >= 0) {
		o->fd = nfd;
		o->own_fd = true;
	} else {
		/* A FIFO whose reader is gone (ENXIO) lands here too: the first
		 * write says EPIPE. */
		o->poll_first = true;
	}
	return 0;
}

void ig_outfd__fini(struct ig_outfd *o)
{
	if (o->own_fd && o->fd >= 0)
		close(o->fd);
	free(o->q);
	memset(o, 0, sizeof(*o));
	o->fd = -1;
}

/* One write attempt of at most n bytes: bytes written, 0 for "would block",
 * or -errno. */
static ssize_t write_some(struct ig_outfd *o, const char *p, size_t n)
{
	struct pollfd pfd = { .fd = o->fd, .events = POLLOUT };
	ssize_t w;

	if (o->poll_first) {
		if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & (POLLOUT | POLLERR | POLLHUP)))
			return 0;
		if (n > PIPE_BUF)
			n = PIPE_BUF;
	}
	do {
		w = o->sock ? send(o->fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL) : write(o->fd, p, n);
	} while (w < 0 && errno == EINTR);
	if (w < 0 && o->sock && errno == ENOTSOCK) {
		o->sock = false;
		o->poll_first = true;
		return 0;
	}
	if (w < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	return w;
}

int ig_outfd__push(struct ig_outfd *o)
{
	ssize_t w;

	while (o->len && !o->err) {
		w = write_some(o, o->q + o->off, o->len);
		if (w < 0) {
			o->err = (int)w;
			break;
		}
		if (!w)
			return -EAGAIN;
		o->off += (size_t)w;
		o->len -= (size_t)w;
	}
	if (o->err) {
		o->off = o->len = 0;	/* nothing more can be written */
		return o->err;
	}
	o->off = 0;
	return 0;
}

static int queue(struct ig_outfd *o, const void *p, size_t n)
{
	size_t need = o->len + n;
	char *q;

	if (o->off && o->off + need > o->cap) {
		memmove(o->q, o->q + o->off, o->len);
		o->off = 0;
	}
	if (o->off + need > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;

		while (cap < need)
			cap *= 2;
		q = realloc(o->q, cap);
		if (!q)
			return -ENOMEM;
		o->q = q;
		o->cap = cap;
	}
	memcpy(o->q + o->off + o->len, p, n);
	o->len += n;
	return 0;
}

int ig_outfd__write(struct ig_outfd *o, const void *p, size_t n)
{
	ssize_t w;
	int err;

	if (o->err || !n)
		return o->err;
	if (!o->len) {
		/* The usual case: nothing queued, the descriptor takes it all. */
		while (n) {
			w = write_some(o, p, n);
			if (w < 0) {
				o->err = (int)w;
				return o->err;
			}
			if (!w)
				break;
			p = (const char *)p + w;
			n -= (size_t)w;
		}
		if (!n)
			return 0;
	}
	err = queue(o, p, n);
	if (err)
		return err;
	err = ig_outfd__push(o);
	return err == -EAGAIN ? 0 : err;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int ig_outfd__drain(struct ig_outfd *o, int stop_fd, int stall_ms)
{
	struct pollfd pfd[2] = {
		{ .fd = o->fd, .events = POLLOUT },
		{ .fd = stop_fd, .events = POLLIN },
	};
	long last = now_ms();
	size_t before;
	int err, r;

	for (;;) {
		before = o->len;
		err = ig_outfd__push(o);
		if (err != -EAGAIN)
			return err;
		if (o->len < before)
			last = now_ms();
		if (now_ms() - last >= stall_ms)
			return -ETIMEDOUT;
		r = poll(pfd, stop_fd >= 0 ? 2 : 1, (int)(last + stall_ms - now_ms()));
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r > 0 && (pfd[1].revents & POLLIN))
			return -EINTR;
	}
}
