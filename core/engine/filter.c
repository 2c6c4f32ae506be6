// SPDX-License-Identifier: Apache-2.0
/*
 * Loading the core's BPF object. It uses plain raw tracepoints with no CO-RE
 * (see filter.bpf.c), so the three kernel struct offsets the command-tree
 * follower reads are found here, with kbtf.c's one walk over the kernel BTF,
 * and set as rodata before load.
 */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/base/log.h"
#include "filter.h"
#include "kbtf.h"
#include "kfeat.h"
#include "sys.h"
#include "filter.skel.h"

static int set_layout(struct filter_bpf *filter)
{
	struct ig_kbtf_member q[] = {
		{ "task_struct", "tgid" },
		{ "task_struct", "signal" },
		{ "signal_struct", "live" },
	};
	size_t i;
	int err = ig_kbtf__member_offsets(q, IG_ARRAY_SIZE(q));

	if (err) {
		for (i = 0; i + 1 < IG_ARRAY_SIZE(q) && q[i].off >= 0; i++)
			;
		ig_err("cannot find %s.%s in the kernel's BTF: %s", q[i].strct, q[i].member,
		       strerror(-err));
		return err;
	}
	filter->rodata->task_tgid_off = (__u32)q[0].off;
	filter->rodata->task_signal_off = (__u32)q[1].off;
	filter->rodata->signal_live_off = (__u32)q[2].off;
	return 0;
}

/* First of two names a member has had (kernfs_node.parent became __parent
 * in 6.15, task_struct.real_start_time start_boottime in 5.5), or -ENOENT. */
static int either(const struct ig_kbtf_member *a, const struct ig_kbtf_member *b)
{
	return a->off >= 0 ? a->off : b->off;
}

/* What the birth program reads (see filter.bpf.c). */
static int set_birth_layout(struct filter_bpf *filter, enum ig_target_mode target)
{
	struct ig_kbtf_member q[] = {
		{ "task_struct", "tgid" }, { "task_struct", "nsproxy" },
		{ "nsproxy", "mnt_ns" }, { "mnt_namespace", "ns" }, { "ns_common", "inum" },
		{ "task_struct", "cgroups" }, { "css_set", "dfl_cgrp" }, { "css_set", "subsys" },
		{ "css_set", "refcount" }, { "cgroup_subsys_state", "cgroup" },
		{ "cgroup", "kn" }, { "kernfs_node", "name" },
		{ "task_struct", "start_boottime" }, { "task_struct", "real_start_time" },
		{ "kernfs_node", "__parent" }, { "kernfs_node", "parent" },
		{ "ns_common", "ns_id" }, { "mnt_namespace", "seq" },
	};
	struct filter_bpf__rodata *ro = filter->rodata;
	size_t i;

	ig_kbtf__member_offsets(q, IG_ARRAY_SIZE(q));
	for (i = 0; i < 12; i++)
		if (q[i].off < 0)
			goto err_missing;
	if (either(&q[12], &q[13]) < 0 || either(&q[14], &q[15]) < 0)
		goto err_missing;
	ro->births_filter = target == IG_TARGET_CONTAINERS;
	ro->task_tgid_off = (__u32)q[0].off;
	ro->task_nsproxy_off = (__u32)q[1].off;
	ro->nsproxy_mnt_off = (__u32)q[2].off;
	ro->mnt_ns_off = (__u32)q[3].off;
	ro->ns_inum_off = (__u32)q[4].off;
	ro->task_cgroups_off = (__u32)q[5].off;
	ro->cset_dfl_off = (__u32)q[6].off;
	ro->cset_subsys_off = (__u32)q[7].off;
	/* subsys[] is an array of pointers right before refcount */
	ro->cset_nr_subsys = (__u32)(q[8].off - q[7].off) / 8;
	ro->css_cgroup_off = (__u32)q[9].off;
	ro->cgroup_kn_off = (__u32)q[10].off;
	ro->kn_name_off = (__u32)q[11].off;
	ro->task_start_off = (__u32)either(&q[12], &q[13]);
	ro->kn_parent_off = (__u32)either(&q[14], &q[15]);
	/* The namespace's id (optional): ns_common.ns_id (6.18), else the
	 * sequence number NS_GET_MNTNS_ID gave before (6.8 to 6.17). */
	if (q[16].off >= 0)
		ro->mnt_id_off = (__u32)(q[3].off + q[16].off);
	else if (q[17].off > 0)
		ro->mnt_id_off = (__u32)q[17].off;
	return 0;

err_missing:
	for (i = 0; i < IG_ARRAY_SIZE(q) && q[i].off >= 0; i++)
		;
	ig_warn("cannot find %s.%s in the kernel's BTF: containers are recorded from when ig "
		"finds them, not from their start (use the OCI hook)", q[i].strct, q[i].member);
	return -ENOENT;
}

struct filter_bpf *ig_filter__open(enum ig_target_mode target)
{
	struct filter_bpf *filter;
	int err;

	filter = filter_bpf__open();
	if (!filter) {
		err = -errno;
		goto err_explain;
	}
	/* Kernels before 6.1 warn (WARNING in bpf_check) when a kprobe or
	 * raw_tp program -- the follower below, a gadget's kprobe -- uses a
	 * hash map allocated at run time: preallocate there. */
	if (!ig_kfeat__has(IG_KF_RUNTIME_ALLOC)) {
		bpf_map__set_map_flags(filter->maps.ig_pid_filter, 0);
		bpf_map__set_map_flags(filter->maps.ig_mntns_filter, 0);
	}
	if (target != IG_TARGET_COMMAND) {
		bpf_program__set_autoload(filter->progs.ig_follow_fork, false);
		bpf_program__set_autoload(filter->progs.ig_forget_exit, false);
		/* without the layout, no births: said, not fatal */
		if (set_birth_layout(filter, target))
			bpf_program__set_autoload(filter->progs.ig_birth, false);
		err = 0;
	} else {
		bpf_program__set_autoload(filter->progs.ig_birth, false);
		err = set_layout(filter);
	}
	if (err)
		goto err_destroy;
	err = filter_bpf__load(filter);
	if (err)
		goto err_explain;
	err = filter_bpf__attach(filter);
	if (err)
		goto err_explain;
	return filter;

err_explain:
	ig_sys__explain_bpf_error(err);
err_destroy:
	filter_bpf__destroy(filter);
	errno = -err;
	return NULL;
}

int ig_filter__map_fd(const struct filter_bpf *f, enum ig_filter_map which)
{
	if (!f)
		return -ENODEV;
	if (which == IG_FILTER_MAP_MNTNS)
		return bpf_map__fd(f->maps.ig_mntns_filter);
	if (which == IG_FILTER_MAP_PID)
		return bpf_map__fd(f->maps.ig_pid_filter);
	return -EINVAL;
}

int ig_filter__births_fd(const struct filter_bpf *f)
{
	return f && bpf_program__autoload(f->progs.ig_birth) ? bpf_map__fd(f->maps.ig_births) :
	       -ENODEV;
}

uint64_t ig_filter__births_lost(const struct filter_bpf *f)
{
	return f && f->bss ? f->bss->ig_births_lost : 0;
}

int ig_filter__add_pid(const struct filter_bpf *f, pid_t pid)
{
	uint32_t key = (uint32_t)pid;
	uint8_t one = 1;

	if (bpf_map_update_elem(bpf_map__fd(f->maps.ig_pid_filter), &key, &one, BPF_ANY))
		return -errno;
	return 0;
}

void ig_filter__destroy(struct filter_bpf *f)
{
	filter_bpf__destroy(f);
}
