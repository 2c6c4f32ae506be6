// SPDX-License-Identifier: Apache-2.0
/*
 * `ig run`: load the gadget, set up the target (command, containers or the
 * host), init and attach the gadget, run the event loop, then stop, report
 * and tear down in reverse order.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/engine/filter.skel.h"
#include "core/engine/kbtf.h"
#include "core/base/log.h"
#include "run.h"

static int64_t boot_to_wall(void)
{
	struct timespec rt, bt;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	return ((int64_t)rt.tv_sec - bt.tv_sec) * 1000000000ll + (rt.tv_nsec - bt.tv_nsec);
}

static void print_run_help(struct ig_host_ctx *ctx)
{
	const struct ig_gadget_desc *d = ctx->mod->desc;
	size_t i;

	printf("Usage: ig run %s [flags] [-- COMMAND [ARGS...]]\n\n%s\n", d->name,
	       d->summary ? d->summary : "");
	if (d->description)
		printf("\n%s\n", d->description);
	printf("\nKind: %s%s%s   Version: %s   File: %s\n\n",
	       d->kind & IG_KIND_TRACE ? "trace" : "",
	       (d->kind & IG_KIND_TRACE) && (d->kind & IG_KIND_ADVISE) ? "+" : "",
	       d->kind & IG_KIND_ADVISE ? "advise" : "", d->version ? d->version : "?",
	       ctx->mod->path);
	ig_params__help(ctx->mod->params, ctx->mod->nr_params, stdout);
	printf("\nFields (* = shown by default; --fields a,b or +x,-y):\n");
	for (i = 0; i < ctx->enrich.nr_fields; i++) {
		const struct ig_field *f = &ctx->enrich.fields[i];

		printf("  %c %-28s %s\n", f->flags & IG_FIELD_HIDDEN ? ' ' : '*', f->name,
		       f->description ? f->description : "");
	}
	printf("\n");
	ig_cli__global_help(stdout);
}

/* Container callbacks: forwarded to the gadget once it is initialised;
 * containers known before that are replayed right after init(). */
static void on_container_added(void *arg, const struct ig_container *c)
{
	struct ig_host_ctx *ctx = arg;

	if (ctx->gadget_ready && ctx->mod->desc->container_added)
		ctx->mod->desc->container_added(ctx->state, c);
}

static void on_container_removed(void *arg, const struct ig_container *c)
{
	struct ig_host_ctx *ctx = arg;

	if (!ctx->gadget_ready)
		return;
	/* Records of the container's last moments come first; bounded, so
	 * a ring that never runs dry cannot hold the removal back. */
	ig_loop__drain_all(ctx);
	if (ctx->mod->desc->container_removed)
		ctx->mod->desc->container_removed(ctx->state, c);
}

static int replay_container(void *arg, const struct ig_container *c)
{
	if (!(c->flags & IG_CONTAINER_REMOVED))
		on_container_added(arg, c);
	return 0;
}

static int setup_output(struct ig_host_ctx *ctx)
{
	struct ig_output_opts oo = { .sz = sizeof(oo) };
	char err[512] = "";
	struct winsize ws;

	if (ig_output_format__parse(ctx->opts.output, &ctx->fmt, err, sizeof(err))) {
		ig_err("%s", err);
		return IG_EXIT_USAGE;
	}
	oo.format = ctx->fmt;
	oo.out = stdout;
	oo.tty = isatty(STDOUT_FILENO);
	oo.term_width = oo.tty && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col ?
			ws.ws_col : 80;
	oo.fields = ctx->opts.fields;
	oo.boot_to_wall_ns = ctx->boot_to_wall;
	ctx->out = ig_output__new(ctx->enrich.fields, ctx->enrich.nr_fields, &oo, err,
				  sizeof(err));
	if (!ctx->out) {
		ig_err("%s", err[0] ? err : strerror(errno));
		return errno == EINVAL ? IG_EXIT_USAGE : 1;
	}
	return 0;
}

/* The kernel struct layout the command-tree follower reads (raw pointers,
 * no CO-RE: see core/engine/filter.bpf.c). */
