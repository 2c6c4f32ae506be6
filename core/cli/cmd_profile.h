/* SPDX-License-Identifier: Apache-2.0 */
/* `ig profile merge|diff`: seccomp profiles merged or compared (internal). */
#ifndef IG_CORE_CLI_CMD_PROFILE_H
#define IG_CORE_CLI_CMD_PROFILE_H

/* argv: the arguments after "profile". Returns the exit status. */
int ig_cmd_profile(int argc, char **argv);

#endif /* IG_CORE_CLI_CMD_PROFILE_H */
