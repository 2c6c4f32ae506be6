/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kernel features (internal): what the running kernel lets BPF programs do
 * (enum ig_kfeature, ig/kernel.h), found out on first use and remembered for
 * the life of the process, so every gadget of a run and every line of
 * `ig doctor` share one answer. BTF answers what it can (does a type, a
 * function, an enumerator exist); the rest is a probe: a two-instruction
 * program loaded and closed again, a map created and closed.
 * Single-threaded, like the rest of the engine.
 */
#ifndef IG_CORE_KFEAT_H
#define IG_CORE_KFEAT_H

#include <stdbool.h>
#include <stddef.h>

#include <ig/kernel.h>

#include "kbtf.h"

/* Read IG_DISABLE_FEATURES. Prints one line and returns -EINVAL when it
 * names a feature ig does not know; 0 otherwise. Call before the first
 * question (the questions call it too, and then only warn). */
int ig_kfeat__init(void);

/* 1 when the kernel has f, 0 when not (missing, refused, disabled), -EINVAL
 * for a value past IG_KF_NR. */
int ig_kfeat__has(int f);

/* The feature's short name ("tp_btf", as IG_DISABLE_FEATURES takes it), what
 * it is ("BTF-typed tracepoints"), and the Linux version that brought it. */
const char *ig_kfeat__name(int f);
const char *ig_kfeat__what(int f);
const char *ig_kfeat__since(int f);

/* Why ig_kfeat__has(f) said 0, as a phrase that follows the feature's
 * name: "disabled by IG_DISABLE_FEATURES", "refused by this kernel
 * (Operation not permitted)", "not in this kernel". "" when it has it. */
const char *ig_kfeat__why_not(int f);

/* Answer BTF name questions (see kbtf.h); names asked before are answered
 * from memory, the others with one walk over the kernel's BTF. */
void ig_kfeat__btf(struct ig_kbtf_name *q, size_t n);

#endif /* IG_CORE_KFEAT_H */
