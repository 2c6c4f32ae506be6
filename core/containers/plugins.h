/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The runtime-plugin host (internal): finds the plugins (<ig/plugin.h>),
 * gives them the host services and polls their fds. What they report goes to
 * the table through the ops it handed over.
 */
#ifndef IG_CORE_CONTAINERS_PLUGINS_H
#define IG_CORE_CONTAINERS_PLUGINS_H

#include <ig/plugin.h>

#include "report.h"

struct ctr_plugins;

struct ctr_plugins_opts {
	const char *dir;			/* where to look, or NULL: the defaults */
	const char *const *runtime_roots;	/* --runtime-root dirs, or NULL */
	int verbose;				/* -v count */
};

/* Load every plugin found; refused ones cost a warning line each. ops (and
 * what opts points to) must outlive the result. NULL with errno. */
struct ctr_plugins *ctr_plugins__load(const struct ctr_plugins_opts *opts,
				      const struct ctr_report_ops *ops);
/* init() and start() each plugin; one that fails is dropped with a warning. */
int ctr_plugins__start(struct ctr_plugins *ps);
/* p, one of the plugins' pollables, is readable. */
int ctr_plugins__dispatch(struct ctr_plugins *ps, struct ctr_pollable *p);
/* Ask each plugin that can (ABI 1.1) which container q is, until one
 * reports it (through the ops). 0, or -ENOENT if none knew it. */
int ctr_plugins__identify(struct ctr_plugins *ps, const struct ig_plugin_query *q);
void ctr_plugins__destroy(struct ctr_plugins *ps);

#endif /* IG_CORE_CONTAINERS_PLUGINS_H */
