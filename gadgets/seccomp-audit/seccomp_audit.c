// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-audit: which syscalls seccomp filters logged or denied (live), or
 * which ones a candidate profile would (dry run, --profile).
 *
 * Live: the BPF program reports skipped syscalls (sys_exit without
 * sys_enter) and seccomp SIGSYS signals; audit_netlink.c reads AUDIT_SECCOMP
 * records on a thread and injects them into the same ring buffer; sau_merge
 * folds copies of one event together. Dry run: sys_enter streams the number
 * and arguments of syscalls the profile may act on, and profile_eval runs
 * the filter libseccomp builds from the profile on them.
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <ig/bpf_gadget.h>
#include <ig/gadget.h>

#include "seccomp_audit.h"
#include "seccomp_audit.skel.h"
#include "seccomp_audit_int.h"

static const struct ig_enum_name act_enums[] = {
	{ SP_ACT_LOG, "log" },
	{ SP_ACT_TRACE, "trace" },
	{ SP_ACT_USER_NOTIF, "user_notif" },
	{ SP_ACT_ERRNO, "errno" },
	{ SP_ACT_TRAP, "trap" },
	{ SP_ACT_KILL_THREAD, "kill_thread" },
	{ SP_ACT_KILL_PROCESS, "kill_process" },
	{ 0, NULL },
};

static const struct ig_enum_name src_enums[] = {
	{ SAU_SRC_EXIT, "exit" },
	{ SAU_SRC_SIGNAL, "signal" },
	{ SAU_SRC_AUDIT, "audit" },
	{ SAU_SRC_PROFILE, "profile" },
	{ 0, NULL },
};

static const struct ig_field fields[F_NR] = {
	[F_TS] = { "timestamp", "when the syscall was acted on (audit: to the ms)",
		   IG_FT_TIMESTAMP, IG_FK_TIMESTAMP, 30, IG_ALIGN_LEFT, IG_FIELD_HIDDEN },
	[F_MNTNS] = { "mntns", "mount namespace of the process", IG_FT_UINT, IG_FK_MNTNS,
		      12, IG_ALIGN_RIGHT, IG_FIELD_HIDDEN },
	[F_PID] = { "pid", "process id", IG_FT_UINT, IG_FK_PID, 7, IG_ALIGN_RIGHT, 0 },
	[F_TID] = { "tid", "thread id (unknown for audit-only events)", IG_FT_UINT, IG_FK_TID,
		    7, IG_ALIGN_RIGHT, 0 },
	[F_COMM] = { "comm", "command name", IG_FT_STRING, IG_FK_COMM, 16, IG_ALIGN_LEFT, 0 },
	[F_SYSCALL] = { "syscall", "syscall the filter acted on", IG_FT_STRING, IG_FK_SYSCALL,
			18, IG_ALIGN_LEFT, 0 },
	[F_ACTION] = { "action", "what the filter did (or would do in a dry run)", IG_FT_ENUM,
		       IG_FK_NONE, 12, IG_ALIGN_LEFT, 0, act_enums },
	[F_ERRNO] = { "errno", "errno the syscall returned (errno action)", IG_FT_STRING,
		      IG_FK_ERRNO, 10, IG_ALIGN_LEFT, 0 },
	[F_SOURCE] = { "source", "what saw it: exit, signal, audit, profile (dry run)",
		       IG_FT_BITMASK, IG_FK_NONE, 12, IG_ALIGN_LEFT, 0, src_enums },
};

static const struct ig_param params[] = {
	{ "unique", "false", "report each (container, syscall, action) once", NULL, IG_PT_BOOL },
	{ "profile", NULL, "dry run: evaluate this OCI seccomp JSON or SeccompProfile "
	  "(YAML/JSON) against live syscalls instead of auditing applied filters", NULL,
	  IG_PT_PATH },
	{ "audit", "true", "read LOG actions from audit records (enables audit for the run "
	  "if it is off, and restores it)", NULL, IG_PT_BOOL },
	{ "hold-ms", "250", "how long a denial waits for its audit copy before it is shown",
	  NULL, IG_PT_UINT },
	{ "update", NULL, "a staged profile (default SCMP_ACT_LOG) the workload runs under: at the "
	  "end, per container, that profile with the logged syscalls allowed and the default "
	  "action enforcing again (records are not printed)", NULL, IG_PT_PATH },
	{ "output-dir", NULL, "--update: write one profile per container into this directory "
	  "(made when missing)", NULL, IG_PT_DIR },
};

static const struct ig_param_value *param(const struct ig_host *host, const char *name)
{
	return host->param(host->ctx, name);
}

/* A profile is tens of KiB at most; Docker's default is 20. */
#define SAU_PROFILE_MAX		(4u << 20)

