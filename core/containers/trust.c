// SPDX-License-Identifier: Apache-2.0
/* Reports of others, checked against the kernel; see trust.h. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>

#include "core/base/log.h"
#include "trust.h"

static uint64_t ns_ino(const char *path)
{
	struct stat sb;

	return stat(path, &sb) ? 0 : sb.st_ino;
}

void ctr_trust__init(struct ctr_trust *t)
{
	t->own_mntns = ns_ino("/proc/self/ns/mnt");
	t->host_mntns = ns_ino("/proc/1/ns/mnt");
}

int ctr_trust__check_report(const struct ctr_trust *t, const struct ctr_entry *e,
			    enum ctr_source src)
{
	const char *whose = e->c.mntns == t->own_mntns ? "ig's own" :
			    e->c.mntns == t->host_mntns ? "the host's" : NULL;

	if (src == CTR_SRC_API || !whose || !e->c.mntns)
		return 0;
	ig_warn("container %.64s ignored: its process %d is in %s mount namespace, not a "
		"container's (%s)", e->c.id, e->c.pid, whose,
		src == CTR_SRC_HOOK ? "a hook message" : "a runtime state file");
	return -EPERM;
}

bool ctr_trust__still_runs(const struct ctr_entry *e)
{
	struct pollfd pfd = { .fd = e->pidfd.fd, .events = POLLIN };

	if (e->pidfd.fd >= 0)
		return poll(&pfd, 1, 0) == 0;
	return e->c.pid > 0 && !kill(e->c.pid, 0);
}
