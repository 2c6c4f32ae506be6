// SPDX-License-Identifier: Apache-2.0
/*
 * Container births, decided in user space (births.h; the kernel side is the
 * ig_birth program of core/engine/filter.bpf.c).
 *
 * A birth is decided as soon as ig knows its container: the table already
 * has it (same init pid; a `runc exec` into a running container: its mount
 * namespace, with that container's init still in it and started before the
 * birth, as inode numbers are reused at once), or a runtime plugin
 * identifies it from what the kernel saw (cgroup name -> id -> the
 * runtime's state or the engine's own records), or a later report has its
 * init pid. Until then it waits, recorded, its records held. When its init exits undecided, the plugins are asked once
 * more (the state may still be there, the engine's records usually are);
 * what nobody can name is dropped and listed at the end of the run. A
 * birth alive for BIRTH_GIVE_UP_MS that no runtime knows (a runc root ig
 * does not watch) is dropped as a container ig does not know, as before.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/base/log.h"
#include "birth.h"
#include "births.h"
#include "birth_match.h"
#include "births_int.h"
#include "hold.h"

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void arm_timer(struct ctr_births *b, bool on)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };

	if (on == b->timer_armed || b->timer.fd < 0)
		return;
	if (on)
		its.it_interval.tv_sec = its.it_value.tv_sec = 1;
	timerfd_settime(b->timer.fd, 0, &its, NULL);
	b->timer_armed = on;
}

/* Out of the waiting list; the filter entry goes unless something keeps it. */
static void finish(struct ctr_births *b, struct birth *bi, bool keep_filter)
{
	for (size_t i = 0; i < b->nr; i++)
		if (b->v[i] == bi) {
			b->v[i] = b->v[--b->nr];
			break;
		}
	if (bi->pidfd.fd >= 0) {
		b->ops->poll_del(b->ops->arg, &bi->pidfd);
		close(bi->pidfd.fd);
	}
	bi->pidfd.fd = -1;
	if (!keep_filter)
		ctr_births__forget(b, bi->k.mntns);
	ctr_hold__fini(&bi->hold);
	bi->finished = true;
	bi->next_dead = b->dead;
	b->dead = bi;
	arm_timer(b, b->nr > 0);
}

void ctr_births__reap(struct ctr_births *b)
{
	while (b && b->dead) {
		struct birth *bi = b->dead;

		b->dead = bi->next_dead;
		free(bi);
	}
}

/* Drop a birth whose records must never come out (not selected, or no
 * name): what it recorded may still be in the gadgets' rings, so they are
 * drained first, into its hold, and dropped with it. One drain for all the
 * births dropped in one go (flush_drops): a gadget whose rings never run dry
 * pays a full drain per flush, not per container. */
static void drop_later(struct ctr_births *b, struct birth *bi)
{
	if (!bi->dropping) {
		bi->dropping = true;
		b->nr_dropping++;
	}
}

void ctr_births__flush_drops(struct ctr_births *b)
{
	if (!b->nr_dropping || b->flushing)
		return;
	b->flushing = true;
	if (b->drain)
		b->drain(b->release_arg);
	for (size_t i = 0; i < b->nr;) {
		if (b->v[i]->dropping)
			finish(b, b->v[i], false);	/* takes it out of v */
		else
			i++;
	}
	b->nr_dropping = 0;
	b->flushing = false;
}

/*
 * The kernel may have reused a namespace's inode for a new container
 * whose birth is in the ring, not read yet: its ig_birth found the old
 * entry there and left it (BPF_NOEXIST), so deleting it now would leave
 * the new container unrecorded until ig reads its birth. So read the ring
 * first; a namespace that a birth, or a running selected container, now
 * holds stays. A birth the kernel writes between the read and the delete
 * puts its entry back when it is read (on_birth).
 */
void ctr_births__settle(struct ctr_births *b)
{
	if (!b || b->settling || !b->nr_forget)
		return;
	b->settling = true;
	if (b->rb)
		ring_buffer__consume(b->rb);
	ctr_births__flush_drops(b);		/* may forget more */
	for (size_t i = 0; i < b->nr_forget; i++)
		ctr_births__drop_unless_held(b, b->forget[i]);
	b->nr_forget = 0;
	b->settling = false;
}

static void decide(struct ctr_births *b, struct birth *bi, struct ctr_entry *e)
{
	bool sel = b->t->selected(b->t->arg, &e->c);

	if (bi->k.pid == (uint32_t)e->c.pid)
		e->from_start = true;
	ig_dbg("birth of pid %u (mntns %llu) is container %s: %s", bi->k.pid,
	       (unsigned long long)bi->k.mntns, e->c.name, sel ? "selected" : "not selected");
	if (sel && bi->hold.lost)
		ig_warn("container %s: %llu records from before ig knew its name were dropped "
			"(more than %u or %u bytes held)", e->c.name,
			(unsigned long long)bi->hold.lost, CTR_HOLD_MAX_RECORDS, CTR_HOLD_MAX_BYTES);
	/* Selected: what is still in the rings comes out named anyway. */
	if (!sel) {
		drop_later(b, bi);
		return;
	}
	ctr_hold__release(&bi->hold, b->release, b->release_arg);
	finish(b, bi, !(e->c.flags & IG_CONTAINER_REMOVED));
}

