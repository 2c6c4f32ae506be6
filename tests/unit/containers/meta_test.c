// SPDX-License-Identifier: Apache-2.0
/*
 * Container metadata: names derived from containerd-CRI and CRI-O
 * annotations, label sorting, the -c selector, cgroup parsing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "core/containers/meta.h"
#include "core/containers/selector.h"

#define N(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

/* What a runtime's annotations must yield, containerd's and CRI-O's alike. */
struct k8s_want {
	const char *name, *ns, *pod, *uid, *container, *image;
};

static void expect_k8s(const struct ig_container *c, const struct k8s_want *w)
{
	cr_expect_str_eq(c->name, w->name);
	cr_expect_str_eq(c->k8s_namespace, w->ns);
	cr_expect_str_eq(c->k8s_pod, w->pod);
	cr_expect_str_eq(c->k8s_pod_uid, w->uid);
	cr_expect_str_eq(c->k8s_container, w->container);
	cr_expect_str_eq(c->image, w->image);
}

Test(ctr_meta, containerd_cri_annotations)
{
	static const struct ig_label a[] = {
		{ "io.kubernetes.cri.sandbox-uid", "uid-1" },
		{ "io.kubernetes.cri.container-type", "container" },
		{ "io.kubernetes.cri.sandbox-namespace", "prod" },
		{ "io.kubernetes.cri.container-name", "nginx" },
		{ "io.kubernetes.cri.sandbox-name", "web-7d4" },
		{ "io.kubernetes.cri.image-name", "docker.io/library/nginx:1.25" },
	};
	struct ig_container in = { .sz = sizeof(in), .id = "abc123", .runtime = "containerd",
				   .pid = 1, .annotations = a, .nr_annotations = N(a) };
	struct ctr_entry *e = ctr_entry__new(&in);

	cr_assert_not_null(e);
	expect_k8s(&e->c, &(struct k8s_want){ "nginx", "prod", "web-7d4", "uid-1", "nginx",
					       "docker.io/library/nginx:1.25" });
	cr_expect_str_eq(e->c.id, "abc123");
	cr_expect_str_eq(e->c.runtime, "containerd");
	cr_expect_eq(e->c.nr_labels, 0, "containerd annotations carry no pod labels");
	cr_assert_eq(e->c.nr_annotations, N(a));
	for (uint32_t i = 1; i < e->c.nr_annotations; i++)
		cr_expect_lt(strcmp(e->c.annotations[i - 1].key, e->c.annotations[i].key), 0,
			     "annotations sorted");
	cr_expect_str_eq(ctr_annotation(&e->c, "io.kubernetes.cri.container-type"),
			 "container");
	cr_expect_null(ctr_annotation(&e->c, "io.kubernetes.cri"));
	cr_expect_str_eq(ctr_runtime_from_annotations(&e->c, "runc"), "containerd");
	ctr_entry__free(e);
}

Test(ctr_meta, crio_annotations_and_labels)
{
	static const struct ig_label a[] = {
		{ "io.kubernetes.pod.namespace", "kube-system" },
		{ "io.kubernetes.pod.name", "coredns-5d7" },
		{ "io.kubernetes.pod.uid", "u-2" },
		{ "io.kubernetes.container.name", "coredns" },
		{ "io.kubernetes.cri-o.ImageName", "registry.k8s.io/coredns:v1.11" },
		{ "io.kubernetes.cri-o.Labels",
		  "{\"zone\":\"a\",\"app\":\"dns\",\"io.kubernetes.pod.name\":\"coredns-5d7\","
		  "\"k8s-app\":\"kube-dns\",\"n\":5}" },
	};
	struct ig_container in = { .sz = sizeof(in), .id = "c0ffee", .pid = 1,
				   .annotations = a, .nr_annotations = N(a) };
	struct ctr_entry *e = ctr_entry__new(&in);

	cr_assert_not_null(e);
	expect_k8s(&e->c, &(struct k8s_want){ "coredns", "kube-system", "coredns-5d7", "u-2",
					       "coredns", "registry.k8s.io/coredns:v1.11" });
	/* sorted by key, kubelet's io.kubernetes.* and non-strings dropped */
	cr_assert_eq(e->c.nr_labels, 3);
	cr_expect_str_eq(e->c.labels[0].key, "app");
	cr_expect_str_eq(e->c.labels[0].value, "dns");
	cr_expect_str_eq(e->c.labels[1].key, "k8s-app");
	cr_expect_str_eq(e->c.labels[2].key, "zone");
	cr_expect_str_eq(ctr_runtime_from_annotations(&e->c, "runc"), "cri-o");
	cr_expect_null(e->c.runtime, "runtime is the reporter's to say");
	ctr_entry__free(e);
}

Test(ctr_meta, plain_runc_is_named_by_id)
{
	struct ig_container in = { .sz = sizeof(in), .id = "mybox", .runtime = "runc", .pid = 1 };
	struct ctr_entry *e = ctr_entry__new(&in);

	cr_assert_not_null(e);
	cr_expect_str_eq(e->c.name, "mybox");
	cr_expect_null(e->c.k8s_namespace);
	cr_expect_null(e->c.k8s_pod);
	cr_expect_null(e->c.image);
	cr_expect_eq(e->c.nr_annotations, 0);
	cr_expect_str_eq(ctr_runtime_from_annotations(&e->c, "runc"), "runc");
	ctr_entry__free(e);
}

