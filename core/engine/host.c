// SPDX-License-Identifier: Apache-2.0
/*
 * The services a gadget gets through struct ig_host. Every one runs on the
 * main thread, inside a gadget callback or a ring buffer sample callback.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/file.h"
#include "core/base/log.h"
#include "core/base/text.h"
#include "core/containers/table.h"
#include "filter.h"
#include "host.h"
#include "kfeat.h"
#include "loader.h"
#include "params.h"
#include "ring.h"

static void h_log(struct ig_host_ctx *ctx, int level, const char *fmt, ...)
{
	va_list ap;

	if (level == IG_LOG_ERROR)
		ctx->gadget_errors++;
	va_start(ap, fmt);
	ig_vlog_prefix(ctx->mod->desc->name, level, fmt, ap);
	va_end(ap);
}

static const struct ig_param_value *h_param(struct ig_host_ctx *ctx, const char *name)
{
	return ig_params__get(ctx->params, name);
}

static int h_emit(struct ig_host_ctx *ctx, const struct ig_value *vals)
{
	int err;

	if (!vals)
		return -EINVAL;
	err = ctx->sink.record(ctx->sink.arg, vals);
	if (!err)
		ctx->records++;
	return err;
}

static int h_emit_document(struct ig_host_ctx *ctx, void *doc, const struct ig_value *summary)
{
	int err = ctx->sink.document(ctx->sink.arg, doc, summary);

	if (!err)
		ctx->records++;
	return err;
}

static enum ig_target_mode h_target(struct ig_host_ctx *ctx)
{
	return ctx->target;
}

static enum ig_filter_mode h_filter_mode(struct ig_host_ctx *ctx)
{
	switch (ctx->target) {
	case IG_TARGET_COMMAND:
		return IG_FILTER_PID;
	case IG_TARGET_CONTAINERS:
		return IG_FILTER_MNTNS;
	default:
		return IG_FILTER_NONE;
	}
}

static int h_filter_map_fd(struct ig_host_ctx *ctx, enum ig_filter_map which)
{
	return ig_filter__map_fd(ctx->filter, which);
}

static int h_command_pid(struct ig_host_ctx *ctx)
{
	return ctx->command_pid;
}

static const struct ig_container *h_by_mntns(struct ig_host_ctx *ctx, uint64_t mntns)
{
	return ctx->cs ? ig_containers__by_mntns(ctx->cs, mntns) : NULL;
}

static const struct ig_container *h_by_netns(struct ig_host_ctx *ctx, uint64_t netns)
{
	return ctx->cs ? ig_containers__by_netns(ctx->cs, netns) : NULL;
}

static const struct ig_container *h_by_id(struct ig_host_ctx *ctx, const char *id)
{
	return ctx->cs && id ? ig_containers__by_id(ctx->cs, id) : NULL;
}

static int h_foreach(struct ig_host_ctx *ctx, int (*fn)(void *arg, const struct ig_container *c),
		     void *arg)
{
	return ctx->cs ? ig_containers__foreach(ctx->cs, fn, arg) : 0;
}

static bool h_selected(struct ig_host_ctx *ctx, const struct ig_container *c)
{
	if (ctx->target == IG_TARGET_HOST)
		return true;
	return ctx->cs && c ? ig_containers__selected(ctx->cs, c) : false;
}

static int h_ring_add(struct ig_host_ctx *ctx, int ringbuf_map_fd, int lost_map_fd,
		      ig_sample_fn fn, void *cb_ctx)
{
	int err = ig_rings__add(ctx->rings, ringbuf_map_fd, lost_map_fd, fn, cb_ctx);
	int fd = ig_rings__epoll_fd(ctx->rings);

	if (err || ctx->rings_watched || fd < 0)
		return err;
	ctx->rings_watched = true;
	return ctx->sink.watch_rings(ctx->sink.arg, fd);
}

/* Records the samples emit keep their place in the output stream; the loop
 * flushes it as it does after any batch. */
static int h_ring_drain(struct ig_host_ctx *ctx)
{
	return ig_rings__drain(ctx->rings);
}

static void h_set_progress(struct ig_host_ctx *ctx, uint64_t items, const char *what)
{
	ctx->progress = items;
	/* Shown on the terminal's status line. */
	what = what ? what : "items";
	ig_text__sanitize(ctx->progress_what, sizeof(ctx->progress_what), what, strlen(what), 0);
}

static void h_set_status(struct ig_host_ctx *ctx, const char *text)
{
	/* container names in it come from outside: shown on a terminal */
	text = text ? text : "";
	ig_text__sanitize(ctx->status, sizeof(ctx->status), text, strlen(text), 0);
}

static uint32_t h_command_runs(struct ig_host_ctx *ctx)
{
	return ctx->target == IG_TARGET_COMMAND ? ctx->command_runs : 0;
}

static void h_end_run(struct ig_host_ctx *ctx)
{
	if (ctx->sink.end_run)
		ctx->sink.end_run(ctx->sink.arg);
}

