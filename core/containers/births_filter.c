// SPDX-License-Identifier: Apache-2.0
/*
 * Container births and the filter map: a waiting birth keeps its mount
 * namespace in ig_mntns_filter, and what the table or a decided birth takes
 * out waits here for the next settle (births.c), which reads the births the
 * kernel wrote first (births.h).
 */
#include <stdlib.h>

#include <bpf/bpf.h>

#include "births_int.h"
#include "filter_map.h"

bool ctr_births__pending(const struct ctr_births *b, uint64_t mntns)
{
	for (size_t i = 0; b && i < b->nr; i++)
		if (b->v[i]->k.mntns == mntns)
			return true;
	return false;
}

uint64_t ctr_births__mntns_id(const struct ctr_births *b, int pid, uint64_t mntns)
{
	for (size_t i = 0; b && i < b->nr; i++)
		if (b->v[i]->k.pid == (uint32_t)pid && b->v[i]->k.mntns == mntns)
			return b->v[i]->k.mntns_id;
	return 0;
}

void ctr_births__drop_unless_held(struct ctr_births *b, uint64_t mntns)
{
	if (!ctr_births__pending(b, mntns) &&
	    !ctr_filter_map__in_use(*b->t->v, *b->t->nr, mntns, NULL))
		bpf_map_delete_elem(b->filter_fd, &mntns);
}

void ctr_births__forget(struct ctr_births *b, uint64_t mntns)
{
	uint64_t *tmp;

	if (b->filter_fd < 0)
		return;
	if (b->nr_forget == b->cap_forget) {
		size_t cap = b->cap_forget ? b->cap_forget * 2 : 16;

		tmp = realloc(b->forget, cap * sizeof(*tmp));
		if (!tmp) {	/* no room to wait: delete now, as before */
			ctr_births__drop_unless_held(b, mntns);
			return;
		}
		b->forget = tmp;
		b->cap_forget = cap;
	}
	b->forget[b->nr_forget++] = mntns;
}
