// SPDX-License-Identifier: Apache-2.0
/* The elf_header fuzz target's seeds and past findings (tests/fuzz/), replayed. */
#include <criterion/criterion.h>

#include "tests/lib/igtest.h"
#include "tests/fuzz/elf_header.c"

Test(fuzz_replay, elf_header)
{
	cr_expect_gt(igt_fuzz_replay("elf_header", fuzz_elf_header), 0);
}
