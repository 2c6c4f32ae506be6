// SPDX-License-Identifier: Apache-2.0
/*
 * Walking one batch sample of the capabilities stream (capabilities.h): task,
 * check and repeat records; every check, repeats included, is passed on as
 * one event with its task.
 */
#include <errno.h>
#include <string.h>

#include "capabilities_int.h"

static void task_into(struct cap_event *e, const struct cap_task_rec *t)
{
	e->timestamp = t->timestamp;
	e->mntns = t->mntns;
	e->pid = t->pid;
	e->tid = t->tid;
	e->uid = t->uid;
	e->gid = t->gid;
	memcpy(e->comm, t->comm, sizeof(e->comm));
}

int caps_walk_batch(const void *data, size_t size, caps_check_fn fn, void *ctx)
{
	const unsigned char *p = data;
	struct cap_task_rec t;
	struct cap_check_rec c;
	struct cap_repeat_rec r;
	struct cap_event e = { 0 };
	bool have_task = false, have_check = false;
	size_t off = 0;
	uint32_t i;
	int n = 0, err;

	while (off < size) {
		if (p[off] == CAPS_REC_TASK && size - off >= sizeof(t)) {
			memcpy(&t, p + off, sizeof(t));
			task_into(&e, &t);
			have_task = true;
			have_check = false;
			off += sizeof(t);
		} else if (p[off] == CAPS_REC_CHECK && size - off >= sizeof(c) && have_task) {
			memcpy(&c, p + off, sizeof(c));
			e.cap = c.cap;
			e.verdict = c.verdict;
			e.flags = c.flags | t.flags;
			e.syscall = c.syscall;
			e.target_userns = c.target_userns;
			e.current_userns = c.current_userns;
			off += sizeof(c);
			have_check = true;
			err = fn(ctx, &e);
			if (err)
				return err;
			n++;
		} else if (p[off] == CAPS_REC_REPEAT && size - off >= sizeof(r) && have_check) {
			memcpy(&r, p + off, sizeof(r));
			off += sizeof(r);
			for (i = 0; i < r.count; i++) {
				err = fn(ctx, &e);
				if (err)
					return err;
			}
			n += r.count;
		} else {
			return -EINVAL;	/* unknown kind, cut short, out of order */
		}
	}
	return n;
}
