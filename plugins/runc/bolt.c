// SPDX-License-Identifier: Apache-2.0
/*
 * Read-only bbolt reader (format in bolt.h). Every number read from the file
 * is checked before it is used as an offset or a size.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bolt.h"

#define BOLT_MAGIC		0xED0CDAEDu
#define BOLT_VERSION		2
#define PAGE_HDR		16
#define ELEM_SZ			16
#define META_CSUM_OFF		56	/* bytes of the meta the checksum covers */
#define F_BRANCH		0x01
#define F_LEAF			0x02
#define F_META			0x04
#define LEAF_BUCKET		0x01
#define MAX_DEPTH		32
#define MAX_PAGE_BYTES		(16u << 20)	/* one page with its overflow */
#define MAX_READ_BYTES		(64u << 20)	/* per lookup or walk */

struct bolt {
	int fd;
	uint64_t file_size;
	uint32_t page_size;
	uint64_t root;		/* root bucket's root page */
	uint64_t high;		/* meta.pgid: no page id at or above it */
	uint64_t budget;	/* bytes left to read in this call */
};

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static uint64_t fnv1a64(const unsigned char *p, size_t n)
{
	uint64_t h = 14695981039346656037ull;

	while (n--) {
		h ^= *p++;
		h *= 1099511628211ull;
	}
	return h;
}

static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, (char *)buf + got, len - got, (off_t)(off + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EINVAL;
		got += (size_t)n;
	}
	return 0;
}

/* A meta at byte off: 0 and its fields if valid, else -EINVAL. */
static int read_meta(struct bolt *b, uint64_t off, uint32_t *ps, uint64_t *root, uint64_t *high,
		     uint64_t *txid)
{
	unsigned char m[PAGE_HDR + 64];

	if (off + sizeof(m) > b->file_size || read_at(b->fd, m, sizeof(m), off))
		return -EINVAL;
	if (!(get16(m + 8) & F_META))
		return -EINVAL;
	if (get32(m + PAGE_HDR) != BOLT_MAGIC || get32(m + PAGE_HDR + 4) != BOLT_VERSION ||
	    fnv1a64(m + PAGE_HDR, META_CSUM_OFF) != get64(m + PAGE_HDR + META_CSUM_OFF))
		return -EINVAL;
	*ps = get32(m + PAGE_HDR + 8);
	*root = get64(m + PAGE_HDR + 16);
	*high = get64(m + PAGE_HDR + 40);
	*txid = get64(m + PAGE_HDR + 48);
	if (*ps < 512 || *ps > 65536 || (*ps & (*ps - 1)))
		return -EINVAL;
	return 0;
}

/* The valid meta with the higher txid (bbolt's own choice). */
static int pick_meta(struct bolt *b)
{
	static const uint32_t guesses[] = { 4096, 16384, 65536 };
	uint64_t root[2], high[2], txid[2];
	uint32_t ps[2];
	int ok0, ok1 = -EINVAL, k;

	ok0 = read_meta(b, 0, &ps[0], &root[0], &high[0], &txid[0]);
	if (!ok0)
		ok1 = read_meta(b, ps[0], &ps[1], &root[1], &high[1], &txid[1]);
	for (size_t i = 0; ok0 && ok1 && i < sizeof(guesses) / sizeof(*guesses); i++)
		ok1 = read_meta(b, guesses[i], &ps[1], &root[1], &high[1], &txid[1]);
	if (ok0 && ok1)
		return -EINVAL;
	k = ok0 ? 1 : ok1 ? 0 : txid[1] > txid[0];

	b->page_size = ps[k];
	b->root = root[k];
	b->high = high[k];
	if (b->high > b->file_size / b->page_size)
		b->high = b->file_size / b->page_size;
	return b->root >= 2 && b->root < b->high ? 0 : -EINVAL;
}

struct bolt *bolt_open(const char *path, char *err, size_t errlen)
{
	struct bolt *b = calloc(1, sizeof(*b));
	struct stat sb;

	if (!b)
		return NULL;
	b->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (b->fd < 0 || fstat(b->fd, &sb)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out_free;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		errno = EINVAL;
		goto out_free;
	}
	b->file_size = (uint64_t)sb.st_size;
	if (pick_meta(b)) {
		snprintf(err, errlen, "%s: not a bbolt file, or both meta pages are damaged", path);
		errno = EINVAL;
		goto out_free;
	}
	return b;

out_free:
	bolt_close(b);
	return NULL;
}

