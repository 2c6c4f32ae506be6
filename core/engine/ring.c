// SPDX-License-Identifier: Apache-2.0
/*
 * Ring buffer consumption. BPF programs submit with BPF_RB_NO_WAKEUP until a
 * threshold (include/ig/ig_ringbuf.h), so the epoll fd fires only for big batches;
 * the core's periodic tick drains the rest. That keeps the cost per event
 * far below a wake-up per event.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "ring.h"

#define MAX_RINGS 16
/* Samples per consume call: a producer faster than its consumer would keep
 * libbpf's consume loop going forever, and stop signals, the timeout and the
 * command's exit would wait. After this many the loop gets a turn. */
#define BATCH_MAX 8192

/* How long a drain waits for a record reserved before it was called to be
 * committed. A BPF program commits before it returns, so this is only
 * reached by a sleepable program holding a reservation. */
#define DRAIN_WAIT_NS	100000000ll
static const struct timespec drain_nap = { 0, 50000 };	/* 50 us between looks */

struct ring_cb {
	ig_sample_fn fn;
	void *cb_ctx;
	int lost_fd;
	struct ig_rings *owner;
	/* Read-only view of the ring's consumer and producer pages (one page
	 * each, not the data): where a drain has to get to. */
	const volatile uint64_t *pos;
	size_t pos_len;
};

struct ig_rings {
	struct ring_buffer *rb;
	unsigned int batch;		/* samples in the current consume call */
	bool consuming;			/* inside ring_buffer__consume() */
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

/* The kernel lays a ring out as consumer page, producer page, data; each
 * position is the first u64 of its page. libbpf 1.1 does not expose them. */
static int map_positions(struct ring_cb *cb, int map_fd)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, 2 * page, PROT_READ, MAP_SHARED, map_fd, 0);

	if (p == MAP_FAILED)
		return -errno;
	cb->pos = p;
	cb->pos_len = 2 * page;
	return 0;
}

static uint64_t consumer_pos(const struct ring_cb *cb)
{
	return __atomic_load_n(&cb->pos[0], __ATOMIC_ACQUIRE);
}

static uint64_t producer_pos(const struct ring_cb *cb)
{
	size_t page = cb->pos_len / 2;

	return __atomic_load_n(&cb->pos[page / sizeof(uint64_t)], __ATOMIC_ACQUIRE);
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
	err = map_positions(cb, map_fd);
	if (err)
		return err;
	if (!r->rb) {
		r->rb = ring_buffer__new(map_fd, sample, cb, NULL);
		if (!r->rb) {
			err = -errno;
			goto err_unmap;
		}
	} else {
		err = ring_buffer__add(r->rb, map_fd, sample, cb);
		if (err)
			goto err_unmap;
	}
	r->nr++;
	return 0;

err_unmap:
	munmap((void *)cb->pos, cb->pos_len);
	cb->pos = NULL;
	return err;
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
	if (r->consuming)
		return -EBUSY;
	r->batch = 0;
	r->consuming = true;
	n = ring_buffer__consume(r->rb);
	r->consuming = false;
	return n == -EAGAIN ? (int)r->batch : n;
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* Whether every ring's consumer reached its mark (positions only grow; the
 * difference is compared so a wrap of the u64 would not matter). */
static bool reached(const struct ig_rings *r, const uint64_t *mark)
{
	int i;

	for (i = 0; i < r->nr; i++)
		if ((int64_t)(consumer_pos(&r->cbs[i]) - mark[i]) < 0)
			return false;
	return true;
}

int ig_rings__drain(struct ig_rings *r)
{
	uint64_t mark[MAX_RINGS];
	int64_t deadline = 0;
	int n, total = 0, i;

	if (!r || !r->rb)
		return 0;
	if (r->consuming)
		return -EBUSY;
	/* What is committed or reserved now; later records may come too. */
	for (i = 0; i < r->nr; i++)
		mark[i] = producer_pos(&r->cbs[i]);
	while (!reached(r, mark)) {
		n = ig_rings__consume(r);
		if (n < 0)
			return n;
		total += n;
		if (n || ig_rings__backlog(r))
			continue;
		/* Nothing consumable yet the mark is ahead: a record reserved
		 * before the call is not committed yet. */
		if (!deadline)
			deadline = mono_ns() + DRAIN_WAIT_NS;
		else if (mono_ns() > deadline)
			return -ETIMEDOUT;
		/* Sleep, not yield: a yielding loop keeps a CPU busy, and the
		 * program that reserved the record may need that very CPU (in a
		 * two-CPU guest, or beside a CPU hog) to commit it. */
		nanosleep(&drain_nap, NULL);
	}
	return total;
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
	int i;

	if (!r)
		return;
	ring_buffer__free(r->rb);
	for (i = 0; i < r->nr; i++)
		munmap((void *)r->cbs[i].pos, r->cbs[i].pos_len);
	free(r);
}
