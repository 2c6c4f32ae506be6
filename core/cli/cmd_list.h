/* SPDX-License-Identifier: Apache-2.0 */
/* `ig list`: the gadgets on the search path (internal). */
#ifndef IG_CORE_CLI_CMD_LIST_H
#define IG_CORE_CLI_CMD_LIST_H

/* argv: the arguments after the command name. Returns the exit status. */
int ig_cmd_list(int argc, char **argv);

#endif /* IG_CORE_CLI_CMD_LIST_H */
