// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor: record the syscalls of containers (or of a command) and
 * emit a seccomp profile for each. The gadget glue: parameters, fields and
 * the lifecycle; recording is in recorder.c, profiles in report.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ig/gadget.h>

#include "seccomp_advisor_int.h"

static const struct ig_field sa_fields[] = {
	{ .name = "mntns", .description = "mount namespace the syscalls were recorded in",
	  .type = IG_FT_UINT, .kind = IG_FK_MNTNS, .width = 12, .align = IG_ALIGN_RIGHT,
	  .flags = IG_FIELD_HIDDEN },
	{ .name = "name", .description = "what the profile is for: container, pod or command",
	  .type = IG_FT_STRING, .kind = IG_FK_NONE, .width = 32 },
	{ .name = "syscalls", .description = "distinct syscalls allowed by the profile",
	  .type = IG_FT_UINT, .kind = IG_FK_COUNT, .width = 8, .align = IG_ALIGN_RIGHT },
	{ .name = "compat", .description = "of which seen only as 32-bit (compat) syscalls",
	  .type = IG_FT_UINT, .kind = IG_FK_COUNT, .width = 6, .align = IG_ALIGN_RIGHT,
	  .flags = IG_FIELD_HIDDEN },
	{ .name = "added", .description = "runtime syscalls added (made after the filter)",
	  .type = IG_FT_UINT, .kind = IG_FK_COUNT, .width = 7, .align = IG_ALIGN_RIGHT },
	{ .name = "file", .description = "profile file written (--output-dir)",
	  .type = IG_FT_STRING, .kind = IG_FK_PATH, .width = 40 },
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
	  .help = "write one profile file per container (or pod) into this directory" },
	{ .name = "merge", .def = "none", .choices = "none|pod", .type = IG_PT_ENUM,
	  .help = "pod: one profile per pod, the union of its containers" },
	{ .name = "base-profile", .type = IG_PT_PATH,
	  .help = "an OCI seccomp profile (JSON) to union into every profile" },
	{ .name = "max-slots", .def = "1024", .type = IG_PT_UINT,
	  .help = "mount namespaces recorded at most (the report names any dropped)" },
};

static int sa_init(const struct ig_host *host, void **state)
{
	struct sa_state *st;
	int err;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	*state = st;
	st->host = host;
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
	.init = sa_init,
	.stop = sa_stop,
	.report = sa_report_all,
	.destroy = sa_destroy,
	.container_added = sa_container_added,
	.container_removed = sa_container_removed,
};

IG_GADGET_DEFINE(sa_desc);
