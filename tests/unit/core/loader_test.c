// SPDX-License-Identifier: Apache-2.0
/*
 * The gadget loader's checks, on real .so files: fixture gadgets built from
 * tests/fixtures/gadgets/fixture.c (one per ABI variant), a text file, and
 * a good gadget made world-writable or put in a world-writable directory.
 * Each refusal must be one line naming the file and the reason, and the
 * other gadgets in the same directory must still load.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/module.h"
#include "core/engine/loader.h"
#include "tests/lib/igtest.h"

static char dir[64];

static void copy(const char *src, const char *dst, mode_t mode)
{
	size_t len;
	char *data = igt_read_file(src, &len);
	int fd;

	cr_assert_not_null(data, "fixture %s missing: run make tests-build", src);
	fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0, "%s: %s", dst, strerror(errno));
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
	cr_assert_eq(chmod(dst, mode), 0);
	free(data);
}

static void fixture(const char *variant, const char *name, mode_t mode)
{
	char src[512], dst[512];

	snprintf(src, sizeof(src), "%s/tests/fixtures/gadgets/%s.so", igt_build_dir(), variant);
	snprintf(dst, sizeof(dst), "%s/%s", dir, name);
	copy(src, dst, mode);
}

static void setup(void)
{
	igt_tmpdir_new(dir, sizeof(dir), "loader");
}

static void teardown(void)
{
	igt_tmpdir_remove(dir);
}

TestSuite(loader, .init = setup, .fini = teardown);

/* Open dir/name and expect a refusal whose reason contains want. */
static void expect_refused(const char *name, const char *want)
{
	char path[512], why[256] = "";
	struct ig_gadget_mod *m;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	m = ig_gadget_mod__open(path, why, sizeof(why));
	cr_assert_null(m, "%s was accepted", name);
	cr_assert(strstr(why, want), "%s: reason '%s' lacks '%s'", name, why, want);
}

Test(loader, good_gadget_loads_and_is_normalised)
{
	char path[512], why[256] = "";
	struct ig_gadget_mod *m;

	fixture("good", "good.so", 0755);
	snprintf(path, sizeof(path), "%s/good.so", dir);
	m = ig_gadget_mod__open(path, why, sizeof(why));
	cr_assert_not_null(m, "%s", why);
	cr_assert_str_eq(m->desc->name, "fixture-good");
	cr_assert_eq(m->nr_fields, 1);
	cr_assert_str_eq(m->fields[0].name, "value");
	cr_assert_eq(m->nr_params, 4);
	cr_assert_str_eq(m->params[1].name, "mode");
	cr_assert_eq(m->params[1].short_name, 'm');
	ig_gadget_mod__close(m);
}

Test(loader, wrong_major)
{
	char want[128];

	fixture("wrong_major", "wm.so", 0755);
	snprintf(want, sizeof(want), "built for gadget ABI %d.%d, but this ig has ABI %d.%d",
		 IG_GADGET_ABI_MAJOR + 1, IG_GADGET_ABI_MINOR, IG_GADGET_ABI_MAJOR,
		 IG_GADGET_ABI_MINOR);
	expect_refused("wm.so", want);
}

Test(loader, newer_minor)
{
	char want[128];

	fixture("new_minor", "nm.so", 0755);
	snprintf(want, sizeof(want), "built for gadget ABI %d.%d, newer than this ig's %d.%d",
		 IG_GADGET_ABI_MAJOR, IG_GADGET_ABI_MINOR + 1, IG_GADGET_ABI_MAJOR,
		 IG_GADGET_ABI_MINOR);
	expect_refused("nm.so", want);
}

/* A gadget built against the frozen 1.0 header (fixture old_minor) loads
 * as it is: same descriptor size, its own minor kept, tables intact; it is
 * listed and its help renders. Running it: tests/kernel/core/ring_drain_test.c. */
