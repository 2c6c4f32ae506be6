// SPDX-License-Identifier: Apache-2.0
/* capabilities gadget kernel test helpers (see ct.h). */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ct_helpers.h"

struct igt_bundle *ct_bundle(const char *tag, const char *const actions[])
{
	const char *args[12] = { "/bin/cap_work" };
	const char *const hook[] = { igt_ig_path(), "hook", "createRuntime", NULL };
	char id[64], host[512];
	struct igt_bundle *b;
	int i;

	for (i = 0; actions[i] && i < 10; i++)
		args[i + 1] = actions[i];
	args[i + 1] = NULL;
	b = igt_bundle_new(igt_unique_id(id, tag), args);
	snprintf(host, sizeof(host), "%s/tests/fixtures/static/cap_work", igt_build_dir());
	igt_bundle_add_file(b, host, "/bin/cap_work");
	/* From runc's state file alone, ig may register the container after
	 * its first checks on a loaded machine (under make test SANITIZE=1, 3
	 * failures in 6 runs of trace_test.c here): the OCI hook makes runc wait
	 * for ig. */
	igt_bundle_add_hook(b, "createRuntime", hook);
	return b;
}

json_t *ct_record(struct igt_bundle *b, const char *const extra[], struct igt_result **run)
{
	struct igt_result *r;
	struct igt_proc *p;
	json_t *recs = json_array();
	char *line, *save = NULL;

	p = igt_spawn_ig_ready("run", "capabilities", "-c", b->id, "-o", "json",
			       igt_arg(extra, 0), igt_arg(extra, 1), igt_arg(extra, 2), NULL);
	*run = igt_bundle_run(b, 30000);
	r = igt_proc_finish(p, SIGINT, 15000);
	cr_assert_eq(r->status, 0, "ig failed (%d): %s", r->status, r->err);
	for (line = strtok_r(r->out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_error_t e;
		json_t *j = json_loads(line, 0, &e);

		cr_assert(j, "ig printed a line that is not JSON (%s): %s", e.text, line);
		json_array_append_new(recs, j);
	}
	igt_result_free(r);
	return recs;
}

static const char *get_path(json_t *rec, const char *key)
{
	char buf[128], *dot;

	snprintf(buf, sizeof(buf), "%s", key);
	dot = strchr(buf, '.');
	if (dot) {
		*dot = '\0';
		rec = json_object_get(rec, buf);
		key = dot + 1;
		return json_string_value(json_object_get(rec, key));
	}
	return json_string_value(json_object_get(rec, key));
}

static bool matches(json_t *rec, va_list ap)
{
	const char *k, *v, *got;

	while ((k = va_arg(ap, const char *))) {
		v = va_arg(ap, const char *);
		got = get_path(rec, k);
		if (!got || strcmp(got, v))
			return false;
	}
	return true;
}

json_t *ct_find(json_t *recs, ...)
{
	json_t *rec;
	size_t i;
	va_list ap;

	json_array_foreach(recs, i, rec) {
		bool ok;

		va_start(ap, recs);
		ok = matches(rec, ap);
		va_end(ap);
		if (ok)
			return rec;
	}
	return NULL;
}

int ct_count(json_t *recs, ...)
{
	json_t *rec;
	size_t i;
	va_list ap;
	int n = 0;

	json_array_foreach(recs, i, rec) {
		va_start(ap, recs);
		n += matches(rec, ap);
		va_end(ap);
	}
	return n;
}

json_t *ct_advice(json_t *recs, const char *id)
{
	json_t *rec;
	size_t i;

	json_array_foreach(recs, i, rec) {
		const char *c = json_string_value(json_object_get(rec, "container"));

		if (json_object_get(rec, "process") && c && !strcmp(c, id))
			return rec;
	}
	cr_assert_fail("no advice document for %s among %zu lines", id, json_array_size(recs));
	return NULL;
}

/* Run a validator on the JSON of doc; fail the test with its output. */
static void validate(const char *what, const char *const argv0[], json_t *doc)
{
	char path[] = "/tmp/igt-caps-doc-XXXXXX";
	const char *argv[4] = { argv0[0], argv0[1], path, NULL };
	struct igt_result *r;
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	cr_assert_eq(json_dumpfd(doc, fd, 0), 0);
	close(fd);
	r = igt_run(argv, 30000);
	unlink(path);
	cr_assert_eq(r->status, 0, "%s schema validation failed:\n%s%s", what, r->out, r->err);
	igt_result_free(r);
}

void ct_validate(json_t *advice)
{
	/* run from the repo root, as make test does (schemas: tests/schema/README.md) */
	const char *const oci[] = { "/usr/bin/python3", "tests/kernel/capabilities/validate.py" };
	const char *const k8s[] = { "node", "tests/kernel/capabilities/validate-k8s.mjs" };

	validate("OCI", oci, json_object_get(advice, "process"));
	validate("Kubernetes", k8s, advice);
}
