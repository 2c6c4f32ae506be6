// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor: turn recorded slots into profiles and emit them, per
 * container when it exits (the maps are read synchronously then) and for
 * everything else when ig stops.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include <seccomp.h>

#include "seccomp_advisor_int.h"

/* One profile on its way out. */
struct sa_unit {
	uint64_t mntns;
	const struct ig_container *c;	/* NULL: command or a host namespace */
	char name[256];
	struct sa_profile *p;
	uint32_t compat;		/* compat syscalls seen */
	uint32_t runtime;		/* runtime syscalls added */
	uint32_t implicit;		/* implicit.c's names added: a bit each */
	enum sa_for made_for;		/* what can apply it */
	struct adv_track tr;		/* how complete the recording is */
	json_t *extra;			/* more of the report: onlySomeRuns, widened */
};

struct sa_group {
	char key[512];			/* namespace/pod */
	struct sa_unit u;
};

static bool is_done(const struct sa_state *st, uint64_t key)
{
	uint32_t i;

	for (i = 0; i < st->nr_done; i++)
		if (st->done[i] == key)
			return true;
	return false;
}

static void mark_done(struct sa_state *st, uint64_t key)
{
	uint64_t *tmp;

	if (st->nr_done == st->cap_done) {
		st->cap_done = st->cap_done ? st->cap_done * 2 : 16;
		tmp = realloc(st->done, st->cap_done * sizeof(*tmp));
		if (!tmp)
			return;
		st->done = tmp;
	}
	st->done[st->nr_done++] = key;
}

static void unmark_done(struct sa_state *st, uint64_t key)
{
	uint32_t i;

	for (i = 0; i < st->nr_done; i++)
		if (st->done[i] == key)
			st->done[i] = st->done[--st->nr_done];
}

static void unit_name(struct sa_unit *u, const struct ig_container *c, uint64_t mntns,
		      enum ig_target_mode target)
{
	if (target == IG_TARGET_COMMAND)
		snprintf(u->name, sizeof(u->name), "command");
	else if (c && c->k8s_pod && c->k8s_container)
		snprintf(u->name, sizeof(u->name), "%s-%s", c->k8s_pod, c->k8s_container);
	else if (c && c->name)
		snprintf(u->name, sizeof(u->name), "%s", c->name);
	else
		snprintf(u->name, sizeof(u->name), "mntns-%llu", (unsigned long long)mntns);
}

static void log_unnamed(struct sa_state *st, const char *name, const struct sa_unnamed *un)
{
	uint32_t i;

	for (i = 0; i < un->n; i++)
		IG_WARN(st->host, "%s: syscall %s%u has no name in this "
			"libseccomp: left out of the profile", name,
			un->nr[i] & SA_UNNAMED_COMPAT ? "compat " : "",
			un->nr[i] & ~SA_UNNAMED_COMPAT);
}

/* Read the slot of key and build its profile into u. */
static int build_unit(struct sa_state *st, const struct sa_target *t, struct sa_unit *u)
{
	struct sa_set *setup = NULL, *run = NULL;
	struct sa_unnamed un = { 0 };
	bool flipped;
	int err, nnp;

	err = sa_recorder__read(st->rec, t, &setup, &run);
	if (err)
		return err;
	if (st->target == IG_TARGET_COMMAND && st->nr_runs)	/* --runs: their union */
		json_object_set_new(u->extra, "onlySomeRuns", sa_runs__merge(st, run));
	u->p = sa_profile__new();
	if (!u->p) {
		err = -ENOMEM;
		goto out_free;
	}
	/* No exec seen by runc's init (it ran before ig, or another runtime):
	 * everything recorded is the workload's. */
	flipped = sa_set__count(run, false) || sa_set__count(run, true);
	err = sa_profile__add_set(u->p, flipped ? run : setup, &st->names, st->args, &un);
	if (err)
		goto out_free;
	u->compat = sa_set__count(flipped ? run : setup, true);
	if (!st->no_implicit) {
		err = sa_implicit_add(u->p, &u->implicit);
		if (err)
			goto out_free;
	}
	if (flipped && st->target != IG_TARGET_COMMAND) {
		nnp = u->c ? sa_bundle_nnp(u->c->bundle) : -ENOENT;
		u->runtime = sa_runc_add(u->p, setup, nnp);
		u->made_for = nnp == 1 ? SA_FOR_RUNC_NNP : SA_FOR_RUNC;
	} else if (st->target == IG_TARGET_COMMAND && st->for_runtime != SA_FOR_PROCESS) {
		/* no set-up phase to go by: the lists whole (runc.c) */
		u->runtime = sa_runc_add(u->p, NULL, st->for_runtime == SA_FOR_RUNC_NNP);
		u->made_for = st->for_runtime;
	}
	if (st->base)
		err = sa_profile__union(u->p, st->base);
	log_unnamed(st, u->name, &un);
out_free:
	sa_set__free(setup);
	sa_set__free(run);
	return err;
}

