// SPDX-License-Identifier: Apache-2.0
/*
 * The event loop of `ig run`: one epoll on the main thread for stop signals,
 * the drain tick, the timeout, the command's pidfd, the ring buffers and the
 * container plugins; then the orderly end (drain, stop, drain, report,
 * drain).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "core/base/log.h"
#include "core/containers/table.h"
#include "core/engine/loader.h"
#include "core/engine/ring.h"
#include "loop.h"
#include "runs.h"
#include "run_state.h"
#include "sink.h"
#include "status.h"

/* Drain period for rings whose producers did not wake us: short enough to
 * feel live, long enough that a busy stream is read in large batches. */
#define TICK_NS		50000000ll

int ig_loop__watch_rings(void *arg, int fd)
{
	struct ig_run *run = arg;

	return ig_loop__add(run->epfd, fd, TAG_RING);
}

static int timer_fd(int64_t first_ns, int64_t period_ns)
{
	struct itimerspec its = {
		.it_value = { first_ns / 1000000000ll, first_ns % 1000000000ll },
		.it_interval = { period_ns / 1000000000ll, period_ns % 1000000000ll },
	};
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);

	if (fd < 0)
		return -errno;
	if (timerfd_settime(fd, 0, &its, NULL)) {
		close(fd);
		return -errno;
	}
	return fd;
}

