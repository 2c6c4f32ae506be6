// SPDX-License-Identifier: Apache-2.0
/* lib/advise/track.c: the table of targets the advisors share, and the
 * --until-stable arithmetic. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include <criterion/criterion.h>

#include "lib/advise/track.h"

struct target {
	uint64_t key;
	uint32_t payload;
	struct adv_track tr;
};

Test(targets, found_or_appended_started)
{
	struct target *t = NULL, *got;
	uint32_t nr = 0, i, idx = 99;
	uint64_t before = adv_now_ns();

	for (i = 0; i < 40; i++) {
		got = adv_targets__get(t, &nr, sizeof(*t), offsetof(struct target, tr),
				       1000 + i, &idx);
		cr_assert_not_null(got);
		t = got;
		cr_assert_eq(idx, i);
		cr_assert_eq(nr, i + 1);
		cr_assert_eq(t[i].key, 1000 + i);
		cr_assert_eq(t[i].payload, 0, "a new entry is zeroed");
		cr_assert_geq(t[i].tr.start_ns, before, "its tracking starts now");
		t[i].payload = i * 7;
	}
	/* an existing key: the same entry, nothing appended, nothing reset */
	got = adv_targets__get(t, &nr, sizeof(*t), offsetof(struct target, tr), 1017, &idx);
	cr_assert_eq(got, t);
	cr_assert_eq(idx, 17);
	cr_assert_eq(nr, 40);
	cr_assert_eq(t[17].payload, 17 * 7);
	for (i = 0; i < 40; i++)
		cr_assert_eq(t[i].key, 1000 + i, "entry %u moved", i);
	free(t);
}

/* Stable counts from when ig learned of the last new item (the real clock),
 * or from the start while nothing came. */
Test(track, stable_counts_from_the_last_new_item)
{
	const uint64_t sec = 1000000000ULL;
	struct adv_track tr;
	uint64_t s = adv_now_ns();

	adv_track__start(&tr, s);
	cr_assert_not(adv_track__stable(&tr, 10 * sec, s + 9 * sec));
	cr_assert(adv_track__stable(&tr, 10 * sec, s + 10 * sec), "nothing came: from the start");
	s = adv_now_ns();
	cr_assert(adv_track__items(&tr, 3, s, "openat"));
	cr_assert_not(adv_track__items(&tr, 3, s + sec, "read"), "no growth, no new item");
	cr_assert_str_eq(tr.last_item, "openat");
	cr_assert_eq(tr.last_new_ns, s);
	cr_assert_not(adv_track__stable(&tr, 10 * sec, s + 9 * sec));
	cr_assert(adv_track__stable(&tr, 10 * sec, s + 12 * sec));
}

Test(track, seconds_parse)
{
	uint64_t ns = 0;

	cr_assert_eq(adv_parse_seconds("2.5", &ns), 0);
	cr_assert_eq(ns, 2500000000ULL);
	cr_assert_eq(adv_parse_seconds("0", &ns), -EINVAL);
	cr_assert_eq(adv_parse_seconds("10s", &ns), -EINVAL);
	cr_assert_eq(adv_parse_seconds("", &ns), -EINVAL);
	cr_assert_eq(adv_parse_seconds("nan", &ns), -EINVAL);
}
