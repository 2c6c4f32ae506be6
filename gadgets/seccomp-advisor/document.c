// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor: render profiles as OCI linux.seccomp and Security
 * Profiles Operator SeccompProfile documents, and read base profiles.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "seccomp_advisor_int.h"


static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *rule_name(const json_t *rule)
{
	return json_string_value(json_array_get(json_object_get(rule, "names"), 0));
}

static int cmp_rule(const void *a, const void *b)
{
	const json_t *ra = *(json_t *const *)a, *rb = *(json_t *const *)b;
	char *da, *db;
	int c;

	c = strcmp(rule_name(ra) ?: "", rule_name(rb) ?: "");
	if (c)
		return c;
	da = json_dumps(ra, JSON_SORT_KEYS | JSON_COMPACT);
	db = json_dumps(rb, JSON_SORT_KEYS | JSON_COMPACT);
	c = strcmp(da ?: "", db ?: "");
	free(da);
	free(db);
	return c;
}

uint32_t sa_profile__count(const struct sa_profile *p)
{
	uint32_t n = p->n;
	size_t i, j;
	json_t *r;

	json_array_foreach(p->arg_rules, i, r) {
		const char *name = rule_name(r);
		bool seen = !name || sa_profile__has(p, name);

		for (j = 0; j < i && !seen; j++)
			seen = !strcmp(rule_name(json_array_get(p->arg_rules, j)) ?: "", name);
		n += !seen;
	}
	return n;
}

/* Both spec formats share the syscalls layout; build it once. */
static json_t *syscalls_array(const struct sa_profile *p)
{
	json_t *out = json_array(), *names = json_array(), *rule, **rules = NULL;
	char **sorted = NULL;
	size_t i, nr = json_array_size(p->arg_rules);

	sorted = malloc((p->n + 1) * sizeof(*sorted));
	rules = malloc((nr + 1) * sizeof(*rules));
	if (!out || !names || !sorted || !rules)
		goto err_free;
	/* An empty profile has no names array: memcpy/qsort of NULL is UB. */
	if (p->n) {
		memcpy(sorted, p->names, p->n * sizeof(*sorted));
		qsort(sorted, p->n, sizeof(*sorted), cmp_str);
	}
	for (i = 0; i < p->n; i++)
		if (json_array_append_new(names, json_string(sorted[i])))
			goto err_free;
	if (p->n && json_array_append_new(out, json_pack("{s:O, s:s}", "names", names,
							  "action", "SCMP_ACT_ALLOW")))
		goto err_free;
	/* Rules for names allowed anyway are redundant: leave them out. */
	nr = 0;
	json_array_foreach(p->arg_rules, i, rule)
		if (!rule_name(rule) || !sa_profile__has(p, rule_name(rule)))
			rules[nr++] = rule;
	qsort(rules, nr, sizeof(*rules), cmp_rule);
	for (i = 0; i < nr; i++)
		if (json_array_append(out, rules[i]))
			goto err_free;
	json_decref(names);
	free(sorted);
	free(rules);
	return out;

err_free:
	json_decref(out);
	json_decref(names);
	free(sorted);
	free(rules);
	return NULL;
}

static json_t *spec_common(const struct sa_profile *p, const struct sa_doc_opts *o)
{
	json_t *spec, *archs, *syscalls;
	const char *name;
	int i;

	spec = json_object();
	archs = json_array();
	syscalls = syscalls_array(p);
	if (!spec || !archs || !syscalls)
		goto err_free;
	for (i = 0; i < o->nr_archs; i++) {
		name = sa_arch_name(o->archs[i]);
		if (name && json_array_append_new(archs, json_string(name)))
			goto err_free;
	}
	if (json_object_set_new(spec, "defaultAction", json_string("SCMP_ACT_ERRNO")) ||
	    (o->errno_set && json_object_set_new(spec, "defaultErrnoRet",
						 json_integer(o->default_errno))) ||
	    json_object_set_new(spec, "architectures", archs) ||
	    json_object_set_new(spec, "syscalls", syscalls)) {
		archs = syscalls = NULL;
		goto err_free;
	}
	return spec;

err_free:
	json_decref(spec);
	json_decref(archs);
	json_decref(syscalls);
	return NULL;
}

json_t *sa_profile__oci(const struct sa_profile *p, const struct sa_doc_opts *o)
{
	return spec_common(p, o);
}

void sa_dns_name(char *out, size_t size, const char *in)
{
	size_t n = 0;
	bool dash = true;	/* no leading '-' */

	for (; *in && n + 1 < size && n < 253; in++) {
		unsigned char c = tolower((unsigned char)*in);

		if (isalnum(c) || c == '.') {
			out[n++] = c;
			dash = false;
		} else if (!dash) {
			out[n++] = '-';
			dash = true;
		}
	}
	while (n && (out[n - 1] == '-' || out[n - 1] == '.'))
		n--;
	if (!n && size > 8)
		n = snprintf(out, size, "profile");
	out[n] = '\0';
}

json_t *sa_profile__spo(const struct sa_profile *p, const struct sa_doc_opts *o,
			const struct sa_spo_meta *m)
{
	char api[96], name[254];
	json_t *spec, *doc;

	spec = spec_common(p, o);
	if (!spec)
		return NULL;
	snprintf(api, sizeof(api), "security-profiles-operator.x-k8s.io/%s", m->api);
	sa_dns_name(name, sizeof(name), m->name);
	doc = json_pack("{s:s, s:s, s:{s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s}}, s:o}",
			"apiVersion", api, "kind", "SeccompProfile",
			"metadata", "name", name, "annotations",
			"ig.io/recorded-by", "ig seccomp-advisor",
			"ig.io/recorded-from", m->recorded_from ?: "",
			"ig.io/container-id", m->container_id ?: "",
			"ig.io/recorded-in", m->recorded_in ?: "",
			"ig.io/for", m->made_for ?: "",
			"ig.io/implicit-syscalls", m->implicit ?: "",
			"spec", spec);
	return doc;
}