Test(loader, previous_minor_still_loads)
{
	char path[512], why[256] = "";
	struct ig_gadget_mod *m;
	struct igt_result *r;

	cr_assert_geq(IG_GADGET_ABI_MINOR, 1, "no previous minor to test");
	fixture("old_minor", "fixture-old.so", 0755);
	snprintf(path, sizeof(path), "%s/fixture-old.so", dir);
	m = ig_gadget_mod__open(path, why, sizeof(why));
	cr_assert_not_null(m, "a 1.0 gadget was refused: %s", why);
	cr_assert_eq(m->desc->abi_major, IG_GADGET_ABI_MAJOR);
	cr_assert_eq(m->desc->abi_minor, 0, "not built against the 1.0 header");
	cr_assert_str_eq(m->desc->name, "fixture-old");
	cr_assert_eq(m->nr_params, 4);
	cr_assert_str_eq(m->params[3].name, "lose");
	ig_gadget_mod__close(m);

	r = igt_ig(10000, "list", "--gadget-path", dir, NULL);
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_eq(r->err_len, 0, "refused: %s", r->err);
	cr_assert(strstr(r->out, "fixture-old"), "%s", r->out);
	igt_result_free(r);
	r = igt_ig(10000, "run", "--gadget-path", dir, "fixture-old", "--help", NULL);
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert(strstr(r->out, "--count UINT"), "%s", r->out);
	igt_result_free(r);
}

/* Built against the frozen 1.3 header: no hook table (ABI 1.4), so the host
 * reads none and such a gadget is always ready, with no attach points. */
Test(loader, gadget_without_hook_table_loads)
{
	char path[512], why[256] = "";
	struct ig_gadget_mod *m;

	cr_assert_geq(IG_GADGET_ABI_MINOR, 4, "no 1.3 to test");
	fixture("minor_1_3", "fixture-1-3.so", 0755);
	snprintf(path, sizeof(path), "%s/fixture-1-3.so", dir);
	m = ig_gadget_mod__open(path, why, sizeof(why));
	cr_assert_not_null(m, "a 1.3 gadget was refused: %s", why);
	cr_assert_eq(m->desc->abi_minor, 3, "not built against the 1.3 header");
	cr_assert_lt(m->desc->sz, offsetof(struct ig_gadget_desc, hooks));
	cr_assert_eq(m->nr_hooks, 0);
	cr_assert_null(m->hooks);
	ig_gadget_mod__close(m);
}

/* What an old gadget's IG_HOST_HAS() sees on a newer host, and what a new
 * gadget's sees on an older one (a host struct cut at the 1.0 size). */
Test(loader, host_has_by_size)
{
	struct ig_host h = { .sz = offsetof(struct ig_host, ring_drain) };

	cr_assert(IG_HOST_HAS(&h, boot_to_wall_ns), "the last 1.0 service");
	cr_assert_not(IG_HOST_HAS(&h, ring_drain), "a 1.1 service on a 1.0 host");
	h.sz = sizeof(h);
	cr_assert(IG_HOST_HAS(&h, ring_drain));
}

Test(loader, missing_entry_symbol)
{
	fixture("no_entry", "ne.so", 0755);
	expect_refused("ne.so", "no entry symbol ig_gadget_entry");
}

Test(loader, entry_returns_null)
{
	fixture("null_desc", "nd.so", 0755);
	expect_refused("nd.so", "ig_gadget_entry() returned NULL");
}

Test(loader, not_an_elf)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/text.so", dir);
	f = fopen(path, "w");
	fputs("#!/bin/sh\necho not a gadget\n", f);
	fclose(f);
	expect_refused("text.so", "not an ELF shared object");
}

Test(loader, world_writable_file)
{
	fixture("good", "ww.so", 0757);
	cr_assert_eq(chmod(dir, 0700), 0);
	expect_refused("ww.so", "file is writable by anyone (mode 0757)");
}

