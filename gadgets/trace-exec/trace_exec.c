// SPDX-License-Identifier: Apache-2.0
/*
 * trace-exec, user side: load the program with the core's filter maps, and
 * turn each event into a record (arguments joined with spaces).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ig/bpf_gadget.h>
#include <ig/gadget.h>

#include "trace_exec.h"
#include "trace_exec.skel.h"

enum {
	F_TIMESTAMP, F_MNTNS, F_PID, F_PPID, F_UID, F_COMM, F_FILENAME, F_ARGS, F_TRUNCATED,
	NR_FIELDS,
};

static const struct ig_field fields[NR_FIELDS] = {
	[F_TIMESTAMP] = { "timestamp", "when the exec happened", IG_FT_TIMESTAMP,
			  IG_FK_TIMESTAMP, 35, IG_ALIGN_LEFT, IG_FIELD_HIDDEN },
	[F_MNTNS] = { "mntns", "mount namespace inode", IG_FT_UINT, IG_FK_MNTNS, 10,
		      IG_ALIGN_RIGHT, IG_FIELD_HIDDEN },
	[F_PID] = { "pid", "process id (tgid)", IG_FT_UINT, IG_FK_PID, 7, IG_ALIGN_RIGHT },
	[F_PPID] = { "ppid", "parent process id", IG_FT_UINT, IG_FK_PPID, 7, IG_ALIGN_RIGHT },
	[F_UID] = { "uid", "user id", IG_FT_UINT, IG_FK_UID, 6, IG_ALIGN_RIGHT },
	[F_COMM] = { "comm", "command name of the new program", IG_FT_STRING, IG_FK_COMM, 16 },
	[F_FILENAME] = { "filename", "path given to execve", IG_FT_STRING, IG_FK_PATH, 32,
			 IG_ALIGN_LEFT, IG_FIELD_HIDDEN },
	[F_ARGS] = { "args", "argument list, space separated", IG_FT_STRING, IG_FK_NONE, 48 },
	[F_TRUNCATED] = { "argsTruncated", "the argument list was longer than shown",
			  IG_FT_BOOL, IG_FK_NONE, 5, IG_ALIGN_LEFT, IG_FIELD_HIDDEN },
};

static const struct ig_param params[] = {
	{ .name = "uid", .type = IG_PT_INT, .def = "-1",
	  .help = "only execs by this user id (-1: everyone)" },
};

struct trace_exec {
	const struct ig_host *host;
	struct trace_exec_bpf *skel;
	char args[TRACE_EXEC_ARGS_LEN + 1];
};

static int on_event(void *ctx, void *data, size_t size)
{
	const struct trace_exec_event *e = data;
	struct trace_exec *st = ctx;
	struct ig_value vals[NR_FIELDS];
	uint32_t n, i;

	if (size < sizeof(*e))
		return 0;
	/* argv strings are NUL-separated in memory: show them space-separated. */
	n = e->args_size < TRACE_EXEC_ARGS_LEN ? e->args_size : TRACE_EXEC_ARGS_LEN;
	memcpy(st->args, e->args, n);
	while (n && st->args[n - 1] == '\0')
		n--;
	for (i = 0; i < n; i++)
		if (st->args[i] == '\0')
			st->args[i] = ' ';
	st->args[n] = '\0';

	vals[F_TIMESTAMP] = ig_val_u64(e->hdr.timestamp);
	vals[F_MNTNS] = ig_val_u64(e->hdr.mntns);
	vals[F_PID] = ig_val_u64(e->hdr.pid);
	vals[F_PPID] = ig_val_u64(e->hdr.ppid);
	vals[F_UID] = ig_val_u64(e->hdr.uid);
	vals[F_COMM] = ig_val_strn(e->hdr.comm, (uint32_t)strnlen(e->hdr.comm, IG_COMM_LEN));
	vals[F_FILENAME] = ig_val_strn(e->filename,
				       (uint32_t)strnlen(e->filename, TRACE_EXEC_PATH_LEN));
	vals[F_ARGS] = ig_val_strn(st->args, n);
	vals[F_TRUNCATED] = ig_val_bool(e->flags & TRACE_EXEC_ARGS_TRUNCATED);
	return st->host->emit(st->host->ctx, vals);
}

static int te_init(const struct ig_host *host, void **state)
{
	const struct ig_param_value *uid = host->param(host->ctx, "uid");
	struct trace_exec *st;
	int err;

	/* uid_t is 32 bits and (uid_t)-1 is no user: 2^32 is not uid 0. */
	if (uid && (uid->i < -1 || uid->i > (int64_t)UINT32_MAX - 1)) {
		IG_ERROR(host, "--uid %lld: not a user id (0..4294967294, or -1 for everyone)",
			 (long long)uid->i);
		return -EINVAL;
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	*state = st;
	st->host = host;
	st->skel = trace_exec_bpf__open();
	if (!st->skel) {
		err = -errno;
		IG_ERROR(host, "cannot open the BPF object: %s",
			 strerror(-err));
		return err;
	}
	st->skel->rodata->ig_filter_mode = host->filter_mode(host->ctx);
	st->skel->rodata->targ_uid = uid && uid->i >= 0 ? (uint32_t)uid->i : (uint32_t)-1;
	err = ig_gadget_reuse_filter(host, st->skel->obj);
	if (err) {
		IG_ERROR(host, "cannot share ig's filter maps: %s",
			 strerror(-err));
		return err;
	}
	err = trace_exec_bpf__load(st->skel);
	if (err) {
		IG_ERROR(host, "cannot load the BPF program (%s); "
			 "run with -v to see why", strerror(-err));
		return err;
	}
	err = trace_exec_bpf__attach(st->skel);
	if (err) {
		IG_ERROR(host, "cannot attach to sched_process_exec: %s",
			 strerror(-err));
		return err;
	}
	err = host->ring_add(host->ctx, bpf_map__fd(st->skel->maps.events),
			     bpf_map__fd(st->skel->maps.events_lost), on_event, st);
	if (err)
		IG_ERROR(host, "cannot read the event ring: %s",
			 strerror(-err));
	return err;
}

static void te_stop(void *state)
{
	struct trace_exec *st = state;

	if (st && st->skel)
		trace_exec_bpf__detach(st->skel);
}

static void te_destroy(void *state)
{
	struct trace_exec *st = state;

	if (!st)
		return;
	trace_exec_bpf__destroy(st->skel);
	free(st);
}

static const struct ig_gadget_desc desc = {
	IG_GADGET_DESC_HEADER,
	.name = "trace-exec",
	.version = "1.0",
	.summary = "one record per successful execve: pid, parent, user, program, arguments",
	.description = "Streams every successful execve of the target (the command and its\n"
		       "children, the selected containers, or with --host every process).\n"
		       "Failed execs are not shown: the program runs on sched_process_exec.",
	.kind = IG_KIND_TRACE,
	.fields = fields,
	.nr_fields = NR_FIELDS,
	.params = params,
	.nr_params = IG_ARRAY_SIZE(params),
	.init = te_init,
	.stop = te_stop,
	.destroy = te_destroy,
};

IG_GADGET_DEFINE(desc);
