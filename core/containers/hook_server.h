/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The listening side of `ig hook` (internal; the client is
 * core/cli/cmd_hook.c): one unix socket per running ig in the hook
 * directory; an OCI hook's message registers or removes a container through
 * the table's ops before the hook gets its answer.
 */
#ifndef IG_CORE_CONTAINERS_HOOK_SERVER_H
#define IG_CORE_CONTAINERS_HOOK_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include <ig/container.h>

#include "report.h"

/* Where running ig instances listen for `ig hook`: one socket per instance,
 * <dir>/ig-<pid>.sock; IG_HOOK_DIR overrides the directory. */
#define IG_HOOK_DIR_DEFAULT	"/run/ig"
#define IG_HOOK_TIMEOUT_MS	2000
#define IG_HOOK_MAX_MSG		(192u * 1024)
const char *ig_hook_dir(void);
/* 0 if dir is a directory owned by this user that no one else can write;
 * -EACCES if another user owns it, -EPERM if it is not a directory or others
 * can write it, -errno if it cannot be looked at; why says which. */
int ig_hook_dir_check(const char *dir, char *why, size_t whylen);

struct ctr_hook_server;

/* Listen on <hook dir>/ig-<pid>.sock. ops must outlive the server. NULL
 * with errno. */
struct ctr_hook_server *ctr_hook_server__new(const struct ctr_report_ops *ops);
/* p (the listening socket, a client or the timer) is readable. */
int ctr_hook_server__dispatch(struct ctr_hook_server *hs, struct ctr_pollable *p);
/* Free the clients dropped during the last epoll batch; after each batch. */
void ctr_hook_server__reap(struct ctr_hook_server *hs);
void ctr_hook_server__destroy(struct ctr_hook_server *hs);

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

#endif /* IG_CORE_CONTAINERS_HOOK_SERVER_H */
