// SPDX-License-Identifier: Apache-2.0
/*
 * core/engine/desc.c: a gadget's descriptor is checked against the memory
 * of its own module before it is read (case 1 of issue 17: nr_fields of
 * 10^8 crashed the loader).
 */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/engine/desc.h"
#include "tests/lib/igtest.h"

static void *handle;
static const struct ig_gadget_desc *real;
static struct ig_mem_range ranges[IG_MEM_MAX_RANGES];
static size_t nr;
static char why[256];

static void setup(void)
{
	char path[PATH_MAX];
	const struct ig_gadget_desc *(*entry)(void);

	snprintf(path, sizeof(path), "%s/tests/fixtures/gadgets/good.so", igt_build_dir());
	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	cr_assert_not_null(handle, "%s", dlerror());
	*(void **)&entry = dlsym(handle, IG_GADGET_ENTRY_NAME);
	cr_assert_not_null(entry);
	real = entry();
	nr = ig_mem__module_ranges(handle, ranges, IG_MEM_MAX_RANGES);
	why[0] = '\0';
}

static void teardown(void)
{
	dlclose(handle);
}

TestSuite(desc, .init = setup, .fini = teardown);

Test(desc, a_real_gadget_passes)
{
	cr_assert_gt(nr, 1, "a module has several loaded segments");
	cr_expect_eq(ig_desc__check(real, ranges, nr, why, sizeof(why)), 0, "%s", why);
}

/* A copy of the descriptor, edited; the copy itself lives in the test's
 * memory, so it is given one more range: its own bytes. */
static int check_copy(struct ig_gadget_desc *d)
{
	struct ig_mem_range r[IG_MEM_MAX_RANGES + 1];

	memcpy(r, ranges, nr * sizeof(*r));
	r[nr] = (struct ig_mem_range){ (uintptr_t)d, (uintptr_t)(d + 1), false };
	why[0] = '\0';
	return ig_desc__check(d, r, nr + 1, why, sizeof(why));
}

Test(desc, huge_counts_are_refused)
{
	struct ig_gadget_desc d = *real;

	d.nr_fields = 100000000;
	cr_expect_eq(check_copy(&d), -EINVAL);
	cr_expect(strstr(why, "100000000 fields"), "%s", why);
	d = *real;
	d.nr_params = 100000000;
	cr_expect_eq(check_copy(&d), -EINVAL);
	d = *real;
	d.field_sz = 1u << 30;
	cr_expect_eq(check_copy(&d), -EINVAL);
}

Test(desc, pointers_outside_the_module_are_refused)
{
	static const char elsewhere[] = "fixture-good";
	struct ig_gadget_desc d = *real;

	d.name = elsewhere;	/* the test's memory, not the gadget's */
	cr_expect_eq(check_copy(&d), -EINVAL);
	d = *real;
	d.fields = (const void *)0x10;
	cr_expect_eq(check_copy(&d), -EINVAL);
	cr_expect(strstr(why, "field table"), "%s", why);
	d = *real;
	d.params = (const void *)((const char *)real->params + 1);	/* misaligned */
	cr_expect_eq(check_copy(&d), -EINVAL);
	d = *real;
	d.init = (void *)real->name;	/* data, not code */
	cr_expect_eq(check_copy(&d), -EINVAL);
	cr_expect(strstr(why, "callback"), "%s", why);
	cr_expect_eq(ig_desc__check((const void *)0x1000, ranges, nr, why, sizeof(why)), -EINVAL);
}

Test(desc, names_a_user_cannot_type_are_refused)
{
	static const struct { const char *name; int ok; } cases[] = {
		{ "trace-exec", 1 }, { "a.b_c-9", 1 }, { "", 0 }, { "evil\033[31m", 0 },
		{ "a b", 0 }, { "../x", 0 },
		{ "n1234567890123456789012345678901234567890123456789012345678901234", 0 },
	};
	struct ig_gadget_desc d = *real;
	struct ig_mem_range r[IG_MEM_MAX_RANGES + 2];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(r, ranges, nr * sizeof(*r));
		r[nr] = (struct ig_mem_range){ (uintptr_t)&d, (uintptr_t)(&d + 1), false };
		r[nr + 1] = (struct ig_mem_range){ (uintptr_t)cases[i].name,
			(uintptr_t)cases[i].name + strlen(cases[i].name) + 1, false };
		d.name = cases[i].name;
		cr_expect_eq(ig_desc__check(&d, r, nr + 2, why, sizeof(why)) == 0, cases[i].ok,
			     "'%s': %s", cases[i].name, why);
	}
}
