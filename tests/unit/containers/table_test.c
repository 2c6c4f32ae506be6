// SPDX-License-Identifier: Apache-2.0
/*
 * The container table without plugins (discover = false): containers are
 * added by hand or by a hook message, with this test process as their "init"
 * (a live pid whose namespaces can be read without root).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "core/containers/hook_msg.h"
#include "core/containers/hook_server.h"
#include "core/containers/table.h"
#include "tests/lib/igtest.h"

struct calls {
	int added, removed;
	char last_added[64], last_removed[64];
	bool removed_flag_at_callback;
};

static void on_added(void *arg, const struct ig_container *c)
{
	struct calls *k = arg;

	k->added++;
	snprintf(k->last_added, sizeof(k->last_added), "%s", c->id);
}

static void on_removed(void *arg, const struct ig_container *c)
{
	struct calls *k = arg;

	k->removed++;
	k->removed_flag_at_callback = c->flags & IG_CONTAINER_REMOVED;
	snprintf(k->last_removed, sizeof(k->last_removed), "%s", c->id);
}

static struct ig_containers *table(struct calls *k, const char *selector, bool host)
{
	struct ig_containers_opts o = {
		.sz = sizeof(o), .selector = selector, .host = host, .discover = false,
		.on_added = on_added, .on_removed = on_removed, .cb_arg = k,
	};
	struct ig_containers *cs = ig_containers__new(&o);

	cr_assert_not_null(cs, "%s", strerror(errno));
	cr_assert_eq(ig_containers__start(cs), 0);
	return cs;
}

static int add(struct ig_containers *cs, const char *id, int pid)
{
	struct ig_container c = { .sz = sizeof(c), .id = id, .runtime = "runc", .pid = pid };

	return ig_containers__add(cs, &c);
}

Test(ctr_table, add_lookup_remove)
{
	struct calls k = { 0 };
	struct ig_containers *cs = table(&k, NULL, false);
	const struct ig_container *c;

	cr_assert_eq(add(cs, "one", getpid()), 0);
	cr_expect_eq(k.added, 1);
	c = ig_containers__by_id(cs, "one");
	cr_assert_not_null(c);
	cr_expect_eq(c->mntns, igt_ns_inode(getpid(), "mnt"), "mntns read from /proc/<pid>/ns/mnt");
	cr_expect_eq(c->netns, igt_ns_inode(getpid(), "net"));
	cr_expect_not_null(c->cgroup);
	cr_expect_str_eq(c->name, "one");
	cr_expect_eq(ig_containers__by_mntns(cs, igt_ns_inode(getpid(), "mnt")), c);
	cr_expect_eq(ig_containers__by_netns(cs, igt_ns_inode(getpid(), "net")), c);
	cr_expect_null(ig_containers__by_mntns(cs, 12345));
	cr_expect_null(ig_containers__by_mntns(cs, 0));
	cr_expect_eq(ig_containers__count(cs), 1);

	/* the same id again: merged, no second on_added */
	cr_assert_eq(add(cs, "one", getpid()), 0);
	cr_expect_eq(k.added, 1);

	cr_assert_eq(ig_containers__remove(cs, "one"), 0);
	cr_expect_eq(k.removed, 1);
	cr_expect_not(k.removed_flag_at_callback, "on_removed runs before the flag is set");
	cr_expect_eq(ig_containers__by_id(cs, "one"), c, "removed containers stay");
	cr_expect(c->flags & IG_CONTAINER_REMOVED);
	cr_expect_eq(ig_containers__by_mntns(cs, igt_ns_inode(getpid(), "mnt")), c,
		     "late records still match");
	cr_expect_eq(ig_containers__count(cs), 0);
	cr_expect_eq(ig_containers__remove(cs, "one"), -ENOENT, "removed once only");
	cr_expect_eq(k.removed, 1);
	ig_containers__destroy(cs);
	ig_containers__destroy(NULL);
}

Test(ctr_table, running_container_wins_a_reused_mntns)
{
	struct calls k = { 0 };
	struct ig_containers *cs = table(&k, NULL, false);
	const struct ig_container *c;

	cr_assert_eq(add(cs, "old", getpid()), 0);
	cr_assert_eq(ig_containers__remove(cs, "old"), 0);
	cr_assert_eq(add(cs, "new", getpid()), 0);
	c = ig_containers__by_mntns(cs, igt_ns_inode(getpid(), "mnt"));
	cr_assert_not_null(c);
	cr_expect_str_eq(c->id, "new");
	cr_assert_eq(ig_containers__remove(cs, "new"), 0);
	c = ig_containers__by_mntns(cs, igt_ns_inode(getpid(), "mnt"));
	cr_expect_str_eq(c->id, "new", "then the newest removed one");
	ig_containers__destroy(cs);
}

