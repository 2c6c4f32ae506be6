// SPDX-License-Identifier: Apache-2.0
/*
 * Hook messages are untrusted input (case 9 of issue 17): only known stages,
 * a pid that fits 31 bits, an id without NUL; a NUL inside an annotation
 * value does not make the container invisible.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "core/containers/hook_msg.h"

static char err[256];

static int parse(const char *text, struct ctr_hook_msg *m)
{
	err[0] = '\0';
	return ctr_hook_parse(text, strlen(text), m, err, sizeof(err));
}

Test(hook_msg, good_message)
{
	struct ctr_hook_msg m;

	cr_assert_eq(parse("{\"stage\":\"createRuntime\",\"state\":{\"id\":\"c1\",\"pid\":42,"
			   "\"bundle\":\"/b\",\"annotations\":{\"k\":\"v\",\"n\":7}}}", &m), 0,
		     "%s", err);
	cr_expect_eq(m.stage, CTR_HOOK_CREATE_RUNTIME);
	cr_expect_str_eq(m.id, "c1");
	cr_expect_eq(m.pid, 42);
	cr_expect_str_eq(m.bundle, "/b");
	cr_assert_eq(m.nr_annotations, 1, "string values only");
	cr_expect_str_eq(m.annotations[0].value, "v");
	ctr_hook_msg__free(&m);
}

Test(hook_msg, unknown_stage_is_refused)
{
	struct ctr_hook_msg m;

	cr_expect_eq(parse("{\"stage\":\"teardown\",\"state\":{\"id\":\"c1\",\"pid\":42}}", &m),
		     -EINVAL);
	cr_expect(strstr(err, "unknown hook stage"), "%s", err);
	ctr_hook_msg__free(&m);
}

Test(hook_msg, pids_must_fit_31_bits)
{
	static const char *const bad[] = {
		"{\"stage\":\"prestart\",\"state\":{\"id\":\"c\",\"pid\":4294967338}}",
		"{\"stage\":\"prestart\",\"state\":{\"id\":\"c\",\"pid\":2147483648}}",
		"{\"stage\":\"prestart\",\"state\":{\"id\":\"c\",\"pid\":-5}}",
		"{\"stage\":\"prestart\",\"state\":{\"id\":\"c\",\"pid\":0}}",
		"{\"stage\":\"prestart\",\"state\":{\"id\":\"c\",\"pid\":1e3}}",
		"{\"stage\":\"prestart\",\"state\":{\"id\":\"c\"}}",
	};
	struct ctr_hook_msg m;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(parse(bad[i], &m), -EINVAL, "%s", bad[i]);
		cr_expect(strstr(err, "no valid pid"), "%s: %s", bad[i], err);
		ctr_hook_msg__free(&m);
	}
	cr_expect_eq(parse("{\"stage\":\"prestart\",\"state\":{\"id\":\"c\",\"pid\":2147483647}}",
			   &m), 0);
	ctr_hook_msg__free(&m);
	cr_expect_eq(parse("{\"stage\":\"poststop\",\"state\":{\"id\":\"c\"}}", &m), 0,
		     "poststop needs no pid");
	ctr_hook_msg__free(&m);
}

Test(hook_msg, nul_in_id_refused_in_annotation_tolerated)
{
	struct ctr_hook_msg m;

	cr_expect_eq(parse("{\"stage\":\"prestart\",\"state\":{\"id\":\"a\\u0000b\",\"pid\":9}}",
			   &m), -EINVAL);
	ctr_hook_msg__free(&m);
	cr_assert_eq(parse("{\"stage\":\"prestart\",\"state\":{\"id\":\"c\",\"pid\":9,"
			   "\"annotations\":{\"io.kubernetes.container.name\":\"web\\u0000x\"}}}",
			   &m), 0, "%s", err);
	cr_assert_eq(m.nr_annotations, 1);
	cr_expect_str_eq(m.annotations[0].value, "web", "cut at the NUL");
	ctr_hook_msg__free(&m);
}

Test(hook_msg, garbage)
{
	static const char *const bad[] = {
		"", "{", "[]", "null", "{\"stage\":1,\"state\":{}}",
		"{\"stage\":\"prestart\",\"state\":[]}", "{\"stage\":\"prestart\",\"state\":{}}",
		"{\"stage\":\"prestart\",\"state\":{\"id\":\"\",\"pid\":3}}",
	};
	struct ctr_hook_msg m;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(parse(bad[i], &m), -EINVAL, "%s", bad[i]);
		cr_expect_gt(strlen(err), 0);
		ctr_hook_msg__free(&m);
	}
}
