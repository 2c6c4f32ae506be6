// SPDX-License-Identifier: Apache-2.0
/*
 * `ig run`: load the gadget, set up the target (command, containers or the
 * host), init and attach the gadget, run the event loop, then stop, report
 * and tear down in reverse order.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "core/base/file.h"
#include "core/base/log.h"
#include "core/containers/table.h"
#include "core/containers/births.h"
#include "core/containers/summary.h"
#include "core/engine/filter.h"
#include "core/engine/hooks.h"
#include "core/engine/kfeat.h"
#include "core/engine/loader.h"
#include "core/engine/params.h"
#include "core/engine/ring.h"
#include "core/engine/sys.h"
#include "loop.h"
#include "run.h"
#include "run_state.h"
#include "runs.h"
#include "sink.h"
#include "status.h"

static int64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/*
 * The wall clock minus the boot clock. A preemption between two reads would
 * skew every converted time by its length (8 ms seen under CI load), so the
 * wall clock is read between two boot clock reads, and of a few tries the
 * tightest pair counts.
 */
static int64_t boot_to_wall(void)
{
	int64_t best = 0, gap = INT64_MAX;

	for (int i = 0; i < 5; i++) {
		int64_t b1 = clock_ns(CLOCK_BOOTTIME), w = clock_ns(CLOCK_REALTIME),
			b2 = clock_ns(CLOCK_BOOTTIME);

		if (b2 - b1 < gap) {
			gap = b2 - b1;
			best = w - (b1 + gap / 2);
		}
	}
	return best;
}

static void print_run_help(struct ig_run *run)
{
	const struct ig_gadget_desc *d = run->eng.mod->desc;
	size_t i;

	printf("Usage: ig run %s [flags] [-- COMMAND [ARGS...]]\n\n%s\n", d->name,
	       d->summary ? d->summary : "");
	if (d->description)
		printf("\n%s\n", d->description);
	printf("\nKind: %s%s%s   Version: %s   File: %s\n\n",
	       d->kind & IG_KIND_TRACE ? "trace" : "",
	       (d->kind & IG_KIND_TRACE) && (d->kind & IG_KIND_ADVISE) ? "+" : "",
	       d->kind & IG_KIND_ADVISE ? "advise" : "", d->version ? d->version : "?",
	       run->eng.mod->path);
	ig_params__help(run->eng.mod->params, run->eng.mod->nr_params, stdout);
	printf("\nFields (* = shown by default; --fields a,b or +x,-y):\n");
	for (i = 0; i < run->enrich.nr_fields; i++) {
		const struct ig_field *f = &run->enrich.fields[i];

		printf("  %c %-28s %s\n", f->flags & IG_FIELD_HIDDEN ? ' ' : '*', f->name,
		       f->description ? f->description : "");
	}
	printf("\n");
	ig_run_args__global_help(stdout);
}

/* Container callbacks: forwarded to the gadget once it is initialised;
 * containers known before that are replayed right after init(). */
static void on_container_added(void *arg, const struct ig_container *c)
{
	struct ig_run *run = arg;

	if (run->gadget_ready && run->eng.mod->desc->container_added)
		run->eng.mod->desc->container_added(run->state, c);
}

static void on_container_removed(void *arg, const struct ig_container *c)
{
	struct ig_run *run = arg;

	if (!run->gadget_ready)
		return;
	/* Records of the container's last moments come first; bounded, so
	 * a ring that never runs dry cannot hold the removal back. */
	ig_loop__drain_all(run);
	if (run->eng.mod->desc->container_removed)
		run->eng.mod->desc->container_removed(run->state, c);
}

static int replay_container(void *arg, const struct ig_container *c)
{
	if (!(c->flags & IG_CONTAINER_REMOVED))
		on_container_added(arg, c);
	return 0;
}

