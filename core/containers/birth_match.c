// SPDX-License-Identifier: Apache-2.0
/* Which container a birth belongs to (birth_match.h). */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "birth_match.h"

/* Its init has exited, though ig may not have handled that yet: its pidfd
 * is readable. Then its mount namespace inode may already be another
 * container's (the kernel reuses them at once), and its pid another
 * process's. */
static bool init_gone(const struct ctr_entry *e)
{
	struct pollfd pfd = { .fd = e->pidfd.fd, .events = POLLIN };

	return e->pidfd.fd >= 0 && poll(&pfd, 1, 0) > 0;
}

bool ctr_birth__exec_into(const struct ctr_entry *e, const struct ig_birth *k)
{
	char path[48], link[48];
	const char *leaf;
	ssize_t n;

	if (e->c.pid <= 0 || !k->mntns || e->c.mntns != k->mntns)
		return false;
	if (e->c.cgroup && k->cgroup[0]) {
		leaf = strrchr(e->c.cgroup, '/');
		if (strcmp(leaf ? leaf + 1 : e->c.cgroup, k->cgroup))
			return false;
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", e->c.pid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 5 || strncmp(link, "mnt:[", 5))
		return false;
	link[n] = '\0';
	return strtoull(link + 5, NULL, 10) == k->mntns && !init_gone(e);
}

struct ctr_entry *ctr_birth__match(struct ctr_entry *const *v, size_t nr, const struct ig_birth *k,
				   bool by_ns)
{
	struct ctr_entry *into = NULL;

	for (size_t i = 0; i < nr; i++) {
		struct ctr_entry *e = v[i];

		if ((e->c.flags & IG_CONTAINER_REMOVED) || init_gone(e))
			continue;
		if ((uint32_t)e->c.pid == k->pid)
			return e;
		if (by_ns && !into && ctr_birth__exec_into(e, k))
			into = e;
	}
	return into;
}