static int load_profile(struct sau_state *st, const char *path)
{
	const struct ig_host *h = st->host;
	char err[SP_ERR_LEN], *text;
	size_t len;

	/* The host reads it: regular files only, no waiting on a FIFO. */
	text = h->read_file(h->ctx, "--profile", path, SAU_PROFILE_MAX, &len);
	if (!text)
		return errno ? -errno : -EINVAL;
	st->profile = sp_profile__load_text(path, text, len, err, sizeof(err));
	free(text);
	if (st->profile)
		st->filter = sau_filter_build(st->profile, err, sizeof(err));
	if (!st->filter) {
		IG_ERROR(st->host, "%s", err);
		return -EINVAL;
	}
	return 0;
}

static int fill_interest(struct sau_state *st)
{
	int fd = bpf_map__fd(st->skel->maps.sau_interest);
	__u32 nr;

	/* the held command has not run its program yet: what it does until
	 * its execve is ig's set-up, not the workload (see sau_fresh) */
	if (st->host->target(st->host->ctx) == IG_TARGET_COMMAND) {
		__u32 pid = (__u32)st->host->command_pid(st->host->ctx);
		__u8 one = 1;

		if (pid && bpf_map_update_elem(bpf_map__fd(st->skel->maps.sau_fresh), &pid, &one,
					       BPF_ANY))
			return -errno;
	}

	for (nr = 0; nr < SAU_MAX_NR; nr++) {
		__u8 want = sau_filter_may_act(st->filter, (int)nr);

		if (want && bpf_map_update_elem(fd, &nr, &want, BPF_ANY))
			return -errno;
	}
	return 0;
}

/* Per-thread state without task local storage for tracing programs (before
 * 5.11): an LRU hash keyed by the task's address, preallocated (65536
 * entries, ~13 ms). */
static int thread_state_in_hash(struct seccomp_audit_bpf *skel)
{
	struct bpf_map *m = skel->maps.sau_tasks;

	skel->rodata->targ_task_storage = false;
	return bpf_map__set_type(m, BPF_MAP_TYPE_LRU_HASH) ?:
	       bpf_map__set_map_flags(m, 0) ?:
	       bpf_map__set_key_size(m, sizeof(__u64)) ?:
	       bpf_map__set_max_entries(m, 65536);
}

static const struct ig_gadget_desc sau_desc;

static int open_bpf(struct sau_state *st)
{
	const struct ig_host *host = st->host;
	int err;

	st->skel = seccomp_audit_bpf__open();
	if (!st->skel)
		return -errno;
	st->skel->rodata->ig_filter_mode = host->filter_mode(host->ctx);
	st->skel->rodata->targ_live = !st->filter;
	st->skel->rodata->targ_dry = !!st->filter;
	err = ig_gadget_select_programs(host, &sau_desc, st->skel->obj);
	if (err)
		return err;
	/* the first alternative of each role keeps its state in the task */
	if (ig_gadget_hook_variant(host, &sau_desc, "syscall entries") != 0) {
		st->skel->rodata->ig_task_btf = host->kernel_has(host->ctx, IG_KF_TASK_BTF) == 1;
		err = thread_state_in_hash(st->skel);
		if (err)
			return err;
	}
	err = ig_gadget_reuse_filter(host, st->skel->obj);
	if (err)
		return err;
	err = seccomp_audit_bpf__load(st->skel);
	if (err)
		return err;
	if (st->filter) {
		err = fill_interest(st);
		if (err)
			return err;
	}
	st->inject_fd = bpf_program__fd(st->skel->progs.sau_inject);
	st->procs_fd = bpf_map__fd(st->skel->maps.sau_procs);
	return 0;
}

/* Audit records exist only for the actions named in this sysctl. */
static void check_actions_logged(struct sau_state *st)
{
	char buf[256] = "";
	FILE *f = fopen("/proc/sys/kernel/seccomp/actions_logged", "re");

	if (!f)
		return;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	if (!strstr(buf, "log"))
		IG_WARN(st->host, "kernel.seccomp.actions_logged lacks \"log\": LOG actions "
			"will not be seen (sysctl -w kernel.seccomp.actions_logged=\"%s log\")",
			strtok(buf, "\n") ? buf : "");
	else if (!strstr(buf, "kill_thread"))
		IG_INFO(st->host, "kernel.seccomp.actions_logged lacks kill_thread: a thread "
			"of a multi-threaded process killed by KILL_THREAD will not be seen");
}

static void start_audit(struct sau_state *st)
{
	bool by_us = false;

	st->audit = sau_audit_open(true, &by_us);
	if (!st->audit) {
		IG_WARN(st->host, "cannot read audit records (%s): LOG actions will not be "
			"seen; run as root with CAP_AUDIT_CONTROL and CAP_AUDIT_READ",
			strerror(errno));
		return;
	}
	if (by_us)
		IG_INFO(st->host, "audit was disabled: enabled it for this run; it is "
			"disabled again when the last ig run reading it exits, unless an audit "
			"daemon registered meanwhile");
	check_actions_logged(st);
}

