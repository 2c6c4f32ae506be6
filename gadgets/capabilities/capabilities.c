// SPDX-License-Identifier: Apache-2.0
/*
 * capabilities gadget, user side: the field and parameter tables, set-up of
 * the BPF program (knobs, kallsyms ranges, filter maps) and the lifecycle.
 * Records: events.c; the advice report: report.c and advise.c.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <seccomp.h>

#include <ig/bpf_gadget.h>
#include <ig/gadget.h>

#include "capabilities_int.h"
#include "capabilities.skel.h"	/* after the types it uses */

#define CAPS_RING_BYTES		(2u * 1024 * 1024)	/* mapped twice: 4 MB of ig's RSS */

static const struct ig_enum_name verdict_names[] = {
	{ CAPS_VERDICT_ALLOW, "allow" },
	{ CAPS_VERDICT_DENY, "deny" },
	{ 0, NULL },
};

static const struct ig_enum_name creds_names[] = {
	{ CREDS_OWN, "own" },
	{ CREDS_OVERRIDE, "override" },
	{ CREDS_OTHER, "other" },
	{ 0, NULL },
};

/* One bit per capability: a trace record has one, an advice summary all. */
static const struct ig_enum_name cap_bits[] = {
	{ 1ull << 0, "CAP_CHOWN" },
	{ 1ull << 1, "CAP_DAC_OVERRIDE" },
	{ 1ull << 2, "CAP_DAC_READ_SEARCH" },
	{ 1ull << 3, "CAP_FOWNER" },
	{ 1ull << 4, "CAP_FSETID" },
	{ 1ull << 5, "CAP_KILL" },
	{ 1ull << 6, "CAP_SETGID" },
	{ 1ull << 7, "CAP_SETUID" },
	{ 1ull << 8, "CAP_SETPCAP" },
	{ 1ull << 9, "CAP_LINUX_IMMUTABLE" },
	{ 1ull << 10, "CAP_NET_BIND_SERVICE" },
	{ 1ull << 11, "CAP_NET_BROADCAST" },
	{ 1ull << 12, "CAP_NET_ADMIN" },
	{ 1ull << 13, "CAP_NET_RAW" },
	{ 1ull << 14, "CAP_IPC_LOCK" },
	{ 1ull << 15, "CAP_IPC_OWNER" },
	{ 1ull << 16, "CAP_SYS_MODULE" },
	{ 1ull << 17, "CAP_SYS_RAWIO" },
	{ 1ull << 18, "CAP_SYS_CHROOT" },
	{ 1ull << 19, "CAP_SYS_PTRACE" },
	{ 1ull << 20, "CAP_SYS_PACCT" },
	{ 1ull << 21, "CAP_SYS_ADMIN" },
	{ 1ull << 22, "CAP_SYS_BOOT" },
	{ 1ull << 23, "CAP_SYS_NICE" },
	{ 1ull << 24, "CAP_SYS_RESOURCE" },
	{ 1ull << 25, "CAP_SYS_TIME" },
	{ 1ull << 26, "CAP_SYS_TTY_CONFIG" },
	{ 1ull << 27, "CAP_MKNOD" },
	{ 1ull << 28, "CAP_LEASE" },
	{ 1ull << 29, "CAP_AUDIT_WRITE" },
	{ 1ull << 30, "CAP_AUDIT_CONTROL" },
	{ 1ull << 31, "CAP_SETFCAP" },
	{ 1ull << 32, "CAP_MAC_OVERRIDE" },
	{ 1ull << 33, "CAP_MAC_ADMIN" },
	{ 1ull << 34, "CAP_SYSLOG" },
	{ 1ull << 35, "CAP_WAKE_ALARM" },
	{ 1ull << 36, "CAP_BLOCK_SUSPEND" },
	{ 1ull << 37, "CAP_AUDIT_READ" },
	{ 1ull << 38, "CAP_PERFMON" },
	{ 1ull << 39, "CAP_BPF" },
	{ 1ull << 40, "CAP_CHECKPOINT_RESTORE" },
	{ 0, NULL },
};

