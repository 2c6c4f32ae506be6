/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * seccomp-audit: types shared by the BPF program and user space.
 * Fixed-width only.
 */
#ifndef SECCOMP_AUDIT_H
#define SECCOMP_AUDIT_H

#include <ig/ig_event.h>

#define SAU_MAX_NR		1024	/* syscall numbers tracked for the dry run */
#define SAU_RINGBUF_BYTES	(1024 * 1024)	/* in ig's RSS once mapped: budget 16 MB */

/* Event types in the ring buffer. */
enum sau_ev_type {
	SAU_EV_EXIT = 1,	/* sys_exit without sys_enter: the syscall was skipped */
	SAU_EV_SIGNAL,		/* SIGSYS with si_code SYS_SECCOMP */
	SAU_EV_ENTER,		/* dry run: a syscall with its arguments */
	SAU_EV_AUDIT,		/* an audit record, injected by the reader thread */
	SAU_EV_TICK,		/* reader thread heartbeat: flush held events */
};

/* How a signal-source event was classified in the kernel. */
enum sau_sig_kind {
	SAU_SIG_TRAP = 1,	/* seccomp mode still FILTER: SECCOMP_RET_TRAP */
	SAU_SIG_KILL,		/* seccomp mode DEAD: a KILL action */
};

struct sau_event {
	struct ig_event_hdr hdr;
	__u32 type;		/* enum sau_ev_type */
	__s32 nr;		/* syscall number */
	__s64 ret;		/* EXIT: return value; AUDIT: the "code=" value */
	__u32 arch;		/* AUDIT_ARCH_* (0: native) */
	__u32 sig_kind;		/* SIGNAL: enum sau_sig_kind */
	__u32 data;		/* SIGNAL: si_errno (SECCOMP_RET_DATA) */
	__u32 live;		/* SIGNAL: live threads in the process */
	__u64 args[6];		/* ENTER: arguments */
};

/* Per-thread state (task local storage; before 5.11, an LRU hash keyed by
 * the task's address). */
struct sau_task {
	__u8 known;		/* saw an event of this thread already */
	__u8 in_syscall;	/* between sys_enter and sys_exit */
	__u8 sigsys;		/* a seccomp SIGSYS is pending for sigsys_nr */
	__u8 pad;
	__s32 sigsys_nr;
	__u64 mntns;		/* mount namespace it was selected in (mntns mode) */
	__u64 start;		/* hash only: the thread's start time, so that a
				 * new task at a recycled address does not
				 * inherit the entry */
};

/* The inject program's context (a raw_tp test run): where the event is in
 * the calling thread's memory. */
struct sau_inject_ctx {
	__u64 event;		/* address of a struct sau_event */
	__u64 size;
};

/* tgid -> what the reader thread needs to attribute an audit record. */
struct sau_proc {
	__u64 mntns;
	char comm[IG_COMM_LEN];
};

#endif /* SECCOMP_AUDIT_H */
