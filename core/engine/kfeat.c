// SPDX-License-Identifier: Apache-2.0
/*
 * What the running kernel lets BPF programs do, asked once and remembered.
 *
 * BTF first: a kfunc, a struct or an enumerator that only newer kernels
 * have answers without touching the bpf() syscall. Where BTF cannot tell --
 * is a program type allowed here (the development machines refuse fentry
 * and kprobes), does a helper exist for a program type -- a probe loads a
 * two-instruction program and closes it: about a millisecond, and only for
 * the features somebody asks about. A helper is there unless the verifier
 * says the function is unknown: calling it with zeroed arguments fails on
 * the arguments otherwise, which is fine, nothing runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/btf.h>

#include "core/base/log.h"
#include "kfeat.h"

#define DISABLE_ENV	"IG_DISABLE_FEATURES"
#ifndef ENOTSUPP
#define ENOTSUPP	524	/* the kernel's own "not supported" */
#endif

enum { UNKNOWN = 0, HAS, MISSING, REFUSED, DISABLED };

static const struct {
	const char *name;
	const char *what;
	const char *since;
} info[IG_KF_NR] = {
	[IG_KF_TP_BTF] = { "tp_btf", "BTF-typed tracepoint programs", "5.5" },
	[IG_KF_RAW_TP] = { "raw_tp", "raw tracepoint programs and their test runs", "5.10" },
	[IG_KF_FENTRY] = { "fentry", "fentry/fexit programs", "5.5" },
	[IG_KF_KPROBE] = { "kprobe", "kprobes", "4.1, CONFIG_KPROBES" },
	[IG_KF_RINGBUF] = { "ringbuf", "BPF ring buffers", "5.8" },
	[IG_KF_TASK_BTF] = { "task_btf", "bpf_get_current_task_btf() in tracing programs",
			     "5.11" },
	[IG_KF_TASK_BTF_ANY] = { "task_btf_any",
				 "bpf_get_current_task_btf() in every program type", "5.17" },
	[IG_KF_TASK_STORAGE] = { "task_storage", "task local storage in tracing programs",
				 "5.11" },
	[IG_KF_TASK_PT_REGS] = { "task_pt_regs", "bpf_task_pt_regs()", "5.15" },
	[IG_KF_TIMER] = { "timer", "BPF timers", "5.15" },
	[IG_KF_TIMER_CPU_PIN] = { "timer_cpu_pin", "BPF timers pinned to a CPU", "6.7" },
	[IG_KF_RDONLY_CAST] = { "rdonly_cast", "the bpf_rdonly_cast() kfunc", "6.2" },
	[IG_KF_RUNTIME_ALLOC] = { "runtime_alloc",
				  "hash maps allocated at run time in kprobe/raw_tp programs",
				  "6.1" },
};

static int state[IG_KF_NR];
static int refused_err[IG_KF_NR];
static const char *missing_why[IG_KF_NR];	/* NULL: "not in this kernel" */
static bool disabled_read;

/* ------------------------------------------------------------ BTF */

#define MAX_NAMES	64

static struct ig_kbtf_name known[MAX_NAMES];
static size_t nr_known;

/* What the probes below ask BTF: asked with the first question, so that one
 * walk over the kernel's BTF answers a whole run. */
static const struct ig_kbtf_name feature_names[] = {
	{ BTF_KIND_TYPEDEF, "btf_trace_sys_enter", 0 },
	{ BTF_KIND_FUNC, "vfs_read", 0 },
	{ BTF_KIND_FUNC, "bpf_rdonly_cast", 0 },
	{ BTF_KIND_STRUCT, "bpf_mem_alloc", 0 },
	{ IG_KBTF_ENUMERATOR, "BPF_F_TIMER_CPU_PIN", 0 },
};

