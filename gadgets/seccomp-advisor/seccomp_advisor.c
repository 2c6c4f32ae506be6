// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor: record the syscalls of containers (or of a command) and
 * emit a seccomp profile for each. The gadget glue: parameters, fields and
 * the lifecycle; recording is in recorder.c, profiles in report.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ig/bpf_gadget.h>
#include <ig/gadget.h>

#include "seccomp_advisor_int.h"

static const struct ig_field sa_fields[SA_NR_FIELDS] = {
	[SA_F_MNTNS] = { .name = "mntns", .description = "mount namespace the syscalls were "
			 "recorded in", .type = IG_FT_UINT, .kind = IG_FK_MNTNS, .width = 12,
			 .align = IG_ALIGN_RIGHT, .flags = IG_FIELD_HIDDEN },
	[SA_F_NAME] = { .name = "name", .description = "what the profile is for: container, pod "
			"or command", .type = IG_FT_STRING, .kind = IG_FK_NONE, .width = 32 },
	[SA_F_SYSCALLS] = { .name = "syscalls", .description = "distinct syscalls allowed by "
			    "the profile", .type = IG_FT_UINT, .kind = IG_FK_COUNT, .width = 8,
			    .align = IG_ALIGN_RIGHT },
	[SA_F_COMPAT] = { .name = "compat", .description = "of which seen only as 32-bit "
			  "(compat) syscalls", .type = IG_FT_UINT, .kind = IG_FK_COUNT, .width = 6,
			  .align = IG_ALIGN_RIGHT, .flags = IG_FIELD_HIDDEN },
	[SA_F_ADDED] = { .name = "added", .description = "runtime syscalls added (made after "
			 "the filter)", .type = IG_FT_UINT, .kind = IG_FK_COUNT, .width = 7,
			 .align = IG_ALIGN_RIGHT },
	[SA_F_IMPLICIT] = { .name = "implicit", .description = "syscalls made on the program's "
			    "behalf (restart_syscall, rt_sigreturn, ...) added unrecorded; "
			    "--no-implicit: none", .type = IG_FT_UINT, .kind = IG_FK_COUNT,
			    .width = 8, .align = IG_ALIGN_RIGHT },
	[SA_F_RECORDED] = { .name = "recorded", .description = "recorded in a container, with "
			    "-- COMMAND (command), or on the host", .type = IG_FT_STRING,
			    .kind = IG_FK_NONE, .width = 9 },
	[SA_F_FOR] = { .name = "for", .description = "what can apply the profile: runc (its "
		       "syscalls after the filter are in; runc-nnp: with noNewPrivileges) or "
		       "process (only the program's: a libseccomp wrapper)",
		       .type = IG_FT_STRING, .kind = IG_FK_NONE, .width = 8 },
	[SA_F_FILE] = { .name = "file", .description = "profile file written (--output-dir)",
			.type = IG_FT_STRING, .kind = IG_FK_PATH, .width = 40 },
	[SA_F_DURATION] = { .name = "duration", .description = "how long it was recorded",
	  .type = IG_FT_STRING, .kind = IG_FK_NONE, .width = 8, .align = IG_ALIGN_RIGHT },
	[SA_F_MERGED] = { .name = "merged", .description = "runs of -- COMMAND (--runs) or containers merged",
	  .type = IG_FT_UINT, .kind = IG_FK_COUNT, .width = 6, .align = IG_ALIGN_RIGHT },
	[SA_F_LASTNEW] = { .name = "lastnew", .description = "when the last new syscall came, after the start",
	  .type = IG_FT_STRING, .kind = IG_FK_NONE, .width = 7, .align = IG_ALIGN_RIGHT },
	[SA_F_END] = { .name = "end", .description = "how the recording ended: exit, until-stable, stop",
	  .type = IG_FT_STRING, .kind = IG_FK_NONE, .width = 12, .flags = IG_FIELD_HIDDEN },
};

