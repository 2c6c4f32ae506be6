// SPDX-License-Identifier: Apache-2.0
/*
 * capabilities: trace real checks. Workloads run in real runc containers
 * (cap_work, busybox rootfs) or as an ig -- COMMAND; each check must come
 * out with the right capability, verdict, audit flag, container and syscall.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "ct_helpers.h"

/* The chown family: busybox-static calls chown(2), glibc tools fchownat(2). */
static json_t *find_chown(json_t *recs, const char *id, const char *verdict)
{
	static const char *const calls[] = { "chown", "fchownat", "lchown", NULL };
	json_t *rec;
	int i;

	for (i = 0; calls[i]; i++) {
		rec = ct_find(recs, "runtime.containerName", id, "cap", "CAP_CHOWN",
			      "verdict", verdict, "syscall", calls[i], NULL);
		if (rec)
			return rec;
	}
	return NULL;
}

Test(trace, bind_and_chown_allowed, .timeout = 90)
{
	const char *const actions[] = { "bind80", "chown", NULL };
	struct igt_bundle *b = ct_bundle("caps-allow", actions);
	struct igt_result *run;
	json_t *recs, *rec;
	size_t i;

	recs = ct_record(b, NULL, &run);
	cr_assert_eq(run->status, 0, "workload failed: %s%s", run->out, run->err);
	rec = ct_find(recs, "runtime.containerName", b->id, "cap", "CAP_NET_BIND_SERVICE",
		      "syscall", "bind", "verdict", "allow", "comm", "cap_work", NULL);
	cr_assert_not_null(rec, "no CAP_NET_BIND_SERVICE/bind record for %s", b->id);
	cr_assert(json_is_true(json_object_get(rec, "audit")), "bind's check is audited");
	cr_assert_str_eq(json_string_value(json_object_get(rec, "creds")), "own");
	rec = find_chown(recs, b->id, "allow");
	cr_assert_not_null(rec, "no CAP_CHOWN/chown record for %s", b->id);
	cr_assert(json_is_true(json_object_get(rec, "audit")));
	/* runc's own set-up (seen when ig found the container early enough:
	 * runc init drops privileges before the container is "created") is
	 * marked as such, never as the workload's */
	json_array_foreach(recs, i, rec) {
		const char *comm = json_string_value(json_object_get(rec, "comm"));

		if (comm && !strncmp(comm, "runc:[", 6))
			cr_assert(json_is_true(json_object_get(rec, "setup")), "%s: setup not set",
				  comm);
		if (comm && !strcmp(comm, "cap_work"))
			cr_assert(json_is_false(json_object_get(rec, "setup")));
	}
	json_decref(recs);
	igt_result_free(run);
	igt_bundle_destroy(b);
}

Test(trace, denied_without_capability, .timeout = 90)
{
	const char *const actions[] = { "chown", NULL };
	const char *const caps[] = { "CAP_NET_BIND_SERVICE", NULL };
	struct igt_bundle *b = ct_bundle("caps-deny", actions);
	struct igt_result *run;
	json_t *recs, *rec;

	igt_bundle_set_caps(b, caps);
	recs = ct_record(b, NULL, &run);
	cr_assert_neq(run->status, 0, "chown worked without CAP_CHOWN: %s", run->out);
	rec = find_chown(recs, b->id, "deny");
	cr_assert_not_null(rec, "no denied CAP_CHOWN record for %s", b->id);
	cr_assert(json_is_true(json_object_get(rec, "audit")));
	cr_assert_eq(ct_count(recs, "runtime.containerName", b->id, "cap", "CAP_CHOWN",
			      "verdict", "allow", NULL), 0);
	json_decref(recs);
	igt_result_free(run);
	igt_bundle_destroy(b);
}

/* The kernel asks for CAP_SYS_ADMIN without audit on every writable private
 * mapping; --audit-only must drop exactly those in the kernel. */
