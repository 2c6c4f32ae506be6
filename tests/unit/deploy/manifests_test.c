// SPDX-License-Identifier: Apache-2.0
/*
 * The manifests in deploy/ against the Kubernetes schemas (kubernetes-models, through
 * tests/schema/validate-manifests.mjs), and the checks that make the DaemonSet
 * able to record a node. The broken copies show that each kind of check can
 * fail. Run from the repository root, as make test does.
 */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/lib/igtest.h"

#define VALIDATOR "tests/schema/validate-manifests.mjs"
#define DAEMONSET "deploy/ig-daemonset.yaml"

static struct igt_result *validate(const char *file)
{
	return igt_run((const char *const[]){ "node", VALIDATOR, file, NULL }, 30000);
}

/* deploy/ig-daemonset.yaml with its first `from` replaced by `to`, in a temp
 * file; validated, then removed. */
static struct igt_result *validate_edited(const char *from, const char *to)
{
	char path[] = "/tmp/igt-manifest-XXXXXX", *text = igt_read_file(DAEMONSET, NULL), *at;
	struct igt_result *r;
	FILE *f;
	int fd;

	cr_assert_not_null(text, "cannot read %s", DAEMONSET);
	at = strstr(text, from);
	cr_assert_not_null(at, "'%s' not in %s", from, DAEMONSET);
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	fprintf(f, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	fclose(f);
	r = validate(path);
	unlink(path);
	free(text);
	return r;
}

Test(manifests, every_deploy_file_is_valid)
{
	glob_t g;
	size_t i;

	cr_assert_eq(glob("deploy/*.yaml", 0, NULL, &g), 0, "no deploy/*.yaml (run from the root)");
	for (i = 0; i < g.gl_pathc; i++) {
		struct igt_result *r = validate(g.gl_pathv[i]);

		cr_assert_eq(r->status, 0, "%s:\n%s%s", g.gl_pathv[i], r->out, r->err);
		cr_assert(strstr(r->out, "ok: "), "%s: %s", g.gl_pathv[i], r->out);
		igt_result_free(r);
	}
	globfree(&g);
}

Test(manifests, schema_violation_fails)
{
	struct igt_result *r = validate_edited("hostPID: true", "hostPID: \"yes\"");

	cr_assert_eq(r->status, 1, "%s%s", r->out, r->err);
	cr_assert(strstr(r->err, "hostPID must be boolean"), "%s", r->err);
	igt_result_free(r);
}

Test(manifests, recorder_needs_privileged_and_host_mounts)
{
	struct igt_result *r = validate_edited("privileged: true", "privileged: false");

	cr_assert_eq(r->status, 1, "%s%s", r->out, r->err);
	cr_assert(strstr(r->err, "is not privileged"), "%s", r->err);
	igt_result_free(r);

	r = validate_edited("path: /sys/fs/bpf", "path: /tmp/bpf");
	cr_assert_eq(r->status, 1, "%s%s", r->out, r->err);
	cr_assert(strstr(r->err, "/sys/fs/bpf is not mounted"), "%s", r->err);
	igt_result_free(r);

	r = validate_edited("mountPath: /var/lib/ig/profiles", "mountPath: /var/lib/ig/other");
	cr_assert_eq(r->status, 1, "%s%s", r->out, r->err);
	cr_assert(strstr(r->err, "is not a hostPath mount"), "%s", r->err);
	igt_result_free(r);
}
