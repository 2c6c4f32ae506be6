/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container birth, as the core's BPF object (filter.bpf.c) sees it and
 * the container table (births.c) reads it from the ring
 * ig_births: a runtime's namespace-creating stage (runc's nsexec stage 1,
 * comm "runc:[1:CHILD]") forks the process that becomes the container's
 * init, already in the container's mount namespace and cgroup. Types only,
 * fixed width: shared by BPF and user space.
 */
#ifndef IG_CORE_CONTAINERS_BIRTH_H
#define IG_CORE_CONTAINERS_BIRTH_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define IG_BIRTH_CGROUP_LEN	128
#define IG_BIRTH_PARENT_LEN	64
/* ig_mntns_filter values: a decided container, and a birth not decided yet
 * (recorded like a selected one until user space decides). */
#define IG_FILTER_SELECTED	1
#define IG_FILTER_BIRTH		2

struct ig_birth {
	__u64 mntns;		/* inode of the child's mount namespace */
	__u64 start_ns;		/* the child's start, boot clock (task start_boottime) */
	__u64 mntns_id;		/* that namespace's id (ns.ns_id, 6.18; mnt_namespace.seq
				 * before: what NS_GET_MNTNS_ID gives, 6.8+), 0 unknown */
	__u32 pid;		/* the child (the container's init, or a runc exec) */
	__u32 ppid;		/* the runtime stage that forked it */
	char cgroup[IG_BIRTH_CGROUP_LEN];	/* the child's cgroup's name, "" unknown */
	char parent[IG_BIRTH_PARENT_LEN];	/* that cgroup's parent's name */
};

#endif /* IG_CORE_CONTAINERS_BIRTH_H */
