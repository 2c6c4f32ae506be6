// SPDX-License-Identifier: Apache-2.0
/*
 * The advice report: read the per-container counts the BPF program kept in
 * caps_agg, build one document per mount namespace (advise.c) and hand it to
 * the host with a one-row summary for table output.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include <ig/gadget.h>

#include "capabilities_int.h"
#include "capabilities.skel.h"

struct agg_entry {
	struct cap_agg_key key;
	struct cap_agg_val val;
};

static int by_mntns(const void *a, const void *b)
{
	const struct agg_entry *x = a, *y = b;

	return x->key.mntns < y->key.mntns ? -1 : x->key.mntns > y->key.mntns;
}

/* Copy the whole map out (sorted by mntns). *out NULL when empty. */
static int read_agg(int fd, struct agg_entry **out, size_t *nr)
{
	struct agg_entry *arr = NULL, *tmp;
	struct cap_agg_key key, *prev = NULL;
	size_t n = 0, cap = 0;

	while (!bpf_map_get_next_key(fd, prev, &key)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			tmp = realloc(arr, cap * sizeof(*arr));
			if (!tmp) {
				free(arr);
				return -ENOMEM;
			}
			arr = tmp;
		}
		arr[n].key = key;
		if (!bpf_map_lookup_elem(fd, &key, &arr[n].val))
			n++;
		prev = &arr[n ? n - 1 : 0].key;
		if (!n)	/* lookup raced with a delete: restart */
			prev = NULL;
	}
	if (n)
		qsort(arr, n, sizeof(*arr), by_mntns);
	*out = arr;
	*nr = n;
	return 0;
}

static int emit_one(struct caps_state *st, const struct agg_entry *e, size_t n, enum adv_end end)
{
	const struct ig_host *host = st->host;
	const struct ig_container *c = host->container_by_mntns(host->ctx, e[0].key.mntns);
	uint64_t from_file;
	char name[64];
	struct caps_advice_target t = { 0 };
	struct ig_value summary[F_NR];
	struct caps_advice a;
	json_t *doc;
	size_t i;
	int err;

	caps_advice_init(&a, e[0].key.mntns);
	for (i = 0; i < n; i++)
		caps_advice_add(&a, &e[i].key, &e[i].val);
	from_file = caps_lifecycle__union(st, &a);
	if (c) {
		t.container = c->name;
		t.id = c->id;
		t.runtime = c->runtime;
	}
	doc = caps_advice_document(&a, &t, caps_syscall_name);
	if (!doc)
		return -ENOMEM;
	snprintf(name, sizeof(name), "%s", c && c->name ? c->name :
		 host->target(host->ctx) == IG_TARGET_COMMAND ? "command" : "host");
	err = caps_lifecycle__attach(st, &a, name, doc, end, from_file);
	if (err) {
		json_decref(doc);
		return err;
	}
	memset(summary, 0, sizeof(summary));
	summary[F_MNTNS] = ig_val_u64(a.mntns);
	summary[F_COMM] = ig_val_str("(advice)");
	if (a.needed)	/* none needed: an empty cell, not "0x0" */
		summary[F_CAP] = ig_val_u64(a.needed);
	if (a.denied & ~a.needed)	/* something asked for, refused, not advised */
		summary[F_VERDICT] = ig_val_u64(CAPS_VERDICT_DENY);
	err = host->emit_document(host->ctx, doc, summary);
	json_decref(doc);
	return err;
}

static void forget(int fd, const struct agg_entry *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		bpf_map_delete_elem(fd, &e[i].key);
}

/* In container mode the core records a new container from its first
 * instruction and decides only later, once it knows the name, whether it
 * was selected: checks of a container that turned out not to be (or was
 * never named) are in the map too, and are not advice for anyone. */
static bool wanted(struct caps_state *st, uint64_t mntns)
{
	const struct ig_host *host = st->host;
	const struct ig_container *c;

	if (caps_lifecycle__done(st, mntns))	/* --until-stable reported it */
		return false;
	if (host->target(host->ctx) != IG_TARGET_CONTAINERS)
		return true;
	c = host->container_by_mntns(host->ctx, mntns);
	return c && host->container_selected(host->ctx, c);
}

/* Emit every mount namespace in the map, or only `only` when non-zero. */
static int report(struct caps_state *st, uint64_t only, enum adv_end end)
{
	int fd = bpf_map__fd(st->skel->maps.caps_agg);
	struct agg_entry *arr = NULL;
	size_t n = 0, i, j;
	int err, ret = 0;

	err = read_agg(fd, &arr, &n);
	if (err)
		return err;
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && arr[j].key.mntns == arr[i].key.mntns; j++)
			;
		if (only && arr[i].key.mntns != only)
			continue;
		err = wanted(st, arr[i].key.mntns) ? emit_one(st, arr + i, j - i, end) : 0;
		if (err && !ret)
			ret = err;
		forget(fd, arr + i, j - i);
	}
	free(arr);
	return ret;
}

int caps_report_all(struct caps_state *st, enum adv_end end)
{
	return report(st, 0, end);
}

int caps_report_mntns(struct caps_state *st, uint64_t mntns, enum adv_end end)
{
	return mntns ? report(st, mntns, end) : 0;
}
