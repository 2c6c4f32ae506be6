/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The container the core knows about, as gadgets see it (read-only).
 *
 * Containers are owned by the core's container table. A pointer a gadget
 * receives (from lookup or from the container_added/removed callbacks) stays
 * valid until the gadget's destroy callback returns: removed containers are
 * kept (flag IG_CONTAINER_REMOVED) so records and reports that arrive after a
 * container exited can still be attributed to it.
 *
 * ABI: append-only, starts with its size; read members past what you know
 * only when sz says they are there (IG_CONTAINER_HAS()).
 */
#ifndef IG_CONTAINER_H
#define IG_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IG_CONTAINER_REMOVED	(1u << 0)

struct ig_label {
	const char *key;
	const char *value;
};

struct ig_container {
	uint32_t sz;		/* sizeof(struct ig_container) of the core */
	uint32_t flags;		/* IG_CONTAINER_* */
	const char *runtime;	/* "runc", "containerd", "cri-o", "docker", "ig-command" */
	const char *id;		/* full container id */
	const char *name;	/* container name (k8s container name, docker name,
				 * or the id when nothing better is known) */
	const char *image;	/* image name from annotations, or NULL */
	int32_t pid;		/* init pid (in ig's pid namespace) */
	uint32_t pad0;
	uint64_t mntns;		/* mount namespace inode */
	uint64_t netns;		/* network namespace inode */
	const char *cgroup;	/* cgroup v2 path or v1 path, or NULL */
	const char *bundle;	/* OCI bundle dir, or NULL */
	const char *k8s_namespace;	/* NULL if not a Kubernetes container */
	const char *k8s_pod;
	const char *k8s_pod_uid;
	const char *k8s_container;
	const struct ig_label *labels;	/* pod labels, sorted by key */
	uint32_t nr_labels;
	uint32_t pad1;
	const struct ig_label *annotations;	/* OCI annotations, sorted by key */
	uint32_t nr_annotations;
	uint32_t pad2;
	uint64_t created_ns;	/* wall clock ns when created (0 unknown) */
	/* gadget ABI 1.5: check IG_CONTAINER_HAS(c, mntns_id) first */
	uint64_t mntns_id;	/* mount namespace id, never reused unlike the inode:
				 * what NS_GET_MNTNS_ID gives (6.8+), 0 unknown */
};

#define IG_CONTAINER_HAS(c, member) \
	((c)->sz >= offsetof(struct ig_container, member) + sizeof((c)->member))

#ifdef __cplusplus
}
#endif

#endif /* IG_CONTAINER_H */