Test(loader, world_writable_dir)
{
	char sub[128], cmd[256], why[256] = "";

	fixture("good", "good.so", 0755);
	snprintf(sub, sizeof(sub), "%s/open", dir);
	cr_assert_eq(mkdir(sub, 0777), 0);
	cr_assert_eq(chmod(sub, 0777), 0);
	snprintf(cmd, sizeof(cmd), "%s/open/good.so", dir);
	copy(strcat(strcpy(why, dir), "/good.so"), cmd, 0755);
	expect_refused("open/good.so", "its directory is writable by anyone (mode 0777)");
}

/* A link in an open directory to a good file elsewhere: the link's
 * directory counts too, or anyone could point it at another file. */
Test(loader, symlink_in_world_writable_dir)
{
	char sub[128], link[160], target[160];

	fixture("good", "good.so", 0755);
	snprintf(sub, sizeof(sub), "%s/open", dir);
	cr_assert_eq(mkdir(sub, 0777), 0);
	cr_assert_eq(chmod(sub, 0777), 0);
	snprintf(target, sizeof(target), "%s/good.so", dir);
	snprintf(link, sizeof(link), "%s/open/link.so", dir);
	cr_assert_eq(symlink(target, link), 0);
	expect_refused("open/link.so", "its directory is writable by anyone (mode 0777)");
}

Test(loader, group_writable_not_root_group)
{
	if (getgid() == 0) {
		/* Make the group someone else's: only root can chown. */
		fixture("good", "gw.so", 0775);
		cr_assert_eq(chown(strcat(strcpy((char[512]){ 0 }, dir), "/gw.so"), 0, 100), 0);
		expect_refused("gw.so", "writable by group 100");
	} else {
		fixture("good", "gw.so", 0775);
		expect_refused("gw.so", "writable by group");
	}
}

/* One policy for every module: a group that may write the file is refused
 * whichever group it is, root's included (the plugin host's old rule; the
 * gadget loader used to let root's group write). */
Test(loader, group_writable_root_group)
{
	fixture("good", "gr.so", 0775);
	cr_assert_eq(chown(strcat(strcpy((char[512]){ 0 }, dir), "/gr.so"), geteuid(), 0), 0);
	expect_refused("gr.so", "file is writable by group 0 (mode 0775)");
}

/* The module loader words a refusal the same way for plugins and gadgets;
 * only the noun and the entry symbol change. */
Test(loader, plugin_wording_matches_gadgets)
{
	const struct ig_module_abi plugin = {
		.noun = "plugin", .entry = "ig_plugin_entry",
		.major = IG_GADGET_ABI_MAJOR, .minor = IG_GADGET_ABI_MINOR,
	};
	const struct ig_module_abi via_gadget_entry = {
		.noun = "plugin", .entry = IG_GADGET_ENTRY_NAME,
		.major = IG_GADGET_ABI_MAJOR, .minor = IG_GADGET_ABI_MINOR,
	};
	char path[512], why[256] = "", want[128];
	void *handle;

	fixture("good", "p.so", 0755);
	snprintf(path, sizeof(path), "%s/p.so", dir);
	cr_assert_null(ig_module__open(&plugin, path, &handle, why, sizeof(why)));
	cr_assert_null(handle);
	cr_assert_str_eq(why, "not a plugin: no entry symbol ig_plugin_entry");

	fixture("new_minor", "nm.so", 0755);
	snprintf(path, sizeof(path), "%s/nm.so", dir);
	cr_assert_null(ig_module__open(&via_gadget_entry, path, &handle, why, sizeof(why)));
	snprintf(want, sizeof(want), "built for plugin ABI %d.%d, newer than this ig's %d.%d; "
		 "upgrade ig", IG_GADGET_ABI_MAJOR, IG_GADGET_ABI_MINOR + 1, IG_GADGET_ABI_MAJOR,
		 IG_GADGET_ABI_MINOR);
	cr_assert_str_eq(why, want);

	snprintf(path, sizeof(path), "%s/p.so", dir);
	cr_assert_eq(chmod(path, 0757), 0);
	cr_assert_null(ig_module__open(&via_gadget_entry, path, &handle, why, sizeof(why)));
	cr_assert_str_eq(why, "file is writable by anyone (mode 0757); only root may be able to "
			 "change a plugin");
}

