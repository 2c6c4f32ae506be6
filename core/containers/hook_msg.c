// SPDX-License-Identifier: Apache-2.0
/*
 * A hook message, parsed as untrusted input (a fuzz target: tests/fuzz/
 * hook_msg.c) and applied through the table's ops; see hook_msg.h. The
 * table then checks what it names against the kernel (table.c, trust.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "hook_msg.h"

static const char *const stage_names[] = {
	[CTR_HOOK_CREATE_RUNTIME] = "createRuntime",
	[CTR_HOOK_CREATE_CONTAINER] = "createContainer",
	[CTR_HOOK_START_CONTAINER] = "startContainer",
	[CTR_HOOK_PRESTART] = "prestart",
	[CTR_HOOK_POSTSTART] = "poststart",
	[CTR_HOOK_POSTSTOP] = "poststop",
};
/* Borrowed from obj (kept by the message): string values only. */
static int annotations_from_json(json_t *obj, struct ctr_hook_msg *m)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj) || !json_object_size(obj))
		return 0;
	m->annotations = calloc(json_object_size(obj), sizeof(*m->annotations));
	if (!m->annotations)
		return -ENOMEM;
	json_object_foreach(obj, key, v) {
		if (!json_is_string(v))
			continue;
		/* A NUL inside cuts the value there (C strings): the container
		 * is still tracked. */
		m->annotations[m->nr_annotations].key = key;
		m->annotations[m->nr_annotations].value = json_string_value(v);
		m->nr_annotations++;
	}
	return 0;
}

static int parse_stage(const char *s, enum ctr_hook_stage *stage)
{
	for (size_t i = 0; i < IG_ARRAY_SIZE(stage_names); i++)
		if (!strcmp(s, stage_names[i])) {
			*stage = (enum ctr_hook_stage)i;
			return 0;
		}
	return -EINVAL;
}

int ctr_hook_parse(const char *msg, size_t len, struct ctr_hook_msg *m, char *err, size_t errlen)
{
	json_t *st, *v;
	const char *stage;
	json_int_t pid;

	memset(m, 0, sizeof(*m));
	/* Annotations may hold \u0000: accepted, cut at the NUL. */
	m->root = json_loadb(msg, len, JSON_ALLOW_NUL, NULL);
	st = json_object_get(m->root, "state");
	stage = json_string_value(json_object_get(m->root, "stage"));
	if (!json_is_object(st) || !stage) {
		snprintf(err, errlen, "hook message without \"stage\" and \"state\"");
		goto err_free;
	}
	if (parse_stage(stage, &m->stage)) {
		snprintf(err, errlen, "unknown hook stage (valid: createRuntime, createContainer, "
			 "startContainer, prestart, poststart, poststop)");
		goto err_free;
	}
	v = json_object_get(st, "id");
	m->id = json_string_value(v);
	if (!m->id || !*m->id || strlen(m->id) != json_string_length(v)) {
		snprintf(err, errlen, "OCI state without a valid \"id\"");
		goto err_free;
	}
	if (m->stage == CTR_HOOK_POSTSTOP)
		return 0;
	v = json_object_get(st, "pid");
	pid = json_is_integer(v) ? json_integer_value(v) : 0;
	if (pid <= 0 || pid > INT32_MAX) {
		/* A pid of 2^32 + N is not N. */
		snprintf(err, errlen, "OCI state of %.64s has no valid pid (stage %s)", m->id,
			 stage_names[m->stage]);
		goto err_free;
	}
	m->pid = (int32_t)pid;
	m->bundle = json_string_value(json_object_get(st, "bundle"));
	if (annotations_from_json(json_object_get(st, "annotations"), m)) {
		snprintf(err, errlen, "out of memory");
		goto err_free;
	}
	return 0;

err_free:
	ctr_hook_msg__free(m);
	return -EINVAL;
}

void ctr_hook_msg__free(struct ctr_hook_msg *m)
{
	free(m->annotations);
	json_decref(m->root);
	memset(m, 0, sizeof(*m));
}

int ctr_hook_apply(const struct ctr_report_ops *ops, const char *msg, size_t len,
		   char *err, size_t errlen)
{
	struct ig_container c = { .sz = sizeof(c) };
	struct ctr_hook_msg m;
	struct timespec now;
	int ret;

	ret = ctr_hook_parse(msg, len, &m, err, errlen);
	if (ret)
		return ret;
	if (m.stage == CTR_HOOK_POSTSTOP) {
		ret = ops->remove(ops->arg, m.id, CTR_SRC_HOOK);
		if (ret == -EBUSY)
			snprintf(err, errlen, "poststop for %.64s, whose init process still runs: "
				 "ignored", m.id);
		else if (ret == -ENOENT)
			ret = 0;	/* not ours, or gone already */
		goto out_free_msg;
	}
	c.id = m.id;
	c.pid = m.pid;
	c.bundle = m.bundle;
	c.annotations = m.annotations;
	c.nr_annotations = m.nr_annotations;
	clock_gettime(CLOCK_REALTIME, &now);
	c.created_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	/* The engine names it, as it would without the hook: the plugins
	 * report it first when they know it, and this report only fills in. */
	if (ops->identify) {
		struct ig_plugin_query q = {
			.sz = sizeof(q), .id = c.id, .pid = c.pid, .bundle = c.bundle,
			.annotations = c.annotations, .nr_annotations = c.nr_annotations,
		};

		ops->identify(ops->arg, &q);
	}
	ret = ops->report(ops->arg, &c, CTR_SRC_HOOK);
	if (ret)
		snprintf(err, errlen, "cannot register %.64s: %s", m.id, strerror(-ret));
out_free_msg:
	ctr_hook_msg__free(&m);
	return ret;
}

