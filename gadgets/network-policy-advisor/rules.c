// SPDX-License-Identifier: Apache-2.0
/*
 * network-policy-advisor: the ingress and egress rules of one policy.
 * One rule per (direction, peer), ports merged; DNS egress (port 53) is a
 * rule of its own even when the resolver is also reached on other ports.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network_policy_advisor_int.h"

struct port {
	uint8_t proto;
	uint16_t port;
};

struct rule {
	uint8_t dir;
	char *key;		/* '0'/'1' (DNS last) + peer JSON: sort and identity */
	json_t *peer;
	struct port *ports;
	size_t nr_ports;
};

struct rules {
	struct rule *v;
	size_t nr;
	char **names;		/* "name\x01ip" learned from DNS, for egress peers */
	size_t nr_names;
};

static json_t *peer_json(const struct npa_input *in, const struct npa_groups *gs,
			 const struct npa_group *g, const struct npa_flow *f)
{
	const struct npa_workload *owner = npa_owner_of_ip(in, &f->peer);
	const struct npa_group *pg = owner ? npa_group_of_netns(gs, owner->netns) : NULL;
	char ip[NPA_IP_STRLEN], cidr[NPA_IP_STRLEN + 5];
	json_t *peer;

	if (!pg) {
		snprintf(cidr, sizeof(cidr), "%s/%d", npa_ip_str(&f->peer, ip, sizeof(ip)),
			 f->peer.family == NPA_AF_INET ? 32 : 128);
		return json_pack("{s:{s:s}}", "ipBlock", "cidr", cidr);
	}
	peer = json_pack("{s:{s:O}}", "podSelector", "matchLabels", pg->selector);
	if (peer && pg->w->k8s_namespace &&
	    (!g->w->k8s_namespace || strcmp(g->w->k8s_namespace, pg->w->k8s_namespace)))
		json_object_set_new(peer, "namespaceSelector",
				    json_pack("{s:{s:s}}", "matchLabels",
					      "kubernetes.io/metadata.name",
					      pg->w->k8s_namespace));
	return peer;
}

/* Traffic inside one pod (loopback, or to the pod's own address) is no rule. */
static bool flow_is_local(const struct npa_input *in, const struct npa_flow *f)
{
	const struct npa_workload *owner;

	if (npa_ip_is_loopback(&f->peer) || npa_ip_is_any(&f->peer))
		return true;
	owner = npa_owner_of_ip(in, &f->peer);
	return owner && owner->netns == f->netns;
}

static int rule_add_port(struct rule *r, const struct npa_flow *f)
{
	struct port *more;

	for (size_t i = 0; i < r->nr_ports; i++)
		if (r->ports[i].proto == f->proto && r->ports[i].port == f->port)
			return 0;
	more = realloc(r->ports, (r->nr_ports + 1) * sizeof(*more));
	if (!more)
		return -ENOMEM;
	r->ports = more;
	r->ports[r->nr_ports].proto = f->proto;
	r->ports[r->nr_ports].port = f->port;
	r->nr_ports++;
	return 0;
}

