// SPDX-License-Identifier: Apache-2.0
/*
 * Runtime plugin loading through dlopen: the built runc.so is loaded from a
 * plugin directory and finds a container in a fake state root; a shared
 * object that is no plugin and a plugin writable by others are refused with
 * one line each, and the good one still loads.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "core/containers/table.h"
#include "tests/lib/igtest.h"

static void copy(const char *from, const char *to, mode_t mode)
{
	char cmd[PATH_MAX * 2 + 16];

	snprintf(cmd, sizeof(cmd), "cp %s %s", from, to);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	cr_assert_eq(chmod(to, mode), 0);
}

/* Field 22 of /proc/self/stat: what runc records as init_process_start. */
static unsigned long long start_time(pid_t pid)
{
	char buf[1024], path[64], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	p = strrchr(buf, ')') + 2;	/* at field 3 */
	for (int i = 3; i < 22; i++)
		p = strchr(p, ' ') + 1;
	return strtoull(p, NULL, 10);
}

static int added;

static void on_added(void *arg, const struct ig_container *c)
{
	if (!strcmp(c->id, "ut-plugin"))
		added++;
}

Test(ctr_plugins, load_refuse_and_discover, .timeout = 30)
{
	char dir[] = "/tmp/igt-plugins-XXXXXX", root[] = "/tmp/igt-proot-XXXXXX";
	char so[PATH_MAX], path[PATH_MAX + 32], cmd[PATH_MAX], err[4096] = "";
	const char *roots[] = { root, NULL };
	struct ig_containers_opts o = {
		.sz = sizeof(o), .plugin_dir = dir, .runtime_roots = roots, .discover = true,
		.on_added = on_added,
	};
	struct ig_containers *cs;
	pid_t child;
	FILE *f;

	cr_redirect_stderr();
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_not_null(mkdtemp(root));
	snprintf(so, sizeof(so), "%s/plugins/runc.so", igt_build_dir());
	snprintf(path, sizeof(path), "%s/a-runc.so", dir);
	copy(so, path, 0755);
	snprintf(path, sizeof(path), "%s/b-zlib.so", dir);
	copy("/lib/x86_64-linux-gnu/libz.so.1", path, 0755);
	snprintf(path, sizeof(path), "%s/c-writable.so", dir);
	copy(so, path, 0775);

	/* a container of the fake root: a child in a mount namespace of its
	 * own (the table refuses ig's own namespace from a plugin) */
	child = igt_mntns_child();
	snprintf(path, sizeof(path), "%s/ut-plugin", root);
	cr_assert_eq(mkdir(path, 0711), 0);
	strcat(path, "/state.json");
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "{\"id\":\"ut-plugin\",\"init_process_pid\":%d,\"init_process_start\":%llu}",
		child, start_time(child));
	fclose(f);

	cs = ig_containers__new(&o);
	cr_assert_not_null(cs, "%s", strerror(errno));
	cr_assert_eq(ig_containers__start(cs), 0);
	cr_expect_eq(added, 1, "the loaded plugin found the container");
	cr_expect_not_null(ig_containers__by_id(cs, "ut-plugin"));
	ig_containers__destroy(cs);
	igt_child_kill(child);

	fflush(stderr);
	f = cr_get_redirected_stderr();
	cr_assert_not_null(f);
	fread(err, 1, sizeof(err) - 1, f);
	cr_expect(strstr(err, "refusing plugin") &&
		  strstr(err, "b-zlib.so: not a plugin: no entry symbol ig_plugin_entry"), "%s", err);
	cr_expect(strstr(err, "c-writable.so: file is writable by group"), "%s", err);
	cr_expect_not(strstr(err, "a-runc.so"), "the good one loads silently: %s", err);
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", dir, root);
	cr_expect_eq(system(cmd), 0);
}
