// SPDX-License-Identifier: Apache-2.0
/*
 * ig_containers__set_filter_map() on a real BPF hash map (u64 mntns -> u8):
 * the map holds exactly the mount namespaces of the selected running
 * containers, through additions, removals, shared namespaces and stale
 * entries left in the map before; and a container birth keeps (or puts
 * back) its namespace although the inode was another container's.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <criterion/criterion.h>

#include "core/containers/birth.h"
#include "core/containers/births.h"
#include "core/containers/table.h"

static int new_map(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "igt_mntns", sizeof(uint64_t),
				sizeof(uint8_t), 64, NULL);

	cr_assert_geq(fd, 0, "bpf_map_create: %s", strerror(errno));
	return fd;
}

/* The map's keys as a sorted "a,b,c" string. */
static const char *keys(int fd)
{
	static char buf[512];
	uint64_t k[64], key, *prev = NULL;
	size_t n = 0, off = 0;

	while (n < 64 && !bpf_map_get_next_key(fd, prev, &key)) {
		k[n++] = key;
		prev = &k[n - 1];
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && k[j - 1] > k[j]; j--) {
			uint64_t t = k[j];

			k[j] = k[j - 1];
			k[j - 1] = t;
		}
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%llu", i ? "," : "",
					(unsigned long long)k[i]);
	return buf;
}

static void add(struct ig_containers *cs, const char *id, const char *name, uint64_t mntns)
{
	struct ig_container c = { .sz = sizeof(c), .id = id, .name = name, .pid = getpid(),
				  .mntns = mntns, .netns = 1 };

	cr_assert_eq(ig_containers__add(cs, &c), 0);
}

Test(filter_map, holds_selected_running_mntns, .timeout = 30)
{
	struct ig_containers_opts o = { .sz = sizeof(o), .selector = "web,db,!none" };
	struct ig_containers *cs = ig_containers__new(&o);
	uint64_t stale = 999;
	uint8_t one = 1;
	int fd = new_map();

	cr_assert_not_null(cs);
	cr_assert_eq(bpf_map_update_elem(fd, &stale, &one, BPF_ANY), 0);
	add(cs, "c1", "web", 101);
	add(cs, "c2", "other", 102);
	cr_assert_eq(ig_containers__set_filter_map(cs, fd), 0);
	cr_expect_str_eq(keys(fd), "101", "stale entry dropped, unselected one left out");

	add(cs, "c3", "db", 103);
	add(cs, "c4", "web", 101);	/* a second web in the same mount namespace */
	cr_expect_str_eq(keys(fd), "101,103", "added at once");
	cr_assert_eq(ig_containers__remove(cs, "c1"), 0);
	cr_expect_str_eq(keys(fd), "101,103", "c4 still runs in mntns 101");
	cr_assert_eq(ig_containers__remove(cs, "c4"), 0);
	cr_expect_str_eq(keys(fd), "103");
	cr_assert_eq(ig_containers__remove(cs, "c3"), 0);
	cr_expect_str_eq(keys(fd), "");
	ig_containers__destroy(cs);
	close(fd);
}

Test(filter_map, host_mode_selects_everything, .timeout = 30)
{
	struct ig_containers_opts o = { .sz = sizeof(o), .selector = "web", .host = true };
	struct ig_containers *cs = ig_containers__new(&o);
	int fd = new_map();

	cr_assert_not_null(cs);
	cr_assert_eq(ig_containers__set_filter_map(cs, fd), 0);
	add(cs, "h1", "web", 201);
	add(cs, "h2", "other", 202);
	cr_expect_str_eq(keys(fd), "201,202");
	cr_expect_eq(ig_containers__count(cs), 2);
	ig_containers__destroy(cs);
	close(fd);
}

/* A birth ig read, of a child that stays alive (so it waits undecided). */
static void birth(struct ig_containers *cs, pid_t pid, uint64_t mntns)
{
	struct ig_birth k = { .pid = (uint32_t)pid, .ppid = 1, .mntns = mntns };

	snprintf(k.parent, sizeof(k.parent), "docker");
	snprintf(k.cgroup, sizeof(k.cgroup), "igt-%d", (int)pid);
	ctr_births__feed(ig_containers__births(cs), &k);
}

/* Mount namespace inodes are reused at once: the kernel marks a new
 * container's namespace at its birth, but the entry may be the old
 * container's, which ig takes out when it sees that one go. */
Test(filter_map, a_birth_keeps_or_restores_a_reused_namespace, .timeout = 30)
{
	struct ig_containers_opts o = { .sz = sizeof(o), .selector = "web" };
	struct ig_containers *cs = ig_containers__new(&o);
	int fd = new_map();
	pid_t child = fork();

	if (!child) {
		pause();
		_exit(0);
	}
	cr_assert_not_null(cs);
	cr_assert_eq(ig_containers__set_filter_map(cs, fd), 0);
	cr_assert_eq(ig_containers__set_births(cs, -1), 0);

	add(cs, "c1", "web", 301);
	birth(cs, child, 301);	/* undecided: no runtime knows it */
	cr_assert(ctr_births__pending(ig_containers__births(cs), 301));
	cr_assert_eq(ig_containers__remove(cs, "c1"), 0);
	cr_expect_str_eq(keys(fd), "301", "the waiting birth keeps the reused inode");

	add(cs, "c2", "web", 302);
	cr_assert_eq(ig_containers__remove(cs, "c2"), 0);
	cr_expect_str_eq(keys(fd), "301", "c2's namespace goes with it");
	birth(cs, child, 302);	/* read after the old one's removal took 302 out */
	cr_expect_str_eq(keys(fd), "301,302", "the birth, once read, puts its namespace back");

	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	ig_containers__destroy(cs);
	close(fd);
}
