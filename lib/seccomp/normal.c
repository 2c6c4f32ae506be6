// SPDX-License-Identifier: Apache-2.0
/*
 * Normalising and merging profiles (normal.h says the rules): entries per
 * syscall, the choices made per syscall, then one profile out of what is
 * left. The header fields are merged in merge_head.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_head.h"
#include "normal.h"

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_cond(const struct sp_cond *a, const struct sp_cond *b)
{
	return cmp_u64(a->index, b->index) ?: cmp_u64(a->op, b->op) ?:
	       cmp_u64(a->value, b->value) ?: cmp_u64(a->value_two, b->value_two);
}

static int qcmp_cond(const void *a, const void *b)
{
	return cmp_cond(a, b);
}

int sp_entry__cmp(const struct sp_entry *a, const struct sp_entry *b)
{
	unsigned int i;
	int c = strcmp(a->name, b->name);

	if (c)
		return c;
	if (a->nr_conds != b->nr_conds)
		return a->nr_conds < b->nr_conds ? -1 : 1;
	for (i = 0; i < a->nr_conds; i++)
		if ((c = cmp_cond(&a->conds[i], &b->conds[i])))
			return c;
	return cmp_u64(a->act, b->act) ?: (a->err < b->err ? -1 : a->err > b->err);
}

static int qcmp_entry(const void *a, const void *b)
{
	return sp_entry__cmp(a, b);
}

static int add_entries(struct sp_entries *e, size_t *cap, const struct sp_profile *p,
		       const struct sp_rule *r)
{
	struct sp_entry *more, *x;
	unsigned int i;

	for (i = 0; i < r->nr_names; i++) {
		if (e->n == *cap) {
			*cap = *cap ? *cap * 2 : 256;
			more = realloc(e->v, *cap * sizeof(*more));
			if (!more)
				return -ENOMEM;
			e->v = more;
		}
		x = &e->v[e->n];
		memset(x, 0, sizeof(*x));
		x->name = r->names[i];
		x->path = p->path ? p->path : "-";
		x->act = r->action;
		/* errnoRet means something for ERRNO and TRACE only */
		x->err = r->action == SP_ACT_ERRNO || r->action == SP_ACT_TRACE ? r->errno_ret : -1;
		if (r->nr_conds) {
			x->conds = malloc(r->nr_conds * sizeof(*x->conds));
			if (!x->conds)
				return -ENOMEM;
			memcpy(x->conds, r->conds, r->nr_conds * sizeof(*x->conds));
			qsort(x->conds, r->nr_conds, sizeof(*x->conds), qcmp_cond);
			x->nr_conds = r->nr_conds;
		}
		e->n++;
	}
	return 0;
}

int sp_entries__collect(struct sp_entries *e, struct sp_profile *const *in, unsigned int n)
{
	size_t cap = 0, i, out = 0;
	unsigned int k, j;
	int err;

	memset(e, 0, sizeof(*e));
	for (k = 0; k < n; k++)
		for (j = 0; j < in[k]->nr_rules; j++)
			if ((err = add_entries(e, &cap, in[k], &in[k]->rules[j])))
				return err;
	if (e->n)
		qsort(e->v, e->n, sizeof(*e->v), qcmp_entry);
	for (i = 0; i < e->n; i++) {
		if (out && !sp_entry__cmp(&e->v[out - 1], &e->v[i])) {
			free(e->v[i].conds);
			continue;
		}
		e->v[out++] = e->v[i];
	}
	e->n = out;
	return 0;
}

void sp_entries__free(struct sp_entries *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		free(e->v[i].conds);
	free(e->v);
	memset(e, 0, sizeof(*e));
}

