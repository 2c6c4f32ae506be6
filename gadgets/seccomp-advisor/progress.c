// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor: how complete each recording is. Every tick (250 ms) the
 * slots of the targets still recorded are read (both phases, OR over CPUs,
 * no argument values) and compared with what was seen before: a syscall not
 * seen before is new, and came when the BPF side last stamped the bitmaps
 * (the exact time when it was the only new bit since the last poll, within
 * the poll's 250 ms otherwise). The
 * status line shows it; --until-stable hands back the targets that learned
 * nothing for that long, for report.c to report. In command mode the
 * target is the command (key 0), its syscalls the union of the runs so far
 * (runs.c), and --until-stable looks at the current run alone: a run that
 * learned nothing for that long is ended (host->end_run) and the next one
 * starts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>

#include "seccomp_advisor_int.h"

struct sa_prog {
	uint64_t key;			/* mount namespace inode, 0: the command */
	struct adv_track tr;
	struct sa_set *seen;		/* what the last poll saw */
};

struct adv_track *sa_progress__track(struct sa_state *st, uint64_t key)
{
	struct sa_prog *t;
	uint32_t i;

	t = adv_targets__get(st->prog, &st->nr_prog, sizeof(*t), offsetof(struct sa_prog, tr), key,
			     &i);
	if (!t)
		return NULL;
	st->prog = t;
	return &t[i].tr;
}

static struct sa_prog *prog_of(struct sa_state *st, uint64_t key)
{
	struct adv_track *t = sa_progress__track(st, key);

	return t ? (struct sa_prog *)((char *)t - offsetof(struct sa_prog, tr)) : NULL;
}

/* The name of a syscall in now that was not in before (the lowest). */
static void newest(const struct sa_state *st, const struct sa_set *now, const struct sa_set *before,
		   char *buf, size_t size)
{
	uint32_t nr, arch;
	char *name;
	int c;

	buf[0] = '\0';
	for (c = 0; c < 2; c++) {
		arch = c ? st->names.compat_arch : st->names.native_arch;
		for (nr = 0; nr < now->nr_syscalls; nr++) {
			if (!sa_set__has(now, c, nr) || (before && sa_set__has(before, c, nr)))
				continue;
			name = arch ? seccomp_syscall_resolve_num_arch(arch, (int)nr) : NULL;
			snprintf(buf, size, "%s", name ? name : "?");
			free(name);
			return;
		}
	}
}

/* Poll one target: its syscalls so far into p (p->seen keeps them). */
static void poll_one(struct sa_state *st, struct sa_prog *p, struct sa_set *cur, uint64_t now)
{
	char name[64] = "";
	uint32_t n = sa_set__count(cur, false) + sa_set__count(cur, true);

	if (n > p->tr.items)
		newest(st, cur, p->seen, name, sizeof(name));
	/* the BPF side's stamp: when the new syscall came, not when we saw it */
	if (cur->stamp && cur->stamp <= now && cur->stamp > p->tr.last_new_ns)
		now = cur->stamp;
	/* syscalls from before the first poll of a container */
	if (now < p->tr.start_ns)
		p->tr.start_ns = now;
	if (adv_track__items(&p->tr, n, now, name)) {
		if (!p->seen)
			p->seen = sa_set__new(cur->nr_syscalls);
		if (p->seen)
			sa_set__or(p->seen, cur);
	}
}

/* Command mode: the union of the runs for the report, the current run alone
 * for --until-stable (only while running: not at the final poll). */
static void poll_command(struct sa_state *st, uint64_t now, bool running)
{
	struct sa_target t = { 0 };
	struct sa_prog *p = prog_of(st, 0);
	struct sa_set *cur = sa_set__new(sa_recorder__nr_syscalls(st->rec));

	if (!p || !cur || sa_recorder__bits(st->rec, &t, cur))
		goto out;
	adv_track__items(&st->run_track, sa_set__count(cur, false) + sa_set__count(cur, true),
			 now, NULL);
	sa_runs__or(st, cur);
	poll_one(st, p, cur, now);
	if (running && st->until_stable_ns && !st->run_ended &&
	    adv_track__stable(&st->run_track, st->until_stable_ns, now)) {
		st->run_ended = true;
		st->host->end_run(st->host->ctx);
	}
out:
	sa_set__free(cur);
}

/* One container's namespace (the live one of that inode). */
static int poll_key(struct sa_state *st, struct sa_prog *p, uint64_t now)
{
	struct sa_target t = { .inum = p->key, .pick = SA_PICK_LIVE };
	struct sa_set *cur = sa_set__new(sa_recorder__nr_syscalls(st->rec));
	int err = cur ? sa_recorder__bits(st->rec, &t, cur) : -ENOMEM;

	if (!err)
		poll_one(st, p, cur, now);
	sa_set__free(cur);
	return err;
}

static bool wanted(struct sa_state *st, uint64_t key)
{
	const struct ig_container *c;

	if (st->target == IG_TARGET_HOST)
		return true;
	c = st->host->container_by_mntns(st->host->ctx, key);
	return c && st->host->container_selected(st->host->ctx, c);
}

int sa_progress__poll(struct sa_state *st, uint64_t **stable)
{
	uint64_t now = adv_now_ns(), *keys = NULL;
	int i, n, out = 0;

	*stable = NULL;
	if (!st->rec)
		return 0;
	if (st->target == IG_TARGET_COMMAND) {
		poll_command(st, now, true);
		return 0;
	}
	n = sa_recorder__keys(st->rec, &keys);
	for (i = 0; i < n; i++) {
		struct sa_prog *p;

		if (!wanted(st, keys[i]) || !(p = prog_of(st, keys[i])) ||
		    p->tr.end != ADV_END_RUNNING || poll_key(st, p, now))
			continue;
		if (st->until_stable_ns && adv_track__stable(&p->tr, st->until_stable_ns, now))
			keys[out++] = keys[i];
	}
	if (out)
		*stable = keys;
	else
		free(keys);
	return out;
}

/* "web 41 syscalls in 2m03s, new 12s ago" for the target that learned last
 * (and how many more there are). */
void sa_progress__status(struct sa_state *st)
{
	const struct sa_prog *best = NULL;
	const struct ig_container *c;
	uint64_t now = adv_now_ns();
	char text[256], name[64] = "";
	uint32_t i, live = 0;

	for (i = 0; i < st->nr_prog; i++) {
		if (st->prog[i].tr.end != ADV_END_RUNNING)
			continue;
		live++;
		if (!best || st->prog[i].tr.last_new_ns > best->tr.last_new_ns)
			best = &st->prog[i];
	}
	if (!best)
		return;
	c = st->target == IG_TARGET_COMMAND ? NULL :
	    st->host->container_by_mntns(st->host->ctx, best->key);
	if (c && c->name)
		snprintf(name, sizeof(name), "%s", c->name);
	adv_track__status(&best->tr, name[0] ? name : NULL, "syscalls", now, text, sizeof(text));
	if (live > 1)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), " (+%u more)", live - 1);
	st->host->set_status(st->host->ctx, text);
}

