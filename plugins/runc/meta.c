// SPDX-License-Identifier: Apache-2.0
/*
 * Engine metadata: the pieces shared by the readers, and how a container's
 * cgroup name tells which engine made it and the id it has there.
 *
 * Measured on this machine (cgroupfs driver) and from the engines' sources
 * (systemd driver): Docker docker/<id> or docker-<id>.scope; podman
 * libpod_parent/libpod-<id> or machine.slice/libpod-<id>.scope; containerd
 * `ctr` <namespace>/<id>; Kubernetes with containerd cri-containerd-<id>.scope
 * or kubepods/<qos>/pod<uid>/<id>; CRI-O crio-<id>.scope or .../crio-<id>;
 * runc alone /<id> unless the config says otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"

void meta_info__free(struct meta_info *mi)
{
	if (!mi)
		return;
	free(mi->name);
	free(mi->image);
	for (size_t i = 0; i < mi->nr_labels; i++) {
		free((char *)mi->labels[i].key);
		free((char *)mi->labels[i].value);
	}
	free(mi->labels);
	memset(mi, 0, sizeof(*mi));
}

int meta_info__add_label(struct meta_info *mi, const char *key, size_t klen,
			 const char *value, size_t vlen)
{
	struct ig_label *tmp = realloc(mi->labels, (mi->nr_labels + 1) * sizeof(*tmp));
	char *k, *v;

	if (!tmp)
		return -ENOMEM;
	mi->labels = tmp;
	k = strndup(key, klen);
	v = strndup(value, vlen);
	if (!k || !v) {
		free(k);
		free(v);
		return -ENOMEM;
	}
	tmp[mi->nr_labels].key = k;
	tmp[mi->nr_labels].value = v;
	mi->nr_labels++;
	return 0;
}

bool meta_id_valid(const char *id, size_t len)
{
	if (!id || !len || len > 128 || id[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = id[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-'))
			return false;
	}
	return true;
}

static const struct {
	const char *prefix;
	enum meta_engine engine;
} prefixes[] = {
	{ "cri-containerd-", META_ENGINE_CONTAINERD },
	{ "docker-", META_ENGINE_DOCKER },
	{ "libpod-", META_ENGINE_PODMAN },
	{ "crio-", META_ENGINE_CRIO },
};

static bool ends_with(const char *s, size_t len, const char *suffix, size_t slen)
{
	return len >= slen && !memcmp(s + len - slen, suffix, slen);
}

int meta_cgroup_id(const char *leaf, const char *parent, struct meta_cgroup_id *out)
{
	size_t len = leaf ? strnlen(leaf, 256) : 0;
	const char *id = leaf;

	memset(out, 0, sizeof(*out));
	if (!len || len == 256)
		return -EINVAL;
	out->engine = META_ENGINE_RUNC;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(*prefixes); i++) {
		size_t plen = strlen(prefixes[i].prefix);

		if (len > plen && !strncmp(leaf, prefixes[i].prefix, plen)) {
			out->engine = prefixes[i].engine;
			id += plen;
			len -= plen;
			/* the systemd driver's unit name */
			if (ends_with(id, len, ".scope", 6))
				len -= 6;
			break;
		}
	}
	/* conmon and the pod's own cgroup are not containers */
	if (!strncmp(id, "conmon-", 7) || !meta_id_valid(id, len))
		return -EINVAL;
	if (parent && out->engine == META_ENGINE_RUNC && !strcmp(parent, "docker"))
		out->engine = META_ENGINE_DOCKER;
	memcpy(out->id, id, len);
	out->id[len] = '\0';
	if (parent)
		snprintf(out->parent, sizeof(out->parent), "%s", parent);
	return 0;
}
