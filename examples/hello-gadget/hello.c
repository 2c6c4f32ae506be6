// SPDX-License-Identifier: Apache-2.0
/*
 * hello: the smallest useful ig gadget, built out of tree against the
 * installed headers (see Makefile and docs/gadget-authoring.md). It loads no
 * BPF: it emits one record when it starts, to show the parts every gadget
 * has -- a field table, a parameter table, init/destroy, host services.
 */
#include <stdlib.h>

#include <ig/gadget.h>

enum { F_GREETING, F_TARGET, F_PID, NR_FIELDS };

static const struct ig_field fields[NR_FIELDS] = {
	[F_GREETING] = { "greeting", "the --greeting text", IG_FT_STRING, IG_FK_NONE, 32 },
	[F_TARGET] = { "target", "what ig is tracing", IG_FT_STRING, IG_FK_NONE, 10 },
	[F_PID] = { "pid", "the command's pid (command mode)", IG_FT_UINT, IG_FK_PID, 7,
		    IG_ALIGN_RIGHT },
};

static const struct ig_param params[] = {
	{ .name = "greeting", .type = IG_PT_STRING, .def = "hello from an out-of-tree gadget",
	  .help = "text of the record" },
};

static int hello_init(const struct ig_host *host, void **state)
{
	static const char *const targets[] = { "?", "containers", "host", "command" };
	enum ig_target_mode t = host->target(host->ctx);
	struct ig_value vals[NR_FIELDS];

	*state = NULL;	/* nothing to keep */
	vals[F_GREETING] = ig_val_str(host->param(host->ctx, "greeting")->str);
	vals[F_TARGET] = ig_val_str(t >= 1 && t <= 3 ? targets[t] : targets[0]);
	vals[F_PID] = ig_val_u64((uint64_t)host->command_pid(host->ctx));
	IG_INFO(host, "emitting the greeting");
	return host->emit(host->ctx, vals);
}

static void hello_destroy(void *state)
{
	free(state);
}

static const struct ig_gadget_desc desc = {
	IG_GADGET_DESC_HEADER,
	.name = "hello",
	.version = "1.0",
	.summary = "example gadget: one greeting record at start, no BPF",
	.kind = IG_KIND_TRACE,
	.fields = fields,
	.nr_fields = NR_FIELDS,
	.params = params,
	.nr_params = IG_ARRAY_SIZE(params),
	.init = hello_init,
	.destroy = hello_destroy,
};

IG_GADGET_DEFINE(desc);
