// SPDX-License-Identifier: Apache-2.0
/*
 * Calibration of the fast audit path; see struct caps_calib in
 * capabilities.h: the driver that makes the known checks, and the pure
 * functions that read the records (unit tested).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include <bpf/bpf.h>
#include <ig/gadget.h>

#include "capabilities_int.h"
#include "capabilities.skel.h"

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

/* An audited check through security_capable(): setgroups() with the groups
 * we already have (CAP_SETGID, ns_capable_setid). The raw syscall: glibc
 * would broadcast it to every thread. */
void caps_own_check(void)
{
	gid_t groups[64];
	int n = getgroups(64, groups);

	if (n >= 0)
		syscall(SYS_setgroups, n, groups);
}

/* A non-audited check: a writable private mapping asks for CAP_SYS_ADMIN
 * with CAP_OPT_NOAUDIT (vm_enough_memory). */
static void check_noaudit_path(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED)
		munmap(p, 4096);
}

/* Make the checks on this thread with calibration on; returns how many the
 * program recorded. */
static unsigned int calib_round(struct capabilities_bpf *skel, bool with_noaudit)
{
	struct capabilities_bpf__bss *bss = skel->bss;

	bss->calib_n = 0;
	bss->ctl_tid = syscall(SYS_gettid);
	bss->ctl = CAPS_CTL_CALIB;
	caps_own_check();
	if (with_noaudit)
		check_noaudit_path();
	bss->ctl = 0;
	return bss->calib_n;
}

static bool calib_slot(struct capabilities_bpf *skel, uint32_t slot, struct caps_calib *c)
{
	return !bpf_map_lookup_elem(bpf_map__fd(skel->maps.caps_calib), &slot, c);
}

/*
 * Learn the stack layout for the fast audit path (struct caps_calib), then
 * check it on one audited and one non-audited check. On any doubt the
 * program keeps walking the stack for every check: right, only slower.
 */
void caps_calibrate(const struct ig_host *host, struct capabilities_bpf *skel,
		    const struct caps_range *ranges, int nr_ranges)
{
	struct capabilities_bpf__bss *bss = skel->bss;
	struct caps_layout layout;
	struct caps_calib c[2];

	if (!nr_ranges)
		return;
	if (calib_round(skel, false) < 1 || !calib_slot(skel, 0, &c[0]) ||
	    caps_layout_from_calib(&c[0], ranges, nr_ranges, &layout))
		goto slow;
	bss->layout = layout;
	if (calib_round(skel, true) != 2 || !calib_slot(skel, 0, &c[0]) ||
	    !calib_slot(skel, 1, &c[1]) || !caps_calib_agrees(&c[0], 6, true) ||
	    !caps_calib_agrees(&c[1], 21, false))
		goto slow;
	IG_DEBUG(host, "fast audit path: cap_capable return at "
		      "word %u, caller +%u, API +%u", layout.off_cc, layout.d1, layout.d2);
	return;
slow:
	bss->layout.ready = 0;
	IG_INFO(host, "stack layout not recognised: walking the "
		      "stack on every check (correct, but slower)");
}
