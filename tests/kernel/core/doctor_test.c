// SPDX-License-Identifier: Apache-2.0
/*
 * ig doctor and the attach-point choice, on whatever kernel runs the tests
 * (the host, or a guest of make test-kernels): what doctor says about BTF,
 * fentry and kprobes agrees with what the test finds out by itself, and a
 * gadget whose usable hooks are hidden (IG_DISABLE_FEATURES) is refused by
 * ig run with the one line doctor shows for it.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <jansson.h>

#include "tests/lib/igtest.h"

TestSuite(doctor, .timeout = 60);

static json_t *doctor_json(const char *disable)
{
	const char *const argv[] = { igt_ig_path(), "doctor", "-o", "json", NULL };
	char env[128];
	const char *const envp[] = { env, NULL };
	struct igt_result *r;
	json_error_t e;
	json_t *doc;

	snprintf(env, sizeof(env), "IG_DISABLE_FEATURES=%s", disable ? disable : "");
	r = igt_run_env(argv, envp, 30000);
	cr_assert_eq(r->status, 0, "ig doctor failed (%d): %s", r->status, r->err);
	doc = json_loads(r->out, 0, &e);
	cr_assert_not_null(doc, "ig doctor -o json is not JSON (%s): %s", e.text, r->out);
	igt_result_free(r);
	return doc;
}

static json_t *find(json_t *arr, const char *name)
{
	json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (!strcmp(json_string_value(json_object_get(v, "name")) ?: "", name))
			return v;
	cr_assert_fail("no entry '%s'", name);
	return NULL;
}

/* The test's own fentry probe: a program on vfs_read, loaded and closed. */
static bool fentry_loads(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_FENTRY);
	struct btf *btf = btf__load_vmlinux_btf();
	int id, fd;

	cr_assert_not_null(btf, "cannot read the kernel's BTF");
	id = btf__find_by_name_kind(btf, "vfs_read", BTF_KIND_FUNC);
	btf__free(btf);
	cr_assert_gt(id, 0, "vfs_read is not in the kernel's BTF");
	o.attach_btf_id = id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "t", "GPL", insns, 2, &o);
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

Test(doctor, agrees_with_the_kernel)
{
	json_t *doc = doctor_json(NULL), *f;
	struct utsname u;
	bool kprobes = !access("/sys/bus/event_source/devices/kprobe/type", R_OK);

	uname(&u);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "kernel"),
							   "release")), u.release);
	cr_assert(json_is_true(json_object_get(json_object_get(doc, "kernel"), "btf")));
	f = find(json_object_get(doc, "features"), "fentry");
	cr_assert_eq(json_is_true(json_object_get(f, "available")), fentry_loads(),
		     "doctor says fentry %s", json_string_value(json_object_get(f, "status")));
	f = find(json_object_get(doc, "features"), "kprobe");
	if (!kprobes)
		cr_assert(json_is_false(json_object_get(f, "available")),
			  "no kprobe PMU, yet doctor says kprobes are there");
	/* every gadget of the build tree is listed, ready or with its reason */
	find(json_object_get(doc, "gadgets"), "seccomp-advisor");
	f = find(json_object_get(doc, "gadgets"), "trace-exec");
	cr_assert(json_is_true(json_object_get(f, "ready")), "trace-exec is not ready here");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(f, "attach"), 0)),
			 "tp_btf/sched_process_exec");
	json_decref(doc);
}

/* What ig run prints about capabilities with some features hidden: "" when
 * it ran; the one line doctor has for it must be that line. */
static char *run_caps(const char *disable, int *status)
{
	const char *const argv[] = { igt_ig_path(), "run", "capabilities", "--", "/bin/true",
				     NULL };
	char env[128], *err;
	const char *const envp[] = { env, NULL };
	struct igt_result *r;

	snprintf(env, sizeof(env), "IG_DISABLE_FEATURES=%s", disable);
	r = igt_run_env(argv, envp, 30000);
	*status = r->status;
	err = strdup(r->err);
	igt_result_free(r);
	return err;
}

