/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A read-only reader of bbolt files (the key-value store containerd keeps its
 * metadata in), enough to follow a path of bucket names and read the values
 * of one bucket. Untrusted input: every page is read with pread() and checked
 * (page id in the file, flags, element table and keys inside the page, depth
 * and total bytes bounded), so a damaged or hostile file yields -EINVAL, never
 * a read outside what was read. The file may be written while we read it:
 * bbolt only switches its meta page after the pages it points to are on disk,
 * but pages freed by a later transaction can be reused under us; a lookup
 * that goes wrong then fails, and callers simply report nothing.
 *
 * Format (bbolt 1.3, as containerd 1.6 writes it): pages of meta.page_size
 * bytes (+ overflow pages), each starting with {u64 id; u16 flags; u16 count;
 * u32 overflow}. Pages 0 and 1 are metas {u32 magic 0xED0CDAED; u32 version
 * 2; u32 page_size; u32 flags; {u64 root; u64 sequence} root bucket; u64
 * freelist; u64 pgid; u64 txid; u64 checksum FNV-1a of the 56 bytes before};
 * the valid one with the higher txid wins. Branch elements {u32 pos; u32
 * ksize; u64 pgid}, leaf elements {u32 flags; u32 pos; u32 ksize; u32 vsize}
 * with pos counted from the element; a leaf value with flag 1 is a bucket
 * {u64 root; u64 sequence}, inline (root 0) when a page follows the header.
 * Little-endian, as on every machine bbolt runs on here.
 */
#ifndef IG_PLUGIN_RUNC_BOLT_H
#define IG_PLUGIN_RUNC_BOLT_H

#include <stddef.h>
#include <stdint.h>

struct bolt;

/* Open a bbolt file read-only (a regular file, no symlink). NULL with errno
 * (EINVAL: not a valid bbolt file; reason in err). */
struct bolt *bolt_open(const char *path, char *err, size_t errlen);
void bolt_close(struct bolt *b);

/* A bucket found by bolt_bucket(): where its root page is (or its inline
 * page, copied). */
struct bolt_bucket {
	uint64_t root;		/* 0: inline, see page */
	unsigned char *page;	/* inline page (owned), or NULL */
	size_t page_len;
};

/* The bucket at path (n names, each a NUL-terminated key) below the root
 * bucket. 0, -ENOENT (a name is missing or not a bucket), -EINVAL. */
int bolt_bucket(struct bolt *b, const char *const *path, size_t n, struct bolt_bucket *out);
void bolt_bucket_fini(struct bolt_bucket *bk);

/* Call fn for every plain key/value of the bucket (sub-buckets skipped), in
 * key order, until it returns non-zero (which is returned). Values are valid
 * during the call only. */
int bolt_foreach(struct bolt *b, const struct bolt_bucket *bk,
		 int (*fn)(void *arg, const void *k, size_t klen, const void *v, size_t vlen),
		 void *arg);

/* One plain value of a bucket, copied (NUL added, *len without it). 0,
 * -ENOENT, -EINVAL, -ENOMEM. */
int bolt_get(struct bolt *b, const struct bolt_bucket *bk, const char *key, char **val,
	     size_t *len);

#endif /* IG_PLUGIN_RUNC_BOLT_H */
