/* SPDX-License-Identifier: Apache-2.0 */
/* `ig doctor`: what this kernel lets ig and its gadgets do (internal). */
#ifndef IG_CORE_CLI_CMD_DOCTOR_H
#define IG_CORE_CLI_CMD_DOCTOR_H

/* argv: the arguments after the command name. Returns the exit status. */
int ig_cmd_doctor(int argc, char **argv);

#endif /* IG_CORE_CLI_CMD_DOCTOR_H */
