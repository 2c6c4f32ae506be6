// SPDX-License-Identifier: Apache-2.0
/* The batch walker, fed hand-built samples: task, check and repeat records. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "gadgets/capabilities/capabilities_int.h"

#define MAX_SEEN 16

struct seen {
	struct cap_event ev[MAX_SEEN];
	int n;
	int stop_at;		/* return -EIO at this call (0: never) */
};

static int collect(void *ctx, const struct cap_event *e)
{
	struct seen *s = ctx;

	if (s->stop_at && s->n + 1 == s->stop_at)
		return -EIO;
	cr_assert_lt(s->n, MAX_SEEN);
	s->ev[s->n++] = *e;
	return 0;
}

struct sample {
	unsigned char buf[512];
	size_t len;
};

static void put(struct sample *s, const void *rec, size_t size)
{
	cr_assert_leq(s->len + size, sizeof(s->buf));
	memcpy(s->buf + s->len, rec, size);
	s->len += size;
}

static void put_task(struct sample *s, uint32_t pid, uint64_t ts, uint8_t flags, const char *comm)
{
	struct cap_task_rec t = { .kind = CAPS_REC_TASK, .flags = flags, .mntns = 4026532000u,
				  .timestamp = ts, .pid = pid, .tid = pid + 1, .uid = 1000,
				  .gid = 1001 };

	strncpy(t.comm, comm, sizeof(t.comm));
	put(s, &t, sizeof(t));
}

static void put_check(struct sample *s, uint8_t cap, uint8_t flags, int32_t sc)
{
	struct cap_check_rec c = { .kind = CAPS_REC_CHECK, .cap = cap,
				   .verdict = CAPS_VERDICT_DENY, .flags = flags, .syscall = sc,
				   .target_userns = 7, .current_userns = 8 };

	put(s, &c, sizeof(c));
}

static void put_repeat(struct sample *s, uint32_t count)
{
	struct cap_repeat_rec r = { .kind = CAPS_REC_REPEAT, .count = count };

	put(s, &r, sizeof(r));
}

Test(batch, checks_repeats_and_tasks)
{
	struct sample s = { .len = 0 };
	struct seen seen = { .n = 0 };
	int i;

	put_task(&s, 10, 1000, 0, "loop");
	put_check(&s, 7, CAPS_F_AUDIT, 105);
	put_repeat(&s, 3);
	put_check(&s, 21, 0, 9);
	put_task(&s, 20, 2000, CAPS_F_SETUP, "runc:[2:INIT]");
	put_check(&s, 8, CAPS_F_AUDIT | CAPS_F_OVERRIDE, -1);

	cr_assert_eq(caps_walk_batch(s.buf, s.len, collect, &seen), 6);
	cr_assert_eq(seen.n, 6);
	for (i = 0; i < 4; i++) {	/* the check and its 3 repeats: identical */
		cr_assert_eq(seen.ev[i].pid, 10);
		cr_assert_eq(seen.ev[i].tid, 11);
		cr_assert_eq(seen.ev[i].timestamp, 1000);
		cr_assert_eq(seen.ev[i].cap, 7);
		cr_assert_eq(seen.ev[i].flags, CAPS_F_AUDIT);
		cr_assert_eq(seen.ev[i].syscall, 105);
		cr_assert_eq(seen.ev[i].mntns, 4026532000ull);
		cr_assert_str_eq(seen.ev[i].comm, "loop");
	}
	cr_assert_eq(seen.ev[4].cap, 21);
	cr_assert_eq(seen.ev[4].pid, 10);
	cr_assert_eq(seen.ev[4].target_userns, 7);
	cr_assert_eq(seen.ev[4].current_userns, 8);
	cr_assert_eq(seen.ev[4].verdict, CAPS_VERDICT_DENY);
	cr_assert_eq(seen.ev[5].pid, 20);
	cr_assert_eq(seen.ev[5].timestamp, 2000);
	cr_assert_eq(seen.ev[5].flags, CAPS_F_AUDIT | CAPS_F_OVERRIDE | CAPS_F_SETUP,
		     "task flags joined to the check's");
	cr_assert_eq(seen.ev[5].syscall, -1);
	cr_assert_str_eq(seen.ev[5].comm, "runc:[2:INIT]");
}

Test(batch, malformed)
{
	struct sample s = { .len = 0 };
	struct seen seen = { .n = 0 };

	put_check(&s, 7, 0, 1);		/* a check before any task record */
	cr_assert_eq(caps_walk_batch(s.buf, s.len, collect, &seen), -EINVAL);
	cr_assert_eq(seen.n, 0);

	s.len = 0;
	put_task(&s, 10, 1, 0, "x");
	put_repeat(&s, 2);		/* a repeat with no check before it */
	cr_assert_eq(caps_walk_batch(s.buf, s.len, collect, &seen), -EINVAL);
	cr_assert_eq(seen.n, 0);

	s.len = 0;
	put_task(&s, 10, 1, 0, "x");
	put_check(&s, 7, 0, 1);
	put_task(&s, 11, 2, 0, "y");
	put_repeat(&s, 2);		/* a new task record ends the run */
	cr_assert_eq(caps_walk_batch(s.buf, s.len, collect, &seen), -EINVAL);
	cr_assert_eq(seen.n, 1, "the check before the bad record was passed on");

	seen.n = 0;
	s.len = 0;
	put_task(&s, 10, 1, 0, "x");
	put_check(&s, 7, 0, 1);
	s.buf[s.len] = 9;		/* unknown kind */
	s.len += 8;
	cr_assert_eq(caps_walk_batch(s.buf, s.len, collect, &seen), -EINVAL);
	cr_assert_eq(seen.n, 1);

	seen.n = 0;
	s.len = 0;
	put_task(&s, 10, 1, 0, "x");
	put_check(&s, 7, 0, 1);
	s.len -= 4;			/* cut short */
	cr_assert_eq(caps_walk_batch(s.buf, s.len, collect, &seen), -EINVAL);
	cr_assert_eq(seen.n, 0);
	cr_assert_eq(caps_walk_batch(s.buf, 0, collect, &seen), 0, "empty: no checks");
}

Test(batch, callback_error_stops)
{
	struct sample s = { .len = 0 };
	struct seen seen = { .n = 0, .stop_at = 3 };

	put_task(&s, 10, 1, 0, "x");
	put_check(&s, 7, 0, 1);
	put_repeat(&s, 5);
	cr_assert_eq(caps_walk_batch(s.buf, s.len, collect, &seen), -EIO);
	cr_assert_eq(seen.n, 2);
}
