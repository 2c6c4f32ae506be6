// SPDX-License-Identifier: Apache-2.0
/* The gadget_desc fuzz target's seeds and past findings (tests/fuzz/),
 * replayed. */
#include <criterion/criterion.h>

#include "tests/lib/igtest.h"
#include "tests/fuzz/gadget_desc.c"

Test(fuzz_replay, gadget_desc)
{
	cr_expect_gt(igt_fuzz_replay("gadget_desc", fuzz_gadget_desc), 0);
}
