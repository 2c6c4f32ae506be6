// SPDX-License-Identifier: Apache-2.0
/* The container table's lookups (table.h): by namespace, by id, all of them,
 * and the selection. */
#include <ig/common.h>

#include "table_int.h"

const struct ig_container *ig_containers__by_mntns(struct ig_containers *cs, uint64_t mntns)
{
	struct ctr_entry *e = mntns ? ctr_index__lookup(&cs->mnt_ix, cs->v, cs->nr, mntns) : NULL;

	return e ? &e->c : NULL;
}

const struct ig_container *ig_containers__by_netns(struct ig_containers *cs, uint64_t netns)
{
	struct ctr_entry *e = netns ? ctr_index__lookup(&cs->net_ix, cs->v, cs->nr, netns) : NULL;

	return e ? &e->c : NULL;
}

const struct ig_container *ig_containers__by_id(struct ig_containers *cs, const char *id)
{
	struct ctr_entry *e = id ? ctr_index__find_id(cs->v, cs->nr, id, false) : NULL;

	return e ? &e->c : NULL;
}

int ig_containers__foreach(struct ig_containers *cs,
			   int (*fn)(void *arg, const struct ig_container *c), void *arg)
{
	for (size_t i = 0; i < cs->nr; i++) {
		int ret = fn(arg, &cs->v[i]->c);

		if (ret)
			return ret;
	}
	return 0;
}

bool ig_containers__selected(struct ig_containers *cs, const struct ig_container *c)
{
	return cs->opts.host || ctr_selector__match(&cs->sel, c->name);
}

unsigned int ig_containers__count(struct ig_containers *cs)
{
	unsigned int n = 0;

	for (size_t i = 0; i < cs->nr; i++)
		if (!(cs->v[i]->c.flags & IG_CONTAINER_REMOVED) &&
		    ig_containers__selected(cs, &cs->v[i]->c))
			n++;
	return n;
}
