// SPDX-License-Identifier: Apache-2.0
/*
 * `ig list-containers` against real runc containers: names from
 * containerd-CRI and CRI-O annotations, pid and namespaces compared with
 * /proc, --watch, fake runtime roots with broken state files.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "ctr_helpers.h"

static void cri_annotations(struct igt_bundle *b, void *arg)
{
	char name[80];

	snprintf(name, sizeof(name), "nginx-%s", b->id);
	igt_bundle_annotate(b, "io.kubernetes.cri.container-type", "container");
	igt_bundle_annotate(b, "io.kubernetes.cri.sandbox-namespace", "prod");
	igt_bundle_annotate(b, "io.kubernetes.cri.sandbox-name", "web-7d4");
	igt_bundle_annotate(b, "io.kubernetes.cri.sandbox-uid", "11111111-2222");
	igt_bundle_annotate(b, "io.kubernetes.cri.container-name", name);
	igt_bundle_annotate(b, "io.kubernetes.cri.image-name", "docker.io/library/nginx:1.25");
}

static void crio_annotations(struct igt_bundle *b, void *arg)
{
	char name[80];

	snprintf(name, sizeof(name), "dns-%s", b->id);
	igt_bundle_annotate(b, "io.kubernetes.pod.namespace", "kube-system");
	igt_bundle_annotate(b, "io.kubernetes.pod.name", "coredns-5d7");
	igt_bundle_annotate(b, "io.kubernetes.pod.uid", "33333333-4444");
	igt_bundle_annotate(b, "io.kubernetes.container.name", name);
	igt_bundle_annotate(b, "io.kubernetes.cri-o.ImageName", "registry.k8s.io/coredns:v1.11");
	igt_bundle_annotate(b, "io.kubernetes.cri-o.Labels",
			    "{\"zone\":\"a\",\"app\":\"dns\","
			    "\"io.kubernetes.pod.name\":\"coredns-5d7\"}");
}

static void expect_ns(json_t *o, struct igt_bundle *b)
{
	pid_t pid = igt_bundle_pid(b);

	cr_expect_eq(ctr_int(o, "pid"), pid, "pid of %s", b->id);
	cr_expect_eq((uint64_t)ctr_int(o, "mntns"), igt_ns_inode(pid, "mnt"));
	cr_expect_eq((uint64_t)ctr_int(o, "netns"), igt_ns_inode(pid, "net"));
	cr_expect_neq((uint64_t)ctr_int(o, "mntns"), igt_ns_inode(getpid(), "mnt"),
		      "a container has its own mount namespace");
}

Test(list_containers, names_pids_namespaces, .timeout = 90)
{
	struct igt_bundle *cri = ctr_start("lc-cri", cri_annotations, NULL);
	struct igt_bundle *crio = ctr_start("lc-crio", crio_annotations, NULL);
	struct igt_bundle *plain = ctr_start("lc-plain", NULL, NULL);
	struct igt_result *r = igt_ig(20000, "list-containers", "-o", "json", NULL);
	char name[80];
	json_t *o;

	cr_assert_eq(r->status, 0, "stderr: %s", r->err);

	o = ctr_find_line(r->out, "id", cri->id, NULL, NULL);
	cr_assert_not_null(o, "%s not listed: %s", cri->id, r->out);
	snprintf(name, sizeof(name), "nginx-%s", cri->id);
	cr_expect_str_eq(ctr_str(o, "name"), name);
	cr_expect_str_eq(ctr_str(o, "runtime"), "runc", "runc's own root");
	cr_expect_str_eq(ctr_str(o, "k8s.namespace"), "prod");
	cr_expect_str_eq(ctr_str(o, "k8s.pod"), "web-7d4");
	cr_expect_str_eq(ctr_str(o, "k8s.podUID"), "11111111-2222");
	cr_expect_str_eq(ctr_str(o, "k8s.container"), name);
	cr_expect_str_eq(ctr_str(o, "image"), "docker.io/library/nginx:1.25");
	cr_expect_str_eq(ctr_str(o, "bundle"), cri->dir);
	expect_ns(o, cri);
	json_decref(o);

	o = ctr_find_line(r->out, "id", crio->id, NULL, NULL);
	cr_assert_not_null(o, "%s not listed: %s", crio->id, r->out);
	snprintf(name, sizeof(name), "dns-%s", crio->id);
	cr_expect_str_eq(ctr_str(o, "name"), name);
	cr_expect_str_eq(ctr_str(o, "runtime"), "cri-o");
	cr_expect_str_eq(ctr_str(o, "k8s.namespace"), "kube-system");
	cr_expect_str_eq(ctr_str(o, "k8s.pod"), "coredns-5d7");
	cr_expect_str_eq(ctr_str(o, "k8s.podUID"), "33333333-4444");
	cr_expect_str_eq(ctr_str(o, "image"), "registry.k8s.io/coredns:v1.11");
	cr_expect_str_eq(ctr_str(o, "k8s.podLabels"), "app=dns,zone=a",
			 "sorted, kubelet's dropped");
	expect_ns(o, crio);
	json_decref(o);

	o = ctr_find_line(r->out, "id", plain->id, NULL, NULL);
	cr_assert_not_null(o, "%s not listed: %s", plain->id, r->out);
	cr_expect_str_eq(ctr_str(o, "name"), plain->id, "no annotations: the id");
	cr_expect_null(ctr_str(o, "k8s.namespace"));
	cr_expect_null(ctr_str(o, "image"));
	cr_expect(ctr_str(o, "cgroup") && strstr(ctr_str(o, "cgroup"), plain->id),
		  "cgroup path names the container: %s", ctr_str(o, "cgroup"));
	expect_ns(o, plain);
	json_decref(o);
	igt_result_free(r);

	/* -c selects by name; the table has the documented columns */
	r = igt_ig(20000, "list-containers", "-c", plain->id, NULL);
	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	cr_expect(strstr(r->out, "RUNTIME") && strstr(r->out, "NAME") && strstr(r->out, "MNTNS") &&
		  strstr(r->out, "NAMESPACE") && strstr(r->out, "POD"), "%s", r->out);
	cr_expect_eq(igt_count(r->out, "\n"), 2, "header and one container: %s", r->out);
	cr_expect(strstr(r->out, plain->id));
	igt_result_free(r);

	igt_bundle_destroy(cri);
	igt_bundle_destroy(crio);
	igt_bundle_destroy(plain);
}

