// SPDX-License-Identifier: Apache-2.0
/*
 * Enrichment: a gadget with a MNTNS (or NETNS) field gets container and
 * Kubernetes columns, filled from a real container table (the container is
 * this test process, registered by hand like command and hook modes do).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/engine/enrich.h"
#include "tests/lib/igtest.h"

static const struct ig_field with_mntns[] = {
	{ "pid", "", IG_FT_UINT, IG_FK_PID },
	{ "mntns", "", IG_FT_UINT, IG_FK_MNTNS, 0, 0, IG_FIELD_HIDDEN },
};

static const struct ig_field with_netns[] = {
	{ "netns", "", IG_FT_UINT, IG_FK_NETNS },
	{ "comm", "", IG_FT_STRING, IG_FK_COMM },
};

static const struct ig_field plain[] = {
	{ "pid", "", IG_FT_UINT, IG_FK_PID },
};

static struct ig_containers *table_with_me(void)
{
	static const struct ig_label labels[] = { { "app", "web" }, { "tier", "front" } };
	struct ig_containers_opts o = { .sz = sizeof(o), .discover = false };
	struct ig_container c = { .sz = sizeof(c) };
	struct ig_containers *cs = ig_containers__new(&o);

	cr_assert_not_null(cs);
	c.runtime = "runc";
	c.id = "0123456789abcdef";
	c.name = "web-1";
	c.image = "busybox:1.36";
	c.pid = getpid();
	c.k8s_namespace = "prod";
	c.k8s_pod = "web-1-abc";
	c.k8s_container = "web";
	c.labels = labels;
	c.nr_labels = 2;
	cr_assert_eq(ig_containers__add(cs, &c), 0);
	return cs;
}

Test(enrich, columns_appended_only_with_a_namespace_field)
{
	struct ig_enrich e;

	cr_assert_eq(ig_enrich__init(&e, with_mntns, 2), 0);
	cr_assert_eq(e.nr_fields, 2 + IG_ENRICH_MAX_FIELDS);
	cr_assert_str_eq(e.fields[2].name, "runtime.containerName");
	cr_assert_not(e.fields[2].flags & IG_FIELD_HIDDEN, "container name is shown");
	cr_assert_str_eq(e.fields[10].name, "k8s.podLabels");
	cr_assert(e.fields[10].flags & IG_FIELD_HIDDEN);
	ig_enrich__fini(&e);

	cr_assert_eq(ig_enrich__init(&e, plain, 1), 0);
	cr_assert_eq(e.nr_fields, 1, "no namespace field, no enrichment");
	ig_enrich__fini(&e);
}

Test(enrich, filled_from_the_container_table)
{
	struct ig_containers *cs = table_with_me();
	struct ig_value in[2] = { ig_val_u64(42), ig_val_u64(igt_ns_inode(getpid(), "mnt")) };
	const struct ig_value *out;
	struct ig_enrich e;

	cr_assert_eq(ig_enrich__init(&e, with_mntns, 2), 0);
	out = ig_enrich__fill(&e, cs, in);
	cr_assert_eq(out[0].v.u, 42, "gadget values first, unchanged");
	cr_assert_str_eq(out[2].v.s, "web-1");
	cr_assert_str_eq(out[3].v.s, "0123456789abcdef");
	cr_assert_str_eq(out[4].v.s, "runc");
	cr_assert_eq(out[5].v.u, (uint64_t)getpid());
	cr_assert_str_eq(out[6].v.s, "busybox:1.36");
	cr_assert_str_eq(out[7].v.s, "prod");
	cr_assert_str_eq(out[8].v.s, "web-1-abc");
	cr_assert_str_eq(out[9].v.s, "web");
	cr_assert_str_eq(out[10].v.s, "app=web,tier=front");

	/* Another namespace: every enrichment value unset. */
	in[1] = ig_val_u64(1);
	out = ig_enrich__fill(&e, cs, in);
	for (int i = 2; i < 11; i++)
		cr_assert_not(out[i].flags & IG_VALUE_SET, "column %d set for an unknown mntns", i);
	ig_enrich__fini(&e);
	ig_containers__destroy(cs);
}

Test(enrich, by_netns_when_no_mntns)
{
	struct ig_containers *cs = table_with_me();
	struct ig_value in[2] = { ig_val_u64(igt_ns_inode(getpid(), "net")), ig_val_str("x") };
	const struct ig_value *out;
	struct ig_enrich e;

	cr_assert_eq(ig_enrich__init(&e, with_netns, 2), 0);
	cr_assert(e.by_netns);
	out = ig_enrich__fill(&e, cs, in);
	cr_assert_str_eq(out[2].v.s, "web-1");
	ig_enrich__fini(&e);
	ig_containers__destroy(cs);
}

static void add_ctr(struct ig_containers *cs, const char *id, uint64_t mntns,
		    const struct ig_label *labels, uint32_t nr)
{
	struct ig_container c = { .sz = sizeof(c), .id = id, .pid = getpid(), .mntns = mntns,
				  .labels = labels, .nr_labels = nr };

	cr_assert_eq(ig_containers__add(cs, &c), 0);
}

/*
 * The labels text belongs to the container (built when its labels became
 * known), not to a scratch buffer of the last record: a value handed out for
 * one container stays what it was after a record of another one, and labels
 * a later report brings show up.
 */
Test(enrich, pod_labels_text_is_per_container)
{
	static const struct ig_label la[] = { { "app", "a" } };
	static const struct ig_label lb[] = { { "app", "bbbbbbbb" }, { "z", "1" } };
	struct ig_containers_opts o = { .sz = sizeof(o), .discover = false };
	struct ig_containers *cs = ig_containers__new(&o);
	struct ig_value in[2] = { ig_val_u64(1), ig_val_u64(8001) };
	const struct ig_value *out;
	const char *text_a;
	struct ig_enrich e;

	cr_assert_not_null(cs);
	add_ctr(cs, "a", 8001, la, 1);
	add_ctr(cs, "b", 8002, lb, 2);
	add_ctr(cs, "c", 8003, NULL, 0);
	cr_assert_eq(ig_enrich__init(&e, with_mntns, 2), 0);

	out = ig_enrich__fill(&e, cs, in);
	text_a = out[10].v.s;
	cr_assert_str_eq(text_a, "app=a");
	in[1] = ig_val_u64(8002);
	out = ig_enrich__fill(&e, cs, in);
	cr_assert_str_eq(out[10].v.s, "app=bbbbbbbb,z=1");
	cr_expect_str_eq(text_a, "app=a", "container a's text unchanged by a record of b");
	in[1] = ig_val_u64(8001);
	cr_expect_eq(ig_enrich__fill(&e, cs, in)[10].v.s, text_a, "built once, reused");

	in[1] = ig_val_u64(8003);
	out = ig_enrich__fill(&e, cs, in);
	cr_expect_not(out[10].flags & IG_VALUE_SET, "no labels, no value");
	add_ctr(cs, "c", 8003, la, 1);	/* a second report of c brings labels */
	out = ig_enrich__fill(&e, cs, in);
	cr_assert(out[10].flags & IG_VALUE_SET);
	cr_expect_str_eq(out[10].v.s, "app=a");
	ig_enrich__fini(&e);
	ig_containers__destroy(cs);
}