/* --update: the staged profile, the output directory; live audit needed. */
static int setup_update(struct sau_state *st)
{
	const char *path = param(st->host, "update")->str, *dir = param(st->host, "output-dir")->str;
	char err[SP_ERR_LEN], *text;
	size_t len;

	if (dir && !path) {
		IG_ERROR(st->host, "--output-dir goes with --update (the profiles it writes)");
		return -EINVAL;
	}
	if (!path)
		return 0;
	if (st->filter) {
		IG_ERROR(st->host, "--update collects what a staged profile logged, live; "
			 "--profile is a dry run: use one of them");
		return -EINVAL;
	}
	if (!param(st->host, "audit")->u) {
		IG_ERROR(st->host, "--update reads LOG actions from audit records: drop --audit=false");
		return -EINVAL;
	}
	/* The host reads it: regular files only, no waiting on a FIFO. */
	text = st->host->read_file(st->host->ctx, "--update", path, SAU_PROFILE_MAX, &len);
	if (!text)
		return errno ? -errno : -EINVAL;
	st->upd = sau_update__new(path, text, len, err, sizeof(err));
	free(text);
	if (!st->upd) {
		IG_ERROR(st->host, "--update %s", err);
		return -EINVAL;
	}
	st->output_dir = dir;	/* an IG_PT_DIR: made and checked by the host */
	return 0;
}

static int sau_report(void *state)
{
	return sau_update__report(state);
}

static void sau_container_added(void *state, const struct ig_container *c)
{
	struct sau_state *st = state;

	if (st->upd && c->mntns && st->host->container_selected(st->host->ctx, c))
		sau_update__container(st->upd, c->mntns);
}

static int sau_init(const struct ig_host *host, void **state)
{
	const struct ig_param_value *prof = param(host, "profile");
	struct sau_state *st;
	uint64_t hold_ns;
	int err;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	*state = st;
	st->host = host;
	st->unique = param(host, "unique")->u;
	st->unfiltered = host->filter_mode(host->ctx) == IG_FILTER_NONE;
	st->wall_minus_boot_ns = (int64_t)host->boot_to_wall_ns(host->ctx, 0);	/* the core's */
	if (prof->str && prof->str[0]) {
		err = load_profile(st, prof->str);
		if (err)
			return err;
	}
	err = setup_update(st);
	if (err)
		return err;
	err = open_bpf(st);
	if (err) {
		IG_ERROR(st->host, "cannot load the BPF program: %s (-v shows libbpf's "
			 "details)", strerror(-err));
		return err;
	}
	if (!st->filter && param(host, "audit")->u)
		start_audit(st);
	hold_ns = st->audit ? param(host, "hold-ms")->u * 1000000ull : 0;
	st->merge = sau_merge_new(hold_ns, sau_emit_rec, st);
	st->uniq = sau_uniq_new();
	if (!st->merge || !st->uniq) {
		IG_ERROR(st->host, "out of memory");
		return -ENOMEM;
	}
	err = host->ring_add(host->ctx, bpf_map__fd(st->skel->maps.events),
			     bpf_map__fd(st->skel->maps.events_lost), sau_on_sample, st);
	if (err) {
		IG_ERROR(st->host, "cannot consume the ring buffer: %s", strerror(-err));
		return err;
	}
	err = seccomp_audit_bpf__attach(st->skel);
	if (err) {
		IG_ERROR(st->host, "cannot attach to sys_enter/sys_exit/signal_generate: %s",
			 strerror(-err));
		return err;
	}
	if (st->audit) {
		err = sau_audit_start(st->audit, sau_on_audit, st);
		if (err) {
			IG_ERROR(st->host, "cannot start the audit reader: %s", strerror(-err));
			return err;
		}
	}
	return 0;
}

/*
 * sys_exit before sys_enter: the skeleton's order (program order) leaves a
 * window, as long as an unregistration takes, in which a syscall starting
 * after sys_enter went is still seen exiting, "without an enter": every
 * filtered thread in a syscall then showed up as a false errno record (a
 * busy filtered workload got several per run). The other way round, a
 * syscall whose exit is no longer seen merely leaves a flag set.
 */
static void detach(struct seccomp_audit_bpf *skel)
{
	bpf_link__destroy(skel->links.sau_sys_exit);
	skel->links.sau_sys_exit = NULL;
	bpf_link__destroy(skel->links.sau_signal);
	skel->links.sau_signal = NULL;
	seccomp_audit_bpf__detach(skel);
}

/* drain: from stop(), not from destroy() after a failed init (the host has
 * let go of the rings by then and nothing is worth reporting) */
