/* SPDX-License-Identifier: Apache-2.0 */
/*
 * seccomp-audit: reading AUDIT_SECCOMP records from the audit netlink
 * multicast group, and switching audit on for the run when it is off.
 */
#ifndef SAU_AUDIT_NETLINK_H
#define SAU_AUDIT_NETLINK_H

#include <stdbool.h>

#include "sau.h"

struct sau_audit;

/* Called on the reader thread with a record, or with NULL every ~100 ms. */
typedef void (*sau_audit_fn)(void *ctx, const struct sau_audit_rec *r);

/* Audit status "enabled" (0 off, 1 on, 2 locked) or -errno. */
int sau_audit_get_enabled(void);
/* The registered audit daemon's pid (0: none) or -errno. */
int sau_audit_get_daemon(void);
/* 0 or -errno. */
int sau_audit_set_enabled(int enabled);

/* Shared audit switch (audit_share.c): join says in *prev what audit was
 * before any ig run switched it on (0: it is on now for us); leave switches
 * it off again when the last run leaves, unless an audit daemon registered
 * since ig switched it on (the switch is the daemon's then). 0 or -errno. */
int sau_audit_share_join(int *prev);
int sau_audit_share_leave(void);

/* Subscribe to the readlog group; when audit is off and enable is set,
 * switch it on (*enabled_by_us tells). NULL + errno on failure. */
struct sau_audit *sau_audit_open(bool enable, bool *enabled_by_us);
/* Start the reader thread. 0 or -errno. */
int sau_audit_start(struct sau_audit *a, sau_audit_fn fn, void *ctx);
/* Stop and join the thread, then hand records that arrive within quiet_ms of
 * each other (at most max_ms in all) to fn on the calling thread. */
void sau_audit_stop(struct sau_audit *a, int quiet_ms, int max_ms);
/* Restore the audit state found at open. 0 or -errno. */
int sau_audit_restore(struct sau_audit *a);
/* Stops, restores, frees; accepts NULL. */
void sau_audit_free(struct sau_audit *a);

#endif /* SAU_AUDIT_NETLINK_H */
