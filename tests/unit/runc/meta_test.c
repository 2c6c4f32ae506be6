// SPDX-License-Identifier: Apache-2.0
/*
 * Engine metadata on synthetic files: podman's containers.json (as
 * containers/storage writes it), the engine a runc state belongs to, ids from
 * cgroup names, and the file reader's refusals (symlinks, FIFOs, size, owner).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "plugins/runc/meta.h"
#include "plugins/runc/runc.h"

#define ID "587cb851bf2476c93b77f71fe91bcc2e8b3ecf07b234f48127447708e68c5d8b"

/* Trimmed from /var/lib/containers/storage/overlay-containers/containers.json
 * of podman 4.3. */
static const char podman_json[] =
	"[{\"id\":\"0000\",\"names\":[\"other\"],\"metadata\":\"{}\"},"
	"{\"id\":\"" ID "\",\"names\":[\"p2\"],\"image\":\"9ebd86\",\"layer\":\"d0db\","
	"\"metadata\":\"{\\\"image-name\\\":\\\"localhost/ig-busybox:test\\\","
	"\\\"image-id\\\":\\\"9ebd86\\\",\\\"name\\\":\\\"p2\\\",\\\"created-at\\\":1796408029}\","
	"\"created\":\"2026-12-04T18:13:49.764888295Z\",\"flags\":{\"MountLabel\":\"\"}}]";

static char dir[64];

static void mkdirs(void)
{
	char p[256];

	snprintf(dir, sizeof(dir), "/tmp/igt-meta-%d", (int)getpid());
	snprintf(p, sizeof(p), "mkdir -p %s/overlay-containers/%s/userdata", dir, ID);
	cr_assert_eq(system(p), 0);
}

static void rmdirs(void)
{
	char p[256];

	meta_podman_cache_drop();
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	if (system(p))
		fprintf(stderr, "cannot remove %s\n", dir);
}

static void put_file(const char *rel, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	f = fopen(p, "w");
	cr_assert_not_null(f, "%s", p);
	fputs(text, f);
	fclose(f);
}

TestSuite(meta, .init = mkdirs, .fini = rmdirs);

