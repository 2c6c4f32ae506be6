/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mount namespace ids, shared by the core and gadgets. An inode number is
 * reused as soon as its namespace is freed; the id (NS_GET_MNTNS_ID, 6.8+)
 * never is.
 */
#ifndef IG_LIB_NS_MNTNS_H
#define IG_LIB_NS_MNTNS_H

#include <stdint.h>

/* The id of pid's mount namespace if its inode is inum (pids are reused
 * too), else 0 (gone, another namespace, or a kernel before 6.8). */
uint64_t ig_mntns_id_of_pid(int pid, uint64_t inum);

#endif /* IG_LIB_NS_MNTNS_H */