int ig_loop__setup(struct ig_run *run, const sigset_t *stop_sigs)
{
	int err;

	run->sig_fd = signalfd(-1, stop_sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (run->sig_fd < 0)
		return -errno;
	err = ig_loop__add(run->epfd, run->sig_fd, TAG_SIGNAL);
	if (err)
		return err;
	run->tick_fd = timer_fd(TICK_NS, TICK_NS);
	if (run->tick_fd < 0)
		return run->tick_fd;
	err = ig_loop__add(run->epfd, run->tick_fd, TAG_TICK);
	if (err || run->opts.timeout <= 0)
		return err;
	/* At most IG_TIMEOUT_MAX s: 1e18 ns, within int64_t. */
	run->timeout_fd = timer_fd((int64_t)(run->opts.timeout * 1e9), 0);
	if (run->timeout_fd < 0)
		return run->timeout_fd;
	return ig_loop__add(run->epfd, run->timeout_fd, TAG_TIMEOUT);
}

void ig_loop__fini(struct ig_run *run)
{
	if (run->sig_fd >= 0)
		close(run->sig_fd);
	if (run->tick_fd >= 0)
		close(run->tick_fd);
	if (run->timeout_fd >= 0)
		close(run->timeout_fd);
	if (run->epfd >= 0)
		close(run->epfd);
	run->sig_fd = run->tick_fd = run->timeout_fd = run->epfd = -1;
}

static void read_error(struct ig_run *run, int n)
{
	if (n < 0 && !run->out_broken && !run->out_error && n != -EPIPE)
		ig_warn("reading events: %s", strerror(-n));
}

static void drain(struct ig_run *run)
{
	read_error(run, ig_rings__consume(run->eng.rings));
	ig_sink__flush(run);
}

/* Everything in the rings when called, then flush. Bounded: it stops once
 * it has passed what the producers had written on entry (at most a batch
 * more), so a gadget whose producer outruns ig cannot keep the loop, the
 * end of the run or a container's removal waiting for ever. */
void ig_loop__drain_all(struct ig_run *run)
{
	read_error(run, ig_rings__drain(run->eng.rings));
	ig_sink__flush(run);
}

/* A run of the command ended: its last records first, then the next run
 * (--runs) or the end. */
static void command_exited(struct ig_run *run)
{
	ig_loop__drain_all(run);
	if (ig_runs__exited(run))
		run->stopping = true;
}

/* The gadget's tick, every IG_TICK_MS (ABI 1.3 gadgets that have one). */
static void gadget_tick(struct ig_run *run)
{
	const struct ig_gadget_desc *d = run->eng.mod->desc;

	if (++run->ticks % (IG_TICK_MS * 1000000ll / TICK_NS))
		return;
	if (IG_DESC_HAS(d, tick) && d->tick && !run->stopping)
		d->tick(run->state);
}

/* Read one signal from the signalfd and act on it (a stop signal stops the
 * run). False when it was a stop signal, true for SIGCHLD or none. */
static bool read_signal(struct ig_run *run)
{
	struct signalfd_siginfo si;

	if (read(run->sig_fd, &si, sizeof(si)) != sizeof(si))
		return true;
	if (si.ssi_signo == SIGCHLD) {
		if (run->has_cmd && !ig_command__try_reap(&run->cmd))
			command_exited(run);
		return true;
	}
	/* SIGHUP too: a closed terminal still gets its report (to a file,
	 * or to a redirected stdout). */
	ig_info("got signal %u, stopping", si.ssi_signo);
	run->got_signal = true;
	run->stopping = true;
	return false;
}

/* Poll a writer's fd (stdout's, stderr's: sink.c) for EPOLLOUT exactly while
 * it holds bytes its reader has not taken. */
static void sync_poll(struct ig_run *run, struct ig_outfd *w, bool *polled, uint64_t tag)
{
	struct epoll_event ev = { .events = EPOLLOUT, .data.u64 = tag << 32 };
	bool want = ig_outfd__pending(w) && !w->err;

	if (want == *polled || run->epfd < 0)
		return;
	if (!epoll_ctl(run->epfd, want ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, w->fd, &ev) || !want)
		*polled = want;
}

static void sync_polls(struct ig_run *run)
{
	sync_poll(run, &run->out_w, &run->out_polled, TAG_OUT);
	sync_poll(run, &run->log_w, &run->log_polled, TAG_LOG);
}

/* stdout's (or with log, stderr's) descriptor can take more. */
static void writable(struct ig_run *run, bool log)
{
	int err = ig_outfd__push(log ? &run->log_w : &run->out_w);

	if (!log && err != -EAGAIN)
		ig_sink__result(run, err);
	sync_polls(run);
}

static void handle(struct ig_run *run, uint64_t data)
{
	enum ig_loop_tag tag = (enum ig_loop_tag)(data >> 32);
	int fd = (int)(uint32_t)data;
	uint64_t ticks;

	switch (tag) {
	case TAG_SIGNAL:
		read_signal(run);
		break;
	case TAG_TICK:
		if (read(fd, &ticks, sizeof(ticks)) > 0) {
			drain(run);
			gadget_tick(run);
			/* Streams say in-band, as it happens, what they lost. */
			if (run->eng.mod->desc->kind & IG_KIND_TRACE)
				ig_sink__say_lost(run, false);
			ig_status__tick(run);
		}
		break;
	case TAG_TIMEOUT:
		ig_info("timeout reached, stopping");
		run->stopping = true;
		break;
	case TAG_CMD:
		ig_command__reap(&run->cmd);
		command_exited(run);
		break;
	case TAG_RING:
		drain(run);
		break;
	case TAG_CONTAINER:
		/* Gadgets may emit from container callbacks (a final policy). */
		ig_containers__dispatch(run->eng.cs, fd);
		ig_sink__flush(run);
		break;
	case TAG_OUT:
	case TAG_LOG:
		writable(run, tag == TAG_LOG);
		break;
	}
}

void ig_loop__run(struct ig_run *run)
{
	struct epoll_event evs[16];
	int n, i;

	while (!run->stopping) {
		/* A ring left at its batch limit is drained again right away. */
		n = epoll_wait(run->epfd, evs, (int)IG_ARRAY_SIZE(evs),
			       ig_rings__backlog(run->eng.rings) ? 0 : -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ig_err("epoll_wait: %s", strerror(errno));
			break;
		}
		/* Signals first: Ctrl-C also hits the command, and a stop by
		 * signal must not look like the command failing. */
		for (i = 0; i < n; i++)
			if ((evs[i].data.u64 >> 32) == TAG_SIGNAL)
				handle(run, evs[i].data.u64);
		for (i = 0; i < n; i++)
			if ((evs[i].data.u64 >> 32) != TAG_SIGNAL)
				handle(run, evs[i].data.u64);
		/* Every path that writes flushes once itself (drain, container
		 * events): no second flush here. */
		if (ig_rings__backlog(run->eng.rings) && !run->stopping)
			drain(run);
		sync_polls(run);
	}
}

/* How long the end of the run waits for stdout's reader to take
 * something: after a stop signal hardly at all (the user wants ig gone, and
 * signals are honoured within 100 ms whatever the reader does); otherwise a
 * reader that is merely slow gets time. */
#define END_STALL_MS		5000
#define END_STALL_SIGNAL_MS	50

/* After the loop: last events, stop, last events again, report, and what
 * report() left on the rings; then what was lost, in the stream and on
 * stderr, and the last bytes out. */
void ig_loop__finish(struct ig_run *run)
{
	const struct ig_gadget_desc *d = run->eng.mod->desc;
	uint64_t lost;

	ig_status__clear();
	ig_loop__drain_all(run);
	if (d->stop)
		d->stop(run->state);
	ig_loop__drain_all(run);
	if (d->report && !run->out_broken) {
		int err = d->report(run->state);

		/* A write error was already said once. */
		if (err && err != -EPIPE && !run->out_error)
			ig_warn("%s: report failed: %s", d->name, strerror(-err));
		/* What report() put on the rings and did not drain itself
		 * (a final flush of per-CPU state): after its records, not
		 * lost. ig_loop__drain_all() flushes the report's records
		 * too. */
		ig_loop__drain_all(run);
	}
	ig_sink__say_lost(run, true);
	ig_sink__finish(run, run->got_signal ? END_STALL_SIGNAL_MS : END_STALL_MS,
			read_signal);
	lost = ig_sink__lost_events(run);
	if (lost)
		ig_warn("%llu events were lost (buffers full); results are incomplete",
			(unsigned long long)lost);
	if (run->dropped)
		ig_warn("%llu records were not written: stdout's reader did not keep up",
			(unsigned long long)run->dropped);
	run->incomplete = lost || run->dropped || run->unwritten;
}
