// SPDX-License-Identifier: Apache-2.0
/*
 * One member offset from the kernel's BTF, without libbpf's full parse.
 *
 * The core's filter program needs three kernel layout facts (task_struct.tgid,
 * task_struct.signal, signal_struct.live). Letting libbpf relocate them costs a
 * full vmlinux BTF parse (~35 ms, a third of the start-up budget); one linear
 * walk over the raw type records answering all of them takes about a
 * millisecond.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/btf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kbtf.h"

/* Bytes of kind-specific data after a struct btf_type. */
static long extra_size(const struct btf_type *t)
{
	unsigned int vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return (long)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return (long)vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO:
		return (long)vlen * sizeof(struct btf_param);
	case BTF_KIND_DATASEC:
		return (long)vlen * sizeof(struct btf_var_secinfo);
	case 19: /* BTF_KIND_ENUM64, newer than some uapi headers */
		return (long)vlen * 12;
	case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC: case BTF_KIND_FLOAT: case BTF_KIND_TYPE_TAG:
		return 0;
	default:
		return -1;	/* unknown kind: cannot skip it safely */
	}
}

/*
 * A member may sit in an anonymous struct or union (ns_common.ns_id, 6.18:
 * in a union in a struct). Those are other type records, found by id in a
 * further walk: up to MAX_ANON of them per walk, MAX_DEPTH walks deep.
 */
#define MAX_ANON	16
#define MAX_DEPTH	3

struct anon {
	size_t k;	/* the query */
	__u32 type;	/* the anonymous member's type id */
	int base;	/* its byte offset in the named struct */
};

struct member_query {
	struct ig_kbtf_member *q;
	size_t n;
	struct anon look[MAX_ANON], next[MAX_ANON];	/* this walk's, the next's */
	size_t nr_look, nr_next;
};

/* Look for query k's member among t's members at byte offset base. */
static void match_members(const struct btf_type *t, const char *strs, __u32 str_len,
			  struct member_query *mq, size_t k, int base)
{
	struct ig_kbtf_member *q = &mq->q[k];
	unsigned int i;

	for (i = 0; i < BTF_INFO_VLEN(t->info); i++) {
		const struct btf_member *m = (const void *)(t + 1) + i * sizeof(*m);
		unsigned int bits = BTF_INFO_KFLAG(t->info) ?
				    BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;

		if (m->name_off >= str_len)
			continue;
		if (!strcmp(strs + m->name_off, q->member)) {
			q->off = bits % 8 ? -EINVAL : base + (int)(bits / 8);
			return;
		}
		if (!strs[m->name_off] && !(bits % 8) && mq->nr_next < MAX_ANON)
			mq->next[mq->nr_next++] = (struct anon){ k, m->type, base + (int)(bits / 8) };
	}
	if (q->off == -ENOENT)
		q->off = -ENODATA;	/* the struct, without that member (so far) */
}

/* Answer every query about struct t (name already matched). */
static void match_struct(const struct btf_type *t, const char *strs, __u32 str_len,
			 struct member_query *mq)
{
	for (size_t k = 0; k < mq->n; k++)
		if (mq->q[k].off == -ENOENT && !strcmp(strs + t->name_off, mq->q[k].strct))
			match_members(t, strs, str_len, mq, k, 0);
}

/* Calls fn for every type record, with its id (ids start at 1). */
typedef void (*type_fn)(const struct btf_type *t, __u32 id, const char *strs, __u32 str_len,
			void *arg);

static int walk_types(const char *data, size_t size, type_fn fn, void *arg)
{
	const struct btf_header *h = (const void *)data;
	const char *types, *strs, *p, *end;
	__u32 id = 1;

	if (size < sizeof(*h) || h->magic != BTF_MAGIC ||
	    (size_t)h->hdr_len + h->type_off + h->type_len > size ||
	    (size_t)h->hdr_len + h->str_off + h->str_len > size)
		return -EINVAL;
	types = data + h->hdr_len + h->type_off;
	strs = data + h->hdr_len + h->str_off;
	end = types + h->type_len;
	for (p = types; p + sizeof(struct btf_type) <= end; id++) {
		const struct btf_type *t = (const void *)p;
		long extra = extra_size(t);

		if (extra < 0)
			return -EINVAL;
		p += sizeof(*t) + extra;
		if (p > end)
			return -EINVAL;
		if (t->name_off < h->str_len)
			fn(t, id, strs, h->str_len, arg);
	}
	return 0;
}

/* Kernels before 6.16 cannot mmap the BTF file: read it (sysfs hands it
 * out a page per read). */
static int read_and_walk(int fd, size_t size, type_fn fn, void *arg)
{
	char *buf = malloc(size);
	size_t off = 0;
	ssize_t got;
	int ret;

	if (!buf)
		return -ENOMEM;
	while (off < size && (got = read(fd, buf + off, size - off)) > 0)
		off += (size_t)got;
	ret = walk_types(buf, off, fn, arg);
	free(buf);
	return ret;
}

