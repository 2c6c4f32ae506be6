/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `ig run` (internal): load the gadget, set up the target, run it through
 * the event loop, tear down. What it holds meanwhile: run_state.h.
 */
#ifndef IG_CORE_CLI_RUN_H
#define IG_CORE_CLI_RUN_H

/* `ig run GADGET [flags] [-- COMMAND]`: returns the exit status. */
int ig_cmd_run(int argc, char **argv);

#endif /* IG_CORE_CLI_RUN_H */