Test(list_containers, watch_added_and_removed, .timeout = 90)
{
	char ready[64], id[80], bid[64];
	const char *const argv[] = { igt_ig_path(), "list-containers", "--watch", "-o", "json",
				     "--ready-file", ready, NULL };
	struct igt_bundle *b;
	struct igt_proc *p;
	struct igt_result *r;
	json_t *o;

	snprintf(ready, sizeof(ready), "/tmp/igt-lc-ready-%d", getpid());
	unlink(ready);
	p = igt_spawn(argv);
	cr_assert_eq(ctr_wait_file(ready, "\n", 20000), 0, "list-containers --watch not ready");
	b = ctr_start("lc-watch", NULL, NULL);
	snprintf(id, sizeof(id), "\"%s\"", b->id);
	snprintf(bid, sizeof(bid), "%s", b->id);
	cr_expect_eq(ctr_wait_file(p->out_path, id, 10000), 0, "no ADDED for a new container");
	igt_bundle_destroy(b);
	cr_expect_eq(ctr_wait_file(p->out_path, "REMOVED", 10000), 0, "no REMOVED");
	r = igt_proc_finish(p, SIGINT, 10000);
	cr_expect_eq(r->status, 0, "stderr: %s", r->err);
	o = ctr_find_line(r->out, "event", "ADDED", "id", bid);
	cr_expect_not_null(o, "ADDED line: %s", r->out);
	json_decref(o);
	o = ctr_find_line(r->out, "event", "REMOVED", "id", bid);
	cr_expect_not_null(o, "REMOVED line: %s", r->out);
	json_decref(o);
	igt_result_free(r);
	unlink(ready);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

/* A fake root: a copy of a real container's state.json under a new id, a
 * broken state.json, and an empty container dir. */
Test(list_containers, fake_root_with_malformed_state, .timeout = 60)
{
	struct igt_bundle *b = ctr_start("lc-fake", NULL, NULL);
	char root[] = "/tmp/igt-fakeroot-XXXXXX", path[PATH_MAX], fake_id[96], *state, *at;
	struct igt_result *r;
	json_t *st, *o;

	cr_assert_not_null(mkdtemp(root));
	snprintf(path, sizeof(path), "/run/runc/%s/state.json", b->id);
	state = igt_read_file(path, NULL);
	cr_assert_not_null(state, "runc state %s", path);
	st = json_loads(state, 0, NULL);
	cr_assert_not_null(st);
	snprintf(fake_id, sizeof(fake_id), "fake-%s", b->id);
	json_object_set_new(st, "id", json_string(fake_id));
	snprintf(path, sizeof(path), "%s/%s", root, fake_id);
	mkdir(path, 0711);
	at = path + strlen(path);
	strcpy(at, "/state.json");
	cr_assert_eq(json_dump_file(st, path, 0), 0);
	json_decref(st);
	free(state);
	snprintf(path, sizeof(path), "%s/broken", root);
	mkdir(path, 0711);
	strcat(path, "/state.json");
	write_text(path, "{\"id\": \"broken\", \"init_process_pid\": ");
	snprintf(path, sizeof(path), "%s/empty", root);
	mkdir(path, 0711);

	r = igt_ig(20000, "list-containers", "-o", "json", "-v", "--runtime-root", root,
		   "--runtime-root", "/nonexistent/igt/root", NULL);
	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	o = ctr_find_line(r->out, "id", fake_id, NULL, NULL);
	cr_expect_not_null(o, "container of the fake root: %s", r->out);
	cr_expect_eq(ctr_int(o, "pid"), igt_bundle_pid(b));
	json_decref(o);
	cr_expect_null(ctr_find_line(r->out, "id", "broken", NULL, NULL));
	cr_expect(strstr(r->err, "broken/state.json") && strstr(r->err, "warning"),
		  "-v names the broken state file: %s", r->err);
	/* a missing root is no error (status 0, the others are listed), but a
	 * --runtime-root that does not exist is said once */
	cr_expect_eq(igt_count(r->err, "--runtime-root /nonexistent/igt/root does not exist"), 1,
		     "%s", r->err);
	cr_expect_not(strstr(r->err, "error"), "%s", r->err);
	igt_result_free(r);

	/* without -v too: a container ig cannot see is worth a line */
	r = igt_ig(20000, "list-containers", "--runtime-root", root, NULL);
	cr_expect_eq(r->status, 0);
	cr_expect(strstr(r->err, "broken/state.json") && strstr(r->err, "warning"), "%s", r->err);
	igt_result_free(r);

	snprintf(path, sizeof(path), "rm -rf %s", root);
	cr_expect_eq(system(path), 0);
	igt_bundle_destroy(b);
}

Test(list_containers, bad_flags, .timeout = 30)
{
	struct igt_result *r;

	r = igt_ig(10000, "list-containers", "-c", "a,,b", NULL);
	cr_expect_eq(r->status, 2);
	cr_expect(strstr(r->err, "selector") && igt_count(r->err, "\n") == 1, "%s", r->err);
	igt_result_free(r);
	r = igt_ig(10000, "list-containers", "--runtime-root", "rel/dir", NULL);
	cr_expect_eq(r->status, 2);
	cr_expect(strstr(r->err, "absolute"), "%s", r->err);
	igt_result_free(r);
	r = igt_ig(10000, "list-containers", "-o", "xml", NULL);
	cr_expect_eq(r->status, 2);
	cr_expect(strstr(r->err, "xml"), "%s", r->err);
	igt_result_free(r);
	r = igt_ig(10000, "list-containers", "--fields", "nope", NULL);
	cr_expect_eq(r->status, 2);
	cr_expect(strstr(r->err, "nope"), "%s", r->err);
	igt_result_free(r);
}
