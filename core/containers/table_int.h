/* SPDX-License-Identifier: Apache-2.0 */
/* The container table's insides, shared by table.c and table_lookup.c. */
#ifndef IG_CORE_CONTAINERS_TABLE_INT_H
#define IG_CORE_CONTAINERS_TABLE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "births.h"
#include "hook_server.h"
#include "index.h"
#include "plugins.h"
#include "selector.h"
#include "table.h"
#include "trust.h"

struct ig_containers {
	struct ig_containers_opts opts;
	struct ctr_selector sel;	/* opts.selector, parsed */
	const char **roots;		/* copy of opts.runtime_roots */
	struct ctr_entry **v;
	size_t nr, cap;
	uint64_t seq;
	int epfd;
	int map_fd;			/* mntns filter map or -1 */
	bool started;
	bool starting;			/* inside __start: containers found are old */
	struct ctr_report_ops ops;	/* what plugins and the hook server report through */
	struct ctr_births_table births_table;
	struct ctr_births *births;	/* NULL without births (command mode) */
	struct ctr_plugins_opts plugins_opts;
	struct ctr_plugins *plugins;
	struct ctr_hook_server *hook;
	struct ctr_index mnt_ix, net_ix;	/* enrichment lookups */
	struct ctr_trust trust;		/* what others report, checked */
};

#endif /* IG_CORE_CONTAINERS_TABLE_INT_H */
