// SPDX-License-Identifier: Apache-2.0
/*
 * The container table: every container the plugins and `ig hook` reported,
 * running or removed, with lookups by mount/network namespace and id, the
 * -c/--host selection and the BPF mntns filter map.
 *
 * Removed containers stay (flag IG_CONTAINER_REMOVED) until destroy: gadgets
 * hold pointers to them and records may arrive after the exit. A mount
 * namespace inode can be reused by a later container, so lookups prefer a
 * running container, then the newest removed one.
 *
 * Everything here runs on the main thread. The caller polls one epoll fd
 * (ig_containers__fds) that holds the plugins' fds, one pidfd per running
 * container (exit notification without polling /proc) and the hook socket.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <ig/common.h>

#include "core/base/log.h"
#include "births.h"
#include "filter_map.h"
#include "hook_server.h"
#include "index.h"
#include "meta.h"
#include "plugins.h"
#include "selector.h"
#include "trust.h"
#include "table.h"
#include "table_int.h"

static int report(void *arg, const struct ig_container *info, enum ctr_source src);
static int identify(void *arg, const struct ig_plugin_query *q);
static int remove_by_id(void *arg, const char *id, enum ctr_source src);
static int poll_add(void *arg, struct ctr_pollable *p);
static void poll_del(void *arg, struct ctr_pollable *p);

/* Done with an API call or a batch of events: what it took out of the
 * filter goes now (births.h). */
static int settled(struct ig_containers *cs, int err)
{
	ctr_births__settle(cs->births);
	return err;
}

struct ig_containers *ig_containers__new(const struct ig_containers_opts *opts)
{
	struct ig_containers *cs;
	size_t n = 0;
	char msg[256];
	int err;

	if (!opts || opts->sz < offsetof(struct ig_containers_opts, cb_arg)) {
		errno = EINVAL;
		return NULL;
	}
	for (const char *const *r = opts->runtime_roots; r && *r; r++)
		if ((*r)[0] != '/') {
			ig_err("--runtime-root %s: give an absolute directory path", *r);
			errno = EINVAL;
			return NULL;
		}
	cs = calloc(1, sizeof(*cs));
	if (!cs)
		return NULL;
	memcpy(&cs->opts, opts, opts->sz < sizeof(cs->opts) ? opts->sz : sizeof(cs->opts));
	cs->opts.sz = sizeof(cs->opts);
	cs->map_fd = -1;
	ctr_trust__init(&cs->trust);
	cs->mnt_ix.dirty = cs->net_ix.dirty = true;
	cs->net_ix.by_netns = true;
	cs->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (cs->epfd < 0)
		goto out_free_cs;
	err = ctr_selector__parse(&cs->sel, opts->selector, msg, sizeof(msg));
	if (err) {
		ig_err("%s", msg);
		errno = -err;
		goto out_free_cs;
	}
	cs->opts.selector = NULL;	/* the caller's string: only sel is kept */
	while (opts->runtime_roots && opts->runtime_roots[n])
		n++;
	cs->roots = calloc(n + 1, sizeof(*cs->roots));
	if (!cs->roots)
		goto out_free_cs;
	for (size_t i = 0; i < n; i++)
		if (!(cs->roots[i] = strdup(opts->runtime_roots[i])))
			goto out_free_cs;
	cs->opts.runtime_roots = cs->roots;
	cs->ops = (struct ctr_report_ops){
		.report = report, .identify = identify, .remove = remove_by_id,
		.poll_add = poll_add, .poll_del = poll_del, .arg = cs,
	};
	cs->plugins_opts = (struct ctr_plugins_opts){
		.dir = cs->opts.plugin_dir,
		.runtime_roots = cs->roots,
		.verbose = cs->opts.verbose,
	};
	if (cs->opts.discover) {
		cs->plugins = ctr_plugins__load(&cs->plugins_opts, &cs->ops);
		if (!cs->plugins)
			goto out_free_cs;
	}
	return cs;

out_free_cs:
	ig_containers__destroy(cs);
	return NULL;
}

int ig_containers__start(struct ig_containers *cs)
{
	int err;

	if (cs->started)
		return 0;
	cs->started = true;
	cs->starting = true;
	err = cs->plugins ? ctr_plugins__start(cs->plugins) : 0;
	cs->starting = false;
	return settled(cs, err);
}

/*
 * The hook socket is created here, not in __new: only a caller that polls
 * (ig run, list-containers --watch) may make `ig hook` wait for a reply.
 */
int ig_containers__fds(struct ig_containers *cs, int *fds, int max)
{
	if (max < 1)
		return 0;
	if (cs->opts.discover && !cs->hook) {
		cs->hook = ctr_hook_server__new(&cs->ops);
		if (!cs->hook)
			ig_info("hook socket in %s unavailable (%s): `ig hook` cannot reach this ig",
				ig_hook_dir(), strerror(errno));
	}
	fds[0] = cs->epfd;
	return 1;
}

const struct ctr_report_ops *ig_containers__report_ops(struct ig_containers *cs)
{
	return &cs->ops;
}

