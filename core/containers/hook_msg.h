/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What an OCI hook tells ig (internal; the server is hook_server.c, the
 * client core/cli/cmd_hook.c): {"stage": ..., "state": {OCI state}}, parsed
 * as untrusted input and applied to the container table through its ops.
 */
#ifndef IG_CORE_CONTAINERS_HOOK_MSG_H
#define IG_CORE_CONTAINERS_HOOK_MSG_H

#include <stddef.h>
#include <stdint.h>

#include <ig/common.h>
#include <ig/container.h>

#include "report.h"

enum ctr_hook_stage {
	CTR_HOOK_CREATE_RUNTIME,
	CTR_HOOK_CREATE_CONTAINER,
	CTR_HOOK_START_CONTAINER,
	CTR_HOOK_PRESTART,
	CTR_HOOK_POSTSTART,
	CTR_HOOK_POSTSTOP,
};

/* A hook message, parsed. Strings and annotations point into root. */
struct ctr_hook_msg {
	void *root;			/* json_t *, owned */
	enum ctr_hook_stage stage;
	const char *id;
	int32_t pid;			/* > 0, except for poststop (0) */
	const char *bundle;		/* or NULL */
	struct ig_label *annotations;	/* owned array, borrowed strings */
	uint32_t nr_annotations;
};

/* Parse {"stage": ..., "state": {OCI state}} as untrusted input: a known
 * stage, an id without NUL, a pid in 1..2^31-1 (but for poststop), string
 * annotations (a value with a NUL is cut there). 0, or -EINVAL with the
 * reason in err. Free with ctr_hook_msg__free (also after an error). */
int ctr_hook_parse(const char *msg, size_t len, struct ctr_hook_msg *m, char *err,
		   size_t errlen);
void ctr_hook_msg__free(struct ctr_hook_msg *m);

/* Parse a hook message and apply it through ops (register, or retire for
 * poststop). Returns 0 or -errno, reason in err. */
int ctr_hook_apply(const struct ctr_report_ops *ops, const char *msg, size_t len,
		   char *err, size_t errlen);

#endif /* IG_CORE_CONTAINERS_HOOK_MSG_H */
