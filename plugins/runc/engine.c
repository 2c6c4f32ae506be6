// SPDX-License-Identifier: Apache-2.0
/*
 * Which engine runs a runc container, and the name and image that engine
 * shows for it (`docker ps`, `podman ps`, `ctr c ls`): from the state root
 * the container is in, its annotations, and the engine's own files
 * (meta.h). Kubernetes names stay with the core, which derives them from the
 * CRI annotations.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"
#include "runc.h"

#define DOCKER_MAX_FILE	(4u << 20)

static const char *annotation(const struct runc_state *st, const char *key)
{
	for (size_t i = 0; i < st->nr_annotations; i++)
		if (!strcmp(st->annotations[i].key, key))
			return st->annotations[i].value;
	return NULL;
}

const char *runc_runtime_name(const char *root_runtime, const struct runc_state *st)
{
	const char *mgr = annotation(st, "io.container.manager");

	/* podman marks its containers, and sets some CRI-O annotations too */
	if (mgr && !strcmp(mgr, "libpod"))
		return "podman";
	if (!strcmp(root_runtime, "podman"))
		return "podman";
	for (size_t i = 0; i < st->nr_annotations; i++)
		if (!strncmp(st->annotations[i].key, "io.kubernetes.cri-o.", 20))
			return "cri-o";
	return root_runtime;
}

static int docker_lookup(const char *id, struct meta_info *mi, char *err, size_t errlen)
{
	struct meta_read_opts o = { .max = DOCKER_MAX_FILE, .owner = 0 };
	char path[512];
	size_t len;
	char *text;
	int ret;

	memset(mi, 0, sizeof(*mi));
	if (!meta_id_valid(id, strlen(id)))
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json", RUNC_DOCKER_DATA_ROOT, id);
	text = meta_read_file(path, &o, &len);
	if (!text) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret == -ENOENT ? -ENOENT : -EINVAL;
	}
	ret = runc_docker_meta(text, len, &mi->name, &mi->image);
	if (ret)
		snprintf(err, errlen, "%s: not a JSON object", path);
	free(text);
	return ret;
}

int runc_engine__describe(const char *root_runtime, const char *root_dir, uid_t owner,
			  const struct runc_state *st, struct runc_engine *out,
			  char *err, size_t errlen)
{
	struct meta_read_opts o = { .max = 0, .owner = owner,
				    .no_symlinks = owner != META_ANY_OWNER && owner != 0 };
	const char *slash;
	int ret = -ENOENT;

	memset(out, 0, sizeof(*out));
	err[0] = '\0';
	out->runtime = runc_runtime_name(root_runtime, st);
	if (!strcmp(out->runtime, "docker")) {
		ret = docker_lookup(st->id, &out->mi, err, errlen);
	} else if ((!strcmp(out->runtime, "podman") || !strcmp(out->runtime, "cri-o")) &&
		   st->bundle) {
		ret = meta_podman_lookup(st->bundle, st->id, &o, &out->mi, err, errlen);
		/* CRI-O's names are Kubernetes' (annotations), not storage's
		 * k8s_<container>_<pod>_... */
		if (!ret && !strcmp(out->runtime, "cri-o")) {
			free(out->mi.name);
			out->mi.name = NULL;
		}
	} else if (!strcmp(out->runtime, "containerd") && root_dir &&
		   (slash = strrchr(root_dir, '/'))) {
		ret = meta_containerd_lookup(META_CONTAINERD_DB, slash + 1, st->id, &out->mi, err,
					     errlen);
		/* ctr shows the id; Kubernetes names come from the annotations */
		if (!ret && annotation(st, "io.kubernetes.cri.container-name")) {
			free(out->mi.name);
			out->mi.name = NULL;
		}
	}
	return ret == -ENOENT ? 0 : ret;
}

#define PODMAN_STORE	"/var/lib/containers/storage"
#define CRI_NAMESPACE	"k8s.io"

int runc_engine__lookup(enum meta_engine engine, const char *ns, const char *id,
			struct runc_engine *out, char *err, size_t errlen)
{
	struct meta_read_opts o = { .owner = 0 };
	int ret = -ENOENT;

	memset(out, 0, sizeof(*out));
	err[0] = '\0';
	switch (engine) {
	case META_ENGINE_DOCKER:
		out->runtime = "docker";
		ret = docker_lookup(id, &out->mi, err, errlen);
		break;
	case META_ENGINE_PODMAN:
		out->runtime = "podman";
		ret = meta_podman_lookup_store(PODMAN_STORE, id, &o, &out->mi, err, errlen);
		break;
	case META_ENGINE_CONTAINERD:
		out->runtime = "containerd";
		ret = meta_containerd_lookup(META_CONTAINERD_DB, CRI_NAMESPACE, id, &out->mi, err,
					     errlen);
		break;
	case META_ENGINE_RUNC:
		/* a bare name: ctr puts <namespace>/<id>, docker docker/<id> */
		out->runtime = "containerd";
		if (ns)
			ret = meta_containerd_lookup(META_CONTAINERD_DB, ns, id, &out->mi, err,
						     errlen);
		break;
	default:
		break;
	}
	return ret;
}

void runc_engine__fini(struct runc_engine *e)
{
	if (e)
		meta_info__free(&e->mi);
}
