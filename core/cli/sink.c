// SPDX-License-Identifier: Apache-2.0
/*
 * The sink of `ig run`: every record a gadget emits is enriched (container
 * and Kubernetes columns, core/engine/enrich.c), then formatted (output/);
 * one of a container not named yet waits for its name first.
 * Write errors decide the run: a reader that went away stops it quietly, any
 * other failed write is said once and stops it too.
 */
#include <errno.h>
#include <string.h>

#include "core/base/log.h"
#include "core/containers/births.h"
#include "core/containers/table.h"
#include "run_state.h"
#include "sink.h"
#include "status.h"

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

void ig_sink__flush(struct ig_run *run)
{
	ig_sink__result(run, ig_output__flush(run->out));
}

/* A record of a container whose birth is not decided yet waits for its
 * name (births.c); the rest goes out now. */
int ig_sink__record(void *arg, const struct ig_value *vals)
{
	struct ig_run *run = arg;

	if (run->out_broken)
		return -EPIPE;
	if (ctr_births__hold(ig_containers__births(run->eng.cs), vals))
		return 0;
	return ig_sink__record_now(run, vals);
}

int ig_sink__record_now(void *arg, const struct ig_value *vals)
{
	struct ig_run *run = arg;
	const struct ig_value *rec;

	if (run->out_broken)
		return -EPIPE;
	ig_status__clear();
	/* 1. the container columns, looked up by the record's namespace */
	rec = ig_enrich__fill(&run->enrich, run->eng.cs, vals);
	/* 2. the formatter */
	return ig_sink__result(run, ig_output__record(run->out, rec));
}

int ig_sink__document(void *arg, void *doc, const struct ig_value *summary)
{
	struct ig_run *run = arg;

	if (run->out_broken)
		return -EPIPE;
	/* A table shows the advisor's summary record instead of the document. */
	if (run->fmt == IG_OUT_TABLE && summary)
		return ig_sink__record(run, summary);
	if (!doc)
		return -EINVAL;
	ig_status__clear();
	return ig_sink__result(run, ig_output__document(run->out, doc));
}
