/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which container a birth (birth.h) belongs to: the running one whose init
 * it is, or one it is a `runc exec` into.
 */
#ifndef IG_CORE_CONTAINERS_BIRTH_MATCH_H
#define IG_CORE_CONTAINERS_BIRTH_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "birth.h"
#include "meta.h"

/*
 * Whether a birth can be a `runc exec` into e: the same namespace id when
 * both are known (6.8+); else e's init still lives in the birth's mount
 * namespace, and the birth did not start before it. Inode
 * numbers are reused at once: a container born while another one's last
 * process is exiting, or one that ran and exited before ig read its birth,
 * can have the inode number of a live container. The kernel frees a
 * namespace in exit_task_namespaces(), before the exit shows on a pidfd;
 * from then on the init's ns/mnt link is gone.
 */
bool ctr_birth__exec_into(const struct ctr_entry *e, const struct ig_birth *k);
/* The birth's start in clock ticks after boot (as /proc/PID/stat's). */
uint64_t ctr_birth__start_ticks(const struct ig_birth *k);
/* The running container of v whose init is the birth's pid, else (by_ns) one
 * it can be a `runc exec` into; NULL if none. */
struct ctr_entry *ctr_birth__match(struct ctr_entry *const *v, size_t nr, const struct ig_birth *k,
				   bool by_ns);

#endif /* IG_CORE_CONTAINERS_BIRTH_MATCH_H */
