// SPDX-License-Identifier: Apache-2.0
/*
 * runc plugin: state.json and config.json as untrusted input (issue 17,
 * cases 3 and 4): a NUL in an annotation, state files of many MiB, stopped
 * containers read no further than their pid, FIFOs and symlinks, deep
 * nesting, bad escapes and numbers, too many annotations.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "plugins/runc/json_scan.h"
#include "plugins/runc/runc.h"
#include "tests/lib/igtest.h"

static char dir[256], err[512];

static void setup(void)
{
	igt_tmpdir_new(dir, sizeof(dir), "scan");
	err[0] = '\0';
}

static void teardown(void)
{
	igt_tmpdir_remove(dir);
}

TestSuite(runc_scan, .init = setup, .fini = teardown, .timeout = 30);

static const char *annot(const struct runc_state *st, const char *key)
{
	for (size_t i = 0; i < st->nr_annotations; i++)
		if (!strcmp(st->annotations[i].key, key))
			return st->annotations[i].value;
	return NULL;
}

static void put(const char *name, const char *text, size_t len)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
}

Test(runc_scan, nul_in_an_annotation_keeps_the_container)
{
	static const char j[] = "{\"id\":\"c\",\"init_process_pid\":5,\"config\":{\"labels\":"
				"[\"io.kubernetes.container.name=web\\u0000evil\",\"a=b\"]}}";
	static const char cfg[] = "{\"annotations\":{\"k\\u0000x\":\"v\",\"n\":\"x\\u0000y\"}}";
	struct runc_state st;

	cr_assert_eq(runc_state__parse(j, sizeof(j) - 1, &st, err, sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(annot(&st, "io.kubernetes.container.name"), "web", "cut at the NUL");
	cr_expect_str_eq(annot(&st, "a"), "b");
	cr_assert_eq(runc_state__parse_config(cfg, sizeof(cfg) - 1, &st, err, sizeof(err)), 0,
		     "%s", err);
	cr_expect_eq(st.nr_annotations, 1, "a key with a NUL is dropped");
	cr_expect_str_eq(annot(&st, "n"), "x");
	runc_state__free(&st);
	cr_expect_eq(runc_state__parse("{\"id\":\"a\\u0000b\",\"init_process_pid\":5}", 38, &st,
				       err, sizeof(err)), -EINVAL, "an id with a NUL");
}

/* A state.json of 6 MiB (runc copies the whole OCI config): streamed. */
Test(runc_scan, big_state_file_is_streamed)
{
	size_t n = 6u << 20, off = 0;
	char *text = malloc(n + 256);
	struct runc_state st;

	cr_assert_not_null(text);
	off += (size_t)sprintf(text, "{\"id\":\"big\",\"init_process_pid\":%d,\"config\":{"
			       "\"mounts\":[", (int)getpid());
	while (off < n)
		off += (size_t)sprintf(text + off, "{\"source\":\"/x%zu\",\"flags\":[1,2.5e3]},",
				       off);
	off += (size_t)sprintf(text + off, "{}],\"labels\":[\"k=v\",\"bundle=/nonexistent\"]}}");
	put("state.json", text, off);
	free(text);
	cr_assert_eq(runc_state__load(dir, &st, err, sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(st.id, "big");
	cr_expect_str_eq(annot(&st, "k"), "v");
	cr_expect_str_eq(st.bundle, "/nonexistent");
	runc_state__free(&st);
}

/* A stopped container's state is not read past its pid: here what follows
 * is not even JSON, and the answer is still "stopped". */
Test(runc_scan, stopped_container_is_not_read_further)
{
	static const char head[] = "{\"id\":\"old\",\"init_process_pid\":2147483000,"
				   "\"init_process_start\":5,\"config\":{";
	size_t n = 8u << 20;
	char *text = malloc(n);
	struct runc_state st;

	cr_assert_not_null(text);
	memcpy(text, head, sizeof(head) - 1);
	memset(text + sizeof(head) - 1, '@', n - sizeof(head) + 1);
	put("state.json", text, n);
	free(text);
	cr_expect_eq(runc_state__load_running_as(dir, META_ANY_OWNER, &st, err, sizeof(err)),
		     -ESRCH, "%s", err);
	cr_expect(strstr(err, "container stopped"), "%s", err);
	cr_expect_eq(runc_state__load(dir, &st, err, sizeof(err)), -EINVAL,
		     "read whole, it is malformed");
}

Test(runc_scan, fifo_and_symlink_are_refused_at_once)
{
	char path[PATH_MAX], target[PATH_MAX];
	struct runc_state st;

	snprintf(path, sizeof(path), "%s/state.json", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_expect_eq(runc_state__load(dir, &st, err, sizeof(err)), -EINVAL,
		     "a FIFO without writer: refused, not waited on");
	cr_expect(strstr(err, "not a regular file"), "%s", err);
	unlink(path);
	snprintf(target, sizeof(target), "%s/real.json", dir);
	put("real.json", "{\"id\":\"x\",\"init_process_pid\":1}", 31);
	cr_assert_eq(symlink(target, path), 0);
	cr_expect_eq(runc_state__load(dir, &st, err, sizeof(err)), -ELOOP, "%s", err);
}

Test(runc_scan, too_many_annotations_are_bounded)
{
	size_t cap = 5000 * 24 + 128, off = 0;
	char *text = malloc(cap);
	struct runc_state st;

	cr_assert_not_null(text);
	off += (size_t)sprintf(text, "{\"id\":\"many\",\"init_process_pid\":7,\"config\":"
			       "{\"labels\":[");
	for (int i = 0; i < 5000; i++)
		off += (size_t)sprintf(text + off, "%s\"k%d=v\"", i ? "," : "", i);
	off += (size_t)sprintf(text + off, "]}}");
	cr_assert_eq(runc_state__parse(text, off, &st, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(st.nr_annotations, 4096);
	cr_expect(st.annotations_truncated);
	runc_state__free(&st);
	free(text);
}

Test(runc_scan, malformed_input_is_an_error_not_a_crash)
{
	static const char *const bad[] = {
		"", " ", "{", "}", "[", "{\"id\":}", "{\"id\":\"x\",}", "{\"id\":\"x\"\"y\":1}",
		"{\"id\":\"\\x\"}", "{\"id\":\"\\ud800\"}", "{\"id\":\"\\udc00x\"}",
		"{\"id\":\"\\u12\"}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}", "{\"a\":1e}",
		"{\"a\":tru}", "{\"a\":nul}", "{\"id\":\"a\tb\"}", "{} x", "{\"a\":[1,]}",
		"{\"id\":\"x\",\"init_process_pid\":9223372036854775808}",
		"{\"id\":\"x\",\"init_process_pid\":4294967297}",
		"{\"id\":\"x\",\"init_process_pid\":5.0}",
	};
	char deep[20000];
	struct runc_state st;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(runc_state__parse(bad[i], strlen(bad[i]), &st, err, sizeof(err)),
			     -EINVAL, "%s", bad[i]);
	memset(deep, '[', sizeof(deep));
	memcpy(deep, "{\"a\":", 5);
	cr_expect_eq(runc_state__parse(deep, sizeof(deep), &st, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "nested too deep"), "%s", err);
}

Test(runc_scan, surrogate_pairs_decode)
{
	static const char j[] = "{\"id\":\"c\",\"init_process_pid\":5,\"config\":{\"labels\":"
				"[\"w=\\ud83d\\udc33\\u00e9\\/\"]}}";
	struct runc_state st;

	cr_assert_eq(runc_state__parse(j, sizeof(j) - 1, &st, err, sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(annot(&st, "w"), "\xf0\x9f\x90\xb3\xc3\xa9/");
	runc_state__free(&st);
}