/* One walk over /sys/kernel/btf/vmlinux. */
static int walk_vmlinux(type_fn fn, void *arg)
{
	struct stat st;
	void *data;
	int fd, ret;

	fd = open("/sys/kernel/btf/vmlinux", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size <= 0) {
		ret = -EINVAL;
		goto out_close;
	}
	data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (data == MAP_FAILED) {
		ret = read_and_walk(fd, (size_t)st.st_size, fn, arg);
		goto out_close;
	}
	ret = walk_types(data, (size_t)st.st_size, fn, arg);
	munmap(data, (size_t)st.st_size);
out_close:
	close(fd);
	return ret;
}

static void on_struct(const struct btf_type *t, __u32 id, const char *strs, __u32 str_len,
		      void *arg)
{
	struct member_query *mq = arg;

	if (BTF_INFO_KIND(t->info) == BTF_KIND_STRUCT)
		match_struct(t, strs, str_len, mq);
}

/* A further walk: the anonymous members' types, by id. */
static void on_anon(const struct btf_type *t, __u32 id, const char *strs, __u32 str_len,
		    void *arg)
{
	struct member_query *mq = arg;
	int kind = BTF_INFO_KIND(t->info);

	if (kind != BTF_KIND_STRUCT && kind != BTF_KIND_UNION)
		return;
	for (size_t i = 0; i < mq->nr_look; i++)
		if (mq->look[i].type == id && mq->q[mq->look[i].k].off == -ENODATA)
			match_members(t, strs, str_len, mq, mq->look[i].k, mq->look[i].base);
}

int ig_kbtf__member_offsets(struct ig_kbtf_member *q, size_t n)
{
	struct member_query mq = { .q = q, .n = n };
	size_t k;
	int ret;

	for (k = 0; k < n; k++)
		q[k].off = -ENOENT;
	ret = walk_vmlinux(on_struct, &mq);
	for (int depth = 0; !ret && mq.nr_next && depth < MAX_DEPTH; depth++) {
		memcpy(mq.look, mq.next, mq.nr_next * sizeof(mq.next[0]));
		mq.nr_look = mq.nr_next;
		mq.nr_next = 0;
		ret = walk_vmlinux(on_anon, &mq);
	}
	for (k = 0; k < n; k++) {
		if (q[k].off == -ENODATA)
			q[k].off = -ENOENT;
		if (!ret && q[k].off < 0)
			ret = q[k].off;
	}
	return ret;
}

struct name_query {
	struct ig_kbtf_name *q;
	size_t n;
};

static void on_name(const struct btf_type *t, __u32 id, const char *strs, __u32 str_len,
		    void *arg)
{
	struct name_query *nq = arg;
	int kind = BTF_INFO_KIND(t->info);
	unsigned int i;
	size_t k;

	for (k = 0; k < nq->n; k++) {
		struct ig_kbtf_name *q = &nq->q[k];

		if (q->id > 0)
			continue;
		if (q->kind == kind && !strcmp(strs + t->name_off, q->name)) {
			q->id = (int)id;
		} else if (q->kind == IG_KBTF_ENUMERATOR && kind == BTF_KIND_ENUM) {
			for (i = 0; i < BTF_INFO_VLEN(t->info); i++) {
				const struct btf_enum *e = (const void *)(t + 1) + i * sizeof(*e);

				if (e->name_off < str_len && !strcmp(strs + e->name_off, q->name))
					q->id = (int)id;
			}
		}
	}
}

int ig_kbtf__find_names(struct ig_kbtf_name *q, size_t n)
{
	struct name_query nq = { q, n };
	size_t k;

	for (k = 0; k < n; k++)
		q[k].id = -ENOENT;
	return walk_vmlinux(on_name, &nq);
}

int ig_kbtf__member_offset(const char *strct, const char *member)
{
	struct ig_kbtf_member q = { .strct = strct, .member = member };
	int err = ig_kbtf__member_offsets(&q, 1);

	return err ? err : q.off;
}

/*
 * Every gadget with CO-RE relocations or BTF-typed programs makes libbpf load
 * the kernel's BTF, which libbpf 1.1 does by read()ing the sysfs file a page
 * at a time through stdio into a fresh buffer, then copying and parsing it:
 * about half of the cost is the reading. ig exports this function (see the
 * --dynamic-list in the Makefile), so libbpf's own call binds here and gets
 * the same BTF parsed straight from a read-only mapping of the file. Any
 * failure falls back to libbpf's implementation.
 */
struct btf;
struct btf *btf__new(const void *data, __u32 size);
struct btf *btf__load_vmlinux_btf(void);

__attribute__((visibility("default"))) struct btf *btf__load_vmlinux_btf(void)
{
	struct btf *(*real)(void);
	struct btf *btf = NULL;
	struct stat st;
	void *data;
	int fd;

	fd = open("/sys/kernel/btf/vmlinux", O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && !fstat(fd, &st) && st.st_size > 0) {
		data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (data != MAP_FAILED) {
			/* copies; NULL on error (libbpf 1.x) */
			btf = btf__new(data, (__u32)st.st_size);
			munmap(data, (size_t)st.st_size);
		}
	}
	if (fd >= 0)
		close(fd);
	if (btf)
		return btf;
	real = (struct btf *(*)(void))dlsym(RTLD_NEXT, "btf__load_vmlinux_btf");
	return real ? real() : NULL;
}
