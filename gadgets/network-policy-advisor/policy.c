// SPDX-License-Identifier: Apache-2.0
/*
 * network-policy-advisor: from observed flows to networking.k8s.io/v1
 * NetworkPolicy documents. Pure: no host, no BPF; same input, same bytes.
 *
 * Workloads with the same namespace and selector (replicas of one Deployment)
 * share one policy. Each policy has one rule per peer and direction, with all
 * the peer's ports merged; DNS (egress to port 53) is a rule of its own. Peers
 * that are known workloads become podSelectors, anything else an ipBlock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network_policy_advisor.h"
#include "npa.h"
#include "policy_int.h"

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

/* DNS-1123 subdomain for metadata.name. */
static void object_name(const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (; *in && o + 1 < len && o < 200; in++) {
		char c = *in;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.'))
			c = '-';
		if (!o && (c == '-' || c == '.'))
			continue;
		out[o++] = c;
	}
	while (o && (out[o - 1] == '-' || out[o - 1] == '.'))
		o--;
	out[o] = '\0';
	if (!o)
		snprintf(out, len, "workload");
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

static const char *label_of(const struct npa_workload *w, const char *key)
{
	for (uint32_t i = 0; i < w->nr_labels; i++)
		if (!strcmp(w->labels[i].key, key))
			return w->labels[i].value;
	return NULL;
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

static int groups_build(const struct npa_input *in, struct npa_groups *gs)
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

static void groups_free(struct npa_groups *gs)
{
	for (size_t i = 0; i < gs->nr; i++)
		group_free(&gs->v[i]);
	free(gs->v);
}

/* The group a network namespace belongs to (the first, in sorted order). */
const struct npa_group *npa_group_of_netns(const struct npa_groups *gs, uint64_t netns)
{
	for (size_t i = 0; i < gs->nr; i++)
		for (size_t j = 0; j < gs->v[i].nr_netns; j++)
			if (gs->v[i].netns[j] == netns)
				return &gs->v[i];
	return NULL;
}

/* The workload owning an address, or NULL. */
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

/* metadata.name: the app label if there is one, else pod or container name. */
static void policy_name(const struct npa_group *g, char *out, size_t len)
{
	static const char *const keys[] = { "app.kubernetes.io/name", "app", "k8s-app" };
	const char *base = NULL;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && !base && !g->from_name; i++)
		base = label_of(g->w, keys[i]);
	if (!base)
		base = g->w->k8s_namespace && g->w->k8s_pod ? g->w->k8s_pod : g->w->name;
	object_name(base ? base : "", out, len);
}

static int policy_for_group(const struct npa_input *in, const struct npa_groups *gs,
			    const struct npa_group *g, struct npa_policy *p)
{
	json_t *doc = NULL, *meta, *ann, *spec, *types;
	char name[216];
	int err = -ENOMEM;

	policy_name(g, name, sizeof(name));
	doc = json_pack("{s:s, s:s}", "apiVersion", "networking.k8s.io/v1",
			"kind", "NetworkPolicy");
	meta = json_object();
	ann = json_object();
	spec = json_object();
	types = json_pack("[s, s]", "Ingress", "Egress");
	if (!doc || !meta || !ann || !spec || !types)
		goto out_free;
	json_object_set_new(meta, "name", json_string(name));
	if (g->w->k8s_namespace)
		json_object_set_new(meta, "namespace", json_string(g->w->k8s_namespace));
	json_object_set_new(ann, "ig.io/generated-by", json_string("ig network-policy-advisor"));
	if (g->from_name)
		json_object_set_new(ann, NPA_NOTE_ANNOTATION,
				    json_string("no Kubernetes pod labels: the podSelector uses "
						"the container name (label " NPA_NAME_LABEL ")"));
	json_object_set_new(spec, "podSelector",
			    json_pack("{s:O}", "matchLabels", g->selector));
	json_object_set_new(spec, "policyTypes", types);
	types = NULL;
	err = npa_rules_add(in, gs, g, spec, ann, &p->nr_ingress, &p->nr_egress);
	if (err)
		goto out_free;
	json_object_set_new(meta, "annotations", ann);
	ann = NULL;
	json_object_set_new(doc, "metadata", meta);
	meta = NULL;
	json_object_set_new(doc, "spec", spec);
	spec = NULL;

	if (in->format == NPA_FORMAT_CILIUM) {
		p->doc = npa_cilium_from(in, g, doc);
		if (!p->doc) {
			err = -ENOMEM;
			goto out_free;
		}
	} else {
		p->doc = doc;
		doc = NULL;
	}
	p->netns = g->netns[0];
	p->members = calloc(g->nr_netns, sizeof(*p->members));
	if (!p->members) {
		json_decref(p->doc);	/* not counted by the caller yet */
		p->doc = NULL;
		err = -ENOMEM;
		goto out_free;
	}
	memcpy(p->members, g->netns, g->nr_netns * sizeof(*p->members));
	p->nr_members = g->nr_netns;
	if (g->w->k8s_namespace)
		snprintf(p->title, sizeof(p->title), "%.250s/%.215s", g->w->k8s_namespace, name);
	else
		snprintf(p->title, sizeof(p->title), "%.215s", name);
	err = 0;
out_free:
	json_decref(types);
	json_decref(spec);
	json_decref(ann);
	json_decref(meta);
	json_decref(doc);
	return err;
}

/* Two groups of one namespace may derive the same name: number the later.
 * Walk backwards so the titles compared against are still the originals. */
static void dedup_names(struct npa_policy *p, size_t n)
{
	for (size_t i = n; i-- > 1;) {
		json_t *meta = json_object_get(p[i].doc, "metadata");
		const char *name = json_string_value(json_object_get(meta, "name"));
		unsigned int seq = 1;

		for (size_t j = 0; j < i; j++) {
			if (!strcmp(p[i].title, p[j].title))
				seq++;
		}
		if (seq > 1) {
			size_t tl = strlen(p[i].title);
			char buf[240];

			/* name belongs to meta: format before replacing it */
			snprintf(buf, sizeof(buf), "%.220s-%u", name, seq);
			json_object_set_new(meta, "name", json_string(buf));
			snprintf(p[i].title + tl, sizeof(p[i].title) - tl, "-%u", seq);
		}
	}
}

int npa_policies_build(const struct npa_input *in, struct npa_policy **out)
{
	struct npa_groups gs;
	struct npa_policy *p = NULL;
	size_t n = 0;
	int err;

	*out = NULL;
	err = groups_build(in, &gs);
	if (err)
		goto out_groups;
	p = calloc(gs.nr ? gs.nr : 1, sizeof(*p));
	if (!p) {
		err = -ENOMEM;
		goto out_groups;
	}
	for (size_t i = 0; i < gs.nr; i++) {
		if (gs.v[i].peer_only)
			continue;
		err = policy_for_group(in, &gs, &gs.v[i], &p[n]);
		if (err)
			goto out_policies;
		n++;
	}
	dedup_names(p, n);
	*out = p;
	groups_free(&gs);
	return (int)n;
out_policies:
	npa_policies_free(p, n);
out_groups:
	groups_free(&gs);
	return err;
}

void npa_policies_free(struct npa_policy *p, size_t n)
{
	if (!p)
		return;
	for (size_t i = 0; i < n; i++) {
		json_decref(p[i].doc);
		free(p[i].members);
	}
	free(p);
}
