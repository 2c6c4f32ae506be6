// SPDX-License-Identifier: Apache-2.0
/* Container and Kubernetes columns for records that carry a namespace. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/containers/meta.h"
#include "enrich.h"

static const struct ig_field extra[IG_ENRICH_MAX_FIELDS] = {
	{ "runtime.containerName", "container name", IG_FT_STRING, IG_FK_CONTAINER, 16 },
	{ "runtime.containerId", "container id", IG_FT_STRING, IG_FK_CONTAINER, 16, 0,
	  IG_FIELD_HIDDEN },
	{ "runtime.runtimeName", "container runtime", IG_FT_STRING, IG_FK_CONTAINER, 10, 0,
	  IG_FIELD_HIDDEN },
	{ "runtime.containerPid", "container init pid", IG_FT_UINT, IG_FK_PID, 8,
	  IG_ALIGN_RIGHT, IG_FIELD_HIDDEN },
	{ "runtime.containerImageName", "container image", IG_FT_STRING, IG_FK_CONTAINER, 16, 0,
	  IG_FIELD_HIDDEN },
	{ "k8s.namespace", "Kubernetes namespace", IG_FT_STRING, IG_FK_K8S, 16, 0,
	  IG_FIELD_HIDDEN },
	{ "k8s.podName", "Kubernetes pod", IG_FT_STRING, IG_FK_K8S, 16, 0, IG_FIELD_HIDDEN },
	{ "k8s.containerName", "Kubernetes container", IG_FT_STRING, IG_FK_K8S, 16, 0,
	  IG_FIELD_HIDDEN },
	{ "k8s.podLabels", "pod labels, k=v,k=v", IG_FT_STRING, IG_FK_K8S, 16, 0,
	  IG_FIELD_HIDDEN },
};

int ig_enrich__init(struct ig_enrich *e, const struct ig_field *gf, size_t n)
{
	size_t i, total;

	memset(e, 0, sizeof(*e));
	e->ns_idx = -1;
	for (i = 0; i < n && e->ns_idx < 0; i++)
		if (gf[i].kind == IG_FK_MNTNS)
			e->ns_idx = (int)i;
	for (i = 0; i < n && e->ns_idx < 0; i++)
		if (gf[i].kind == IG_FK_NETNS) {
			e->ns_idx = (int)i;
			e->by_netns = true;
		}
	total = n + (e->ns_idx >= 0 ? IG_ENRICH_MAX_FIELDS : 0);
	e->fields = calloc(total ? total : 1, sizeof(*e->fields));
	e->vals = calloc(total ? total : 1, sizeof(*e->vals));
	if (!e->fields || !e->vals) {
		ig_enrich__fini(e);
		return -ENOMEM;
	}
	memcpy(e->fields, gf, n * sizeof(*gf));
	if (e->ns_idx >= 0)
		memcpy(e->fields + n, extra, sizeof(extra));
	e->nr_fields = total;
	e->nr_gadget = n;
	return 0;
}

const struct ig_value *ig_enrich__fill(struct ig_enrich *e, struct ig_containers *cs,
				       const struct ig_value *in)
{
	const struct ig_container *c = NULL;
	struct ig_value *x;
	const char *labels;
	uint32_t len;
	uint64_t ns;

	if (e->ns_idx < 0)
		return in;
	memcpy(e->vals, in, e->nr_gadget * sizeof(*in));
	x = e->vals + e->nr_gadget;
	memset(x, 0, IG_ENRICH_MAX_FIELDS * sizeof(*x));
	ns = in[e->ns_idx].v.u;
	if (cs && ns && (in[e->ns_idx].flags & IG_VALUE_SET))
		c = e->by_netns ? ig_containers__by_netns(cs, ns) : ig_containers__by_mntns(cs, ns);
	if (!c)
		return e->vals;
	x[0] = ig_val_str(c->name ? c->name : c->id);
	x[1] = ig_val_str(c->id);
	x[2] = ig_val_str(c->runtime);
	x[3] = c->pid > 0 ? ig_val_u64((uint64_t)c->pid) : x[3];
	x[4] = ig_val_str(c->image);
	x[5] = ig_val_str(c->k8s_namespace);
	x[6] = ig_val_str(c->k8s_pod);
	x[7] = ig_val_str(c->k8s_container);
	labels = ctr_entry__labels_text(c, &len);
	x[8] = ig_val_strn(labels, len);
	return e->vals;
}

void ig_enrich__fini(struct ig_enrich *e)
{
	free(e->fields);
	free(e->vals);
	memset(e, 0, sizeof(*e));
	e->ns_idx = -1;
}