static int set_layout(struct filter_bpf *filter)
{
	struct ig_kbtf_member q[] = {
		{ "task_struct", "tgid" },
		{ "task_struct", "signal" },
		{ "signal_struct", "live" },
	};
	size_t i;
	int err = ig_kbtf__member_offsets(q, IG_ARRAY_SIZE(q));

	if (err) {
		for (i = 0; i + 1 < IG_ARRAY_SIZE(q) && q[i].off >= 0; i++)
			;
		ig_err("cannot find %s.%s in the kernel's BTF: %s", q[i].strct, q[i].member,
		       strerror(-err));
		return err;
	}
	filter->rodata->task_tgid_off = (__u32)q[0].off;
	filter->rodata->task_signal_off = (__u32)q[1].off;
	filter->rodata->signal_live_off = (__u32)q[2].off;
	return 0;
}

/* The core's BPF object: the filter maps, and the fork follower in command
 * mode. */
static int setup_filter(struct ig_host_ctx *ctx)
{
	int err;

	ctx->filter = filter_bpf__open();
	if (!ctx->filter) {
		err = -errno;
		goto err_explain;
	}
	if (ctx->target != IG_TARGET_COMMAND) {
		bpf_program__set_autoload(ctx->filter->progs.ig_follow_fork, false);
		bpf_program__set_autoload(ctx->filter->progs.ig_forget_exit, false);
	} else {
		err = set_layout(ctx->filter);
		if (err)
			return err;
	}
	err = filter_bpf__load(ctx->filter);
	if (err)
		goto err_explain;
	if (ctx->target == IG_TARGET_COMMAND) {
		err = filter_bpf__attach(ctx->filter);
		if (err)
			goto err_explain;
	}
	return 0;

err_explain:
	ig_sys__explain_bpf_error(err);
	return err;
}

static int setup_containers(struct ig_host_ctx *ctx)
{
	struct ig_containers_opts co = { .sz = sizeof(co) };
	int fds[32], n, i, err;

	co.runtime_roots = ctx->opts.nr_runtime_roots ? ctx->opts.runtime_roots : NULL;
	co.selector = ctx->opts.containers;
	co.host = ctx->target == IG_TARGET_HOST;
	/* Also with a command: it is the target, but what it talks to may be
	 * containers that advisors name (network-policy-advisor's peers). */
	co.discover = true;
	co.verbose = ig_verbose;
	co.on_added = on_container_added;
	co.on_removed = on_container_removed;
	co.cb_arg = ctx;
	ctx->cs = ig_containers__new(&co);
	if (!ctx->cs) {
		ig_err("cannot set up container tracking: %s", strerror(errno));
		return -errno;
	}
	if (ctx->target == IG_TARGET_CONTAINERS) {
		err = ig_containers__set_filter_map(ctx->cs,
				bpf_map__fd(ctx->filter->maps.ig_mntns_filter));
		if (err) {
			ig_err("cannot set up the container filter: %s", strerror(-err));
			return err;
		}
	}
	err = ig_containers__start(ctx->cs);
	if (err) {
		ig_err("cannot start container tracking: %s", strerror(-err));
		return err;
	}
	n = ig_containers__fds(ctx->cs, fds, (int)IG_ARRAY_SIZE(fds));
	for (i = 0; i < n; i++) {
		err = ig_loop__add(ctx->epfd, fds[i], TAG_CONTAINER);
		if (err)
			return err;
	}
	return 0;
}

static int setup_command(struct ig_host_ctx *ctx, const sigset_t *orig_mask)
{
	uint32_t pid;
	uint8_t one = 1;
	int err;

	err = ig_command__spawn(&ctx->cmd, ctx->opts.command, orig_mask);
	if (err) {
		ig_err("cannot start '%s': %s", ctx->opts.command[0], strerror(-err));
		return err;
	}
	ctx->has_cmd = true;
	pid = (uint32_t)ctx->cmd.pid;
	if (bpf_map_update_elem(bpf_map__fd(ctx->filter->maps.ig_pid_filter), &pid, &one,
				BPF_ANY)) {
		err = -errno;
		ig_err("cannot register the command in the pid filter: %s", strerror(-err));
		return err;
	}
	return ctx->cmd.pidfd >= 0 ? ig_loop__add(ctx->epfd, ctx->cmd.pidfd, TAG_CMD) : 0;
}

