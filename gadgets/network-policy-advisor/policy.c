// SPDX-License-Identifier: Apache-2.0
/*
 * network-policy-advisor: from observed flows to networking.k8s.io/v1
 * NetworkPolicy documents. Pure: no host, no BPF; same input, same bytes.
 *
 * Workloads with the same namespace and selector (replicas of one Deployment)
 * share one policy (groups.c). Each policy has one rule per peer and direction, with all
 * the peer's ports merged; DNS (egress to port 53) is a rule of its own. Peers
 * that are known workloads become podSelectors, anything else an ipBlock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network_policy_advisor_int.h"

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

static const char *label_of(const struct npa_workload *w, const char *key)
{
	for (uint32_t i = 0; i < w->nr_labels; i++)
		if (!strcmp(w->labels[i].key, key))
			return w->labels[i].value;
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
	err = npa_groups_build(in, &gs);
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
	npa_groups_free(&gs);
	return (int)n;
out_policies:
	npa_policies_free(p, n);
out_groups:
	npa_groups_free(&gs);
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
