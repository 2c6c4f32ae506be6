// SPDX-License-Identifier: Apache-2.0
/*
 * The sink of `ig run`: every record a gadget emits is enriched (container
 * and Kubernetes columns, core/engine/enrich.c), then formatted (output/);
 * one of a container not named yet waits for its name first.
 * Write errors decide the run: a reader that went away stops it quietly, any
 * other failed write is said once and stops it too.
 *
 * Nothing here waits for the reader. stdout and stderr are written through
 * non-blocking writers (core/base/outfd.h); when stdout's holds more than
 * OUT_LIMIT bytes nobody read, records are dropped and counted rather than
 * stalling the loop, which must keep draining the kernel's buffers and
 * answering signals. Lost events and dropped records are said in the stream
 * itself (a "lost" notice, a field of a report document), not only on
 * stderr.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/base/log.h"
#include "core/containers/births.h"
#include "core/containers/table.h"
#include "core/engine/ring.h"
#include "run_state.h"
#include "sink.h"
#include "status.h"

/* What stdout's reader may leave unread before records are dropped: far
 * more than one drain batch (8192 records) of any gadget, so a reader that
 * keeps up between batches never loses one. */
#define OUT_LIMIT	(16u << 20)
/* The same for log lines on stderr. */
#define LOG_LIMIT	(64u << 10)

int ig_sink__result(struct ig_run *run, int err)
{
	if (!err || run->out_broken)
		return err;
	if (err == -EPIPE) {
		/* `ig ... | head`: the reader is gone; stop quietly. */
		run->out_broken = true;
		run->stopping = true;
		return err;
	}
	if (!run->out_error) {
		ig_err("cannot write the output: %s", strerror(-err));
		run->out_error = err;
	}
	/* A failed write is sticky (output.h): nothing more can be printed. */
	if (ig_output__flush(run->out) < 0) {
		run->out_broken = true;
		run->stopping = true;
	}
	return err;
}

static int out_write(void *arg, const void *p, size_t n)
{
	struct ig_run *run = arg;

	return ig_outfd__write(&run->out_w, p, n);
}

void ig_sink__open(struct ig_run *run, struct ig_output_opts *oo)
{
	ig_outfd__init(&run->out_w, run->out_fd, OUT_LIMIT);
	ig_outfd__init(&run->log_w, STDERR_FILENO, LOG_LIMIT);
	ig_log__set_outfd(&run->log_w);
	oo->write = out_write;
	oo->write_arg = run;
}

/* The last log lines (what was lost, errors of the tear-down) get a short
 * while: a stderr nobody reads must not hold the exit. */
#define LOG_END_STALL_MS	100

void ig_sink__close(struct ig_run *run)
{
	if (run->log_w.fd >= 0 && ig_outfd__pending(&run->log_w))
		ig_outfd__drain(&run->log_w, -1, LOG_END_STALL_MS);
	ig_log__set_outfd(NULL);
	ig_outfd__fini(&run->out_w);
	ig_outfd__fini(&run->log_w);
}

void ig_sink__flush(struct ig_run *run)
{
	ig_sink__result(run, ig_output__flush(run->out));
}

/* may_drop: a streamed record, dropped (and counted) while the reader is
 * behind by OUT_LIMIT; a report's summary row never is. */
static int write_record(struct ig_run *run, const struct ig_value *vals, bool may_drop)
{
	const struct ig_value *rec;

	if (run->out_broken)
		return -EPIPE;
	if (may_drop && !ig_outfd__has_room(&run->out_w)) {
		run->dropped++;
		return 0;
	}
	ig_status__clear();
	/* 1. the container columns, looked up by the record's namespace */
	rec = ig_enrich__fill(&run->enrich, run->eng.cs, vals);
	/* 2. the formatter */
	return ig_sink__result(run, ig_output__record(run->out, rec));
}

/* A record of a container whose birth is not decided yet waits for its
 * name (births.c); the rest goes out now. */
static int hold_or_write(struct ig_run *run, const struct ig_value *vals, bool may_drop)
{
	if (run->out_broken)
		return -EPIPE;
	if (ctr_births__hold(ig_containers__births(run->eng.cs), vals))
		return 0;
	return write_record(run, vals, may_drop);
}

