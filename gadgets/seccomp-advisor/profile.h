/* SPDX-License-Identifier: Apache-2.0 */
/*
 * seccomp-advisor: name-level profiles and the documents rendered from them
 * (profile.c, document.c). Pure functions over libseccomp and jansson: unit
 * tested without a kernel.
 */
#ifndef SA_PROFILE_H
#define SA_PROFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "sa_internal.h"

/* Internal to profile.c and document.c. */
struct sa_profile {
	char **names;		/* unconditional, unsorted until rendered */
	uint32_t n, cap;
	json_t *arg_rules;	/* array of {names:[one], action, args} */
};

/* Which libseccomp arch names the native and the compat region. */
struct sa_names {
	uint32_t native_arch;
	uint32_t compat_arch;	/* 0: compat numbers are reported unnamed */
};

/* Numbers libseccomp has no name for (newer than it); never in a profile. */
#define SA_MAX_UNNAMED		32
#define SA_UNNAMED_COMPAT	0x80000000u
struct sa_unnamed {
	uint32_t n;
	uint32_t nr[SA_MAX_UNNAMED];
};

struct sa_profile *sa_profile__new(void);
void sa_profile__free(struct sa_profile *p);
int sa_profile__add_name(struct sa_profile *p, const char *name);
bool sa_profile__has(const struct sa_profile *p, const char *name);
/* Add a recorded set: names for both regions; with args, the --args
 * syscalls with bounded values become one EQ rule per value. */
int sa_profile__add_set(struct sa_profile *p, const struct sa_set *s, const struct sa_names *nm,
			bool args, struct sa_unnamed *unnamed);
int sa_profile__union(struct sa_profile *dst, const struct sa_profile *src);
/* Union an OCI seccomp profile (or a document holding one under
 * "linux.seccomp" or an SPO "spec") into p: its unconditional SCMP_ACT_ALLOW
 * names and its SCMP_ACT_ALLOW rules with args. -EINVAL with *why set when
 * it is not a seccomp profile. */
int sa_profile__add_oci(struct sa_profile *p, const json_t *doc, const char **why);
/* Distinct names allowed (with or without conditions). */
uint32_t sa_profile__count(const struct sa_profile *p);

struct sa_doc_opts {
	bool errno_set;			/* --default-errno given */
	uint32_t default_errno;
	const uint32_t *archs;		/* libseccomp tokens, native first */
	int nr_archs;
};

/* The OCI linux.seccomp object. New reference, NULL on ENOMEM. */
json_t *sa_profile__oci(const struct sa_profile *p, const struct sa_doc_opts *o);

struct sa_spo_meta {
	const char *api;		/* "v1" or "v1beta1" */
	const char *name;		/* metadata.name (made DNS-safe here) */
	const char *recorded_from;	/* annotation text: container, pod, runtime */
	const char *container_id;
};

/* The SPO SeccompProfile object. New reference, NULL on ENOMEM. */
json_t *sa_profile__spo(const struct sa_profile *p, const struct sa_doc_opts *o,
			const struct sa_spo_meta *m);
/* DNS-1123 subdomain from free text: lower case, [a-z0-9-.], at most 253. */
void sa_dns_name(char *out, size_t size, const char *in);

#endif /* SA_PROFILE_H */
