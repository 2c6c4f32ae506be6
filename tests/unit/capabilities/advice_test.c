// SPDX-License-Identifier: Apache-2.0
/* The event decoder and the advice document, fed synthetic map contents. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "gadgets/capabilities/capabilities_int.h"

static const char *fake_sysname(int nr)
{
	return nr == 49 ? "bind" : nr == 92 ? "chown" : NULL;
}

Test(decode, fields)
{
	struct cap_event e = {
		.timestamp = 123, .mntns = 4026532000ull, .pid = 10, .tid = 11, .uid = 1000,
		.gid = 1001, .syscall = 49, .target_userns = 7, .current_userns = 8,
		.cap = 10, .verdict = CAPS_VERDICT_DENY, .flags = CAPS_F_AUDIT | CAPS_F_OVERRIDE,
		.comm = "nc",
	};
	struct ig_value v[F_NR];

	cr_assert_eq(caps_decode(&e, sizeof(e), v, fake_sysname), 0);
	cr_assert_eq(v[F_MNTNS].v.u, 4026532000ull);
	cr_assert_eq(v[F_CAP].v.u, 1ull << 10);
	cr_assert_eq(v[F_CAPNUM].v.u, 10);
	cr_assert_eq(v[F_VERDICT].v.u, CAPS_VERDICT_DENY);
	cr_assert_eq(v[F_AUDIT].v.u, 1);
	cr_assert_eq(v[F_CREDS].v.u, CREDS_OVERRIDE);
	cr_assert_str_eq(v[F_SYSCALL].v.s, "bind");
	cr_assert_eq(v[F_COMM].len, 2);
	cr_assert_eq(strncmp(v[F_COMM].v.s, "nc", 2), 0);
	cr_assert_eq(v[F_TARGET_USERNS].v.u, 7);
	cr_assert_eq(v[F_SETUP].v.u, 0);

	e.syscall = -1;
	e.flags = CAPS_F_OTHER_CRED;
	memset(e.comm, 'x', sizeof(e.comm));	/* no NUL: bounded by len */
	cr_assert_eq(caps_decode(&e, sizeof(e), v, fake_sysname), 0);
	cr_assert_eq(v[F_SYSCALL].flags & IG_VALUE_SET, 0, "no syscall: unset");
	cr_assert_eq(v[F_CREDS].v.u, CREDS_OTHER);
	cr_assert_eq(v[F_AUDIT].v.u, 0);
	cr_assert_eq(v[F_COMM].len, 16);
}

Test(decode, bad_input)
{
	struct cap_event e = { .cap = 41 };
	struct ig_value v[F_NR];

	cr_assert_eq(caps_decode(&e, sizeof(e) - 1, v, NULL), -EINVAL, "short");
	cr_assert_eq(caps_decode(&e, sizeof(e), v, NULL), -EINVAL, "cap out of range");
}

static void add(struct caps_advice *a, unsigned int cap, unsigned int verdict,
		unsigned int flags, uint64_t count, int syscall, const char *comm)
{
	struct cap_agg_key k = { .mntns = a->mntns, .cap = cap, .verdict = verdict,
				 .flags = flags };
	struct cap_agg_val v = { .count = count, .syscall = syscall, .pid = 42 };

	strncpy(v.comm, comm, sizeof(v.comm));
	caps_advice_add(a, &k, &v);
}

static const char *str_at(json_t *arr, size_t i)
{
	return json_string_value(json_array_get(arr, i));
}