static void finish(struct sau_state *st, bool drain)
{
	int err;

	if (!st || st->stopped)
		return;
	st->stopped = true;
	if (st->skel)
		detach(st->skel);
	/* audit copies of the last events are still on their way: the
	 * reader injects them into the ring until it stops, and they must
	 * reach the merge before its final flush */
	sau_audit_stop(st->audit, 50, 1000);
	if (drain) {
		err = st->host->ring_drain(st->host->ctx);
		if (err < 0)
			IG_WARN(st->host, "reading the last events: %s; some may be missing",
				strerror(-err));
		sau_merge_flush(st->merge, 0, true);
	}
	err = sau_audit_restore(st->audit);
	if (err)
		IG_WARN(st->host, "could not disable audit again: %s; run `auditctl -e 0`",
			strerror(-err));
}

static void sau_stop(void *state)
{
	finish(state, true);
}

static void sau_destroy(void *state)
{
	struct sau_state *st = state;

	if (!st)
		return;
	finish(st, false);
	sau_audit_free(st->audit);
	seccomp_audit_bpf__destroy(st->skel);
	sau_merge_free(st->merge);
	sau_uniq_free(st->uniq);
	sau_filter_free(st->filter);
	sp_profile__free(st->profile);
	sau_update__free(st->upd);
	free(st);
}

/*
 * Where the events come from (ig/kernel.h). The live sources keep a state per
 * thread: in the task itself where tracing programs have task local storage
 * (and the task as a BTF pointer), else in an LRU hash by tid. The two
 * alternatives run the same programs (a read-only knob picks the code); the
 * needs are the same for the three roles, so a kernel picks them together.
 */
#define SAU_TASK_STATE	(IG_KF(IG_KF_TASK_STORAGE) | IG_KF(IG_KF_TASK_BTF))
#define SAU_HASH_NOTE	"thread state in a hash, probe reads"
static const struct ig_hook sau_hooks[] = {
	{ .role = "syscall entries", .kind = IG_HOOK_TP_BTF, .target = "sys_enter",
	  .progs = "sau_sys_enter", .needs = SAU_TASK_STATE },
	{ .role = "syscall entries", .kind = IG_HOOK_TP_BTF, .target = "sys_enter",
	  .progs = "sau_sys_enter", .note = SAU_HASH_NOTE },
	{ .role = "syscall exits", .kind = IG_HOOK_TP_BTF, .target = "sys_exit",
	  .progs = "sau_sys_exit", .needs = SAU_TASK_STATE },
	{ .role = "syscall exits", .kind = IG_HOOK_TP_BTF, .target = "sys_exit",
	  .progs = "sau_sys_exit", .note = SAU_HASH_NOTE },
	{ .role = "seccomp signals", .kind = IG_HOOK_TP_BTF, .target = "signal_generate",
	  .progs = "sau_signal", .needs = SAU_TASK_STATE },
	{ .role = "seccomp signals", .kind = IG_HOOK_TP_BTF, .target = "signal_generate",
	  .progs = "sau_signal", .note = SAU_HASH_NOTE },
	{ .role = "forks (dry run)", .kind = IG_HOOK_TP_BTF, .target = "sched_process_fork",
	  .progs = "sau_fork" },
	{ .role = "execs (dry run)", .kind = IG_HOOK_TP_BTF, .target = "sched_process_exec",
	  .progs = "sau_exec" },
	{ .role = "audit records", .kind = IG_HOOK_OTHER, .target = "raw_tp test run",
	  .progs = "sau_inject", .needs = IG_KF(IG_KF_RAW_TP) },
};

static const struct ig_gadget_desc sau_desc = {
	IG_GADGET_DESC_HEADER,
	.name = "seccomp-audit",
	.version = "0.1.0",
	.summary = "which syscalls seccomp filters log or deny (or a candidate profile would)",
	.description = "Live: one record per syscall a seccomp filter acted on (errno, log, "
		"trap, kill_thread, kill_process, user_notif, trace), seen as a sys_exit "
		"without sys_enter, a SIGSYS from seccomp, or an audit record; the same event "
		"seen twice is shown once. --profile FILE: evaluate a profile against the "
		"live syscalls without applying it and show what it would deny or log. "
		"--update PROFILE: collect what a staged profile logged and write it enforcing, "
		"with those syscalls added.",
	.kind = IG_KIND_TRACE | IG_KIND_ADVISE,
	.fields = fields,
	.nr_fields = F_NR,
	.params = params,
	.nr_params = IG_ARRAY_SIZE(params),
	.hooks = sau_hooks,
	.nr_hooks = IG_ARRAY_SIZE(sau_hooks),
	.init = sau_init,
	.stop = sau_stop,
	.report = sau_report,
	.destroy = sau_destroy,
	.container_added = sau_container_added,
};

IG_GADGET_DEFINE(sau_desc);
