// SPDX-License-Identifier: Apache-2.0
/*
 * Records produced inside real containers carry the container's enrichment,
 * and -c / --host select what they should; containers that start after ig or
 * exit while it runs are handled. trace-exec is the probe: `runc exec` of
 * /bin/echo with a unique token, then look for the token in ig's JSON.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "ctr_helpers.h"

static void cri_annotations(struct igt_bundle *b, void *arg)
{
	char name[80];

	snprintf(name, sizeof(name), "web-%s", b->id);
	igt_bundle_annotate(b, "io.kubernetes.cri.sandbox-namespace", "shop");
	igt_bundle_annotate(b, "io.kubernetes.cri.sandbox-name", "front-1");
	igt_bundle_annotate(b, "io.kubernetes.cri.container-name", name);
	igt_bundle_annotate(b, "io.kubernetes.cri.image-name", "nginx:1");
}

static void crio_annotations(struct igt_bundle *b, void *arg)
{
	igt_bundle_annotate(b, "io.kubernetes.pod.namespace", "late-ns");
	igt_bundle_annotate(b, "io.kubernetes.pod.name", "late-pod");
	igt_bundle_annotate(b, "io.kubernetes.container.name", (const char *)arg);
	igt_bundle_annotate(b, "io.kubernetes.cri-o.Labels",
			    "{\"tier\":\"back\",\"app\":\"late\"}");
}

static void echo_in(struct igt_bundle *b, const char *token)
{
	const char *const argv[] = { "/bin/echo", token, NULL };
	struct igt_result *r = igt_bundle_exec(b, argv, 10000);

	cr_assert_eq(r->status, 0, "runc exec in %s: %s", b->id, r->err);
	igt_result_free(r);
}

static void echo_on_host(const char *token)
{
	const char *const argv[] = { "/bin/echo", token, NULL };

	igt_result_free(igt_run(argv, 5000));
}

/* The record of the echo with this token, or NULL. */
static json_t *rec(const char *out, const char *token)
{
	return ctr_find_line(out, "comm", "echo", "args", token);
}

static void tok(char *buf, const char *what)
{
	snprintf(buf, 64, "igt-tok-%s-%d", what, getpid());
}

Test(ctr_trace, enrichment_and_selection, .timeout = 120)
{
	struct igt_bundle *a = ctr_start("tr-a", cri_annotations, NULL);
	struct igt_bundle *b = ctr_start("tr-b", NULL, NULL);
	struct igt_proc *only_a, *not_a, *host, *all;
	struct igt_result *r_only_a, *r_not_a, *r_host, *r_all;
	char name_a[80], not_name_a[81], ta[64], tb[64], th[64];
	json_t *o;

	snprintf(name_a, sizeof(name_a), "web-%s", a->id);
	snprintf(not_name_a, sizeof(not_name_a), "!%s", name_a);
	tok(ta, "a");
	tok(tb, "b");
	tok(th, "host");
	only_a = igt_spawn_ig_ready("run", "trace-exec", "-o", "json", "-c", name_a, NULL);
	not_a = igt_spawn_ig_ready("run", "trace-exec", "-o", "json", "-c", not_name_a, NULL);
	host = igt_spawn_ig_ready("run", "trace-exec", "-o", "json", "--host", NULL);
	all = igt_spawn_ig_ready("run", "trace-exec", "-o", "json", NULL);
	echo_in(a, ta);
	echo_in(b, tb);
	echo_on_host(th);
	usleep(500000);	/* ring buffers are drained on a short timer */
	r_only_a = igt_proc_finish(only_a, SIGINT, 10000);
	r_not_a = igt_proc_finish(not_a, SIGINT, 10000);
	r_host = igt_proc_finish(host, SIGINT, 10000);
	r_all = igt_proc_finish(all, SIGINT, 10000);

	/* -c A: A's exec, fully enriched, and nothing else */
	o = rec(r_only_a->out, ta);
	cr_assert_not_null(o, "-c %s missed its exec:\n%s\n%s", name_a, r_only_a->out,
			   r_only_a->err);
	cr_expect_str_eq(ctr_str(o, "runtime.containerName"), name_a);
	cr_expect_str_eq(ctr_str(o, "runtime.containerId"), a->id);
	cr_expect_str_eq(ctr_str(o, "runtime.runtimeName"), "runc");
	cr_expect_eq(ctr_int(o, "runtime.containerPid"), igt_bundle_pid(a));
	cr_expect_str_eq(ctr_str(o, "runtime.containerImageName"), "nginx:1");
	cr_expect_str_eq(ctr_str(o, "k8s.namespace"), "shop");
	cr_expect_str_eq(ctr_str(o, "k8s.podName"), "front-1");
	cr_expect_str_eq(ctr_str(o, "k8s.containerName"), name_a);
	cr_expect_eq((uint64_t)ctr_int(o, "mntns"), igt_ns_inode(igt_bundle_pid(a), "mnt"));
	json_decref(o);
	cr_expect_null(rec(r_only_a->out, tb), "-c A shows B");
	cr_expect_null(rec(r_only_a->out, th), "-c A shows the host");

	/* -c !A: every other container, not the host */
	o = rec(r_not_a->out, tb);
	cr_expect_not_null(o, "-c !A missed B:\n%s", r_not_a->out);
	cr_expect_str_eq(ctr_str(o, "runtime.containerName"), b->id, "plain runc: named by id");
	json_decref(o);
	cr_expect_null(rec(r_not_a->out, ta), "-c !A shows A");
	cr_expect_null(rec(r_not_a->out, th), "-c !A shows the host");

	/* --host: everything, containers still enriched */
	o = rec(r_host->out, ta);
	cr_expect_not_null(o, "--host missed A");
	cr_expect_str_eq(ctr_str(o, "runtime.containerName"), name_a);
	json_decref(o);
	o = rec(r_host->out, tb);
	cr_expect_not_null(o, "--host missed B");
	json_decref(o);
	o = rec(r_host->out, th);
	cr_expect_not_null(o, "--host missed the host's exec");
	cr_expect_null(ctr_str(o, "runtime.containerName"), "the host is no container");
	json_decref(o);

	/* no selector: all containers, not the host */
	o = rec(r_all->out, ta);
	cr_expect_not_null(o, "no -c missed A");
	json_decref(o);
	o = rec(r_all->out, tb);
	cr_expect_not_null(o, "no -c missed B");
	json_decref(o);
	cr_expect_null(rec(r_all->out, th), "no -c shows the host");

	igt_result_free(r_only_a);
	igt_result_free(r_not_a);
	igt_result_free(r_host);
	igt_result_free(r_all);
	igt_bundle_destroy(a);
	igt_bundle_destroy(b);
}