static void say(const struct sp_merge_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(const struct sp_merge_opts *o, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!o->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	o->warn(o->arg, msg);
}

/* Which of the entries [lo, hi) of one syscall are kept (keep[i] = 1). */
static void choose(const struct sp_entry *v, size_t lo, size_t hi, char *keep,
		   const struct sp_merge_opts *o)
{
	const struct sp_entry *plain_deny = NULL, *plain_allow = NULL, *cond_deny = NULL;
	size_t i;

	for (i = lo; i < hi; i++) {
		if (v[i].act == SP_ACT_ALLOW && !v[i].nr_conds)
			plain_allow = &v[i];
		else if (v[i].act != SP_ACT_ALLOW && v[i].nr_conds && !cond_deny)
			cond_deny = &v[i];
		/* sorted by action then errno: the last is the strictest */
		else if (v[i].act != SP_ACT_ALLOW && !v[i].nr_conds)
			plain_deny = &v[i];
	}
	for (i = lo; i < hi; i++) {
		if (plain_deny)
			keep[i] = &v[i] == plain_deny;
		else if (cond_deny)
			keep[i] = v[i].nr_conds != 0;
		else
			keep[i] = plain_allow ? &v[i] == plain_allow : 1;
	}
	if (plain_deny && (plain_allow || hi - lo > 1))
		say(o, "%s: %s (%s) kept; its other rules%s%s%s are left out (a rule of "
		    "another action is never merged into SCMP_ACT_ALLOW)", plain_deny->name,
		    sp_act_scmp_name(plain_deny->act), plain_deny->path,
		    plain_allow ? ", SCMP_ACT_ALLOW in " : "",
		    plain_allow ? plain_allow->path : "", plain_allow ? "," : "");
	else if (cond_deny && plain_allow)
		say(o, "%s: SCMP_ACT_ALLOW (%s) left out: %s has a conditional %s rule for it, "
		    "which an unconditional allow would override", plain_allow->name,
		    plain_allow->path, cond_deny->path, sp_act_scmp_name(cond_deny->act));
}

/* Append the kept entries as rules: names-only ones of one (action, errno)
 * grouped, conditional ones one each; ALLOW first, then by precedence. */
static int build_rules(struct sp_profile *out, const struct sp_entries *e, const char *keep)
{
	const char **names;
	unsigned int act;
	size_t i, j, nn;
	int err = 0;

	names = calloc(e->n + 1, sizeof(*names));
	if (!names)
		return -ENOMEM;
	for (act = 0; act < SP_NR_ACTS && !err; act++) {
		int errs[2] = { -1, -1 };	/* the errno values of this action, in turn */

		for (;;) {
			nn = 0;
			for (i = 0; i < e->n; i++)
				if (keep[i] && e->v[i].act == act && !e->v[i].nr_conds &&
				    e->v[i].err == errs[0])
					names[nn++] = e->v[i].name;
			if (nn && (err = sp_profile__add_rule(out, names, (unsigned int)nn, act,
							       errs[0], NULL, 0)))
				break;
			/* the next errno value above errs[0] */
			errs[1] = 4096;
			for (i = 0; i < e->n; i++)
				if (keep[i] && e->v[i].act == act && !e->v[i].nr_conds &&
				    e->v[i].err > errs[0] && e->v[i].err < errs[1])
					errs[1] = e->v[i].err;
			if (errs[1] == 4096)
				break;
			errs[0] = errs[1];
		}
		for (j = 0; j < e->n && !err; j++)
			if (keep[j] && e->v[j].act == act && e->v[j].nr_conds)
				err = sp_profile__add_rule(out, &e->v[j].name, 1, act, e->v[j].err,
							   e->v[j].conds, e->v[j].nr_conds);
	}
	free(names);
	return err;
}

struct sp_profile *sp_profile__merge(struct sp_profile *const *in, unsigned int n,
				     const struct sp_merge_opts *o)
{
	struct sp_entries e;
	struct sp_profile *out;
	size_t i, j;
	char *keep = NULL;
	int err;

	out = sp_profile__new();
	if (!out)
		return NULL;
	err = sp_merge__head(out, in, n, o, say);
	if (!err)
		err = sp_entries__collect(&e, in, n);
	else
		memset(&e, 0, sizeof(e));
	if (!err && !(keep = calloc(e.n + 1, 1)))
		err = -ENOMEM;
	for (i = 0; !err && i < e.n; i = j) {
		for (j = i; j < e.n && !strcmp(e.v[j].name, e.v[i].name); j++)
			;
		choose(e.v, i, j, keep, o);
	}
	/* runc ignores a rule that repeats the default action */
	for (i = 0; !err && i < e.n; i++)
		if (e.v[i].act == out->def_action &&
		    (e.v[i].act != SP_ACT_ERRNO || e.v[i].err == out->def_errno))
			keep[i] = 0;
	if (!err)
		err = build_rules(out, &e, keep);
	free(keep);
	sp_entries__free(&e);
	if (err) {
		sp_profile__free(out);
		errno = -err;
		return NULL;
	}
	return out;
}
