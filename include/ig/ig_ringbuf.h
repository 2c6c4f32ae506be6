/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Batched ring buffer output with a lost counter. Declare the maps with
 * IG_RINGBUF_DEFINE(events, bytes) and submit with ig_rb_output(). Samples are
 * submitted without waking user space until the buffer holds more than
 * ig_rb_wakeup_bytes (the core also drains on a short timer), so a busy
 * stream costs no wake-up per event. Failed reservations are counted in
 * <name>_lost, which the core reads and reports (host->ring_add()).
 */
#ifndef IG_BPF_RINGBUF_H
#define IG_BPF_RINGBUF_H

/* Objects built on the UAPI headers (no CO-RE: libbpf then does not parse the
 * kernel BTF to load them) already have every type used here. */
#ifndef __LINUX_BPF_H__
#include "vmlinux.h"
#endif
#include <bpf/bpf_helpers.h>

/* Wake the reader once this many bytes wait. Set from user space before load
 * (a quarter of the ring is a good default; 0 means wake on every event). */
const volatile __u64 ig_rb_wakeup_bytes = 64 * 1024;

#define IG_RINGBUF_DEFINE(name, bytes)						\
	struct {								\
		__uint(type, BPF_MAP_TYPE_RINGBUF);				\
		__uint(max_entries, bytes);					\
	} name SEC(".maps");							\
	struct {								\
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);			\
		__uint(max_entries, 1);						\
		__type(key, __u32);						\
		__type(value, __u64);						\
	} name##_lost SEC(".maps")

static __always_inline __u64 ig_rb_flags(void *rb)
{
	if (bpf_ringbuf_query(rb, BPF_RB_AVAIL_DATA) >= ig_rb_wakeup_bytes)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

static __always_inline void ig_rb_count_lost(void *lost)
{
	__u32 zero = 0;
	__u64 *cnt = bpf_map_lookup_elem(lost, &zero);

	if (cnt)
		*cnt += 1;
}

/* Copying output: returns 0 or -errno (and counts the loss). */
static __always_inline long ig_rb_output(void *rb, void *lost, void *data, __u64 size)
{
	long err = bpf_ringbuf_output(rb, data, size, ig_rb_flags(rb));

	if (err)
		ig_rb_count_lost(lost);
	return err;
}

/* Reserve/submit pair for large events built in place. */
static __always_inline void *ig_rb_reserve(void *rb, void *lost, __u64 size)
{
	void *p = bpf_ringbuf_reserve(rb, size, 0);

	if (!p)
		ig_rb_count_lost(lost);
	return p;
}

static __always_inline void ig_rb_submit(void *rb, void *p)
{
	bpf_ringbuf_submit(p, ig_rb_flags(rb));
}

#endif /* IG_BPF_RINGBUF_H */
