/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The core's own BPF object (internal, filter.bpf.c): the filter maps every
 * gadget reuses (ig_mntns_filter, ig_pid_filter); in command mode the
 * follower that keeps ig_pid_filter holding the command's process tree, in
 * the other modes the container births (core/containers/birth.h).
 */
#ifndef IG_CORE_ENGINE_FILTER_H
#define IG_CORE_ENGINE_FILTER_H

#include <stdint.h>
#include <sys/types.h>

#include <ig/gadget.h>

struct filter_bpf;

/* Open and load the object for a run targeting target; in command mode also
 * find the kernel layout the follower needs and attach it. Says what failed
 * in one line and returns NULL with errno set. */
struct filter_bpf *ig_filter__open(enum ig_target_mode target);
/* fd of one filter map, -ENODEV without an object, -EINVAL for another which. */
int ig_filter__map_fd(const struct filter_bpf *f, enum ig_filter_map which);
/* The ring of container births (core/containers/birth.h), -ENODEV in command mode. */
int ig_filter__births_fd(const struct filter_bpf *f);
/* Births the ring had no room for. */
uint64_t ig_filter__births_lost(const struct filter_bpf *f);
/* Trace pid (and, through the follower, its descendants). 0 or -errno. */
int ig_filter__add_pid(const struct filter_bpf *f, pid_t pid);
void ig_filter__destroy(struct filter_bpf *f);

#endif /* IG_CORE_ENGINE_FILTER_H */
