/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fds of `ig run`'s event loop (internal): what each one is, and adding
 * one. A header of its own so that runs.c, which the loop calls, can add
 * each run's pidfd without including the loop.
 */
#ifndef IG_CORE_CLI_LOOP_FD_H
#define IG_CORE_CLI_LOOP_FD_H

#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>

/* What an fd in the event loop is. */
enum ig_loop_tag {
	TAG_SIGNAL = 1, TAG_TICK, TAG_TIMEOUT, TAG_CMD, TAG_RING, TAG_CONTAINER,
	TAG_OUT, TAG_LOG,	/* stdout's or stderr's writer can go on (EPOLLOUT) */
};
/* Watch fd in the loop's epoll. */
static inline int ig_loop__add(int epfd, int fd, enum ig_loop_tag tag)
{
	struct epoll_event ev = { .events = EPOLLIN };

	ev.data.u64 = ((uint64_t)tag << 32) | (uint32_t)fd;
	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

#endif /* IG_CORE_CLI_LOOP_FD_H */
