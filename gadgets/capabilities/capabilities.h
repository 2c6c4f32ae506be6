/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Types shared by capabilities.bpf.c and the user side. Fixed-width only.
 */
#ifndef IG_CAPABILITIES_H
#define IG_CAPABILITIES_H

#ifndef __bpf__
#include <linux/types.h>
#endif

#ifndef IG_COMM_LEN
#define IG_COMM_LEN		16
#endif

/* Highest capability number this gadget names (CAP_CHECKPOINT_RESTORE). */
#define CAPS_LAST_CAP		40

/*
 * Kernel text ranges used to derive "audited" from the stack (see
 * docs/gadgets/capabilities.md), filled from /proc/kallsyms before load:
 * CAPS_RANGE_INNER are cap_capable and security_capable themselves, the
 * first frame past them is the capability API the kernel called; when that
 * frame lies in a CAPS_RANGE_NOAUDIT function the check passed
 * CAP_OPT_NOAUDIT.
 */
#define CAPS_MAX_RANGES		16
#define CAPS_RANGE_INNER	1
#define CAPS_RANGE_NOAUDIT	2
/* Frames fetched per check: the BPF program, bpf_trace_run5, cap_capable,
 * security_capable, the API function, and one spare. */
#define CAPS_STACK_DEPTH	6

/* Flags of a check (cap_check_rec.flags, cap_event.flags) */
#define CAPS_F_AUDIT		(1u << 0)	/* the check is audited (no CAP_OPT_NOAUDIT) */
#define CAPS_F_OVERRIDE		(1u << 1)	/* current->cred != current->real_cred: the
						 * kernel borrowed credentials (overlayfs
						 * copy-up, nfsd ...) */
#define CAPS_F_OTHER_CRED	(1u << 2)	/* checked against credentials that are not
						 * the task's (a file opener's, another task's) */
/* Flags of a task (cap_task_rec.flags, cap_event.flags) */
#define CAPS_F_SETUP		(1u << 3)	/* made by the runtime's init before the
						 * workload started (comm "runc:[...") */
#define CAPS_F_KTHREAD		(1u << 4)	/* a kernel thread: no syscall */

#define CAPS_VERDICT_ALLOW	0
#define CAPS_VERDICT_DENY	1

/*
 * The stream: each ring buffer sample is one CPU's batch, a sequence of
 * records. A task record says who made the checks that follow it in the
 * sample and when; a check record is one capability check; a repeat record
 * says the check before it was made again, `count` more times, identically
 * (same task record, so the same timestamp). User space turns each check
 * into one record again: nothing is lost or merged in what the user sees.
 * A batch starts with a task record, and a new one is written only when the
 * task's ids, comm or mount namespace changed, or the clock was read again
 * (batch_same_task() in batch.bpf.h). Writing into the ring buffer is what
 * costs at 500k checks/s (about 3 ns per byte measured here, the cache
 * misses of lines last read by the consumer on the other CPU): a busy task
 * repeating one check costs a counter increment instead of 64 bytes.
 * Records are 8-byte aligned; the first byte is the kind.
 */
#define CAPS_REC_TASK		1
#define CAPS_REC_CHECK		2
#define CAPS_REC_REPEAT		3

struct cap_task_rec {
	__u8 kind;		/* CAPS_REC_TASK */
	__u8 flags;		/* CAPS_F_SETUP | CAPS_F_KTHREAD */
	__u16 pad;
	__u32 mntns;		/* mount namespace inode (an unsigned int in the kernel) */
	__u64 timestamp;	/* bpf_ktime_get_boot_ns() when this record was written;
				 * its checks were made within the same jiffy, after it */
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 gid;
	char comm[IG_COMM_LEN];
};

struct cap_check_rec {
	__u8 kind;		/* CAPS_REC_CHECK */
	__u8 cap;
	__u8 verdict;		/* CAPS_VERDICT_* */
	__u8 flags;		/* CAPS_F_AUDIT | CAPS_F_OVERRIDE | CAPS_F_OTHER_CRED */
	__s32 syscall;		/* orig_ax of the task's user regs, -1 if none */
	__u32 target_userns;	/* inum of the namespace the capability is wanted in */
	__u32 current_userns;	/* inum of the user namespace of the credentials */
};

struct cap_repeat_rec {
	__u8 kind;		/* CAPS_REC_REPEAT */
	__u8 pad[3];
	__u32 count;		/* times the check before was repeated */
};

/* One check with its task, as user space decodes it (caps_decode()). */
struct cap_event {
	__u64 timestamp;
	__u64 mntns;
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 gid;
	__s32 syscall;
	__u32 target_userns;
	__u32 current_userns;
	__u8 cap;
	__u8 verdict;
	__u8 flags;		/* check flags | task flags */
	__u8 pad;
	char comm[IG_COMM_LEN];
};

/*
 * Batching: each CPU appends records to its batch and sends the batch as one
 * ring buffer sample when another check might not fit (one reservation and
 * one consumer update per batch instead of per check). A per-CPU BPF timer
 * flushes a partial batch CAPS_FLUSH_NS after its first record, so a lone
 * check is late by at most that much.
 */
#define CAPS_BATCH_BYTES	1024	/* a power of two */
/* Each timer expiry interrupts the CPU (and in a VM, programming and taking
 * it are exits): 2 ms cost the setuid loop ~2% here, 20 ms a tenth of that.
 * At stop ig flushes every batch itself (CAPS_CTL_STOP), so this is only the
 * latency of a check on a CPU that went quiet. */