int sa_progress__take(struct sa_state *st, uint64_t key, enum adv_end end,
		      struct adv_track *out)
{
	struct sa_prog *p = prog_of(st, key);
	uint64_t now = adv_now_ns();
	struct adv_track *t;

	if (!p)
		return -ENOMEM;
	t = &p->tr;
	/* what came since the last tick */
	if (t->end == ADV_END_RUNNING && st->rec) {
		if (st->target == IG_TARGET_COMMAND)
			poll_command(st, now, false);
		else
			poll_key(st, p, now);
	}
	/* the command's last run was ended by --until-stable */
	if (st->target == IG_TARGET_COMMAND && st->run_ended && end == ADV_END_EXIT)
		end = ADV_END_STABLE;
	adv_track__end(t, end, now);
	*out = *t;
	if (st->target == IG_TARGET_COMMAND)
		out->runs = st->nr_runs + 1;
	else
		out->containers = 1;
	return 0;
}

void sa_progress__forget(struct sa_state *st, uint64_t key)
{
	uint32_t i;

	for (i = 0; i < st->nr_prog; i++) {
		if (st->prog[i].key != key)
			continue;
		sa_set__free(st->prog[i].seen);
		st->prog[i] = st->prog[--st->nr_prog];
		return;
	}
}

void sa_progress__seen(struct sa_state *st, uint64_t key, uint64_t since)
{
	struct adv_track *t = sa_progress__track(st, key);

	if (t && since && since < t->start_ns && !t->items)
		t->start_ns = since;
}

void sa_progress__new_run(struct sa_state *st)
{
	adv_track__start(&st->run_track, adv_now_ns());
	st->run_ended = false;
}

void sa_progress__free(struct sa_state *st)
{
	uint32_t i;

	for (i = 0; i < st->nr_prog; i++)
		sa_set__free(st->prog[i].seen);
	free(st->prog);
	st->prog = NULL;
	st->nr_prog = 0;
}
