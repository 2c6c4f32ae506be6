// SPDX-License-Identifier: Apache-2.0
/*
 * runc plugin: parsing of state.json (as runc 1.1 writes it) and of the
 * bundle's config.json, on synthetic files.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "plugins/runc/runc.h"

/* Trimmed from a real /run/runc/<id>/state.json of runc 1.1.5. */
#define STATE_JSON(id, pid, extra_labels) \
	"{\"id\":\"" id "\",\"init_process_pid\":" #pid ",\"init_process_start\":368966," \
	"\"created\":\"2026-11-29T03:33:47.634645675Z\",\"config\":{\"rootfs\":\"/b/rootfs\"," \
	"\"labels\":[" extra_labels "\"bundle=/tmp/bundle-x\"]},\"rootless\":false," \
	"\"cgroup_paths\":{\"\":\"/sys/fs/cgroup/unified/" id "\"}," \
	"\"namespace_paths\":{\"NEWNS\":\"/proc/" #pid "/ns/mnt\"}}"

static const char *annot(const struct runc_state *st, const char *key)
{
	for (size_t i = 0; i < st->nr_annotations; i++)
		if (!strcmp(st->annotations[i].key, key))
			return st->annotations[i].value;
	return NULL;
}

Test(runc_state, parses_runc_1_1_state)
{
	const char *j = STATE_JSON("web", 4354,
		"\"io.kubernetes.cri.container-name=nginx\",\"weird=a=b\",");
	struct runc_state st;
	char err[128] = "";

	cr_assert_eq(runc_state__parse(j, strlen(j), &st, err, sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(st.id, "web");
	cr_expect_eq(st.pid, 4354);
	cr_expect_eq(st.start_time, 368966);
	cr_expect_eq(st.created_ns, 1795923227634645675ull);
	cr_expect_str_eq(st.bundle, "/tmp/bundle-x");
	/* "bundle=" is runc's, not an annotation; values may hold '='. */
	cr_expect_eq(st.nr_annotations, 2);
	cr_expect_str_eq(annot(&st, "io.kubernetes.cri.container-name"), "nginx");
	cr_expect_str_eq(annot(&st, "weird"), "a=b");
	cr_expect_not(st.annotations_from_config);
	runc_state__free(&st);
}

struct bad_case {
	const char *json;
	const char *reason;
};

Test(runc_state, rejects_malformed_state_with_reason)
{
	static const struct bad_case cases[] = {
		{ "", "not JSON" },
		{ "{\"id\": \"x\", ", "not JSON" },
		{ "[1, 2]", "not a JSON object" },
		{ "{\"init_process_pid\": 5}", "\"id\"" },
		{ "{\"id\": \"\", \"init_process_pid\": 5}", "\"id\"" },
		{ "{\"id\": \"x\"}", "init_process_pid" },
		{ "{\"id\": \"x\", \"init_process_pid\": -3}", "init_process_pid" },
		{ "{\"id\": \"x\", \"init_process_pid\": \"12\"}", "init_process_pid" },
		{ "{\"id\": 7, \"init_process_pid\": 12}", "\"id\"" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct runc_state st;
		char err[128] = "";

		cr_expect_eq(runc_state__parse(cases[i].json, strlen(cases[i].json), &st, err,
					       sizeof(err)), -EINVAL, "case %zu accepted", i);
		cr_expect(strstr(err, cases[i].reason), "case %zu: reason '%s' lacks '%s'", i,
			  err, cases[i].reason);
		cr_expect_null(st.id, "case %zu leaves state", i);
	}
}

Test(runc_state, labels_are_optional)
{
	const char *j = "{\"id\":\"a\",\"init_process_pid\":9,\"config\":{}}";
	struct runc_state st;
	char err[128];

	cr_assert_eq(runc_state__parse(j, strlen(j), &st, err, sizeof(err)), 0);
	cr_expect_eq(st.nr_annotations, 0);
	cr_expect_null(st.bundle);
	cr_expect_eq(st.created_ns, 0);
	runc_state__free(&st);
}

Test(runc_state, config_annotations_replace_labels)
{
	const char *j = STATE_JSON("c1", 10, "\"old=1\",");
	const char *cfg = "{\"ociVersion\":\"1.0.2\",\"annotations\":{"
			  "\"io.kubernetes.pod.name\":\"p\",\"n\":\"v=w\",\"num\":3}}";
	struct runc_state st;
	char err[128] = "";

	cr_assert_eq(runc_state__parse(j, strlen(j), &st, err, sizeof(err)), 0);
	cr_assert_eq(runc_state__parse_config(cfg, strlen(cfg), &st, err, sizeof(err)), 0, "%s",
		     err);
	cr_expect(st.annotations_from_config);
	cr_expect_eq(st.nr_annotations, 2, "non-string value skipped, labels replaced");
	cr_expect_str_eq(annot(&st, "io.kubernetes.pod.name"), "p");
	cr_expect_str_eq(annot(&st, "n"), "v=w");
	cr_expect_null(annot(&st, "old"));
	cr_expect_eq(runc_state__parse_config("{\"annotations\":[]}", 18, &st, err, sizeof(err)),
		     -EINVAL);
	cr_expect_eq(runc_state__parse_config("nope", 4, &st, err, sizeof(err)), -EINVAL);
	cr_expect_eq(st.nr_annotations, 2, "a bad config keeps what was there");
	runc_state__free(&st);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

Test(runc_state, load_reads_bundle_config)
{
	char dir[] = "/tmp/igt-runc-XXXXXX", path[PATH_MAX], state[1024];
	struct runc_state st;
	char err[256] = "";

	cr_assert_not_null(mkdtemp(dir));
	cr_expect_eq(runc_state__load(dir, &st, err, sizeof(err)), -ENOENT,
		     "no state.json yet: %s", err);
	snprintf(state, sizeof(state),
		 "{\"id\":\"c2\",\"init_process_pid\":11,\"config\":{\"labels\":"
		 "[\"from=labels\",\"bundle=%s\"]}}", dir);
	snprintf(path, sizeof(path), "%s/state.json", dir);
	write_file(path, state);
	snprintf(path, sizeof(path), "%s/config.json", dir);
	write_file(path, "{\"annotations\":{\"from\":\"config\"}}");
	cr_assert_eq(runc_state__load(dir, &st, err, sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(annot(&st, "from"), "config");
	runc_state__free(&st);

	/* Bundle gone: the labels are the fallback. */
	unlink(path);
	cr_assert_eq(runc_state__load(dir, &st, err, sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(annot(&st, "from"), "labels");
	runc_state__free(&st);

	snprintf(path, sizeof(path), "%s/state.json", dir);
	write_file(path, "{\"id\":");
	cr_expect_eq(runc_state__load(dir, &st, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "state.json") && strstr(err, "not JSON"), "%s", err);
	unlink(path);
	rmdir(dir);
}

Test(runc_state, rfc3339)
{
	uint64_t ns;

	cr_assert_eq(runc_parse_rfc3339("1970-01-01T00:00:01Z", &ns), 0);
	cr_expect_eq(ns, 1000000000ull);
	cr_assert_eq(runc_parse_rfc3339("1970-01-01T00:00:01.5Z", &ns), 0);
	cr_expect_eq(ns, 1500000000ull);
	cr_assert_eq(runc_parse_rfc3339("1970-01-01T01:00:00.000000001+01:00", &ns), 0);
	cr_expect_eq(ns, 1ull);
	cr_assert_eq(runc_parse_rfc3339("1970-01-01T00:00:00.1234567891234Z", &ns), 0);
	cr_expect_eq(ns, 123456789ull, "digits past ns are dropped");
	cr_expect_eq(runc_parse_rfc3339("1970-01-01T00:00:01", &ns), -EINVAL, "no zone");
	cr_expect_eq(runc_parse_rfc3339("1970-01-01T00:00:01.Z", &ns), -EINVAL);
	cr_expect_eq(runc_parse_rfc3339("yesterday", &ns), -EINVAL);
	cr_expect_eq(runc_parse_rfc3339("1970-01-01T00:00:01Zjunk", &ns), -EINVAL);
}

Test(runc_state, proc_start_time_matches_proc)
{
	char path[64], buf[1024], *p;
	unsigned long long want;
	uint64_t got;
	FILE *f;

	cr_assert_eq(runc_proc_start_time(getpid(), &got), 0);
	snprintf(path, sizeof(path), "/proc/%d/stat", getpid());
	f = fopen(path, "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	p = strrchr(buf, ')') + 2;
	/* fields 3..21 then starttime */
	for (int i = 3; i < 22; i++)
		p = strchr(p, ' ') + 1;
	want = strtoull(p, NULL, 10);
	cr_expect_eq(got, want);
	cr_expect_gt(got, 0);
	cr_expect_eq(runc_proc_start_time(INT_MAX, &got), -ENOENT);
}

Test(runc_state, runtime_name_detects_crio)
{
	struct ig_label crio[] = { { "io.kubernetes.cri-o.Labels", "{}" } };
	struct ig_label cri[] = { { "io.kubernetes.cri.container-name", "x" } };
	struct runc_state st = { .annotations = crio, .nr_annotations = 1 };

	cr_expect_str_eq(runc_runtime_name("runc", &st), "cri-o");
	st.annotations = cri;
	cr_expect_str_eq(runc_runtime_name("containerd", &st), "containerd");
	st.nr_annotations = 0;
	cr_expect_str_eq(runc_runtime_name("runc", &st), "runc");
}

Test(runc_state, docker_config_v2)
{
	const char *j = "{\"ID\":\"4f3a\",\"Name\":\"/web\",\"Config\":{\"Image\":\"nginx:1.25\","
			"\"Hostname\":\"4f3a\"},\"State\":{\"Running\":true}}";
	char *name, *image;

	cr_assert_eq(runc_docker_meta(j, strlen(j), &name, &image), 0);
	cr_expect_str_eq(name, "web", "leading '/' dropped");
	cr_expect_str_eq(image, "nginx:1.25");
	free(name);
	free(image);
	cr_assert_eq(runc_docker_meta("{\"Name\":\"/\"}", 12, &name, &image), 0);
	cr_expect_null(name);
	cr_expect_null(image);
	cr_expect_eq(runc_docker_meta("[]", 2, &name, &image), -EINVAL);
	cr_expect_eq(runc_docker_meta("{", 1, &name, &image), -EINVAL);
}
