/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One fuzz target per parser of input others write (make fuzz, libFuzzer).
 * A target is tests/fuzz/<name>.c: its first lines say what it links,
 *     // fuzz-sources: plugins/runc/json_scan.c ...
 *     // fuzz-libs: -ljansson
 * and it defines its entry with FUZZ_TARGET(name). Built for fuzzing
 * (-DFUZZ_MAIN), that is libFuzzer's LLVMFuzzerTestOneInput; built into a
 * unit test, it is fuzz_<name>(), which tests/lib's igt_fuzz_replay() runs
 * on every seed of tests/fuzz/corpus/<name>/ and every input a run of make
 * fuzz once crashed on (tests/fuzz/regress/<name>/), so a finding, once
 * fixed, stays a regression test of make test.
 */
#ifndef IG_TEST_FUZZ_H
#define IG_TEST_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#ifdef FUZZ_MAIN
#define FUZZ_TARGET(name) \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size); \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#else
#define FUZZ_TARGET(name) \
	int fuzz_##name(const uint8_t *data, size_t size); \
	int fuzz_##name(const uint8_t *data, size_t size)
#endif

#endif /* IG_TEST_FUZZ_H */