int ig_sink__record(void *arg, const struct ig_value *vals)
{
	return hold_or_write(arg, vals, true);
}

int ig_sink__record_now(void *arg, const struct ig_value *vals)
{
	return write_record(arg, vals, true);
}

uint64_t ig_sink__lost_events(struct ig_run *run)
{
	return ig_rings__lost(run->eng.rings) + run->eng.lost_extra;
}

/* A copy of doc that says lost events were lost: a Kubernetes object gets
 * the annotation ig.io/lost-events, any other object a member lostEvents.
 * The gadget's document is not changed (it may have written it to a file
 * or keep it). */
static json_t *doc_with_lost(json_t *doc, uint64_t lost)
{
	json_t *copy = json_copy(doc), *meta, *ann;
	char n[24];

	if (!copy)
		return NULL;
	meta = json_object_get(doc, "metadata");
	if (!json_is_string(json_object_get(doc, "apiVersion")) || !json_is_object(meta)) {
		json_object_set_new(copy, "lostEvents", json_integer((json_int_t)lost));
		return copy;
	}
	meta = json_copy(meta);
	ann = json_object_get(meta, "annotations");
	ann = json_is_object(ann) ? json_copy(ann) : json_object();
	snprintf(n, sizeof(n), "%llu", (unsigned long long)lost);
	json_object_set_new(ann, "ig.io/lost-events", json_string(n));
	json_object_set_new(meta, "annotations", ann);
	json_object_set_new(copy, "metadata", meta);
	return copy;
}

int ig_sink__document(void *arg, void *doc, const struct ig_value *summary)
{
	struct ig_run *run = arg;
	uint64_t lost;
	json_t *shown;
	int err;

	if (run->out_broken)
		return -EPIPE;
	/* A table shows the advisor's summary record instead of the document
	 * (a lost-events notice follows at the end of the run). */
	if (run->fmt == IG_OUT_TABLE && summary)
		return hold_or_write(run, summary, false);
	if (!doc)
		return -EINVAL;
	ig_status__clear();
	lost = ig_sink__lost_events(run);
	shown = lost && json_is_object((json_t *)doc) ? doc_with_lost(doc, lost) :
		json_incref(doc);
	if (!shown)
		return -ENOMEM;
	/* Reports are never dropped for a slow reader: they are the result. */
	err = ig_output__document(run->out, shown);
	json_decref(shown);
	if (!err && lost > run->said_lost)
		run->said_lost = lost;
	return ig_sink__result(run, err);
}

void ig_sink__say_lost(struct ig_run *run, bool final)
{
	uint64_t lost = ig_sink__lost_events(run);
	int err;

	if (run->out_broken || (lost <= run->said_lost && run->dropped <= run->said_dropped))
		return;
	if (!final && !ig_outfd__has_room(&run->out_w))
		return;	/* said once the reader catches up, or at the end */
	ig_status__clear();
	err = ig_output__lost(run->out, lost - run->said_lost, run->dropped - run->said_dropped);
	if (!err) {
		run->said_lost = lost;
		run->said_dropped = run->dropped;
	}
	ig_sink__result(run, err);
}

void ig_sink__finish(struct ig_run *run, int stall_ms, bool (*go_on)(struct ig_run *run))
{
	size_t left;
	int err = 0;

	ig_sink__flush(run);
	/* A stop signal gives up at once; go_on() says whether the signal the
	 * drain saw was one (SIGCHLD, the command ending, is not). */
	while (!run->out_broken) {
		err = ig_outfd__drain(&run->out_w, run->sig_fd, stall_ms);
		if (err != -EINTR || !go_on(run))
			break;
	}
	left = ig_outfd__pending(&run->out_w);
	if (err == -ETIMEDOUT || err == -EINTR) {
		run->unwritten = left;
		ig_err("%zu bytes of output were not written: %s", left, err == -EINTR ?
		       "stopped by a signal while stdout's reader was not reading" :
		       "stdout's reader took nothing for a while");
	} else if (err && err != -EPIPE) {
		ig_sink__result(run, err);
	}
}
