// SPDX-License-Identifier: Apache-2.0
// fuzz-sources: core/base/elfcheck.c
// fuzz-libs:
/*
 * The ELF check a gadget or plugin passes before dlopen() (core/base/
 * elfcheck.c): any bytes, as a whole file and as the start of a longer or
 * shorter one.
 */
#include <stdint.h>

#include "core/base/elfcheck.h"
#include "fuzz.h"

FUZZ_TARGET(elf_header)
{
	char why[256];

	ig_elf__check(data, size, size, why, sizeof(why));
	ig_elf__check(data, size, size / 2, why, sizeof(why));
	ig_elf__check(data, size, (uint64_t)size * 4, why, sizeof(why));
	return 0;
}
