/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `ig run <g> -- COMMAND`: the traced command (internal). It is forked
 * early and held before execve until the gadget is attached, so nothing it
 * does escapes tracing; it keeps ig's stdin, stdout and stderr.
 */
#ifndef IG_CORE_CLI_COMMAND_H
#define IG_CORE_CLI_COMMAND_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

struct ig_command {
	pid_t pid;
	int pidfd;		/* readable when the command exits; -1 without
				 * pidfd_open (then SIGCHLD tells) */
	int release_fd;		/* write end: one byte releases the child */
	int exec_err_fd;	/* read end: errno from a failed execvp, EOF on success */
	bool reaped;
	int status;		/* exit code, 128+sig when killed */
};

/* Fork the held child. orig_mask is the signal mask to restore in it. */
int ig_command__spawn(struct ig_command *c, char *const argv[], const sigset_t *orig_mask);
/* Let it execve. Returns 0, or -errno if execvp failed (the child is reaped,
 * status 127). */
int ig_command__release(struct ig_command *c);
/* The pidfd fired: collect the status. Returns 0 once reaped. */
int ig_command__reap(struct ig_command *c);
/* SIGCHLD arrived (no pidfd): 0 if the command was reaped, -EAGAIN if it
 * still runs. */
int ig_command__try_reap(struct ig_command *c);
/* Stop a command that ig no longer follows: before release, it exits
 * without running; after, it gets SIGTERM. */
void ig_command__abort(struct ig_command *c);
void ig_command__fini(struct ig_command *c);

#endif /* IG_CORE_CLI_COMMAND_H */
