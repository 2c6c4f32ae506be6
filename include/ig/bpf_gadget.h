/* SPDX-License-Identifier: Apache-2.0 */
/*
 * User-side helpers for gadgets that embed a libbpf skeleton. Header-only
 * (static inline) so they add nothing to the ABI: they call only host
 * services declared in gadget.h and libbpf's public API.
 */
#ifndef IG_BPF_GADGET_H
#define IG_BPF_GADGET_H

#include <errno.h>
#include <bpf/libbpf.h>

#include <ig/gadget.h>

/*
 * Point the object's ig_mntns_filter / ig_pid_filter maps (include/ig/ig_filter.h)
 * at the core's maps, so the core's container selection and command tree
 * apply. Call between skel__open() and skel__load(). Maps the object does not
 * have are skipped. Returns 0 or -errno.
 */
static inline int ig_gadget_reuse_filter(const struct ig_host *host, struct bpf_object *obj)
{
	static const struct {
		const char *name;
		enum ig_filter_map which;
	} maps[] = {
		{ "ig_mntns_filter", IG_FILTER_MAP_MNTNS },
		{ "ig_pid_filter", IG_FILTER_MAP_PID },
	};
	unsigned int i;

	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		struct bpf_map *map = bpf_object__find_map_by_name(obj, maps[i].name);
		int fd, err;

		if (!map)
			continue;
		fd = host->filter_map_fd(host->ctx, maps[i].which);
		if (fd < 0)
			return fd;
		err = bpf_map__reuse_fd(map, fd);
		if (err)
			return err;
	}
	return 0;
}

#endif /* IG_BPF_GADGET_H */
