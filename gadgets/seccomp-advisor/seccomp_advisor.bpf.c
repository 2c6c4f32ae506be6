// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * seccomp-advisor: record which syscalls each mount namespace (or the
 * command's process tree) makes.
 *
 * Hot path, on every syscall of every task: compare the current task with
 * this CPU's one-entry cache (the task's address and start time, both in
 * the task itself, so no namespace pointer is chased), then test one bit
 * of the cache's own copy of this CPU's bitmap of the cached slot (words
 * are learned from the map on their first miss). Nothing shared is written,
 * no second map is looked up and no hash is touched in the common case. A
 * new bit is written through to the bitmap map, which user space ORs across
 * CPUs. Everything else (slot allocation, the phase
 * flip at the runtime's exec, the namespace switches that invalidate the
 * cache, argument values: the "special" syscalls, never set in the copy)
 * is the slow path.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include <ig/ig_filter.h>
#include <ig/ig_task.h>
#include "seccomp_advisor.h"

#define TS_COMPAT	0x0002	/* x86 thread_info.status: in a 32-bit syscall */
#define EEXIST		17

/* Set by user space before load. */
const volatile __u32 nr_syscalls = 512;		/* bits per region, multiple of 64 */
const volatile __u32 targ_execve_nr = 59;	/* native numbers, from libseccomp */
const volatile __u32 targ_execveat_nr = 322;
const volatile __u32 targ_unshare_nr = 272;
const volatile __u32 targ_setns_nr = 308;
const volatile __u32 targ_unshare32_nr = ~0u;	/* compat numbers */
const volatile __u32 targ_setns32_nr = ~0u;
/* Syscalls that need more than a bit (bit layout of a bitmap value: native
 * then compat): the execs, the namespace switches, the --args table. */
const volatile __u64 targ_special[SA_SPECIAL_WORDS];
const volatile bool targ_args;
const volatile __u32 targ_arg_nr[SA_ARG_SYSCALLS] = { [0 ... SA_ARG_SYSCALLS - 1] = ~0u };
const volatile __u8 targ_arg_pos[SA_ARG_SYSCALLS];

/* Bumped when a slot changes phase (or the command starts), so every CPU's
 * cache entry is refilled on its next syscall. */
__u32 sa_epoch;
__u32 sa_cmd_started;	/* command mode: the command has called execve */
__u32 sa_cmd_pid;	/* command mode: the tgid of the current run (--runs: each in turn) */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sa_cache);
} sa_cache_map SEC(".maps");

/* No BTF value type: user space sizes the value from the syscall count. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SA_DEFAULT_SLOTS * SA_NR_PHASES);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 2 * 512 / 8 + 8);	/* + the stamp word */
} sa_bitmaps SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SA_DEFAULT_SLOTS);
	__type(key, __u64);
	__type(value, struct sa_slot);
} sa_slots SEC(".maps");

/* Free slot numbers, filled by user space before attach: popping one is an
 * atomic, bounded allocation (clang 14 without -mcpu=v3 has no fetch-add
 * returning the old value). Empty means full. */
struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, SA_DEFAULT_SLOTS);
	__type(value, __u32);
} sa_free_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SA_MAX_DROPPED);
	__type(key, __u64);
	__type(value, __u64);
} sa_dropped SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SA_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} sa_counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, struct sa_arg_key);
	__type(value, __u8);
} sa_arg_values SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct sa_arg_count_key);
	__type(value, __u32);
} sa_arg_counts SEC(".maps");

static __always_inline void count(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&sa_counters, &which);

	if (v)
		*v += 1;
}

/* The slot key of a task's mount namespace (see struct sa_slot). */
static __always_inline __u64 mntns_key(struct task_struct *task)
{
	struct mnt_namespace *mnt = IG_TASK_READ(task, nsproxy, mnt_ns);

	if (bpf_core_field_exists(mnt->ns.ns_id))
		return IG_TASK_READ(mnt, ns.ns_id);
	return IG_TASK_READ(mnt, ns.inum);
}

