// SPDX-License-Identifier: Apache-2.0
/*
 * host->ring_drain() (gadget ABI 1.1) on real ring buffers: records put on
 * the rings right before a drain reach their callbacks before it returns,
 * in order, past the per-call batch limit; a drain from inside a callback
 * is refused. Through ig: the fixture-ring gadget's records produced in
 * report() come out ahead of its last record only because it drains, and
 * after it when it does not (the host's drain after report()). And a gadget
 * built against ABI 1.0 still runs on this host.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "core/engine/ring.h"
#include "tests/fixtures/gadgets/rb_prog.h"
#include "tests/lib/igtest.h"

static char tmpdir[64];

static void setup(void)
{
	igt_tmpdir_new(tmpdir, sizeof(tmpdir), "drain");
}

static void teardown(void)
{
	igt_tmpdir_remove(tmpdir);
}

TestSuite(ring_drain, .init = setup, .fini = teardown, .timeout = 60);

struct seen {
	struct ig_rings *rings;
	uint64_t next;		/* the sequence number expected next */
	int n, bad, nested;
	int fail_at;		/* return -EIO at this sample (0: never) */
};

static int on_sample(void *ctx, void *data, size_t size)
{
	struct seen *s = ctx;
	uint64_t v;

	if (size != sizeof(v)) {
		s->bad++;
		return 0;
	}
	memcpy(&v, data, sizeof(v));
	if (v != s->next++)
		s->bad++;
	if (!s->n++)
		s->nested = ig_rings__drain(s->rings);
	return s->n == s->fail_at ? -EIO : 0;
}

struct ring {
	int map, prog;
};

static struct ring ring_new(void)
{
	struct ring r;

	r.map = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "t_drain", 0, 0, 1 << 20, NULL);
	cr_assert_geq(r.map, 0, "bpf_map_create: %s", strerror(errno));
	r.prog = rb_prog_load(r.map, BPF_RB_NO_WAKEUP);
	cr_assert_geq(r.prog, 0, "loading the producer: %s", strerror(-r.prog));
	return r;
}

static void put(struct ring r, uint64_t from, uint64_t n)
{
	uint64_t i;

	for (i = from; i < from + n; i++)
		cr_assert_eq(rb_prog_put(r.prog, i), 0, "record %llu", (unsigned long long)i);
}

static void ring_close(struct ring r)
{
	close(r.prog);
	close(r.map);
}

/* 20000 records on one ring (more than one consume call takes) and 3 on a
 * second: all of them, in order per ring, before the drain returns. */
Test(ring_drain, everything_put_before_is_delivered)
{
	struct ig_rings *rings = ig_rings__new();
	struct seen a = { .rings = rings }, b = { .rings = rings };
	struct ring ra = ring_new(), rb = ring_new();

	cr_assert_eq(ig_rings__drain(rings), 0, "no ring yet");
	cr_assert_eq(ig_rings__add(rings, ra.map, -1, on_sample, &a), 0);
	cr_assert_eq(ig_rings__add(rings, rb.map, -1, on_sample, &b), 0);
	cr_assert_eq(ig_rings__drain(rings), 0, "empty rings");
	put(ra, 0, 20000);
	put(rb, 0, 3);
	cr_assert_eq(ig_rings__drain(rings), 20003);
	cr_assert_eq(a.n, 20000);
	cr_assert_eq(b.n, 3);
	cr_assert_eq(a.bad + b.bad, 0, "records out of order or malformed");
	cr_assert_eq(a.nested, -EBUSY, "a drain inside a callback: %d", a.nested);
	cr_assert_eq(b.nested, -EBUSY);
	cr_assert_eq(ig_rings__consume(rings), 0, "nothing left behind");

	/* again, after the rings were read once */
	put(rb, 3, 5);
	cr_assert_eq(ig_rings__drain(rings), 5);
	cr_assert_eq(b.n, 8);
	cr_assert_eq(b.bad, 0);

	ig_rings__free(rings);
	cr_assert_eq(ig_rings__drain(NULL), 0);
	ring_close(ra);
	ring_close(rb);
}

/* A callback's error stops the drain and is returned; what is left is
 * delivered by the next one. */
Test(ring_drain, callback_error_is_returned)
{
	struct ig_rings *rings = ig_rings__new();
	struct seen a = { .rings = rings, .fail_at = 10 };
	struct ring ra = ring_new();

	cr_assert_eq(ig_rings__add(rings, ra.map, -1, on_sample, &a), 0);
	put(ra, 0, 100);
	cr_assert_eq(ig_rings__drain(rings), -EIO);
	cr_assert_eq(a.n, 10);
	cr_assert_eq(ig_rings__drain(rings), 90);
	cr_assert_eq(a.n, 100);
	cr_assert_eq(a.bad, 0);
	ig_rings__free(rings);
	ring_close(ra);
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static void install(const char *variant, const char *name)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "cp '%s/tests/fixtures/gadgets/%s.so' '%s/%s.so'",
		 igt_build_dir(), variant, tmpdir, name);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

