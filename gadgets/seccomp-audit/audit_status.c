// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-audit: the audit status, asked and set over NETLINK_AUDIT (one
 * request and its answer on a socket of its own): whether audit is enabled,
 * which daemon is registered, switching it on and off.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "seccomp_audit_int.h"

static int nl_request(int fd, uint16_t type, const void *payload, size_t len, bool ack)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr h;
		struct audit_status s;
	} req;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(len);
	req.h.nlmsg_type = type;
	req.h.nlmsg_flags = NLM_F_REQUEST | (ack ? NLM_F_ACK : 0);
	req.h.nlmsg_seq = 1;
	if (len)
		memcpy(&req.s, payload, len);
	if (sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	return 0;
}

/* Wait for the answer to our request: an AUDIT_GET status or an ack. */
static int nl_answer(int fd, struct audit_status *st)
{
	char buf[1024] __attribute__((aligned(8)));
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct nlmsghdr *h;
	ssize_t n;

	for (;;) {
		if (poll(&pfd, 1, 2000) <= 0)
			return -ETIMEDOUT;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				if (e->error || !st)
					return e->error;
			} else if (h->nlmsg_type == AUDIT_GET && st) {
				size_t len = h->nlmsg_len - NLMSG_HDRLEN;

				memset(st, 0, sizeof(*st));
				memcpy(st, NLMSG_DATA(h), len < sizeof(*st) ? len : sizeof(*st));
				return 0;
			}
		}
	}
}

static int audit_get(struct audit_status *st)
{
	int fd, err;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd < 0)
		return -errno;
	err = nl_request(fd, AUDIT_GET, NULL, 0, false);
	if (!err)
		err = nl_answer(fd, st);
	close(fd);
	return err;
}

int sau_audit_get_enabled(void)
{
	struct audit_status st;
	int err = audit_get(&st);

	return err ? err : (int)st.enabled;
}

int sau_audit_get_daemon(void)
{
	struct audit_status st;
	int err = audit_get(&st);

	return err ? err : (int)st.pid;
}

int sau_audit_set_enabled(int enabled)
{
	struct audit_status st = { .mask = AUDIT_STATUS_ENABLED, .enabled = (uint32_t)enabled };
	int fd, err;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd < 0)
		return -errno;
	err = nl_request(fd, AUDIT_SET, &st, sizeof(st), true);
	if (!err)
		err = nl_answer(fd, NULL);
	close(fd);
	return err;
}