void ctr_births__claim(struct ctr_births *b, struct ctr_entry *e)
{
	bool running = !(e->c.flags & IG_CONTAINER_REMOVED);

	for (size_t i = 0; b && i < b->nr;) {
		struct birth *bi = b->v[i];

		if (!bi->dropping && (bi->k.pid == (uint32_t)e->c.pid ||
		    (running && ctr_birth__exec_into(e, &bi->k)))) {
			decide(b, bi, e);	/* takes bi out of v, or marks it */
			if (i < b->nr && b->v[i] == bi)
				i++;
		} else {
			i++;
		}
	}
	if (b)
		ctr_births__flush_drops(b);
}

static struct birth *find_seq(struct ctr_births *b, uint64_t seq)
{
	for (size_t i = 0; i < b->nr; i++)
		if (b->v[i]->seq == seq)
			return b->v[i];
	return NULL;
}

/* Ask the plugins about bi; true if that settled it. */
static bool identify(struct ctr_births *b, struct birth *bi, bool exited)
{
	struct ig_plugin_query q = {
		.sz = sizeof(q),
		.flags = exited ? IG_QUERY_EXITED : 0,
		.pid = (int32_t)bi->k.pid,
		.start_ticks = ctr_birth__start_ticks(&bi->k),
		.mntns = bi->k.mntns,
		.cgroup = bi->k.cgroup[0] ? bi->k.cgroup : NULL,
		.cgroup_parent = bi->k.parent[0] ? bi->k.parent : NULL,
	};
	uint64_t seq = bi->seq;
	struct birth *still;

	b->ops->identify(b->ops->arg, &q);
	still = find_seq(b, seq);
	return !still || still->dropping;
}

/* The init of a waiting birth is gone: a last try, else it stays unnamed. */
static void ended(struct ctr_births *b, struct birth *bi)
{
	if (identify(b, bi, true))
		return;
	if (b->nr_unnamed < MAX_UNNAMED)
		snprintf(b->unnamed[b->nr_unnamed], sizeof(b->unnamed[0]),
			 "a container started by runc (init pid %u, cgroup %s%s%s) exited before "
			 "ig could read its state or its engine's record of it", bi->k.pid,
			 bi->k.parent, bi->k.parent[0] ? "/" : "",
			 bi->k.cgroup[0] ? bi->k.cgroup : "unknown");
	b->nr_unnamed++;
	ig_dbg("birth of pid %u (mntns %llu, cgroup %s) ended unnamed", bi->k.pid,
	       (unsigned long long)bi->k.mntns, bi->k.cgroup);
	drop_later(b, bi);
}

static int on_birth(void *ctx, void *data, size_t size);

void ctr_births__feed(struct ctr_births *b, const struct ig_birth *k)
{
	on_birth(b, (void *)k, sizeof(*k));
	ctr_births__flush_drops(b);
	ctr_births__settle(b);
}

static int on_birth(void *ctx, void *data, size_t size)
{
	struct ctr_births *b = ctx;
	struct birth *bi, **tmp;
	struct ctr_entry *e;
	int fd;

	if (size < sizeof(struct ig_birth))
		return 0;
	bi = calloc(1, sizeof(*bi));
	if (!bi)
		return 0;
	memcpy(&bi->k, data, sizeof(bi->k));
	bi->k.cgroup[sizeof(bi->k.cgroup) - 1] = bi->k.parent[sizeof(bi->k.parent) - 1] = '\0';
	bi->seq = ++b->seq;
	bi->t0 = now_ms();
	bi->pidfd.kind = CTR_POLL_BIRTH_PID;
	bi->pidfd.fd = -1;
	ctr_hold__init(&bi->hold);
	if (b->nr == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;

		tmp = realloc(b->v, cap * sizeof(*tmp));
		if (!tmp) {
			free(bi);
			return 0;
		}
		b->v = tmp;
		b->cap = cap;
	}
	b->v[b->nr++] = bi;
	/* Normally the kernel's entry; back in the map if a settle took it out
	 * for the container that had this inode before. */
	if (b->filter_fd >= 0) {
		uint8_t mark = IG_FILTER_BIRTH;

		bpf_map_update_elem(b->filter_fd, &bi->k.mntns, &mark, BPF_NOEXIST);
	}
	ig_dbg("birth: pid %u (of %u), mntns %llu (id %llu), cgroup %s/%s", bi->k.pid,
	       bi->k.ppid, (unsigned long long)bi->k.mntns, (unsigned long long)bi->k.mntns_id,
	       bi->k.parent, bi->k.cgroup);
	e = ctr_birth__match(*b->t->v, *b->t->nr, &bi->k, true);
	if (e) {
		decide(b, bi, e);
		return 0;
	}
	if (identify(b, bi, false))
		return 0;
	fd = (int)syscall(SYS_pidfd_open, bi->k.pid, 0);
	if (fd < 0) {
		ended(b, bi);	/* already gone (or pid reused: the query checks) */
		return 0;
	}
	bi->pidfd.fd = fd;
	b->ops->poll_add(b->ops->arg, &bi->pidfd);
	arm_timer(b, true);
	return 0;
}

