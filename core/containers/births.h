/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Container births (internal): the kernel saw a runtime fork a container's
 * init and put its mount namespace in the filter map as "birth"
 * (birth.h), so the container is recorded from its first
 * instruction. This decides, once the container is known, whether it stays
 * (selected) or goes; holds the records gadgets emit for it meanwhile; and
 * remembers what could not be decided, for the end of the run.
 */
#ifndef IG_CORE_CONTAINERS_BIRTHS_H
#define IG_CORE_CONTAINERS_BIRTHS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ig/plugin.h>
#include <ig/record.h>

#include "meta.h"
#include "report.h"

struct ctr_births;

/* The table births look containers up in (its entry array, as it grows)
 * and how it selects; plugins are asked and fds polled through the
 * table's report ops. */
struct ctr_births_table {
	struct ctr_entry **const *v;
	const size_t *nr;
	bool (*selected)(void *arg, const struct ig_container *c);
	void *arg;
};

/* Read births from the ring (fd of the core's ig_births map, or -1: births
 * come through ctr_births__feed only, as in the unit tests); filter_fd is
 * ig_mntns_filter, or -1 when nothing is filtered (--host). NULL with
 * errno. t and ops must outlive the result. */
struct ctr_births *ctr_births__new(int ring_fd, int filter_fd, const struct ctr_births_table *t,
				   const struct ctr_report_ops *ops);
struct ig_birth;
/* One birth, as read from the ring. */
void ctr_births__feed(struct ctr_births *b, const struct ig_birth *k);
/* p (one of the births' pollables: the ring, an init's pidfd, the timer) is
 * readable. */
int ctr_births__dispatch(struct ctr_births *b, struct ctr_pollable *p);
/* Free the births finished since the last call: the table calls it before
 * it waits for the next batch of events (one may point at a finished birth). */
void ctr_births__reap(struct ctr_births *b);
/* A container was reported or completed: settle the births it explains
 * (same init pid; else, for a `runc exec`, same mount namespace). Marks e
 * from_start when one of them was its own birth. */
void ctr_births__claim(struct ctr_births *b, struct ctr_entry *e);
/* The namespace id the birth of init pid in mntns saw, or 0. */
uint64_t ctr_births__mntns_id(const struct ctr_births *b, int pid, uint64_t mntns);
/* A birth not decided yet keeps mntns in the filter map. */
bool ctr_births__pending(const struct ctr_births *b, uint64_t mntns);
/* Take mntns out of the filter map at the next settle, unless a birth (one
 * still in the ring included) or a selected running container holds it then:
 * inode numbers are reused at once. */
void ctr_births__forget(struct ctr_births *b, uint64_t mntns);
/* Do the forgets: the table calls it when it is done with a batch of
 * events or an API call, never from inside a births callback. */
void ctr_births__settle(struct ctr_births *b);

/* Records of waiting births: set what a record looks like (nr fields, the
 * mount namespace at ns_idx) and where held records go once their container
 * is decided selected. Accepts NULL b. */
typedef int (*ctr_release_fn)(void *arg, const struct ig_value *vals);
/* drain: take what the gadgets' rings hold now, before a birth is decided,
 * so the records it made while it waited are held and decided with it. */
void ctr_births__set_hold(struct ctr_births *b, const struct ig_field *fields, size_t nr,
			  int ns_idx, ctr_release_fn release, void (*drain)(void *arg),
			  void *arg);
/* true if the record belongs to a waiting birth: copied and held. Accepts
 * NULL b. */
bool ctr_births__hold(struct ctr_births *b, const struct ig_value *vals);

/* Births that ended with no container to name (their init exited and no
 * runtime knew them): one line each through fn, and how many. */
size_t ctr_births__unnamed(const struct ctr_births *b,
			   void (*fn)(void *arg, const char *what), void *arg);
void ctr_births__destroy(struct ctr_births *b);

#endif /* IG_CORE_CONTAINERS_BIRTHS_H */
