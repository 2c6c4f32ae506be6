// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * capabilities: one event per capability check, from tp_btf/cap_capable
 * (6.14 and newer); on older kernels from cap_capable itself by fexit or
 * kprobe/kretprobe, which also give its CAP_OPT_* options (fallback.bpf.h).
 *
 * The tracepoint gives (cred, target_ns, capable_ns, cap, ret) but not the
 * CAP_OPT_* options, so whether the check is audited is derived from the
 * kernel stack: a check is non-audited when the first frame past cap_capable
 * and security_capable lies in a function that asks with CAP_OPT_NOAUDIT
 * (ns_capable_noaudit, has_ns_capability_noaudit, vm_enough_memory ...).
 * User space finds those functions in /proc/kallsyms and sets the ranges
 * below before load, then learns where that frame's return address sits
 * above ctx (calib.c), so a check costs one stack read, not an unwind.
 *
 * Per check, in order: calibration (ig's own thread only), the target filter
 * (cached per CPU), audited, then --advise aggregation, --unique dedup, or a
 * per-CPU batch of events sent to the ring buffer 16 at a time.
 * docs/gadgets/capabilities.md has the measurements behind each choice.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include <ig/ig_filter.h>
#include <ig/ig_task.h>
#include <ig/ig_ringbuf.h>
#include "capabilities.h"

#define PF_KTHREAD_FLAG	0x00200000
#define E2BIG		7
#define EEXIST		17

const volatile __u64 range_start[CAPS_MAX_RANGES] = {};
const volatile __u64 range_end[CAPS_MAX_RANGES] = {};
const volatile __u8 range_kind[CAPS_MAX_RANGES] = {};
const volatile __u32 nr_ranges = 0;
const volatile bool targ_audit_only = false;
const volatile bool targ_unique = false;
const volatile bool targ_advise = false;

/* Set by user space after load: CAPS_CTL_* and ig's thread making its own
 * checks (capabilities.h), and the stack layout learned by calib.c. */
volatile __u32 ctl = 0;
volatile __u32 ctl_tid = 0;
__u32 calib_n = 0;
struct caps_layout layout = {};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CAPS_CALIB_SLOTS);
	__type(key, __u32);
	__type(value, struct caps_calib);
} caps_calib SEC(".maps");

/* resized by user space before load (CAPS_RING_BYTES) */
IG_RINGBUF_DEFINE(events, 4 * 1024 * 1024);

/* One batch per CPU (struct caps_batch in capabilities.h), indexed by CPU
 * number; max_entries is set to the number of possible CPUs before load. An
 * ARRAY, not a PERCPU_ARRAY: BPF timers cannot live in per-CPU maps. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct caps_batch);
} caps_batches SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);	/* inserts are rare; start-up stays fast */
	__type(key, struct cap_uniq_key);
	__type(value, __u8);
} caps_unique SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct cap_agg_key);
	__type(value, struct cap_agg_val);
} caps_agg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CAPS_NR_STATS);
	__type(key, __u32);
	__type(value, __u64);
} caps_stats SEC(".maps");

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *cnt = bpf_map_lookup_elem(&caps_stats, &idx);

	if (cnt)
		*cnt += 1;
}

static __always_inline __u8 range_of(__u64 ip)
{
	__u32 i;

	for (i = 0; i < CAPS_MAX_RANGES; i++) {
		if (i >= nr_ranges)
			break;
		if (ip >= range_start[i] && ip < range_end[i])
			return range_kind[i];
	}
	return 0;
}

/*
 * Audited unless the first frame past cap_capable/security_capable (the
 * capability API the kernel called) is a CAP_OPT_NOAUDIT caller. Without
 * ranges (symbols not found) every check counts as audited.
 */
static __always_inline bool slow_audited(const __u64 *ips, long n)
{
	bool inner_seen = false;
	__u32 i;

	for (i = 0; i < CAPS_STACK_DEPTH; i++) {
		__u8 kind;

		if (i >= n / sizeof(__u64))
			break;
		kind = range_of(ips[i]);
		if (kind == CAPS_RANGE_INNER) {
			inner_seen = true;
			continue;
		}
		if (inner_seen)
			return kind != CAPS_RANGE_NOAUDIT;
	}
	return true;
}

/*
 * A stack word as a plain (fault-safe) load: bpf_rdonly_cast() is inlined
 * by the verifier into a move, and gives an untrusted BTF pointer whose
 * loads are PROBE_MEM loads (a fault reads 0). pt_regs is just a type whose
 * first member is an unsigned long: w->r15 is the word at `at`. About 20 ns
 * cheaper per word than bpf_probe_read_kernel() here.
 */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;	/* 6.2 */