/* --ready-file: written whole (rename) so a reader never sees half a pid. */
static int write_ready_file(const char *path)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid());
	f = fopen(tmp, "we");
	if (!f)
		goto err;
	fprintf(f, "%d\n", (int)getpid());
	if (fclose(f) || rename(tmp, path))
		goto err;
	return 0;
err:
	ig_err("cannot write --ready-file %s: %s", path, strerror(errno));
	unlink(tmp);
	return -errno;
}

static int load_gadget(struct ig_host_ctx *ctx, int argc, char **argv)
{
	char err[512], names[1024];
	int ret;

	ret = ig_cli__scan(argc, argv, &ctx->opts);
	if (ret)
		return ret;
	if (!ctx->opts.gadget) {
		if (ctx->opts.help) {
			printf("Usage: ig run GADGET [gadget flags] [global flags] "
			       "[-- COMMAND [ARGS...]]\n\n");
			ig_cli__global_help(stdout);
			return -1;
		}
		ig_err("which gadget? usage: ig run GADGET [flags]; 'ig list' shows them");
		return IG_EXIT_USAGE;
	}
	ctx->mod = ig_loader__find(ctx->opts.gadget, ctx->opts.gadget_path);
	if (!ctx->mod) {
		ig_loader__names(ctx->opts.gadget_path, names, sizeof(names));
		ig_err("unknown gadget '%s' (valid: %s)", ctx->opts.gadget, names);
		return IG_EXIT_USAGE;
	}
	ctx->params = ig_params__new(ctx->mod->params, ctx->mod->nr_params, err, sizeof(err));
	if (!ctx->params) {
		ig_err("gadget %s: %s", ctx->mod->path, err);
		return 1;
	}
	if (ig_enrich__init(&ctx->enrich, ctx->mod->fields, ctx->mod->nr_fields))
		return 1;
	return ig_cli__parse(argc, argv, &ctx->opts, ctx->params, ctx->mod->params,
			     ctx->mod->nr_params);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1e3 + (now.tv_nsec - t0->tv_nsec) / 1e6;
}

static int choose_target(struct ig_host_ctx *ctx)
{
	if (ctx->opts.command && (ctx->opts.host || ctx->opts.containers)) {
		ig_err("-- COMMAND cannot be combined with --host or -c: "
		       "the command is the target");
		return IG_EXIT_USAGE;
	}
	if (ctx->opts.host && ctx->opts.containers) {
		ig_err("--host traces everything and -c selects containers: use one of them");
		return IG_EXIT_USAGE;
	}
	ctx->target = ctx->opts.command ? IG_TARGET_COMMAND :
		      ctx->opts.host ? IG_TARGET_HOST : IG_TARGET_CONTAINERS;
	return 0;
}

/* The gadget's init() and what follows it, up to the released command. */
static int start_gadget(struct ig_host_ctx *ctx)
{
	int ret;

	ig_host__setup(ctx);
	ret = ctx->mod->desc->init(&ctx->host, &ctx->state);
	if (ret) {
		/* The gadget should have said why; if it did not, say something. */
		if (!ctx->gadget_errors)
			ig_err("gadget %s failed to start: %s; run with -v for details",
			       ctx->mod->desc->name, strerror(ret < 0 ? -ret : ret));
		return 1;
	}
	ctx->gadget_ready = true;
	ig_containers__foreach(ctx->cs, replay_container, ctx);
	if (ctx->opts.ready_file && write_ready_file(ctx->opts.ready_file))
		return 1;
	if (ctx->has_cmd) {
		ret = ig_command__release(&ctx->cmd);
		if (ret) {
			ig_err("cannot run '%s': %s", ctx->opts.command[0], strerror(-ret));
			return 127;
		}
	}
	return 0;
}

