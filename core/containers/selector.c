// SPDX-License-Identifier: Apache-2.0
/*
 * The -c container selector: parsed once into items, matched by name for
 * every selection question (selector.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "selector.h"

static void selector_error(const char *text, char *err, size_t errlen)
{
	snprintf(err, errlen,
		 "bad container selector '%s': give names separated by commas, "
		 "'!name' to exclude one (e.g. -c web,db or -c '!sidecar')", text);
}

int ctr_selector__parse(struct ctr_selector *sel, const char *text, char *err, size_t errlen)
{
	size_t n = 1;
	char *p;

	memset(sel, 0, sizeof(*sel));
	if (!text)
		return 0;
	for (const char *q = text; *q; q++)
		n += *q == ',';
	sel->buf = strdup(text);
	sel->items = calloc(n, sizeof(*sel->items));
	if (!sel->buf || !sel->items) {
		snprintf(err, errlen, "container selector: out of memory");
		ctr_selector__fini(sel);
		return -ENOMEM;
	}
	/* Split buf in place: every item a NUL-terminated name. "", "a,,b",
	 * "a," and "!" all leave an empty name. */
	for (p = sel->buf; p; sel->nr++) {
		struct ctr_sel_item *it = &sel->items[sel->nr];
		char *comma = strchr(p, ',');

		if (comma)
			*comma = '\0';
		it->neg = *p == '!';
		it->name = p + it->neg;
		if (!*it->name) {
			selector_error(text, err, errlen);
			ctr_selector__fini(sel);
			return -EINVAL;
		}
		sel->any_pos |= !it->neg;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

bool ctr_selector__match(const struct ctr_selector *sel, const char *name)
{
	bool pos_hit = false;

	if (!name)
		name = "";
	for (size_t i = 0; i < sel->nr; i++) {
		if (strcmp(sel->items[i].name, name))
			continue;
		if (sel->items[i].neg)
			return false;
		pos_hit = true;
	}
	return pos_hit || !sel->any_pos;
}

void ctr_selector__fini(struct ctr_selector *sel)
{
	if (!sel)
		return;
	free(sel->buf);
	free(sel->items);
	memset(sel, 0, sizeof(*sel));
}

int ctr_selector_check(const char *text, char *err, size_t errlen)
{
	struct ctr_selector sel;
	int ret = ctr_selector__parse(&sel, text, err, errlen);

	ctr_selector__fini(&sel);
	return ret;
}
