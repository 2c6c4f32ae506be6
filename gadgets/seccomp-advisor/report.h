/* SPDX-License-Identifier: Apache-2.0 */
/* seccomp-advisor: per-run state and the report logic (report.c). */
#ifndef SA_REPORT_H
#define SA_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include <ig/gadget.h>

#include "profile.h"

struct sa_group;

/* A container seen alive, and the id of its mount namespace then. */
struct sa_known {
	const struct ig_container *c;
	uint64_t nsid;
};

struct sa_state {
	const struct ig_host *host;
	struct sa_recorder *rec;
	enum ig_target_mode target;
	bool args, spo, merge_pod;
	struct sa_doc_opts doc;
	uint32_t archs[4];
	struct sa_names names;
	const char *spo_api;
	const char *output_dir;
	struct sa_profile *base;	/* --base-profile, or NULL */
	uint32_t max_slots;
	uint64_t *done;			/* mntns keys already reported */
	uint32_t nr_done, cap_done;
	struct sa_group *groups;	/* --merge pod: pods collected so far */
	uint32_t nr_groups;
	struct sa_known *known;		/* containers and their namespace ids */
	uint32_t nr_known;
};

/* Read parameters (logs one error line and returns -errno on bad input). */
int sa_state_configure(struct sa_state *st);
/* Load and attach the recorder. */
int sa_state_start(struct sa_state *st);
void sa_state_free(struct sa_state *st);

/* Gadget callbacks. */
int sa_report_all(void *state);
void sa_container_added(void *state, const struct ig_container *c);
void sa_container_removed(void *state, const struct ig_container *c);

#endif /* SA_REPORT_H */
