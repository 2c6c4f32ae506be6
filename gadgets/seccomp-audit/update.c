// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-audit --update PROFILE: the workload runs under a staged profile
 * (seccomp-advisor --stage: default SCMP_ACT_LOG), so what the recording
 * missed is allowed and logged. The audit records of those LOG actions are
 * collected per container (the reader thread adds them, under a lock), and
 * at the end each container gets the staged profile with its logged syscalls
 * allowed and the default action back to enforcing: SCMP_ACT_LOG becomes
 * SCMP_ACT_ERRNO (defaultErrnoRet kept). The profile goes through
 * lib/seccomp's merge, so it comes out normalised, in the staged profile's
 * form (OCI or SPO), and its report lists each added syscall with how often
 * it was hit and by which executables.
 */
#include <errno.h>
#include <pthread.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/seccomp/normal.h"
#include "lib/seccomp/render.h"
#include "seccomp_audit_int.h"

#define MAX_HITS	65536	/* distinct (container, syscall, executable) kept */

struct sau_hit {
	uint64_t mntns;
	uint32_t arch;
	int32_t nr;
	uint64_t hits;
	uint64_t first_ms;	/* wall clock of the first hit */
	char exe[256];
};

struct sau_update {
	pthread_mutex_t lock;
	struct sp_profile *staged;
	struct sau_hit *v;	/* under lock: the reader thread adds */
	size_t n, cap;
	uint64_t dropped;	/* past MAX_HITS */
	uint64_t *units;	/* selected containers seen (main thread) */
	size_t nr_units;
	uint64_t start_ns;	/* boot ns */
};

struct sau_update *sau_update__new(const char *path, char *text, size_t len, char *err,
				   size_t errlen)
{
	struct sau_update *u = calloc(1, sizeof(*u));

	if (!u) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	u->staged = sp_profile__load_text(path, text, len, err, errlen);
	if (!u->staged) {
		free(u);
		return NULL;
	}
	pthread_mutex_init(&u->lock, NULL);
	u->start_ns = adv_now_ns();
	return u;
}

void sau_update__free(struct sau_update *u)
{
	if (!u)
		return;
	pthread_mutex_destroy(&u->lock);
	sp_profile__free(u->staged);
	free(u->v);
	free(u->units);
	free(u);
}

void sau_update__add(struct sau_update *u, uint64_t mntns, const struct sau_audit_rec *a)
{
	struct sau_hit *h, *more;
	size_t i;

	pthread_mutex_lock(&u->lock);
	for (i = 0; i < u->n; i++) {
		h = &u->v[i];
		if (h->mntns == mntns && h->arch == a->arch && h->nr == a->nr &&
		    !strcmp(h->exe, a->exe)) {
			h->hits++;
			goto out;
		}
	}
	if (u->n == u->cap) {
		more = u->n < MAX_HITS ? realloc(u->v, (u->cap ? u->cap * 2 : 64) * sizeof(*more))
				       : NULL;
		if (!more) {
			u->dropped++;
			goto out;
		}
		u->v = more;
		u->cap = u->cap ? u->cap * 2 : 64;
	}
	h = &u->v[u->n++];
	memset(h, 0, sizeof(*h));
	*h = (struct sau_hit){ .mntns = mntns, .arch = a->arch, .nr = a->nr, .hits = 1,
			       .first_ms = a->wall_ms };
	snprintf(h->exe, sizeof(h->exe), "%s", a->exe[0] ? a->exe : a->comm);
out:
	pthread_mutex_unlock(&u->lock);
}

void sau_update__container(struct sau_update *u, uint64_t mntns)
{
	uint64_t *more;
	size_t i;

	for (i = 0; i < u->nr_units; i++)
		if (u->units[i] == mntns)
			return;
	more = realloc(u->units, (u->nr_units + 1) * sizeof(*more));
	if (!more)
		return;
	u->units = more;
	u->units[u->nr_units++] = mntns;
}