void bolt_close(struct bolt *b)
{
	int saved = errno;

	if (!b)
		return;
	if (b->fd >= 0)
		close(b->fd);
	free(b);
	errno = saved;
}

/* Page id with its overflow pages, checked; *len its size. */
static int read_page(struct bolt *b, uint64_t id, unsigned char **out, size_t *len)
{
	unsigned char hdr[PAGE_HDR];
	uint64_t off, size;
	unsigned char *p;
	int err;

	if (id < 2 || id >= b->high)
		return -EINVAL;
	off = id * b->page_size;
	if (read_at(b->fd, hdr, sizeof(hdr), off) || get64(hdr) != id)
		return -EINVAL;
	size = ((uint64_t)get32(hdr + 12) + 1) * b->page_size;
	if (size > MAX_PAGE_BYTES || off + size > b->file_size || size > b->budget)
		return -EINVAL;
	b->budget -= size;
	p = malloc(size);
	if (!p)
		return -ENOMEM;
	err = read_at(b->fd, p, size, off);
	if (err) {
		free(p);
		return -EINVAL;
	}
	*out = p;
	*len = size;
	return 0;
}

/* Element i's key (and for a leaf, value) inside the page, checked. */
static int elem(const unsigned char *pg, size_t len, unsigned int i, bool leaf,
		const unsigned char **k, size_t *klen, const unsigned char **v, size_t *vlen,
		uint32_t *flags, uint64_t *child)
{
	uint64_t eoff = PAGE_HDR + (uint64_t)i * ELEM_SZ, koff, end;
	const unsigned char *e = pg + eoff;

	if (eoff + ELEM_SZ > len)
		return -EINVAL;
	if (leaf) {
		*flags = get32(e);
		koff = eoff + get32(e + 4);
		*klen = get32(e + 8);
		*vlen = get32(e + 12);
	} else {
		koff = eoff + get32(e);
		*klen = get32(e + 4);
		*child = get64(e + 8);
		*vlen = 0;
	}
	end = koff + *klen + *vlen;
	if (end > len || end < koff)
		return -EINVAL;
	*k = pg + koff;
	*v = pg + koff + *klen;
	return 0;
}

static int keycmp(const unsigned char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c ? c : (alen > blen) - (alen < blen);
}

static int page_kind(const unsigned char *pg, size_t len, unsigned int *count)
{
	uint16_t flags;

	if (len < PAGE_HDR)
		return -EINVAL;
	flags = get16(pg + 8);
	*count = get16(pg + 10);
	if ((uint64_t)PAGE_HDR + (uint64_t)*count * ELEM_SZ > len)
		return -EINVAL;
	return flags == F_LEAF ? F_LEAF : flags == F_BRANCH ? F_BRANCH : -EINVAL;
}

/* The child of a branch page that may hold key: the last element whose key
 * is <= key (bbolt's own rule). */
static int branch_child(const unsigned char *pg, size_t len, unsigned int count, const char *key,
			size_t klen, uint64_t *child)
{
	const unsigned char *k, *v;
	size_t kl, vl;
	uint32_t fl;
	uint64_t c;

	if (!count)
		return -EINVAL;
	for (unsigned int i = 0; i < count; i++) {
		if (elem(pg, len, i, false, &k, &kl, &v, &vl, &fl, &c))
			return -EINVAL;
		if (i && keycmp(k, kl, key, klen) > 0)
			break;
		*child = c;
	}
	return 0;
}

/* Find key in the bucket; copy its value and flags. */
static int bucket_find(struct bolt *b, const struct bolt_bucket *bk, const char *key,
		       unsigned char **val, size_t *vlen, uint32_t *vflags)
{
	const unsigned char *pg = bk->page;
	unsigned char *owned = NULL;
	size_t len = bk->page_len, klen = strlen(key);
	int ret = -ENOENT, kind;

	if (!pg && (ret = read_page(b, bk->root, &owned, &len)))
		return ret;
	if (owned)
		pg = owned;
	for (int depth = 0;; depth++) {
		unsigned int count;
		uint64_t child;

		kind = page_kind(pg, len, &count);
		if (kind < 0 || depth > MAX_DEPTH) {
			ret = -EINVAL;
			break;
		}
		if (kind == F_LEAF) {
			ret = -ENOENT;
			for (unsigned int i = 0; i < count; i++) {
				const unsigned char *k, *v;
				size_t kl, vl;
				uint64_t c;

				if (elem(pg, len, i, true, &k, &kl, &v, &vl, vflags, &c)) {
					ret = -EINVAL;
					break;
				}
				if (keycmp(k, kl, key, klen))
					continue;
				*val = malloc(vl + 1);
				if (!*val) {
					ret = -ENOMEM;
					break;
				}
				memcpy(*val, v, vl);
				(*val)[vl] = '\0';
				*vlen = vl;
				ret = 0;
				break;
			}
			break;
		}
		ret = branch_child(pg, len, count, key, klen, &child);
		free(owned);
		owned = NULL;
		if (ret || (ret = read_page(b, child, &owned, &len)))
			return ret;
		pg = owned;
	}
	free(owned);
	return ret;
}

