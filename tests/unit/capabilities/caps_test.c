// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests of the capabilities gadget's pure parts: names, the kallsyms
 * range finder, the stack-layout calibration, the event decoder and the
 * advice document. No kernel needed.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "gadgets/capabilities/capabilities_int.h"

Test(names, kernel_numbering)
{
	cr_assert_str_eq(caps_name(0), "CAP_CHOWN");
	cr_assert_str_eq(caps_name(10), "CAP_NET_BIND_SERVICE");
	cr_assert_str_eq(caps_name(21), "CAP_SYS_ADMIN");
	cr_assert_str_eq(caps_name(40), "CAP_CHECKPOINT_RESTORE");
	cr_assert_null(caps_name(41));
	cr_assert_eq(caps_from_name("net_bind_service"), 10);
	cr_assert_eq(caps_from_name("CAP_BPF"), 39);
	cr_assert_eq(caps_from_name("CAP_NOPE"), -1);
	cr_assert_str_eq(caps_syscall_name(105), "setuid");
	cr_assert_null(caps_syscall_name(-1));
	caps_syscall_names_free();
}

static FILE *text(const char *s)
{
	return fmemopen((void *)s, strlen(s), "r");
}

static const char kallsyms[] =
	"ffffffff81207abe t ns_capable_noaudit.cold\n"
	"ffffffff81207acc t something_else.cold\n"
	"ffffffff8136f8f0 T __pfx_has_capability_noaudit\n"
	"ffffffff8136f900 T has_capability_noaudit\n"
	"ffffffff8136f950 T __pfx_ns_capable_setid\n"
	"ffffffff8136fab0 T ns_capable_noaudit\n"
	"ffffffff8136fab0 T ns_capable_noaudit_alias\n"
	"ffffffff8136fb00 D some_data\n"
	"ffffffff8136fbc0 T has_ns_capability\n"
	"ffffffff81abd470 T cap_capable\n"
	"ffffffff81abd670 T __pfx_cap_vm_enough_memory\n"
	"ffffffff81ac23c0 T security_capable\n"
	"ffffffff81ac2400 T security_capable_more\n"
	"ffffffffc0001000 t cap_capable\t[some_module]\n";

Test(ranges, from_kallsyms)
{
	struct caps_range r[16];
	FILE *f = text(kallsyms);
	int n = caps_find_ranges(f, r, 16);

	fclose(f);
	cr_assert_eq(n, 5, "got %d", n);
	cr_assert_eq(r[0].start, 0xffffffff81207abeull);
	cr_assert_eq(r[0].end, 0xffffffff81207accull);
	cr_assert_eq(r[0].kind, CAPS_RANGE_NOAUDIT);
	cr_assert_eq(r[1].start, 0xffffffff8136f900ull);
	cr_assert_eq(r[1].end, 0xffffffff8136f950ull);
	/* an alias at the same address does not end the range; data symbols are skipped */
	cr_assert_eq(r[2].start, 0xffffffff8136fab0ull);
	cr_assert_eq(r[2].end, 0xffffffff8136fbc0ull, "end %llx", (unsigned long long)r[2].end);
	cr_assert_eq(r[3].kind, CAPS_RANGE_INNER);
	cr_assert_eq(r[3].end, 0xffffffff81abd670ull);
	/* security_capable_more is not security_capable; the module copy is skipped */
	cr_assert_eq(r[4].start, 0xffffffff81ac23c0ull);
	cr_assert_eq(r[4].end, 0xffffffff81ac2400ull);
}

Test(ranges, errors)
{
	struct caps_range r[16];
	FILE *f;

	f = text("ffffffff81abd470 T cap_capable\nffffffff81abd480 T x\n");
	cr_assert_eq(caps_find_ranges(f, r, 16), -ENOENT, "security_capable is missing");
	fclose(f);
	f = text("0000000000000000 T cap_capable\n0000000000000000 T security_capable\n");
	cr_assert_eq(caps_find_ranges(f, r, 16), -ENOENT, "kptr_restrict zeroes");
	fclose(f);
	f = text("not a kallsyms line\n");
	cr_assert_eq(caps_find_ranges(f, r, 16), -EINVAL);
	fclose(f);
	f = text(kallsyms);
	cr_assert_eq(caps_find_ranges(f, r, 2), -ENOSPC);
	fclose(f);
}