void ig_kfeat__btf(struct ig_kbtf_name *q, size_t n)
{
	struct ig_kbtf_name ask[MAX_NAMES];
	size_t i, k, nr_ask = 0;

	if (!nr_known)
		for (i = 0; i < IG_ARRAY_SIZE(feature_names); i++)
			ask[nr_ask++] = feature_names[i];

	for (i = 0; i < n; i++) {
		q[i].id = -ENOENT;
		for (k = 0; k < nr_known; k++)
			if (known[k].kind == q[i].kind && !strcmp(known[k].name, q[i].name))
				break;
		if (k < nr_known)
			q[i].id = known[k].id;
		else if (nr_ask < MAX_NAMES)
			ask[nr_ask++] = q[i];
	}
	if (!nr_ask)
		return;
	if (ig_kbtf__find_names(ask, nr_ask))
		ig_dbg("cannot read the kernel's BTF: every BTF question says no");
	for (k = 0; k < nr_ask; k++) {
		for (i = 0; i < n; i++)
			if (q[i].kind == ask[k].kind && !strcmp(q[i].name, ask[k].name))
				q[i].id = ask[k].id;
		/* names are static strings of the gadget or of this file, but a
		 * gadget may be closed before the next question: keep a copy */
		if (nr_known < MAX_NAMES && (ask[k].name = strdup(ask[k].name)))
			known[nr_known++] = ask[k];
	}
}

static int btf_id(int kind, const char *name)
{
	struct ig_kbtf_name q = { kind, name, 0 };

	ig_kfeat__btf(&q, 1);
	return q.id;
}

/* ------------------------------------------------------------ probes */

/* r0 = 0; exit, or a call of helper first. */
static int load(enum bpf_prog_type type, enum bpf_attach_type attach, int attach_btf_id,
		int helper, char *log, size_t loglen)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_JMP | BPF_CALL, .imm = helper },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = attach,
		    .log_buf = log, .log_size = (__u32)loglen, .log_level = log ? 1 : 0);
	int fd;

	if (attach_btf_id > 0)
		opts.attach_btf_id = (__u32)attach_btf_id;
	fd = bpf_prog_load(type, NULL, "GPL", helper ? insns : insns + 1, helper ? 3 : 2,
			   &opts);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* A tracing program on the sys_enter tracepoint, which every kernel has. */
static int load_tp_btf(int helper, char *log, size_t loglen)
{
	int id = btf_id(BTF_KIND_TYPEDEF, "btf_trace_sys_enter");

	if (id < 0)
		return -ENOENT;
	return load(BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, id, helper, log, loglen);
}

static int probe_helper(enum bpf_prog_type type, int helper)
{
	char log[4096] = "";
	int err;

	if (type == BPF_PROG_TYPE_TRACING)
		err = load_tp_btf(helper, log, sizeof(log));
	else
		err = load(type, BPF_CGROUP_INET4_CONNECT, 0, helper, log, sizeof(log));
	if (!err)
		return HAS;
	/* refused before the verifier ran (no log), or an unknown function;
	 * anything else is about the zeroed arguments: the helper is there */
	if (!log[0] || strstr(log, "invalid func") || strstr(log, "unknown func"))
		return MISSING;
	return HAS;
}

static bool kprobe_pmu(void)
{
	return !access("/sys/bus/event_source/devices/kprobe/type", R_OK);
}

static int from_err(int f, int err)
{
	if (!err)
		return HAS;
	if (err == -EPERM || err == -EACCES || err == -EOPNOTSUPP || err == -ENOTSUPP) {
		refused_err[f] = -err;
		return REFUSED;
	}
	return MISSING;
}

