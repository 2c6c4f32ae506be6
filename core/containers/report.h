/* SPDX-License-Identifier: Apache-2.0 */
/*
 * How the sources of containers (the plugin host, plugins.c, and the hook
 * server, hook_server.c) reach the table that owns them (table.c), which
 * hands each source this small ops struct: they report through it and never
 * call into the table by name. Types only.
 */
#ifndef IG_CORE_CONTAINERS_REPORT_H
#define IG_CORE_CONTAINERS_REPORT_H

#include <stdbool.h>

#include <ig/container.h>
#include <ig/plugin.h>

/* What epoll hands back: every pollable thing starts with this. */
enum ctr_poll_kind {
	CTR_POLL_PLUGIN = 1,
	CTR_POLL_PIDFD,
	CTR_POLL_HOOK,		/* the hook server's: its socket, clients, timer */
	CTR_POLL_BIRTHS,	/* births.c: the kernel's ring of births */
	CTR_POLL_BIRTH_PID,	/* births.c: the pidfd of a waiting birth's init */
	CTR_POLL_BIRTH_TIMER,	/* births.c: the give-up tick */
};

/* Who reported a container. The plugins and the hook pass on what others
 * wrote (runtime state files, a hook's message): what they name is checked
 * against the kernel (a live process outside ig's and the host's mount
 * namespaces). ig_containers__add() is the core's own caller: trusted. */
enum ctr_source {
	CTR_SRC_API = 0,
	CTR_SRC_PLUGIN,
	CTR_SRC_HOOK,
};

struct ctr_pollable {
	enum ctr_poll_kind kind;
	int fd;
};

struct ctr_report_ops {
	/* A container exists (the same as ig_containers__add(), plus: a report
	 * for a known id merges; from the hook, the runtime name is a guess).
	 * 0 or -errno; -EPERM (said on stderr) when src is not the API and the
	 * process is ig's own or the host's, not a container's. */
	int (*report)(void *arg, const struct ig_container *c, enum ctr_source src);
	/* Ask the runtime plugins which container q is (they report it
	 * through report()). 0, or -ENOENT if none knew. */
	int (*identify)(void *arg, const struct ig_plugin_query *q);
	/* A container is gone. -ENOENT for an unknown id; from the hook,
	 * -EBUSY when its init process still runs (a poststop cannot retire a
	 * running container). */
	int (*remove)(void *arg, const char *id, enum ctr_source src);
	/* Poll p->fd in the table's epoll set, p coming back on readiness. */
	int (*poll_add)(void *arg, struct ctr_pollable *p);
	void (*poll_del)(void *arg, struct ctr_pollable *p);
	void *arg;
};

#endif /* IG_CORE_CONTAINERS_REPORT_H */