/*
 * Pointer walks go through an untrusted alias: the loads are the same probe
 * loads either way, but for every pointer read through a trusted one the
 * verifier searches the kernel's whole BTF (by name, linearly) for
 * trusted/RCU field annotations, at every state it explores. That search was
 * a quarter of ig's start-up with this program.
 */
#define BPF_CORE_UNTRUSTED(p) \
	((typeof(p))bpf_rdonly_cast((p), bpf_core_type_id_kernel(typeof(*(p)))))

static __always_inline __u64 stack_word(char *at)
{
	struct pt_regs *w = bpf_rdonly_cast(at, bpf_core_type_id_kernel(struct pt_regs));

	return w->r15;
}

/* 1 audited, 0 not, -1 when the stack does not have the learned shape.
 * b (this CPU's batch, or NULL) caches the last call site's answer. */
static __always_inline int fast_audited(char *anchor, struct caps_batch *b)
{
	char *at;
	__u64 ip;
	int audited;

	if (!layout.ready)
		return -1;
	at = anchor + layout.off_cc * 8;
	if (stack_word(at) != layout.cc_ret)
		return -1;
	at += layout.d1 * 8;
	ip = stack_word(at);
	if (ip == layout.sc_ret)
		ip = stack_word(at + layout.d2 * 8);
	if (b && ip == b->api_ip)
		return b->api_audited;
	audited = range_of(ip) != CAPS_RANGE_NOAUDIT;
	if (b) {
		b->api_ip = ip;
		b->api_audited = audited;
	}
	return audited;
}

/* Only ig's own thread gets here, one check at a time. */
static __always_inline int calibrate(void *ctx, char *anchor, int cap)
{
	__u32 slot = calib_n;
	struct caps_calib *c;
	__u32 i;

	calib_n = slot + 1;
	c = bpf_map_lookup_elem(&caps_calib, &slot);
	if (!c)
		return 0;
	c->cap = cap;
	c->fast = fast_audited(anchor, NULL);
	c->nr_ips = bpf_get_stack(ctx, c->ips, sizeof(c->ips), 0);
	c->slow = c->nr_ips > 0 ? slow_audited(c->ips, c->nr_ips) : -1;
	c->anchor = (__u64)anchor;
	/* in chunks: the stack may end (a guard page) before the buffer does */
	for (i = 0; i < CAPS_CALIB_WORDS / 8; i++) {
		c->raw_err = bpf_probe_read_kernel(&c->raw[i * 8], 64, anchor + i * 64);
		if (c->raw_err)
			break;
	}
	return 0;
}

/* Frames of the slow path live in a map, not on the stack, so no stale
 * return address is ever left in this program's frame for calibration to
 * mistake for a live one. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64[CAPS_STACK_DEPTH]);
} caps_ips SEC(".maps");

static __always_inline bool check_audited(void *ctx, char *anchor, struct caps_batch *b)
{
	__u32 zero = 0;
	__u64 *ips;
	long n;
	int fast;

	if (!nr_ranges)
		return true;
	fast = fast_audited(anchor, b);
	if (fast >= 0)
		return fast;
	stat_inc(CAPS_STAT_SLOW);
	ips = bpf_map_lookup_elem(&caps_ips, &zero);
	if (!ips)
		return true;
	n = bpf_get_stack(ctx, ips, CAPS_STACK_DEPTH * sizeof(__u64), 0);
	return n > 0 ? slow_audited(ips, n) : true;
}

/* "runc:[0:PARENT]", "runc:[1:CHILD]", "runc:[2:INIT]": runc's own set-up.
 * lo is the comm's first 8 bytes as a little-endian word: "runc:[" is its
 * low 6 bytes. */
#define RUNC_PREFIX	0x5b3a636e7572ull	/* "runc:[" */
static __always_inline bool is_runtime_setup(__u64 lo)
{
	return (lo & 0xffffffffffffull) == RUNC_PREFIX;
}

#include "batch.bpf.h"
#include "moot.bpf.h"

