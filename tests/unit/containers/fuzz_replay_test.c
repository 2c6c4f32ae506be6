// SPDX-License-Identifier: Apache-2.0
/* The hook_msg fuzz target's seeds and past findings (tests/fuzz/), replayed. */
#include <criterion/criterion.h>

#include "tests/lib/igtest.h"
#include "tests/fuzz/hook_msg.c"

Test(fuzz_replay, hook_msg)
{
	cr_expect_gt(igt_fuzz_replay("hook_msg", fuzz_hook_msg), 0);
}
