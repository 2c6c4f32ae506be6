// SPDX-License-Identifier: Apache-2.0
/*
 * core/base/outfd.c: writing to a pipe whose reader stopped reading never
 * blocks, leaves the shared description blocking for others, and keeps
 * every byte in order once the reader reads again.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "core/base/outfd.h"

static int pfd[2];
static struct ig_outfd w;

static void setup(void)
{
	cr_assert_eq(pipe(pfd), 0);
	cr_assert_eq(ig_outfd__init(&w, pfd[1], 100000), 0);
}

static void teardown(void)
{
	ig_outfd__fini(&w);
	close(pfd[0]);
	close(pfd[1]);
}

TestSuite(outfd, .init = setup, .fini = teardown, .timeout = 10);

Test(outfd, a_full_pipe_queues_instead_of_blocking)
{
	static char chunk[50000], back[400000];
	size_t got = 0;
	ssize_t n;

	cr_expect_not(fcntl(pfd[1], F_GETFL) & O_NONBLOCK, "the shared description stays blocking");
	cr_expect_neq(w.fd, pfd[1], "a description of its own");
	for (int i = 0; i < 6; i++) {
		memset(chunk, 'a' + i, sizeof(chunk));
		cr_assert_eq(ig_outfd__write(&w, chunk, sizeof(chunk)), 0);
	}
	cr_expect_gt(ig_outfd__pending(&w), 0, "a pipe holds 64 KiB, 300000 were written");
	cr_expect_not(ig_outfd__has_room(&w), "more than the limit is queued");
	cr_expect_eq(ig_outfd__drain(&w, -1, 20), -ETIMEDOUT, "nobody reads");
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	/* The reader is back: what it reads and what the writer pushes meet. */
	for (;;) {
		ig_outfd__push(&w);
		n = read(pfd[0], back + got, sizeof(back) - got);
		if (n > 0)
			got += (size_t)n;
		else if (!ig_outfd__pending(&w))
			break;
	}
	cr_assert_eq(got, 300000);
	for (size_t i = 0; i < got; i++)
		cr_assert_eq(back[i], 'a' + (char)(i / sizeof(chunk)), "byte %zu in order", i);
	cr_expect(ig_outfd__has_room(&w));
}

Test(outfd, drain_gives_way_to_a_signal)
{
	static char chunk[200000];
	sigset_t set;
	int sfd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	cr_assert_geq(sfd, 0);
	cr_assert_eq(ig_outfd__write(&w, chunk, sizeof(chunk)), 0);
	kill(getpid(), SIGUSR1);
	cr_expect_eq(ig_outfd__drain(&w, sfd, 10000), -EINTR);
	close(sfd);
}

Test(outfd, a_reader_gone_is_epipe)
{
	signal(SIGPIPE, SIG_IGN);
	close(pfd[0]);
	pfd[0] = -1;
	cr_expect_eq(ig_outfd__write(&w, "x", 1), -EPIPE);
	cr_expect_eq(ig_outfd__write(&w, "y", 1), -EPIPE, "sticky");
}
