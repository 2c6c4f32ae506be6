// SPDX-License-Identifier: Apache-2.0
/*
 * capabilities --advise on the engines users run: the advice recorded for a
 * named container, applied with the engine's own options (docker/podman
 * --cap-drop=all --cap-add=..., ctr --cap-drop/--cap-add), lets the workload
 * run; without the capability it needs (CAP_CHOWN), it fails.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "eng_helpers.h"

#define MAX_CAPS	41

static const char *const workload[] = {
	"/bin/sh", "-c", "touch /tmp/f && chown 65534:65534 /tmp/f && echo caps-ok", NULL,
};

/* "CAP_" + each name of the advice's securityContext.capabilities.add. */
static int advised(json_t *doc, char caps[][32], const char *without)
{
	json_t *add = json_object_get(json_object_get(json_object_get(doc, "securityContext"),
						      "capabilities"), "add"), *v;
	size_t i;
	int n = 0;

	cr_assert(json_is_array(add), "no securityContext.capabilities.add in the advice");
	json_array_foreach(add, i, v) {
		if (without && !strcmp(json_string_value(v), without))
			continue;
		cr_assert_lt(n, MAX_CAPS);
		snprintf(caps[n++], 32, "CAP_%s", json_string_value(v));
	}
	return n;
}

static void apply(enum igt_engine e, char caps[][32], int n, bool expect_ok)
{
	const char *list[MAX_CAPS + 1];
	struct igt_ctr_opts o = { .argv = workload, .caps_only = true, .cap_add = list };
	struct igt_result *r;
	char name[64];

	for (int i = 0; i < n; i++)
		list[i] = caps[i];
	list[n] = NULL;
	o.name = eng_name(name, sizeof(name), "caps-apply");
	r = igt_engine_run(e, &o, 120000);
	if (expect_ok)
		cr_expect(r->status == 0 && strstr(r->out, "caps-ok"),
			  "%s with the advised capabilities: status %d\n%s%s", igt_engine_name(e),
			  r->status, r->out, r->err);
	else
		cr_expect(!strstr(r->out, "caps-ok"),
			  "%s without CAP_CHOWN still chowned: the set was not applied",
			  igt_engine_name(e));
	igt_result_free(r);
	igt_engine_rm(e, name);
}

static void advise_and_apply(enum igt_engine e)
{
	struct igt_ctr_opts o = { .argv = workload };
	char name[64], caps[MAX_CAPS][32];
	struct igt_result *r, *ig;
	struct igt_proc *p;
	json_t *doc;
	int n;

	igt_engines_up();
	o.name = eng_name(name, sizeof(name), "caps");
	p = igt_spawn_ig_ready("run", "capabilities", "--advise", "-c", name, "-o", "json", NULL);
	r = igt_engine_run(e, &o, 120000);
	cr_assert(r->status == 0 && strstr(r->out, "caps-ok"), "%s run: %d\n%s%s",
		  igt_engine_name(e), r->status, r->out, r->err);
	igt_result_free(r);
	ig = igt_proc_finish(p, SIGINT, 30000);
	cr_assert_eq(ig->status, 0, "ig: %s", ig->err);
	doc = eng_find(ig->out, "container", name);
	cr_assert_not_null(doc, "no advice for %s container %s:\n%s%s", igt_engine_name(e), name,
			   ig->out, ig->err);
	cr_expect_str_eq(eng_str(doc, "runtime"), igt_engine_name(e));
	igt_result_free(ig);
	igt_engine_rm(e, name);

	n = advised(doc, caps, NULL);
	apply(e, caps, n, true);
	cr_assert_lt(advised(doc, caps, "CHOWN"), n, "CHOWN not in the advice");
	apply(e, caps, n - 1, false);
	json_decref(doc);
}

Test(caps, docker, .timeout = 300) { advise_and_apply(IGT_DOCKER); }
Test(caps, podman, .timeout = 300) { advise_and_apply(IGT_PODMAN); }
Test(caps, containerd, .timeout = 300) { advise_and_apply(IGT_CONTAINERD); }
