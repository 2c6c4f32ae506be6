// SPDX-License-Identifier: Apache-2.0
/*
 * Ring buffer bookkeeping on real BPF maps: the lost-events total is the sum
 * of every ring's per-CPU counter, over all possible CPUs.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/engine/ring.h"

static int never(void *ctx, void *data, size_t size)
{
	cr_assert_fail("no sample was written");
	return 0;
}

static int lost_map(uint64_t per_cpu_base)
{
	int ncpu = libbpf_num_possible_cpus(), fd, c;
	uint64_t *vals = calloc(ncpu, sizeof(*vals));
	uint32_t zero = 0;

	fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "t_lost", 4, 8, 1, NULL);
	cr_assert_geq(fd, 0, "bpf_map_create: %s", strerror(errno));
	for (c = 0; c < ncpu; c++)
		vals[c] = per_cpu_base + (uint64_t)c;
	cr_assert_eq(bpf_map_update_elem(fd, &zero, vals, BPF_ANY), 0);
	free(vals);
	return fd;
}

Test(ring, lost_counters_summed_over_rings_and_cpus)
{
	int ncpu = libbpf_num_possible_cpus();
	int rb1 = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "t_rb1", 0, 0, 4096, NULL);
	int rb2 = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "t_rb2", 0, 0, 4096, NULL);
	int l1 = lost_map(10), l2 = lost_map(100);
	struct ig_rings *r = ig_rings__new();
	uint64_t want = 0;
	int c;

	cr_assert_geq(rb1, 0);
	cr_assert_geq(rb2, 0);
	cr_assert_eq(ig_rings__epoll_fd(r), -1, "nothing to poll yet");
	cr_assert_eq(ig_rings__add(r, rb1, l1, never, NULL), 0);
	cr_assert_eq(ig_rings__add(r, rb2, l2, never, NULL), 0);
	cr_assert_eq(ig_rings__add(r, -1, -1, never, NULL), -EINVAL);
	cr_assert_geq(ig_rings__epoll_fd(r), 0);
	for (c = 0; c < ncpu; c++)
		want += 10 + c + 100 + c;
	cr_assert_eq(ig_rings__lost(r), want);
	cr_assert_eq(ig_rings__consume(r), 0, "empty rings");
	ig_rings__free(r);
	ig_rings__free(NULL);
	close(rb1);
	close(rb2);
	close(l1);
	close(l2);
}
