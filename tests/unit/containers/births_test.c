// SPDX-License-Identifier: Apache-2.0
/*
 * Container births decided in user space (core/containers/births.c), fed by
 * hand instead of the kernel's ring, against a small fake table: held
 * records come out in order (and with their own copies of the strings) when
 * the container is selected, are dropped when it is not, a `runc exec` is
 * decided by the container it joins, a birth whose init is gone and that
 * no one knows is listed as unnamed, and the hold is bounded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "core/containers/births.h"
#include "core/containers/birth.h"

static struct ctr_entry *v[8], **vp = v;
static size_t nr;
static char released[8][32];
static int nr_released, nr_drains, nr_identified;
static struct ig_container known;	/* what identify() "finds", or id NULL */
static struct ctr_births *b;

static const struct ig_field fields[] = {
	{ "mntns", NULL, IG_FT_UINT, IG_FK_MNTNS },
	{ "comm", NULL, IG_FT_STRING, IG_FK_COMM },
};

static bool selected(void *arg, const struct ig_container *c)
{
	return !strcmp(c->name, "web");
}

static struct ctr_entry *add(const char *name, int pid, uint64_t mntns)
{
	struct ig_container c = { .sz = sizeof(c), .id = name, .name = name, .pid = pid,
				  .mntns = mntns, .runtime = "runc" };
	struct ctr_entry *e = ctr_entry__new(&c);

	cr_assert_not_null(e);
	v[nr++] = e;
	return e;
}

static int identify(void *arg, const struct ig_plugin_query *q)
{
	nr_identified++;
	if (!known.id || known.pid != q->pid)
		return -ENOENT;
	ctr_births__claim(b, add(known.name, known.pid, q->mntns));
	return 0;
}

static int poll_nop(void *arg, struct ctr_pollable *p)
{
	return 0;
}

static void unpoll_nop(void *arg, struct ctr_pollable *p)
{
}

static int release(void *arg, const struct ig_value *vals)
{
	snprintf(released[nr_released++ % 8], sizeof(released[0]), "%s", vals[1].v.s);
	return 0;
}

static void drain(void *arg)
{
	nr_drains++;
}

static const struct ctr_births_table table = { .v = &vp, .nr = &nr, .selected = selected };
static const struct ctr_report_ops ops = {
	.identify = identify, .poll_add = poll_nop, .poll_del = unpoll_nop,
};

static void set_up(void)
{
	b = ctr_births__new(-1, -1, &table, &ops);
	cr_assert_not_null(b);
	ctr_births__set_hold(b, fields, 2, 0, release, drain, NULL);
}

static void tear_down(void)
{
	ctr_births__destroy(b);
	for (size_t i = 0; i < nr; i++)
		ctr_entry__free(v[i]);
}

TestSuite(births, .init = set_up, .fini = tear_down);

static void birth(int pid, uint64_t mntns, const char *parent, const char *cgroup)
{
	struct ig_birth k = { .pid = (uint32_t)pid, .ppid = 1, .mntns = mntns };

	snprintf(k.parent, sizeof(k.parent), "%s", parent);
	snprintf(k.cgroup, sizeof(k.cgroup), "%s", cgroup);
	ctr_births__feed(b, &k);
}

/* A record of mntns whose comm is a copy of text, from a buffer that is
 * overwritten right after: the hold must have its own copy. */
static bool record(uint64_t mntns, const char *text)
{
	char buf[32];
	struct ig_value vals[2] = { ig_val_u64(mntns), ig_val_str(buf) };
	bool held;

	snprintf(buf, sizeof(buf), "%s", text);
	held = ctr_births__hold(b, vals);
	memset(buf, 'X', sizeof(buf) - 1);
	return held;
}

Test(births, held_records_come_out_in_order_when_selected)
{
	struct ctr_entry *e;

	birth(getpid(), 500, "docker", "abc");	/* alive, nobody knows it yet */
	cr_assert(ctr_births__pending(b, 500));
	cr_expect(record(500, "first"));
	cr_expect(record(500, "second"));
	cr_expect_not(record(600, "elsewhere"), "another namespace is not held");
	e = add("web", getpid(), 500);
	ctr_births__claim(b, e);
	cr_expect_not(ctr_births__pending(b, 500));
	cr_assert_eq(nr_released, 2);
	cr_expect_str_eq(released[0], "first");
	cr_expect_str_eq(released[1], "second");
	cr_expect(e->from_start, "its own birth: recorded from the first instruction");
	cr_expect_not(record(500, "after"), "decided: no longer held");
}