/* One file per profile, through the host: a safe name, a suffix when two
 * units share one, never through a symlink planted in the directory. */
static int write_file(struct sa_state *st, const struct sa_unit *u, json_t *doc, char *path,
		      size_t size)
{
	char base[256], *text;
	int err;

	sa_dns_name(base, sizeof(base), u->name);
	text = json_dumps(doc, JSON_INDENT(2));
	if (!text)
		return -ENOMEM;
	err = st->host->write_file(st->host->ctx, st->output_dir, base, ".json", text,
				   strlen(text), path, size);
	free(text);
	return err;
}

/* How the profile was recorded: in a container, with -- COMMAND, on the host. */
static const char *recorded_in(const struct sa_state *st)
{
	return st->target == IG_TARGET_COMMAND ? "command" :
	       st->target == IG_TARGET_HOST ? "host" : "container";
}

static json_t *render(struct sa_state *st, const struct sa_unit *u)
{
	char from[768], host[64] = "", implicit[256];
	const struct ig_container *c = u->c;
	struct sa_spo_meta m = { .api = st->spo_api, .name = u->name,
				 .recorded_in = recorded_in(st), .made_for = sa_for_name(u->made_for),
				 .implicit = implicit };

	if (!st->spo)
		return sa_profile__oci(u->p, &st->doc);
	gethostname(host, sizeof(host) - 1);
	snprintf(from, sizeof(from), "node=%s runtime=%s container=%s pod=%s/%s", host,
		 c && c->runtime ? c->runtime : "-", c && c->name ? c->name : u->name,
		 c && c->k8s_namespace ? c->k8s_namespace : "-",
		 c && c->k8s_pod ? c->k8s_pod : "-");
	m.recorded_from = from;
	m.container_id = c ? c->id : NULL;
	sa_implicit_names(u->implicit, implicit, sizeof(implicit));
	return sa_profile__spo(u->p, &st->doc, &m);
}

static int emit_unit(struct sa_state *st, struct sa_unit *u)
{
	char path[PATH_MAX] = "", dur[32], last[32];
	struct ig_value vals[SA_NR_FIELDS];
	json_t *doc;
	int err = 0;

	if (st->widen && sa_stage__widen(u->p, u->extra))
		return -ENOMEM;
	doc = render(st, u);
	if (!doc)
		return -ENOMEM;
	err = sa_stage__finish(st, doc, &u->tr, u->extra);
	if (!err && st->output_dir)
		err = write_file(st, u, doc, path, sizeof(path));
	vals[SA_F_MNTNS] = ig_val_u64(u->mntns);
	vals[SA_F_NAME] = ig_val_str(u->name);
	vals[SA_F_SYSCALLS] = ig_val_u64(sa_profile__count(u->p));
	vals[SA_F_COMPAT] = ig_val_u64(u->compat);
	vals[SA_F_ADDED] = ig_val_u64(u->runtime);
	vals[SA_F_IMPLICIT] = ig_val_u64(sa_implicit_count(u->implicit));
	vals[SA_F_RECORDED] = ig_val_str(recorded_in(st));
	vals[SA_F_FOR] = ig_val_str(sa_for_name(u->made_for));
	vals[SA_F_FILE] = ig_val_str(path[0] ? path : NULL);
	sa_stage__columns(&u->tr, dur, last, sizeof(dur), &vals[SA_F_DURATION]);
	if (!err)
		err = st->host->emit_document(st->host->ctx, doc, vals);
	json_decref(doc);
	return err;
}

/*
 * --merge pod groups: the containers of one pod, and the replicas of one
 * workload (pods with the same labels: a Deployment's pods share them,
 * including pod-template-hash). Without labels, the pod itself.
 */