/* Exec in b until ig's output shows it (ig learns of b through inotify,
 * asynchronously); returns the record. */
static json_t *echo_until_seen(struct igt_proc *p, struct igt_bundle *b, const char *what)
{
	char t[64], tn[80];

	for (int i = 0; i < 20; i++) {
		char *out;
		json_t *o;

		tok(t, what);
		snprintf(tn, sizeof(tn), "%s-%d", t, i);
		echo_in(b, tn);
		usleep(250000);
		out = igt_read_file(p->out_path, NULL);
		o = out ? rec(out, tn) : NULL;
		free(out);
		if (o)
			return o;
	}
	return NULL;
}

Test(ctr_trace, container_started_later_and_exiting, .timeout = 120)
{
	struct igt_proc *p = igt_spawn_ig_ready("run", "trace-exec", "-o", "json", "-v", "-v",
						NULL);
	struct igt_bundle *late, *next;
	char name[80], removed[128];
	struct igt_result *r;
	json_t *o;

	snprintf(name, sizeof(name), "late-%d", getpid());
	late = ctr_start("tr-late", crio_annotations, name);
	o = echo_until_seen(p, late, "late");
	cr_assert_not_null(o, "exec in a container started after ig never seen");
	cr_expect_str_eq(ctr_str(o, "runtime.containerName"), name);
	cr_expect_str_eq(ctr_str(o, "runtime.runtimeName"), "cri-o");
	cr_expect_str_eq(ctr_str(o, "k8s.namespace"), "late-ns");
	cr_expect_str_eq(ctr_str(o, "k8s.podName"), "late-pod");
	cr_expect_str_eq(ctr_str(o, "k8s.podLabels"), "app=late,tier=back");
	json_decref(o);

	/* It exits while ig runs; the next container (which may get the same
	 * mount namespace inode) must be attributed to itself. */
	igt_bundle_destroy(late);
	snprintf(removed, sizeof(removed), "container removed: %s", name);
	cr_expect_eq(ctr_wait_file(p->err_path, removed, 10000), 0, "exit not noticed");
	next = ctr_start("tr-next", NULL, NULL);
	o = echo_until_seen(p, next, "next");
	cr_assert_not_null(o, "exec in the next container never seen");
	cr_expect_str_eq(ctr_str(o, "runtime.containerName"), next->id);
	cr_expect_eq(ctr_int(o, "runtime.containerPid"), igt_bundle_pid(next));
	json_decref(o);
	igt_bundle_destroy(next);

	r = igt_proc_finish(p, SIGINT, 10000);
	cr_expect_eq(r->status, 0, "ig: %s", r->err);
	igt_result_free(r);
}
