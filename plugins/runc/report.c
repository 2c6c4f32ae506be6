// SPDX-License-Identifier: Apache-2.0
/*
 * The runc plugin's reports to the core: a container from its runc state
 * (with its engine's names and image) or from an engine's record alone, and
 * the plugin's log lines. runc.c (containers the watch found) and
 * identify.c (births the core asks about) both report through here.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <ig/plugin.h>

#include "runc.h"

void runc_plugin__log(struct runc_plugin *p, int level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	IG_LOG(p->host, level, "%s", msg);
}

int runc_plugin__report_state(struct runc_plugin *p, const char *root_runtime,
			      const char *root_dir, uid_t owner, const struct runc_state *st,
			      uint32_t flags, uint64_t mntns)
{
	struct ig_container c = { .sz = sizeof(c) };
	struct runc_engine eng;
	char err[512];
	int ret;

	/* The engine's own name and image; a damaged engine file costs the
	 * names, not the container. */
	if (runc_engine__describe(root_runtime, root_dir, owner, st, &eng, err, sizeof(err)))
		runc_plugin__log(p, IG_LOG_INFO, "container %s: %s", st->id, err);
	c.flags = flags;
	c.runtime = eng.runtime;
	c.id = st->id;
	c.pid = st->pid;
	c.mntns = mntns;
	c.bundle = st->bundle;
	c.created_ns = st->created_ns;
	c.annotations = st->annotations;
	c.nr_annotations = (uint32_t)st->nr_annotations;
	c.name = eng.mi.name;
	c.image = eng.mi.image;
	ret = p->host->container_added(p->host->ctx, &c);
	runc_engine__fini(&eng);
	/* -ESRCH: gone meanwhile; -EPERM: the core said why it refused. */
	if (ret && ret != -ESRCH && ret != -EPERM)
		runc_plugin__log(p, IG_LOG_WARN, "cannot register container %s: %s", st->id,
				 strerror(-ret));
	return ret;
}

int runc_plugin__report(struct runc_plugin *p, const struct ig_container *c)
{
	return p->host->container_added(p->host->ctx, c);
}