static int poll_add(void *arg, struct ctr_pollable *p)
{
	struct ig_containers *cs = arg;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = p };

	return epoll_ctl(cs->epfd, EPOLL_CTL_ADD, p->fd, &ev) ? -errno : 0;
}

static void poll_del(void *arg, struct ctr_pollable *p)
{
	struct ig_containers *cs = arg;

	epoll_ctl(cs->epfd, EPOLL_CTL_DEL, p->fd, NULL);
}

/* Lookups must see the change (a new entry, a removed flag). */
static void changed(struct ig_containers *cs)
{
	ctr_index__invalidate(&cs->mnt_ix);
	ctr_index__invalidate(&cs->net_ix);
}

static struct ctr_entry *find_id(struct ig_containers *cs, const char *id, bool running)
{
	return ctr_index__find_id(cs->v, cs->nr, id, running);
}

static void filter_sync_one(struct ig_containers *cs, struct ctr_entry *e)
{
	bool want = !(e->c.flags & IG_CONTAINER_REMOVED) && e->c.mntns &&
		    ig_containers__selected(cs, &e->c);

	if (ctr_filter_map__sync(cs->map_fd, e, want, cs->v, cs->nr, cs->births != NULL))
		ctr_births__forget(cs->births, e->c.mntns);
}

static void mark_removed(struct ig_containers *cs, struct ctr_entry *e)
{
	if (e->c.flags & IG_CONTAINER_REMOVED)
		return;
	if (cs->opts.on_removed)
		cs->opts.on_removed(cs->opts.cb_arg, &e->c);
	e->c.flags |= IG_CONTAINER_REMOVED;
	filter_sync_one(cs, e);
	if (e->pidfd.fd >= 0) {
		poll_del(cs, &e->pidfd);
		close(e->pidfd.fd);
		e->pidfd.fd = -1;
	}
	changed(cs);
}

/* Watch the init process: its pidfd becomes readable when it exits. */
static int watch_exit(struct ig_containers *cs, struct ctr_entry *e)
{
	int fd = (int)syscall(SYS_pidfd_open, e->c.pid, 0);

	if (fd < 0)
		return errno == ESRCH ? -ESRCH : 0;	/* old kernel: plugins remove */
	e->pidfd.fd = fd;
	if (poll_add(cs, &e->pidfd)) {
		close(fd);
		e->pidfd.fd = -1;
	}
	return 0;
}

