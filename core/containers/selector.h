/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The -c container selector (internal): comma-separated names, "!name"
 * excludes. A name is selected when it matches no exclusion and (there is no
 * positive name, or it matches one). Parsed once (the table does it in
 * ig_containers__new): matching runs for every container_selected call,
 * which gadgets may make per event.
 */
#ifndef IG_CORE_CONTAINERS_SELECTOR_H
#define IG_CORE_CONTAINERS_SELECTOR_H

#include <stdbool.h>
#include <stddef.h>

struct ctr_sel_item {
	const char *name;	/* into ctr_selector.buf, never empty */
	bool neg;		/* "!name" */
};

struct ctr_selector {
	char *buf;		/* the text, split at the commas */
	struct ctr_sel_item *items;
	size_t nr;		/* 0: selects everything */
	bool any_pos;		/* some item is not an exclusion */
};

/* NULL text: an empty selector (everything). -EINVAL for a selector that
 * selects nothing sensible ("", "a,,b", "a,", "!"), -ENOMEM; reason in err.
 * On error sel is empty (fini is still fine). */
int ctr_selector__parse(struct ctr_selector *sel, const char *text, char *err, size_t errlen);
bool ctr_selector__match(const struct ctr_selector *sel, const char *name);
void ctr_selector__fini(struct ctr_selector *sel);
/* Parse and drop: for option parsing, so a bad -c is a usage error. */
int ctr_selector_check(const char *text, char *err, size_t errlen);

#endif /* IG_CORE_CONTAINERS_SELECTOR_H */
