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

struct filter_bpf *ig_filter__open(enum ig_target_mode target)
{
	struct filter_bpf *filter;
	int err;

	filter = filter_bpf__open();
	if (!filter) {
		err = -errno;
		goto err_explain;
	}
	if (target != IG_TARGET_COMMAND) {
		bpf_program__set_autoload(filter->progs.ig_follow_fork, false);
		bpf_program__set_autoload(filter->progs.ig_forget_exit, false);
	} else {
		err = set_layout(filter);
		if (err)
			goto err_destroy;
	}
	err = filter_bpf__load(filter);
	if (err)
		goto err_explain;
	if (target == IG_TARGET_COMMAND) {
		err = filter_bpf__attach(filter);
		if (err)
			goto err_explain;
	}
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
