// SPDX-License-Identifier: Apache-2.0
/*
 * network-policy-advisor: workloads into groups. Workloads with the same
 * namespace and selector (replicas of one Deployment) make one group, which
 * gets one policy; a selector is the pod labels minus the per-revision ones,
 * or the container name. Also the lookups policy.c and rules.c make: the
 * group of a network namespace, the workload owning an address. Pure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network_policy_advisor_int.h"

static const char *const ignored_labels[] = {
	"pod-template-hash",
	"controller-revision-hash",
	"pod-template-generation",
	"statefulset.kubernetes.io/pod-name",
};

bool npa_label_ignored(const char *key)
{
	for (size_t i = 0; i < sizeof(ignored_labels) / sizeof(ignored_labels[0]); i++)
		if (!strcmp(key, ignored_labels[i]))
			return true;
	return !strncmp(key, "topology.kubernetes.io/", 23);
}

static bool label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

void npa_label_value(const char *in, char *out, size_t len)
{
	size_t o = 0, max = len - 1 < 63 ? len - 1 : 63;

	for (; *in && o < max; in++) {
		char c = *in;

		if (!label_char(c) && c != '-' && c != '_' && c != '.')
			c = '-';
		if (!o && !label_char(c))
			continue;		/* must start alphanumeric */
		out[o++] = c;
	}
	while (o && !label_char(out[o - 1]))
		o--;				/* ... and end alphanumeric */
	out[o] = '\0';
	if (!o)
		snprintf(out, len, "unnamed");
}

/* The selector of a workload: its pod labels minus the per-revision ones, or
 * failing that, its container name. */
static json_t *workload_selector(const struct npa_workload *w, bool *from_name)
{
	json_t *sel = json_object();
	char value[64];

	if (!sel)
		return NULL;
	for (uint32_t i = 0; i < w->nr_labels; i++) {
		if (npa_label_ignored(w->labels[i].key))
			continue;
		json_object_set_new(sel, w->labels[i].key, json_string(w->labels[i].value));
	}
	*from_name = json_object_size(sel) == 0;
	if (*from_name) {
		npa_label_value(w->name ? w->name : "", value, sizeof(value));
		json_object_set_new(sel, NPA_NAME_LABEL, json_string(value));
	}
	return sel;
}

static void group_free(struct npa_group *g)
{
	json_decref(g->selector);
	free(g->key);
	free(g->netns);
}

static int group_add_netns(struct npa_group *g, uint64_t netns)
{
	uint64_t *n;

	for (size_t i = 0; i < g->nr_netns; i++)
		if (g->netns[i] == netns)
			return 0;
	n = realloc(g->netns, (g->nr_netns + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	g->netns = n;
	g->netns[g->nr_netns++] = netns;
	return 0;
}

static int group_cmp(const void *a, const void *b)
{
	return strcmp(((const struct npa_group *)a)->key, ((const struct npa_group *)b)->key);
}

/* Fill one group from workload w (new or matching an existing one). */
static int group_workload(struct npa_groups *gs, const struct npa_workload *w)
{
	struct npa_group *g, *more;
	bool from_name;
	json_t *sel = workload_selector(w, &from_name);
	char *dump, *key;
	int err = -ENOMEM;

	if (!sel)
		return -ENOMEM;
	dump = json_dumps(sel, JSON_SORT_KEYS | JSON_COMPACT);
	if (!dump || asprintf(&key, "%s\x01%s", w->k8s_namespace ? w->k8s_namespace : "",
			      dump) < 0)
		goto out_sel;
	for (size_t i = 0; i < gs->nr; i++) {
		g = &gs->v[i];
		if (strcmp(g->key, key))
			continue;
		free(key);
		g->peer_only &= w->peer_only;
		err = group_add_netns(g, w->netns);
		goto out_sel;
	}
	more = realloc(gs->v, (gs->nr + 1) * sizeof(*more));
	if (!more) {
		free(key);
		goto out_sel;
	}
	gs->v = more;
	g = &gs->v[gs->nr++];
	memset(g, 0, sizeof(*g));
	g->w = w;
	g->key = key;
	g->selector = sel;
	g->from_name = from_name;
	g->peer_only = w->peer_only;
	free(dump);
	return group_add_netns(g, w->netns);
out_sel:
	free(dump);
	json_decref(sel);
	return err;
}

int npa_groups_build(const struct npa_input *in, struct npa_groups *gs)
{
	int err;

	memset(gs, 0, sizeof(*gs));
	for (size_t i = 0; i < in->nr_workloads; i++) {
		err = group_workload(gs, &in->workloads[i]);
		if (err)
			return err;
	}
	if (gs->nr)
		qsort(gs->v, gs->nr, sizeof(gs->v[0]), group_cmp);
	return 0;
}

void npa_groups_free(struct npa_groups *gs)
{
	for (size_t i = 0; i < gs->nr; i++)
		group_free(&gs->v[i]);
	free(gs->v);
}

const struct npa_group *npa_group_of_netns(const struct npa_groups *gs, uint64_t netns)
{
	for (size_t i = 0; i < gs->nr; i++)
		for (size_t j = 0; j < gs->v[i].nr_netns; j++)
			if (gs->v[i].netns[j] == netns)
				return &gs->v[i];
	return NULL;
}

const struct npa_workload *npa_owner_of_ip(const struct npa_input *in, const struct npa_ip *ip)
{
	for (size_t i = 0; i < in->nr_workloads; i++) {
		const struct npa_workload *w = &in->workloads[i];

		for (uint32_t j = 0; j < w->nr_ips; j++)
			if (npa_ip_equal(&w->ips[j], ip))
				return w;
	}
	return NULL;
}