static const struct ig_field caps_fields[F_NR] = {
	[F_TIMESTAMP] = { "timestamp", "when the check was made", IG_FT_TIMESTAMP,
			  IG_FK_TIMESTAMP, 35, IG_ALIGN_LEFT, IG_FIELD_HIDDEN, NULL },
	[F_MNTNS] = { "mntns", "mount namespace inode (finds the container)", IG_FT_UINT,
		      IG_FK_MNTNS, 11, IG_ALIGN_RIGHT, IG_FIELD_HIDDEN, NULL },
	[F_PID] = { "pid", "process id", IG_FT_UINT, IG_FK_PID, 7, IG_ALIGN_RIGHT, 0, NULL },
	[F_TID] = { "tid", "thread id", IG_FT_UINT, IG_FK_TID, 7, IG_ALIGN_RIGHT,
		    IG_FIELD_HIDDEN, NULL },
	[F_COMM] = { "comm", "command name", IG_FT_STRING, IG_FK_COMM, 16, IG_ALIGN_LEFT, 0,
		     NULL },
	[F_UID] = { "uid", "real user id of the task", IG_FT_UINT, IG_FK_UID, 6,
		    IG_ALIGN_RIGHT, 0, NULL },
	[F_GID] = { "gid", "real group id of the task", IG_FT_UINT, IG_FK_GID, 6,
		    IG_ALIGN_RIGHT, IG_FIELD_HIDDEN, NULL },
	[F_CAP] = { "cap", "capability checked (advice summary: the advised set)",
		    IG_FT_BITMASK, IG_FK_CAPABILITY, 22, IG_ALIGN_LEFT, 0, cap_bits },
	[F_CAPNUM] = { "capnum", "capability number", IG_FT_UINT, IG_FK_CAPABILITY, 6,
		       IG_ALIGN_RIGHT, IG_FIELD_HIDDEN, NULL },
	[F_VERDICT] = { "verdict", "allow or deny", IG_FT_ENUM, IG_FK_NONE, 7, IG_ALIGN_LEFT,
			0, verdict_names },
	[F_AUDIT] = { "audit", "audited check (false: the kernel asked with CAP_OPT_NOAUDIT)",
		      IG_FT_BOOL, IG_FK_NONE, 5, IG_ALIGN_LEFT, 0, NULL },
	[F_SYSCALL] = { "syscall", "syscall being executed", IG_FT_STRING, IG_FK_SYSCALL, 16,
			IG_ALIGN_LEFT, 0, NULL },
	[F_CREDS] = { "creds", "credentials checked: own, override (kernel borrowed "
		      "credentials, e.g. overlayfs copy-up) or other (a file opener's, "
		      "another task's)", IG_FT_ENUM, IG_FK_NONE, 8, IG_ALIGN_LEFT, 0, creds_names },
	[F_SETUP] = { "setup", "made by the runtime's set-up (runc init), not the workload",
		      IG_FT_BOOL, IG_FK_NONE, 5, IG_ALIGN_LEFT, IG_FIELD_HIDDEN, NULL },
	[F_TARGET_USERNS] = { "target_userns", "user namespace the capability is wanted in",
			      IG_FT_UINT, IG_FK_USERNS, 11, IG_ALIGN_RIGHT, IG_FIELD_HIDDEN,
			      NULL },
	[F_CURRENT_USERNS] = { "current_userns", "user namespace of the credentials",
			       IG_FT_UINT, IG_FK_USERNS, 11, IG_ALIGN_RIGHT, IG_FIELD_HIDDEN,
			       NULL },
};

static const struct ig_param caps_params[] = {
	{ "audit-only", "false", "drop non-audited checks (in the kernel)", NULL, IG_PT_BOOL,
	  0, 0 },
	{ "unique", "false", "report each (container, capability, verdict, audited) once, "
	  "deduplicated in the kernel", NULL, IG_PT_BOOL, 0, 0 },
	{ "advise", "false", "print no records; at the end, per container, the capabilities "
	  "the workload needed as Kubernetes securityContext and OCI process.capabilities",
	  NULL, IG_PT_BOOL, 0, 0 },
	{ "until-stable", NULL, "--advise: SECONDS: report a container once its advice grew no "
	  "capability for that long (-- COMMAND: end the run then)", NULL, IG_PT_STRING, 0, 0 },
	{ "output-dir", NULL, "--advise: write one advice per container into this directory "
	  "(made when missing)", NULL, IG_PT_DIR, 0, 0 },
	{ "update", NULL, "--advise: a previous advice document or an OCI process.capabilities "
	  "block whose capabilities every advice also gets (grow a set run after run)", NULL,
	  IG_PT_PATH, 0, 0 },
};

