// SPDX-License-Identifier: Apache-2.0
/*
 * One container's metadata: copy what a plugin or the hook reported, derive
 * names from the annotations Kubernetes runtimes put in the OCI config, and
 * read namespaces and cgroup from /proc.
 *
 * containerd's CRI plugin: io.kubernetes.cri.sandbox-namespace, -name, -uid,
 * io.kubernetes.cri.container-name, io.kubernetes.cri.image-name (no pod
 * labels). CRI-O: io.kubernetes.pod.namespace, .name, .uid,
 * io.kubernetes.container.name, io.kubernetes.cri-o.ImageName and
 * io.kubernetes.cri-o.Labels, a JSON object of the labels kubelet set, which
 * are the pod's labels plus kubelet's own io.kubernetes.* keys (dropped here).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "lib/ns/mntns.h"
#include "meta.h"

struct k8s_keys {
	const char *ns, *pod, *uid, *container, *image;
};

static const struct k8s_keys cri_keys = {
	"io.kubernetes.cri.sandbox-namespace", "io.kubernetes.cri.sandbox-name",
	"io.kubernetes.cri.sandbox-uid", "io.kubernetes.cri.container-name",
	"io.kubernetes.cri.image-name",
};

static const struct k8s_keys crio_keys = {
	"io.kubernetes.pod.namespace", "io.kubernetes.pod.name",
	"io.kubernetes.pod.uid", "io.kubernetes.container.name",
	"io.kubernetes.cri-o.ImageName",
};

#define CRIO_LABELS	"io.kubernetes.cri-o.Labels"

static int cmp_label(const void *a, const void *b)
{
	return strcmp(((const struct ig_label *)a)->key, ((const struct ig_label *)b)->key);
}

const char *ctr_annotation(const struct ig_container *c, const char *key)
{
	struct ig_label k = { .key = key }, *hit;

	if (!c->nr_annotations)
		return NULL;
	hit = bsearch(&k, c->annotations, c->nr_annotations, sizeof(k), cmp_label);
	return hit ? hit->value : NULL;
}

const char *ctr_runtime_from_annotations(const struct ig_container *c, const char *fallback)
{
	const char *mgr = ctr_annotation(c, "io.container.manager");

	/* podman sets a few CRI-O annotations too */
	if (mgr && !strcmp(mgr, "libpod"))
		return "podman";
	for (uint32_t i = 0; i < c->nr_annotations; i++) {
		if (!strncmp(c->annotations[i].key, "io.kubernetes.cri-o.", 20))
			return "cri-o";
		if (!strncmp(c->annotations[i].key, "io.kubernetes.cri.", 18))
			return "containerd";
	}
	return fallback;
}

static void free_labels(struct ig_label *l, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		free((char *)l[i].key);
		free((char *)l[i].value);
	}
	free(l);
}

/* Copy, sort by key, drop duplicate keys (the first one wins). */
static int copy_labels(const struct ig_label *src, uint32_t n, struct ig_label **dst,
		       uint32_t *nr)
{
	struct ig_label *l;
	uint32_t out = 0;

	*dst = NULL;
	*nr = 0;
	if (!n)
		return 0;
	l = calloc(n, sizeof(*l));
	if (!l)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		if (!src[i].key || !src[i].value)
			continue;
		l[out].key = strdup(src[i].key);
		l[out].value = strdup(src[i].value);
		if (!l[out].key || !l[out].value) {
			free_labels(l, out + 1);
			return -ENOMEM;
		}
		out++;
	}
	qsort(l, out, sizeof(*l), cmp_label);
	for (uint32_t i = 1; i < out; i++) {
		if (strcmp(l[i].key, l[i - 1].key))
			continue;
		free((char *)l[i].key);
		free((char *)l[i].value);
		memmove(&l[i], &l[i + 1], (out - i - 1) * sizeof(*l));
		out--;
		i--;
	}
	*dst = l;
	*nr = out;
	return 0;
}

