/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared fixtures for the formatter tests: a realistic field table, two
 * records, and a way to capture what a formatter writes.
 */
#ifndef OUT_HELPERS_H
#define OUT_HELPERS_H

#include <stddef.h>

#include "output/output.h"

/* 2026-11-29T03:24:42Z is 5 s after boot. */
#define T_BOOT_TO_WALL	(1795922682LL * 1000000000LL - 5000000000LL)
#define T_TS1		5123456789ULL	/* -> 2026-11-29T03:24:42.123456789Z */

enum {
	F_TS, F_PID, F_COMM, F_SYSCALL, F_RET, F_MODE, F_ALLOWED, F_CONTAINER, F_NS, F_POD,
	NR_T_FIELDS
};

extern const struct ig_field t_fields[NR_T_FIELDS];
/* Record 1: everything set. Record 2: long comm, unknown enum value, extra
 * bitmask bits, unset enrichment. */
extern const struct ig_value t_rec1[NR_T_FIELDS];
extern const struct ig_value t_rec2[NR_T_FIELDS];

/* Output captured in memory. */
struct cap {
	char *buf;
	size_t len;
	FILE *f;
};

void cap_open(struct cap *c);
/* Close the stream; c->buf holds everything written (NUL-terminated). */
char *cap_close(struct cap *c);

/* Options for the given format writing into c. */
struct ig_output_opts t_opts(enum ig_output_format fmt, struct cap *c, const char *fields);

/* Format the records (nr of them, each NR_T_FIELDS values) with opts and
 * return the text (free() it). Asserts that every call succeeds. */
char *t_format(const struct ig_output_opts *opts, const struct ig_value *const *recs, size_t nr);
/* Same with any field table. */
char *t_format_fields(const struct ig_field *fields, size_t nr_fields,
		      const struct ig_output_opts *opts, const struct ig_value *const *recs,
		      size_t nr);

#endif /* OUT_HELPERS_H */