/* Slot of a mount namespace, allocating one on first sight. */
static __noinline __u32 resolve_mntns(__u64 key)
{
	struct task_struct *task = ig_current_task();
	struct sa_slot *s, fresh = {};
	__u64 one = 1, *n, mntns;
	__u32 slot;

	s = bpf_map_lookup_elem(&sa_slots, &key);
	if (s)
		return s->slot * SA_NR_PHASES + s->phase;
	mntns = IG_TASK_READ(task, nsproxy, mnt_ns, ns.inum);
	if (bpf_map_pop_elem(&sa_free_slots, &slot)) {
		n = bpf_map_lookup_elem(&sa_dropped, &mntns);
		if (n)
			__sync_fetch_and_add(n, 1);
		else
			bpf_map_update_elem(&sa_dropped, &mntns, &one, BPF_NOEXIST);
		count(SA_CNT_DROPPED);
		return SA_SLOT_NONE;
	}
	fresh.slot = slot;
	fresh.mntns = mntns;
	bpf_map_update_elem(&sa_slots, &key, &fresh, BPF_NOEXIST);
	/* Lost a race with another CPU: use its slot and give ours back. */
	s = bpf_map_lookup_elem(&sa_slots, &key);
	if (!s || s->slot != slot)
		bpf_map_push_elem(&sa_free_slots, &slot, 0);
	if (!s)
		return SA_SLOT_NONE;
	return s->slot * SA_NR_PHASES + s->phase;
}

/* Command mode: one slot for the whole tree, recording from its execve on. */
static __always_inline __u32 resolve_tgid(__u32 tgid)
{
	if (!sa_cmd_started)
		return SA_SLOT_NONE;
	if (!bpf_map_lookup_elem(&ig_pid_filter, &tgid))
		return SA_SLOT_NONE;
	return SA_PHASE_RUN;	/* slot 0, phase run */
}

static __always_inline bool is_runc_init(void)
{
	static const char want[] = "runc:[2:INIT]";
	char comm[16];
	int i;

	bpf_get_current_comm(comm, sizeof(comm));
	for (i = 0; i < sizeof(want); i++)
		if (comm[i] != want[i])
			return false;
	return true;
}

/*
 * An execve: in command mode, the command's own execve starts recording;
 * otherwise, runc's init process exec'ing the workload ends its namespace's
 * set-up phase.
 */
static __noinline void on_execve(struct task_struct *task)
{
	struct sa_slot *s;
	__u64 key;

	if (ig_filter_mode == IG_FILTER_PID) {
		if (IG_TASK_READ(task, tgid) == sa_cmd_pid && !sa_cmd_started) {
			sa_cmd_started = 1;
			__sync_fetch_and_add(&sa_epoch, 1);
		}
		return;
	}
	if (!is_runc_init())
		return;
	key = mntns_key(task);
	resolve_mntns(key);
	s = bpf_map_lookup_elem(&sa_slots, &key);
	if (s && s->phase == SA_PHASE_SETUP) {
		s->phase = SA_PHASE_RUN;
		__sync_fetch_and_add(&sa_epoch, 1);
	}
}

/* A setns() or unshare() may move the task to another mount namespace
 * (the one thing that changes a live task's key): make every CPU's cache
 * refill (this CPU's entry is dropped after this syscall is recorded). */
static __always_inline bool moves_mntns(long id, __u32 compat)
{
	if (ig_filter_mode == IG_FILTER_PID)	/* the key is the tgid */
		return false;
	if (compat)
		return id == targ_unshare32_nr || id == targ_setns32_nr;
	return id == targ_unshare_nr || id == targ_setns_nr;
}

/*
 * Point this CPU's cache at bitmap idx. The copy starts empty and learns a
 * word of this CPU's bitmap the first time a syscall in it misses (see
 * set_bit()): copying the whole bitmap here made every switch between tasks
 * of different units on a CPU pay for all of it. For "do not record" the
 * copy is all ones, but special syscalls are never in it: they always take
 * the slow path.
 */
static __noinline void load_bits(struct sa_cache *c, __u32 idx)
{
	__u32 nwords = 2 * nr_syscalls / 64, i;

	if (idx == SA_SLOT_NONE) {
		for (i = 0; i < SA_BITMAP_WORDS && i < nwords; i++)
			c->bits[i] = ~targ_special[i];
	} else {
		for (i = 0; i < SA_BITMAP_WORDS && i < nwords; i++) {
			c->bits[i] = 0;
			asm volatile("" : "+r"(i));	/* not a memset() call */
		}
	}
	c->idx = idx;
}

