// SPDX-License-Identifier: Apache-2.0
/*
 * Namespace -> container lookups for enrichment: called for every record, so
 * a sorted array (rebuilt lazily after the table changed, which is rare) and
 * a one-entry cache that also remembers misses (--host: most records come
 * from host processes that are no container).
 *
 * When several containers share an inode (the kernel reuses namespace inode
 * numbers as soon as one is freed), the running one wins, then the newest.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "meta.h"

static bool better(const struct ctr_entry *a, const struct ctr_entry *b)
{
	bool ra = !(a->c.flags & IG_CONTAINER_REMOVED), rb = !(b->c.flags & IG_CONTAINER_REMOVED);

	if (ra != rb)
		return ra;
	return a->seq > b->seq;
}

static int cmp_slot(const void *x, const void *y)
{
	const struct ctr_index_slot *a = x, *b = y;

	if (a->ns != b->ns)
		return a->ns < b->ns ? -1 : 1;
	if (a->e == b->e)
		return 0;
	return better(a->e, b->e) ? -1 : 1;
}

static int rebuild(struct ctr_index *ix, struct ctr_entry *const *v, size_t nr)
{
	size_t n = 0;

	if (nr > ix->cap) {
		struct ctr_index_slot *s = realloc(ix->slots, nr * sizeof(*s));

		if (!s)
			return -ENOMEM;
		ix->slots = s;
		ix->cap = nr;
	}
	for (size_t i = 0; i < nr; i++) {
		uint64_t ns = ix->by_netns ? v[i]->c.netns : v[i]->c.mntns;

		if (ns) {
			ix->slots[n].ns = ns;
			ix->slots[n].e = v[i];
			n++;
		}
	}
	/* qsort(NULL, 0) is undefined (UBSan says so): an empty table has no
	 * slots array yet. */
	if (n)
		qsort(ix->slots, n, sizeof(*ix->slots), cmp_slot);
	/* keep the best (first) slot of each inode */
	ix->n = 0;
	for (size_t i = 0; i < n; i++)
		if (!ix->n || ix->slots[ix->n - 1].ns != ix->slots[i].ns)
			ix->slots[ix->n++] = ix->slots[i];
	ix->dirty = false;
	return 0;
}

void ctr_index__invalidate(struct ctr_index *ix)
{
	ix->dirty = true;
	ix->cached = false;
}

struct ctr_entry *ctr_index__lookup(struct ctr_index *ix, struct ctr_entry *const *v, size_t nr,
				    uint64_t ns)
{
	size_t lo = 0, hi;
	struct ctr_entry *hit = NULL;

	if (ix->cached && ix->cached_ns == ns)
		return ix->cached_e;
	if (ix->dirty && rebuild(ix, v, nr))
		return NULL;	/* out of memory: no enrichment, retried next time */
	hi = ix->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ix->slots[mid].ns == ns) {
			hit = ix->slots[mid].e;
			break;
		}
		if (ix->slots[mid].ns < ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	ix->cached = true;
	ix->cached_ns = ns;
	ix->cached_e = hit;
	return hit;
}

void ctr_index__fini(struct ctr_index *ix)
{
	free(ix->slots);
	ix->slots = NULL;
	ix->n = ix->cap = 0;
}

struct ctr_entry *ctr_index__find_id(struct ctr_entry *const *v, size_t nr, const char *id,
				     bool running)
{
	struct ctr_entry *best = NULL;

	for (size_t i = 0; i < nr; i++) {
		struct ctr_entry *e = v[i];

		if (strcmp(e->c.id, id))
			continue;
		if (!(e->c.flags & IG_CONTAINER_REMOVED))
			return e;
		if (!running && (!best || e->seq > best->seq))
			best = e;
	}
	return best;
}
