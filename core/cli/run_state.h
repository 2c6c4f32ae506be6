/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the CLI holds while a gadget runs (internal; types only), shared by
 * run.c (set-up and tear-down), loop.c (the event loop and the orderly end),
 * sink.c (where records go) and status.c (the status line). In a header of
 * its own, not run.h, so that those files depend on the state and not on
 * run.c, which calls them. The engine's side, the state behind the
 * gadget's struct ig_host, is run->eng. Single-threaded.
 */
#ifndef IG_CORE_CLI_RUN_STATE_H
#define IG_CORE_CLI_RUN_STATE_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "command.h"
#include "core/base/outfd.h"
#include "core/engine/enrich.h"
#include "core/engine/host.h"
#include "output/output.h"
#include "run_args.h"

struct ig_run {
	struct ig_run_opts opts;
	struct ig_host_ctx eng;		/* gadget module, parameters, services */
	void *state;			/* the gadget's */
	bool gadget_ready;		/* init() returned 0 */

	struct ig_output *out;
	int out_fd;			/* --output-file's, else STDOUT_FILENO */
	enum ig_output_format fmt;
	struct ig_enrich enrich;	/* the gadget's fields + container columns */

	int epfd;
	int sig_fd, tick_fd, timeout_fd;	/* loop.c's */
	uint64_t ticks;				/* of tick_fd, for the gadget's tick */
	struct ig_command cmd;		/* the current run of -- COMMAND */
	bool has_cmd;
	sigset_t orig_mask;		/* what each run's signal mask is reset to */
	unsigned int run_index;		/* 0 ... eng.command_runs - 1 (runs.c) */
	bool ended_by_ig;		/* this run got SIGTERM from host->end_run */
	int cmd_status;			/* the first failed run's status, else 0 */

	bool stopping;
	bool out_broken;		/* nothing can be written any more */
	int out_error;			/* first write error other than EPIPE */
	bool got_signal;

	/* stdout and stderr, never blocking (sink.c, core/base/outfd.h) */
	struct ig_outfd out_w, log_w;
	bool out_polled, log_polled;	/* in the epoll set for EPOLLOUT */
	uint64_t dropped;		/* records not written: stdout was full */
	uint64_t said_lost, said_dropped;	/* what the stream said in-band */
	uint64_t unwritten;		/* bytes left when ig stopped waiting */
	bool incomplete;		/* lost, dropped or unwritten: exit 3 */
};

#endif /* IG_CORE_CLI_RUN_STATE_H */
