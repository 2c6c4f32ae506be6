/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ring buffers of the running gadget (internal): one libbpf ring_buffer
 * manager for all of them, one epoll fd for the event loop, drained in
 * batches (on wake-up and on the core's tick), lost counters summed.
 */
#ifndef IG_CORE_ENGINE_RING_H
#define IG_CORE_ENGINE_RING_H

#include <stdbool.h>
#include <stdint.h>

#include <ig/gadget.h>

struct ig_rings;

struct ig_rings *ig_rings__new(void);
/* Add a ring buffer map (and its per-CPU lost counter map, or -1). */
int ig_rings__add(struct ig_rings *r, int map_fd, int lost_fd, ig_sample_fn fn, void *cb_ctx);
/* The fd to poll, or -1 while no ring was added. */
int ig_rings__epoll_fd(const struct ig_rings *r);
/* Consume what is available now, up to a batch limit. Returns the number of
 * samples, or -errno (a callback asked to stop; -EBUSY when called from
 * inside a sample callback). */
int ig_rings__consume(struct ig_rings *r);
/* Consume until every record committed (or reserved) in any ring before
 * the call has been passed to its callback; records that arrive meanwhile
 * may be passed too. Returns the number of samples, -EBUSY from inside a
 * sample callback, -ETIMEDOUT when a reserved record stays uncommitted, or
 * a callback's -errno. */
int ig_rings__drain(struct ig_rings *r);
/* The last consume stopped at its batch limit: call again soon. */
bool ig_rings__backlog(const struct ig_rings *r);
/* Sum of every ring's lost counter over all CPUs. */
uint64_t ig_rings__lost(const struct ig_rings *r);
void ig_rings__free(struct ig_rings *r);

#endif /* IG_CORE_ENGINE_RING_H */