/* Pod labels from CRI-O's Labels annotation, without kubelet's own keys. */
static int labels_from_crio(const char *text, struct ig_label **dst, uint32_t *nr)
{
	struct ig_label *l = NULL;
	uint32_t n = 0;
	const char *key;
	json_t *obj, *v;
	int ret = 0;

	*dst = NULL;
	*nr = 0;
	obj = json_loads(text, 0, NULL);
	if (!json_is_object(obj))
		goto out_free_json;	/* malformed: no labels, not an error */
	l = calloc(json_object_size(obj) + 1, sizeof(*l));
	if (!l) {
		ret = -ENOMEM;
		goto out_free_json;
	}
	json_object_foreach(obj, key, v) {
		if (!json_is_string(v) || !strncmp(key, "io.kubernetes.", 14))
			continue;
		l[n].key = key;
		l[n].value = json_string_value(v);
		n++;
	}
	ret = copy_labels(l, n, dst, nr);
	free(l);
out_free_json:
	json_decref(obj);
	return ret;
}

/* *dst = strdup(src) when *dst is unset and src is a non-empty string. */
static int fill_str(const char **dst, const char *src)
{
	if (*dst || !src || !*src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -ENOMEM;
}

static int derive_k8s(struct ig_container *c, const struct k8s_keys *k)
{
	int err = 0;

	err |= fill_str(&c->k8s_namespace, ctr_annotation(c, k->ns));
	err |= fill_str(&c->k8s_pod, ctr_annotation(c, k->pod));
	err |= fill_str(&c->k8s_pod_uid, ctr_annotation(c, k->uid));
	err |= fill_str(&c->k8s_container, ctr_annotation(c, k->container));
	err |= fill_str(&c->image, ctr_annotation(c, k->image));
	return err ? -ENOMEM : 0;
}

/* The enrichment text of the labels, once: records of the container reuse it. */
static int build_labels_text(struct ctr_entry *e)
{
	const struct ig_container *c = &e->c;
	size_t need = 1, off = 0;

	if (e->labels_text || !c->nr_labels)
		return 0;
	for (uint32_t i = 0; i < c->nr_labels; i++)
		need += strlen(c->labels[i].key) + strlen(c->labels[i].value) + 2;
	e->labels_text = malloc(need);
	if (!e->labels_text)
		return -ENOMEM;
	for (uint32_t i = 0; i < c->nr_labels; i++)
		off += (size_t)snprintf(e->labels_text + off, need - off, "%s%s=%s", i ? "," : "",
					c->labels[i].key, c->labels[i].value);
	e->labels_len = (uint32_t)off;
	return 0;
}

/* Fill what info lacks in e->c from info, then derive from annotations. */
static int merge(struct ctr_entry *e, const struct ig_container *info)
{
	struct ig_container *c = &e->c;
	const char *crio_labels;
	int err = 0;

#define HAS(m) IG_CONTAINER_HAS(info, m)
	err |= fill_str(&c->runtime, HAS(runtime) ? info->runtime : NULL);
	err |= fill_str(&c->id, HAS(id) ? info->id : NULL);
	err |= fill_str(&c->image, HAS(image) ? info->image : NULL);
	err |= fill_str(&c->cgroup, HAS(cgroup) ? info->cgroup : NULL);
	err |= fill_str(&c->bundle, HAS(bundle) ? info->bundle : NULL);
	err |= fill_str(&c->k8s_namespace, HAS(k8s_namespace) ? info->k8s_namespace : NULL);
	err |= fill_str(&c->k8s_pod, HAS(k8s_pod) ? info->k8s_pod : NULL);
	err |= fill_str(&c->k8s_pod_uid, HAS(k8s_pod_uid) ? info->k8s_pod_uid : NULL);
	err |= fill_str(&c->k8s_container, HAS(k8s_container) ? info->k8s_container : NULL);
	if (err)
		return -ENOMEM;
	if (!c->pid && HAS(pid) && info->pid > 0)
		c->pid = info->pid;
	if (!c->mntns && HAS(mntns))
		c->mntns = info->mntns;
	if (!c->netns && HAS(netns))
		c->netns = info->netns;
	if (!c->created_ns && HAS(created_ns))
		c->created_ns = info->created_ns;
	if (!c->nr_annotations && HAS(nr_annotations) && info->nr_annotations &&
	    copy_labels(info->annotations, info->nr_annotations,
			(struct ig_label **)&c->annotations, &c->nr_annotations))
		return -ENOMEM;
	if (!c->nr_labels && HAS(nr_labels) && info->nr_labels &&
	    copy_labels(info->labels, info->nr_labels, (struct ig_label **)&c->labels,
			&c->nr_labels))
		return -ENOMEM;
#undef HAS
	if (derive_k8s(c, &cri_keys) || derive_k8s(c, &crio_keys))
		return -ENOMEM;
	crio_labels = ctr_annotation(c, CRIO_LABELS);
	if (!c->nr_labels && crio_labels &&
	    labels_from_crio(crio_labels, (struct ig_label **)&c->labels, &c->nr_labels))
		return -ENOMEM;
	/* The name: what the reporter said, else Kubernetes' container name,
	 * else the id (plain runc: the id is what the user chose). */
	if (!c->name && IG_CONTAINER_HAS(info, name) && info->name && *info->name)
		c->name = strdup(info->name);
	else if (!c->name)
		c->name = strdup(c->k8s_container ? c->k8s_container : c->id);
	if (!c->name)
		return -ENOMEM;
	return build_labels_text(e);
}

struct ctr_entry *ctr_entry__new(const struct ig_container *info)
{
	struct ctr_entry *e;
	int err;

	if (!info || info->sz < offsetof(struct ig_container, pid) ||
	    !info->id || !*info->id) {
		errno = EINVAL;
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->c.sz = sizeof(e->c);
	e->pidfd.kind = CTR_POLL_PIDFD;
	e->pidfd.fd = -1;
	err = merge(e, info);
	if (err) {
		ctr_entry__free(e);
		errno = -err;
		return NULL;
	}
	return e;
}

int ctr_entry__merge(struct ctr_entry *e, const struct ig_container *info)
{
	return merge(e, info);
}

int ctr_proc_ns_inode(int pid, const char *ns, uint64_t *ino)
{
	char path[64];
	struct stat sb;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, ns);
	if (stat(path, &sb))
		return -errno;
	*ino = sb.st_ino;
	return 0;
}

char *ctr_cgroup_from_text(const char *text)
{
	const char *best = NULL, *line, *end, *path;
	int rank = 0;	/* 3: "0::", 2: name=systemd, 1: first line */

	for (line = text; line && *line; line = end ? end + 1 : NULL) {
		int r = 0;

		end = strchr(line, '\n');
		path = strchr(line, ':');
		path = path ? strchr(path + 1, ':') : NULL;
		if (!path || (end && path > end))
			continue;
		if (!strncmp(line, "0::", 3))
			r = 3;
		else if (strstr(line, ":name=systemd:") == strchr(line, ':'))
			r = 2;
		else
			r = 1;
		if (r > rank) {
			rank = r;
			best = path + 1;
		}
	}
	if (!best)
		return NULL;
	end = strchr(best, '\n');
	return end ? strndup(best, (size_t)(end - best)) : strdup(best);
}

static char *read_cgroup(int pid)
{
	char path[64], buf[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return ctr_cgroup_from_text(buf);
}

int ctr_entry__probe(struct ctr_entry *e)
{
	struct ig_container *c = &e->c;
	int err;

	if (c->pid <= 0)
		return -ESRCH;
	if (!c->mntns) {
		err = ctr_proc_ns_inode(c->pid, "mnt", &c->mntns);
		if (err)
			return err == -ENOENT ? -ESRCH : err;
	}
	if (!c->mntns_id)
		c->mntns_id = ig_mntns_id_of_pid(c->pid, c->mntns);	/* 6.8+ */
	if (!c->netns)
		ctr_proc_ns_inode(c->pid, "net", &c->netns);	/* best effort */
	if (!c->cgroup)
		c->cgroup = read_cgroup(c->pid);
	return 0;
}

void ctr_entry__free(struct ctr_entry *e)
{
	struct ig_container *c;

	if (!e)
		return;
	c = &e->c;
	if (e->pidfd.fd >= 0)
		close(e->pidfd.fd);
	free((char *)c->runtime);
	free((char *)c->id);
	free((char *)c->name);
	free((char *)c->image);
	free((char *)c->cgroup);
	free((char *)c->bundle);
	free((char *)c->k8s_namespace);
	free((char *)c->k8s_pod);
	free((char *)c->k8s_pod_uid);
	free((char *)c->k8s_container);
	free_labels((struct ig_label *)c->labels, c->nr_labels);
	free_labels((struct ig_label *)c->annotations, c->nr_annotations);
	free(e->labels_text);
	free(e);
}

const char *ctr_entry__labels_text(const struct ig_container *c, uint32_t *len)
{
	const struct ctr_entry *e = ctr_entry_of(c);

	*len = e->labels_len;
	return e->labels_text;
}
