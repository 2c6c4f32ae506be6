/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where a running gadget's records go (internal): the sink `ig run` hands the
 * engine. A record is enriched with container columns, then formatted: both
 * steps here, and nowhere else.
 */
#ifndef IG_CORE_CLI_SINK_H
#define IG_CORE_CLI_SINK_H

#include <stdbool.h>
#include <stdint.h>

#include <ig/record.h>

struct ig_output_opts;
struct ig_run;

/* Non-blocking writers on stdout and stderr (log lines go there too); the
 * output options get stdout's. Before ig_output__new(). */
void ig_sink__open(struct ig_run *run, struct ig_output_opts *oo);
void ig_sink__close(struct ig_run *run);

/* struct ig_host_sink's record and document, arg being the struct ig_run.
 * A record of a container birth not decided yet is held (births.h) and
 * comes back through ig_sink__record_now, which never holds. Streamed
 * records are dropped (and counted) while stdout's reader is far behind. */
int ig_sink__record(void *run, const struct ig_value *vals);
int ig_sink__record_now(void *run, const struct ig_value *vals);
int ig_sink__document(void *run, void *doc, const struct ig_value *summary);
/* What an output error means for the run: EPIPE stops quietly, any other
 * failed write is reported once and stops. Returns err. */
int ig_sink__result(struct ig_run *run, int err);
/* Write out what the formatter holds (ig_sink__result applies). */
void ig_sink__flush(struct ig_run *run);
/* Events the kernel side lost so far (rings and host->add_lost). */
uint64_t ig_sink__lost_events(struct ig_run *run);
/* Say in the stream what was lost or dropped since the last notice, if
 * anything was (final: at the end, even when stdout's writer is full). */
void ig_sink__say_lost(struct ig_run *run, bool final);
/* The end: flush, then wait for stdout's reader as long as it takes
 * something every stall_ms and no stop signal comes (a signal on
 * run->sig_fd: go_on() reads it and says whether to keep waiting); what is
 * left counts as unwritten (run->unwritten) and is said on stderr. */
void ig_sink__finish(struct ig_run *run, int stall_ms, bool (*go_on)(struct ig_run *run));

#endif /* IG_CORE_CLI_SINK_H */
