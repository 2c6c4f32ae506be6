// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor: the containers seen alive and the id of their mount
 * namespace then, so that a report finds the right slot when the inode
 * number was recycled (report.c asks sa_target_of()).
 */
#include <stdint.h>
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

/* Another container's slot (one not reported yet: sa_known_forget()). */
static bool taken(const struct sa_state *st, const struct ig_container *c, uint64_t key)
{
	for (uint32_t i = 0; i < st->nr_known; i++)
		if (st->known[i].c != c && st->known[i].nsid == key)
			return true;
	return false;
}

void sa_known_forget(struct sa_state *st, const struct ig_container *c)
{
	for (uint32_t i = 0; i < st->nr_known;)
		if (st->known[i].c == c)
			st->known[i] = st->known[--st->nr_known];
		else
			i++;
}

/*
 * The slot of a container that exited before ig knew it, on a kernel that
 * keys slots by namespace id: of the slots recorded with its inode, not one
 * that another container known to ig holds (its removal may not be seen
 * yet) nor one a live process is still in (the next container's, which
 * may not have a slot yet either), the newest. UINT64_MAX, a key no slot
 * has, if none is left: better no profile, said so, than another
 * container's.
 */
static uint64_t exited_slot(const struct sa_state *st, const struct ig_container *c)
{
	uint64_t *keys = NULL, best = 0;
	int n = sa_recorder__keys_with_inum(st->rec, c->mntns, &keys);

	for (int i = 0; i < n; i++)
		if (keys[i] > best && !taken(st, c, keys[i]) &&
		    !sa_mntns_alive(c->mntns, keys[i]))
			best = keys[i];
	free(keys);
	return best ? best : UINT64_MAX;
}

void sa_container_added(void *state, const struct ig_container *c)
{
	struct sa_state *st = state;
	bool exited = IG_CONTAINER_HAS(c, flags) && (c->flags & IG_CONTAINER_REMOVED);
	struct sa_known *tmp;
	uint64_t nsid = 0;
	int by_id;

	if (st->target == IG_TARGET_COMMAND || !st->rec || !c->mntns)
		return;
	/*
	 * Where slots are keyed by namespace id (6.18), a container's is the id
	 * the core saw (from its birth, or from its init's namespace when the
	 * core found it running: this gadget's ABI, 1.5, has the core fill it
	 * in), slot or not yet; one without, that exited before ig knew it,
	 * see exited_slot(). Before a slot shows how they are keyed, the id is
	 * used only if a slot has it. Where they are keyed by inode (6.8 to
	 * 6.17 have the ids, not in the slots), as before: the newest slot with
	 * the inode for a live container; for one that exited before ig knew
	 * it, not one a live process still has.
	 */
	by_id = sa_recorder__keyed_by_id(st->rec);
	if (by_id != 0 && IG_CONTAINER_HAS(c, mntns_id))
		nsid = c->mntns_id;
	if (nsid && by_id < 0) {
		struct sa_target t = { .nsid = nsid };
		struct sa_set *a = NULL, *b = NULL;

		if (sa_recorder__read(st->rec, &t, &a, &b))
			nsid = 0;
		sa_set__free(a);
		sa_set__free(b);
	}
	if (!nsid && exited && by_id == 1)
		nsid = exited_slot(st, c);
	else if (!nsid)
		nsid = sa_recorder__key_of(st->rec, c->mntns,
					   exited ? SA_PICK_EXITED : SA_PICK_LIVE);
	if (c->created_ns && IG_CONTAINER_HAS(c, created_ns))
		sa_progress__seen(st, c->mntns, c->created_ns - (uint64_t)st->boot_to_wall);
	IG_DEBUG(st->host, "container %s (mntns %llu%s): slot key %llu", c->name,
		 (unsigned long long)c->mntns, exited ? ", exited" : "",
		 (unsigned long long)nsid);
	if (!nsid)
		return;
	tmp = realloc(st->known, (st->nr_known + 1) * sizeof(*tmp));
	if (!tmp)
		return;
	st->known = tmp;
	st->known[st->nr_known].c = c;
	st->known[st->nr_known++].nsid = nsid;
}
