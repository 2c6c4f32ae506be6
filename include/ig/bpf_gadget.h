/* SPDX-License-Identifier: Apache-2.0 */
/*
 * User-side helpers for gadgets that embed a libbpf skeleton. Header-only
 * (static inline) so they add nothing to the ABI: they call only host
 * services declared in gadget.h and libbpf's public API.
 */
#ifndef IG_BPF_GADGET_H
#define IG_BPF_GADGET_H

#include <errno.h>
#include <string.h>
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

/* Set autoload of each program named in progs (space separated). */
static inline int ig_gadget__autoload(struct bpf_object *obj, const char *progs, bool on)
{
	struct bpf_program *p;
	char name[128];
	size_t len;

	for (; *progs; progs += len) {
		progs += strspn(progs, " ");
		len = strcspn(progs, " ");
		if (!len)
			break;
		if (len >= sizeof(name))
			return -ENAMETOOLONG;
		memcpy(name, progs, len);
		name[len] = '\0';
		p = bpf_object__find_program_by_name(obj, name);
		if (!p)
			return -ENOENT;
		bpf_program__set_autoload(p, on);
	}
	return 0;
}

/*
 * Load only the programs of the attach points the core chose for this run
 * (desc->hooks, ig/kernel.h): autoload off for every program the table
 * names, then on for those of the chosen alternatives. Programs the table
 * does not name are left alone. Call between open and load. Returns 0, or
 * -ENOENT when the table names a program the object does not have.
 */
static inline int ig_gadget_select_programs(const struct ig_host *host,
					     const struct ig_gadget_desc *desc,
					     struct bpf_object *obj)
{
	uint32_t i;
	int err;

	for (i = 0; i < desc->nr_hooks; i++) {
		err = ig_gadget__autoload(obj, desc->hooks[i].progs, false);
		if (err)
			return err;
	}
	for (i = 0; i < desc->nr_hooks; i++) {
		if (host->hook_chosen(host->ctx, i) != 1)
			continue;
		err = ig_gadget__autoload(obj, desc->hooks[i].progs, true);
		if (err)
			return err;
	}
	return 0;
}

/* Which alternative of role this run uses: its place among the role's
 * entries in desc->hooks (0: the first listed, the cheapest), or -ENOENT. */
static inline int ig_gadget_hook_variant(const struct ig_host *host,
					 const struct ig_gadget_desc *desc, const char *role)
{
	uint32_t i;
	int n = 0;

	for (i = 0; i < desc->nr_hooks; i++) {
		if (strcmp(desc->hooks[i].role, role))
			continue;
		if (host->hook_chosen(host->ctx, i) == 1)
			return n;
		n++;
	}
	return -ENOENT;
}

/*
 * Kernels before 6.1 warn ("WARNING ... bpf_check") about kprobe and raw_tp
 * programs that use hash maps allocated at run time, and such a map can
 * deadlock there. When a program of one of those types is going to be
 * loaded on such a kernel, preallocate the object's hash maps (it costs
 * start-up time, nothing else). Call after the autoload choices, before
 * load.
 */
static inline void ig_gadget_fit_maps(const struct ig_host *host, struct bpf_object *obj)
{
	struct bpf_program *p;
	struct bpf_map *m;
	bool risky = false;

	if (host->kernel_has(host->ctx, IG_KF_RUNTIME_ALLOC) == 1)
		return;
	bpf_object__for_each_program(p, obj) {
		enum bpf_prog_type t = bpf_program__type(p);

		if (bpf_program__autoload(p) && (t == BPF_PROG_TYPE_KPROBE ||
						 t == BPF_PROG_TYPE_RAW_TRACEPOINT ||
						 t == BPF_PROG_TYPE_TRACEPOINT ||
						 t == BPF_PROG_TYPE_PERF_EVENT))
			risky = true;
	}
	if (!risky)
		return;
	bpf_object__for_each_map(m, obj) {
		enum bpf_map_type t = bpf_map__type(m);

		if (t == BPF_MAP_TYPE_HASH || t == BPF_MAP_TYPE_PERCPU_HASH)
			bpf_map__set_map_flags(m, bpf_map__map_flags(m) & ~BPF_F_NO_PREALLOC);
	}
}

#endif /* IG_BPF_GADGET_H */