Test(trace, audit_derivation_and_audit_only, .timeout = 90)
{
	const char *const actions[] = { "mmap", "bind80", NULL };
	const char *const audit_only[] = { "--audit-only", NULL };
	struct igt_bundle *b = ct_bundle("caps-audit", actions);
	struct igt_bundle *b2 = ct_bundle("caps-audit2", actions);
	struct igt_result *run;
	json_t *recs, *rec;
	size_t i;

	recs = ct_record(b, NULL, &run);
	cr_assert_eq(run->status, 0, "workload failed: %s", run->out);
	rec = ct_find(recs, "runtime.containerName", b->id, "cap", "CAP_SYS_ADMIN",
		      "syscall", "mmap", "comm", "cap_work", NULL);
	cr_assert_not_null(rec, "no CAP_SYS_ADMIN check from mmap");
	cr_assert(json_is_false(json_object_get(rec, "audit")), "mmap's check is not audited");
	json_decref(recs);
	igt_result_free(run);

	recs = ct_record(b2, audit_only, &run);
	cr_assert_eq(run->status, 0);
	json_array_foreach(recs, i, rec)
		cr_assert(json_is_true(json_object_get(rec, "audit")),
			  "--audit-only let a non-audited check through");
	cr_assert(ct_find(recs, "runtime.containerName", b2->id, "cap", "CAP_NET_BIND_SERVICE",
			  "syscall", "bind", NULL), "--audit-only dropped an audited check");
	json_decref(recs);
	igt_result_free(run);
	igt_bundle_destroy(b);
	igt_bundle_destroy(b2);
}

Test(trace, unique_in_kernel, .timeout = 90)
{
	const char *const actions[] = { "chown", "chown", "chown", "bind80", "bind80", NULL };
	const char *const unique[] = { "--unique", NULL };
	struct igt_bundle *b = ct_bundle("caps-uniq", actions);
	struct igt_result *run;
	json_t *recs;

	recs = ct_record(b, unique, &run);
	cr_assert_eq(run->status, 0);
	/* 6 CAP_CHOWN checks and 2 binds were made; one record each */
	cr_assert_eq(ct_count(recs, "runtime.containerName", b->id, "cap", "CAP_CHOWN",
			      "verdict", "allow", NULL), 1);
	cr_assert_eq(ct_count(recs, "runtime.containerName", b->id, "cap",
			      "CAP_NET_BIND_SERVICE", NULL), 1);
	json_decref(recs);
	igt_result_free(run);
	igt_bundle_destroy(b);
}

/* -- COMMAND mode: the syscall and the audit flag on the host. */
Test(trace, command_mode, .timeout = 60)
{
	char work[512];
	struct igt_result *r;

	snprintf(work, sizeof(work), "%s/tests/fixtures/static/cap_work", igt_build_dir());
	r = igt_ig(30000, "run", "capabilities", "-o", "json", "--", work, "bind80", "mmap",
		   NULL);
	cr_assert_eq(r->status, 0, "ig failed: %s", r->err);
	cr_assert(strstr(r->out, "\"cap\":\"CAP_NET_BIND_SERVICE\""), "%s", r->out);
	cr_assert(strstr(r->out, "\"syscall\":\"bind\""), "%s", r->out);
	cr_assert(strstr(r->out, "\"cap\":\"CAP_SYS_ADMIN\""), "%s", r->out);
	igt_result_free(r);
}

/* --advise in -- COMMAND mode: one document for the command's checks. */
Test(advise, command_mode, .timeout = 60)
{
	char work[512];
	struct igt_result *r;
	json_error_t e;
	json_t *doc, *add;

	snprintf(work, sizeof(work), "%s/tests/fixtures/static/cap_work", igt_build_dir());
	r = igt_ig(30000, "run", "capabilities", "--advise", "-o", "json", "--", work, "mmap",
		   "bind80", NULL);
	cr_assert_eq(r->status, 0, "ig failed: %s", r->err);
	/* the command's own output ("mmap ok") comes first */
	cr_assert(strchr(r->out, '{'), "no document: %s", r->out);
	doc = json_loads(strchr(r->out, '{'), JSON_DISABLE_EOF_CHECK, &e);
	cr_assert_not_null(doc, "not JSON (%s): %s", e.text, r->out);
	add = json_object_get(json_object_get(json_object_get(doc, "securityContext"),
					      "capabilities"), "add");
	cr_assert_eq(json_array_size(add), 1, "%s", r->out);
	cr_assert_str_eq(json_string_value(json_array_get(add, 0)), "NET_BIND_SERVICE");
	cr_assert(json_integer_value(json_object_get(json_object_get(doc, "ignored"),
						     "nonAudited")) > 0, "%s", r->out);
	json_decref(doc);
	igt_result_free(r);
}

