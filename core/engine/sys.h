/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What ig needs from the system (internal), checked before any BPF so that a
 * missing piece is one line saying what to do instead of a libbpf error.
 */
#ifndef IG_CORE_ENGINE_SYS_H
#define IG_CORE_ENGINE_SYS_H

/* Root, BTF, tracefs (mounted when absent). Prints one line and returns
 * -errno when ig cannot run. */
int ig_sys__preflight(void);
/* One line for a failed load of the core's own BPF object. */
void ig_sys__explain_bpf_error(int err);

#endif /* IG_CORE_ENGINE_SYS_H */