Test(advice, what_counts)
{
	struct caps_advice a;
	struct caps_advice_target t = { .container = "web", .id = "abc", .runtime = "runc" };
	json_t *doc, *add_, *oci;
	char *dump;

	caps_advice_init(&a, 99);
	add(&a, 10, CAPS_VERDICT_ALLOW, CAPS_F_AUDIT, 1, 49, "nc");		/* needed */
	add(&a, 0, CAPS_VERDICT_DENY, CAPS_F_AUDIT, 3, 92, "chown");		/* needed, refused */
	add(&a, 21, CAPS_VERDICT_ALLOW, 0, 500, 9, "sh");			/* mmap: noaudit */
	add(&a, 7, CAPS_VERDICT_ALLOW, CAPS_F_AUDIT | CAPS_F_SETUP, 1, 105, "runc:[2:INIT]");
	add(&a, 3, CAPS_VERDICT_ALLOW, CAPS_F_AUDIT | CAPS_F_OVERRIDE, 2, 2, "sh");
	add(&a, 13, CAPS_VERDICT_ALLOW, CAPS_F_AUDIT | CAPS_F_OTHER_CRED, 1, 44, "ping");
	cr_assert_eq(a.needed, (1ull << 0) | (1ull << 10) | (1ull << 13));
	cr_assert_eq(a.denied, 1ull << 0);
	cr_assert_eq(a.ignored_noaudit, 500);
	cr_assert_eq(a.ignored_setup, 1);
	cr_assert_eq(a.ignored_override, 2);

	doc = caps_advice_document(&a, &t, fake_sysname);
	cr_assert_not_null(doc);
	dump = json_dumps(doc, JSON_COMPACT);
	add_ = json_object_get(json_object_get(json_object_get(doc, "securityContext"),
					       "capabilities"), "add");
	cr_assert_eq(json_array_size(add_), 3, "%s", dump);
	cr_assert_str_eq(str_at(add_, 0), "CHOWN");
	cr_assert_str_eq(str_at(add_, 1), "NET_BIND_SERVICE");
	cr_assert_str_eq(str_at(add_, 2), "NET_RAW");
	cr_assert_str_eq(str_at(json_object_get(json_object_get(json_object_get(doc,
			 "securityContext"), "capabilities"), "drop"), 0), "ALL");
	oci = json_object_get(json_object_get(doc, "process"), "capabilities");
	cr_assert_str_eq(str_at(json_object_get(oci, "bounding"), 1), "CAP_NET_BIND_SERVICE");
	cr_assert_eq(json_array_size(json_object_get(oci, "effective")), 3);
	cr_assert_eq(json_array_size(json_object_get(oci, "permitted")), 3);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "container")), "web");
	cr_assert(strstr(dump, "the workload asked for CAP_CHOWN and was refused (3 times, "
			 "first by chown pid 42 in chown)"), "%s", dump);
	cr_assert(strstr(dump, "500 non-audited checks left out"), "%s", dump);
	cr_assert(strstr(dump, "(CAP_SYS_ADMIN)"), "%s", dump);
	cr_assert(strstr(dump, "runc init"), "%s", dump);
	cr_assert(strstr(dump, "overridden credentials"), "%s", dump);
	free(dump);
	json_decref(doc);
}

Test(advice, nothing_needed)
{
	struct caps_advice a;
	json_t *doc;

	caps_advice_init(&a, 5);
	add(&a, 21, CAPS_VERDICT_ALLOW, 0, 1, 9, "true");
	doc = caps_advice_document(&a, NULL, NULL);
	cr_assert_not_null(doc);
	cr_assert_eq(json_array_size(json_object_get(json_object_get(json_object_get(doc,
		     "securityContext"), "capabilities"), "add")), 0);
	cr_assert_null(json_object_get(doc, "container"), "no container: key left out");
	json_decref(doc);
}

Test(advice, audited_beats_noaudit)
{
	struct caps_advice a;

	caps_advice_init(&a, 5);
	add(&a, 21, CAPS_VERDICT_ALLOW, 0, 9, 9, "x");
	add(&a, 21, CAPS_VERDICT_ALLOW, CAPS_F_AUDIT, 1, 165, "mount");
	cr_assert_eq(a.needed, 1ull << 21);
	cr_assert_eq(a.noaudit_caps, 0, "asked with audit too: not listed as a probe");
}
