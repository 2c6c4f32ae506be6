/* SPDX-License-Identifier: Apache-2.0 */
/* `ig list-containers`: the containers the runtime plugins find (internal). */
#ifndef IG_CORE_CLI_CMD_CONTAINERS_H
#define IG_CORE_CLI_CMD_CONTAINERS_H

/* argv: the arguments after the command name. Returns the exit status. */
int ig_cmd_list_containers(int argc, char **argv);

#endif /* IG_CORE_CLI_CMD_CONTAINERS_H */