/* Point the BPF program at the capability functions; without them every
 * check is reported as audited, which the user is told. */
static void set_ranges(struct caps_state *st)
{
	struct caps_range *r = st->ranges;
	bool cached;
	int n, i;

	n = caps_ranges_for_boot(r, CAPS_MAX_RANGES, &cached);
	if (n < 0) {
		IG_WARN(st->host, "cannot locate the capability "
			"functions in /proc/kallsyms (%s): every check will show as audited; "
			"run as root with kernel.kptr_restrict < 2", strerror(-n));
		return;
	}
	for (i = 0; i < n; i++) {
		st->skel->rodata->range_start[i] = r[i].start;
		st->skel->rodata->range_end[i] = r[i].end;
		st->skel->rodata->range_kind[i] = r[i].kind;
	}
	st->skel->rodata->nr_ranges = n;
	st->nr_ranges = n;
	IG_DEBUG(st->host, "%d capability function ranges (%s)", n,
		 cached ? "cached for this boot" : "from /proc/kallsyms");
}

/*
 * Where the checks come from (ig/kernel.h), cheapest first: the tracepoint
 * (6.14), fexit on cap_capable (with a flush timer from 5.15, without before),
 * kprobe and kretprobe. fallback.bpf.h has the programs after the first.
 */
enum { CAPS_V_TP, CAPS_V_FEXIT, CAPS_V_FEXIT_NT, CAPS_V_KPROBE };

#define CAPS_ROLE	"capability checks"
static const struct ig_hook caps_hooks[] = {
	[CAPS_V_TP] = { .role = CAPS_ROLE, .kind = IG_HOOK_TP_BTF, .target = "cap_capable",
			.progs = "ig_cap_capable", .since = "6.14",
			.needs = IG_KF(IG_KF_RDONLY_CAST) | IG_KF(IG_KF_TIMER_CPU_PIN) },
	[CAPS_V_FEXIT] = { .role = CAPS_ROLE, .kind = IG_HOOK_FEXIT, .target = "cap_capable",
			   .progs = "cap_fexit cap_vm_fentry cap_vm_fexit cap_capset_fentry "
				    "cap_capset_fexit",
			   .note = "and its inlined callers", .needs = IG_KF(IG_KF_TIMER) },
	[CAPS_V_FEXIT_NT] = { .role = CAPS_ROLE, .kind = IG_HOOK_FEXIT,
			      .target = "cap_capable",
			      .progs = "cap_fexit_nt cap_vm_fentry cap_vm_fexit_nt "
				       "cap_capset_fentry cap_capset_fexit_nt",
			      .note = "and its inlined callers; no BPF timer: a sample per check" },
	[CAPS_V_KPROBE] = { .role = CAPS_ROLE, .kind = IG_HOOK_KPROBE, .target = "cap_capable",
			    .progs = "cap_kprobe cap_kretprobe cap_vm_kprobe cap_vm_kretprobe "
				     "cap_capset_kprobe cap_capset_kretprobe",
			    .note = "and its inlined callers; a sample per check" },
};

static const struct ig_gadget_desc caps_desc;

/* The variant the core chose, and the knobs for what the kernel has. */
static int choose_variant(struct caps_state *st)
{
	const struct ig_host *host = st->host;
	struct capabilities_bpf *skel = st->skel;
	bool task_btf = host->kernel_has(host->ctx, IG_KF_TASK_BTF) == 1;
	int err;

	st->variant = ig_gadget_hook_variant(host, &caps_desc, CAPS_ROLE);
	err = ig_gadget_select_programs(host, &caps_desc, skel->obj);
	if (err || st->variant < 0)
		return err ? err : -ENOENT;
	st->miss_prog = st->variant == CAPS_V_TP ? skel->progs.ig_cap_capable :
		   st->variant == CAPS_V_FEXIT ? skel->progs.cap_fexit :
		   st->variant == CAPS_V_FEXIT_NT ? skel->progs.cap_fexit_nt :
		   skel->progs.cap_kretprobe;
	skel->rodata->ig_task_btf = task_btf;
	skel->rodata->caps_pt_regs = task_btf &&
				     host->kernel_has(host->ctx, IG_KF_TASK_PT_REGS) == 1;
	skel->rodata->caps_timer_pin = host->kernel_has(host->ctx, IG_KF_TIMER_CPU_PIN) == 1;
	ig_gadget_fit_maps(host, skel->obj);
	return 0;
}

