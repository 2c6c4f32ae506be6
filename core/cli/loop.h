/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The event loop of `ig run` (internal): one epoll on the main thread for stop
 * signals, the drain tick, the timeout, the command's pidfd, the ring buffers
 * and the container table; then the orderly end.
 */
#ifndef IG_CORE_CLI_LOOP_H
#define IG_CORE_CLI_LOOP_H

#include <signal.h>

#include "loop_fd.h"

struct ig_run;

/* struct ig_host_sink's watch_rings (arg: the struct ig_run). */
int ig_loop__watch_rings(void *run, int fd);
/* signalfd for stop_sigs, the drain tick, the --timeout timer. */
int ig_loop__setup(struct ig_run *run, const sigset_t *stop_sigs);
/* Close what ig_loop__setup() and the run opened for the loop; -1 ok. */
void ig_loop__fini(struct ig_run *run);
/* Until something stops the run. */
void ig_loop__run(struct ig_run *run);
/* What the rings hold now, bounded (ig_rings__drain), then flush. */
void ig_loop__drain_all(struct ig_run *run);
/* Drain, stop(), drain, report(), drain, lost-events warning. */
void ig_loop__finish(struct ig_run *run);

#endif /* IG_CORE_CLI_LOOP_H */