/* Through the binary: broken files are refused one line each, by name and
 * reason, and the good one in the same directory is still listed. */
Test(loader, ig_list_refuses_one_by_one)
{
	struct igt_result *r;
	FILE *f;
	char path[512];

	fixture("good", "a-good.so", 0755);
	fixture("wrong_major", "b-major.so", 0755);
	fixture("new_minor", "c-minor.so", 0755);
	fixture("no_entry", "d-noentry.so", 0755);
	fixture("good", "e-writable.so", 0757);
	snprintf(path, sizeof(path), "%s/f-text.so", dir);
	f = fopen(path, "w");
	fputs("hello\n", f);
	fclose(f);

	r = igt_ig(10000, "list", "--gadget-path", dir, NULL);
	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	cr_assert(strstr(r->out, "fixture-good"), "good gadget listed: %s", r->out);
	cr_assert(strstr(r->out, "a-good.so"), "%s", r->out);
	cr_assert_eq(igt_count(r->err, "\n"), 5, "one line per broken file:\n%s", r->err);
	cr_assert_eq(igt_count(r->err, "refusing gadget"), 5, "%s", r->err);
	snprintf(path, sizeof(path), "b-major.so: built for gadget ABI %d.",
		 IG_GADGET_ABI_MAJOR + 1);
	cr_assert(strstr(r->err, path), "%s", r->err);
	snprintf(path, sizeof(path), "c-minor.so: built for gadget ABI %d.%d", IG_GADGET_ABI_MAJOR,
		 IG_GADGET_ABI_MINOR + 1);
	cr_assert(strstr(r->err, path), "%s", r->err);
	cr_assert(strstr(r->err, "d-noentry.so: not a gadget: no entry symbol"), "%s", r->err);
	cr_assert(strstr(r->err, "e-writable.so: file is writable by anyone"), "%s", r->err);
	cr_assert(strstr(r->err, "f-text.so: not a gadget: not an ELF"), "%s", r->err);
	igt_result_free(r);
}

/* The first directory on the path wins; a refused file there does not hide
 * a good one later on the path. */
Test(loader, search_order)
{
	char first[128], second[128], env[300], why[256] = "";
	const char *const argv[] = { igt_ig_path(), "run", "fixture-good", "--help", NULL };
	struct igt_result *r;
	const char *envs[2] = { env, NULL };
	char **dirs;

	snprintf(first, sizeof(first), "%s/first", dir);
	snprintf(second, sizeof(second), "%s/second", dir);
	cr_assert_eq(mkdir(first, 0755), 0);
	cr_assert_eq(mkdir(second, 0755), 0);
	snprintf(why, sizeof(why), "%s/tests/fixtures/gadgets/wrong_major.so", igt_build_dir());
	copy(why, strcat(strcpy((char[512]){ 0 }, first), "/fixture-good.so"), 0755);
	snprintf(why, sizeof(why), "%s/tests/fixtures/gadgets/good.so", igt_build_dir());
	copy(why, strcat(strcpy((char[512]){ 0 }, second), "/fixture-good.so"), 0755);

	dirs = ig_loader__dirs(first);
	cr_assert_str_eq(dirs[0], first, "--gadget-path comes first");
	ig_loader__free_dirs(dirs);

	snprintf(env, sizeof(env), "IG_GADGET_PATH=%s", second);
	r = igt_run_env(argv, envs, 10000);
	cr_assert_eq(r->status, 0, "found through IG_GADGET_PATH: %s", r->err);
	cr_assert(strstr(r->out, "--count UINT"), "%s", r->out);
	igt_result_free(r);

	r = igt_ig(10000, "run", "--gadget-path", first, "fixture-good", "--help", NULL);
	cr_assert_eq(r->status, 2, "only a broken copy on the path: %s", r->err);
	cr_assert(strstr(r->err, "refusing gadget"), "%s", r->err);
	cr_assert(strstr(r->err, "unknown gadget 'fixture-good'"), "%s", r->err);
	igt_result_free(r);
}