static void check_one_line(const char *disable, const char *err)
{
	json_t *doc = doctor_json(disable);
	json_t *g = find(json_object_get(doc, "gadgets"), "capabilities");
	const char *missing = json_string_value(json_object_get(g, "missing"));

	cr_assert(json_is_false(json_object_get(g, "ready")));
	cr_assert_not_null(missing);
	cr_assert(strstr(err, missing), "ig run said: %s\ndoctor says: %s", err, missing);
	cr_assert_eq(strchr(err, '\n'), err + strlen(err) - 1, "not one line: %s", err);
	cr_assert(strstr(err, "capability checks need"), "%s", err);
	cr_assert(strstr(err, "tp_btf/cap_capable (BTF-typed tracepoint programs: disabled by "
			      "IG_DISABLE_FEATURES, since Linux 5.5)"), "%s", err);
	json_decref(doc);
}

/* Every hook capabilities has, hidden: the line names each one's reason. */
Test(doctor, hidden_hooks_are_one_line)
{
	int status;
	char *err = run_caps("tp_btf,fentry,kprobe", &status);

	cr_assert_eq(status, 1, "%s", err);
	check_one_line("tp_btf,fentry,kprobe", err);
	cr_assert(strstr(err, "fexit/cap_capable (fentry/fexit programs: disabled by "
			      "IG_DISABLE_FEATURES"), "%s", err);
	cr_assert(strstr(err, "kprobe/cap_capable (kprobes: disabled by IG_DISABLE_FEATURES"),
		  "%s", err);
	free(err);
}

/* The tracepoint hidden: a kernel with fentry falls back to fexit (and
 * runs); one without (this project's hosts refuse fentry and kprobes) gets
 * the line, naming the tracepoint as hidden and the others as the kernel's. */
Test(doctor, hidden_tracepoint_falls_back_or_is_one_line)
{
	json_t *doc = doctor_json(NULL);
	bool fentry = json_is_true(json_object_get(find(json_object_get(doc, "features"),
							"fentry"), "available"));
	bool kprobe = json_is_true(json_object_get(find(json_object_get(doc, "features"),
							"kprobe"), "available"));
	int status;
	char *err = run_caps("tp_btf", &status);

	json_decref(doc);
	if (fentry || kprobe) {
		cr_assert_eq(status, 0, "a fallback exists, yet: %s", err);
	} else {
		cr_assert_eq(status, 1, "%s", err);
		check_one_line("tp_btf", err);
		cr_assert(strstr(err, "fexit/cap_capable (fentry/fexit programs: "), "%s", err);
	}
	free(err);
}

Test(doctor, unknown_feature_is_a_usage_error)
{
	const char *const argv[] = { igt_ig_path(), "doctor", NULL };
	const char *const envp[] = { "IG_DISABLE_FEATURES=tp_btf,warp_drive", NULL };
	struct igt_result *r = igt_run_env(argv, envp, 30000);

	cr_assert_eq(r->status, 2, "%s", r->err);
	cr_assert(strstr(r->err, "IG_DISABLE_FEATURES: unknown feature 'warp_drive' (known: "
				 "tp_btf, raw_tp, fentry, kprobe,"), "%s", r->err);
	cr_assert_eq(strchr(r->err, '\n'), r->err + strlen(r->err) - 1, "%s", r->err);
	igt_result_free(r);
}

/* A gadget built for ABI 1.3 declares no hooks: ready, with none listed. */
Test(doctor, gadget_without_hook_table_is_ready)
{
	char dir[64], src[512], dst[600];
	struct igt_result *r;
	json_t *doc, *g;
	json_error_t e;

	igt_tmpdir_new(dir, sizeof(dir), "doctor");
	snprintf(src, sizeof(src), "%s/tests/fixtures/gadgets/minor_1_3.so", igt_build_dir());
	snprintf(dst, sizeof(dst), "%s/fixture-1-3.so", dir);
	{
		const char *const cp[] = { "cp", src, dst, NULL };

		r = igt_run(cp, 10000);
		cr_assert_eq(r->status, 0, "%s", r->err);
		igt_result_free(r);
	}
	r = igt_ig(30000, "doctor", "-o", "json", "--gadget-path", dir, NULL);
	cr_assert_eq(r->status, 0, "%s", r->err);
	doc = json_loads(r->out, 0, &e);
	cr_assert_not_null(doc, "%s", r->out);
	g = find(json_object_get(doc, "gadgets"), "fixture-1-3");
	cr_assert(json_is_true(json_object_get(g, "ready")));
	cr_assert_eq(json_array_size(json_object_get(g, "attach")), 0);
	json_decref(doc);
	igt_result_free(r);
	igt_tmpdir_remove(dir);
}