Test(meta, podman_name_and_image_from_containers_json)
{
	struct meta_info mi;
	char err[256] = "";

	cr_assert_eq(meta_podman_parse(podman_json, strlen(podman_json), ID, &mi, err,
				       sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(mi.name, "p2");
	cr_expect_str_eq(mi.image, "localhost/ig-busybox:test");
	meta_info__free(&mi);
	cr_expect_eq(meta_podman_parse(podman_json, strlen(podman_json), "nope", &mi, err,
				       sizeof(err)), -ENOENT);
}

Test(meta, podman_malformed_files_say_why)
{
	static const struct {
		const char *json;
		int ret;
		const char *reason;
	} cases[] = {
		{ "{\"id\":\"x\"}", -EINVAL, "not a JSON array" },
		{ "[{\"id\":", -EINVAL, "not JSON" },
		{ "[{\"id\":\"x\"},{\"id\":\"x\",\"id\":\"y\"}]", -EINVAL, "not JSON" },
		/* entries of the wrong shape are skipped, not fatal */
		{ "[1,\"x\",{\"id\":7},{\"id\":\"x\",\"names\":\"x\",\"metadata\":5}]", 0, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct meta_info mi;
		char err[256] = "";

		cr_expect_eq(meta_podman_parse(cases[i].json, strlen(cases[i].json), "x", &mi, err,
					       sizeof(err)), cases[i].ret, "case %zu", i);
		if (cases[i].reason)
			cr_expect(strstr(err, cases[i].reason), "case %zu: %s", i, err);
		else
			cr_expect(!mi.name && !mi.image, "case %zu: names from a bad entry", i);
		meta_info__free(&mi);
	}
}

static const char *const annots_podman[][2] = {
	{ "io.container.manager", "libpod" },
	{ "io.kubernetes.cri-o.TTY", "false" },
};

static void fake_state(struct runc_state *st, const char *bundle, bool podman)
{
	memset(st, 0, sizeof(*st));
	st->id = (char *)ID;
	st->bundle = (char *)bundle;
	if (podman) {
		st->annotations = calloc(2, sizeof(*st->annotations));
		for (int i = 0; i < 2; i++) {
			st->annotations[i].key = annots_podman[i][0];
			st->annotations[i].value = annots_podman[i][1];
		}
		st->nr_annotations = 2;
	}
}

Test(meta, podman_container_found_from_its_bundle)
{
	struct runc_engine eng;
	struct runc_state st;
	char bundle[256], err[256] = "";

	put_file("overlay-containers/containers.json", podman_json);
	snprintf(bundle, sizeof(bundle), "%s/overlay-containers/" ID "/userdata", dir);
	fake_state(&st, bundle, true);
	cr_assert_eq(runc_engine__describe("runc", "/run/runc", META_ANY_OWNER, &st, &eng, err,
					   sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(eng.runtime, "podman");
	cr_expect_str_eq(eng.mi.name, "p2");
	cr_expect_str_eq(eng.mi.image, "localhost/ig-busybox:test");
	runc_engine__fini(&eng);
	/* a bundle that is not <store>/<driver>-containers/<id>/userdata: no
	 * file is guessed */
	snprintf(bundle, sizeof(bundle), "%s/overlay-containers/other/userdata", dir);
	cr_assert_eq(runc_engine__describe("runc", "/run/runc", META_ANY_OWNER, &st, &eng, err,
					   sizeof(err)), 0);
	cr_expect_null(eng.mi.name);
	runc_engine__fini(&eng);
	/* plain runc: no engine file at all */
	free(st.annotations);
	fake_state(&st, bundle, false);
	cr_assert_eq(runc_engine__describe("runc", "/run/runc", META_ANY_OWNER, &st, &eng, err,
					   sizeof(err)), 0);
	cr_expect_str_eq(eng.runtime, "runc");
	cr_expect_null(eng.mi.name);
	runc_engine__fini(&eng);
}

Test(meta, podman_store_owned_by_someone_else_is_refused)
{
	struct runc_engine eng;
	struct runc_state st;
	char bundle[256], p[256], err[256] = "";

	put_file("overlay-containers/containers.json", podman_json);
	snprintf(p, sizeof(p), "%s/overlay-containers/containers.json", dir);
	cr_assert_eq(chown(p, 12345, 12345), 0);
	snprintf(bundle, sizeof(bundle), "%s/overlay-containers/" ID "/userdata", dir);
	fake_state(&st, bundle, true);
	/* a rootless store of uid 4242 must be that user's file */
	cr_expect_eq(runc_engine__describe("podman", "/run/user/4242/runc", 4242, &st, &eng, err,
					   sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "Operation not permitted"), "%s", err);
	runc_engine__fini(&eng);
	cr_expect_eq(runc_engine__describe("podman", "/run/user/12345/runc", 12345, &st, &eng,
					   err, sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(eng.mi.name, "p2");
	runc_engine__fini(&eng);
	free(st.annotations);
}

Test(meta, reader_refuses_symlinks_fifos_big_files_and_other_owners)
{
	struct meta_read_opts o = { .max = 64, .owner = META_ANY_OWNER };
	char p[256], q[256], link[256];
	size_t len;
	char *t;

	put_file("small", "0123456789");
	snprintf(p, sizeof(p), "%s/small", dir);
	t = meta_read_file(p, &o, &len);
	cr_assert_not_null(t);
	cr_expect_eq(len, 10);
	cr_expect_str_eq(t, "0123456789");
	free(t);
	o.max = 9;
	cr_expect_null(meta_read_file(p, &o, &len));
	cr_expect_eq(errno, EFBIG);
	o.max = 64;
	o.owner = 4242;
	cr_expect_null(meta_read_file(p, &o, &len));
	cr_expect_eq(errno, EPERM);
	o.owner = META_ANY_OWNER;
	/* a symlink as the last component, and (no_symlinks) in the middle */
	snprintf(link, sizeof(link), "%s/link", dir);
	cr_assert_eq(symlink(p, link), 0);
	cr_expect_null(meta_read_file(link, &o, &len));
	cr_expect_eq(errno, ELOOP);
	snprintf(link, sizeof(link), "%s/dirlink", dir);
	cr_assert_eq(symlink(dir, link), 0);
	snprintf(q, sizeof(q), "%s/dirlink/small", dir);
	t = meta_read_file(q, &o, &len);
	cr_expect_not_null(t, "a directory symlink is fine unless no_symlinks");
	free(t);
	o.no_symlinks = true;
	cr_expect_null(meta_read_file(q, &o, &len));
	cr_expect_eq(errno, ELOOP);
	o.no_symlinks = false;
	/* a FIFO would block: refused at once */
	snprintf(q, sizeof(q), "%s/fifo", dir);
	cr_assert_eq(mkfifo(q, 0600), 0);
	cr_expect_null(meta_read_file(q, &o, &len));
	cr_expect_eq(errno, EINVAL);
	cr_expect_null(meta_read_file(dir, &o, &len));
	cr_expect_eq(errno, EINVAL);
}

Test(meta, ids_from_cgroup_names)
{
	static const struct {
		const char *leaf, *parent;
		int ret;
		enum meta_engine engine;
		const char *id;
	} cases[] = {
		{ ID, "docker", 0, META_ENGINE_DOCKER, ID },
		{ "docker-" ID ".scope", "system.slice", 0, META_ENGINE_DOCKER, ID },
		{ "libpod-" ID, "libpod_parent", 0, META_ENGINE_PODMAN, ID },
		{ "libpod-" ID ".scope", "machine.slice", 0, META_ENGINE_PODMAN, ID },
		{ "cri-containerd-" ID ".scope", "kubepods-besteffort-pod1.slice", 0,
		  META_ENGINE_CONTAINERD, ID },
		{ "crio-" ID ".scope", "kubepods.slice", 0, META_ENGINE_CRIO, ID },
		{ "c1", "default", 0, META_ENGINE_RUNC, "c1" },
		{ "libpod-conmon-" ID, "libpod_parent", -EINVAL, 0, NULL },
		{ "", "x", -EINVAL, 0, NULL },
		{ "/", NULL, -EINVAL, 0, NULL },
		{ "..", "x", -EINVAL, 0, NULL },
		{ "docker-.scope", "x", -EINVAL, 0, NULL },
		{ "a b", "x", -EINVAL, 0, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct meta_cgroup_id cg;
		int ret = meta_cgroup_id(cases[i].leaf, cases[i].parent, &cg);

		cr_expect_eq(ret, cases[i].ret, "case %zu (%s): %d", i, cases[i].leaf, ret);
		if (ret)
			continue;
		cr_expect_eq(cg.engine, cases[i].engine, "case %zu", i);
		cr_expect_str_eq(cg.id, cases[i].id, "case %zu", i);
	}
}
