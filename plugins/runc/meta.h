/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the container engines themselves say about a container (its name,
 * its image, the engine), read from their own files. Every file here is
 * untrusted input: an engine's data directory can be damaged, be written
 * by an unprivileged user (rootless podman), or change under us. Reads are
 * of regular files only, never through a final symlink, never blocking on a
 * FIFO, capped in size; parsers bound what they walk.
 *
 *   meta_file.c        the one way these files are opened and read
 *   meta.c             engine names, ids, cgroup names -> candidate ids
 *   meta_podman.c      containers/storage's containers.json (podman, CRI-O)
 *   meta_containerd.c  containerd's meta.db (through bolt.c)
 *   bolt.c, bolt.h     a read-only bbolt reader
 * Docker's config.v2.json is parsed in runc_state.c (runc_docker_meta).
 */
#ifndef IG_PLUGIN_RUNC_META_H
#define IG_PLUGIN_RUNC_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <ig/container.h>

/* ------------------------------------------------------------ meta_file.c */

#define META_ANY_OWNER	((uid_t)-1)

struct meta_read_opts {
	size_t max;		/* bigger files are refused (EFBIG) */
	uid_t owner;		/* the file must belong to this uid, or META_ANY_OWNER */
	bool no_symlinks;	/* no symlink in any component (openat2
				 * RESOLVE_NO_SYMLINKS; without openat2, the last
				 * component only): for paths a user controls */
};

/* Read a whole file as the opts say; NUL-terminated, length in *len. NULL
 * with errno: ENOENT, ELOOP (a symlink), EINVAL (not a regular file),
 * EFBIG, EPERM (wrong owner), or the open/read error. */
char *meta_read_file(const char *path, const struct meta_read_opts *o, size_t *len);
/* The same through an open directory (dirfd, name has no '/'). */
char *meta_read_fileat(int dirfd, const char *name, const struct meta_read_opts *o, size_t *len);
/* Open a file as the opts say, for a reader that streams it (runc's
 * state.json): the descriptor, or -errno as meta_read_file's errno. */
int meta_open_file(const char *path, const struct meta_read_opts *o);

/* ------------------------------------------------------------ meta.c */

/* What an engine said about one container. Strings owned (meta_info__free). */
struct meta_info {
	char *name;
	char *image;
	struct ig_label *labels;	/* engine labels (containerd), owned */
	size_t nr_labels;
};

void meta_info__free(struct meta_info *mi);
/* Append a copy of key=value to mi->labels; -ENOMEM. */
int meta_info__add_label(struct meta_info *mi, const char *key, size_t klen,
			 const char *value, size_t vlen);

/* A container id as engines make them and as path components allow:
 * 1..128 of [A-Za-z0-9_.-], not starting with '.'. */
bool meta_id_valid(const char *id, size_t len);

/* The engine a cgroup name points to, and the id in it. */
enum meta_engine {
	META_ENGINE_UNKNOWN = 0,
	META_ENGINE_RUNC,	/* a bare name: runc's default cgroup, or ctr's <ns>/<id> */
	META_ENGINE_DOCKER,
	META_ENGINE_PODMAN,
	META_ENGINE_CONTAINERD,	/* cri-containerd-<id>.scope */
	META_ENGINE_CRIO,
};

struct meta_cgroup_id {
	enum meta_engine engine;
	char id[129];
	char parent[65];	/* the parent cgroup's name ("docker", "default", ...) */
};

/* From the names of a container's cgroup and of its parent (as the kernel
 * saw them when the container's init was forked) to the id the engine
 * gave it: docker/<id>, docker-<id>.scope, libpod-<id>(.scope),
 * cri-containerd-<id>.scope, crio-<id>(.scope), <parent>/<id>. -EINVAL
 * when leaf holds no valid id. */
int meta_cgroup_id(const char *leaf, const char *parent, struct meta_cgroup_id *out);

/* ------------------------------------------------------------ meta_podman.c */

/* containers/storage keeps <graphroot>/<driver>-containers/containers.json,
 * a JSON array of {"id", "names": [...], "metadata": "<JSON text with
 * image-name, name>"}. Find id in that text: 0 and mi filled (name =
 * names[0], image = metadata's image-name), -ENOENT if absent, -EINVAL
 * (reason in err) if the text is not such an array. */
int meta_podman_parse(const char *json, size_t len, const char *id, struct meta_info *mi,
		      char *err, size_t errlen);

/* The containers.json of a podman/CRI-O bundle
 * (<graphroot>/<driver>-containers/<id>/userdata), read with o, looked up
 * for id. Keeps the last file parsed (by device, inode, size and mtime):
 * the file holds every container of the store. */
int meta_podman_lookup(const char *bundle, const char *id, const struct meta_read_opts *o,
		       struct meta_info *mi, char *err, size_t errlen);
/* The same from a store's root (<graphroot>), trying overlay then vfs. */
int meta_podman_lookup_store(const char *graphroot, const char *id,
			     const struct meta_read_opts *o, struct meta_info *mi,
			     char *err, size_t errlen);
void meta_podman_cache_drop(void);

/* ------------------------------------------------------------ meta_containerd.c */

#define META_CONTAINERD_DB "/var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db"

/* v1/<ns>/containers/<id> of a containerd meta.db: image, labels. 0, -ENOENT
 * (no such container), -EINVAL (reason in err: not a bolt file, damaged). */
int meta_containerd_lookup(const char *db, const char *ns, const char *id,
			   struct meta_info *mi, char *err, size_t errlen);

#endif /* IG_PLUGIN_RUNC_META_H */