/* One added syscall: its name, hits and executables (in the report). */
struct added {
	char *name;
	uint64_t hits;
	uint64_t first_ms;
	json_t *exes;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct added *)a)->name, ((const struct added *)b)->name);
}

static bool has_str(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (!strcmp(json_string_value(v), s))
			return true;
	return false;
}

/* The syscalls unit `key` logged (every one in command mode), by name. */
static size_t collect(const struct sau_update *u, uint64_t key, bool all, struct added *out,
		      size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < u->n; i++) {
		const struct sau_hit *h = &u->v[i];
		char *name;

		if (!all && h->mntns != key)
			continue;
		name = seccomp_syscall_resolve_num_arch(h->arch ? h->arch : SCMP_ARCH_NATIVE, h->nr);
		if (!name)
			continue;
		for (j = 0; j < n && strcmp(out[j].name, name); j++)
			;
		if (j == n && n < max) {
			out[n++] = (struct added){ name, 0, h->first_ms, json_array() };
			name = NULL;
		}
		free(name);
		if (j == n)
			continue;
		out[j].hits += h->hits;
		if (h->first_ms < out[j].first_ms)
			out[j].first_ms = h->first_ms;
		if (!has_str(out[j].exes, h->exe) && json_array_size(out[j].exes) < 8)
			json_array_append_new(out[j].exes, json_string(h->exe));
	}
	qsort(out, n, sizeof(*out), by_name);
	return n;
}

/* The report: what was added, and how the recording went. */
static json_t *report_of(const struct sau_state *st, struct added *v, size_t n, bool command)
{
	const struct sau_update *u = st->upd;
	struct adv_track tr;
	json_t *r, *added = json_array();
	uint64_t now = adv_now_ns(), last_ms = 0;
	size_t i;

	adv_track__start(&tr, u->start_ns);
	for (i = 0; i < n; i++) {
		json_array_append_new(added, json_pack("{s:s, s:I, s:O}", "syscall", v[i].name,
						       "hits", (json_int_t)v[i].hits,
						       "executables", v[i].exes));
		if (v[i].first_ms > last_ms) {
			last_ms = v[i].first_ms;
			snprintf(tr.last_item, sizeof(tr.last_item), "%s", v[i].name);
		}
	}
	tr.items = n;
	if (command)
		tr.runs = st->host->command_runs(st->host->ctx);
	else
		tr.containers = 1;
	if (last_ms)
		tr.last_new_ns = last_ms * 1000000ull - (uint64_t)st->wall_minus_boot_ns;
	adv_track__end(&tr, ADV_END_STOP, now);
	r = adv_track__report(&tr, st->wall_minus_boot_ns, 0, now);
	if (!r || json_object_set_new(r, "added", added) ||
	    json_object_set_new(r, "updated", json_string(u->staged->path))) {
		json_decref(r);
		return NULL;
	}
	return r;
}

/* The staged profile with v's names allowed, enforcing: its text. */
static char *updated_text(const struct sau_state *st, const char *name, struct added *v,
			  size_t n, json_t *report)
{
	struct sp_merge_opts o = { .format = (int)st->upd->staged->format,
				   .api = st->upd->staged->api, .name = st->upd->staged->name ?: name };
	struct sp_profile *extra = sp_profile__new(), *in[2], *out = NULL;
	const char **names = calloc(n + 1, sizeof(*names));
	char *rep = NULL, *text = NULL;
	size_t i;

	if (!extra || !names)
		goto out;
	for (i = 0; i < n; i++)
		names[i] = v[i].name;
	extra->def_action = st->upd->staged->def_action;
	if (n && sp_profile__add_rule(extra, names, (unsigned int)n, SP_ACT_ALLOW, -1, NULL, 0))
		goto out;
	in[0] = st->upd->staged;
	in[1] = extra;
	out = sp_profile__merge(in, 2, &o);
	if (!out)
		goto out;
	if (out->def_action == SP_ACT_LOG)	/* staged: enforce again */
		out->def_action = SP_ACT_ERRNO;
	json_object_set_new(report, "defaultAction", json_string(sp_act_scmp_name(out->def_action)));
	rep = json_dumps(report, JSON_COMPACT | JSON_PRESERVE_ORDER);
	text = rep ? sp_profile__render(out, rep) : NULL;
out:
	free(rep);
	free(names);
	sp_profile__free(extra);
	sp_profile__free(out);
	return text;
}

