// SPDX-License-Identifier: Apache-2.0
/*
 * Runtime plugins: find them, load them through the module loader (the same
 * checks as gadgets, core/base/module.h), give them the host services of
 * <ig/plugin.h>, poll their fds.
 *
 * Where: every plugin of opts.dir when given; else every plugin of every
 * directory of IG_PLUGIN_PATH (colon-separated) when one of them can be
 * read; else every plugin of the first readable one of <dir of the ig
 * binary>/plugins (the build tree), <dir of the ig binary>/../lib/ig/plugins
 * (an install under any prefix) and IG_LIBDIR/plugins. A refused file costs
 * one warning line; the others still load. A plugin whose init or start
 * fails is dropped; ig goes on without it.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ig/plugin.h>

#include "core/base/log.h"
#include "core/base/memrange.h"
#include "core/base/module.h"
#include "plugins.h"

#define PLUGIN_MAX_FDS	4

struct ig_plugin_host_ctx {
	const struct ctr_report_ops *ops;
	const char *name;
	bool exited_ok;		/* inside identify() of an exited container */
};

struct ctr_plugin {
	void *dl;
	const struct ig_plugin_desc *desc;
	void *state;
	bool alive;
	struct ig_plugin_host host;
	struct ig_plugin_host_ctx ctx;
	struct ctr_pollable fds[PLUGIN_MAX_FDS];
	int nr_fds;
};

struct ctr_plugins {
	const struct ctr_plugins_opts *opts;
	const struct ctr_report_ops *ops;
	struct ctr_plugin **v;
	size_t nr;
};

static void host_log(struct ig_plugin_host_ctx *ctx, int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ig_vlog_prefix(ctx->name, level, fmt, ap);
	va_end(ap);
}

static int host_added(struct ig_plugin_host_ctx *ctx, const struct ig_container *c)
{
	if (!c || c->sz < offsetof(struct ig_container, mntns) || !c->id || c->pid <= 0 ||
	    (c->flags & ~IG_CONTAINER_REMOVED) || (c->flags && !ctx->exited_ok))
		return -EINVAL;
	return ctx->ops->report(ctx->ops->arg, c, CTR_SRC_PLUGIN);
}

static int host_removed(struct ig_plugin_host_ctx *ctx, const char *id)
{
	int err = ctx->ops->remove(ctx->ops->arg, id, CTR_SRC_PLUGIN);

	return err == -ENOENT ? 0 : err;
}

static const struct ig_module_abi plugin_abi = {
	.noun = "plugin",
	.entry = IG_PLUGIN_ENTRY_NAME,
	.major = IG_PLUGIN_ABI_MAJOR,
	.minor = IG_PLUGIN_ABI_MINOR,
};

/* What the module loader does not know: a plugin descriptor's own members. */
/* The descriptor, its strings and callbacks are the plugin's own static
 * data and code: a pointer elsewhere is refused before ig follows it. */
static bool desc_in_module(const struct ig_plugin_desc *d, void *dl)
{
	struct ig_mem_range r[IG_MEM_MAX_RANGES];
	size_t nr = ig_mem__module_ranges(dl, r, IG_MEM_MAX_RANGES);
	const void *fns[] = { d->init, d->start, d->fds, d->dispatch, d->destroy };

	if (d->sz > 4096 || !ig_mem__inside(r, nr, d, d->sz < sizeof(*d) ? d->sz : sizeof(*d),
					    false) ||
	    !ig_mem__str(r, nr, d->name, 64) || (d->version && !ig_mem__str(r, nr, d->version, 4096)) ||
	    (d->summary && !ig_mem__str(r, nr, d->summary, 4096)))
		return false;
	for (size_t i = 0; i < IG_ARRAY_SIZE(fns); i++)
		if (fns[i] && !ig_mem__inside(r, nr, fns[i], 1, true))
			return false;
	return !IG_PLUGIN_DESC_HAS(d, identify) || !d->identify ||
	       ig_mem__inside(r, nr, (const void *)d->identify, 1, true);
}

static int check_desc(const struct ig_plugin_desc *d, void *dl, char *why, size_t whylen)
{
	if (d->sz < offsetof(struct ig_plugin_desc, destroy) + sizeof(d->destroy)) {
		snprintf(why, whylen, "not a plugin: descriptor is truncated");
		return -EINVAL;
	}
	if (!d->init || !d->start || !d->fds || !d->destroy || !d->name) {
		snprintf(why, whylen, "not a plugin: descriptor lacks name, init, start, fds or "
			 "destroy");
		return -EINVAL;
	}
	if (!desc_in_module(d, dl)) {
		snprintf(why, whylen, "not a plugin: its descriptor points outside the plugin");
		return -EINVAL;
	}
	return 0;
}

/* One file of a plugin directory (ig_module__scan). */
static int load_file(void *arg, const char *path)
{
	struct ctr_plugins *ps = arg;
	struct ctr_plugin *pl, **grown;
	char why[256];

	pl = calloc(1, sizeof(*pl));
	if (!pl)
		return 0;
	pl->desc = ig_module__open(&plugin_abi, path, &pl->dl, why, sizeof(why));
	if (!pl->desc || check_desc(pl->desc, pl->dl, why, sizeof(why))) {
		ig_warn("refusing plugin %s: %s", path, why);
		goto out_free_plugin;
	}
	grown = realloc(ps->v, (ps->nr + 1) * sizeof(*grown));
	if (!grown)
		goto out_free_plugin;
	ps->v = grown;
	ps->v[ps->nr++] = pl;
	return 0;

out_free_plugin:
	if (pl->dl)
		dlclose(pl->dl);
	free(pl);
	return 0;
}