static int probe(int f)
{
	int fd, id;

	switch (f) {
	case IG_KF_TP_BTF:
		return from_err(f, load_tp_btf(0, NULL, 0));
	case IG_KF_RAW_TP:
		return from_err(f, load(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, 0, NULL, 0));
	case IG_KF_FENTRY:
		/* vfs_read: in every kernel's BTF, and traceable */
		id = btf_id(BTF_KIND_FUNC, "vfs_read");
		if (id < 0)
			return MISSING;
		return from_err(f, load(BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, id, 0, NULL, 0));
	case IG_KF_KPROBE:
		if (!kprobe_pmu()) {
			missing_why[f] = "not in this kernel (no kprobe PMU: CONFIG_KPROBES is off)";
			return MISSING;
		}
		return from_err(f, load(BPF_PROG_TYPE_KPROBE, 0, 0, 0, NULL, 0));
	case IG_KF_RINGBUF:
		fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, NULL, 0, 0, 4096, NULL);
		if (fd < 0)
			return from_err(f, -errno);
		close(fd);
		return HAS;
	case IG_KF_TASK_BTF:
		return probe_helper(BPF_PROG_TYPE_TRACING, BPF_FUNC_get_current_task_btf);
	case IG_KF_TASK_BTF_ANY:
		return probe_helper(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_FUNC_get_current_task_btf);
	case IG_KF_TASK_STORAGE:
		return probe_helper(BPF_PROG_TYPE_TRACING, BPF_FUNC_task_storage_get);
	case IG_KF_TASK_PT_REGS:
		return probe_helper(BPF_PROG_TYPE_TRACING, BPF_FUNC_task_pt_regs);
	case IG_KF_TIMER:
		return probe_helper(BPF_PROG_TYPE_TRACING, BPF_FUNC_timer_init);
	case IG_KF_TIMER_CPU_PIN:
		if (btf_id(IG_KBTF_ENUMERATOR, "BPF_F_TIMER_CPU_PIN") < 0)
			return MISSING;
		return ig_kfeat__has(IG_KF_TIMER) ? HAS : MISSING;
	case IG_KF_RDONLY_CAST:
		return btf_id(BTF_KIND_FUNC, "bpf_rdonly_cast") > 0 ? HAS : MISSING;
	case IG_KF_RUNTIME_ALLOC:
		return btf_id(BTF_KIND_STRUCT, "bpf_mem_alloc") > 0 ? HAS : MISSING;
	}
	return MISSING;
}

/* ------------------------------------------------------------ disabling */

static int feature_by_name(const char *name, size_t len)
{
	int f;

	for (f = 0; f < IG_KF_NR; f++)
		if (strlen(info[f].name) == len && !strncmp(info[f].name, name, len))
			return f;
	return -1;
}

/* IG_DISABLE_FEATURES, read once; bad_name keeps an unknown name for
 * ig_kfeat__init() to report, whoever read it first. */
static char bad_name[64];

static void read_disabled(void)
{
	const char *list = getenv(DISABLE_ENV), *p, *end;
	int f;

	disabled_read = true;
	for (p = list; p && *p; p = *end ? end + 1 : end) {
		end = p + strcspn(p, ", ");
		if (end == p)
			continue;
		f = feature_by_name(p, (size_t)(end - p));
		if (f >= 0)
			state[f] = DISABLED;
		else if (!bad_name[0])
			snprintf(bad_name, sizeof(bad_name), "%.*s", (int)(end - p), p);
	}
}

int ig_kfeat__init(void)
{
	char names[512] = "";
	int f;

	if (!disabled_read)
		read_disabled();
	if (!bad_name[0])
		return 0;
	for (f = 0; f < IG_KF_NR; f++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 f ? ", " : "", info[f].name);
	ig_err("%s: unknown feature '%s' (known: %s)", DISABLE_ENV, bad_name, names);
	return -EINVAL;
}

/* ------------------------------------------------------------ answers */

int ig_kfeat__has(int f)
{
	if (f < 0 || f >= IG_KF_NR)
		return -EINVAL;
	if (!disabled_read)
		read_disabled();
	if (state[f] == UNKNOWN) {
		state[f] = probe(f);
		ig_dbg("kernel feature %s: %s", info[f].name,
		       state[f] == HAS ? "yes" : ig_kfeat__why_not(f));
	}
	return state[f] == HAS;
}

const char *ig_kfeat__name(int f)
{
	return f >= 0 && f < IG_KF_NR ? info[f].name : "?";
}

const char *ig_kfeat__what(int f)
{
	return f >= 0 && f < IG_KF_NR ? info[f].what : "?";
}

const char *ig_kfeat__since(int f)
{
	return f >= 0 && f < IG_KF_NR ? info[f].since : "?";
}

const char *ig_kfeat__why_not(int f)
{
	static char buf[96];

	if (f < 0 || f >= IG_KF_NR)
		return "unknown";
	switch (state[f]) {
	case DISABLED:
		return "disabled by " DISABLE_ENV;
	case REFUSED:
		snprintf(buf, sizeof(buf), "refused by this kernel (%s)",
			 strerror(refused_err[f]));
		return buf;
	case MISSING:
		return missing_why[f] ? missing_why[f] : "not in this kernel";
	default:
		return "";
	}
}