/* A bucket from a leaf value (flag LEAF_BUCKET): its root, or its inline page. */
static int bucket_from_value(unsigned char *v, size_t vlen, struct bolt_bucket *out)
{
	memset(out, 0, sizeof(*out));
	if (vlen < 16)
		return -EINVAL;
	out->root = get64(v);
	if (out->root)
		return 0;
	if (vlen < 16 + PAGE_HDR)
		return -EINVAL;
	out->page_len = vlen - 16;
	out->page = malloc(out->page_len);
	if (!out->page)
		return -ENOMEM;
	memcpy(out->page, v + 16, out->page_len);
	return 0;
}

int bolt_bucket(struct bolt *b, const char *const *path, size_t n, struct bolt_bucket *out)
{
	struct bolt_bucket cur = { .root = b->root };
	unsigned char *v;
	uint32_t flags;
	size_t vlen;
	int ret = 0;

	b->budget = MAX_READ_BYTES;
	for (size_t i = 0; i < n && !ret; i++) {
		ret = bucket_find(b, &cur, path[i], &v, &vlen, &flags);
		if (ret)
			break;
		bolt_bucket_fini(&cur);
		ret = flags & LEAF_BUCKET ? bucket_from_value(v, vlen, &cur) : -ENOENT;
		free(v);
	}
	if (ret) {
		bolt_bucket_fini(&cur);
		return ret;
	}
	*out = cur;
	return 0;
}

void bolt_bucket_fini(struct bolt_bucket *bk)
{
	if (!bk)
		return;
	free(bk->page);
	memset(bk, 0, sizeof(*bk));
}

int bolt_get(struct bolt *b, const struct bolt_bucket *bk, const char *key, char **val,
	     size_t *len)
{
	unsigned char *v;
	uint32_t flags;
	int ret;

	b->budget = MAX_READ_BYTES;
	ret = bucket_find(b, bk, key, &v, len, &flags);
	if (ret)
		return ret;
	if (flags & LEAF_BUCKET) {
		free(v);
		return -ENOENT;
	}
	*val = (char *)v;
	return 0;
}

typedef int (*bolt_fn)(void *arg, const void *k, size_t klen, const void *v, size_t vlen);

static int walk(struct bolt *b, const unsigned char *pg, size_t len, int depth, bolt_fn fn,
		void *arg)
{
	unsigned int count;
	int kind = page_kind(pg, len, &count), ret = 0;

	if (kind < 0 || depth > MAX_DEPTH)
		return -EINVAL;
	for (unsigned int i = 0; i < count && !ret; i++) {
		const unsigned char *k, *v;
		unsigned char *child_pg;
		size_t kl, vl, clen;
		uint32_t flags = 0;
		uint64_t child;

		if (elem(pg, len, i, kind == F_LEAF, &k, &kl, &v, &vl, &flags, &child))
			return -EINVAL;
		if (kind == F_LEAF) {
			if (!(flags & LEAF_BUCKET))
				ret = fn(arg, k, kl, v, vl);
			continue;
		}
		ret = read_page(b, child, &child_pg, &clen);
		if (!ret) {
			ret = walk(b, child_pg, clen, depth + 1, fn, arg);
			free(child_pg);
		}
	}
	return ret;
}

int bolt_foreach(struct bolt *b, const struct bolt_bucket *bk, bolt_fn fn, void *arg)
{
	unsigned char *pg = NULL;
	size_t len;
	int ret;

	b->budget = MAX_READ_BYTES;
	if (bk->page)
		return walk(b, bk->page, bk->page_len, 0, fn, arg);
	ret = read_page(b, bk->root, &pg, &len);
	if (!ret)
		ret = walk(b, pg, len, 0, fn, arg);
	free(pg);
	return ret;
}
