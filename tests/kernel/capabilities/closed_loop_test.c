// SPDX-License-Identifier: Apache-2.0
/*
 * capabilities --advise, closed loop on real runc: record a workload, put the
 * advised OCI process.capabilities into a fresh bundle's config.json, run it
 * again: it must work. Then drop each advised capability in turn: it must
 * fail. So the advice is both enough and minimal (mmap's non-audited
 * CAP_SYS_ADMIN and runc's own CAP_SETUID/SETGID/SETPCAP must stay out, and
 * so must what a workload that drops its own capabilities asks for after
 * that and is refused: listed apart, by syscall).
 */
#include <criterion/criterion.h>
#include <stdio.h>
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

/* The capabilities of advice["refused"], space-separated ("" when none). */
static void refused_of(json_t *adv, char *out, size_t size)
{
	json_t *e;
	size_t i;

	out[0] = '\0';
	json_array_foreach(json_object_get(adv, "refused"), i, e)
		snprintf(out + strlen(out), size - strlen(out), "%s%s/%s*%lld", i ? " " : "",
			 json_string_value(json_object_get(e, "capability")),
			 json_string_value(json_object_get(e, "syscall")),
			 json_integer_value(json_object_get(e, "count")));
}

static void closed_loop_refused(const char *tag, const char *const actions[],
				const char *const record_caps[], const char *const expect[],
				const char *refused)
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
	{
		char got[512];

		refused_of(adv, got, sizeof(got));
		cr_assert_str_eq(got, refused ?: "", "refused: %s", json_dumps(adv, JSON_COMPACT));
	}
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

static void closed_loop(const char *tag, const char *const actions[],
			const char *const record_caps[], const char *const expect[])
{
	closed_loop_refused(tag, actions, record_caps, expect, NULL);
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

/* Like ping: it keeps CAP_NET_RAW and drops the rest (runc's 14 defaults
 * granted when recorded), then asks for CAP_SETUID in setuid(getuid()) and
 * is refused, and every capset() asks for CAP_SETPCAP. The advice is
 * exactly CAP_NET_RAW; the refused CAP_SETUID is listed apart. */
Test(closed_loop, drops_its_own_capabilities, .timeout = 150)
{
	const char *const actions[] = { "ping", NULL };
	const char *const expect[] = { "CAP_NET_RAW", NULL };

	closed_loop_refused("caps-ping", actions, NULL, expect, "CAP_SETUID/setuid*1");
}

/* iputils ping itself, with -- COMMAND (all capabilities granted): exactly
 * CAP_NET_RAW, and it runs with only that (bounding set); without it, not. */
Test(closed_loop, iputils_ping_command, .timeout = 90)
{
	const char *const advise[] = { "/usr/bin/ping", "-c", "1", "127.0.0.1", NULL };
	const char *const with[] = { "setpriv", "--bounding-set", "-all,+net_raw", "/usr/bin/ping",
				     "-c", "1", "127.0.0.1", NULL };
	const char *const without[] = { "setpriv", "--bounding-set", "-all", "/usr/bin/ping", "-c",
					"1", "127.0.0.1", NULL };
	struct igt_result *r;
	json_t *vals, *adv = NULL, *add;
	const char *text;
	char got[512];
	size_t i;

	r = igt_ig(30000, "run", "capabilities", "--advise", "-o", "json", "--", advise[0],
		   advise[1], advise[2], advise[3], NULL);
	cr_assert_eq(r->status, 0, "ig or ping failed: %s", r->err);
	/* ping's own output shares ig's stdout: the JSON starts at a line's '{' */
	text = strstr(r->out, "\n{");
	cr_assert_not_null(text, "no JSON: %s", r->out);
	vals = igt_json_values(text + 1);
	for (i = 0; i < json_array_size(vals); i++)
		if (json_object_get(json_array_get(vals, i), "securityContext"))
			adv = json_array_get(vals, i);
	cr_assert_not_null(adv, "no advice: %s", r->out);
	add = json_object_get(json_object_get(json_object_get(adv, "securityContext"),
					      "capabilities"), "add");
	cr_assert(json_array_size(add) == 1 &&
		  !strcmp(json_string_value(json_array_get(add, 0)), "NET_RAW"),
		  "want exactly NET_RAW: %s", r->out);
	refused_of(adv, got, sizeof(got));
	cr_assert(strstr(got, "CAP_SETUID/setuid"), "refused: %s", got);
	cr_assert_gt(json_integer_value(json_object_get(json_object_get(adv, "ignored"), "moot")),
		     0, "the capset CAP_SETPCAP checks: %s", r->out);
	json_decref(vals);
	igt_result_free(r);
	r = igt_run(with, 20000);
	cr_assert_eq(r->status, 0, "ping with only CAP_NET_RAW: %s%s", r->out, r->err);
	igt_result_free(r);
	r = igt_run(without, 20000);
	cr_assert_neq(r->status, 0, "ping without CAP_NET_RAW worked: %s", r->out);
	igt_result_free(r);
}

/* Recorded in a container that lacks CAP_CHOWN: the workload failed, and
 * the refused check is not advised but listed apart, with a note. */
Test(closed_loop, refused_is_listed_not_advised, .timeout = 90)
{
	const char *const actions[] = { "chown", NULL };
	const char *const caps[] = { "CAP_KILL", NULL };
	const char *const advise[] = { "--advise", NULL };
	struct igt_bundle *b = ct_bundle("caps-ref", actions);
	struct igt_result *run;
	json_t *recs, *adv;
	char got[512];

	igt_bundle_set_caps(b, caps);
	recs = ct_record(b, advise, &run);
	cr_assert_neq(run->status, 0);
	adv = ct_advice(recs, b->id);
	ct_validate(adv);
	cr_assert_eq(json_array_size(json_object_get(json_object_get(json_object_get(adv,
		     "securityContext"), "capabilities"), "add")), 0, "%s",
		     json_dumps(adv, JSON_COMPACT));
	refused_of(adv, got, sizeof(got));
	cr_assert_str_eq(got, "CAP_CHOWN/chown*1");
	json_decref(recs);
	igt_result_free(run);
	igt_bundle_destroy(b);
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
