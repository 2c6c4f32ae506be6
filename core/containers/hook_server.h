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

#endif /* IG_CORE_CONTAINERS_HOOK_SERVER_H */