static bool param_on(const struct ig_host *host, const char *name)
{
	const struct ig_param_value *v = host->param(host->ctx, name);

	return v && v->u;
}

static int caps_load(struct caps_state *st)
{
	const struct ig_host *host = st->host;
	struct capabilities_bpf *skel;
	int err;

	skel = capabilities_bpf__open();
	if (!skel)
		return -errno;
	st->skel = skel;
	skel->rodata->ig_filter_mode = host->filter_mode(host->ctx);
	/* --advise aggregates in the kernel: its ring stays unused, one page */
	err = bpf_map__set_max_entries(skel->maps.events, st->advise ? 4096 : CAPS_RING_BYTES);
	if (err)
		return err;
	skel->rodata->ig_rb_wakeup_bytes = CAPS_RING_BYTES / 4;
	err = libbpf_num_possible_cpus();
	if (err < 0)
		return err;
	err = bpf_map__set_max_entries(skel->maps.caps_batches, err);
	if (err)
		return err;
	skel->rodata->targ_audit_only = param_on(host, "audit-only");
	skel->rodata->targ_unique = param_on(host, "unique");
	skel->rodata->targ_advise = st->advise;
	err = choose_variant(st);
	if (err)
		return err;
	/* the tracepoint lacks opts: audited is told from the call stack */
	if (st->variant == CAPS_V_TP)
		set_ranges(st);
	err = ig_gadget_reuse_filter(host, skel->obj);
	if (err)
		return err;
	err = capabilities_bpf__load(skel);
	if (err)
		return err;
	if (!st->advise) {
		err = host->ring_add(host->ctx, bpf_map__fd(skel->maps.events),
				     bpf_map__fd(skel->maps.events_lost), caps_on_event, st);
		if (err)
			return err;
	}
	err = capabilities_bpf__attach(skel);
	if (err)
		return err;
	if (st->variant == CAPS_V_TP)
		caps_calibrate(st->host, st->skel, st->ranges, st->nr_ranges);
	return 0;
}

static void caps_destroy(void *state)
{
	struct caps_state *st = state;

	if (!st)
		return;
	capabilities_bpf__destroy(st->skel);
	caps_syscall_names_free();
	caps_lifecycle__free(st);
	free(st);
}

static int caps_init(const struct ig_host *host, void **state)
{
	struct caps_state *st;
	int err;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->host = host;
	st->advise = param_on(host, "advise");
	if (st->advise && param_on(host, "audit-only")) {
		/* The advice must see every check the workload made; dropping the
		 * non-audited ones left it empty. */
		IG_ERROR(host, "--audit-only and --advise do not go together: the advice "
			 "needs every capability check; use one of them");
		free(st);
		return -EINVAL;
	}
	if (st->advise && param_on(host, "unique"))
		IG_WARN(host, "--unique has no effect with --advise (the "
			"advice counts every check in the kernel)");
	*state = st;
	err = caps_lifecycle__configure(st);
	if (err)
		return err;
	err = caps_load(st);
	if (err)
		IG_ERROR(host, "cannot load or attach the %s program: %s (-v shows "
			 "libbpf's messages)", caps_hooks[st->variant >= 0 ? st->variant : 0].progs,
			 strerror(-err));
	return err;
}

/* Read a per-CPU counter of caps_stats, summed. */
static uint64_t stat_sum(struct caps_state *st, uint32_t idx)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t sum = 0, *vals;
	int i;

	if (ncpu <= 0 || !(vals = calloc(ncpu, sizeof(*vals))))
		return 0;
	if (!bpf_map_lookup_elem(bpf_map__fd(st->skel->maps.caps_stats), &idx, vals))
		for (i = 0; i < ncpu; i++)
			sum += vals[i];
	free(vals);
	return sum;
}

