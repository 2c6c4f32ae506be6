// SPDX-License-Identifier: Apache-2.0
/* The container table's side of ig_mntns_filter (filter_map.h). */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>

#include "core/base/log.h"
#include "filter_map.h"

bool ctr_filter_map__in_use(struct ctr_entry *const *v, size_t nr, uint64_t mntns,
			    const struct ctr_entry *except)
{
	for (size_t i = 0; i < nr; i++)
		if (v[i] != except && v[i]->in_filter && v[i]->c.mntns == mntns)
			return true;
	return false;
}

bool ctr_filter_map__sync(int fd, struct ctr_entry *e, bool want, struct ctr_entry *const *v,
			  size_t nr, bool defer)
{
	uint64_t key = e->c.mntns;
	uint8_t one = 1;

	if (fd < 0 || want == e->in_filter)
		return false;
	e->in_filter = want;
	if (want) {
		if (bpf_map_update_elem(fd, &key, &one, BPF_ANY))
			ig_warn("container %s: cannot add to the filter map: %s", e->c.name,
				strerror(errno));
		return false;
	}
	if (defer)
		return true;
	if (!ctr_filter_map__in_use(v, nr, key, e))
		bpf_map_delete_elem(fd, &key);
	return false;
}

void ctr_filter_map__clear(int fd)
{
	uint64_t key, next;

	while (!bpf_map_get_next_key(fd, NULL, &next)) {
		key = next;
		if (bpf_map_delete_elem(fd, &key))
			break;
	}
}
