/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the container table does not take on trust (internal): a plugin and
 * the hook pass on what others wrote (a runtime state file, a hook message),
 * so what they name is checked against the kernel before it becomes a
 * container, or stops being one. The trust model: docs/containers.md.
 */
#ifndef IG_CORE_CONTAINERS_TRUST_H
#define IG_CORE_CONTAINERS_TRUST_H

#include <stdbool.h>
#include <stdint.h>

#include "meta.h"
#include "report.h"

/* Mount namespaces that are never a container's (0: unknown). */
struct ctr_trust {
	uint64_t own_mntns;	/* ig's */
	uint64_t host_mntns;	/* pid 1's */
};

void ctr_trust__init(struct ctr_trust *t);

/* e was probed (its mntns read from /proc): from a plugin or the hook, its
 * process must not be in ig's or the host's mount namespace, or a host
 * process would be traced and named as that container. 0, or -EPERM after
 * one warning line saying which container and why. The API is trusted. */
int ctr_trust__check_report(const struct ctr_trust *t, const struct ctr_entry *e,
			    enum ctr_source src);

/* e's init process still runs (its pidfd not readable yet; without one, the
 * pid still there): a hook's poststop cannot retire it. */
bool ctr_trust__still_runs(const struct ctr_entry *e);

#endif /* IG_CORE_CONTAINERS_TRUST_H */
