/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where a running gadget's records go (internal): the sink `ig run` hands the
 * engine. A record is enriched with container columns, then formatted: both
 * steps here, and nowhere else.
 */
#ifndef IG_CORE_CLI_SINK_H
#define IG_CORE_CLI_SINK_H

#include <ig/record.h>

struct ig_run;

/* struct ig_host_sink's record and document, arg being the struct ig_run.
 * A record of a container birth not decided yet is held (births.h) and
 * comes back through ig_sink__record_now, which never holds. */
int ig_sink__record(void *run, const struct ig_value *vals);
int ig_sink__record_now(void *run, const struct ig_value *vals);
int ig_sink__document(void *run, void *doc, const struct ig_value *summary);
/* What an output error means for the run: EPIPE stops quietly, any other
 * failed write is reported once and stops. Returns err. */
int ig_sink__result(struct ig_run *run, int err);
/* Write out what the formatter holds (ig_sink__result applies). */
void ig_sink__flush(struct ig_run *run);

#endif /* IG_CORE_CLI_SINK_H */
