// SPDX-License-Identifier: Apache-2.0
/*
 * Names, images and runtime of Docker, podman and containerd containers, as
 * the engines show them (`docker ps`, `podman ps`, `ctr c ls`), with and
 * without ig's OCI hook wired in: the hook must not change a name.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "eng_helpers.h"

static void expect_listed(const char *out, enum igt_engine e, const char *name, const char *how)
{
	json_t *o = eng_find(out, "name", name);

	cr_assert_not_null(o, "%s: %s container %s not listed by name:\n%s", how,
			   igt_engine_name(e), name, out);
	cr_expect_str_eq(eng_str(o, "runtime"), igt_engine_name(e), "%s: runtime of %s", how, name);
	cr_expect_str_eq(eng_str(o, "image"), igt_engine_image(e), "%s: image of %s", how, name);
	json_decref(o);
}

/* A detached container, then `ig list-containers`: what the engine says. */
static void listed_with_engine_names(enum igt_engine e)
{
	struct igt_ctr_opts o = { .detach = true };
	struct igt_result *r;
	char name[64];

	o.name = eng_name(name, sizeof(name), "names");
	r = igt_engine_run(e, &o, 120000);
	cr_assert_eq(r->status, 0, "%s run: %s%s", igt_engine_name(e), r->out, r->err);
	igt_result_free(r);
	r = igt_ig(30000, "list-containers", "-o", "json", NULL);
	cr_assert_eq(r->status, 0, "%s", r->err);
	expect_listed(r->out, e, name, "discovered");
	igt_result_free(r);
	igt_engine_rm(e, name);
}

/* The container registered by the hook (list-containers --watch listens
 * for it) is ADDED with the same name, image and runtime. */
static void hook_keeps_engine_names(enum igt_engine e)
{
	struct igt_ctr_opts o = { .hook = true, .argv = (const char *const[]){ "true", NULL } };
	struct igt_proc *ig = igt_spawn_ig_ready("list-containers", "--watch", "-o", "json", NULL);
	struct igt_result *r;
	char name[64];

	o.name = eng_name(name, sizeof(name), "hooknames");
	r = igt_engine_run(e, &o, 120000);
	cr_assert_eq(r->status, 0, "%s run with the hook: %s%s", igt_engine_name(e), r->out,
		     r->err);
	igt_result_free(r);
	r = igt_proc_finish(ig, SIGINT, 20000);
	expect_listed(r->out, e, name, "with the hook");
	igt_result_free(r);
	igt_engine_rm(e, name);
}

Test(names, docker, .timeout = 240) { listed_with_engine_names(IGT_DOCKER); }
Test(names, podman, .timeout = 240) { listed_with_engine_names(IGT_PODMAN); }
Test(names, containerd, .timeout = 240) { listed_with_engine_names(IGT_CONTAINERD); }
Test(names, docker_hook, .timeout = 240) { hook_keeps_engine_names(IGT_DOCKER); }
Test(names, podman_hook, .timeout = 240) { hook_keeps_engine_names(IGT_PODMAN); }
Test(names, containerd_hook, .timeout = 240) { hook_keeps_engine_names(IGT_CONTAINERD); }
