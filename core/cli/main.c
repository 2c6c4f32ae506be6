// SPDX-License-Identifier: Apache-2.0
/* ig: command dispatch. One function per command, found by table. */
#include <stdio.h>
#include <string.h>

#include <ig/gadget.h>

#include "cmd_containers.h"
#include "cmd_doctor.h"
#include "cmd_hook.h"
#include "cmd_list.h"
#include "cmd_profile.h"
#include "core/base/log.h"
#include "run.h"
#include "run_args.h"

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "run", ig_cmd_run, "run a gadget: ig run GADGET [flags] [-- COMMAND ...]" },
	{ "list", ig_cmd_list, "list the gadgets ig can run" },
	{ "list-containers", ig_cmd_list_containers, "list the containers ig sees" },
	{ "profile", ig_cmd_profile, "merge or compare seccomp profiles: ig profile merge|diff FILE..." },
	{ "doctor", ig_cmd_doctor, "what this kernel lets each gadget do, and what it lacks" },
	{ "hook", ig_cmd_hook, "OCI hook entry point (used by runtimes, not by hand)" },
	{ "version", cmd_version, "print ig's version and gadget ABI" },
	{ "help", cmd_help, "this help; 'ig run GADGET --help' for a gadget's" },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "Usage: ig COMMAND [ARGS...]\n\n"
		"ig runs eBPF gadgets that observe what a command or a container does.\n\n"
		"Commands:\n");
	for (i = 0; i < IG_ARRAY_SIZE(cmds); i++)
		fprintf(out, "  %-16s %s\n", cmds[i].name, cmds[i].help);
	fprintf(out, "\nExamples:\n"
		"  ig list\n"
		"  ig run trace-exec -- /bin/sh -c 'ls /'\n"
		"  ig run trace-exec -o json --timeout 10 --host\n\n");
	ig_run_args__global_help(out);
}

static int cmd_version(int argc, char **argv)
{
	printf("ig %s (gadget ABI %d.%d)\n", IG_VERSION, IG_GADGET_ABI_MAJOR,
	       IG_GADGET_ABI_MINOR);
	return 0;
}

static int cmd_help(int argc, char **argv)
{
	usage(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	char names[256] = "";
	size_t i;

	ig_log_setup_libbpf();
	if (argc < 2) {
		usage(stderr);
		return IG_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return cmd_help(argc - 2, argv + 2);
	if (!strcmp(argv[1], "--version"))
		return cmd_version(argc - 2, argv + 2);
	for (i = 0; i < IG_ARRAY_SIZE(cmds); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 2, argv + 2);
	for (i = 0; i < IG_ARRAY_SIZE(cmds); i++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 i ? ", " : "", cmds[i].name);
	ig_err("unknown command '%s' (valid: %s)", argv[1], names);
	return IG_EXIT_USAGE;
}