Test(ctr_meta, reporter_name_and_merge)
{
	static const struct ig_label a[] = {
		{ "k", "first" }, { "k", "dup" }, { "io.kubernetes.cri.image-name", "img" },
	};
	struct ig_container in = { .sz = sizeof(in), .id = "x", .name = "given", .pid = 1,
				   .annotations = a, .nr_annotations = N(a) };
	struct ig_container more = { .sz = sizeof(more), .id = "x", .name = "other",
				     .image = "ignored", .bundle = "/b", .runtime = "docker" };
	struct ctr_entry *e = ctr_entry__new(&in);

	cr_assert_not_null(e);
	cr_expect_str_eq(e->c.name, "given");
	cr_assert_eq(e->c.nr_annotations, 2, "duplicate key dropped");
	cr_expect_str_eq(ctr_annotation(&e->c, "k"), "first");
	cr_assert_eq(ctr_entry__merge(e, &more), 0);
	cr_expect_str_eq(e->c.name, "given", "first report wins");
	cr_expect_str_eq(e->c.image, "img");
	cr_expect_str_eq(e->c.bundle, "/b", "missing fields are filled");
	cr_expect_str_eq(e->c.runtime, "docker");
	ctr_entry__free(e);
	ctr_entry__free(NULL);
}

Test(ctr_meta, old_small_struct_is_read_by_its_size)
{
	/* A plugin built when struct ig_container ended after pid. */
	struct ig_container in = { .sz = offsetof(struct ig_container, pad0), .id = "old",
				   .pid = 3, .bundle = "/must/not/be/read" };
	struct ctr_entry *e = ctr_entry__new(&in);

	cr_assert_not_null(e);
	cr_expect_eq(e->c.pid, 3);
	cr_expect_null(e->c.bundle);
	ctr_entry__free(e);
}

Test(ctr_meta, rejects_report_without_id)
{
	struct ig_container in = { .sz = sizeof(in), .pid = 1 };

	cr_expect_null(ctr_entry__new(&in));
	cr_expect_eq(errno, EINVAL);
	in.id = "";
	cr_expect_null(ctr_entry__new(&in));
	cr_expect_null(ctr_entry__new(NULL));
}

/* Parse once, match many: the parsed form must not depend on the text. */
static bool sel_match(const char *text, const char *name)
{
	struct ctr_selector sel;
	char err[256] = "";
	char *copy = text ? strdup(text) : NULL;
	bool hit;

	cr_assert_eq(ctr_selector__parse(&sel, copy, err, sizeof(err)), 0, "%s", err);
	if (copy)
		memset(copy, 'x', strlen(copy));	/* the caller's text may go away */
	hit = ctr_selector__match(&sel, name);
	cr_expect_eq(ctr_selector__match(&sel, name), hit, "matching leaves sel as it was");
	ctr_selector__fini(&sel);
	free(copy);
	return hit;
}

Test(ctr_meta, selector)
{
	cr_expect(sel_match(NULL, "a"));
	cr_expect(sel_match("a,b", "a"));
	cr_expect(sel_match("a,b", "b"));
	cr_expect_not(sel_match("a,b", "c"));
	cr_expect_not(sel_match("a,b", "ab"), "whole names only");
	cr_expect_not(sel_match("ab", "a"));
	cr_expect_not(sel_match("!a", "a"));
	cr_expect(sel_match("!a", "b"), "only exclusions: everything else");
	cr_expect(sel_match("a,!b", "a"));
	cr_expect_not(sel_match("a,!b", "b"));
	cr_expect_not(sel_match("a,!b", "c"));
	cr_expect_not(sel_match("!a,!b", "b"));
	cr_expect(sel_match("!a,!b", "c"));
	cr_expect_not(sel_match("a,!a", "a"), "an exclusion beats a name");
	cr_expect(sel_match("!a", NULL), "no name is the empty name");
}

Test(ctr_meta, selector_check)
{
	char err[256] = "";

	cr_expect_eq(ctr_selector_check(NULL, err, sizeof(err)), 0);
	cr_expect_eq(ctr_selector_check("a,!b", err, sizeof(err)), 0);
	cr_expect_eq(ctr_selector_check("", err, sizeof(err)), -EINVAL);
	cr_expect_eq(ctr_selector_check("a,,b", err, sizeof(err)), -EINVAL);
	cr_expect_eq(ctr_selector_check("!", err, sizeof(err)), -EINVAL);
	cr_expect_eq(ctr_selector_check("a,", err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "'a,'") && strstr(err, "-c"), "%s", err);
	cr_expect_eq(ctr_selector_check("a,b,!", err, sizeof(err)), -EINVAL);
}

Test(ctr_meta, cgroup_text)
{
	char *p;

	p = ctr_cgroup_from_text("9:name=systemd:/sys\n4:memory:/mem\n0::/exp1\n");
	cr_expect_str_eq(p, "/exp1", "v2 entry preferred");
	free(p);
	p = ctr_cgroup_from_text("4:memory:/mem/x\n9:name=systemd:/sd/x\n");
	cr_expect_str_eq(p, "/sd/x", "then name=systemd");
	free(p);
	p = ctr_cgroup_from_text("4:memory:/mem/x\n3:cpu:/cpu/x");
	cr_expect_str_eq(p, "/mem/x", "then the first");
	free(p);
	cr_expect_null(ctr_cgroup_from_text(""));
	cr_expect_null(ctr_cgroup_from_text("garbage\n"));
}
