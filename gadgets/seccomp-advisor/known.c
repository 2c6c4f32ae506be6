// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor: the containers seen alive and the id of their mount
 * namespace then, so that a report finds the right slot when the inode
 * number was recycled (report.c asks sa_target_of()).
 */
#include <stdlib.h>

#include "seccomp_advisor_int.h"

/*
 * Which namespace a container's recording is in: its id, taken while it was
 * alive (exact), or else its inode number (recycled inodes: best guess).
 */
void sa_target_of(const struct sa_state *st, const struct ig_container *c, uint64_t inum,
		  enum sa_pick pick, struct sa_target *t)
{
	uint32_t i;

	t->inum = inum;
	t->pick = pick;
	t->nsid = 0;
	for (i = 0; c && i < st->nr_known; i++)
		if (st->known[i].c == c)
			t->nsid = st->known[i].nsid;
}

void sa_container_added(void *state, const struct ig_container *c)
{
	struct sa_state *st = state;
	struct sa_known *tmp;
	uint64_t nsid;

	if (st->target == IG_TARGET_COMMAND || !st->rec || !c->mntns)
		return;
	/* The id of the namespace the init pid is in, if that still is the
	 * container's (the pid may be gone or reused: its inode must be the
	 * container's) and it has a slot (before 6.18 slots are keyed by the
	 * inode; a container that made no syscall yet has none: a known gap,
	 * see the notes); else, for a live
	 * container, the newest namespace recorded with that inode; for one
	 * that exited before ig knew it, not a namespace a live process still
	 * has: inode numbers are reused at once, and the newest one may be
	 * the next container's (which this one's report would then take). */
	nsid = sa_mntns_id_of_pid(c->pid, c->mntns);
	if (nsid) {	/* and slots are keyed by it on this kernel (6.18: ns.ns_id) */
		struct sa_target t = { .nsid = nsid };
		struct sa_set *a = NULL, *b = NULL;

		if (sa_recorder__read(st->rec, &t, &a, &b))
			nsid = 0;
		sa_set__free(a);
		sa_set__free(b);
	}
	if (!nsid)
		nsid = sa_recorder__key_of(st->rec, c->mntns,
					   IG_CONTAINER_HAS(c, flags) &&
					   (c->flags & IG_CONTAINER_REMOVED) ? SA_PICK_EXITED :
					   SA_PICK_LIVE);
	if (c->created_ns && IG_CONTAINER_HAS(c, created_ns))
		sa_progress__seen(st, c->mntns, c->created_ns - (uint64_t)st->boot_to_wall);
	if (!nsid)
		return;
	tmp = realloc(st->known, (st->nr_known + 1) * sizeof(*tmp));
	if (!tmp)
		return;
	st->known = tmp;
	st->known[st->nr_known].c = c;
	st->known[st->nr_known++].nsid = nsid;
}