static const struct caps_range calib_ranges[] = {
	{ 0x1000, 0x1100, CAPS_RANGE_INNER },	/* cap_capable */
	{ 0x2000, 0x2100, CAPS_RANGE_INNER },	/* security_capable */
	{ 0x3000, 0x3100, CAPS_RANGE_NOAUDIT },
};

static void fill_calib(struct caps_calib *c)
{
	memset(c, 0, sizeof(*c));
	c->nr_ips = 6 * 8;
	c->ips[0] = 0xffffffffc0000010ull;	/* the program */
	c->ips[1] = 0x500;			/* bpf_trace_run5 */
	c->ips[2] = 0x1083;
	c->ips[3] = 0x203b;
	c->ips[4] = 0x4444;			/* ns_capable_setid */
	c->ips[5] = 0x5555;
	c->raw[10] = 0x1083;
	c->raw[12] = 0x203b;
	c->raw[17] = 0x4444;
}

Test(calib, layout)
{
	struct caps_layout l;
	struct caps_calib c;

	fill_calib(&c);
	cr_assert_eq(caps_layout_from_calib(&c, calib_ranges, 3, &l), 0);
	cr_assert_eq(l.off_cc, 10);
	cr_assert_eq(l.d1, 2);
	cr_assert_eq(l.d2, 5);
	cr_assert_eq(l.cc_ret, 0x1083);
	cr_assert_eq(l.sc_ret, 0x203b);
	cr_assert(l.ready);
}

Test(calib, wrong_shape)
{
	struct caps_layout l;
	struct caps_calib c;

	fill_calib(&c);
	c.raw[17] = 0;		/* API frame not on the stack copy */
	cr_assert_eq(caps_layout_from_calib(&c, calib_ranges, 3, &l), -ENOENT);
	fill_calib(&c);
	c.ips[3] = 0x4444;	/* no security_capable frame */
	cr_assert_eq(caps_layout_from_calib(&c, calib_ranges, 3, &l), -ENOENT);
	fill_calib(&c);
	c.nr_ips = -14;
	cr_assert_eq(caps_layout_from_calib(&c, calib_ranges, 3, &l), -ENOENT);
}

Test(calib, agrees)
{
	struct caps_calib c = { .cap = 6, .fast = 1, .slow = 1 };

	cr_assert(caps_calib_agrees(&c, 6, true));
	cr_assert_not(caps_calib_agrees(&c, 6, false));
	c.fast = -1;
	cr_assert_not(caps_calib_agrees(&c, 6, true));
}

Test(ranges, cache_round_trip)
{
	struct caps_range in[] = {
		{ 0xffffffff81207abeull, 0xffffffff81207accull, CAPS_RANGE_NOAUDIT },
		{ 0xffffffff81abd470ull, 0xffffffff81abd670ull, CAPS_RANGE_INNER },
		{ 0xffffffff81ac23c0ull, 0xffffffff81ac2400ull, CAPS_RANGE_INNER },
	}, out[16];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i;

	cr_assert_eq(caps_ranges_save(f, "boot-a", in, 3), 0);
	fclose(f);
	f = text(buf);
	cr_assert_eq(caps_ranges_load(f, "boot-a", out, 16), 3);
	fclose(f);
	for (i = 0; i < 3; i++) {
		cr_assert_eq(out[i].start, in[i].start);
		cr_assert_eq(out[i].end, in[i].end);
		cr_assert_eq(out[i].kind, in[i].kind);
	}
	f = text(buf);
	cr_assert_eq(caps_ranges_load(f, "boot-b", out, 16), -ESTALE, "another boot");
	fclose(f);
	f = text(buf);
	cr_assert_eq(caps_ranges_load(f, "boot-a", out, 2), -ENOSPC);
	fclose(f);
	free(buf);
}

Test(ranges, cache_malformed)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "something else\n", "no header" },
		{ "ig-caps-ranges 1 b\nffff 1000 1\nffff1 ffff2 1\n", "start after end" },
		{ "ig-caps-ranges 1 b\n1000 2000 3\n3000 4000 1\n", "unknown kind" },
		{ "ig-caps-ranges 1 b\n1000 2000 1\n3000 4000 2\n", "one inner function only" },
		{ "", "empty" },
	};
	struct caps_range out[16];
	unsigned int i;
	FILE *f;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f = text(bad[i].text);
		cr_assert_eq(caps_ranges_load(f, "b", out, 16), -EINVAL, "%s", bad[i].why);
		fclose(f);
	}
}
