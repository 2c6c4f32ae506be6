// SPDX-License-Identifier: Apache-2.0
/*
 * The helpers together with the real ig: containers the helpers start are
 * the ones ig discovers (runc's default root), and igt_spawn_ig_ready()
 * returns once ig is attached.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "tests/lib/igtest.h"

Test(with_ig, started_container_is_listed, .timeout = 60)
{
	const char *const args[] = { "/bin/sleep", "60", NULL };
	char id[64], pid[32];
	struct igt_bundle *b = igt_bundle_new(igt_unique_id(id, "listed"), args);
	struct igt_result *r;

	igt_bundle_annotate(b, "io.kubernetes.pod.name", "igt-pod");
	igt_bundle_start(b);
	snprintf(pid, sizeof(pid), " %d ", (int)igt_bundle_pid(b));
	r = igt_ig(20000, "list-containers", NULL);
	cr_assert_eq(r->status, 0, "ig list-containers: %s", r->err);
	cr_assert(strstr(r->out, b->id), "%s not listed:\n%s", b->id, r->out);
	cr_assert(strstr(r->out, "igt-pod"), "annotation not seen:\n%s", r->out);
	cr_assert(strstr(r->out, pid), "pid%snot listed:\n%s", pid, r->out);
	igt_result_free(r);
	igt_bundle_destroy(b);
}

Test(with_ig, ready_then_container_traced, .timeout = 60)
{
	const char *const args[] = { "/bin/sh", "-c", "/bin/echo igt-traced", NULL };
	char id[64];
	struct igt_bundle *b = igt_bundle_new(igt_unique_id(id, "traced"), args);
	struct igt_proc *p = igt_spawn_ig_ready("run", "trace-exec", "-o", "json", "-c", b->id,
						NULL);
	struct igt_result *r = igt_bundle_run(b, 20000);

	cr_assert_eq(r->status, 0, "container: %s", r->err);
	cr_assert_str_eq(r->out, "igt-traced\n");
	igt_result_free(r);
	r = igt_proc_finish(p, SIGINT, 10000);
	cr_assert_not(r->timed_out, "ig ignored SIGINT");
	cr_assert_eq(r->status, 0, "ig: %s", r->err);
	cr_assert(strstr(r->out, "\"/bin/echo igt-traced\""), "exec not traced:\n%s", r->out);
	cr_assert(strstr(r->out, b->id), "no container name in:\n%s", r->out);
	igt_result_free(r);
	igt_bundle_destroy(b);
}
