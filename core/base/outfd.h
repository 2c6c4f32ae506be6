/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing to stdout or stderr without ever blocking (internal).
 *
 * Whoever reads ig's output may stop reading (a pager, a stuck pipeline,
 * `| (sleep 60; cat)`). ig must still honour its stop signals and keep
 * draining the kernel's buffers, so its writes never wait on the reader:
 * bytes the descriptor does not take at once are queued, the event loop
 * writes them when it becomes writable again, and the caller asks
 * ig_outfd__has_room() before it formats a record, dropping (and counting)
 * what does not fit instead of growing without bound.
 *
 * How a write avoids blocking depends on what fd is. A pipe, FIFO or
 * terminal is opened again through /proc/self/fd with O_NONBLOCK: a
 * description of ig's own, so the command ig runs, which shares the
 * original, never sees O_NONBLOCK. A socket is written with MSG_DONTWAIT.
 * A regular file does not block. Anything else, or when reopening fails,
 * is written PIPE_BUF bytes at a time after poll() said it was writable.
 */
#ifndef IG_CORE_BASE_OUTFD_H
#define IG_CORE_BASE_OUTFD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ig_outfd {
	int fd;			/* where bytes go; -1 before init */
	bool own_fd;		/* opened by ig_outfd__init (closed by fini) */
	bool sock;		/* send(MSG_DONTWAIT) */
	bool poll_first;	/* blocking fd: poll, then PIPE_BUF at most */
	char *q;		/* pending bytes are q[off, off + len) */
	size_t off, len, cap;
	size_t limit;		/* has_room() is false from this many pending */
	int err;		/* first write error (-errno), sticky */
};

/* Set up writing to fd (1 or 2; not closed). limit: see has_room. 0 or
 * -errno; the struct is usable (writes fail) even after an error. */
int ig_outfd__init(struct ig_outfd *o, int fd, size_t limit);
void ig_outfd__fini(struct ig_outfd *o);

/* Queue p (n bytes) and write what the descriptor takes now. Never blocks.
 * Always queues, whatever the limit. Returns 0 or the sticky -errno (-EPIPE:
 * the reader went away). */
int ig_outfd__write(struct ig_outfd *o, const void *p, size_t n);

/* Write what is pending as far as the descriptor takes it now: 0 when
 * nothing is left, -EAGAIN when some is, or the sticky -errno. */
int ig_outfd__push(struct ig_outfd *o);

static inline size_t ig_outfd__pending(const struct ig_outfd *o)
{
	return o->len;
}

/* Fewer than limit bytes pending: a new record may be queued. */
static inline bool ig_outfd__has_room(const struct ig_outfd *o)
{
	return o->len < o->limit;
}

/* Wait until everything pending is written. Returns 0; -ETIMEDOUT when the
 * reader took nothing for stall_ms; -EINTR when stop_fd (a signalfd, or -1)
 * became readable, left unread for the caller; or the sticky -errno. */
int ig_outfd__drain(struct ig_outfd *o, int stop_fd, int stall_ms);

#endif /* IG_CORE_BASE_OUTFD_H */