static int setup_output(struct ig_run *run)
{
	struct ig_output_opts oo = { .sz = sizeof(oo) };
	char err[512] = "";
	struct winsize ws;

	if (ig_output_format__parse(run->opts.output, &run->fmt, err, sizeof(err))) {
		ig_err("%s", err);
		return IG_EXIT_USAGE;
	}
	oo.format = run->fmt;
	oo.out = stdout;
	if (run->opts.output_file) {
		/* as `strace -o`: the command keeps stdout, the records go here
		 * (opened now, so a bad path fails before anything runs; a FIFO
		 * without a reader is refused rather than waited for) */
		run->out_fd = open(run->opts.output_file,
				   O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK, 0644);
		if (run->out_fd < 0) {
			ig_err("--output-file %s: %s", run->opts.output_file, strerror(errno));
			return 1;
		}
	}
	ig_sink__open(run, &oo);
	oo.tty = isatty(run->out_fd);
	oo.term_width = oo.tty && !ioctl(run->out_fd, TIOCGWINSZ, &ws) && ws.ws_col ?
			ws.ws_col : 80;
	oo.fields = run->opts.fields;
	oo.boot_to_wall_ns = run->eng.boot_to_wall;
	run->out = ig_output__new(run->enrich.fields, run->enrich.nr_fields, &oo, err,
				  sizeof(err));
	if (!run->out) {
		ig_err("%s", err[0] ? err : strerror(errno));
		return errno == EINVAL ? IG_EXIT_USAGE : 1;
	}
	return 0;
}

/* Before a container birth is decided (births.h). */
static void drain_rings(void *arg)
{
	struct ig_run *run = arg;

	if (run->gadget_ready)
		ig_loop__drain_all(run);
}

static int setup_containers(struct ig_run *run)
{
	const struct ig_gadget_desc *d = run->eng.mod->desc;
	struct ig_containers_opts co = { .sz = sizeof(co) };
	int fds[32], n, i, err;

	co.runtime_roots = run->opts.nr_runtime_roots ? run->opts.runtime_roots : NULL;
	co.selector = run->opts.containers;
	co.host = run->eng.target == IG_TARGET_HOST;
	/* With a command only for a gadget that names what the command talks
	 * to (IG_KIND_PEERS, or built before ABI 1.6 could say so). */
	co.discover = run->eng.target != IG_TARGET_COMMAND || (d->kind & IG_KIND_PEERS) ||
		      d->abi_minor < 6;
	if (!co.discover)
		ig_dbg("command mode: %s names no container, none followed", d->name);
	co.verbose = ig_verbose;
	co.on_added = on_container_added;
	co.on_removed = on_container_removed;
	co.cb_arg = run;
	run->eng.cs = ig_containers__new(&co);
	if (!run->eng.cs) {
		ig_err("cannot set up container tracking: %s", strerror(errno));
		return -errno;
	}
	if (run->eng.target == IG_TARGET_CONTAINERS) {
		err = ig_containers__set_filter_map(run->eng.cs,
				ig_filter__map_fd(run->eng.filter, IG_FILTER_MAP_MNTNS));
		if (err) {
			ig_err("cannot set up the container filter: %s", strerror(-err));
			return err;
		}
	}
	/* Births: containers recorded from their first instruction, named
	 * when ig knows them; records of one not named yet wait for it. */
	if (run->eng.target != IG_TARGET_COMMAND && ig_filter__births_fd(run->eng.filter) >= 0) {
		err = ig_containers__set_births(run->eng.cs,
						ig_filter__births_fd(run->eng.filter));
		if (err) {
			ig_err("cannot follow container births: %s", strerror(-err));
			return err;
		}
		ctr_births__set_hold(ig_containers__births(run->eng.cs), run->enrich.fields,
				     run->enrich.nr_gadget,
				     run->enrich.by_netns ? -1 : run->enrich.ns_idx,
				     ig_sink__record_now, drain_rings, run);
	}
	err = ig_containers__start(run->eng.cs);
	if (err) {
		ig_err("cannot start container tracking: %s", strerror(-err));
		return err;
	}
	n = ig_containers__fds(run->eng.cs, fds, (int)IG_ARRAY_SIZE(fds));
	for (i = 0; i < n; i++) {
		err = ig_loop__add(run->epfd, fds[i], TAG_CONTAINER);
		if (err)
			return err;
	}
	return 0;
}

