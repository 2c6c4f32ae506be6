// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-audit: events to records. Ring buffer samples (skipped syscalls,
 * SIGSYS signals, audit records injected by the reader thread, dry-run
 * sys_enter samples evaluated against the profile) become merge entries;
 * what the merge lets through becomes a record.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "seccomp_audit.h"
#include "seccomp_audit_int.h"

uint64_t sau_now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void sau_emit_rec(void *ctx, const struct sau_rec *r)
{
	struct sau_state *st = ctx;
	struct ig_value v[F_NR] = { 0 };
	char ebuf[16], nbuf[16];
	const char *ename = NULL;
	char *name;

	if (st->unique && !sau_uniq_first(st->uniq, r->mntns, r->nr, r->act))
		return;
	if (st->upd)	/* --update: the report lists them */
		return;
	name = seccomp_syscall_resolve_num_arch(r->arch ? r->arch : SCMP_ARCH_NATIVE, r->nr);
	if (!name)
		snprintf(nbuf, sizeof(nbuf), "%d", r->nr);
	if (r->err >= 0) {
		ename = r->err ? strerrorname_np(r->err) : NULL;
		if (!ename) {
			snprintf(ebuf, sizeof(ebuf), "%d", r->err);
			ename = ebuf;
		}
	}
	v[F_TS] = ig_val_u64(r->ts);
	v[F_MNTNS] = ig_val_u64(r->mntns);
	v[F_PID] = ig_val_u64(r->pid);
	if (r->tid)
		v[F_TID] = ig_val_u64(r->tid);
	v[F_COMM] = ig_val_strn(r->comm, (uint32_t)strnlen(r->comm, sizeof(r->comm)));
	v[F_SYSCALL] = ig_val_str(name ? name : nbuf);
	v[F_ACTION] = ig_val_u64(r->act);
	v[F_ERRNO] = ig_val_str(ename);
	v[F_SOURCE] = ig_val_u64(r->sources);
	st->host->emit(st->host->ctx, v);
	free(name);
}

static void rec_from_event(struct sau_rec *r, const struct sau_event *e)
{
	memset(r, 0, sizeof(*r));
	r->ts = e->hdr.timestamp;
	r->mntns = e->hdr.mntns;
	r->pid = e->hdr.pid;
	r->tid = e->hdr.tid;
	memcpy(r->comm, e->hdr.comm, sizeof(r->comm));
	r->comm[sizeof(r->comm) - 1] = '\0';
	r->nr = e->nr;
	r->arch = e->arch;
	r->err = -1;
}

static void on_enter(struct sau_state *st, const struct sau_event *e)
{
	uint32_t ret = sau_filter_run_arch(st->filter, e->arch, e->nr, (const uint64_t *)e->args);
	struct sau_rec r;

	rec_from_event(&r, e);
	r.act = sp_act_from_ret(ret);
	if (r.act == SP_ACT_ALLOW)
		return;
	if (r.act == SP_ACT_ERRNO)
		r.err = (int)(ret & 0xffff);
	r.sources = SAU_SRC_PROFILE;
	sau_emit_rec(st, &r);
}

int sau_on_sample(void *ctx, void *data, size_t size)
{
	struct sau_state *st = ctx;
	const struct sau_event *e = data;
	struct sau_rec r;

	if (size < sizeof(*e))
		return 0;
	rec_from_event(&r, e);
	IG_DEBUG(st->host, "event type %u pid %u tid %u nr %d ret %lld", e->type, e->hdr.pid,
		 e->hdr.tid, e->nr, (long long)e->ret);
	switch (e->type) {
	case SAU_EV_ENTER:
		if (st->filter)
			on_enter(st, e);
		return 0;
	case SAU_EV_EXIT:
		/* skipped with -errno or 0: errno (trace and user_notif look
		 * the same; only an audit copy can tell them apart) */
		r.act = SP_ACT_ERRNO;
		r.err = (int)-e->ret;
		r.sources = SAU_SRC_EXIT;
		break;
	case SAU_EV_SIGNAL:
		/* KILL_THREAD in a multi-threaded process exits without a
		 * signal, so a kill signal is KILL_PROCESS unless audit says
		 * otherwise (single-threaded: both look the same) */
		r.act = e->sig_kind == SAU_SIG_KILL ? SP_ACT_KILL_PROCESS : SP_ACT_TRAP;
		r.sources = SAU_SRC_SIGNAL;
		break;
	case SAU_EV_AUDIT:
		r.act = sp_act_from_ret((uint32_t)e->ret);
		if (r.act == SP_ACT_ERRNO)
			r.err = (int)(e->ret & 0xffff);
		r.sources = SAU_SRC_AUDIT;
		break;
	case SAU_EV_TICK:
		sau_merge_flush(st->merge, sau_now_ns(CLOCK_MONOTONIC), false);
		return 0;
	default:
		return 0;
	}
	sau_merge_add(st->merge, &r, sau_now_ns(CLOCK_MONOTONIC));
	sau_merge_flush(st->merge, sau_now_ns(CLOCK_MONOTONIC), false);
	return 0;
}

/* /proc/<pid>/ns/mnt inode, 0 if gone */
static uint64_t proc_mntns(uint32_t pid)
{
	char path[64], link[64];
	unsigned long long ino = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/ns/mnt", pid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	if (sscanf(link, "mnt:[%llu]", &ino) != 1)
		return 0;
	return ino;
}

/* Reader thread: shape an audit record (or a tick) as an event and push it
 * through the inject program. Touches only BPF syscalls, no host service. */
void sau_on_audit(void *ctx, const struct sau_audit_rec *a)
{
	struct sau_state *st = ctx;
	struct sau_event e = { 0 };
	struct sau_inject_ctx in = { (uint64_t)(uintptr_t)&e, sizeof(e) };
	struct sau_proc proc;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &in, .ctx_size_in = sizeof(in));

	if (!a) {
		e.type = SAU_EV_TICK;
	} else {
		/* only tasks the BPF side saw are selected */
		if (!bpf_map_lookup_elem(st->procs_fd, &a->pid, &proc)) {
			e.hdr.mntns = proc.mntns;
		} else if (st->unfiltered) {
			e.hdr.mntns = proc_mntns(a->pid);
		} else {
			return;
		}
		if (st->upd && sp_act_from_ret(a->code) == SP_ACT_LOG)
			sau_update__add(st->upd, e.hdr.mntns, a);
		e.type = SAU_EV_AUDIT;
		e.hdr.timestamp = a->wall_ms * 1000000ull - (uint64_t)st->wall_minus_boot_ns;
		e.hdr.pid = a->pid;
		memcpy(e.hdr.comm, a->comm, sizeof(e.hdr.comm));
		e.nr = a->nr;
		e.arch = a->arch;
		e.ret = a->code;
	}
	bpf_prog_test_run_opts(st->inject_fd, &opts);
}
