// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor: command mode against strace, --args, --merge pod, SPO
 * output against the CRD schema, compat syscalls.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>

#include "sa_helpers.h"

/* Names in an OCI profile's syscalls[], space-separated and sorted. */
static char *names_of(const char *path)
{
	const char *const argv[] = { "/usr/bin/python3", "-c",
		"import json,sys; d=json.load(open(sys.argv[1])); "
		"print(' '.join(sorted({n for r in d['syscalls'] for n in r['names']})))",
		path, NULL };
	struct igt_result *r = igt_run(argv, 10000);
	char *out;

	cr_assert_eq(r->status, 0, "%s: %s", path, r->err);
	out = strdup(r->out);
	igt_result_free(r);
	return out;
}

/* strace -f -qq: the distinct syscall names of the trace, sorted. Lines are
 * "PID name(...", "PID <... name resumed>..." (same name), "PID --- SIG"
 * (signals, not syscalls) and "PID +++ exited" (not syscalls). */
static char *strace_names(const char *path)
{
	const char *const argv[] = { "/usr/bin/python3", "-c",
		"import re,sys; s=set()\n"
		"for l in open(sys.argv[1]):\n"
		"  m=re.match(r'\\d+\\s+([a-z0-9_]+)\\(', l)\n"
		"  if m: s.add(m.group(1))\n"
		"print(' '.join(sorted(s)))", path, NULL };
	struct igt_result *r = igt_run(argv, 10000);
	char *out;

	cr_assert_eq(r->status, 0, "%s", r->err);
	out = strdup(r->out);
	igt_result_free(r);
	return out;
}

/*
 * The same command under ig and under strace -f gives the same set. Both
 * start at the command's execve: ig holds the child before execve and
 * records from that execve on, strace starts tracing at its own fork+exec.
 */
static void same_as_strace(const char *cmd)
{
	char dir[] = "/tmp/igt-sa-cmd-XXXXXX", prof[128], trace[128];
	struct igt_result *r;
	char *ours, *ref;

	cr_assert(mkdtemp(dir));
	snprintf(prof, sizeof(prof), "%s/command.json", dir);
	snprintf(trace, sizeof(trace), "%s/strace.txt", dir);
	r = igt_ig(30000, "run", "seccomp-advisor", "--output-dir", dir, "--", "/bin/sh", "-c",
		   cmd, NULL);
	cr_assert_eq(r->status, 0, "ig: %s", r->err);
	igt_result_free(r);
	{
		const char *const argv[] = { "strace", "-f", "-qq", "-e", "trace=all", "-o", trace,
					     "/bin/sh", "-c", cmd, NULL };

		r = igt_run(argv, 30000);
		cr_assert_eq(r->status, 0, "strace: %s", r->err);
		igt_result_free(r);
	}
	ours = names_of(prof);
	ref = strace_names(trace);
	cr_assert_str_eq(ours, ref, "ig and strace -f differ for `%s`", cmd);
	free(ours);
	free(ref);
}

Test(command, matches_strace_pipeline, .timeout = 60)
{
	same_as_strace("ls / | wc -l");
}

Test(command, matches_strace_files, .timeout = 60)
{
	same_as_strace("echo x > /tmp/igt-sa-f.txt && cat /tmp/igt-sa-f.txt && "
		       "rm /tmp/igt-sa-f.txt");
}

/* --args: socket is allowed for the domain seen (AF_INET) only. */
Test(args, socket_domain_closed_loop, .timeout = 120)
{
	const char *const inet[] = { "/bin/sh", "-c",
		"nc 127.0.0.1 1 </dev/null 2>/dev/null; echo rc=$?; uname -s", NULL };
	const char *const inet6[] = { "/bin/sh", "-c", "nc ::1 1 </dev/null 2>&1; echo rc=$?",
				      NULL };
	const char *const extra[] = { "--args", NULL };
	struct igt_bundle *b = sa_bundle("sa-args", inet, NULL);
	struct igt_result *rec, *again;
	char *profile;

	profile = sa_record(b, extra, &rec);
	cr_assert(strstr(profile, "\"SCMP_CMP_EQ\""), "no argument rule:\n%s", profile);
	sa_validate(profile, "oci");
	again = sa_run_with("sa-args", inet, NULL, profile);
	cr_assert_eq(again->status, 0, "%s", again->err);
	cr_assert_str_eq(again->out, rec->out);
	igt_result_free(again);
	/* AF_INET6 was never seen: refused with EPERM by the profile. */
	again = sa_run_with("sa-args", inet6, NULL, profile);
	cr_assert(strstr(again->out, "not permitted"), "AF_INET6 socket not refused: %s",
		  again->out);
	igt_result_free(again);
	igt_result_free(rec);
	free(profile);
	igt_bundle_destroy(b);
}

