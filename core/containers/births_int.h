/* SPDX-License-Identifier: Apache-2.0 */
/* Container births' insides, shared by births.c and births_filter.c. */
#ifndef IG_CORE_CONTAINERS_BIRTHS_INT_H
#define IG_CORE_CONTAINERS_BIRTHS_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <bpf/libbpf.h>

#include "birth.h"
#include "births.h"
#include "hold.h"

#define BIRTH_GIVE_UP_MS	10000
#define MAX_UNNAMED		32
#define UNNAMED_LEN		384

struct birth {
	struct ig_birth k;
	uint64_t seq;
	long t0;			/* when user space got it (ms, monotonic) */
	struct ctr_pollable pidfd;	/* CTR_POLL_BIRTH_PID; fd -1 if none */
	struct ctr_hold hold;		/* its records while it waits */
	bool dropping;			/* decided away: dropped at the next flush */
	bool finished;			/* out of the list, freed at the next reap */
	struct birth *next_dead;
};

struct ctr_births {
	const struct ctr_births_table *t;
	const struct ctr_report_ops *ops;
	struct ring_buffer *rb;
	struct ctr_pollable ring;	/* CTR_POLL_BIRTHS */
	struct ctr_pollable timer;	/* CTR_POLL_BIRTH_TIMER */
	bool timer_armed;
	int filter_fd;
	struct birth **v;
	size_t nr, cap;
	uint64_t seq;
	/* records */
	const struct ig_field *fields;
	size_t nr_fields;
	int ns_idx;
	ctr_release_fn release;
	void (*drain)(void *arg);
	void *release_arg;
	/* the end of the run */
	char unnamed[MAX_UNNAMED][UNNAMED_LEN];
	size_t nr_unnamed;
	size_t nr_dropping;
	bool flushing;
	/* Finished births wait here until the next ctr_births__reap(): an
	 * event for one may still be in the epoll batch being handled. */
	struct birth *dead;
	/* Namespaces to take out of the filter map at the next settle. */
	uint64_t *forget;
	size_t nr_forget, cap_forget;
	bool settling;		/* settling, or inside the ring's callbacks */
};

/* Take mntns out of the filter map unless a waiting birth or a selected
 * running container holds it. */
void ctr_births__drop_unless_held(struct ctr_births *b, uint64_t mntns);
/* Finish the births decided away since the last flush (their records
 * drained first, once for all of them). */
void ctr_births__flush_drops(struct ctr_births *b);

#endif /* IG_CORE_CONTAINERS_BIRTHS_INT_H */
