// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp LOG actions (and the KILL/TRAP/ERRNO actions the kernel logs per
 * kernel.seccomp.actions_logged) reach no tracepoint: the kernel writes an
 * AUDIT_SECCOMP record. Reading the NETLINK_AUDIT multicast group (readlog)
 * gets a copy of every record without becoming the audit daemon, so a
 * running auditd keeps its unicast stream. The records only exist while
 * audit is enabled: switch it on if it is off and restore it at the end.
 *
 * The reader is a thread of its own (the host has no way to poll a foreign
 * fd): it only parses and hands records to a callback that pushes them into
 * the gadget's BPF ring buffer, so host services stay on the main thread.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "seccomp_audit_int.h"

#define SAU_NL_BUF	(8970 + 64)	/* MAX_AUDIT_MESSAGE_LENGTH, kernel-internal */

struct sau_audit {
	int nl_fd;		/* readlog multicast subscriber */
	int stop_fd;		/* eventfd: wakes the thread to stop */
	int prev_enabled;	/* before any ig run switched it; -1 unknown */
	bool changed;		/* joined the shared switch (audit_share.c) */
	bool running;
	char marker[64];	/* text of our AUDIT_USER sync message */
	pthread_t thread;
	sau_audit_fn fn;
	void *ctx;
};

struct sau_audit *sau_audit_open(bool enable, bool *enabled_by_us)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1u << (AUDIT_NLGRP_READLOG - 1),
	};
	struct sau_audit *a;
	int err;

	*enabled_by_us = false;
	a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->stop_fd = -1;
	a->prev_enabled = -1;
	a->nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (a->nl_fd < 0 || bind(a->nl_fd, (struct sockaddr *)&sa, sizeof(sa)))
		goto out_errno;
	a->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (a->stop_fd < 0)
		goto out_errno;
	if (enable) {
		err = sau_audit_share_join(&a->prev_enabled);
		if (err) {
			errno = -err;
			goto out_free;
		}
		a->changed = true;	/* joined: leave at restore */
		*enabled_by_us = a->prev_enabled == 0;
	}
	return a;
out_errno:
	err = errno;
out_free:
	sau_audit_free(a);
	errno = err;
	return NULL;
}

/* Read what is queued on the socket without blocking; hand records to fn.
 * Returns how many records came, or -errno; *synced when our marker came. */
static int read_records(struct sau_audit *a, char *buf, bool *synced)
{
	struct nlmsghdr *h;
	int count = 0;
	ssize_t n;

	for (;;) {
		n = recv(a->nl_fd, buf, SAU_NL_BUF, MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS)
			continue;	/* the socket overflowed: records were lost */
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? count : -errno;
		/* one record per datagram; kauditd's nlmsg_len is not always
		 * trustworthy, so bound the text by what was received */
		h = (struct nlmsghdr *)buf;
		if (synced && n >= NLMSG_HDRLEN && h->nlmsg_type == AUDIT_USER &&
		    memmem(NLMSG_DATA(h), (size_t)n - NLMSG_HDRLEN, a->marker, strlen(a->marker)))
			*synced = true;
		if (n >= NLMSG_HDRLEN && h->nlmsg_type == AUDIT_SECCOMP) {
			size_t len = (size_t)n - NLMSG_HDRLEN;
			struct sau_audit_rec rec;

			if (h->nlmsg_len >= NLMSG_HDRLEN && h->nlmsg_len - NLMSG_HDRLEN < len)
				len = h->nlmsg_len - NLMSG_HDRLEN;
			if (sau_audit_parse(NLMSG_DATA(h), len, &rec))
				continue;
			a->fn(a->ctx, &rec);
			count++;
		}
	}
}

static void *reader(void *arg)
{
	struct sau_audit *a = arg;
	struct pollfd pfd[2] = {
		{ .fd = a->nl_fd, .events = POLLIN },
		{ .fd = a->stop_fd, .events = POLLIN },
	};
	char *buf;

	buf = malloc(SAU_NL_BUF);
	if (!buf)
		return NULL;
	for (;;) {
		int n = poll(pfd, 2, 100);

		if (n < 0 && errno != EINTR)
			break;
		if (pfd[1].revents)
			break;
		if (n > 0 && pfd[0].revents && read_records(a, buf, NULL) < 0)
			break;
		if (n == 0)
			a->fn(a->ctx, NULL);	/* tick */
	}
	free(buf);
	return NULL;
}

int sau_audit_start(struct sau_audit *a, sau_audit_fn fn, void *ctx)
{
	int err;

	a->fn = fn;
	a->ctx = ctx;
	err = pthread_create(&a->thread, NULL, reader, a);
	if (err)
		return -err;
	a->running = true;
	return 0;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* kauditd delivers records in order: once a user message we send comes back
 * on the multicast group, every record queued before it has been read. */
static int send_marker(struct sau_audit *a)
{
	static unsigned int seq;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr h;
		char text[64];
	} req;
	int fd, err = 0;

	snprintf(a->marker, sizeof(a->marker), "ig seccomp-audit sync %d.%u", (int)getpid(),
		 ++seq);
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(strlen(a->marker) + 1);
	req.h.nlmsg_type = AUDIT_USER;
	req.h.nlmsg_flags = NLM_F_REQUEST;
	memcpy(req.text, a->marker, strlen(a->marker) + 1);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd < 0)
		return -errno;
	if (sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		err = -errno;
	close(fd);
	return err;
}

void sau_audit_stop(struct sau_audit *a, int quiet_ms, int max_ms)
{
	bool synced = false, marker;
	struct pollfd pfd;
	uint64_t end;
	uint64_t one = 1;
	char *buf;

	if (!a || !a->running)
		return;
	if (write(a->stop_fd, &one, sizeof(one)) != sizeof(one))
		return;		/* cannot happen with an eventfd; never join a runner */
	pthread_join(a->thread, NULL);
	a->running = false;
	buf = malloc(SAU_NL_BUF);
	if (!buf)
		return;
	/* with the marker, wait for it (max_ms at most); without (audit
	 * rules may exclude user messages), until quiet_ms pass quietly */
	marker = !send_marker(a);
	pfd.fd = a->nl_fd;
	pfd.events = POLLIN;
	end = mono_ms() + (uint64_t)max_ms;
	while (!synced && mono_ms() < end) {
		int left = (int)(end - mono_ms());

		if (poll(&pfd, 1, marker ? left : quiet_ms) <= 0)
			break;
		if (read_records(a, buf, &synced) < 0)
			break;
	}
	free(buf);
}

int sau_audit_restore(struct sau_audit *a)
{
	int err;

	if (!a || !a->changed)
		return 0;
	err = sau_audit_share_leave();
	if (!err)
		a->changed = false;
	return err;
}

void sau_audit_free(struct sau_audit *a)
{
	if (!a)
		return;
	sau_audit_stop(a, 0, 0);
	sau_audit_restore(a);
	if (a->nl_fd >= 0)
		close(a->nl_fd);
	if (a->stop_fd >= 0)
		close(a->stop_fd);
	free(a);
}
