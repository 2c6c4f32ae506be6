// SPDX-License-Identifier: Apache-2.0
/* seccomp-advisor kernel test helpers (see sa_test.h). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sa_helpers.h"

const char *sa_record_many(struct igt_bundle **b, int n, const char *const extra[])
{
	static char dir[64];
	char sel[1024] = "";
	struct igt_result *r;
	struct igt_proc *p;
	int i;

	snprintf(dir, sizeof(dir), "/tmp/igt-sa-XXXXXX");
	cr_assert(mkdtemp(dir), "mkdtemp");
	for (i = 0; i < n; i++)
		snprintf(sel + strlen(sel), sizeof(sel) - strlen(sel), "%s%s", i ? "," : "",
			 b[i]->id);
	p = igt_spawn_ig_ready("run", "seccomp-advisor", "-c", sel, "--output-dir", dir,
			       igt_arg(extra, 0), igt_arg(extra, 1), igt_arg(extra, 2),
			       igt_arg(extra, 3), NULL);
	for (i = 0; i < n; i++) {
		r = igt_bundle_run(b[i], 30000);
		cr_assert_eq(r->status, 0, "recording run of %s failed: %s", b[i]->id, r->err);
		igt_result_free(r);
	}
	r = igt_proc_finish(p, SIGINT, 15000);
	cr_assert_eq(r->status, 0, "ig failed: %s", r->err);
	igt_result_free(r);
	return dir;
}

char *sa_record(struct igt_bundle *b, const char *const extra[], struct igt_result **run)
{
	char dir[64], path[256];
	struct igt_result *r;
	struct igt_proc *p;
	char *text;

	snprintf(dir, sizeof(dir), "/tmp/igt-sa-XXXXXX");
	cr_assert(mkdtemp(dir), "mkdtemp");
	p = igt_spawn_ig_ready("run", "seccomp-advisor", "-c", b->id, "--output-dir", dir,
			       igt_arg(extra, 0), igt_arg(extra, 1), igt_arg(extra, 2),
			       igt_arg(extra, 3), NULL);
	*run = igt_bundle_run(b, 30000);
	r = igt_proc_finish(p, SIGINT, 15000);
	cr_assert_eq(r->status, 0, "ig failed: %s", r->err);
	cr_assert((*run)->status == 0, "recording run failed (%d): %s", (*run)->status,
		  (*run)->err);
	/* The container's exit produced the report (one table row). */
	cr_assert(strstr(r->out, b->id), "no report row for %s:\n%s", b->id, r->out);
	igt_result_free(r);
	snprintf(path, sizeof(path), "%s/%s.json", dir, b->id);
	text = igt_read_file(path, NULL);
	cr_assert(text, "no profile file %s", path);
	return text;
}

struct igt_bundle *sa_bundle(const char *tag, const char *const args[], const char *fixture)
{
	char id[64], host[512], in[128];
	struct igt_bundle *b = igt_bundle_new(igt_unique_id(id, tag), args);

	if (fixture) {
		snprintf(host, sizeof(host), "%s/tests/fixtures/static/%s", igt_build_dir(),
			 fixture);
		snprintf(in, sizeof(in), "/bin/%s", fixture);
		igt_bundle_add_file(b, host, in);
	}
	return b;
}

struct igt_result *sa_run_with(const char *tag, const char *const args[], const char *fixture,
			       const char *profile)
{
	struct igt_bundle *b = sa_bundle(tag, args, fixture);
	struct igt_result *r;

	igt_bundle_set_seccomp(b, profile);
	r = igt_bundle_run(b, 30000);
	igt_bundle_destroy(b);
	return r;
}

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	cr_assert(j, "profile is not JSON: %s\n%s", e.text, text);
	return j;
}

char *sa_profile_without(const char *profile, const char *name)
{
	json_t *j = load(profile), *rules = json_object_get(j, "syscalls"), *rule, *n;
	bool found = false;
	size_t i, k;
	char *out;

	for (i = json_array_size(rules); i-- > 0;) {
		rule = json_array_get(rules, i);
		json_array_foreach(json_object_get(rule, "names"), k, n) {
			if (strcmp(json_string_value(n), name))
				continue;
			found = true;
			if (json_object_get(rule, "args"))
				json_array_remove(rules, i);
			else
				json_array_remove(json_object_get(rule, "names"), k);
			break;
		}
	}
	cr_assert(found, "%s not in the profile", name);
	out = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return out;
}

bool sa_profile_allows(const char *profile, const char *name)
{
	json_t *j = load(profile), *rule, *n;
	bool found = false;
	size_t i, k;

	json_array_foreach(json_object_get(j, "syscalls"), i, rule)
		json_array_foreach(json_object_get(rule, "names"), k, n)
			found |= !strcmp(json_string_value(n), name);
	json_decref(j);
	return found;
}

void sa_validate(const char *doc_json, const char *kind)
{
	char path[] = "/tmp/igt-sa-doc-XXXXXX";
	struct igt_result *r;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	fputs(doc_json, f);
	fclose(f);
	{
		/* Debian's python3 has python3-jsonschema; the script and the
		 * schemas are found relative to the repo root (the cwd). */
		const char *const argv[] = { "/usr/bin/python3",
					     "tests/kernel/seccomp-advisor/validate.py",
					     kind, path, NULL };

		r = igt_run(argv, 30000);
	}
	unlink(path);
	cr_assert_eq(r->status, 0, "%s schema validation failed:\n%s%s", kind, r->out, r->err);
	igt_result_free(r);
}