Test(ctr_table, gone_pid_is_refused)
{
	struct calls k = { 0 };
	struct ig_containers *cs = table(&k, NULL, false);
	pid_t child = fork();

	cr_assert_geq(child, 0);
	if (!child)
		_exit(0);
	waitpid(child, NULL, 0);
	cr_expect_eq(add(cs, "dead", child), -ESRCH);
	cr_expect_eq(k.added, 0);
	cr_expect_null(ig_containers__by_id(cs, "dead"));
	ig_containers__destroy(cs);
}

static int count_cb(void *arg, const struct ig_container *c)
{
	(*(int *)arg)++;
	return 0;
}

Test(ctr_table, exit_is_noticed_through_pidfd)
{
	struct calls k = { 0 };
	struct ig_containers *cs = table(&k, NULL, false);
	int fd, n = 0;
	pid_t child = fork();

	cr_assert_geq(child, 0);
	if (!child) {
		pause();
		_exit(0);
	}
	cr_assert_eq(add(cs, "kid", child), 0);
	cr_assert_eq(ig_containers__fds(cs, &fd, 1), 1);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	for (int i = 0; i < 50 && !k.removed; i++) {
		usleep(20000);
		ig_containers__dispatch(cs, fd);
	}
	cr_expect_eq(k.removed, 1);
	cr_expect_str_eq(k.last_removed, "kid");
	ig_containers__foreach(cs, count_cb, &n);
	cr_expect_eq(n, 1, "foreach includes removed containers");
	ig_containers__destroy(cs);
}

Test(ctr_table, selection)
{
	struct calls k = { 0 };
	struct ig_containers *cs = table(&k, "web,!db", false);
	struct ig_containers *all = table(&k, NULL, true);
	struct ig_container web = { .sz = sizeof(web), .name = "web" };
	struct ig_container db = { .sz = sizeof(db), .name = "db" };

	cr_expect(ig_containers__selected(cs, &web));
	cr_expect_not(ig_containers__selected(cs, &db));
	cr_expect(ig_containers__selected(all, &db), "--host selects everything");
	cr_assert_eq(add(cs, "db", getpid()), 0);
	cr_expect_eq(ig_containers__count(cs), 0, "count covers selected ones only");
	ig_containers__destroy(cs);
	ig_containers__destroy(all);
}

Test(ctr_table, bad_selector_is_refused)
{
	struct ig_containers_opts o = { .sz = sizeof(o), .selector = "a,,b" };

	cr_redirect_stderr();
	cr_expect_null(ig_containers__new(&o));
	cr_expect_eq(errno, EINVAL);
}

Test(ctr_table, hook_messages)
{
	struct calls k = { 0 };
	struct ig_containers *cs = table(&k, NULL, false);
	const struct ctr_report_ops *ops = ig_containers__report_ops(cs);
	const struct ig_container *c;
	char msg[1024], err[256] = "";
	pid_t child = igt_mntns_child();	/* a container's init, as far as ig can tell */

	snprintf(msg, sizeof(msg),
		 "{\"stage\":\"createRuntime\",\"state\":{\"ociVersion\":\"1.0.2\","
		 "\"id\":\"hooked\",\"status\":\"creating\",\"pid\":%d,\"bundle\":\"/b\","
		 "\"annotations\":{\"io.kubernetes.pod.name\":\"p\","
		 "\"io.kubernetes.container.name\":\"app\",\"io.kubernetes.cri-o.Labels\":"
		 "\"{\\\"tier\\\":\\\"front\\\"}\"}}}", child);
	cr_assert_eq(ctr_hook_apply(ops, msg, strlen(msg), err, sizeof(err)), 0, "%s", err);
	c = ig_containers__by_id(cs, "hooked");
	cr_assert_not_null(c);
	cr_expect_str_eq(c->name, "app");
	cr_expect_str_eq(c->runtime, "cri-o");
	cr_expect_str_eq(c->k8s_pod, "p");
	cr_expect_str_eq(c->bundle, "/b");
	cr_assert_eq(c->nr_labels, 1);
	cr_expect_str_eq(c->labels[0].value, "front");
	cr_expect_eq(c->mntns, igt_ns_inode(child, "mnt"));
	cr_expect_gt(c->created_ns, 0);

	snprintf(msg, sizeof(msg), "{\"stage\":\"poststop\",\"state\":{\"id\":\"hooked\"}}");
	cr_expect_eq(ctr_hook_apply(ops, msg, strlen(msg), err, sizeof(err)), -EBUSY,
		     "its init still runs");
	cr_expect_not(c->flags & IG_CONTAINER_REMOVED);
	igt_child_kill(child);
	cr_assert_eq(ctr_hook_apply(ops, msg, strlen(msg), err, sizeof(err)), 0, "%s", err);
	cr_expect(c->flags & IG_CONTAINER_REMOVED);

	cr_expect_eq(ctr_hook_apply(ops, "{", 1, err, sizeof(err)), -EINVAL);
	snprintf(msg, sizeof(msg), "{\"stage\":\"prestart\",\"state\":{\"id\":\"x\"}}");
	cr_expect_eq(ctr_hook_apply(ops, msg, strlen(msg), err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "no valid pid"), "%s", err);
	ig_containers__destroy(cs);
}