/* Two containers of one pod (same CRI annotations): one profile, the union. */
Test(merge, pod_union, .timeout = 120)
{
	const char *const a1[] = { "/bin/uname", "-s", NULL };
	const char *const a2[] = { "/bin/sh", "-c", "echo x | wc -c", NULL };
	const char *const extra[] = { "--merge", "pod", NULL };
	struct igt_bundle *b[2] = { sa_bundle("sa-pod", a1, NULL), sa_bundle("sa-pod", a2, NULL) };
	char path[256], *text;
	const char *dir;
	int i;

	for (i = 0; i < 2; i++) {
		igt_bundle_annotate(b[i], "io.kubernetes.pod.name", "igt-sa-pod");
		igt_bundle_annotate(b[i], "io.kubernetes.pod.namespace", "default");
		igt_bundle_annotate(b[i], "io.kubernetes.container.name", b[i]->id);
	}
	dir = sa_record_many(b, 2, extra);
	snprintf(path, sizeof(path), "%s/igt-sa-pod.json", dir);
	text = igt_read_file(path, NULL);
	cr_assert(text, "no pod profile %s", path);
	cr_assert(sa_profile_allows(text, "uname"), "c1's uname missing:\n%s", text);
	cr_assert(sa_profile_allows(text, "pipe2"), "c2's pipe2 missing:\n%s", text);
	sa_validate(text, "oci");
	free(text);
	for (i = 0; i < 2; i++)
		igt_bundle_destroy(b[i]);
}

/* Replicas (two pods with the same labels) merge too, named after "app". */
Test(merge, replicas_by_labels, .timeout = 120)
{
	const char *const a1[] = { "/bin/uname", "-s", NULL };
	const char *const a2[] = { "/bin/sh", "-c", "echo x | wc -c", NULL };
	const char *const extra[] = { "--merge", "pod", NULL };
	struct igt_bundle *b[2] = { sa_bundle("sa-rep", a1, NULL), sa_bundle("sa-rep", a2, NULL) };
	char path[256], *text;
	const char *dir;
	int i;

	for (i = 0; i < 2; i++) {
		igt_bundle_annotate(b[i], "io.kubernetes.pod.name", i ? "igt-sa-web-b" : "igt-sa-web-a");
		igt_bundle_annotate(b[i], "io.kubernetes.pod.namespace", "default");
		igt_bundle_annotate(b[i], "io.kubernetes.container.name", b[i]->id);
		igt_bundle_annotate(b[i], "io.kubernetes.cri-o.Labels",
				    "{\"app\":\"igt-sa-web\",\"pod-template-hash\":\"5d8f\"}");
	}
	dir = sa_record_many(b, 2, extra);
	snprintf(path, sizeof(path), "%s/igt-sa-web.json", dir);
	text = igt_read_file(path, NULL);
	cr_assert(text, "no merged profile %s", path);
	cr_assert(sa_profile_allows(text, "uname") && sa_profile_allows(text, "pipe2"),
		  "not the union:\n%s", text);
	free(text);
	for (i = 0; i < 2; i++)
		igt_bundle_destroy(b[i]);
}

/* SPO output (-o yaml) parses and matches the CRD of both API versions. */
Test(spo, yaml_matches_crd, .timeout = 60)
{
	const char *apis[] = { "v1", "v1beta1" };
	struct igt_result *r;
	int i;

	for (i = 0; i < 2; i++) {
		r = igt_ig(30000, "run", "seccomp-advisor", "--format", "spo", "--spo-api", apis[i],
			   "-o", "yaml", "--", "/bin/true", NULL);
		cr_assert_eq(r->status, 0, "%s", r->err);
		cr_assert(strstr(r->out, "kind: SeccompProfile"), "%s", r->out);
		sa_validate(r->out, "spo");
		igt_result_free(r);
	}
}

/* Compat syscalls are named for i386 (nr 20 is getpid there, writev on
 * x86_64). Some hosts refuse int $0x80 (a PVM guest here: SIGSEGV): then
 * nothing compat may be recorded and no x86_64 name may stand in for it. */
