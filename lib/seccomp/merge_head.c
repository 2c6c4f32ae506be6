// SPDX-License-Identifier: Apache-2.0
/*
 * The header of a merged profile. Every choice is made from the inputs'
 * values, never from their order: the strictest default action, the least
 * errno, the least name, unions kept sorted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "merge_head.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The least of the non-NULL strings at offset off in each input; *differ
 * when two disagree. */
static const char *least(struct sp_profile *const *in, unsigned int n, size_t off, bool *differ)
{
	const char *best = NULL, *s;
	unsigned int k;

	*differ = false;
	for (k = 0; k < n; k++) {
		s = *(char *const *)((const char *)in[k] + off);
		if (!s)
			continue;
		if (best && strcmp(s, best))
			*differ = true;
		if (!best || strcmp(s, best) < 0)
			best = s;
	}
	return best;
}

static int dup_least(char **dst, struct sp_profile *const *in, unsigned int n, size_t off,
		     const char *what, const struct sp_merge_opts *o, sp_say_fn say)
{
	bool differ;
	const char *s = least(in, n, off, &differ);

	if (differ)
		say(o, "the inputs give different %s: \"%s\" kept", what, s);
	*dst = s ? strdup(s) : NULL;
	return s && !*dst ? -ENOMEM : 0;
}

static void merge_default(struct sp_profile *out, struct sp_profile *const *in, unsigned int n,
			  const struct sp_merge_opts *o, sp_say_fn say)
{
	bool act_differs = false, err_differs = false;
	int first = -2;
	unsigned int k;

	out->def_action = in[0]->def_action;
	for (k = 1; k < n; k++) {
		act_differs |= in[k]->def_action != out->def_action;
		if (in[k]->def_action > out->def_action)
			out->def_action = in[k]->def_action;
	}
	out->def_errno = -1;
	for (k = 0; k < n; k++) {
		if (in[k]->def_action != out->def_action)
			continue;
		if (first == -2)
			first = in[k]->def_errno;
		else if (in[k]->def_errno != first)
			err_differs = true;
		if (in[k]->def_errno >= 0 &&
		    (out->def_errno < 0 || in[k]->def_errno < out->def_errno))
			out->def_errno = in[k]->def_errno;
	}
	if (out->def_action != SP_ACT_ERRNO && out->def_action != SP_ACT_TRACE)
		out->def_errno = -1;
	if (act_differs)
		say(o, "the inputs have different default actions: the strictest, %s, kept",
		    sp_act_scmp_name(out->def_action));
	if (err_differs && out->def_errno >= 0)
		say(o, "the inputs have different defaultErrnoRet values: %d kept",
		    out->def_errno);
}

static int merge_arches(struct sp_profile *out, struct sp_profile *const *in, unsigned int n)
{
	const char *names[64];
	unsigned int k, i, j, nn = 0;

	for (k = 0; k < n; k++) {
		for (i = 0; i < in[k]->nr_arches; i++) {
			const char *name = sp_arch_name(in[k]->arches[i]);

			for (j = 0; name && j < nn && strcmp(names[j], name); j++)
				;
			if (name && j == nn && nn < 64)
				names[nn++] = name;
		}
	}
	qsort(names, nn, sizeof(*names), cmp_str);
	out->arches = calloc(nn + 1, sizeof(*out->arches));
	if (!out->arches)
		return -ENOMEM;
	for (i = 0; i < nn; i++)
		out->arches[i] = sp_arch_parse(names[i]);
	out->nr_arches = nn;
	return 0;
}

static int merge_flags(struct sp_profile *out, struct sp_profile *const *in, unsigned int n)
{
	unsigned int k, i, j, total = 0;

	for (k = 0; k < n; k++)
		total += in[k]->nr_flags;
	out->flags = calloc(total + 1, sizeof(*out->flags));
	if (!out->flags)
		return -ENOMEM;
	for (k = 0; k < n; k++) {
		for (i = 0; i < in[k]->nr_flags; i++) {
			for (j = 0; j < out->nr_flags && strcmp(out->flags[j], in[k]->flags[i]); j++)
				;
			if (j < out->nr_flags)
				continue;
			out->flags[out->nr_flags] = strdup(in[k]->flags[i]);
			if (!out->flags[out->nr_flags++])
				return -ENOMEM;
		}
	}
	qsort(out->flags, out->nr_flags, sizeof(*out->flags), cmp_str);
	return 0;
}

static int merge_spo(struct sp_profile *out, struct sp_profile *const *in, unsigned int n,
		     const struct sp_merge_opts *o, sp_say_fn say)
{
	unsigned int k, spo = 0;
	bool differ;
	const char *api;
	int err;

	for (k = 0; k < n; k++)
		spo += in[k]->format == SP_FMT_SPO;
	out->format = o->format >= 0 ? (enum sp_format)o->format :
		      spo == n ? SP_FMT_SPO : SP_FMT_OCI;
	if (out->format != SP_FMT_SPO)
		return 0;
	api = o->api ? o->api : least(in, n, offsetof(struct sp_profile, api), &differ);
	if (!o->api && differ) {
		api = "v1";
		say(o, "the inputs have different SPO apiVersions: v1 written");
	}
	out->api = strdup(api ? api : "v1");
	if (!out->api)
		return -ENOMEM;
	if (o->name)
		out->name = strdup(o->name);
	else if ((err = dup_least(&out->name, in, n, offsetof(struct sp_profile, name),
				  "metadata.name", o, say)))
		return err;
	if (!out->name)
		out->name = strdup("merged-profile");
	return out->name ? 0 : -ENOMEM;
}

int sp_merge__head(struct sp_profile *out, struct sp_profile *const *in, unsigned int n,
		   const struct sp_merge_opts *o, sp_say_fn say)
{
	int err;

	merge_default(out, in, n, o, say);
	err = merge_arches(out, in, n);
	err = err ?: merge_flags(out, in, n);
	err = err ?: merge_spo(out, in, n, o, say);
	err = err ?: dup_least(&out->listener_path, in, n,
			       offsetof(struct sp_profile, listener_path), "listenerPath", o, say);
	err = err ?: dup_least(&out->listener_meta, in, n,
			       offsetof(struct sp_profile, listener_meta), "listenerMetadata", o,
			       say);
	return err;
}