/* Many containers, given namespaces (the reporter knows them): the sorted
 * index must find each, remember misses, and forget them on a change. */
Test(ctr_table, index_lookups)
{
	struct calls k = { 0 };
	struct ig_containers *cs = table(&k, NULL, false);
	char id[32];

	for (int i = 0; i < 50; i++) {
		struct ig_container c = { .sz = sizeof(c), .id = id, .pid = getpid(),
					  .mntns = 5000 + (uint64_t)(i * 7 % 50),
					  .netns = 9000 + (uint64_t)i };

		snprintf(id, sizeof(id), "c%d", i);
		cr_assert_eq(ig_containers__add(cs, &c), 0);
	}
	for (int i = 0; i < 50; i++) {
		const struct ig_container *c = ig_containers__by_mntns(cs, 5000 + (uint64_t)i);

		cr_assert_not_null(c, "mntns %d", 5000 + i);
		cr_expect_eq(c->mntns, 5000 + (uint64_t)i);
		cr_expect_eq(ig_containers__by_mntns(cs, 5000 + (uint64_t)i), c, "cached");
		c = ig_containers__by_netns(cs, 9000 + (uint64_t)i);
		cr_assert_not_null(c);
		snprintf(id, sizeof(id), "c%d", i);
		cr_expect_str_eq(c->id, id);
	}
	cr_expect_null(ig_containers__by_mntns(cs, 4999));
	cr_expect_null(ig_containers__by_mntns(cs, 4999), "remembered miss");
	{
		struct ig_container c = { .sz = sizeof(c), .id = "late", .pid = getpid(),
					  .mntns = 4999 };

		cr_assert_eq(ig_containers__add(cs, &c), 0);
	}
	cr_assert_not_null(ig_containers__by_mntns(cs, 4999), "a miss is forgotten on add");
	cr_expect_str_eq(ig_containers__by_mntns(cs, 4999)->id, "late");
	ig_containers__destroy(cs);
}

/*
 * A report whose process's namespaces cannot be read (a zombie: /proc/<pid>/ns
 * is gone) but that names its mntns: the netns stays unknown until a second
 * report of the same id brings it. Lookups by netns must then find it, even
 * after a lookup remembered the miss.
 */
Test(ctr_table, netns_learnt_by_a_later_report_is_found)
{
	struct calls k = { 0 };
	struct ig_containers *cs = table(&k, NULL, false);
	struct ig_container c = { .sz = sizeof(c), .id = "late-net", .mntns = 7001 };
	const struct ig_container *got;
	pid_t child = fork();

	cr_assert_geq(child, 0);
	if (!child)
		_exit(0);
	cr_assert_eq(waitid(P_PID, child, NULL, WEXITED | WNOWAIT), 0, "child is a zombie now");
	c.pid = child;
	cr_assert_eq(ig_containers__add(cs, &c), 0);
	got = ig_containers__by_id(cs, "late-net");
	cr_assert_not_null(got);
	cr_assert_eq(got->netns, 0, "a zombie's netns cannot be read");
	cr_expect_null(ig_containers__by_netns(cs, 7002), "not known yet: a remembered miss");

	c.netns = 7002;
	cr_assert_eq(ig_containers__add(cs, &c), 0, "same id: merged");
	cr_expect_eq(got->netns, 7002);
	cr_expect_eq(ig_containers__by_netns(cs, 7002), got, "netns index refreshed on merge");
	cr_expect_eq(ig_containers__by_mntns(cs, 7001), got);
	cr_expect_eq(k.added, 1);
	ig_containers__destroy(cs);
	waitpid(child, NULL, 0);
}
