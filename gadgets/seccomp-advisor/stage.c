// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor: what a profile becomes on its way out besides the
 * recorded syscalls. --widen adds the siblings the C library or the kernel
 * may use instead of a recorded syscall (lib/seccomp/widen.c's table, shown
 * in docs/lifecycle.md), --stage makes it a complain-mode profile (default
 * SCMP_ACT_LOG: the rest is logged, not denied, for seccomp-audit --update
 * to collect), and every document carries ig's report: how long it was
 * recorded, what it merges, when the last new syscall came, what was added.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/seccomp/widen.h"
#include "seccomp_advisor_int.h"

int sa_stage__widen(struct sa_profile *p, json_t *extra)
{
	json_t *marks = json_array();
	const char *sib[16];
	uint32_t i, n0 = p->n;
	int k, n, err = 0;

	if (!marks)
		return -ENOMEM;
	/* only the recorded names: a sibling added here brings no more */
	for (i = 0; i < n0 && !err; i++) {
		const char *name = p->names[i];

		n = sp_widen__siblings(name, sib, 16);
		for (k = 0; k < n && !err; k++) {
			if (sa_profile__has(p, sib[k]))
				continue;
			err = sa_profile__add_name(p, sib[k]);
			if (!err && json_array_append_new(marks, json_pack("{s:s, s:s}", "syscall",
									sib[k], "for", name)))
				err = -ENOMEM;
		}
	}
	if (!err && json_object_set_new(extra, "widened", marks))
		return -ENOMEM;
	if (err)
		json_decref(marks);
	return err;
}

static json_t *body(json_t *doc, bool spo)
{
	return spo ? json_object_get(doc, "spec") : doc;
}

int sa_stage__finish(const struct sa_state *st, json_t *doc, const struct adv_track *tr,
		     json_t *extra)
{
	json_t *report, *ann;
	char *text;
	int err;

	if (st->stage && json_object_set_new(body(doc, st->spo), "defaultAction",
					     json_string("SCMP_ACT_LOG")))
		return -ENOMEM;
	report = adv_track__report(tr, st->boot_to_wall, st->until_stable_ns, adv_now_ns());
	if (!report || (extra && json_object_update(report, extra))) {
		json_decref(report);
		return -ENOMEM;
	}
	if (st->stage && json_object_set_new(report, "staged", json_true())) {
		json_decref(report);
		return -ENOMEM;
	}
	if (!st->spo)
		return json_object_set_new(doc, "ig.io/report", report) ? -ENOMEM : 0;
	/* an annotation is a string: the same object as compact JSON */
	text = json_dumps(report, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(report);
	ann = json_object_get(json_object_get(doc, "metadata"), "annotations");
	err = !text || !ann || json_object_set_new(ann, "ig.io/report", json_string(text));
	free(text);
	return err ? -ENOMEM : 0;
}

/* The summary row's duration, merged, lastnew and end (4 values). */
void sa_stage__columns(const struct adv_track *tr, char *dur, char *last, size_t size,
		       struct ig_value *v)
{
	uint64_t end = tr->end_ns ? tr->end_ns : adv_now_ns();

	snprintf(dur, size, "%.1fs", (double)(end - tr->start_ns) / 1e9);
	if (tr->last_new_ns)
		snprintf(last, size, "%.1fs", (double)(tr->last_new_ns - tr->start_ns) / 1e9);
	v[0] = ig_val_str(dur);
	v[1] = ig_val_u64(tr->runs ? tr->runs : tr->containers);
	v[2] = ig_val_str(tr->last_new_ns ? last : NULL);
	v[3] = ig_val_str(tr->end == ADV_END_STABLE ? "until-stable" :
			  tr->end == ADV_END_EXIT ? "exit" : "stop");
}