/* Everything up to a running gadget. Returns 0, an exit code > 0, or -1
 * for "done, exit 0" (help). */
static int start(struct ig_host_ctx *ctx, int argc, char **argv, const sigset_t *orig_mask)
{
	struct timespec t0;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = load_gadget(ctx, argc, argv);
	if (ret)
		return ret;
	if (ctx->opts.help) {
		print_run_help(ctx);
		return -1;
	}
	ret = choose_target(ctx);
	if (ret)
		return ret;
	ctx->boot_to_wall = boot_to_wall();
	ret = setup_output(ctx);
	if (ret)
		return ret;
	if (ig_sys__preflight())
		return 1;
	ctx->epfd = epoll_create1(EPOLL_CLOEXEC);
	ctx->rings = ig_rings__new();
	if (ctx->epfd < 0 || !ctx->rings)
		return 1;
	if (setup_filter(ctx))
		return 1;
	ig_dbg("core filter loaded at %.1f ms", ms_since(&t0));
	if (setup_containers(ctx))
		return 1;
	ig_dbg("container tracking started at %.1f ms", ms_since(&t0));
	if (ctx->target == IG_TARGET_COMMAND && setup_command(ctx, orig_mask))
		return 1;
	ret = start_gadget(ctx);
	if (!ret)
		ig_info("%s (%s) running %.1f ms after start", ctx->mod->desc->name,
			ctx->mod->path, ms_since(&t0));
	return ret;
}

static void teardown(struct ig_host_ctx *ctx)
{
	/* The ring reader maps the gadget's rings: gone before the gadget. */
	ig_rings__free(ctx->rings);
	ctx->rings = NULL;	/* a ring_drain() from destroy() finds none */
	if (ctx->mod)
		ctx->mod->desc->destroy(ctx->state);
	ig_containers__destroy(ctx->cs);
	filter_bpf__destroy(ctx->filter);
	if (ctx->has_cmd) {
		ig_command__abort(&ctx->cmd);
		ig_command__fini(&ctx->cmd);
	}
	ig_output__destroy(ctx->out);
	ig_enrich__fini(&ctx->enrich);
	ig_params__destroy(ctx->params);
	ig_gadget_mod__close(ctx->mod);
	ig_cli__free(&ctx->opts);
}

int ig_cmd_run(int argc, char **argv)
{
	struct ig_host_ctx ctx = { .epfd = -1, .sig_fd = -1, .tick_fd = -1, .timeout_fd = -1 };
	sigset_t stop_sigs, orig_mask;
	int ret;

	ctx.enrich.ns_idx = -1;
	/* Stop signals arrive through a signalfd in the loop, and a broken
	 * stdout shows as EPIPE rather than killing ig mid-report. */
	sigemptyset(&stop_sigs);
	sigaddset(&stop_sigs, SIGINT);
	sigaddset(&stop_sigs, SIGTERM);
	sigaddset(&stop_sigs, SIGCHLD);	/* only read when there is no pidfd */
	sigprocmask(SIG_BLOCK, &stop_sigs, &orig_mask);
	signal(SIGPIPE, SIG_IGN);

	ret = start(&ctx, argc, argv, &orig_mask);
	if (!(ctx.has_cmd && ctx.cmd.pidfd < 0))
		sigdelset(&stop_sigs, SIGCHLD);
	if (ret == 0 && ig_loop__setup(&ctx, &stop_sigs)) {
		ig_err("cannot set up the event loop: %s", strerror(errno));
		ret = 1;
	}
	if (ret == 0) {
		ig_status__start(&ctx);
		ig_loop__run(&ctx);
		ig_loop__finish(&ctx);
		if (ctx.out_error)
			ret = 1;
		else if (ctx.has_cmd && ctx.cmd.reaped && !ctx.got_signal && !ctx.out_broken)
			ret = ctx.cmd.status;
	}
	teardown(&ctx);
	ig_loop__fini(&ctx);
	return ret < 0 ? 0 : ret;
}