static __always_inline void aggregate(const struct caps_who *w, const struct cap_check_rec *c)
{
	struct cap_agg_key key = {
		.mntns = (__u32)w->ns,
		.cap = c->cap,
		.verdict = c->verdict,
		.flags = c->flags | (w->ns >> 32),
		.syscall = c->syscall,
	};
	struct cap_agg_val *val, init = { .count = 1, .syscall = c->syscall, .pid = w->ids >> 32 };
	long err;

	val = bpf_map_lookup_elem(&caps_agg, &key);
	if (val) {
		__sync_fetch_and_add(&val->count, 1);
		return;
	}
	__builtin_memcpy(init.comm, w->comm, sizeof(init.comm));
	err = bpf_map_update_elem(&caps_agg, &key, &init, BPF_NOEXIST);
	if (err == -EEXIST) {		/* another CPU inserted it first */
		val = bpf_map_lookup_elem(&caps_agg, &key);
		if (val)
			__sync_fetch_and_add(&val->count, 1);
	} else if (err) {
		stat_inc(CAPS_STAT_AGG_FULL);
	}
}

/* true when this (container, cap, verdict, audited) was already reported.
 * Entries are never removed, so the last key found or added on this CPU
 * (b->uniq_last) is known to be there: a busy task skips the hash. */
static __always_inline bool seen_before(struct caps_batch *b, __u32 mntns,
					const struct cap_check_rec *c)
{
	bool audit = !!(c->flags & CAPS_F_AUDIT);
	struct cap_uniq_key key = {
		.mntns = mntns,
		.cap = c->cap,
		.verdict = c->verdict,
		.audit = audit,
	};
	__u64 packed = mntns | (__u64)c->cap << 32 | (__u64)c->verdict << 40 |
		       (__u64)audit << 48 | 1ull << 56;
	__u8 one = 1;
	long err;

	if (b->uniq_last == packed)
		return true;
	if (bpf_map_lookup_elem(&caps_unique, &key)) {
		b->uniq_last = packed;
		return true;
	}
	err = bpf_map_update_elem(&caps_unique, &key, &one, BPF_NOEXIST);
	if (err == -EEXIST) {
		b->uniq_last = packed;
		return true;
	}
	if (err)
		stat_inc(CAPS_STAT_UNIQ_FULL);	/* full: send it anyway, counted */
	else
		b->uniq_last = packed;
	return false;
}

/* The core's target filter (include/ig/ig_filter.h), with the mount namespace the
 * event needs anyway read once, without helper calls. btf: the task is a BTF
 * pointer (a compile-time constant: true in the tracepoint program). */
static __always_inline bool selected(struct task_struct *task, __u64 mntns, bool btf)
{
	if (ig_filter_mode == IG_FILTER_MNTNS)
		return bpf_map_lookup_elem(&ig_mntns_filter, &mntns) != NULL;
	if (ig_filter_mode == IG_FILTER_PID) {
		__u32 tgid = btf ? task->tgid : IG_TASK_READ(task, tgid);

		return bpf_map_lookup_elem(&ig_pid_filter, &tgid) != NULL;
	}
	return true;
}

/*
 * selected(), remembering a positive answer per CPU for
 * CAPS_SEL_CACHE_JIFFIES ticks. The filter only changes when processes exit
 * or containers come and go; a task that is running is not deselected, and a
 * new task at a recycled address within that window would also need the same
 * mount namespace. jiffies, not the clock: bpf_jiffies64() is one inlined
 * load, a clock read costs ~70 ns on this kvm-clock VM.
 */
static __always_inline bool selected_cached(struct caps_batch *b, struct task_struct *task,
					    __u64 mntns, __u64 jiffies, bool btf)
{
	if (ig_filter_mode == IG_FILTER_NONE)	/* known at load: the rest is dropped */
		return true;
	if (b->sel_task == (__u64)task && b->sel_mntns == mntns && jiffies < b->sel_until)
		return true;
	if (!selected(task, mntns, btf)) {
		b->sel_task = 0;
		return false;
	}
	b->sel_task = (__u64)task;
	b->sel_mntns = mntns;
	b->sel_until = jiffies + CAPS_SEL_CACHE_JIFFIES;
	return true;
}

/* ig at stop, on this CPU: send its batch (the timer may fire later and find
 * it empty). */
static __always_inline int flush_cpu(__u32 cpu)
{
	struct caps_batch *b = bpf_map_lookup_elem(&caps_batches, &cpu);

	if (b) {
		b->busy = 1;
		batch_flush(b);
		b->busy = 0;
	}
	return 0;
}

/* Who is checking (the task record's fields), read directly from the task:
 * cheaper than the helpers, same values. comm as two words (8-byte aligned
 * in 6.18's task_struct, and x86 loads need no alignment anyway). */
