// SPDX-License-Identifier: Apache-2.0
/*
 * The read-only bbolt reader on files built here page by page, in the layout
 * containerd's meta.db has (v1/<ns>/containers/<id>/{image, labels/}):
 * inline and page buckets, a branch page, both meta pages; then damaged
 * files, each of which must give an error, never a crash or a wrong answer.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "plugins/runc/bolt.h"
#include "plugins/runc/meta.h"

#define PS	4096
#define NPAGES	8

struct kv {
	uint32_t flags;		/* 1: value is a bucket */
	const char *key;
	const unsigned char *val;
	size_t vlen;
};

static unsigned char file[NPAGES * PS];
static char path[64];

static void put16(unsigned char *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static void put32(unsigned char *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }
static void put64(unsigned char *p, uint64_t v) { put32(p, v); put32(p + 4, v >> 32); }

static uint64_t fnv(const unsigned char *p, size_t n)
{
	uint64_t h = 14695981039346656037ull;

	while (n--)
		h = (h ^ *p++) * 1099511628211ull;
	return h;
}

static void meta(unsigned id, uint64_t root, uint64_t high, uint64_t txid)
{
	unsigned char *p = file + id * PS, *m = p + 16;

	put64(p, id);
	put16(p + 8, 0x04);
	put32(m, 0xED0CDAED);
	put32(m + 4, 2);
	put32(m + 8, PS);
	put64(m + 16, root);
	put64(m + 32, 2);	/* freelist */
	put64(m + 40, high);
	put64(m + 48, txid);
	put64(m + 56, fnv(m, 56));
}

/* A leaf page at p (a file page, or the inline page of a bucket value);
 * returns its size. */
static size_t leaf(unsigned char *p, uint64_t id, const struct kv *kv, unsigned n)
{
	size_t data = 16 + n * 16;

	memset(p, 0, 16);
	put64(p, id);
	put16(p + 8, 0x02);
	put16(p + 10, n);
	for (unsigned i = 0; i < n; i++) {
		unsigned char *e = p + 16 + i * 16;
		size_t kl = strlen(kv[i].key);

		put32(e, kv[i].flags);
		put32(e + 4, (uint32_t)(p + data - e));
		put32(e + 8, kl);
		put32(e + 12, kv[i].vlen);
		memcpy(p + data, kv[i].key, kl);
		memcpy(p + data + kl, kv[i].val, kv[i].vlen);
		data += kl + kv[i].vlen;
	}
	return data;
}

/* An inline bucket value: {root 0, sequence 0} + a leaf page. */
static size_t inline_bucket(unsigned char *out, const struct kv *kv, unsigned n)
{
	memset(out, 0, 16);
	return 16 + leaf(out + 16, 0, kv, n);
}

static void page_bucket(unsigned char out[16], uint64_t root)
{
	memset(out, 0, 16);
	put64(out, root);
}

static void branch(unsigned id, const char *const keys[], const uint64_t kids[], unsigned n)
{
	unsigned char *p = file + id * PS;
	size_t data = 16 + n * 16;

	put64(p, id);
	put16(p + 8, 0x01);
	put16(p + 10, n);
	for (unsigned i = 0; i < n; i++) {
		unsigned char *e = p + 16 + i * 16;

		put32(e, (uint32_t)(p + data - e));
		put32(e + 4, strlen(keys[i]));
		put64(e + 8, kids[i]);
		memcpy(p + data, keys[i], strlen(keys[i]));
		data += strlen(keys[i]);
	}
}

/* containers "a" and "m" on leaf pages 5 and 6 under branch page 4 (the
 * "containers" bucket), inside inline buckets v1 -> default on page 3. */
static void build(void)
{
	unsigned char la[256], lm[512], labels[256], ctr_a[256], ctr_m[512], ns[256], v1[512];
	unsigned char containers[16];
	size_t n;

	memset(file, 0, sizeof(file));
	n = inline_bucket(labels, (struct kv[]){ { 0, "app", (const unsigned char *)"web", 3 },
						  { 0, "tier", (const unsigned char *)"front", 5 } }, 2);
	memcpy(lm, labels, n);
	n = inline_bucket(ctr_m, (struct kv[]){ { 0, "image", (const unsigned char *)"img-m", 5 },
						 { 1, "labels", lm, n } }, 2);
	leaf(file + 6 * PS, 6, (struct kv[]){ { 1, "m", ctr_m, n } }, 1);
	n = inline_bucket(ctr_a, (struct kv[]){ { 0, "image", (const unsigned char *)"img-a", 5 } },
			  1);
	memcpy(la, ctr_a, n);
	leaf(file + 5 * PS, 5, (struct kv[]){ { 1, "a", la, n } }, 1);
	branch(4, (const char *const[]){ "a", "m" }, (const uint64_t[]){ 5, 6 }, 2);
	page_bucket(containers, 4);
	n = inline_bucket(ns, (struct kv[]){ { 1, "containers", containers, 16 } }, 1);
	n = inline_bucket(v1, (struct kv[]){ { 1, "default", ns, n } }, 1);
	leaf(file + 3 * PS, 3, (struct kv[]){ { 1, "v1", v1, n } }, 1);
	meta(0, 3, NPAGES, 10);
	meta(1, 3, NPAGES, 9);
}

static void write_file(void)
{
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/igt-bolt-%d.db", (int)getpid());
	f = fopen(path, "w");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(file, 1, sizeof(file), f), sizeof(file));
	fclose(f);
}

static void cleanup(void)
{
	unlink(path);
}

