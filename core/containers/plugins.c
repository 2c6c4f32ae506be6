// SPDX-License-Identifier: Apache-2.0
/*
 * Runtime plugins: find them, check them, give them the host services of
 * <ig/plugin.h>, poll their fds.
 *
 * Search order (first directory that exists wins, like gadgets):
 * opts.plugin_dir, then each directory of IG_PLUGIN_PATH (colon-separated:
 * all of them), then <dir of the ig binary>/plugins (the build tree), then
 * <dir of the ig binary>/../lib/ig/plugins (an install under any prefix),
 * then IG_LIBDIR/plugins. A plugin that is writable by anyone but root (file or
 * directory), has no entry symbol or another ABI major is refused with one
 * line; the others still load. A plugin whose init or start fails is
 * dropped; ig goes on without it.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ig/plugin.h>

#include "core/base/log.h"
#include "plugins.h"

#ifndef IG_LIBDIR
#define IG_LIBDIR "/usr/local/lib/ig"
#endif

#define PLUGIN_MAX_FDS	4

struct ig_plugin_host_ctx {
	const struct ctr_report_ops *ops;
	const char *name;
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
	    c->flags)
		return -EINVAL;
	return ctx->ops->report(ctx->ops->arg, c, CTR_SRC_PLUGIN);
}

static int host_removed(struct ig_plugin_host_ctx *ctx, const char *id)
{
	int err = ctx->ops->remove(ctx->ops->arg, id, CTR_SRC_PLUGIN);

	return err == -ENOENT ? 0 : err;
}

/* Refuse plugins that someone other than root could have replaced. */
static int check_owner(const char *path, char *why, size_t len)
{
	struct stat sb;

	if (stat(path, &sb)) {
		snprintf(why, len, "%s", strerror(errno));
		return -errno;
	}
	if ((sb.st_uid != 0 && sb.st_uid != geteuid()) || (sb.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(why, len, "writable by others than its owner or not owned by root "
			 "(chmod go-w, chown root)");
		return -EPERM;
	}
	return 0;
}

static struct ctr_plugin *load_one(struct ctr_plugins *ps, const char *dir, const char *file)
{
	struct ctr_plugin *pl;
	ig_plugin_entry_fn entry;
	char path[PATH_MAX], why[160];
	const struct ig_plugin_desc *d;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (check_owner(path, why, sizeof(why)) || check_owner(dir, why, sizeof(why))) {
		ig_warn("plugin %s refused: %s", path, why);
		return NULL;
	}
	pl = calloc(1, sizeof(*pl));
	if (!pl)
		return NULL;
	pl->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!pl->dl) {
		ig_warn("plugin %s refused: %s", path, dlerror());
		goto out_free_plugin;
	}
	entry = (ig_plugin_entry_fn)dlsym(pl->dl, IG_PLUGIN_ENTRY_NAME);
	d = entry ? entry() : NULL;
	if (!d || d->sz < offsetof(struct ig_plugin_desc, destroy) + sizeof(d->destroy)) {
		ig_warn("plugin %s refused: no %s() or a truncated descriptor: not an ig runtime "
			"plugin", path, IG_PLUGIN_ENTRY_NAME);
		goto out_close_dl;
	}
	if (d->abi_major != IG_PLUGIN_ABI_MAJOR || d->abi_minor > IG_PLUGIN_ABI_MINOR) {
		ig_warn("plugin %s refused: built for plugin ABI %u.%u, this ig has %u.%u "
			"(rebuild the plugin)", path, d->abi_major, d->abi_minor,
			IG_PLUGIN_ABI_MAJOR, IG_PLUGIN_ABI_MINOR);
		goto out_close_dl;
	}
	if (!d->init || !d->start || !d->fds || !d->destroy || !d->name) {
		ig_warn("plugin %s refused: descriptor lacks name, init, start, fds or destroy",
			path);
		goto out_close_dl;
	}
	pl->desc = d;
	return pl;

out_close_dl:
	dlclose(pl->dl);
out_free_plugin:
	free(pl);
	return NULL;
}

static int load_dir(struct ctr_plugins *ps, const char *dir)
{
	struct dirent **names;
	int n;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		const char *f = names[i]->d_name;
		size_t len = strlen(f);
		struct ctr_plugin *pl, **tmp;

		if (len > 3 && !strcmp(f + len - 3, ".so") &&
		    (pl = load_one(ps, dir, f))) {
			tmp = realloc(ps->v, (ps->nr + 1) * sizeof(*tmp));
			if (tmp) {
				ps->v = tmp;
				ps->v[ps->nr++] = pl;
			} else {
				dlclose(pl->dl);
				free(pl);
			}
		}
		free(names[i]);
	}
	free(names);
	return 0;
}

static void load_defaults(struct ctr_plugins *ps)
{
	char exe[PATH_MAX], *slash;
	const char *env = getenv("IG_PLUGIN_PATH");
	ssize_t n;

	if (env && *env) {
		char *copy = strdup(env), *save = NULL;
		int found = 0;

		for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d;
		     d = strtok_r(NULL, ":", &save))
			found += !load_dir(ps, d);
		free(copy);
		if (found)
			return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - sizeof("/../lib/ig/plugins"));
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			strcpy(slash, "/plugins");
			if (!load_dir(ps, exe))
				return;
			/* installed under any prefix: PREFIX/bin/ig, PREFIX/lib/ig/plugins */
			strcpy(slash, "/../lib/ig/plugins");
			if (!load_dir(ps, exe))
				return;
		}
	}
	load_dir(ps, IG_LIBDIR "/plugins");
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
		if (load_dir(ps, opts->dir))
			ig_warn("plugin directory %s: %s", opts->dir, strerror(errno));
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