/* overlayfs copies a lower file up with the mounter's credentials
 * (override_creds): those checks are flagged, and not advised. */
static char ovl_dir[] = "/tmp/igt-caps-ovl-XXXXXX";

/* also after a failed assertion: no mount or directory left behind */
static void ovl_cleanup(void)
{
	char cleanup[600];
	const char *argv[] = { "/bin/sh", "-c", cleanup, NULL };

	if (strstr(ovl_dir, "XXXXXX"))
		return;
	snprintf(cleanup, sizeof(cleanup), "umount -l %s/m 2>/dev/null; rm -rf %s", ovl_dir,
		 ovl_dir);
	igt_result_free(igt_run(argv, 10000));
}

Test(advise, overridden_creds_left_out, .timeout = 60, .fini = ovl_cleanup)
{
	char *dir = ovl_dir, script[1024], setup[1024];
	const char *set_argv[] = { "/bin/sh", "-c", setup, NULL };
	struct igt_result *r;
	json_error_t e;
	json_t *doc, *add;
	size_t i;

	cr_assert(mkdtemp(dir));
	/* outside ig: a lower file owned by someone else, fresh upper dirs */
	snprintf(setup, sizeof(setup), "cd %s && rm -rf l u w m && mkdir l u w m && "
		 "echo hi > l/f && chown 1000:1000 l/f", dir);
	/* traced: mount, append (copy-up), unmount */
	snprintf(script, sizeof(script), "cd %s && mount -t overlay overlay "
		 "-o lowerdir=l,upperdir=u,workdir=w m && echo more >> m/f; s=$?; umount m; "
		 "exit $s", dir);
	igt_result_free(igt_run(set_argv, 10000));
	r = igt_ig(30000, "run", "capabilities", "-o", "json", "--", "/bin/sh", "-c", script,
		   NULL);
	cr_assert_eq(r->status, 0, "ig or the overlay script failed: %s", r->err);
	cr_assert(strstr(r->out, "\"cap\":\"CAP_CHOWN\",\"capnum\":0,\"verdict\":\"allow\","
			 "\"audit\":true,\"syscall\":\"openat\",\"creds\":\"override\""),
		  "no copy-up CAP_CHOWN check with overridden credentials:\n%s", r->out);
	igt_result_free(r);

	igt_result_free(igt_run(set_argv, 10000));
	r = igt_ig(30000, "run", "capabilities", "--advise", "-o", "json", "--", "/bin/sh", "-c",
		   script, NULL);
	cr_assert_eq(r->status, 0, "%s", r->err);
	doc = json_loads(r->out, JSON_DISABLE_EOF_CHECK, &e);
	cr_assert_not_null(doc, "%s: %s", e.text, r->out);
	cr_assert(json_integer_value(json_object_get(json_object_get(doc, "ignored"),
						     "overriddenCreds")) > 0, "%s", r->out);
	add = json_object_get(json_object_get(json_object_get(doc, "securityContext"),
					      "capabilities"), "add");
	for (i = 0; i < json_array_size(add); i++) {
		cr_assert_str_neq(json_string_value(json_array_get(add, i)), "CHOWN", "%s", r->out);
		cr_assert_str_neq(json_string_value(json_array_get(add, i)), "FOWNER", "%s",
				  r->out);
	}
	json_decref(doc);
	igt_result_free(r);
}