/* Every directory of dirs, or only the first readable one. 0 if one was read. */
static int load_dirs(struct ctr_plugins *ps, char **dirs, bool all)
{
	int err = -ENOENT;

	for (char **d = dirs; d && *d; d++) {
		if (ig_module__scan(*d, load_file, ps))
			continue;
		err = 0;
		if (!all)
			break;
	}
	return err;
}

static void load_defaults(struct ctr_plugins *ps)
{
	const char *env = getenv("IG_PLUGIN_PATH");
	char **dirs = NULL;
	size_t n = 0;
	int err = -ENOENT;

	if (env && *env && !ig_module__push_dirs(&dirs, &n, env))
		err = load_dirs(ps, dirs, true);
	ig_module__free_dirs(dirs);
	if (!err)
		return;
	dirs = NULL;
	n = 0;
	if (!ig_module__push_default_dirs(&dirs, &n, "plugins"))
		load_dirs(ps, dirs, false);
	ig_module__free_dirs(dirs);
}

struct ctr_plugins *ctr_plugins__load(const struct ctr_plugins_opts *opts,
				      const struct ctr_report_ops *ops)
{
	struct ctr_plugins *ps = calloc(1, sizeof(*ps));

	if (!ps)
		return NULL;
	ps->opts = opts;
	ps->ops = ops;
	if (opts->dir) {
		int err = ig_module__scan(opts->dir, load_file, ps);

		if (err)
			ig_warn("plugin directory %s: %s", opts->dir, strerror(-err));
	} else {
		load_defaults(ps);
	}
	if (!ps->nr)
		ig_warn("no runtime plugin found (set IG_PLUGIN_PATH): containers will not be "
			"discovered");
	return ps;
}

static void drop(struct ctr_plugins *ps, struct ctr_plugin *pl)
{
	for (int i = 0; i < pl->nr_fds; i++)
		ps->ops->poll_del(ps->ops->arg, &pl->fds[i]);
	pl->nr_fds = 0;
	if (pl->alive)
		pl->desc->destroy(pl->state);
	pl->alive = false;
	pl->state = NULL;
}

static int start_one(struct ctr_plugins *ps, struct ctr_plugin *pl)
{
	const struct ctr_plugins_opts *o = ps->opts;
	int fds[PLUGIN_MAX_FDS], n, err;

	pl->ctx.ops = ps->ops;
	pl->ctx.name = pl->desc->name;
	pl->host = (struct ig_plugin_host){
		.sz = sizeof(pl->host),
		.abi_major = IG_PLUGIN_ABI_MAJOR,
		.abi_minor = IG_PLUGIN_ABI_MINOR,
		.ctx = &pl->ctx,
		.log = host_log,
		.runtime_roots = o->runtime_roots,
		.container_added = host_added,
		.container_removed = host_removed,
		.verbose = o->verbose,
	};
	err = pl->desc->init(&pl->host, &pl->state);
	if (err)
		return err;
	pl->alive = true;
	err = pl->desc->start(pl->state);
	if (err)
		return err;
	n = pl->desc->fds(pl->state, fds, PLUGIN_MAX_FDS);
	if (n < 0)
		return n;
	if (n > 0 && !IG_PLUGIN_DESC_HAS(pl->desc, dispatch))
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		pl->fds[i].kind = CTR_POLL_PLUGIN;
		pl->fds[i].fd = fds[i];
		err = ps->ops->poll_add(ps->ops->arg, &pl->fds[i]);
		if (err)
			return err;
		pl->nr_fds++;
	}
	return 0;
}

int ctr_plugins__start(struct ctr_plugins *ps)
{
	for (size_t i = 0; i < ps->nr; i++) {
		struct ctr_plugin *pl = ps->v[i];
		int err = start_one(ps, pl);

		if (err) {
			ig_warn("plugin %s failed to start (%s): going on without it",
				pl->desc->name, strerror(-err));
			drop(ps, pl);
		}
	}
	return 0;
}

int ctr_plugins__dispatch(struct ctr_plugins *ps, struct ctr_pollable *p)
{
	for (size_t i = 0; i < ps->nr; i++) {
		struct ctr_plugin *pl = ps->v[i];

		if (p < pl->fds || p >= pl->fds + pl->nr_fds)
			continue;
		return pl->desc->dispatch(pl->state, p->fd);
	}
	return -ENOENT;
}

int ctr_plugins__identify(struct ctr_plugins *ps, const struct ig_plugin_query *q)
{
	for (size_t i = 0; ps && i < ps->nr; i++) {
		struct ctr_plugin *pl = ps->v[i];
		int ret;

		if (!pl->alive || !IG_PLUGIN_DESC_HAS(pl->desc, identify) || !pl->desc->identify)
			continue;
		pl->ctx.exited_ok = q->flags & IG_QUERY_EXITED;
		ret = pl->desc->identify(pl->state, q);
		pl->ctx.exited_ok = false;
		if (!ret)
			return 0;
	}
	return -ENOENT;
}

void ctr_plugins__destroy(struct ctr_plugins *ps)
{
	if (!ps)
		return;
	for (size_t i = 0; i < ps->nr; i++) {
		drop(ps, ps->v[i]);
		dlclose(ps->v[i]->dl);
		free(ps->v[i]);
	}
	free(ps->v);
	free(ps);
}