/* Where the current task's syscalls go: refill this CPU's cache entry. */
static __noinline void refill(struct sa_cache *c, struct task_struct *task)
{
	__u32 epoch = sa_epoch, idx;
	__u64 key;

	if (ig_filter_mode == IG_FILTER_PID) {
		/* A tgid is recycled, unlike a namespace id: ask the pid filter
		 * every time, so a new process with the number of a traced one
		 * that exited does not inherit its answer. */
		key = IG_TASK_READ(task, tgid);
		idx = resolve_tgid(key);
		if (idx != c->idx || c->epoch != epoch)
			load_bits(c, idx);
	} else {
		key = mntns_key(task);
		/* Another task of the same unit: same bitmap, nothing to copy. */
		if (c->key != key || c->epoch != epoch)
			load_bits(c, resolve_mntns(key));
	}
	c->key = key;
	c->task = (__u64)task;
	c->start = IG_TASK_READ(task, start_time);
	c->epoch = epoch;
}

/* btf: the task is a BTF pointer (its fields are loads), known at compile
 * time in the hot path; the slow path asks the knob (ig_task.h). */
static __always_inline bool cache_hit_as(struct sa_cache *c, struct task_struct *task, bool btf)
{
	return c->task == (__u64)task &&
	       c->start == (btf ? task->start_time : BPF_CORE_READ(task, start_time)) &&
	       c->epoch == sa_epoch;
}

static __always_inline bool cache_hit(struct sa_cache *c, struct task_struct *task)
{
	return c->task == (__u64)task && c->start == IG_TASK_READ(task, start_time) &&
	       c->epoch == sa_epoch;
}

/* The word after both regions: when this CPU last set a bit of this bitmap
 * (boot ns). User space polls the bitmaps every 250 ms; a syscall new to
 * the whole target came at the latest stamp of the poll that found it, to
 * the nanosecond when it was the only new bit of that poll. */
static __always_inline void stamp(__u64 *words)
{
	__u32 at = 2 * nr_syscalls / 64;

	if (at < SA_BITMAP_WORDS + 1)
		words[at] = bpf_ktime_get_boot_ns();
}

/* A bit not in the cache: set it in this CPU's bitmap of the cached place
 * (testing first, so a special syscall does not keep dirtying the line),
 * and learn that whole word into the cache, minus the special syscalls. */
static __always_inline void set_bit(struct sa_cache *c, __u64 word, __u64 mask)
{
	__u32 idx = c->idx;
	__u64 *words, w;

	if (idx == SA_SLOT_NONE || word >= 2 * nr_syscalls / 64)
		return;
	words = bpf_map_lookup_elem(&sa_bitmaps, &idx);
	if (!words)
		return;
	w = words[word];
	if (!(w & mask)) {
		w |= mask;
		words[word] = w;
		stamp(words);
	}
	c->bits[word] = w & ~targ_special[word];
}

static __always_inline __u64 syscall_arg(struct pt_regs *regs, __u8 pos)
{
	switch (pos) {
	case 0: return PT_REGS_PARM1_CORE_SYSCALL(regs);
	case 1: return PT_REGS_PARM2_CORE_SYSCALL(regs);
	case 2: return PT_REGS_PARM3_CORE_SYSCALL(regs);
	case 3: return PT_REGS_PARM4_CORE_SYSCALL(regs);
	default: return PT_REGS_PARM5_CORE_SYSCALL(regs);
	}
}

/* --args: remember a distinct value, at most SA_ARGS_MAX_VALUES per
 * (slot, syscall); past that the count says "overflow" and user space falls
 * back to allowing the syscall by name. */
static __noinline void record_arg(__u32 idx, __u32 nr, __u64 value)
{
	struct sa_arg_key key = { .idx = idx, .nr = nr, .value = value };
	struct sa_arg_count_key ckey = { .idx = idx, .nr = nr };
	__u32 zero = 0, *cnt;
	__u8 one = 1;
	long err;

	if (bpf_map_lookup_elem(&sa_arg_values, &key))
		return;
	cnt = bpf_map_lookup_elem(&sa_arg_counts, &ckey);
	if (!cnt) {
		bpf_map_update_elem(&sa_arg_counts, &ckey, &zero, BPF_NOEXIST);
		cnt = bpf_map_lookup_elem(&sa_arg_counts, &ckey);
		if (!cnt) {
			count(SA_CNT_ARGS_FULL);
			return;
		}
	}
	if (*cnt > SA_ARGS_MAX_VALUES)
		return;
	/* Racy by design (no fetch-add with result here): two CPUs may both
	 * pass with the last free value; the map bound still holds. */
	__sync_fetch_and_add(cnt, 1);
	if (*cnt > SA_ARGS_MAX_VALUES)
		return;
	err = bpf_map_update_elem(&sa_arg_values, &key, &one, BPF_NOEXIST);
	if (err && err != -EEXIST) {
		*cnt = SA_ARGS_MAX_VALUES + 1;
		count(SA_CNT_ARGS_FULL);
	}
}