static int load_gadget(struct ig_run *run, int argc, char **argv)
{
	char err[512], names[1024];
	struct ig_gadget_mod *m;
	int ret;

	ret = ig_run_args__scan(argc, argv, &run->opts);
	if (ret)
		return ret;
	if (!run->opts.gadget) {
		if (run->opts.help) {
			printf("Usage: ig run GADGET [gadget flags] [global flags] "
			       "[-- COMMAND [ARGS...]]\n\n");
			ig_run_args__global_help(stdout);
			return -1;
		}
		ig_err("which gadget? usage: ig run GADGET [flags]; 'ig list' shows them");
		return IG_EXIT_USAGE;
	}
	m = run->eng.mod = ig_loader__find(run->opts.gadget, run->opts.gadget_path);
	if (!m) {
		ig_loader__names(run->opts.gadget_path, names, sizeof(names));
		ig_err("unknown gadget '%s' (valid: %s)", run->opts.gadget, names);
		return IG_EXIT_USAGE;
	}
	run->eng.params = ig_params__new(m->params, m->nr_params, err, sizeof(err));
	if (!run->eng.params) {
		ig_err("gadget %s: %s", m->path, err);
		return 1;
	}
	if (ig_enrich__init(&run->enrich, m->fields, m->nr_fields))
		return 1;
	return ig_run_args__parse(argc, argv, &run->opts, run->eng.params, m->params,
				  m->nr_params);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1e3 + (now.tv_nsec - t0->tv_nsec) / 1e6;
}

static int choose_target(struct ig_run *run)
{
	if (run->opts.command && (run->opts.host || run->opts.containers)) {
		ig_err("-- COMMAND cannot be combined with --host or -c: "
		       "the command is the target");
		return IG_EXIT_USAGE;
	}
	if (run->opts.host && run->opts.containers) {
		ig_err("--host traces everything and -c selects containers: use one of them");
		return IG_EXIT_USAGE;
	}
	if (run->opts.runs && !run->opts.command) {
		ig_err("--runs %u runs a command that many times: give it after '--'",
		       run->opts.runs);
		return IG_EXIT_USAGE;
	}
	run->eng.target = run->opts.command ? IG_TARGET_COMMAND :
			  run->opts.host ? IG_TARGET_HOST : IG_TARGET_CONTAINERS;
	return 0;
}

/* The attach points this kernel gives the gadget; one line and exit 1 when
 * it lacks what one of them needs (the same line ig doctor shows). */
static int choose_hooks(struct ig_run *run)
{
	const struct ig_gadget_mod *m = run->eng.mod;
	struct utsname u;

	if (ig_kfeat__init())
		return IG_EXIT_USAGE;
	if (ig_hooks__plan(m->hooks, m->nr_hooks, &run->eng.plan))
		return 1;
	if (!run->eng.plan.missing)
		return 0;
	uname(&u);
	ig_err("%s cannot run on this kernel (%s): %s", m->desc->name, u.release,
	       run->eng.plan.missing);
	return 1;
}

/* The gadget's init() and what follows it, up to the released command. */
static int start_gadget(struct ig_run *run)
{
	int ret;

	run->eng.sink = (struct ig_host_sink){
		.record = ig_sink__record,
		.document = ig_sink__document,
		.watch_rings = ig_loop__watch_rings,
		.end_run = ig_runs__end,
		.arg = run,
	};
	ig_host__setup(&run->eng);
	ret = run->eng.mod->desc->init(&run->eng.host, &run->state);
	if (ret) {
		/* The gadget should have said why; if it did not, say something. */
		if (!run->eng.gadget_errors)
			ig_err("gadget %s failed to start: %s; run with -v for details",
			       run->eng.mod->desc->name, strerror(ret < 0 ? -ret : ret));
		return 1;
	}
	run->gadget_ready = true;
	ig_containers__foreach(run->eng.cs, replay_container, run);
	if (run->opts.ready_file && ig_file__write_ready(run->opts.ready_file))
		return 1;
	return run->has_cmd ? ig_runs__release(run) : 0;
}

/* Everything up to a running gadget. Returns 0, an exit code > 0, or -1
 * for "done, exit 0" (help). */
static int start(struct ig_run *run, int argc, char **argv)
{
	char err[512];
	struct timespec t0;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = load_gadget(run, argc, argv);
	if (ret)
		return ret;
	if (run->opts.help) {
		print_run_help(run);
		return -1;
	}
	ret = choose_target(run);
	if (ret)
		return ret;
	/* Where results go is checked before anything is recorded. */
	if (ig_params__check_dirs(run->eng.params, err, sizeof(err))) {
		ig_err("%s", err);
		return IG_EXIT_USAGE;
	}
	run->eng.boot_to_wall = boot_to_wall();
	ret = setup_output(run);
	if (ret)
		return ret;
	if (ig_sys__preflight())
		return 1;
	run->epfd = epoll_create1(EPOLL_CLOEXEC);
	run->eng.rings = ig_rings__new();
	if (run->epfd < 0 || !run->eng.rings)
		return 1;
	run->eng.filter = ig_filter__open(run->eng.target);
	if (!run->eng.filter)
		return 1;
	ig_dbg("core filter loaded at %.1f ms", ms_since(&t0));
	/* after the core's own BPF: a kernel without bpf() or with it refused
	 * is said so there, not as a missing attach point */
	ret = choose_hooks(run);
	if (ret)
		return ret;
	if (setup_containers(run))
		return 1;
	ig_dbg("container tracking started at %.1f ms", ms_since(&t0));
	if (run->eng.target == IG_TARGET_COMMAND && ig_runs__start(run))
		return 1;
	ret = start_gadget(run);
	if (!ret)
		ig_info("%s (%s) running %.1f ms after start", run->eng.mod->desc->name,
			run->eng.mod->path, ms_since(&t0));
	return ret;
}