static void group_key(const struct ig_container *c, char *key, size_t size)
{
	size_t n;
	uint32_t i;

	if (!c || !c->k8s_pod) {
		snprintf(key, size, "name:%s", c && c->name ? c->name : "");
		return;
	}
	if (!c->nr_labels) {
		snprintf(key, size, "pod:%s/%s", c->k8s_namespace ?: "", c->k8s_pod);
		return;
	}
	n = snprintf(key, size, "labels:%s", c->k8s_namespace ?: "");
	for (i = 0; i < c->nr_labels && n < size; i++)	/* sorted by key */
		n += snprintf(key + n, size - n, "|%s=%s", c->labels[i].key, c->labels[i].value);
}

/* A group is named after its first pod (replicas: the "app" label if any). */
static void group_name(const struct ig_container *c, char *name, size_t size)
{
	uint32_t i;

	for (i = 0; c->k8s_pod && i < c->nr_labels; i++) {
		if (!strcmp(c->labels[i].key, "app")) {
			snprintf(name, size, "%s", c->labels[i].value);
			return;
		}
	}
	if (c->k8s_pod)
		snprintf(name, size, "%s", c->k8s_pod);
}

/* --merge pod: union u into its pod's group (taking u's profile). */
static int add_to_group(struct sa_state *st, struct sa_unit *u)
{
	struct sa_group *g = NULL, *tmp;
	char key[512];
	uint32_t i;
	int err;

	group_key(u->c, key, sizeof(key));
	for (i = 0; i < st->nr_groups; i++)
		if (!strcmp(st->groups[i].key, key))
			g = &st->groups[i];
	if (!g) {
		tmp = realloc(st->groups, (st->nr_groups + 1) * sizeof(*tmp));
		if (!tmp)
			return -ENOMEM;
		st->groups = tmp;
		g = &st->groups[st->nr_groups++];
		memset(g, 0, sizeof(*g));
		snprintf(g->key, sizeof(g->key), "%s", key);
		g->u = *u;
		if (u->c)
			group_name(u->c, g->u.name, sizeof(g->u.name));
		u->p = NULL;
		u->extra = NULL;
		return 0;
	}
	g->u.implicit = sa_implicit_union(g->u.p, g->u.implicit, u->p, u->implicit);
	if (u->made_for > g->u.made_for)	/* the union holds the longer lists */
		g->u.made_for = u->made_for;
	adv_track__merge(&g->u.tr, &u->tr);
	json_decref(u->extra);
	u->extra = NULL;
	err = sa_profile__union(g->u.p, u->p);
	g->u.compat += u->compat;
	g->u.runtime += u->runtime;
	sa_profile__free(u->p);
	u->p = NULL;
	return err;
}

static int report_key(struct sa_state *st, uint64_t key, enum sa_pick pick,
		      const struct ig_container *c, enum adv_end end)
{
	struct sa_unit u = { .mntns = key, .c = c };
	struct sa_target t;
	int err;

	if (is_done(st, key))
		return 0;
	unit_name(&u, c, key, st->target);
	sa_target_of(st, c, key, pick, &t);
	u.extra = json_object();
	err = u.extra ? sa_progress__take(st, st->target == IG_TARGET_COMMAND ? 0 : key, end,
					  &u.tr) : -ENOMEM;
	if (!err)
		err = build_unit(st, &t, &u);
	if (err) {
		json_decref(u.extra);
		sa_profile__free(u.p);
		return err;
	}
	mark_done(st, key);
	if (st->merge_pod && c)
		err = add_to_group(st, &u);
	else
		err = emit_unit(st, &u);
	sa_profile__free(u.p);
	json_decref(u.extra);
	return err;
}

/* Every tick: what each target learned; --until-stable's reports. */
void sa_tick(void *state)
{
	struct sa_state *st = state;
	uint64_t *keys = NULL;
	int i, n, err;

	n = sa_progress__poll(st, &keys);
	for (i = 0; i < n; i++) {
		const struct ig_container *c = st->host->container_by_mntns(st->host->ctx,
									     keys[i]);

		err = report_key(st, keys[i], SA_PICK_LIVE, c, ADV_END_STABLE);
		if (err && err != -ENOENT)
			IG_WARN(st->host, "%s: no profile: %s", c && c->name ? c->name : "?",
				strerror(-err));
	}
	free(keys);
	sa_progress__status(st);
}

