// SPDX-License-Identifier: Apache-2.0
/*
 * Calibration of the fast audit path; see struct caps_calib in
 * capabilities.h. Pure functions here; the driver that makes the known
 * checks is caps_calibrate() in capabilities.c.
 */
#include <errno.h>
#include <string.h>

#include "caps.h"

static int range_kind(const struct caps_range *r, int nr, uint64_t ip)
{
	int i;

	for (i = 0; i < nr; i++)
		if (ip >= r[i].start && ip < r[i].end)
			return r[i].kind;
	return 0;
}

/* First index >= from whose word equals w, or -1. */
static int find_word(const struct caps_calib *c, int from, uint64_t w)
{
	int i;

	for (i = from; i < CAPS_CALIB_WORDS; i++)
		if (c->raw[i] == w)
			return i;
	return -1;
}

int caps_layout_from_calib(const struct caps_calib *c, const struct caps_range *r, int nr,
			   struct caps_layout *out)
{
	int n = c->nr_ips > 0 ? (int)(c->nr_ips / sizeof(uint64_t)) : 0;
	int k, i0, i1, i2;

	if (n > CAPS_STACK_DEPTH)
		n = CAPS_STACK_DEPTH;
	/* ips: the program, bpf_trace_run5, cap_capable, security_capable, API */
	for (k = 0; k < n && range_kind(r, nr, c->ips[k]) != CAPS_RANGE_INNER; k++)
		;
	if (k + 2 >= n || range_kind(r, nr, c->ips[k + 1]) != CAPS_RANGE_INNER ||
	    range_kind(r, nr, c->ips[k + 2]) == CAPS_RANGE_INNER)
		return -ENOENT;
	i0 = find_word(c, 0, c->ips[k]);
	i1 = i0 < 0 ? -1 : find_word(c, i0 + 1, c->ips[k + 1]);
	i2 = i1 < 0 ? -1 : find_word(c, i1 + 1, c->ips[k + 2]);
	if (i2 < 0 || i2 - i0 >= CAPS_FAST_WORDS)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	out->cc_ret = c->ips[k];
	out->sc_ret = c->ips[k + 1];
	out->off_cc = i0;
	out->d1 = i1 - i0;
	out->d2 = i2 - i1;
	out->ready = 1;
	return 0;
}

bool caps_calib_agrees(const struct caps_calib *c, unsigned int cap, bool audited)
{
	return c->cap == cap && c->fast == (int)audited && c->slow == (int)audited;
}
