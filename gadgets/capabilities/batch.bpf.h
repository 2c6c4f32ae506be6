/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * capabilities.bpf.c's per-CPU batches of records (capabilities.h): append
 * a task record when the task or the clock reading changed, then the check
 * record; send the batch as one ring buffer sample when the next check
 * might not fit, or from a timer pinned to the CPU when it is left partial.
 */
#ifndef IG_CAPS_BATCH_BPF_H
#define IG_CAPS_BATCH_BPF_H

#define CLOCK_MONOTONIC		1
#define TASK_REC		sizeof(struct cap_task_rec)
#define CHECK_REC		sizeof(struct cap_check_rec)
/* A batch holds at most BATCH_LIMIT bytes, so a length masked with
 * CAPS_BATCH_BYTES - 1 is unchanged, and the verifier sees it bounded. */
#define BATCH_LIMIT		(CAPS_BATCH_BYTES - CHECK_REC)
#define BATCH_OFF(len)		((len) & (CAPS_BATCH_BYTES - 1))

/* Who is checking, packed as the batch keeps it (caps_batch.cur_*). */
struct caps_who {
	__u64 ids;		/* tid | pid << 32 */
	__u64 creds;		/* uid | gid << 32 */
	__u64 comm[2];
	__u64 ns;		/* mntns | task flags << 32 */
};

/* Send the batch as one sample; a failed reservation loses all its checks,
 * counted. */
static __always_inline void batch_flush(struct caps_batch *b)
{
	__u32 len = BATCH_OFF(b->len), zero = 0;
	__u64 *lost;

	if (!len)
		return;
	if (bpf_ringbuf_output(&events, b->buf, len, ig_rb_flags(&events))) {
		lost = bpf_map_lookup_elem(&events_lost, &zero);
		if (lost)
			*lost += b->checks;
	}
	b->len = 0;
	b->checks = 0;
	b->last_check[0] = 0;
}

/* The flush timer. Pinned to the batch's CPU, so it only ever interrupts
 * the program (softirq), never runs beside it: `busy` is enough. */
static int batch_timer(void *map, __u32 *key, struct caps_batch *b)
{
	if (b->busy) {
		bpf_timer_start(&b->timer, CAPS_FLUSH_NS / 4, BPF_F_TIMER_CPU_PIN);
		return 0;
	}
	b->armed = 0;
	batch_flush(b);
	return 0;
}

/* A partial batch: make sure the flush timer runs. */
static __always_inline void batch_arm(struct caps_batch *b)
{
	if (b->armed)
		return;
	if (!b->timer_ready) {
		bpf_timer_init(&b->timer, &caps_batches, CLOCK_MONOTONIC);
		bpf_timer_set_callback(&b->timer, batch_timer);
		b->timer_ready = 1;
	}
	if (!bpf_timer_start(&b->timer, CAPS_FLUSH_NS, BPF_F_TIMER_CPU_PIN))
		b->armed = 1;
}

/*
 * Whether the batch's last task record still describes this check: same
 * task ids, credentials' ids, comm and mount namespace, and a clock reading
 * from this jiffy. The clock is read only for a new task record: at the
 * first check of a batch or of another task, and when jiffies moved on (one
 * inlined load) since the last read. So a check's timestamp (its task
 * record's) is early by less than one jiffy (4 ms at HZ=250) and by no more
 * than its batch's age, and a CPU's timestamps never go backwards. A clock
 * read costs ~70 ns on this kvm-clock VM; at high rates this reads it once
 * per batch.
 */
static __always_inline bool batch_same_task(struct caps_batch *b, const struct caps_who *w,
					    __u64 jiffies)
{
	return b->len && jiffies == b->clk_jiffies && b->cur_ids == w->ids &&
	       b->cur_creds == w->creds && b->cur_comm[0] == w->comm[0] &&
	       b->cur_comm[1] == w->comm[1] && b->cur_ns == w->ns;
}

/* Append a task record (flushing first when it and a check would not fit). */
static __always_inline void batch_add_task(struct caps_batch *b, const struct caps_who *w,
					   __u64 jiffies)
{
	struct cap_task_rec *t;
	__u32 len = b->len;

	if (len + TASK_REC + CHECK_REC > BATCH_LIMIT) {
		batch_flush(b);
		len = 0;
	}
	t = (struct cap_task_rec *)&b->buf[BATCH_OFF(len)];
	t->kind = CAPS_REC_TASK;
	t->flags = w->ns >> 32;
	t->pad = 0;
	t->mntns = w->ns;
	t->timestamp = bpf_ktime_get_boot_ns();
	t->tid = w->ids;
	t->pid = w->ids >> 32;
	t->uid = w->creds;
	t->gid = w->creds >> 32;
	((__u64 *)t->comm)[0] = w->comm[0];
	((__u64 *)t->comm)[1] = w->comm[1];
	b->cur_ids = w->ids;
	b->cur_creds = w->creds;
	b->cur_comm[0] = w->comm[0];
	b->cur_comm[1] = w->comm[1];
	b->cur_ns = w->ns;
	b->clk_jiffies = jiffies;
	b->last_check[0] = 0;
	b->len = len + TASK_REC;
}

/*
 * Append the check after the task record in effect: as a check record, or,
 * when it is the same as the last check record (nothing but its repeats
 * since), by counting it in that check's repeat record. Send the batch when
 * another check might not fit (a repeat record is smaller than a check's),
 * or at once with flush_now (no flush timer: a compile-time true leaves the
 * timer out of the program altogether).
 */
static __always_inline void batch_add_check(struct caps_batch *b, const struct cap_check_rec *c,
					    bool flush_now)
{
	const __u64 *cw = (const __u64 *)c;
	struct cap_repeat_rec *r;
	__u32 len = b->len;

	b->checks++;
	if (cw[0] == b->last_check[0] && cw[1] == b->last_check[1]) {
		if (b->rep_off) {
			r = (struct cap_repeat_rec *)&b->buf[BATCH_OFF(b->rep_off)];
			r->count++;
			return;		/* the length did not change */
		}
		r = (struct cap_repeat_rec *)&b->buf[BATCH_OFF(len)];
		r->kind = CAPS_REC_REPEAT;
		r->pad[0] = r->pad[1] = r->pad[2] = 0;
		r->count = 1;
		b->rep_off = len;
		len += sizeof(*r);
	} else {
		*(struct cap_check_rec *)&b->buf[BATCH_OFF(len)] = *c;
		b->last_check[0] = cw[0];
		b->last_check[1] = cw[1];
		b->rep_off = 0;
		len += CHECK_REC;
	}
	b->len = len;
	if (flush_now || len + CHECK_REC > BATCH_LIMIT)
		batch_flush(b);
	else
		batch_arm(b);
}

#endif /* IG_CAPS_BATCH_BPF_H */
