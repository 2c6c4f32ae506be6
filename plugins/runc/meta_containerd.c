// SPDX-License-Identifier: Apache-2.0
/*
 * containerd's own record of a container: v1/<namespace>/containers/<id> in
 * its bbolt metadata store, with "image" (the image name `ctr c ls` shows)
 * and a "labels" bucket (`ctr run --label`, and for Kubernetes the CRI
 * plugin's io.kubernetes.* labels: container and pod names, namespace). The
 * record exists from `ctr c create` (or the CRI CreateContainer) until the
 * container is deleted, so it outlives the task and runc's state.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bolt.h"
#include "meta.h"

#define MAX_LABELS	256
#define MAX_LABEL_KEY	1024
#define MAX_LABEL_VAL	(16u << 10)

static int take_label(void *arg, const void *k, size_t klen, const void *v, size_t vlen)
{
	struct meta_info *mi = arg;

	if (mi->nr_labels >= MAX_LABELS)
		return 1;	/* enough: the rest is not worth an unbounded walk */
	if (!klen || klen > MAX_LABEL_KEY || vlen > MAX_LABEL_VAL || memchr(k, '\0', klen) ||
	    memchr(v, '\0', vlen))
		return 0;
	return meta_info__add_label(mi, k, klen, v, vlen);
}

int meta_containerd_lookup(const char *db, const char *ns, const char *id,
			   struct meta_info *mi, char *err, size_t errlen)
{
	const char *path[5] = { "v1", ns, "containers", id, "labels" };
	struct bolt_bucket ctr, labels;
	struct bolt *b;
	size_t len;
	int ret;

	memset(mi, 0, sizeof(*mi));
	if (!meta_id_valid(ns, strlen(ns)) || !meta_id_valid(id, strlen(id)))
		return -ENOENT;
	b = bolt_open(db, err, errlen);
	if (!b)
		return errno == ENOENT ? -ENOENT : -EINVAL;
	ret = bolt_bucket(b, path, 4, &ctr);
	if (ret) {
		if (ret == -EINVAL)
			snprintf(err, errlen, "%s: damaged page under v1/%s/containers", db, ns);
		goto out_close;
	}
	ret = bolt_get(b, &ctr, "image", &mi->image, &len);
	if (ret == -ENOENT || (!ret && !len)) {
		free(mi->image);
		mi->image = NULL;	/* a container without an image (ctr --rootfs) */
		ret = 0;
	}
	if (!ret && !bolt_bucket(b, path, 5, &labels)) {
		ret = bolt_foreach(b, &labels, take_label, mi);
		ret = ret == 1 ? 0 : ret;
		bolt_bucket_fini(&labels);
	}
	bolt_bucket_fini(&ctr);
	if (ret == -EINVAL)
		snprintf(err, errlen, "%s: damaged page in container %s/%s", db, ns, id);
	if (!ret && !(mi->name = strdup(id)))
		ret = -ENOMEM;
out_close:
	if (ret)
		meta_info__free(mi);
	bolt_close(b);
	return ret;
}