static __always_inline void who_of(struct caps_who *w, struct task_struct *task,
				   const struct cred *task_cred, __u32 mntns)
{
	const __u64 *comm = (const __u64 *)task->comm;
	__u64 flags = 0;

	w->ids = (__u32)task->pid | (__u64)task->tgid << 32;
	w->creds = task_cred->uid.val | (__u64)task_cred->gid.val << 32;
	w->comm[0] = comm[0];
	w->comm[1] = comm[1];
	if (is_runtime_setup(w->comm[0]))
		flags |= CAPS_F_SETUP;
	if (task->flags & PF_KTHREAD_FLAG)
		flags |= CAPS_F_KTHREAD;
	w->ns = mntns | flags << 32;
}

/* The check itself, from the tracepoint's arguments. */
static __always_inline void check_of(struct cap_check_rec *c, struct task_struct *task,
				     const struct cred *task_cred, const struct cred *cred,
				     struct user_namespace *target_ns, int cap, int ret,
				     bool audited, __u64 task_flags)
{
	__u8 flags = audited ? CAPS_F_AUDIT : 0;

	if (cred != task_cred)
		flags |= CAPS_F_OTHER_CRED;
	else if (task_cred != BPF_CORE_UNTRUSTED(task)->real_cred)
		flags |= CAPS_F_OVERRIDE;
	c->kind = CAPS_REC_CHECK;
	c->cap = cap;
	c->verdict = ret ? CAPS_VERDICT_DENY : CAPS_VERDICT_ALLOW;
	c->flags = flags;
	c->target_userns = BPF_CORE_UNTRUSTED(target_ns)->ns.inum;	/* a tracepoint argument */
	c->current_userns = BPF_CORE_UNTRUSTED(cred)->user_ns->ns.inum;
	if (task_flags & CAPS_F_KTHREAD)
		c->syscall = -1;
	else
		c->syscall = ((struct pt_regs *)bpf_task_pt_regs(task))->orig_ax;
	if (cap == CAPS_CAP_SETPCAP && c->syscall == CAPS_NR_CAPSET && capset_moot(task, cred))
		c->flags |= CAPS_F_MOOT;
}

/* A check made up (w, c): into the advice, or unless --unique has seen it,
 * onto this CPU's batch (sent at once with flush_now, a compile-time
 * constant, see batch_add_check()). */
static __always_inline int deliver(struct caps_batch *b, const struct caps_who *w,
				   const struct cap_check_rec *c, __u32 mntns, __u64 jiffies,
				   bool flush_now)
{
	if (targ_advise) {
		aggregate(w, c);
		return 0;
	}
	if (targ_unique && seen_before(b, mntns, c))
		return 0;
	b->busy = 1;
	if (!batch_same_task(b, w, jiffies))
		batch_add_task(b, w, jiffies);
	batch_add_check(b, c, flush_now);
	b->busy = 0;
	return 0;
}

SEC("tp_btf/cap_capable")
int BPF_PROG(ig_cap_capable, const struct cred *cred, struct user_namespace *target_ns,
	     const struct user_namespace *capable_ns, int cap, int ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 cpu = bpf_get_smp_processor_id(), mntns;
	/*
	 * The anchor: ctx, the argument array bpf_trace_run5() keeps on the
	 * kernel stack, a fixed distance below cap_capable's frame. (This
	 * program's own frame may be on a private per-CPU stack.) Only ever
	 * read through fault-safe loads.
	 */
	char *anchor = (char *)ctx;
	const struct cred *task_cred;
	struct cap_check_rec c;
	struct caps_batch *b;
	struct caps_who w;
	__u64 jiffies;
	bool audited;

	if (ctl) {
		if (ctl == CAPS_CTL_CALIB && ctl_tid == task->pid)
			return calibrate(ctx, anchor, cap);
		if (ctl == CAPS_CTL_STOP)
			return ctl_tid == task->pid ? flush_cpu(cpu) : 0;
	}
	b = bpf_map_lookup_elem(&caps_batches, &cpu);
	if (!b)		/* cannot happen: sized to the possible CPUs */
		return 0;
	mntns = BPF_CORE_UNTRUSTED(task)->nsproxy->mnt_ns->ns.inum;
	jiffies = bpf_jiffies64();
	if (!selected_cached(b, task, mntns, jiffies, true))
		return 0;
	audited = check_audited(ctx, anchor, b);
	if (targ_audit_only && !audited)
		return 0;

	task_cred = BPF_CORE_UNTRUSTED(task)->cred;
	who_of(&w, task, task_cred, mntns);
	check_of(&c, task, task_cred, cred, target_ns, cap, ret, audited, w.ns >> 32);
	return deliver(b, &w, &c, mntns, jiffies, false);
}

#include "fallback.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
