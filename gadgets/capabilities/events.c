// SPDX-License-Identifier: Apache-2.0
/*
 * capabilities gadget: checks to records. A ring buffer sample is one CPU's
 * batch of checks (batch.c walks it); each check is decoded into a record.
 * At stop, the batches the CPUs still hold are sent and read.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <ig/gadget.h>

#include "capabilities_int.h"
#include "capabilities.skel.h"	/* after the types it uses */

int caps_decode(const void *data, size_t size, struct ig_value *vals,
		caps_syscall_name_fn sysname)
{
	const struct cap_event *e = data;
	const char *name;
	uint64_t creds = CREDS_OWN;

	if (size < sizeof(*e) || e->cap >= CAPS_NR)
		return -EINVAL;
	if (e->flags & CAPS_F_OVERRIDE)
		creds = CREDS_OVERRIDE;
	else if (e->flags & CAPS_F_OTHER_CRED)
		creds = CREDS_OTHER;
	name = e->syscall >= 0 && sysname ? sysname(e->syscall) : NULL;

	vals[F_TIMESTAMP] = ig_val_u64(e->timestamp);
	vals[F_MNTNS] = ig_val_u64(e->mntns);
	vals[F_PID] = ig_val_u64(e->pid);
	vals[F_TID] = ig_val_u64(e->tid);
	vals[F_COMM] = ig_val_strn(e->comm, strnlen(e->comm, sizeof(e->comm)));
	vals[F_UID] = ig_val_u64(e->uid);
	vals[F_GID] = ig_val_u64(e->gid);
	vals[F_CAP] = ig_val_u64(1ull << e->cap);
	vals[F_CAPNUM] = ig_val_u64(e->cap);
	vals[F_VERDICT] = ig_val_u64(e->verdict);
	vals[F_AUDIT] = ig_val_bool(e->flags & CAPS_F_AUDIT);
	vals[F_SYSCALL] = ig_val_str(name);	/* unset when not in a syscall */
	vals[F_CREDS] = ig_val_u64(creds);
	vals[F_SETUP] = ig_val_bool(e->flags & CAPS_F_SETUP);
	vals[F_TARGET_USERNS] = ig_val_u64(e->target_userns);
	vals[F_CURRENT_USERNS] = ig_val_u64(e->current_userns);
	return 0;
}

static int emit_check(void *ctx, const struct cap_event *e)
{
	struct caps_state *st = ctx;
	struct ig_value vals[F_NR];

	if (caps_decode(e, sizeof(*e), vals, caps_syscall_name)) {
		IG_WARN(st->host, "dropping a malformed event");
		return 0;
	}
	return st->host->emit(st->host->ctx, vals);
}

/* One sample is one CPU's batch of records (capabilities.h). */
int caps_on_event(void *ctx, void *data, size_t size)
{
	struct caps_state *st = ctx;
	int n = caps_walk_batch(data, size, emit_check, st);

	if (n == -EINVAL) {
		IG_WARN(st->host, "dropping the rest of a malformed sample (%zu bytes)", size);
		return 0;
	}
	return n < 0 ? n : 0;
}

/*
 * Before detach: stop the program taking checks (CAPS_CTL_STOP) and make one
 * check of our own on every CPU we may run on, which sends that CPU's batch
 * (the program runs on the CPU of the check). Faster than waiting for the
 * flush timers. A CPU we cannot run on (offline, outside our cpuset) is
 * left to its timer: caps_flush_batches_left().
 */
void caps_flush_batches_now(struct caps_state *st)
{
	uint32_t cpu, n = bpf_map__max_entries(st->skel->maps.caps_batches);
	cpu_set_t saved, one;

	st->skel->bss->ctl_tid = syscall(SYS_gettid);
	st->skel->bss->ctl = CAPS_CTL_STOP;
	if (sched_getaffinity(0, sizeof(saved), &saved))
		return;
	for (cpu = 0; cpu < n && cpu < CPU_SETSIZE; cpu++) {
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (!sched_setaffinity(0, sizeof(one), &one))
			caps_own_check();
	}
	sched_setaffinity(0, sizeof(saved), &saved);
}

/* Read CPU cpu's batch into b; true when it holds records. */
static bool batch_pending(int fd, uint32_t cpu, struct caps_batch *b)
{
	return !bpf_map_lookup_elem(fd, &cpu, b) && b->len && b->len < CAPS_BATCH_BYTES;
}

/*
 * After detach: a batch left on a CPU we could not visit is flushed by its
 * timer within CAPS_FLUSH_NS; wait for that so the host's last drain finds
 * it. A batch still there after that (a timer that could not start) is
 * emitted here.
 */
void caps_flush_batches_left(struct caps_state *st)
{
	int fd = bpf_map__fd(st->skel->maps.caps_batches);
	struct timespec wait = { 0, 2 * CAPS_FLUSH_NS };
	uint32_t cpu, n = bpf_map__max_entries(st->skel->maps.caps_batches);
	struct caps_batch b;
	bool waited = false;

	for (cpu = 0; cpu < n; cpu++) {
		if (!batch_pending(fd, cpu, &b))
			continue;
		if (!waited) {
			nanosleep(&wait, NULL);
			waited = true;
			if (!batch_pending(fd, cpu, &b))
				continue;
		}
		IG_DEBUG(st->host, "%u bytes of records left in CPU %u's batch", b.len, cpu);
		caps_on_event(st, b.buf, b.len);
	}
}