/* Checks the kernel skipped because the program was already running on that
 * CPU (a check from a softirq that interrupted it): lost, and said so. */
static void count_recursion_misses(struct caps_state *st)
{
	struct bpf_prog_info info = { 0 };
	uint32_t len = sizeof(info);

	if (bpf_obj_get_info_by_fd(bpf_program__fd(st->miss_prog), &info, &len))
		return;
	if (info.recursion_misses)
		st->host->add_lost(st->host->ctx, info.recursion_misses);
}

static void caps_stop(void *state)
{
	struct caps_state *st = state;
	uint64_t n;

	if (!st || st->stopped)
		return;
	st->stopped = true;
	if (!st->advise)
		caps_flush_batches_now(st);
	capabilities_bpf__detach(st->skel);
	if (!st->advise)
		caps_flush_batches_left(st);
	count_recursion_misses(st);
	n = stat_sum(st, CAPS_STAT_UNIQ_FULL);
	if (n)
		IG_WARN(st->host, "the --unique table filled up: %llu "
			"records were sent without deduplication", (unsigned long long)n);
	n = stat_sum(st, CAPS_STAT_AGG_FULL);
	if (n) {
		IG_WARN(st->host, "the advice table filled up: %llu "
			"checks were not counted; the advice may miss capabilities",
			(unsigned long long)n);
		st->host->add_lost(st->host->ctx, n);
	}
	if (st->variant == CAPS_V_TP)
		IG_INFO(st->host, "%llu checks needed a full stack walk to tell whether they "
			"were audited", (unsigned long long)stat_sum(st, CAPS_STAT_SLOW));
}

/* How the recordings still open ended: the command's run by --until-stable
 * or by exiting, anything else by ig stopping. */
static enum adv_end end_of_run(const struct caps_state *st)
{
	int pid = st->host->command_pid(st->host->ctx);

	if (st->host->target(st->host->ctx) != IG_TARGET_COMMAND)
		return ADV_END_STOP;
	if (st->run_ended)
		return ADV_END_STABLE;
	return pid > 0 && !kill(pid, 0) ? ADV_END_STOP : ADV_END_EXIT;
}

static int caps_report(void *state)
{
	struct caps_state *st = state;

	if (!st || !st->advise)
		return 0;
	return caps_report_all(st, end_of_run(st));
}

static void caps_container_removed(void *state, const struct ig_container *c)
{
	struct caps_state *st = state;

	if (st && st->advise && !st->stopped)
		caps_report_mntns(st, c->mntns, ADV_END_EXIT);
}

/* --until-stable: a container's advice now; the command's run ended. */
static void caps_tick(void *state)
{
	struct caps_state *st = state;
	uint64_t *stable = NULL;
	int i, n = caps_lifecycle__tick(st, &stable);

	for (i = 0; i < n; i++) {
		if (st->host->target(st->host->ctx) != IG_TARGET_COMMAND) {
			caps_report_mntns(st, stable[i], ADV_END_STABLE);
		} else if (!st->run_ended) {
			st->run_ended = true;
			st->host->end_run(st->host->ctx);
		}
	}
	free(stable);
}

static const struct ig_gadget_desc caps_desc = {
	IG_GADGET_DESC_HEADER,
	.name = "capabilities",
	.version = "0.1.0",
	.summary = "trace capability checks; advise the minimal capability set",
	.description = "One record per capability check (tracepoint capability:cap_capable) "
		"with its verdict, whether it was audited and the syscall. With --advise, "
		"one document per container at the end: the capabilities its workload needed, "
		"as Kubernetes securityContext.capabilities and OCI process.capabilities. "
		"Non-audited checks, runc's own set-up and checks with overridden credentials "
		"are left out of the advice.",
	.kind = IG_KIND_TRACE | IG_KIND_ADVISE,
	.fields = caps_fields,
	.nr_fields = F_NR,
	.params = caps_params,
	.nr_params = IG_ARRAY_SIZE(caps_params),
	.hooks = caps_hooks,
	.nr_hooks = IG_ARRAY_SIZE(caps_hooks),
	.init = caps_init,
	.stop = caps_stop,
	.report = caps_report,
	.destroy = caps_destroy,
	.container_removed = caps_container_removed,
	.tick = caps_tick,
};

IG_GADGET_DEFINE(caps_desc);