static const struct ig_param sa_params[] = {
	{ .name = "format", .def = "oci", .choices = "oci|spo", .type = IG_PT_ENUM,
	  .help = "oci: linux.seccomp of an OCI config; spo: a Security Profiles Operator "
		  "SeccompProfile" },
	{ .name = "spo-api", .def = "v1", .choices = "v1|v1beta1", .type = IG_PT_ENUM,
	  .help = "apiVersion of the SeccompProfile (v1beta1 for older operators)" },
	{ .name = "default-errno", .type = IG_PT_UINT,
	  .help = "errno for syscalls the profile denies (defaultErrnoRet; runc's default: EPERM)" },
	{ .name = "args", .def = "false", .type = IG_PT_BOOL,
	  .help = "also record arguments of socket, clone, personality, prctl, ioctl and "
		  "allow only the values seen" },
	{ .name = "output-dir", .type = IG_PT_DIR,
	  .help = "write one profile file per container (or pod) into this directory "
		  "(made when missing)" },
	{ .name = "merge", .def = "none", .choices = "none|pod", .type = IG_PT_ENUM,
	  .help = "pod: one profile per pod, the union of its containers" },
	{ .name = "base-profile", .type = IG_PT_PATH,
	  .help = "an OCI seccomp profile (JSON) to union into every profile" },
	{ .name = "max-slots", .def = "1024", .type = IG_PT_UINT,
	  .help = "mount namespaces recorded at most (the report names any dropped)" },
	{ .name = "no-implicit", .def = "false", .type = IG_PT_BOOL,
	  .help = "leave out the syscalls made on the program's behalf that were not "
		  "recorded (restart_syscall after a pause, rt_sigreturn, exit, exit_group, "
		  "clock_gettime and gettimeofday when the vDSO falls back): the bare set" },
	{ .name = "for-runtime", .def = "none", .choices = "none|runc|runc-nnp",
	  .type = IG_PT_ENUM,
	  .help = "-- COMMAND only: add what runc does after installing the filter, so the "
		  "program can be started in a container with the profile (runc-nnp: only "
		  "with noNewPrivileges true); none: for the process itself" },
	{ .name = "until-stable", .type = IG_PT_STRING,
	  .help = "SECONDS: report a container once it made no new syscall for that long "
		  "(-- COMMAND: end each run then)" },
	{ .name = "stage", .def = "false", .type = IG_PT_BOOL,
	  .help = "complain mode: defaultAction SCMP_ACT_LOG, so what the recording missed is "
		  "logged, not denied (collect it with seccomp-audit --update)" },
	{ .name = "widen", .def = "false", .type = IG_PT_BOOL,
	  .help = "also allow the siblings the C library or kernel may use instead of a "
		  "recorded syscall (poll/ppoll, clone/clone3, ...; docs/lifecycle.md)" },
};

/* One attach point, two ways to read the task on it (ig/kernel.h). */
static const struct ig_hook sa_hooks[] = {
	{ .role = "syscalls", .kind = IG_HOOK_TP_BTF, .target = "sys_enter",
	  .progs = "sa_sys_enter", .needs = IG_KF(IG_KF_TASK_BTF) },
	{ .role = "syscalls", .kind = IG_HOOK_TP_BTF, .target = "sys_enter",
	  .progs = "sa_sys_enter_probe", .note = "task read with probe reads" },
};

static const struct ig_gadget_desc sa_desc;

static int sa_init(const struct ig_host *host, void **state)
{
	struct sa_state *st;
	int err;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	*state = st;
	st->host = host;
	st->task_btf = ig_gadget_hook_variant(host, &sa_desc, "syscalls") == 0;
	err = sa_state_configure(st);
	if (err)
		return err;
	return sa_state_start(st);
}

static void sa_stop(void *state)
{
	struct sa_state *st = state;

	sa_recorder__detach(st->rec);
}

/* --runs: one run ended, the next (pid) is held before its execve. */
static void sa_command_run(void *state, uint32_t run, int pid)
{
	struct sa_state *st = state;

	sa_runs__next(st, run, pid);
	sa_progress__new_run(st);
}

static void sa_destroy(void *state)
{
	sa_state_free(state);
}

static const struct ig_gadget_desc sa_desc = {
	IG_GADGET_DESC_HEADER,
	.name = "seccomp-advisor",
	.version = "0.1.0",
	.summary = "record syscalls and generate seccomp profiles (OCI or SPO)",
	.description = "Records the syscalls every container makes from its creation on "
		       "(or those of -- COMMAND from its execve on) and, when the container "
		       "exits or ig stops, prints a seccomp profile that allows exactly those: "
		       "what the workload did, plus what the runtime does after installing "
		       "the filter. Runtime set-up (mount, pivot_root, ...) is left out.",
	.kind = IG_KIND_ADVISE,
	.fields = sa_fields,
	.nr_fields = IG_ARRAY_SIZE(sa_fields),
	.params = sa_params,
	.nr_params = IG_ARRAY_SIZE(sa_params),
	.hooks = sa_hooks,
	.nr_hooks = IG_ARRAY_SIZE(sa_hooks),
	.init = sa_init,
	.stop = sa_stop,
	.report = sa_report_all,
	.destroy = sa_destroy,
	.container_added = sa_container_added,
	.container_removed = sa_container_removed,
	.tick = sa_tick,
	.command_run = sa_command_run,
};

IG_GADGET_DEFINE(sa_desc);
