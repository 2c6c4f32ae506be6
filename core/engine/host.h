/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The services a gadget gets through struct ig_host (internal): the state
 * behind struct ig_host_ctx, one per running gadget, and the table of
 * services that read and change it. Single-threaded: everything runs on the
 * main thread, inside a gadget callback or a ring buffer sample callback.
 *
 * The engine does not know where records go. Whoever runs the gadget (the
 * CLI, core/cli/run.c) hands it a struct ig_host_sink: records and report
 * documents go there, and so does the ring buffer fd to poll once the gadget
 * registered its first ring.
 */
#ifndef IG_CORE_ENGINE_HOST_H
#define IG_CORE_ENGINE_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include <ig/gadget.h>

#include "hooks.h"

struct filter_bpf;
struct ig_containers;
struct ig_gadget_mod;
struct ig_params;
struct ig_rings;

struct ig_host_sink {
	/* One record: the gadget's own values, in field order. 0 or -errno
	 * (-EPIPE: nobody reads any more). */
	int (*record)(void *arg, const struct ig_value *vals);
	/* One report document (a json_t *); summary is NULL or a record to
	 * show instead where only records are shown. 0 or -errno. */
	int (*document)(void *arg, void *doc, const struct ig_value *summary);
	/* The gadget added its first ring buffer: poll fd and consume the
	 * rings (ig_rings__consume) when it is readable. 0 or -errno. */
	int (*watch_rings)(void *arg, int fd);
	/* The gadget called host->end_run(): end the command's current run
	 * (or the run of ig) as --timeout would. */
	void (*end_run)(void *arg);
	void *arg;
};

struct ig_host_ctx {
	struct ig_gadget_mod *mod;
	struct ig_params *params;
	struct ig_host host;		/* what the gadget's init() gets */
	struct ig_host_sink sink;

	enum ig_target_mode target;
	struct filter_bpf *filter;	/* the core's filter maps */
	struct ig_containers *cs;	/* NULL: no container table */
	struct ig_rings *rings;		/* NULL once torn down */
	bool rings_watched;		/* sink.watch_rings() was called */
	int command_pid;		/* the command's pid, 0 without one */
	uint32_t command_runs;		/* --runs N (1 without), 0 without a command */
	int64_t boot_to_wall;		/* CLOCK_REALTIME - CLOCK_BOOTTIME, ns */
	struct ig_hook_plan plan;	/* the attach points chosen (hooks.h) */

	unsigned int gadget_errors;	/* IG_LOG_ERROR lines the gadget logged */
	uint64_t records;		/* records and documents emitted */
	uint64_t lost_extra;		/* host->add_lost() */
	uint64_t progress;		/* host->set_progress() */
	char progress_what[32];
	char **written;			/* host->write_file(): paths of this run */
	size_t nr_written;
	char status[256];		/* host->set_status() */
};

/* Fill ctx->host with the service table; the members above are read when
 * a service is called, so they may be set before or after. */
void ig_host__setup(struct ig_host_ctx *ctx);
/* Free what the services kept (the names of written files). */
void ig_host__fini(struct ig_host_ctx *ctx);

#endif /* IG_CORE_ENGINE_HOST_H */
