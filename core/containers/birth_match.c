// SPDX-License-Identifier: Apache-2.0
/* Which container a birth belongs to (birth_match.h). */
#include <fcntl.h>
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

/* When pid started, in clock ticks after boot (/proc/PID/stat field 22). */
static unsigned long long start_ticks(int pid)
{
	char path[48], buf[1024], *p;
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');	/* the comm may hold anything */
	for (i = 0; p && i < 20; i++)
		p = strchr(p + 1, ' ');
	return p ? strtoull(p + 1, NULL, 10) : 0;
}

uint64_t ctr_birth__start_ticks(const struct ig_birth *k)
{
	long tck = sysconf(_SC_CLK_TCK);

	return tck > 0 ? k->start_ns / (1000000000ull / (uint64_t)tck) : 0;
}

bool ctr_birth__exec_into(const struct ctr_entry *e, const struct ig_birth *k)
{
	uint64_t ino;

	if (e->c.pid <= 0 || !k->mntns || e->c.mntns != k->mntns)
		return false;
	/* Both namespace ids known (6.8+): they tell, unlike the reused inode. */
	if (e->c.mntns_id && k->mntns_id)
		return e->c.mntns_id == k->mntns_id && !init_gone(e);
	/* an exec starts after the init it joins */
	if (k->start_ns && ctr_birth__start_ticks(k) < start_ticks(e->c.pid))
		return false;
	return !ctr_proc_ns_inode(e->c.pid, "mnt", &ino) && ino == k->mntns && !init_gone(e);
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