/* Through ig: fixture-ring puts its records on the ring in report(), after
 * the host's last drain; its drain delivers them before its last record. */
Test(ring_drain, records_from_report_come_before_its_end)
{
	struct igt_result *r;
	char want[128];
	const char *last;

	install("ring", "fixture-ring");
	r = igt_ig(30000, "run", "--gadget-path", tmpdir, "fixture-ring", "--count", "20000",
		   "-o", "json", "--", "/bin/true", NULL);
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_eq(r->err_len, 0, "%s", r->err);
	cr_assert_eq(igt_count(r->out, "\"what\":\"sample\""), 20000);
	cr_assert(strstr(r->out, "{\"what\":\"nested\",\"seq\":0,\"value\":-16}\n"
			 "{\"what\":\"sample\",\"seq\":0,"), "%.300s", r->out);
	cr_assert(strstr(r->out, "{\"what\":\"sample\",\"seq\":19999,"), "last sample missing");
	last = strrchr(r->out, '{');
	snprintf(want, sizeof(want), "{\"what\":\"drained\",\"seq\":20000,\"value\":20000}\n");
	cr_assert_str_eq(last, want, "the report's record is not last or wrong");
	igt_result_free(r);

	/* without the gadget's drain its record comes first: what the test
	 * above sees is the drain's doing */
	r = igt_ig(30000, "run", "--gadget-path", tmpdir, "fixture-ring", "--count", "100",
		   "--drain=false", "-o", "json", "--", "/bin/true", NULL);
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert(starts_with(r->out, "{\"what\":\"drained\",\"seq\":0,\"value\":0}\n"), "%.300s",
		  r->out);
	igt_result_free(r);
}

/* Records a gadget puts on its rings in report() and does not drain itself
 * are not lost: the host drains once more after report(), all of them, past
 * the per-call batch limit (8192). */
Test(ring_drain, host_drains_after_report)
{
	struct igt_result *r;
	const char *last;

	install("ring", "fixture-ring");
	r = igt_ig(30000, "run", "--gadget-path", tmpdir, "fixture-ring", "--count", "20000",
		   "--drain=false", "-o", "json", "--", "/bin/true", NULL);
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_eq(r->err_len, 0, "%s", r->err);
	cr_assert(starts_with(r->out, "{\"what\":\"drained\",\"seq\":0,\"value\":0}\n"
			      "{\"what\":\"nested\",\"seq\":0,\"value\":-16}\n"
			      "{\"what\":\"sample\",\"seq\":0,"), "%.300s", r->out);
	cr_assert_eq(igt_count(r->out, "\"what\":\"sample\""), 20000,
		     "records emitted in report() were dropped");
	last = strrchr(r->out, '{');
	cr_assert(starts_with(last, "{\"what\":\"sample\",\"seq\":19999,"), "%s", last);
	igt_result_free(r);
}

/* A gadget built against the frozen 1.0 header runs on this host: the
 * services it calls at both ends of the 1.0 table work, and it sees the
 * host's version and size; the 1.1 fixture sees ring_drain. */
Test(ring_drain, gadget_built_for_1_0_runs)
{
	struct igt_result *r;
	char want[160];

	install("old_minor", "fixture-old");
	install("good", "fixture-good");
	r = igt_ig(30000, "run", "--gadget-path", tmpdir, "fixture-old", "--count", "9",
		   "--lose", "2", "--loud", "--allow-loss", "-o", "json", "--", "/bin/true", NULL);
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_str_eq(r->out, "{\"value\":9}\n{\"lost\":{\"events\":2,\"records\":0}}\n");
	snprintf(want, sizeof(want), "built for ABI %d.0, host ABI %d.%d (%zu bytes), "
		 "boot_to_wall_ns(0) > 0, ring_drain %d", IG_GADGET_ABI_MAJOR,
		 IG_GADGET_ABI_MAJOR, IG_GADGET_ABI_MINOR, sizeof(struct ig_host), -ENOSYS);
	cr_assert(strstr(r->err, want), "want '%s' in: %s", want, r->err);
	cr_assert(strstr(r->err, "warning: 2 events were lost"), "%s", r->err);
	igt_result_free(r);

	r = igt_ig(30000, "run", "--gadget-path", tmpdir, "fixture-good", "--loud", "-o", "json",
		   "--", "/bin/true", NULL);
	cr_assert_eq(r->status, 0, "%s", r->err);
	snprintf(want, sizeof(want), "built for ABI %d.%d, host ABI %d.%d (%zu bytes), "
		 "boot_to_wall_ns(0) > 0, ring_drain 0", IG_GADGET_ABI_MAJOR, IG_GADGET_ABI_MINOR,
		 IG_GADGET_ABI_MAJOR, IG_GADGET_ABI_MINOR, sizeof(struct ig_host));
	cr_assert(strstr(r->err, want), "want '%s' in: %s", want, r->err);
	igt_result_free(r);
}
