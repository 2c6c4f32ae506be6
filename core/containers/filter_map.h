/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The BPF mount-namespace filter as the container table keeps it
 * (internal): ig_mntns_filter holds the namespaces of the selected running
 * containers, and those of container births not decided yet (births.c). A
 * namespace leaves the map only when nothing keeps it: mount namespace
 * inodes are reused at once, so two entries can share one.
 */
#ifndef IG_CORE_CONTAINERS_FILTER_MAP_H
#define IG_CORE_CONTAINERS_FILTER_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "meta.h"

/* A running container of v (other than except) keeps mntns in the map. */
bool ctr_filter_map__in_use(struct ctr_entry *const *v, size_t nr, uint64_t mntns,
			    const struct ctr_entry *except);
/* Put e in the map fd (want) or take it out, unless another entry of v
 * keeps its namespace. defer: do not take it out, return true instead (the
 * caller has it taken out later: container births, births.h). e->in_filter
 * follows. fd < 0: no map (nothing is filtered). */
bool ctr_filter_map__sync(int fd, struct ctr_entry *e, bool want, struct ctr_entry *const *v,
			  size_t nr, bool defer);
/* Empty the map. */
void ctr_filter_map__clear(int fd);

#endif /* IG_CORE_CONTAINERS_FILTER_MAP_H */