Test(compat, int80_named_for_i386, .timeout = 60)
{
	char dir[] = "/tmp/igt-sa-c32-XXXXXX", prof[128], fixture[256];
	struct igt_result *r;
	char *names;

	cr_assert(mkdtemp(dir));
	snprintf(prof, sizeof(prof), "%s/command.json", dir);
	snprintf(fixture, sizeof(fixture), "%s/tests/fixtures/sa_compat", igt_build_dir());
	r = igt_ig(30000, "run", "seccomp-advisor", "--output-dir", dir, "--", fixture, NULL);
	names = names_of(prof);
	if (r->status == 0) {
		cr_assert(strstr(names, "getpid"), "compat getpid missing: %s", names);
	} else {
		cr_assert_eq(r->status, 128 + 11, "fixture: %d %s", r->status, r->err);
	}
	cr_assert_not(strstr(names, "writev"), "compat nr 20 named as x86_64 writev: %s", names);
	free(names);
	igt_result_free(r);
}

/* --base-profile is unioned in, --default-errno sets defaultErrnoRet, and
 * bad values get one line and a non-zero exit. */
Test(command, base_profile_and_errno, .timeout = 60)
{
	char dir[] = "/tmp/igt-sa-base-XXXXXX", base[128], prof[128];
	struct igt_result *r;
	char *text;
	FILE *f;

	cr_assert(mkdtemp(dir));
	snprintf(base, sizeof(base), "%s/base.json", dir);
	snprintf(prof, sizeof(prof), "%s/command.json", dir);
	f = fopen(base, "w");
	cr_assert(f);
	fputs("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":"
	      "[\"reboot\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", f);
	fclose(f);
	r = igt_ig(30000, "run", "seccomp-advisor", "--base-profile", base, "--default-errno",
		   "38", "--output-dir", dir, "--", "/bin/true", NULL);
	cr_assert_eq(r->status, 0, "%s", r->err);
	igt_result_free(r);
	text = igt_read_file(prof, NULL);
	cr_assert(text);
	cr_assert(sa_profile_allows(text, "reboot"), "base not unioned:\n%s", text);
	cr_assert(sa_profile_allows(text, "execve"), "recorded set missing:\n%s", text);
	cr_assert(strstr(text, "\"defaultErrnoRet\": 38"), "%s", text);
	sa_validate(text, "oci");
	free(text);
	r = igt_ig(30000, "run", "seccomp-advisor", "--base-profile", "/nonexistent", "--",
		   "/bin/true", NULL);
	cr_assert_neq(r->status, 0);
	cr_assert_eq(igt_count(r->err, "\n"), 1, "want one line: %s", r->err);
	cr_assert(strstr(r->err, "--base-profile"), "%s", r->err);
	igt_result_free(r);
}

/* A task that leaves its mount namespace (unshare) is recorded in the new
 * one from its next syscall on: the per-CPU cache, keyed by task, must not
 * keep sending it to the old namespace's slot. The fixture is pinned to one
 * CPU so a stale entry would be hit. */
Test(host, unshare_records_in_new_namespace, .timeout = 60)
{
	char dir[] = "/tmp/igt-sa-uns-XXXXXX", prof[160], fixture[256];
	const char *argv[] = { fixture, "30", NULL };
	unsigned long long inum = 0;
	struct igt_proc *ig, *fx;
	struct igt_result *r, *f;
	const char *line;
	char *names;

	cr_assert(mkdtemp(dir));
	snprintf(fixture, sizeof(fixture), "%s/tests/fixtures/sa_unshare", igt_build_dir());
	ig = igt_spawn_ig_ready("run", "seccomp-advisor", "--host", "--output-dir", dir, NULL);
	fx = igt_spawn(argv);
	cr_assert(igt_proc_wait_output(fx, "mntns ", 10000), "sa_unshare did not start");
	r = igt_proc_finish(ig, SIGINT, 20000);
	f = igt_proc_finish(fx, SIGKILL, 5000);
	line = strstr(f->out, "mntns ");
	cr_assert(line && sscanf(line, "mntns %llu", &inum) == 1, "sa_unshare: %s %s", f->out,
		  f->err);
	cr_assert_eq(r->status, 0, "ig: %s", r->err);
	snprintf(prof, sizeof(prof), "%s/mntns-%llu.json", dir, inum);
	cr_assert(access(prof, F_OK) == 0, "no profile for the new namespace (%s): %s", prof,
		  r->err);
	names = names_of(prof);
	cr_assert(strstr(names, "getcpu"), "getcpu not in the new namespace's profile: %s", names);
	cr_assert_not(strstr(names, "unshare"), "unshare (made in the old one) in: %s", names);
	free(names);
	igt_result_free(r);
	igt_result_free(f);
}
