// SPDX-License-Identifier: Apache-2.0
/*
 * One event, several sources: a KILL raises SIGSYS and is also logged by
 * audit, an ERRNO from a filter with SECCOMP_FILTER_FLAG_LOG is a skipped
 * sys_exit and an audit record. The BPF side already folds the sys_exit of a
 * TRAP/KILL into its signal. What is left is the audit copy: it usually comes
 * after the tracepoint copy (kauditd is asynchronous, both go through one
 * ring buffer), so tracepoint events wait up to hold_ns for it and take its
 * exact action (kill_thread vs kill_process, trace vs errno) when it comes.
 * But the kernel logs first (seccomp_log() comes before force_sig_seccomp()
 * and before the skipped syscall's exit), so when the offending task is
 * preempted in between, the audit copy arrives first (seen on 6.1 under
 * qemu: one KILL counted twice). So an audit record that a tracepoint copy
 * may follow (every family but LOG) waits too, and a tracepoint event takes
 * the place of such a waiting audit record. Records only match one of the
 * same process, syscall and action family that has no copy from the other
 * side yet, oldest first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp_audit_int.h"

#define SAU_MERGE_MAX	4096
#define SAU_KEEP_NS	(2ull * 1000 * 1000 * 1000)	/* late audit copies */

struct sau_merge {
	struct sau_rec *v;
	unsigned int n;
	uint64_t hold_ns;
	sau_emit_fn fn;
	void *ctx;
};

struct sau_merge *sau_merge_new(uint64_t hold_ns, sau_emit_fn fn, void *ctx)
{
	struct sau_merge *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->v = calloc(SAU_MERGE_MAX, sizeof(*m->v));
	if (!m->v) {
		free(m);
		return NULL;
	}
	m->hold_ns = hold_ns;
	m->fn = fn;
	m->ctx = ctx;
	return m;
}

enum family { FAM_SKIPPED, FAM_TRAP, FAM_KILL, FAM_LOG };

static enum family family(enum sp_act act)
{
	switch (act) {
	case SP_ACT_KILL_THREAD:
	case SP_ACT_KILL_PROCESS:
		return FAM_KILL;
	case SP_ACT_TRAP:
		return FAM_TRAP;
	case SP_ACT_LOG:
	case SP_ACT_ALLOW:
		return FAM_LOG;
	default:	/* skipped with a return value: errno, trace, user_notif */
		return FAM_SKIPPED;
	}
}

static void emit(struct sau_merge *m, struct sau_rec *r)
{
	r->emitted = true;
	m->fn(m->ctx, r);
}

static void drop_front(struct sau_merge *m, unsigned int k)
{
	memmove(m->v, m->v + k, (m->n - k) * sizeof(*m->v));
	m->n -= k;
}

/* The other side's copy of r, oldest first: for an audit record, a record
 * of the same process, syscall and action family with no audit copy yet;
 * for a tracepoint event, such an audit record still waiting alone. */
static struct sau_rec *twin(struct sau_merge *m, const struct sau_rec *r)
{
	bool audit = r->sources & SAU_SRC_AUDIT;

	for (unsigned int i = 0; i < m->n; i++) {
		struct sau_rec *e = &m->v[i];

		if (e->pid != r->pid || e->nr != r->nr || family(e->act) != family(r->act))
			continue;
		if (audit ? !(e->sources & SAU_SRC_AUDIT) :
			    !e->emitted && e->sources == SAU_SRC_AUDIT)
			return e;
	}
	return NULL;
}

/* The audit copy of e: its exact action, unless e already went out. */
static void take_audit(struct sau_rec *e, const struct sau_rec *r)
{
	e->sources |= SAU_SRC_AUDIT;
	if (!e->emitted) {
		e->act = r->act;
		if (e->err < 0)
			e->err = r->err;
	}
}

/* The tracepoint copy r after its audit copy e: the tracepoint's record
 * (thread, time) with the audit's exact action, in e's place. */
static void take_tracepoint(struct sau_rec *e, const struct sau_rec *r)
{
	struct sau_rec keep = *e;

	*e = *r;
	e->act = keep.act;
	if (e->err < 0)
		e->err = keep.err;
	e->sources |= SAU_SRC_AUDIT;
	e->seen = keep.seen;
	e->emitted = false;
}