static void teardown(struct ig_run *run)
{
	/* The ring reader maps the gadget's rings: gone before the gadget. */
	ig_rings__free(run->eng.rings);
	run->eng.rings = NULL;	/* a ring_drain() from destroy() finds none */
	if (run->eng.mod)
		run->eng.mod->desc->destroy(run->state);
	ig_containers__destroy(run->eng.cs);
	ig_filter__destroy(run->eng.filter);
	if (run->has_cmd) {
		ig_command__abort(&run->cmd);
		ig_command__fini(&run->cmd);
	}
	ig_output__destroy(run->out);
	ig_sink__close(run);
	if (run->out_fd != STDOUT_FILENO && run->out_fd >= 0 && close(run->out_fd) &&
	    !run->out_error) {
		ig_err("--output-file %s: %s", run->opts.output_file, strerror(errno));
		run->out_error = EIO;
	}
	run->out_fd = STDOUT_FILENO;
	ig_enrich__fini(&run->enrich);
	ig_params__destroy(run->eng.params);
	ig_host__fini(&run->eng);
	ig_hooks__plan_free(&run->eng.plan);
	ig_gadget_mod__close(run->eng.mod);
	ig_run_args__free(&run->opts);
}

int ig_cmd_run(int argc, char **argv)
{
	struct ig_run run = { .epfd = -1, .sig_fd = -1, .tick_fd = -1, .timeout_fd = -1,
			      .out_fd = STDOUT_FILENO };
	sigset_t stop_sigs;
	int ret;

	run.enrich.ns_idx = -1;
	/* Stop signals arrive through a signalfd in the loop, and a broken
	 * stdout shows as EPIPE rather than killing ig mid-report. */
	sigemptyset(&stop_sigs);
	sigaddset(&stop_sigs, SIGINT);
	sigaddset(&stop_sigs, SIGTERM);
	sigaddset(&stop_sigs, SIGHUP);	/* a closed terminal: report like Ctrl-C */
	sigaddset(&stop_sigs, SIGCHLD);	/* only read when there is no pidfd */
	sigprocmask(SIG_BLOCK, &stop_sigs, &run.orig_mask);
	signal(SIGPIPE, SIG_IGN);

	ret = start(&run, argc, argv);
	if (!(run.has_cmd && run.cmd.pidfd < 0))
		sigdelset(&stop_sigs, SIGCHLD);
	if (ret == 0 && ig_loop__setup(&run, &stop_sigs)) {
		ig_err("cannot set up the event loop: %s", strerror(errno));
		ret = 1;
	}
	if (ret == 0) {
		ig_status__start(&run);
		ig_loop__run(&run);
		ig_loop__finish(&run);
		if (ig_filter__births_lost(run.eng.filter))
			ig_warn("%llu container starts found the births ring full: those "
				"containers were recorded from when ig found them",
				(unsigned long long)ig_filter__births_lost(run.eng.filter));
		/* -c NAME that matched nothing is a failed run, said in one line. */
		if (run.eng.target == IG_TARGET_CONTAINERS && ig_containers__summary(run.eng.cs))
			ret = 1;
		if (run.out_error)
			ret = 1;
		else if (run.has_cmd && run.cmd.reaped && !run.got_signal && !run.out_broken)
			ret = ig_runs__status(&run);
		/* Incomplete results are not a success, unless asked. */
		if (!ret && run.incomplete && !run.opts.allow_loss)
			ret = IG_EXIT_INCOMPLETE;
	}
	teardown(&run);
	ig_loop__fini(&run);
	if (run.out_error && !ret)
		ret = 1;	/* --output-file could not be closed */
	return ret < 0 ? 0 : ret;
}