static int lookup(const char *id, struct meta_info *mi, char *err)
{
	write_file();
	return meta_containerd_lookup(path, "default", id, mi, err, 256);
}

TestSuite(bolt, .init = build, .fini = cleanup);

Test(bolt, finds_image_and_labels_through_branch_and_inline_buckets)
{
	struct meta_info mi;
	char err[256] = "";

	cr_assert_eq(lookup("m", &mi, err), 0, "%s", err);
	cr_expect_str_eq(mi.name, "m");
	cr_expect_str_eq(mi.image, "img-m");
	cr_assert_eq(mi.nr_labels, 2);
	cr_expect_str_eq(mi.labels[0].key, "app");
	cr_expect_str_eq(mi.labels[0].value, "web");
	cr_expect_str_eq(mi.labels[1].key, "tier");
	meta_info__free(&mi);
	cr_assert_eq(lookup("a", &mi, err), 0, "%s", err);
	cr_expect_str_eq(mi.image, "img-a");
	cr_expect_eq(mi.nr_labels, 0);
	meta_info__free(&mi);
}

Test(bolt, absent_container_or_namespace_is_enoent)
{
	struct meta_info mi;
	char err[256] = "";

	cr_expect_eq(lookup("b", &mi, err), -ENOENT);
	cr_expect_eq(lookup("z", &mi, err), -ENOENT);
	cr_expect_eq(lookup("0", &mi, err), -ENOENT);	/* before the first branch key */
	write_file();
	cr_expect_eq(meta_containerd_lookup(path, "moby", "a", &mi, err, sizeof(err)), -ENOENT);
	/* names that are not ids never reach the file */
	cr_expect_eq(meta_containerd_lookup(path, "default", "../a", &mi, err, sizeof(err)),
		     -ENOENT);
}

Test(bolt, newer_valid_meta_wins_and_a_damaged_one_is_skipped)
{
	struct meta_info mi;
	char err[256] = "";

	/* meta 1 newer, its root an empty page: it wins, and the lookup
	 * fails as damaged */
	meta(1, 2, NPAGES, 11);
	cr_expect_eq(lookup("m", &mi, err), -EINVAL);
	/* meta 1 newer but its checksum is wrong: meta 0 is used */
	file[PS + 16 + 60] ^= 1;
	cr_expect_eq(lookup("m", &mi, err), 0, "%s", err);
	meta_info__free(&mi);
	/* both wrong: not a bolt file */
	file[16 + 60] ^= 1;
	cr_expect_eq(lookup("m", &mi, err), -EINVAL);
	cr_expect(strstr(err, "not a bbolt file"), "%s", err);
}

struct damage {
	const char *what;
	const char *id;		/* the container whose path crosses the damage */
	size_t off;
	int bytes;		/* 2, 4 or 8 */
	uint64_t value;
};

Test(bolt, damaged_pages_are_errors_not_crashes)
{
	static const struct damage cases[] = {
		{ "branch child beyond the file", "m", 4 * PS + 16 + 16 + 8, 8, 99 },
		{ "branch child is itself (a loop)", "m", 4 * PS + 16 + 16 + 8, 8, 4 },
		{ "branch child is a meta page", "a", 4 * PS + 16 + 8, 8, 0 },
		{ "leaf key position past the page", "m", 6 * PS + 16 + 4, 4, 1u << 30 },
		{ "leaf value size past the page", "m", 6 * PS + 16 + 12, 4, 0xffffffffu },
		{ "element count past the page", "m", 6 * PS + 10, 2, 0xffff },
		{ "overflow past the file", "m", 6 * PS + 12, 4, 1000 },
		{ "page id not its own", "a", 5 * PS, 8, 6 },
		{ "page kind unknown", "m", 6 * PS + 8, 2, 0x40 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct damage *d = &cases[i];
		struct meta_info mi;
		char err[256] = "";
		int ret;

		build();
		if (d->bytes == 2)
			put16(file + d->off, d->value);
		else if (d->bytes == 4)
			put32(file + d->off, d->value);
		else
			put64(file + d->off, d->value);
		ret = lookup(d->id, &mi, err);
		cr_expect(ret == -EINVAL || ret == -ENOENT, "%s: %d", d->what, ret);
		cr_expect_null(mi.image, "%s: an answer from a damaged file", d->what);
		meta_info__free(&mi);
	}
}

Test(bolt, inline_bucket_shorter_than_a_page_header_is_an_error)
{
	unsigned char v1[24] = { 0 };
	struct meta_info mi;
	char err[256] = "";

	/* v1: root 0 (inline) but only 8 bytes of page after the header */
	leaf(file + 3 * PS, 3, (struct kv[]){ { 1, "v1", v1, sizeof(v1) } }, 1);
	cr_expect_eq(lookup("m", &mi, err), -EINVAL);
}

Test(bolt, refuses_a_symlink_and_a_fifo)
{
	char link[80], fifo[80], err[256] = "";
	struct meta_info mi;

	write_file();
	snprintf(link, sizeof(link), "%s.link", path);
	snprintf(fifo, sizeof(fifo), "%s.fifo", path);
	cr_assert_eq(symlink(path, link), 0);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	cr_expect_eq(meta_containerd_lookup(link, "default", "m", &mi, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "Too many levels of symbolic links"), "%s", err);
	/* would block forever without O_NONBLOCK */
	cr_expect_eq(meta_containerd_lookup(fifo, "default", "m", &mi, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "not a regular file"), "%s", err);
	unlink(link);
	unlink(fifo);
}