static int rules_add_flow(struct rules *rs, const struct npa_input *in,
			  const struct npa_groups *gs, const struct npa_group *g,
			  const struct npa_flow *f)
{
	bool dns = f->dir == NPA_DIR_EGRESS && f->port == 53;
	json_t *peer = peer_json(in, gs, g, f);
	char *dump = peer ? json_dumps(peer, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	struct rule *r, *more;
	char *key = NULL;
	int err = -ENOMEM;

	if (!dump || asprintf(&key, "%c%s", dns ? '1' : '0', dump) < 0)
		goto out_free;
	for (size_t i = 0; i < rs->nr; i++) {
		r = &rs->v[i];
		if (r->dir == f->dir && !strcmp(r->key, key)) {
			err = rule_add_port(r, f);
			goto out_free;
		}
	}
	more = realloc(rs->v, (rs->nr + 1) * sizeof(*more));
	if (!more)
		goto out_free;
	rs->v = more;
	r = &rs->v[rs->nr++];
	memset(r, 0, sizeof(*r));
	r->dir = f->dir;
	r->key = key;
	r->peer = peer;
	free(dump);
	return rule_add_port(r, f);
out_free:
	free(key);
	free(dump);
	json_decref(peer);
	return err;
}

/* Remember the names a DNS answer in the flow's netns gave to its peer. */
static int rules_add_names(struct rules *rs, const struct npa_input *in, const struct npa_flow *f)
{
	char ip[NPA_IP_STRLEN], *entry, **more;

	for (size_t i = 0; i < in->nr_names; i++) {
		const struct npa_dns_name *n = &in->names[i];
		bool seen = false;

		if (n->netns != f->netns || !npa_ip_equal(&n->ip, &f->peer))
			continue;
		if (asprintf(&entry, "%s\x01%s", n->name, npa_ip_str(&f->peer, ip, sizeof(ip))) < 0)
			return -ENOMEM;
		for (size_t j = 0; j < rs->nr_names && !seen; j++)
			seen = !strcmp(rs->names[j], entry);
		if (seen) {
			free(entry);
			continue;
		}
		more = realloc(rs->names, (rs->nr_names + 1) * sizeof(*more));
		if (!more) {
			free(entry);
			return -ENOMEM;
		}
		rs->names = more;
		rs->names[rs->nr_names++] = entry;
	}
	return 0;
}

static int port_cmp(const void *a, const void *b)
{
	const struct port *x = a, *y = b;

	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	return (int)x->port - (int)y->port;
}

static int rule_cmp(const void *a, const void *b)
{
	const struct rule *x = a, *y = b;

	if (x->dir != y->dir)
		return x->dir < y->dir ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static json_t *rule_json(const struct rule *r)
{
	json_t *ports = json_array();

	for (size_t i = 0; ports && i < r->nr_ports; i++)
		json_array_append_new(ports, json_pack("{s:s, s:i}", "protocol",
					r->ports[i].proto == NPA_PROTO_TCP ? "TCP" : "UDP",
					"port", r->ports[i].port));
	return json_pack("{s:[O], s:o}", r->dir == NPA_DIR_INGRESS ? "from" : "to", r->peer,
			 "ports", ports);
}

/* "name: ip, ip; name2: ip" from the sorted "name\x01ip" entries. */
static json_t *names_json(char **names, size_t n)
{
	size_t len = 1;
	char *buf, *o;
	json_t *s;

	for (size_t i = 0; i < n; i++)
		len += strlen(names[i]) + 4;
	o = buf = calloc(1, len);
	if (!buf)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char *sep = strchr(names[i], '\x01');
		size_t nl = (size_t)(sep - names[i]);
		bool same = i && !strncmp(names[i - 1], names[i], nl + 1);

		if (same)
			o += sprintf(o, ", %s", sep + 1);
		else
			o += sprintf(o, "%s%.*s: %s", i ? "; " : "", (int)nl, names[i], sep + 1);
	}
	s = json_string(buf);
	free(buf);
	return s;
}

static void rules_free(struct rules *rs)
{
	for (size_t i = 0; i < rs->nr; i++) {
		free(rs->v[i].key);
		json_decref(rs->v[i].peer);
		free(rs->v[i].ports);
	}
	free(rs->v);
	for (size_t i = 0; i < rs->nr_names; i++)
		free(rs->names[i]);
	free(rs->names);
}

int npa_rules_add(const struct npa_input *in, const struct npa_groups *gs,
		  const struct npa_group *g, json_t *spec, json_t *ann,
		  uint32_t *nr_ingress, uint32_t *nr_egress)
{
	json_t *ingress = json_array(), *egress = json_array();
	struct rules rs = { 0 };
	int err = -ENOMEM;

	if (!ingress || !egress)
		goto out_free;
	for (size_t i = 0; i < in->nr_flows; i++) {
		const struct npa_flow *f = &in->flows[i];

		if (npa_group_of_netns(gs, f->netns) != g || flow_is_local(in, f))
			continue;
		err = rules_add_flow(&rs, in, gs, g, f);
		if (!err && f->dir == NPA_DIR_EGRESS)
			err = rules_add_names(&rs, in, f);
		if (err)
			goto out_free;
	}
	if (rs.nr)
		qsort(rs.v, rs.nr, sizeof(rs.v[0]), rule_cmp);
	*nr_ingress = *nr_egress = 0;
	for (size_t i = 0; i < rs.nr; i++) {
		struct rule *r = &rs.v[i];

		qsort(r->ports, r->nr_ports, sizeof(r->ports[0]), port_cmp);
		json_array_append_new(r->dir == NPA_DIR_INGRESS ? ingress : egress, rule_json(r));
		(*(r->dir == NPA_DIR_INGRESS ? nr_ingress : nr_egress))++;
	}
	if (rs.nr_names) {
		qsort(rs.names, rs.nr_names, sizeof(rs.names[0]), str_cmp);
		json_object_set_new(ann, NPA_DNS_ANNOTATION, names_json(rs.names, rs.nr_names));
	}
	json_object_set_new(spec, "ingress", ingress);
	json_object_set_new(spec, "egress", egress);
	ingress = egress = NULL;
	err = 0;
out_free:
	json_decref(ingress);
	json_decref(egress);
	rules_free(&rs);
	return err;
}
