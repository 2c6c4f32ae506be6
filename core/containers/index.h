/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Namespace -> container lookups of the table (internal): a sorted index,
 * rebuilt lazily after the table changed, with a one-entry cache.
 */
#ifndef IG_CORE_CONTAINERS_INDEX_H
#define IG_CORE_CONTAINERS_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ctr_entry;

struct ctr_index_slot {
	uint64_t ns;
	struct ctr_entry *e;
};

/* Sorted namespace index of the table; zero-initialise with by_netns set,
 * start dirty. */
struct ctr_index {
	struct ctr_index_slot *slots;
	size_t n, cap;
	bool by_netns;
	bool dirty;
	bool cached;
	uint64_t cached_ns;
	struct ctr_entry *cached_e;	/* NULL: a remembered miss */
};

/* The table changed (entry added, removed or freed). */
void ctr_index__invalidate(struct ctr_index *ix);
struct ctr_entry *ctr_index__lookup(struct ctr_index *ix, struct ctr_entry *const *v, size_t nr,
				    uint64_t ns);
void ctr_index__fini(struct ctr_index *ix);

/* The entry of v with this id: the running one, else (unless running) the
 * newest removed one; NULL if none. */
struct ctr_entry *ctr_index__find_id(struct ctr_entry *const *v, size_t nr, const char *id,
				     bool running);

#endif /* IG_CORE_CONTAINERS_INDEX_H */