void sa_container_removed(void *state, const struct ig_container *c)
{
	struct sa_state *st = state;
	struct sa_target t;
	int err;

	if (st->target == IG_TARGET_COMMAND || !st->rec || !c->mntns)
		return;
	if (st->host->container_selected(st->host->ctx, c)) {
		err = report_key(st, c->mntns, SA_PICK_EXITED, c, ADV_END_EXIT);
		if (err == -ENOENT)
			IG_WARN(st->host, "%s: no profile: no system call of it was recorded "
				"(its namespace was never seen, or its inode was reused before ig "
				"knew it)", c->name);
		else if (err)
			IG_WARN(st->host, "%s: no profile: %s", c->name,
				strerror(-err));
	}
	/* The namespace is gone; its inode number may come back for the next
	 * container, which must then be reported afresh. */
	sa_target_of(st, c, c->mntns, SA_PICK_EXITED, &t);
	if (!sa_recorder__release(st->rec, &t)) {
		unmark_done(st, c->mntns);
		sa_progress__forget(st, c->mntns);
	}
	sa_known_forget(st, c);
}

static void report_dropped(struct sa_state *st)
{
	uint64_t *keys = NULL, n = sa_recorder__counter(st->rec, SA_CNT_DROPPED);
	uint64_t oor = sa_recorder__counter(st->rec, SA_CNT_OUT_OF_RANGE);
	uint64_t args = sa_recorder__counter(st->rec, SA_CNT_ARGS_FULL);
	int i, nr;

	/* Numbers past the kernel's table (x32, invalid ones like -1) fail
	 * with ENOSYS anyway: worth a note, not a profile entry. */
	if (oor)
		IG_INFO(st->host, "%llu syscalls with numbers >= %u "
			"(x32 or invalid) were not recorded", (unsigned long long)oor,
			sa_recorder__nr_syscalls(st->rec));
	if (args)
		IG_WARN(st->host, "--args: value maps full %llu times: "
			"those syscalls are allowed by name", (unsigned long long)args);
	if (!n)
		return;
	nr = sa_recorder__dropped(st->rec, &keys);
	for (i = 0; i < nr; i++)
		IG_WARN(st->host, "slots full (--max-slots %u): mount "
			"namespace %llu was not recorded", st->max_slots,
			(unsigned long long)keys[i]);
	st->host->add_lost(st->host->ctx, n);
	free(keys);
}

static bool wanted(struct sa_state *st, const struct ig_container *c)
{
	if (st->target == IG_TARGET_COMMAND || st->target == IG_TARGET_HOST)
		return true;
	return c && st->host->container_selected(st->host->ctx, c);
}

/* At the end: a command that exited ended its recording, anything else
 * was stopped (timeout, signal). */
static enum adv_end end_of_run(const struct sa_state *st)
{
	int pid = st->host->command_pid(st->host->ctx);

	if (st->target != IG_TARGET_COMMAND)
		return ADV_END_STOP;
	return pid > 0 && !kill(pid, 0) ? ADV_END_STOP : ADV_END_EXIT;
}

int sa_report_all(void *state)
{
	struct sa_state *st = state;
	const struct ig_container *c;
	uint64_t *keys = NULL;
	int i, n, err = 0;
	uint32_t g;

	if (!st->rec)
		return 0;
	report_dropped(st);
	n = sa_recorder__keys(st->rec, &keys);
	if (n < 0)
		return n;
	for (i = 0; i < n && !err; i++) {
		c = st->target == IG_TARGET_COMMAND ? NULL :
		    st->host->container_by_mntns(st->host->ctx, keys[i]);
		if (wanted(st, c)) {
			err = report_key(st, keys[i], SA_PICK_LIVE, c, end_of_run(st));
			if (err == -ENOENT)	/* its slot went meanwhile */
				err = 0;
		}
	}
	free(keys);
	for (g = 0; g < st->nr_groups && !err; g++)
		err = emit_unit(st, &st->groups[g].u);
	return err;
}

void sa_state_free(struct sa_state *st)
{
	uint32_t g;

	if (!st)
		return;
	sa_recorder__destroy(st->rec);
	sa_profile__free(st->base);
	for (g = 0; g < st->nr_groups; g++) {
		sa_profile__free(st->groups[g].u.p);
		json_decref(st->groups[g].u.extra);
	}
	free(st->groups);
	sa_progress__free(st);
	sa_runs__free(st);
	free(st->known);
	free(st->done);
	free(st);
}
