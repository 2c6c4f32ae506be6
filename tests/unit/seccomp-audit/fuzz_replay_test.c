// SPDX-License-Identifier: Apache-2.0
/* The spo_yaml fuzz target's seeds and past findings (tests/fuzz/), replayed. */
#include <criterion/criterion.h>

#include "tests/lib/igtest.h"
#include "tests/fuzz/spo_yaml.c"

Test(fuzz_replay, spo_yaml)
{
	cr_expect_gt(igt_fuzz_replay("spo_yaml", fuzz_spo_yaml), 0);
}
