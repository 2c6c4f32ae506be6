// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor on the engines users run: `ig run seccomp-advisor -c NAME`
 * while `docker run` / `podman run` / `ctr run` starts NAME writes a profile
 * that, given back to the same engine with its own option (--security-opt
 * seccomp=, ctr --seccomp-profile), lets the workload run, and that breaks
 * it without one syscall the workload needs (so the engine did apply it).
 * With and without ig's OCI hook.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "eng_helpers.h"

/* busybox ls needs getdents64; the chain stops at the first failure. */
static const char *const workload[] = {
	"/bin/sh", "-c", "ls / >/dev/null && cat /etc/passwd >/dev/null && echo seccomp-ok", NULL,
};

/* The profile without one allowed syscall, written next to it. */
static void drop_syscall(const char *in, const char *out, const char *name)
{
	json_t *doc = json_load_file(in, 0, NULL), *rule, *names, *v;
	size_t i, j;
	bool dropped = false;

	cr_assert_not_null(doc, "%s is not JSON", in);
	json_array_foreach(json_object_get(doc, "syscalls"), i, rule) {
		names = json_object_get(rule, "names");
		json_array_foreach(names, j, v)
			if (!strcmp(json_string_value(v), name)) {
				json_array_remove(names, j);
				dropped = true;
				break;
			}
	}
	cr_assert(dropped, "%s does not allow %s", in, name);
	cr_assert_eq(json_dump_file(doc, out, 0), 0);
	json_decref(doc);
}

static void apply(enum igt_engine e, const char *profile, bool expect_ok)
{
	struct igt_ctr_opts o = { .argv = workload, .seccomp = profile };
	struct igt_result *r;
	char name[64];

	o.name = eng_name(name, sizeof(name), "sa-apply");
	r = igt_engine_run(e, &o, 120000);
	if (expect_ok)
		cr_expect(r->status == 0 && strstr(r->out, "seccomp-ok"),
			  "%s with the recorded profile %s: status %d\n%s%s", igt_engine_name(e),
			  profile, r->status, r->out, r->err);
	else
		cr_expect(r->status != 0 && !strstr(r->out, "seccomp-ok"),
			  "%s with a profile short of getdents64 still ran the workload: the "
			  "profile was not applied", igt_engine_name(e));
	igt_result_free(r);
	igt_engine_rm(e, name);
}

static void record_and_apply(enum igt_engine e, bool hook, const char *name, const char *file)
{
	struct igt_ctr_opts o = { .name = name, .argv = workload, .hook = hook };
	char dir[64], profile[128], broken[160];
	struct igt_result *r, *ig;
	struct igt_proc *p;

	igt_engines_up();
	eng_tmpdir(dir, sizeof(dir), "eng-sa");
	p = igt_spawn_ig_ready("run", "seccomp-advisor", "-c", name, "--output-dir", dir, NULL);
	r = igt_engine_run(e, &o, 120000);
	cr_assert(r->status == 0 && strstr(r->out, "seccomp-ok"), "%s run: %d\n%s%s",
		  igt_engine_name(e), r->status, r->out, r->err);
	igt_result_free(r);
	ig = igt_proc_finish(p, SIGINT, 30000);
	cr_assert_eq(ig->status, 0, "ig: %s", ig->err);
	snprintf(profile, sizeof(profile), "%s/%s", dir, file);
	cr_assert_eq(access(profile, R_OK), 0, "no profile %s for %s container %s%s:\n%s%s",
		     profile, igt_engine_name(e), name, hook ? " (hook)" : "", ig->out, ig->err);
	igt_result_free(ig);
	igt_engine_rm(e, name);

	apply(e, profile, true);
	snprintf(broken, sizeof(broken), "%s/broken.json", dir);
	drop_syscall(profile, broken, "getdents64");
	apply(e, broken, false);
	igt_tmpdir_remove(dir);
}

static void engine_case(enum igt_engine e, bool hook)
{
	char name[64], file[80];

	eng_name(name, sizeof(name), hook ? "sa-hook" : "sa");
	snprintf(file, sizeof(file), "%s.json", name);
	record_and_apply(e, hook, name, file);
}

Test(seccomp, docker, .timeout = 300) { engine_case(IGT_DOCKER, false); }
Test(seccomp, podman, .timeout = 300) { engine_case(IGT_PODMAN, false); }
Test(seccomp, containerd, .timeout = 300) { engine_case(IGT_CONTAINERD, false); }
Test(seccomp, docker_hook, .timeout = 300) { engine_case(IGT_DOCKER, true); }
Test(seccomp, podman_hook, .timeout = 300) { engine_case(IGT_PODMAN, true); }
Test(seccomp, containerd_hook, .timeout = 300) { engine_case(IGT_CONTAINERD, true); }

/* The file name is the container name made a DNS name: lower case, runs
 * of anything but letters, digits and '.' become one '-' (docs/engines/). */
Test(seccomp, profile_file_naming_rule, .timeout = 300)
{
	char name[64], file[80];

	snprintf(name, sizeof(name), "Rec_Pipe__%d", (int)getpid());
	snprintf(file, sizeof(file), "rec-pipe-%d.json", (int)getpid());
	record_and_apply(IGT_DOCKER, false, name, file);
}
