// SPDX-License-Identifier: Apache-2.0
/*
 * Ring buffer consumption. BPF programs submit with BPF_RB_NO_WAKEUP until a
 * threshold (bpf/ig_ringbuf.h), so the epoll fd fires only for big batches;
 * the core's periodic tick drains the rest. That keeps the cost per event
 * far below a wake-up per event.
 */
#include <errno.h>
#include <stdlib.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "ring.h"

#define MAX_RINGS 16
/* Samples per consume call: a producer faster than its consumer would keep
 * libbpf's consume loop going forever, and stop signals, the timeout and the
 * command's exit would wait. After this many the loop gets a turn. */
#define BATCH_MAX 8192

struct ring_cb {
	ig_sample_fn fn;
	void *cb_ctx;
	int lost_fd;
	struct ig_rings *owner;
};

struct ig_rings {
	struct ring_buffer *rb;
	unsigned int batch;		/* samples in the current consume call */
	struct ring_cb cbs[MAX_RINGS];
	int nr;
};

static int sample(void *ctx, void *data, size_t size)
{
	struct ring_cb *cb = ctx;
	int err = cb->fn(cb->cb_ctx, data, size);

	if (err < 0)
		return err;
	/* libbpf has already consumed this sample when we return <0. */
	return ++cb->owner->batch >= BATCH_MAX ? -EAGAIN : 0;
}

struct ig_rings *ig_rings__new(void)
{
	return calloc(1, sizeof(struct ig_rings));
}

int ig_rings__add(struct ig_rings *r, int map_fd, int lost_fd, ig_sample_fn fn, void *cb_ctx)
{
	struct ring_cb *cb;
	int err;

	if (!fn || map_fd < 0)
		return -EINVAL;
	if (r->nr == MAX_RINGS)
		return -E2BIG;
	cb = &r->cbs[r->nr];
	cb->fn = fn;
	cb->cb_ctx = cb_ctx;
	cb->lost_fd = lost_fd;
	cb->owner = r;
	if (!r->rb) {
		r->rb = ring_buffer__new(map_fd, sample, cb, NULL);
		if (!r->rb)
			return -errno;
	} else {
		err = ring_buffer__add(r->rb, map_fd, sample, cb);
		if (err)
			return err;
	}
	r->nr++;
	return 0;
}

int ig_rings__epoll_fd(const struct ig_rings *r)
{
	return r && r->rb ? ring_buffer__epoll_fd(r->rb) : -1;
}

int ig_rings__consume(struct ig_rings *r)
{
	int n;

	if (!r || !r->rb)
		return 0;
	r->batch = 0;
	n = ring_buffer__consume(r->rb);
	return n == -EAGAIN ? (int)r->batch : n;
}

bool ig_rings__backlog(const struct ig_rings *r)
{
	return r && r->batch >= BATCH_MAX;
}

uint64_t ig_rings__lost(const struct ig_rings *r)
{
	int ncpu = libbpf_num_possible_cpus(), i, c;
	uint64_t total = 0, *vals;
	uint32_t zero = 0;

	if (!r || ncpu <= 0)
		return 0;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return 0;
	for (i = 0; i < r->nr; i++) {
		if (r->cbs[i].lost_fd < 0)
			continue;
		if (bpf_map_lookup_elem(r->cbs[i].lost_fd, &zero, vals))
			continue;
		for (c = 0; c < ncpu; c++)
			total += vals[c];
	}
	free(vals);
	return total;
}

void ig_rings__free(struct ig_rings *r)
{
	if (!r)
		return;
	ring_buffer__free(r->rb);
	free(r);
}
