// SPDX-License-Identifier: Apache-2.0
/* The runc_state fuzz target's seeds and past findings (tests/fuzz/), replayed. */
#include <criterion/criterion.h>

#include "tests/lib/igtest.h"
#include "tests/fuzz/runc_state.c"

Test(fuzz_replay, runc_state)
{
	cr_expect_gt(igt_fuzz_replay("runc_state", fuzz_runc_state), 0);
}
