/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * seccomp-advisor: types shared by the BPF program and the user side.
 * Fixed-width types only.
 *
 * Recording model. Every recorded unit (a mount namespace in container/host
 * mode, the command's process tree in command mode) gets a slot. Each slot
 * has two phases: 0 = before the container runtime's init process execs the
 * workload (runc's set-up), 1 = after. The bitmap map is a per-CPU array
 * indexed by slot * 2 + phase; each value holds two regions of nr_syscalls
 * bits: native syscall numbers, then compat (32-bit) ones, then one word:
 * when that CPU last set a bit there (boot ns).
 */
#ifndef SECCOMP_ADVISOR_H
#define SECCOMP_ADVISOR_H

#ifndef __bpf__
#include <linux/types.h>
#endif

#define SA_MAX_SYSCALLS		2048	/* upper bound of nr_syscalls (bits per region) */
#define SA_DEFAULT_SLOTS	1024	/* max recorded units by default */
#define SA_MAX_DROPPED		256	/* distinct dropped keys remembered */
#define SA_SLOT_NONE		0xffffffffu	/* cached: do not record this key */

#define SA_NR_PHASES		2
#define SA_PHASE_SETUP		0
#define SA_PHASE_RUN		1

/* Words of one bitmap value (native then compat region), at most; the
 * "special syscalls" table has one bit per bitmap bit. */
#define SA_BITMAP_WORDS		(2 * SA_MAX_SYSCALLS / 64)
#define SA_SPECIAL_WORDS	SA_BITMAP_WORDS

/*
 * Per-CPU one-entry cache: the last task seen on this CPU, where its
 * syscalls go, and a copy of the words of this CPU's bitmap of that place
 * that its syscalls touched, so a syscall already recorded costs one test
 * of memory this CPU owns. A task is its
 * address plus its start time (the address is reused once a task is freed;
 * the start time of the new one differs).
 */
struct sa_cache {
	__u64 task;		/* task_struct address, 0 = empty */
	__u64 start;		/* its start_time */
	__u64 key;		/* its unit: mntns id (see sa_slot), or tgid in command mode */
	__u32 idx;		/* bitmap index (slot * 2 + phase) or SA_SLOT_NONE */
	__u32 epoch;		/* sa_epoch when filled; a phase flip, a freed slot or a
				 * namespace switch bumps it */
	/* Words of this CPU's bitmap idx learned since the entry changed
	 * unit (0 = not learned yet; all ones for SA_SLOT_NONE: nothing to
	 * record), special syscalls masked out. Written through: the bitmap
	 * map always holds everything, user space never reads this. */
	__u64 bits[SA_BITMAP_WORDS];
};

/*
 * Value of the slots hash. Its key is the mount namespace's id
 * (ns_common.ns_id: unique for the boot, never reused), not the inode
 * number, which the kernel recycles: a container whose namespace got the
 * inode of one that just died must not inherit its slot (nor its phase).
 * Kernels without ns_id fall back to the inode number.
 */
struct sa_slot {
	__u32 slot;
	__u32 phase;
	__u64 mntns;		/* inode number: what containers are known by */
};

/* Counters (global array, index = enum sa_counter). */
enum sa_counter {
	SA_CNT_DROPPED = 0,	/* syscalls not recorded: no free slot */
	SA_CNT_OUT_OF_RANGE,	/* syscall ids >= nr_syscalls (or negative) */
	SA_CNT_ARGS_FULL,	/* argument values not recorded: map full */
	SA_CNT_MAX,
};

/* --args: which argument of which syscall (a short table). */
#define SA_ARG_SYSCALLS		8
#define SA_ARGS_MAX_VALUES	16	/* distinct values per (slot, syscall) */

/* Key of the arg value map: one distinct value seen. */
struct sa_arg_key {
	__u32 idx;		/* bitmap index (slot * 2 + phase) */
	__u32 nr;		/* native syscall number */
	__u64 value;
};

/* Key of the per-(idx, syscall) distinct value counter. */
struct sa_arg_count_key {
	__u32 idx;
	__u32 nr;
};

#endif /* SECCOMP_ADVISOR_H */
