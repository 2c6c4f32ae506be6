// SPDX-License-Identifier: Apache-2.0
/*
 * The live one-line status on stderr: only when stderr is a terminal, so
 * logs and pipes never see it. It is erased before any record or log line
 * is written and redrawn on the next tick.
 */
#include <stdio.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "core/base/log.h"
#include "core/containers/table.h"
#include "core/engine/ring.h"
#include "run_state.h"
#include "status.h"

static bool enabled;
static bool shown;
static uint64_t start_ns, last_ns;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void ig_status__clear(void)
{
	if (!shown)
		return;
	ig_log__write("\r\033[K", 4);
	shown = false;
}

void ig_status__start(struct ig_run *run)
{
	enabled = isatty(STDERR_FILENO);
	start_ns = now_ns();
	last_ns = 0;
	ig_log_before_write = ig_status__clear;
}

static int term_cols(void)
{
	struct winsize ws;

	return !ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) && ws.ws_col ? ws.ws_col : 80;
}

void ig_status__tick(struct ig_run *run)
{
	uint64_t now = now_ns(), secs;
	char line[512];
	int n, cols;

	/* A quarter second is live enough and costs nothing. */
	if (!enabled || now - last_ns < 250000000ull)
		return;
	last_ns = now;
	secs = (now - start_ns) / 1000000000ull;
	/* Flush records first so the status line never splits one. */
	ig_output__flush(run->out);
	n = snprintf(line, sizeof(line), "\r\033[K%02llu:%02llu  %s  %llu %s  %llu lost",
		     (unsigned long long)secs / 60, (unsigned long long)secs % 60,
		     run->eng.target == IG_TARGET_COMMAND ? "command" :
		     run->eng.target == IG_TARGET_HOST ? "host" : "", (unsigned long long)
		     (run->eng.progress_what[0] ? run->eng.progress : run->eng.records),
		     run->eng.progress_what[0] ? run->eng.progress_what : "records",
		     (unsigned long long)(ig_rings__lost(run->eng.rings) + run->eng.lost_extra));
	if (run->eng.target == IG_TARGET_CONTAINERS && n < (int)sizeof(line))
		n += snprintf(line + n, sizeof(line) - n, "  %u containers",
			      run->eng.cs ? ig_containers__count(run->eng.cs) : 0);
	if (run->eng.command_runs > 1 && n < (int)sizeof(line))
		n += snprintf(line + n, sizeof(line) - n, "  run %u/%u", run->run_index + 1,
			      run->eng.command_runs);
	if (run->eng.status[0] && n < (int)sizeof(line))
		n += snprintf(line + n, sizeof(line) - n, "  %s", run->eng.status);
	if (n >= (int)sizeof(line))
		n = (int)sizeof(line) - 1;
	/* A line that wraps could not be erased: cut it to the terminal (the
	 * "\r\033[K" in front takes no column). */
	cols = term_cols();
	if (cols > 1 && n > cols - 1 + 4)
		n = cols - 1 + 4;
	if (!ig_log__write(line, (size_t)n))
		return;
	shown = true;
}