#define CAPS_FLUSH_NS		(20 * 1000 * 1000)
#define CAPS_SEL_CACHE_JIFFIES	3	/* 12 ms at HZ=250, 3 ms at HZ=1000 */

/* The batch of one CPU (map caps_batches). User space reads it only at the
 * end, for records a flush timer did not send. */
struct caps_batch {
#ifdef __bpf__
	struct bpf_timer timer;
#else
	__u64 timer[2];		/* struct bpf_timer, opaque */
#endif
	__u32 len;		/* bytes of records in buf[] */
	__u8 busy;		/* the program is appending: the timer waits */
	__u8 armed;		/* the flush timer is pending */
	__u8 timer_ready;	/* bpf_timer_init() done */
	__u8 pad;
	/* The last task found selected on this CPU, trusted until jiffies
	 * reach sel_until: a busy task skips the filter's hash lookup. */
	__u64 sel_task;
	__u64 sel_mntns;
	__u64 sel_until;
	/* The last capability API return address and whether it is audited
	 * (the ranges never change): a call site seen again skips the ranges. */
	__u64 api_ip;
	__u64 api_audited;
	/* The task record in effect in buf (valid while len > 0), packed for
	 * comparison, and the jiffies its clock was read at. */
	__u64 cur_ids;		/* tid | pid << 32 */
	__u64 cur_creds;	/* uid | gid << 32 */
	__u64 cur_comm[2];
	__u64 cur_ns;		/* mntns | flags << 32 */
	__u64 clk_jiffies;
	/* The last check record in buf, as two words (kind 0: none since the
	 * last task record), and where its repeat record is (0: none yet). */
	__u64 last_check[2];
	__u32 rep_off;
	__u32 checks;		/* checks in buf, repeats included (for the lost count) */
	__u64 uniq_last;	/* --unique: the last key known to be in caps_unique,
				 * packed (seen_before()); 0: none */
	/* records; the slack lets the verifier accept a record at any offset
	 * below CAPS_BATCH_BYTES */
	__u8 buf[CAPS_BATCH_BYTES + sizeof(struct cap_task_rec)];
};

/* ctl (.bss): ig's own thread (ctl_tid) runs the program on purpose. CALIB:
 * its checks are recorded for calibration (calib.c), everyone else's go on
 * as usual. STOP: its check sends the batch of the CPU it runs on, everyone
 * else's are ignored (ig is stopping; it visits every CPU, then detaches). */
#define CAPS_CTL_CALIB		1
#define CAPS_CTL_STOP		2

/* Advice aggregation, keyed per container and capability, in the kernel. */
struct cap_agg_key {
	__u64 mntns;
	__u8 cap;
	__u8 verdict;
	__u8 flags;		/* CAPS_F_AUDIT | CAPS_F_OVERRIDE | CAPS_F_SETUP | ... */
	__u8 pad[5];
};

struct cap_agg_val {
	__u64 count;
	__s32 syscall;		/* syscall of the first such check */
	__u32 pid;		/* pid of the first such check */
	char comm[IG_COMM_LEN];	/* comm of the first such check */
};

/* --unique key: each (container, capability, verdict, audited) once. */
struct cap_uniq_key {
	__u64 mntns;
	__u8 cap;
	__u8 verdict;
	__u8 audit;
	__u8 pad[5];
};

/* Indexes of the per-CPU counters array "caps_stats". */
#define CAPS_STAT_UNIQ_FULL	0	/* --unique table full: record sent anyway */
#define CAPS_STAT_AGG_FULL	1	/* advice table full: check not aggregated */
#define CAPS_STAT_SLOW		2	/* audit derived by a full stack walk */
#define CAPS_NR_STATS		3

/*
 * Calibration of the fast audit path (calib.c). bpf_get_stack() costs ~1.7 us
 * per check here, far over the streaming budget, so the program instead reads
 * three words of the kernel stack at offsets learned once: the return address
 * into cap_capable, the one into its caller (security_capable or a direct
 * caller) and, past security_capable, the capability API's. At start-up ig
 * makes known checks on its own thread; for those the program records the
 * unwound frames and a raw copy of the stack above its own frame, and user
 * space finds the offsets. Any check whose stack does not match falls back to
 * bpf_get_stack().
 */
#define CAPS_CALIB_SLOTS	4
#define CAPS_FAST_WORDS		16	/* calibration accepts d1 + d2 below this */
#define CAPS_CALIB_WORDS	128

struct caps_calib {
	__s64 nr_ips;			/* bpf_get_stack() bytes, or -errno */
	__u64 ips[CAPS_STACK_DEPTH];	/* unwound frames */
	__u64 raw[CAPS_CALIB_WORDS];	/* stack words from the program's anchor up */
	__u32 cap;
	__s32 fast;			/* fast path verdict: 1 audited, 0 not, -1 n/a */
	__s32 slow;			/* stack walk verdict */
	__s32 raw_err;			/* bpf_probe_read_kernel() of raw */
	__u64 anchor;
};

/* Learned layout, written by user space into .bss after calibration. */
struct caps_layout {
	__u64 cc_ret;		/* return address into cap_capable (tracepoint call) */
	__u64 sc_ret;		/* return address into security_capable */
	__u32 off_cc;		/* word index of cc_ret above the anchor */
	__u32 d1;		/* words from cc_ret to the caller's return address */
	__u32 d2;		/* words from sc_ret to the API's return address */
	__u32 ready;
};

#endif /* IG_CAPABILITIES_H */