static void h_add_lost(struct ig_host_ctx *ctx, uint64_t n)
{
	ctx->lost_extra += n;
}

static uint64_t h_boot_to_wall_ns(struct ig_host_ctx *ctx, uint64_t boot_ns)
{
	return (uint64_t)((int64_t)boot_ns + ctx->boot_to_wall);
}

static char *h_read_file(struct ig_host_ctx *ctx, const char *what, const char *path, size_t max,
			 size_t *len)
{
	char why[256];
	char *buf;
	int saved;

	buf = path ? ig_file__read(path, max, 0, len, why, sizeof(why)) : NULL;
	if (!buf) {
		saved = path ? errno : EINVAL;
		ctx->gadget_errors++;	/* said for the gadget: it need not */
		ig_err("%s %s: %s", what ? what : "file", path ? path : "(none)",
		       path ? why : "no path");
		errno = saved;
	}
	return buf;
}

static bool written_before(struct ig_host_ctx *ctx, const char *path)
{
	for (size_t i = 0; i < ctx->nr_written; i++)
		if (!strcmp(ctx->written[i], path))
			return true;
	return false;
}

/* dir/<safe name><ext>, with -2, -3 ... when this run wrote it already. */
static int unique_path(struct ig_host_ctx *ctx, const char *dir, const char *name,
		       const char *ext, char *path, size_t len)
{
	char base[IG_FILE_SAFE_NAME_MAX + 1];
	unsigned int k;

	ig_file__safe_name(base, sizeof(base), name ? name : "");
	for (k = 1; k < 100000; k++) {
		int n = k == 1 ? snprintf(path, len, "%s/%s%s", dir, base, ext) :
			snprintf(path, len, "%s/%s-%u%s", dir, base, k, ext);

		if (n < 0 || (size_t)n >= len)
			return -ENAMETOOLONG;
		if (!written_before(ctx, path))
			return k;
	}
	return -EEXIST;
}

static int h_write_file(struct ig_host_ctx *ctx, const char *dir, const char *name,
			const char *ext, const void *data, size_t len, char *path,
			size_t path_len)
{
	char why[256], **grown;
	int k, err;

	if (!dir || !path || !path_len)
		return -EINVAL;
	k = unique_path(ctx, dir, name, ext ? ext : "", path, path_len);
	if (k < 0) {
		ctx->gadget_errors++;
		ig_err("cannot name a file for %s in %s: %s", name ? name : "?", dir,
		       strerror(-k));
		return k;
	}
	if (k > 1)
		ig_warn("%s: another result of this run is named '%s' too; this one is written "
			"to %s", ctx->mod->desc->name, name ? name : "", path);
	err = ig_file__write(path, data, len, 0644, IG_FILE_SYNC, why, sizeof(why));
	if (err) {
		ctx->gadget_errors++;
		ig_err("cannot write %s: %s", path, why);
		return err;
	}
	grown = realloc(ctx->written, (ctx->nr_written + 1) * sizeof(*grown));
	if (grown) {
		ctx->written = grown;
		if ((grown[ctx->nr_written] = strdup(path)))
			ctx->nr_written++;
	}
	return 0;
}

void ig_host__fini(struct ig_host_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nr_written; i++)
		free(ctx->written[i]);
	free(ctx->written);
	ctx->written = NULL;
	ctx->nr_written = 0;
}

static int h_hook_chosen(struct ig_host_ctx *ctx, uint32_t idx)
{
	if (idx >= ctx->plan.nr)
		return -EINVAL;
	return ctx->plan.chosen[idx];
}

static int h_kernel_has(struct ig_host_ctx *ctx, uint32_t feature)
{
	return ig_kfeat__has((int)feature);
}

void ig_host__setup(struct ig_host_ctx *ctx)
{
	struct ig_host *h = &ctx->host;

	memset(h, 0, sizeof(*h));
	h->sz = sizeof(*h);
	h->abi_major = IG_GADGET_ABI_MAJOR;
	h->abi_minor = IG_GADGET_ABI_MINOR;
	h->ctx = ctx;
	h->log = h_log;
	h->param = h_param;
	h->emit = h_emit;
	h->emit_document = h_emit_document;
	h->target = h_target;
	h->filter_mode = h_filter_mode;
	h->filter_map_fd = h_filter_map_fd;
	h->command_pid = h_command_pid;
	h->container_by_mntns = h_by_mntns;
	h->container_by_netns = h_by_netns;
	h->container_by_id = h_by_id;
	h->container_foreach = h_foreach;
	h->container_selected = h_selected;
	h->ring_add = h_ring_add;
	h->set_progress = h_set_progress;
	h->add_lost = h_add_lost;
	h->boot_to_wall_ns = h_boot_to_wall_ns;
	h->ring_drain = h_ring_drain;
	h->read_file = h_read_file;
	h->write_file = h_write_file;
	h->set_status = h_set_status;
	h->command_runs = h_command_runs;
	h->end_run = h_end_run;
	h->hook_chosen = h_hook_chosen;
	h->kernel_has = h_kernel_has;
}