void sau_merge_add(struct sau_merge *m, const struct sau_rec *r, uint64_t now)
{
	bool audit = r->sources & SAU_SRC_AUDIT;
	struct sau_rec tmp, *e = audit || m->hold_ns ? twin(m, r) : NULL;

	if (e) {
		if (audit)
			take_audit(e, r);
		else
			take_tracepoint(e, r);
		return;
	}
	if (m->n == SAU_MERGE_MAX) {
		/* full: the oldest goes out now, waited or not */
		if (!m->v[0].emitted)
			emit(m, &m->v[0]);
		drop_front(m, 1);
	}
	tmp = *r;
	/* a LOG audit record has nothing to wait for: it is ready now, but
	 * still leaves after the events that came before it */
	tmp.seen = audit && family(r->act) == FAM_LOG && now >= m->hold_ns ? now - m->hold_ns : now;
	tmp.emitted = false;
	m->v[m->n++] = tmp;
	if (!m->hold_ns)
		emit(m, &m->v[m->n - 1]);
}

void sau_merge_flush(struct sau_merge *m, uint64_t now, bool force)
{
	unsigned int i, k = 0;

	if (!m)
		return;
	for (i = 0; i < m->n; i++) {
		struct sau_rec *e = &m->v[i];

		if (e->emitted)
			continue;
		if (!force && e->seen + m->hold_ns > now)
			break;	/* first in, first out */
		emit(m, e);
	}
	while (k < m->n && m->v[k].emitted && (force || m->v[k].seen + SAU_KEEP_NS <= now))
		k++;
	if (k)
		drop_front(m, k);
}

void sau_merge_free(struct sau_merge *m)
{
	if (!m)
		return;
	free(m->v);
	free(m);
}

/* ------------------------------------------------------------ --unique */

struct uniq_key {
	uint64_t mntns;
	int32_t nr;
	int32_t act;	/* -1: empty slot */
};

struct sau_uniq {
	struct uniq_key *v;
	size_t cap, n;
};

struct sau_uniq *sau_uniq_new(void)
{
	struct sau_uniq *u = calloc(1, sizeof(*u));

	return u;
}

static size_t slot(const struct sau_uniq *u, uint64_t mntns, int32_t nr, int32_t act)
{
	uint64_t h = mntns * 0x9e3779b97f4a7c15ull ^ ((uint64_t)(uint32_t)nr << 8 | (uint32_t)act);
	size_t i = (size_t)(h ^ h >> 29) & (u->cap - 1);

	while (u->v[i].act != -1 &&
	       (u->v[i].mntns != mntns || u->v[i].nr != nr || u->v[i].act != act))
		i = (i + 1) & (u->cap - 1);
	return i;
}

static int grow(struct sau_uniq *u)
{
	size_t cap = u->cap ? u->cap * 2 : 64, i, old = u->cap;
	struct uniq_key *ov = u->v;

	u->v = malloc(cap * sizeof(*u->v));
	if (!u->v) {
		u->v = ov;
		return -ENOMEM;
	}
	for (i = 0; i < cap; i++)
		u->v[i].act = -1;
	u->cap = cap;
	for (i = 0; i < old; i++)
		if (ov[i].act != -1)
			u->v[slot(u, ov[i].mntns, ov[i].nr, ov[i].act)] = ov[i];
	free(ov);
	return 0;
}

bool sau_uniq_first(struct sau_uniq *u, uint64_t mntns, int32_t nr, enum sp_act act)
{
	size_t i;

	if ((u->n + 1) * 2 > u->cap && grow(u))
		return true;	/* out of memory: rather report twice than never */
	i = slot(u, mntns, nr, (int32_t)act);
	if (u->v[i].act != -1)
		return false;
	u->v[i].mntns = mntns;
	u->v[i].nr = nr;
	u->v[i].act = (int32_t)act;
	u->n++;
	return true;
}

void sau_uniq_free(struct sau_uniq *u)
{
	if (!u)
		return;
	free(u->v);
	free(u);
}
