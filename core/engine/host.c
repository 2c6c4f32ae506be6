// SPDX-License-Identifier: Apache-2.0
/*
 * The services a gadget gets through struct ig_host. Every one runs on the
 * main thread, inside a gadget callback or a ring buffer sample callback.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "filter.skel.h"
#include "core/base/log.h"
#include "core/cli/run.h"

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

int ig_host__output_result(struct ig_host_ctx *ctx, int err)
{
	if (!err || ctx->out_broken)
		return err;
	if (err == -EPIPE) {
		/* `ig ... | head`: the reader is gone; stop quietly. */
		ctx->out_broken = true;
		ctx->stopping = true;
		return err;
	}
	if (!ctx->out_error) {
		ig_err("cannot write the output: %s", strerror(-err));
		ctx->out_error = err;
	}
	/* A failed write is sticky (output.h): nothing more can be printed. */
	if (ig_output__flush(ctx->out) < 0) {
		ctx->out_broken = true;
		ctx->stopping = true;
	}
	return err;
}

int ig_host__emit(struct ig_host_ctx *ctx, const struct ig_value *vals)
{
	int err;

	if (ctx->out_broken)
		return -EPIPE;
	ig_status__clear();
	err = ig_output__record(ctx->out, ig_enrich__fill(&ctx->enrich, ctx->cs, vals));
	if (!err)
		ctx->records++;
	return ig_host__output_result(ctx, err);
}

static int h_emit(struct ig_host_ctx *ctx, const struct ig_value *vals)
{
	if (!vals)
		return -EINVAL;
	return ig_host__emit(ctx, vals);
}

static int h_emit_document(struct ig_host_ctx *ctx, void *doc, const struct ig_value *summary)
{
	int err;

	if (ctx->out_broken)
		return -EPIPE;
	if (ctx->fmt == IG_OUT_TABLE && summary)
		return ig_host__emit(ctx, summary);
	if (!doc)
		return -EINVAL;
	ig_status__clear();
	err = ig_output__document(ctx->out, doc);
	if (!err)
		ctx->records++;
	return ig_host__output_result(ctx, err);
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
	if (!ctx->filter)
		return -ENODEV;
	if (which == IG_FILTER_MAP_MNTNS)
		return bpf_map__fd(ctx->filter->maps.ig_mntns_filter);
	if (which == IG_FILTER_MAP_PID)
		return bpf_map__fd(ctx->filter->maps.ig_pid_filter);
	return -EINVAL;
}

static int h_command_pid(struct ig_host_ctx *ctx)
{
	return ctx->has_cmd ? ctx->cmd.pid : 0;
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

	if (err)
		return err;
	return ig_run__poll_rings(ctx);
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
	snprintf(ctx->progress_what, sizeof(ctx->progress_what), "%s", what ? what : "items");
}

static void h_add_lost(struct ig_host_ctx *ctx, uint64_t n)
{
	ctx->lost_extra += n;
}

static uint64_t h_boot_to_wall_ns(struct ig_host_ctx *ctx, uint64_t boot_ns)
{
	return (uint64_t)((int64_t)boot_ns + ctx->boot_to_wall);
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
}