static void tick(struct ctr_births *b)
{
	uint64_t n;
	long now = now_ms();

	if (read(b->timer.fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return;
	for (size_t i = 0; i < b->nr; i++) {
		struct birth *bi = b->v[i];

		if (bi->dropping || now - bi->t0 < BIRTH_GIVE_UP_MS)
			continue;
		if (identify(b, bi, false)) {
			i = (size_t)-1;	/* the list changed: start over */
			continue;
		}
		ig_info("a container started by runc (init pid %u, cgroup %s/%s) is not one ig "
			"knows (a runc --root ig does not watch? see --runtime-root): not traced",
			bi->k.pid, bi->k.parent, bi->k.cgroup);
		drop_later(b, bi);
	}
}

int ctr_births__dispatch(struct ctr_births *b, struct ctr_pollable *p)
{
	struct birth *bi;

	if (p->kind == CTR_POLL_BIRTHS) {
		bool was = b->settling;
		int n;

		b->settling = true;	/* no settle from inside the ring's callbacks */
		n = ring_buffer__consume(b->rb);
		ctr_births__flush_drops(b);
		b->settling = was;
		return n < 0 ? n : 0;
	}
	if (p->kind == CTR_POLL_BIRTH_TIMER) {
		tick(b);
		ctr_births__flush_drops(b);
		return 0;
	}
	/* an init exited: p is the pidfd member of its birth */
	bi = (struct birth *)((char *)p - offsetof(struct birth, pidfd));
	if (!bi->finished && !bi->dropping)
		ended(b, bi);
	ctr_births__flush_drops(b);
	return 0;
}

/* ---------------------------------------------------------------- records */

void ctr_births__set_hold(struct ctr_births *b, const struct ig_field *fields, size_t nr,
			  int ns_idx, ctr_release_fn release, void (*drain)(void *arg),
			  void *arg)
{
	if (!b)
		return;
	b->fields = fields;
	b->nr_fields = nr;
	b->ns_idx = ns_idx;
	b->release = release;
	b->drain = drain;
	b->release_arg = arg;
}

bool ctr_births__hold(struct ctr_births *b, const struct ig_value *vals)
{
	uint64_t ns;

	if (!b || !b->nr || b->ns_idx < 0 || !(vals[b->ns_idx].flags & IG_VALUE_SET))
		return false;
	ns = vals[b->ns_idx].v.u;
	for (size_t i = 0; i < b->nr; i++)
		if (b->v[i]->k.mntns == ns) {
			ctr_hold__add(&b->v[i]->hold, b->fields, b->nr_fields, vals);
			return true;
		}
	return false;
}

/* ---------------------------------------------------------------- lifetime */

struct ctr_births *ctr_births__new(int ring_fd, int filter_fd, const struct ctr_births_table *t,
				   const struct ctr_report_ops *ops)
{
	struct ctr_births *b = calloc(1, sizeof(*b));
	int err;

	if (!b)
		return NULL;
	b->t = t;
	b->ops = ops;
	b->filter_fd = filter_fd;
	b->ns_idx = -1;
	b->ring.kind = CTR_POLL_BIRTHS;
	b->timer.kind = CTR_POLL_BIRTH_TIMER;
	b->ring.fd = b->timer.fd = -1;
	if (ring_fd >= 0) {
		b->rb = ring_buffer__new(ring_fd, on_birth, b, NULL);
		if (!b->rb)
			goto out_free;
		b->ring.fd = ring_buffer__epoll_fd(b->rb);
	}
	b->timer.fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (b->timer.fd < 0)
		goto out_free;
	err = b->rb ? ops->poll_add(ops->arg, &b->ring) : 0;
	if (!err)
		err = ops->poll_add(ops->arg, &b->timer);
	if (err) {
		errno = -err;
		goto out_free;
	}
	return b;

out_free:
	err = errno;
	ctr_births__destroy(b);
	errno = err;
	return NULL;
}

size_t ctr_births__unnamed(const struct ctr_births *b,
			   void (*fn)(void *arg, const char *what), void *arg)
{
	for (size_t i = 0; b && i < b->nr_unnamed && i < MAX_UNNAMED; i++)
		fn(arg, b->unnamed[i]);
	return b ? b->nr_unnamed : 0;
}

void ctr_births__destroy(struct ctr_births *b)
{
	if (!b)
		return;
	while (b->nr)
		finish(b, b->v[0], true);	/* the run is over: leave the map be */
	ctr_births__reap(b);
	free(b->v);
	free(b->forget);
	if (b->timer.fd >= 0) {
		b->ops->poll_del(b->ops->arg, &b->timer);
		close(b->timer.fd);
	}
	if (b->rb) {
		b->ops->poll_del(b->ops->arg, &b->ring);
		ring_buffer__free(b->rb);
	}
	free(b);
}