static int insert(struct ig_containers *cs, struct ctr_entry *e)
{
	if (cs->nr == cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 16;
		struct ctr_entry **v = realloc(cs->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		cs->v = v;
		cs->cap = cap;
	}
	e->seq = ++cs->seq;
	cs->v[cs->nr++] = e;
	changed(cs);
	return 0;
}

static int report(void *arg, const struct ig_container *info, enum ctr_source src)
{
	struct ig_containers *cs = arg;
	bool from_hook = src == CTR_SRC_HOOK, exited;
	struct ctr_entry *e;
	int err;

	if (!info || !info->id)
		return -EINVAL;
	e = find_id(cs, info->id, true);
	if (e) {
		/* A plugin knows the runtime better than the hook's guess. */
		if (e->from_hook && !from_hook && IG_CONTAINER_HAS(info, runtime) &&
		    info->runtime) {
			free((char *)e->c.runtime);
			e->c.runtime = NULL;
			e->from_hook = false;
		}
		err = ctr_entry__merge(e, info);
		/* The report may bring a namespace the first one lacked: lookups
		 * (and their remembered misses) and the filter map must see it. */
		changed(cs);
		filter_sync_one(cs, e);
		ctr_births__claim(cs->births, e);
		return err;
	}
	exited = IG_CONTAINER_HAS(info, flags) && (info->flags & IG_CONTAINER_REMOVED);
	if (exited && (!info->mntns || !ctr_births__pending(cs->births, info->mntns)))
		return -ESRCH;	/* only a birth we recorded makes a gone container worth it */
	e = ctr_entry__new(info);
	if (!e)
		return -errno;
	if (!e->c.runtime && !(e->c.runtime = strdup(from_hook ?
			ctr_runtime_from_annotations(&e->c, "runc") : "unknown"))) {
		err = -ENOMEM;
		goto out_free_entry;
	}
	e->from_hook = from_hook;
	e->at_start = cs->starting;
	/* Exit watch before the namespace probe: if the process dies after
	 * the probe, the pidfd says so. */
	err = exited ? 0 : watch_exit(cs, e);
	if (!err && !exited)
		err = ctr_entry__probe(e);
	if (!err)
		err = ctr_trust__check_report(&cs->trust, e, src);
	if (err)
		goto out_free_entry;
	/* Gone already: the id its birth saw (a live one's came from /proc). */
	if (!e->c.mntns_id)
		e->c.mntns_id = ctr_births__mntns_id(cs->births, e->c.pid, e->c.mntns);
	err = insert(cs, e);
	if (err)
		goto out_free_entry;
	/* Filter first: the gadgets see the container once it is traced. */
	if (!exited)
		filter_sync_one(cs, e);
	ig_dbg("container added: %s (%s, id %s, pid %d, mntns %llu%s)", e->c.name, e->c.runtime,
	       e->c.id, e->c.pid, (unsigned long long)e->c.mntns, exited ? ", exited" : "");
	if (cs->opts.on_added)
		cs->opts.on_added(cs->opts.cb_arg, &e->c);
	/* Records held while its birth waited come out before a removal. */
	ctr_births__claim(cs->births, e);
	if (exited) {	/* gadgets hear of its end as of any other's */
		e->c.flags &= ~IG_CONTAINER_REMOVED;
		mark_removed(cs, e);
	}
	return 0;

out_free_entry:
	if (e->pidfd.fd >= 0)
		poll_del(cs, &e->pidfd);
	ctr_entry__free(e);
	return err;
}

int ig_containers__add(struct ig_containers *cs, const struct ig_container *c)
{
	return settled(cs, report(cs, c, CTR_SRC_API));
}

static int remove_by_id(void *arg, const char *id, enum ctr_source src)
{
	struct ig_containers *cs = arg;
	struct ctr_entry *e = id ? find_id(cs, id, true) : NULL;

	if (!e)
		return -ENOENT;
	/* Anyone able to talk to the hook socket could otherwise stop the
	 * tracing of a running container by naming it. */
	if (src == CTR_SRC_HOOK && ctr_trust__still_runs(e))
		return -EBUSY;
	ig_dbg("container removed: %s (id %s)", e->c.name, e->c.id);
	mark_removed(cs, e);
	return 0;
}

int ig_containers__remove(struct ig_containers *cs, const char *id)
{
	return settled(cs, remove_by_id(cs, id, CTR_SRC_API));
}

int ig_containers__dispatch(struct ig_containers *cs, int fd)
{
	struct epoll_event evs[16];
	int n, err = 0;

	if (fd != cs->epfd)
		return -EINVAL;
	/* Nothing of the last batch is pending now. */
	ctr_births__reap(cs->births);
	ctr_hook_server__reap(cs->hook);
	n = epoll_wait(cs->epfd, evs, IG_ARRAY_SIZE(evs), 0);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		struct ctr_pollable *p = evs[i].data.ptr;

		switch (p->kind) {
		case CTR_POLL_PLUGIN:
			err = ctr_plugins__dispatch(cs->plugins, p);
			break;
		case CTR_POLL_HOOK:
			err = ctr_hook_server__dispatch(cs->hook, p);
			break;
		case CTR_POLL_BIRTHS:
		case CTR_POLL_BIRTH_PID:
		case CTR_POLL_BIRTH_TIMER:
			err = ctr_births__dispatch(cs->births, p);
			break;
		case CTR_POLL_PIDFD:
			ig_containers__remove(cs, ((struct ctr_entry *)((char *)p -
						   offsetof(struct ctr_entry, pidfd)))->c.id);
			break;
		}
	}
	return settled(cs, err);
}

static int identify(void *arg, const struct ig_plugin_query *q)
{
	struct ig_containers *cs = arg;

	return ctr_plugins__identify(cs->plugins, q);
}

/* ---------------------------------------------------------------- births */

static bool selected(void *arg, const struct ig_container *c)
{
	return ig_containers__selected(arg, c);
}

int ig_containers__set_births(struct ig_containers *cs, int ring_fd)
{
	cs->births_table = (struct ctr_births_table){
		.v = &cs->v, .nr = &cs->nr, .selected = selected, .arg = cs,
	};
	cs->births = ctr_births__new(ring_fd, cs->map_fd, &cs->births_table, &cs->ops);
	return cs->births ? 0 : -errno;
}

struct ctr_births *ig_containers__births(struct ig_containers *cs)
{
	return cs ? cs->births : NULL;
}

const struct ctr_selector *ig_containers__selector(struct ig_containers *cs)
{
	return &cs->sel;
}

int ig_containers__set_filter_map(struct ig_containers *cs, int map_fd)
{
	cs->map_fd = map_fd;
	/* Start from an empty map, then add what is selected. */
	ctr_filter_map__clear(map_fd);
	for (size_t i = 0; i < cs->nr; i++) {
		cs->v[i]->in_filter = false;
		filter_sync_one(cs, cs->v[i]);
	}
	return 0;
}

void ig_containers__destroy(struct ig_containers *cs)
{
	if (!cs)
		return;
	ctr_births__destroy(cs->births);
	ctr_hook_server__destroy(cs->hook);
	ctr_plugins__destroy(cs->plugins);
	for (size_t i = 0; i < cs->nr; i++)
		ctr_entry__free(cs->v[i]);
	free(cs->v);
	ctr_index__fini(&cs->mnt_ix);
	ctr_index__fini(&cs->net_ix);
	for (size_t i = 0; cs->roots && cs->roots[i]; i++)
		free((char *)cs->roots[i]);
	free(cs->roots);
	ctr_selector__fini(&cs->sel);
	if (cs->epfd >= 0)
		close(cs->epfd);
	free(cs);
}
