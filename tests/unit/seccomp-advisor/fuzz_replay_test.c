// SPDX-License-Identifier: Apache-2.0
/* The oci_profile fuzz target's seeds and past findings (tests/fuzz/), replayed. */
#include <criterion/criterion.h>

#include "tests/lib/igtest.h"
#include "tests/fuzz/oci_profile.c"

Test(fuzz_replay, oci_profile)
{
	cr_expect_gt(igt_fuzz_replay("oci_profile", fuzz_oci_profile), 0);
}
