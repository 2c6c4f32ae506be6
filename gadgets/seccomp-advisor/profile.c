// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor: profiles at the name level. A profile is a set of names
 * allowed unconditionally plus argument rules (one rule per allowed value:
 * conditions inside one rule are ANDed, so several values need several
 * rules). Recorded sets, base profiles and other containers' profiles (pod
 * merge) are unioned here; the OCI and SPO documents are rendered from it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <seccomp.h>

#include "seccomp_advisor_int.h"


struct sa_profile *sa_profile__new(void)
{
	struct sa_profile *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->arg_rules = json_array();
	if (!p->arg_rules) {
		free(p);
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

void sa_profile__free(struct sa_profile *p)
{
	uint32_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++)
		free(p->names[i]);
	free(p->names);
	json_decref(p->arg_rules);
	free(p);
}

bool sa_profile__has(const struct sa_profile *p, const char *name)
{
	uint32_t i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->names[i], name))
			return true;
	return false;
}

int sa_profile__add_name(struct sa_profile *p, const char *name)
{
	char **tmp;

	if (sa_profile__has(p, name))
		return 0;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		tmp = realloc(p->names, p->cap * sizeof(*tmp));
		if (!tmp)
			return -ENOMEM;
		p->names = tmp;
	}
	p->names[p->n] = strdup(name);
	if (!p->names[p->n])
		return -ENOMEM;
	p->n++;
	return 0;
}

/* Append rule (a new reference is taken) unless an equal one is there. */
static int add_arg_rule(struct sa_profile *p, json_t *rule)
{
	size_t i;
	json_t *r;

	json_array_foreach(p->arg_rules, i, r)
		if (json_equal(r, rule))
			return 0;
	return json_array_append(p->arg_rules, rule) ? -ENOMEM : 0;
}

static json_t *eq_rule(const char *name, uint32_t index, uint64_t value)
{
	return json_pack("{s:[s], s:s, s:[{s:i, s:I, s:s}]}", "names", name,
			 "action", "SCMP_ACT_ALLOW", "args", "index", (int)index,
			 "value", (json_int_t)value, "op", "SCMP_CMP_EQ");
}

/* A syscall whose values were recorded within bounds gets one rule per
 * value; otherwise (overflow, or a value JSON cannot hold) it is name-only. */
static int add_args_of(struct sa_profile *p, const char *name, const struct sa_argvals *a)
{
	json_t *rule;
	uint32_t i;
	int err;

	if (a->overflow || !a->n)
		return sa_profile__add_name(p, name);
	for (i = 0; i < a->n; i++)
		if (a->vals[i] > INT64_MAX)
			return sa_profile__add_name(p, name);
	for (i = 0; i < a->n; i++) {
		rule = eq_rule(name, a->pos, a->vals[i]);
		if (!rule)
			return -ENOMEM;
		err = add_arg_rule(p, rule);
		json_decref(rule);
		if (err)
			return err;
	}
	return 0;
}

static const struct sa_argvals *argvals_for(const struct sa_set *s, uint32_t nr)
{
	uint32_t i;

	for (i = 0; i < s->nr_args; i++)
		if (s->args[i].nr == nr)
			return &s->args[i];
	return NULL;
}

int sa_profile__add_set(struct sa_profile *p, const struct sa_set *s, const struct sa_names *nm,
			bool args, struct sa_unnamed *unnamed)
{
	const struct sa_argvals *a;
	uint32_t nr, arch;
	int compat, err;
	char *name;

	for (compat = 0; compat < 2; compat++) {
		arch = compat ? nm->compat_arch : nm->native_arch;
		for (nr = 0; nr < s->nr_syscalls; nr++) {
			if (!sa_set__has(s, compat, nr))
				continue;
			name = arch ? seccomp_syscall_resolve_num_arch(arch, nr) : NULL;
			if (!name) {
				if (unnamed && unnamed->n < SA_MAX_UNNAMED)
					unnamed->nr[unnamed->n++] = nr | (compat ? SA_UNNAMED_COMPAT : 0);
				continue;
			}
			a = !compat && args ? argvals_for(s, nr) : NULL;
			err = a ? add_args_of(p, name, a) : sa_profile__add_name(p, name);
			free(name);
			if (err)
				return err;
		}
	}
	return 0;
}

int sa_profile__union(struct sa_profile *dst, const struct sa_profile *src)
{
	uint32_t i;
	size_t j;
	json_t *r;
	int err;

	for (i = 0; i < src->n; i++) {
		err = sa_profile__add_name(dst, src->names[i]);
		if (err)
			return err;
	}
	json_array_foreach(src->arg_rules, j, r) {
		err = add_arg_rule(dst, r);
		if (err)
			return err;
	}
	return 0;
}

/* The seccomp object inside doc: itself, linux.seccomp, or an SPO spec. */
static const json_t *find_seccomp(const json_t *doc)
{
	const json_t *inner;

	if (json_object_get(doc, "defaultAction"))
		return doc;
	inner = json_object_get(json_object_get(doc, "linux"), "seccomp");
	if (inner)
		return inner;
	inner = json_object_get(doc, "spec");
	if (json_object_get(inner, "defaultAction"))
		return inner;
	return NULL;
}

static int add_rule_json(struct sa_profile *p, const json_t *rule)
{
	const json_t *names = json_object_get(rule, "names"), *args;
	json_t *one, *name;
	size_t i;
	int err = 0;

	if (!json_is_array(names))
		return -EINVAL;
	if (strcmp(json_string_value(json_object_get(rule, "action")) ?: "", "SCMP_ACT_ALLOW"))
		return 0;	/* only what is allowed widens a profile */
	args = json_object_get(rule, "args");
	json_array_foreach(names, i, name) {
		if (!json_is_string(name))
			return -EINVAL;
		if (!json_array_size(args)) {
			err = sa_profile__add_name(p, json_string_value(name));
		} else {
			one = json_pack("{s:[O], s:s, s:O}", "names", name,
					"action", "SCMP_ACT_ALLOW", "args", args);
			err = one ? add_arg_rule(p, one) : -ENOMEM;
			json_decref(one);
		}
		if (err)
			return err;
	}
	return 0;
}

int sa_profile__add_oci(struct sa_profile *p, const json_t *doc, const char **why)
{
	const json_t *sc = find_seccomp(doc), *rules, *rule;
	size_t i;
	int err;

	if (!sc) {
		*why = "no seccomp profile in it (want an OCI profile with defaultAction)";
		return -EINVAL;
	}
	rules = json_object_get(sc, "syscalls");
	if (rules && !json_is_array(rules)) {
		*why = "its \"syscalls\" is not an array";
		return -EINVAL;
	}
	json_array_foreach(rules, i, rule) {
		err = add_rule_json(p, rule);
		if (err) {
			*why = "a syscalls entry has no \"names\" array of strings";
			return err;
		}
	}
	return 0;
}
