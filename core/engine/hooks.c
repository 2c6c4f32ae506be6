// SPDX-License-Identifier: Apache-2.0
/*
 * For each role of a gadget's hook table, the first alternative whose kind
 * the kernel allows, whose target its BTF has and whose needs are all there
 * (ig/kernel.h). The tracepoints and functions of the whole table are looked
 * up in one walk over the kernel's BTF; the features are asked lazily, so an
 * alternative that wins spares the probes of the ones after it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/btf.h>

#include "hooks.h"
#include "kfeat.h"

#define MAX_HOOKS	64	/* as IG_DESC_MAX_HOOKS (desc.h) */
#define LINE_MAX_	1024

static const char *const kind_names[] = {
	[IG_HOOK_TP_BTF] = "tp_btf",
	[IG_HOOK_RAW_TP] = "raw_tp",
	[IG_HOOK_FENTRY] = "fentry",
	[IG_HOOK_FEXIT] = "fexit",
	[IG_HOOK_KPROBE] = "kprobe",
	[IG_HOOK_OTHER] = "",
};

/* The feature a kind needs itself, or -1. */
static int kind_feature(uint32_t kind)
{
	switch (kind) {
	case IG_HOOK_TP_BTF:
		return IG_KF_TP_BTF;
	case IG_HOOK_RAW_TP:
		return IG_KF_RAW_TP;
	case IG_HOOK_FENTRY:
	case IG_HOOK_FEXIT:
		return IG_KF_FENTRY;
	case IG_HOOK_KPROBE:
		return IG_KF_KPROBE;
	default:
		return -1;
	}
}

static bool is_tracepoint(uint32_t kind)
{
	return kind == IG_HOOK_TP_BTF || kind == IG_HOOK_RAW_TP;
}

int ig_hooks__check(const struct ig_hook *h, size_t n, char *why, size_t whylen)
{
	size_t i;

	if (n > MAX_HOOKS) {
		snprintf(why, whylen, "hook table has %zu entries (at most %d)", n, MAX_HOOKS);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (!h[i].role || !h[i].target || !h[i].progs || h[i].kind < IG_HOOK_TP_BTF ||
		    h[i].kind > IG_HOOK_OTHER) {
			snprintf(why, whylen, "hook table entry %zu lacks a role, target, "
				 "programs or a known kind", i);
			return -EINVAL;
		}
	}
	return 0;
}

void ig_hooks__name(const struct ig_hook *h, bool with_note, char *buf, size_t len)
{
	const char *kind = kind_names[h->kind];

	snprintf(buf, len, "%s%s%s%s%s%s", kind, *kind ? "/" : "", h->target,
		 with_note && h->note ? " (" : "", with_note && h->note ? h->note : "",
		 with_note && h->note ? ")" : "");
}

/* Why alternative h cannot be used, in line; false if it can. */
static bool blocked(const struct ig_hook *h, int target_id, char *line, size_t len)
{
	size_t off = 0;
	int f = kind_feature(h->kind), i;
	char name[128];

	ig_hooks__name(h, false, name, sizeof(name));
	if (f >= 0 && !ig_kfeat__has(f)) {
		snprintf(line + off, len - off, "%s (%s: %s, since Linux %s)", name,
			 ig_kfeat__what(f), ig_kfeat__why_not(f), ig_kfeat__since(f));
		return true;
	}
	if (h->kind != IG_HOOK_OTHER && target_id <= 0) {
		snprintf(line + off, len - off, "%s (the %s %s is not in this kernel%s%s)", name,
			 is_tracepoint(h->kind) ? "tracepoint" : "function", h->target,
			 h->since ? ", since Linux " : "", h->since ? h->since : "");
		return true;
	}
	for (i = 0; i < IG_KF_NR; i++) {
		if (!(h->needs & IG_KF(i)) || ig_kfeat__has(i))
			continue;
		snprintf(line + off, len - off, "%s (%s: %s, since Linux %s)", name,
			 ig_kfeat__what(i), ig_kfeat__why_not(i), ig_kfeat__since(i));
		return true;
	}
	return false;
}

/* Look every target up at once. */
static void find_targets(const struct ig_hook *h, size_t n, int *ids)
{
	struct ig_kbtf_name q[MAX_HOOKS];
	char names[MAX_HOOKS][128];
	size_t i;

	for (i = 0; i < n; i++) {
		if (is_tracepoint(h[i].kind)) {
			snprintf(names[i], sizeof(names[i]), "btf_trace_%s", h[i].target);
			q[i].kind = BTF_KIND_TYPEDEF;
		} else {
			snprintf(names[i], sizeof(names[i]), "%s", h[i].target);
			q[i].kind = h[i].kind == IG_HOOK_OTHER ? BTF_KIND_UNKN : BTF_KIND_FUNC;
		}
		q[i].name = names[i];
	}
	ig_kfeat__btf(q, n);
	for (i = 0; i < n; i++)
		ids[i] = q[i].id;
}

/* Choose for the role that starts at entry first; returns the entry after it. */
static size_t choose_role(const struct ig_hook *h, size_t n, size_t first, const int *ids,
			  struct ig_hook_plan *plan)
{
	char reasons[LINE_MAX_] = "", line[LINE_MAX_ + 128];
	size_t i, end, used;
	bool full = false;
	int nr = 0, w;

	for (end = first; end < n && !strcmp(h[end].role, h[first].role); end++)
		;
	for (i = first; i < end; i++) {
		char why[LINE_MAX_] = "";

		if (!blocked(&h[i], ids[i], why, sizeof(why))) {
			plan->chosen[i] = true;
			return end;
		}
		/* two alternatives on one hook fail the same way: say it once */
		if (full || strstr(reasons, why))
			continue;
		used = strlen(reasons);
		w = snprintf(reasons + used, sizeof(reasons) - used, "%s%s", nr++ ? "; " : "", why);
		if (w < 0 || (size_t)w >= sizeof(reasons) - used)
			full = true;	/* the line keeps what fit */
	}
	snprintf(line, sizeof(line), "%s need%s %s", h[first].role, nr > 1 ? " one of:" : "",
		 reasons);
	if (!plan->missing)
		plan->missing = strdup(line);
	return end;
}

int ig_hooks__plan(const struct ig_hook *h, size_t n, struct ig_hook_plan *plan)
{
	int ids[MAX_HOOKS];
	size_t i;

	memset(plan, 0, sizeof(*plan));
	if (n > MAX_HOOKS)
		return -EINVAL;
	plan->nr = n;
	plan->chosen = calloc(n ? n : 1, sizeof(*plan->chosen));
	if (!plan->chosen)
		return -ENOMEM;
	find_targets(h, n, ids);
	for (i = 0; i < n;)
		i = choose_role(h, n, i, ids, plan);
	return 0;
}

void ig_hooks__plan_free(struct ig_hook_plan *plan)
{
	if (!plan)
		return;
	free(plan->chosen);
	free(plan->missing);
	memset(plan, 0, sizeof(*plan));
}
