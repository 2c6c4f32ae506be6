// SPDX-License-Identifier: Apache-2.0
/*
 * What the end of a run says about the containers it was asked for: a
 * name given with -c that no container had ("no container named x1 was
 * seen; ig saw: a, b, c"), a selected container that was not recorded from
 * its first instruction and why, and the containers that started and ended
 * before ig could name them. A silent empty result is the worst answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/log.h"
#include "births.h"
#include "selector.h"
#include "summary.h"

#define MAX_LISTED	20

struct seen {
	char text[1024];
	size_t len, nr, listed;
	const char *names[MAX_LISTED];
};

static int add_seen(void *arg, const struct ig_container *c)
{
	struct seen *s = arg;

	for (size_t i = 0; i < s->listed; i++)
		if (!strcmp(s->names[i], c->name))
			return 0;
	s->nr++;
	if (s->listed == MAX_LISTED)
		return 0;
	s->names[s->listed++] = c->name;
	s->len += (size_t)snprintf(s->text + s->len, sizeof(s->text) - s->len, "%s%s",
				   s->listed > 1 ? ", " : "", c->name);
	if (s->len >= sizeof(s->text))
		s->len = sizeof(s->text) - 1;
	return 0;
}

struct find {
	const char *name;
	bool found;
};

static int has_name(void *arg, const struct ig_container *c)
{
	struct find *f = arg;

	if (!strcmp(c->name, f->name))
		f->found = true;
	return f->found;
}

/* One line for every selected container not recorded from its start. */
static int late_one(void *arg, const struct ig_container *c)
{
	struct ig_containers *cs = arg;
	const struct ctr_entry *e = ctr_entry_of(c);

	if (e->from_start || !ig_containers__selected(cs, c))
		return 0;
	if (e->at_start)
		ig_warn("container %s was already running when ig started: recorded from then "
			"on, not from its first instruction", c->name);
	else
		ig_warn("container %s (%s) was found after it started and no start of it was "
			"seen (not started by runc?): recorded from when ig found it", c->name,
			c->runtime);
	return 0;
}

static void say_unnamed(void *arg, const char *what)
{
	int level = *(int *)arg;

	ig_log(level, "%s; for containers this short, use the OCI hook (docs/containers.md)",
	       what);
}

int ig_containers__summary(struct ig_containers *cs)
{
	const struct ctr_selector *sel = ig_containers__selector(cs);
	char missing[512] = "";
	struct seen seen = { .len = 0 };
	size_t len = 0, nr_missing = 0;
	int level;

	if (!sel->any_pos)
		return 0;	/* no names asked for: nothing can be missing */
	for (size_t i = 0; i < sel->nr; i++) {
		struct find f = { .name = sel->items[i].name };

		if (sel->items[i].neg)
			continue;
		ig_containers__foreach(cs, has_name, &f);
		if (f.found)
			continue;
		len += (size_t)snprintf(missing + len, sizeof(missing) - len, "%s%s",
					nr_missing ? " or " : "", f.name);
		if (len >= sizeof(missing))
			len = sizeof(missing) - 1;
		nr_missing++;
	}
	ig_containers__foreach(cs, late_one, cs);
	level = nr_missing ? IG_LOG_WARN : IG_LOG_INFO;
	ctr_births__unnamed(ig_containers__births(cs), say_unnamed, &level);
	if (!nr_missing)
		return 0;
	ig_containers__foreach(cs, add_seen, &seen);
	if (!seen.nr)
		ig_err("no container named %s was seen; ig saw none", missing);
	else if (seen.nr > seen.listed)
		ig_err("no container named %s was seen; ig saw: %s and %zu more", missing,
		       seen.text, seen.nr - seen.listed);
	else
		ig_err("no container named %s was seen; ig saw: %s", missing, seen.text);
	return 1;
}