static __always_inline void maybe_record_args(struct pt_regs *regs, __u32 idx, long id)
{
	int i;

	for (i = 0; i < SA_ARG_SYSCALLS; i++) {
		if (targ_arg_nr[i] == id) {
			record_arg(idx, id, syscall_arg(regs, targ_arg_pos[i]));
			return;
		}
	}
}

/*
 * Everything but "this task's unit already has this bit": a new bit, a
 * cache refill, an out-of-range id, and the special syscalls. An execve may
 * end a set-up phase (or start command mode) before it is recorded, so that
 * it lands in the new phase; the --args table records argument values; a
 * namespace switch makes this CPU's entry stale.
 */
static __noinline void slow_path(struct pt_regs *regs, struct sa_cache *c, long id,
				 struct task_struct *task)
{
	__u64 bit = id, word, mask;
	bool special, compat = false;

#ifdef __TARGET_ARCH_x86
	compat = IG_TASK_READ(task, thread_info.status) & TS_COMPAT;
#endif
	if ((__u64)id >= nr_syscalls) {
		/* counted only for tasks that are recorded */
		if (!cache_hit(c, task))
			refill(c, task);
		if (c->idx != SA_SLOT_NONE)
			count(SA_CNT_OUT_OF_RANGE);
		return;
	}
	if (compat)
		bit += nr_syscalls;
	word = (bit >> 6) & (SA_BITMAP_WORDS - 1);
	mask = 1ULL << (bit & 63);
	special = targ_special[word] & mask;
	if (special && !compat && (id == targ_execve_nr || id == targ_execveat_nr))
		on_execve(task);
	if (!cache_hit(c, task))
		refill(c, task);
	if (!(c->bits[word] & mask))
		set_bit(c, word, mask);
	if (!special)
		return;
	if (targ_args && !compat && c->idx != SA_SLOT_NONE)
		maybe_record_args(regs, c->idx, id);
	if (moves_mntns(id, compat)) {
		__sync_fetch_and_add(&sa_epoch, 1);
		c->task = 0;
	}
}

/*
 * The hit path keeps nothing on the stack and touches only this CPU's
 * cache line(s), the task and the epoch: lookup, range check, the cache
 * compare and one bit test of the cache's own copy of the bitmap. btf is a
 * compile-time constant: the two programs below are this, with the task as
 * a BTF pointer (5.11 and newer) or read with probe reads.
 */
static __always_inline int sys_enter(struct pt_regs *regs, long id, bool btf)
{
	struct task_struct *task = btf ? bpf_get_current_task_btf() :
				   (struct task_struct *)bpf_get_current_task();
	__u32 zero = 0, compat = 0;
	struct sa_cache *c;
	__u64 bit, word;

	c = bpf_map_lookup_elem(&sa_cache_map, &zero);
	if (!c)
		return 0;
	if ((__u64)id < nr_syscalls && cache_hit_as(c, task, btf)) {
#ifdef __TARGET_ARCH_x86
		compat = (btf ? task->thread_info.status :
			  BPF_CORE_READ(task, thread_info.status)) & TS_COMPAT;
#endif
		bit = compat ? id + nr_syscalls : id;
		word = bit >> 6;
		/* Keep clang from folding the shift and the scale into a
		 * form whose bound the verifier cannot follow. */
		asm volatile("" : "+r"(word));
		if (c->bits[word & (SA_BITMAP_WORDS - 1)] & (1ULL << (bit & 63)))
			return 0;
	}
	slow_path(regs, c, id, task);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sa_sys_enter, struct pt_regs *regs, long id)
{
	return sys_enter(regs, id, true);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sa_sys_enter_probe, struct pt_regs *regs, long id)
{
	return sys_enter(regs, id, false);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
