// SPDX-License-Identifier: Apache-2.0
/*
 * capabilities --advise, closed loop on real runc: record a workload, put the
 * advised OCI process.capabilities into a fresh bundle's config.json, run it
 * again: it must work. Then drop each advised capability in turn: it must
 * fail. So the advice is both enough and minimal (mmap's non-audited
 * CAP_SYS_ADMIN and runc's own CAP_SETUID/SETGID/SETPCAP must stay out).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "ct_helpers.h"

/* A fresh bundle of actions with process.capabilities = caps (a JSON object
 * with bounding/effective/permitted), skipping capability `skip` (or -1). */
static struct igt_result *run_with(const char *tag, const char *const actions[], json_t *caps,
				   int skip)
{
	struct igt_bundle *b = ct_bundle(tag, actions);
	json_t *c = json_deep_copy(caps), *set;
	struct igt_result *r;
	const char *name;

	json_object_foreach(c, name, set)
		if (skip >= 0)
			json_array_remove(set, skip);
	json_object_set_new(json_object_get(b->config, "process"), "capabilities", c);
	r = igt_bundle_run(b, 30000);
	igt_bundle_destroy(b);
	return r;
}

static void closed_loop(const char *tag, const char *const actions[],
			const char *const record_caps[], const char *const expect[])
{
	const char *const advise[] = { "--advise", NULL };
	struct igt_bundle *b = ct_bundle(tag, actions);
	struct igt_result *run, *again;
	json_t *recs, *adv, *caps, *bounding, *add;
	size_t i, n;

	if (record_caps)
		igt_bundle_set_caps(b, record_caps);
	recs = ct_record(b, advise, &run);
	adv = ct_advice(recs, b->id);
	ct_validate(adv);
	caps = json_object_get(json_object_get(adv, "process"), "capabilities");
	bounding = json_object_get(caps, "bounding");
	add = json_object_get(json_object_get(json_object_get(adv, "securityContext"),
					      "capabilities"), "add");
	n = json_array_size(bounding);
	cr_assert_eq(n, json_array_size(add));
	for (i = 0; expect[i]; i++)
		cr_assert(i < n && !strcmp(json_string_value(json_array_get(bounding, i)),
					   expect[i]), "advice %zu is not %s: %s", i, expect[i],
			  json_dumps(adv, JSON_COMPACT));
	cr_assert_eq(n, i, "advice has extra capabilities: %s", json_dumps(adv, JSON_COMPACT));
	for (i = 0; i < n; i++)
		cr_assert_str_eq(json_string_value(json_array_get(add, i)),
				 json_string_value(json_array_get(bounding, i)) + 4);

	again = run_with(tag, actions, caps, -1);
	cr_assert_eq(again->status, 0, "workload fails under the advice %s: %s%s",
		     json_dumps(caps, JSON_COMPACT), again->out, again->err);
	igt_result_free(again);
	for (i = 0; i < n; i++) {
		again = run_with(tag, actions, caps, i);
		cr_assert_neq(again->status, 0, "still works without %s: %s",
			      json_string_value(json_array_get(bounding, i)), again->out);
		igt_result_free(again);
	}
	json_decref(recs);
	igt_result_free(run);
	igt_bundle_destroy(b);
}

Test(closed_loop, bind_chown_raw, .timeout = 150)
{
	const char *const actions[] = { "mmap", "bind80", "chown", "raw", NULL };
	const char *const expect[] = { "CAP_CHOWN", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", NULL };

	closed_loop("caps-cl1", actions, NULL, expect);
}

Test(closed_loop, setuid_workload, .timeout = 150)
{
	const char *const actions[] = { "bind80", "setuid", NULL };
	const char *const expect[] = { "CAP_SETUID", "CAP_NET_BIND_SERVICE", NULL };

	closed_loop("caps-cl2", actions, NULL, expect);
}

/* Recorded in a container that lacks CAP_CHOWN: the refused check is in the
 * advice, with a note, and the advised set makes the workload work. */
Test(closed_loop, refused_then_advised, .timeout = 150)
{
	const char *const actions[] = { "chown", NULL };
	const char *const record_caps[] = { "CAP_KILL", NULL };
	const char *const expect[] = { "CAP_CHOWN", NULL };

	closed_loop("caps-cl3", actions, record_caps, expect);
}

Test(closed_loop, refused_note, .timeout = 90)
{
	const char *const actions[] = { "chown", NULL };
	const char *const caps[] = { "CAP_KILL", NULL };
	const char *const advise[] = { "--advise", NULL };
	struct igt_bundle *b = ct_bundle("caps-note", actions);
	struct igt_result *run;
	json_t *recs, *adv;
	char *text;

	igt_bundle_set_caps(b, caps);
	recs = ct_record(b, advise, &run);
	cr_assert_neq(run->status, 0);
	adv = ct_advice(recs, b->id);
	text = json_dumps(json_object_get(adv, "notes"), 0);
	cr_assert(strstr(text, "the workload asked for CAP_CHOWN and was refused"), "%s", text);
	cr_assert(strstr(text, "cap_work"), "%s", text);
	free(text);
	json_decref(recs);
	igt_result_free(run);
	igt_bundle_destroy(b);
}