static int emit_unit(struct sau_state *st, uint64_t key, bool all, const char *name)
{
	struct added v[512];
	struct ig_value sum[F_NR] = { 0 };
	char path[4096] = "", list[256] = "";
	json_t *report, *doc = NULL;
	size_t n, i;
	char *text;
	int ret = -ENOMEM;

	pthread_mutex_lock(&st->upd->lock);
	n = collect(st->upd, key, all, v, 512);
	pthread_mutex_unlock(&st->upd->lock);
	report = report_of(st, v, n, all);
	text = report ? updated_text(st, name, v, n, report) : NULL;
	if (!text)
		goto out;
	ret = 0;
	if (st->output_dir) {
		/* safely, as root: host->write_file (one error line of its own) */
		ret = st->host->write_file(st->host->ctx, st->output_dir, name, ".json", text,
					   strlen(text), path, sizeof(path));
		if (!ret)
			IG_INFO(st->host, "%s: wrote %s", name, path);
	}
	doc = json_loads(text, 0, NULL);
	if (!doc) {
		/* jansson's integers stop at 2^63: print a bigger argument value
		 * as a real here (the file above has it exact) */
		IG_WARN(st->host, "%s: an argument value over 2^63 is printed inexactly; "
			"use --output-dir for the exact profile", name);
		doc = json_loads(text, JSON_DECODE_INT_AS_REAL, NULL);
	}
	for (i = 0; i < n && strlen(list) + strlen(v[i].name) + 2 < sizeof(list); i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? "," : "",
			 v[i].name);
	sum[F_MNTNS] = ig_val_u64(key);
	sum[F_COMM] = ig_val_str(name);
	sum[F_SYSCALL] = ig_val_str(n ? list : "(none added)");
	sum[F_ACTION] = ig_val_u64(SP_ACT_LOG);
	if (!ret)
		ret = doc ? st->host->emit_document(st->host->ctx, doc, sum) : -EINVAL;
out:
	for (i = 0; i < n; i++) {
		free(v[i].name);
		json_decref(v[i].exes);
	}
	json_decref(doc);
	json_decref(report);
	free(text);
	return ret;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int sau_update__report(struct sau_state *st)
{
	struct sau_update *u = st->upd;
	const struct ig_container *c;
	uint64_t *keys;
	size_t i, j, n = 0;
	char name[300];
	int err = 0;

	if (!u)
		return 0;
	if (u->dropped)
		IG_WARN(st->host, "--update: %llu logged syscalls were not kept (table full)",
			(unsigned long long)u->dropped);
	if (st->host->target(st->host->ctx) == IG_TARGET_COMMAND)
		return emit_unit(st, 0, true, "command");
	keys = calloc(u->n + u->nr_units + 1, sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	for (i = 0; i < u->n + u->nr_units; i++) {
		uint64_t k = i < u->n ? u->v[i].mntns : u->units[i - u->n];

		for (j = 0; j < n && keys[j] != k; j++)
			;
		if (j == n)
			keys[n++] = k;
	}
	qsort(keys, n, sizeof(*keys), cmp_u64);
	for (i = 0; i < n && !err; i++) {
		c = st->host->container_by_mntns(st->host->ctx, keys[i]);
		if (c && c->name)
			snprintf(name, sizeof(name), "%s", c->name);
		else
			snprintf(name, sizeof(name), "mntns-%llu", (unsigned long long)keys[i]);
		err = emit_unit(st, keys[i], false, name);
	}
	free(keys);
	return err;
}
