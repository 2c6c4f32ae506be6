/* SPDX-License-Identifier: Apache-2.0 */
/* `ig hook`: the OCI hook entry point (internal). */
#ifndef IG_CORE_CLI_CMD_HOOK_H
#define IG_CORE_CLI_CMD_HOOK_H

/* argv: the arguments after the command name. Returns the exit status. */
int ig_cmd_hook(int argc, char **argv);

#endif /* IG_CORE_CLI_CMD_HOOK_H */
