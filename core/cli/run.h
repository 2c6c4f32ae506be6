/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One `ig run` (internal): the state behind struct ig_host_ctx, shared by
 * run.c (set-up, event loop, tear-down) and host.c (the services a gadget
 * calls). Single-threaded.
 */
#ifndef IG_CORE_RUN_H
#define IG_CORE_RUN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <ig/gadget.h>

#include "output/output.h"
#include "run_args.h"
#include "command.h"
#include "core/containers/table.h"
#include "core/engine/enrich.h"
#include "core/engine/loader.h"
#include "core/engine/params.h"
#include "core/engine/ring.h"

struct filter_bpf;

struct ig_host_ctx {
	struct ig_run_opts opts;
	struct ig_gadget_mod *mod;
	struct ig_params *params;
	struct ig_host host;
	void *state;			/* the gadget's */
	bool gadget_ready;		/* init() returned 0 */

	enum ig_target_mode target;
	struct filter_bpf *filter;
	struct ig_containers *cs;
	struct ig_rings *rings;
	bool rings_polled;		/* ring epoll fd is in the loop */

	struct ig_output *out;
	enum ig_output_format fmt;
	struct ig_enrich enrich;

	int epfd;
	int sig_fd, tick_fd, timeout_fd;	/* loop.c's */
	struct ig_command cmd;
	bool has_cmd;

	bool stopping;
	bool out_broken;		/* nothing can be written any more */
	int out_error;			/* first write error other than EPIPE */
	bool got_signal;
	int64_t boot_to_wall;		/* CLOCK_REALTIME - CLOCK_BOOTTIME, ns */
	unsigned int gadget_errors;	/* IG_LOG_ERROR lines the gadget logged */
	uint64_t records;
	uint64_t lost_extra;		/* host->add_lost() */
	uint64_t progress;		/* host->set_progress() */
	char progress_what[32];
};

/* What an fd in the event loop is (loop.c). */
enum ig_loop_tag {
	TAG_SIGNAL = 1, TAG_TICK, TAG_TIMEOUT, TAG_CMD, TAG_RING, TAG_CONTAINER,
};
int ig_loop__add(int epfd, int fd, enum ig_loop_tag tag);
/* signalfd for stop_sigs, the drain tick, the --timeout timer. */
int ig_loop__setup(struct ig_host_ctx *ctx, const sigset_t *stop_sigs);
/* Close what ig_loop__setup() and the run opened for the loop; -1 ok. */
void ig_loop__fini(struct ig_host_ctx *ctx);
/* Until something stops the run. */
void ig_loop__run(struct ig_host_ctx *ctx);
/* What the rings hold now, bounded (ig_rings__drain), then flush. */
void ig_loop__drain_all(struct ig_host_ctx *ctx);
/* Drain, stop(), drain, report(), drain, lost-events warning. */
void ig_loop__finish(struct ig_host_ctx *ctx);

/* Fill ctx->host with the service table (host.c). */
void ig_host__setup(struct ig_host_ctx *ctx);
/* What an output error means for the run (host.c): EPIPE stops quietly,
 * any other failed write is reported once and stops. Returns err. */
int ig_host__output_result(struct ig_host_ctx *ctx, int err);
/* Emit through enrichment and the formatter (host.c). */
int ig_host__emit(struct ig_host_ctx *ctx, const struct ig_value *vals);
/* Register the ring manager's fd in the event loop if not yet (run.c). */
int ig_run__poll_rings(struct ig_host_ctx *ctx);

/* Live status line on stderr when it is a terminal (status.c). */
void ig_status__start(struct ig_host_ctx *ctx);
void ig_status__tick(struct ig_host_ctx *ctx);
void ig_status__clear(void);

/* Environment checks before any BPF (sys.c): root, BTF, tracefs. Prints
 * one line and returns -errno when ig cannot run. */
int ig_sys__preflight(void);
/* One line for a failed BPF load of the core's own object. */
void ig_sys__explain_bpf_error(int err);


int ig_cmd_run(int argc, char **argv);

#endif /* IG_CORE_RUN_H */
