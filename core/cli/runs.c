// SPDX-License-Identifier: Apache-2.0
/*
 * The runs of -- COMMAND: one, or N with --runs N, one after the other, each
 * forked held before its execve and put in the pid filter before the gadget
 * hears of it, so each is traced from its own execve. Between runs the
 * gadget closes one recording and starts the next (desc->command_run). A run
 * the gadget ended (host->end_run, --until-stable) counts as a success; ig
 * exits with the status of the first run that failed, else 0.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "core/base/log.h"
#include "core/engine/filter.h"
#include "core/engine/loader.h"
#include "loop_fd.h"
#include "run_state.h"
#include "runs.h"

/* Fork the next run, held, and put it in the pid filter and the loop. */
static int spawn(struct ig_run *run)
{
	int err;

	err = ig_command__spawn(&run->cmd, run->opts.command, &run->orig_mask);
	if (err) {
		ig_err("cannot start '%s': %s", run->opts.command[0], strerror(-err));
		return err;
	}
	run->has_cmd = true;
	run->ended_by_ig = false;
	run->eng.command_pid = run->cmd.pid;
	err = ig_filter__add_pid(run->eng.filter, run->cmd.pid);
	if (err) {
		ig_err("cannot register the command in the pid filter: %s", strerror(-err));
		return err;
	}
	return run->cmd.pidfd >= 0 ? ig_loop__add(run->epfd, run->cmd.pidfd, TAG_CMD) : 0;
}

int ig_runs__start(struct ig_run *run)
{
	run->eng.command_runs = run->opts.runs ? run->opts.runs : 1;
	run->run_index = 0;
	return spawn(run);
}

int ig_runs__release(struct ig_run *run)
{
	int ret = ig_command__release(&run->cmd);

	if (ret) {
		ig_err("cannot run '%s': %s", run->opts.command[0], strerror(-ret));
		return 127;
	}
	return 0;
}

/* Keep the first failure: that is what ig exits with. */
static void account(struct ig_run *run)
{
	int st = run->ended_by_ig ? 0 : run->cmd.status;

	if (run->eng.command_runs > 1)
		ig_info("run %u of %u: command exited with status %d%s", run->run_index + 1,
			run->eng.command_runs, run->cmd.status,
			run->ended_by_ig ? " (ended by the gadget)" : "");
	else
		ig_info("command exited with status %d", run->cmd.status);
	if (st && !run->cmd_status)
		run->cmd_status = st;
}

bool ig_runs__exited(struct ig_run *run)
{
	const struct ig_gadget_desc *d = run->eng.mod->desc;

	account(run);
	if (run->stopping || run->run_index + 1 >= run->eng.command_runs)
		return true;
	ig_command__fini(&run->cmd);
	run->run_index++;
	if (spawn(run))
		return true;
	if (IG_DESC_HAS(d, command_run) && d->command_run)
		d->command_run(run->state, run->run_index, run->cmd.pid);
	if (ig_runs__release(run)) {
		run->cmd_status = 127;
		return true;
	}
	return false;
}

void ig_runs__end(void *arg)
{
	struct ig_run *run = arg;

	if (!run->has_cmd || run->cmd.reaped) {
		ig_info("the gadget has what it needs, stopping");
		run->stopping = true;
		return;
	}
	if (run->ended_by_ig)
		return;
	ig_info("the gadget has what it needs from run %u, ending it", run->run_index + 1);
	run->ended_by_ig = true;
	kill(run->cmd.pid, SIGTERM);
}

int ig_runs__status(const struct ig_run *run)
{
	return run->cmd_status;
}