Test(births, records_of_a_container_not_selected_are_dropped)
{
	birth(getpid(), 501, "", "x");
	cr_expect(record(501, "secret"));
	ctr_births__claim(b, add("other", getpid(), 501));
	cr_expect_eq(nr_released, 0);
	cr_expect_eq(nr_drains, 1, "the rings are drained before its records are dropped");
	cr_expect_not(ctr_births__pending(b, 501));
}

/* The namespace is checked against the kernel (an inode number can be
 * reused by the time the birth is read): this process's own. */
static uint64_t own_mntns(void)
{
	struct stat sb;

	cr_assert_eq(stat("/proc/self/ns/mnt", &sb), 0);
	return sb.st_ino;
}

Test(births, runc_exec_is_decided_by_the_container_it_joins)
{
	uint64_t ns = own_mntns();
	struct ctr_entry *e = add("web", getpid(), ns);

	birth(getppid(), ns, "docker", "abc");	/* another pid, the same namespace */
	cr_expect_not(ctr_births__pending(b, ns), "decided at once");
	cr_expect_not(e->from_start, "not its own birth");
	cr_expect_eq(nr_identified, 0, "no need to ask the plugins");
}

/* The same namespace inode, but the container's init is not in it (the
 * inode was the namespace of one that is gone): not an exec into it. */
Test(births, a_reused_inode_is_not_an_exec)
{
	struct ctr_entry *e = add("web", getppid(), 701);

	birth(getpid(), 701, "docker", "abc");	/* alive: it waits */
	cr_expect(ctr_births__pending(b, 701), "waits for a runtime to name it");
	cr_expect_not(e->from_start);
	cr_expect_eq(nr_identified, 1, "the plugins were asked");
}

/* The same inode, the container's init in it, but namespace ids that
 * differ: the birth is another namespace's (the ids say, where the kernel
 * has them); equal ids make it an exec. */
Test(births, namespace_ids_decide_an_exec)
{
	uint64_t ns = own_mntns();
	struct ctr_entry *e = add("web", getpid(), ns);
	struct ig_birth k = { .pid = (uint32_t)getppid(), .ppid = 1, .mntns = ns,
			      .mntns_id = 1001 };

	e->c.mntns_id = 1000;
	ctr_births__feed(b, &k);
	cr_expect(ctr_births__pending(b, ns), "another namespace: it waits");
	cr_expect_eq(nr_identified, 1, "the plugins were asked");
	k.mntns_id = 1000;
	ctr_births__feed(b, &k);
	cr_expect_eq(nr_identified, 1, "the same namespace: an exec, decided at once");
}

Test(births, a_plugin_that_knows_it_decides_at_birth)
{
	known = (struct ig_container){ .id = "web", .name = "web", .pid = getpid() };
	birth(getpid(), 502, "docker", "abc");
	cr_expect_eq(nr_identified, 1);
	cr_expect_not(ctr_births__pending(b, 502));
	cr_assert_eq(nr, 1);
	cr_expect(v[0]->from_start);
}

static void collect(void *arg, const char *what)
{
	snprintf(arg, 512, "%s", what);
}

Test(births, gone_and_unknown_is_listed_unnamed)
{
	char what[512] = "";
	pid_t pid = fork();

	if (!pid)
		_exit(0);
	waitpid(pid, NULL, 0);	/* a pid with no process */
	birth(pid, 800, "docker", "3f5e7a");
	cr_expect_not(ctr_births__pending(b, 800));
	cr_expect_eq(nr_identified, 2, "asked at birth, and once more as exited");
	cr_assert_eq(ctr_births__unnamed(b, collect, what), 1);
	cr_expect(strstr(what, "cgroup docker/3f5e7a"), "%s", what);
}

Test(births, the_hold_is_bounded)
{
	birth(getpid(), 900, "", "x");
	for (int i = 0; i < 4100; i++)
		record(900, "r");
	ctr_births__claim(b, add("web", getpid(), 900));
	cr_expect_eq(nr_released, 4096, "%d released", nr_released);
}
