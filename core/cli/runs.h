/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The runs of -- COMMAND (internal): the first is started by run.c before the
 * gadget's init(), the next ones by the event loop when one ends (--runs N).
 */
#ifndef IG_CORE_CLI_RUNS_H
#define IG_CORE_CLI_RUNS_H

#include <stdbool.h>

struct ig_run;

/* Fork the first run, held before its execve; pid filter; loop. 0 or -errno
 * after one error line. */
int ig_runs__start(struct ig_run *run);
/* Let the held run execve: 0, or 127 after one line when it cannot. */
int ig_runs__release(struct ig_run *run);
/* The current run was reaped (its records drained): start the next run and
 * return false, or return true when there is none (the loop stops). */
bool ig_runs__exited(struct ig_run *run);
/* struct ig_host_sink's end_run (arg: the struct ig_run): SIGTERM to the
 * current run, or stop ig when there is no command running. */
void ig_runs__end(void *run);
/* What ig exits with for its runs: the first failed run's status, else 0. */
int ig_runs__status(const struct ig_run *run);

#endif /* IG_CORE_CLI_RUNS_H */
