// SPDX-License-Identifier: Apache-2.0
/* How complete a recording is (track.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "track.h"

uint64_t adv_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void adv_track__start(struct adv_track *t, uint64_t now)
{
	memset(t, 0, sizeof(*t));
	t->start_ns = now;
}

bool adv_track__items(struct adv_track *t, uint64_t items, uint64_t now, const char *newest)
{
	if (items <= t->items)
		return false;
	t->items = items;
	t->last_new_ns = now;
	t->learned_ns = adv_now_ns();
	snprintf(t->last_item, sizeof(t->last_item), "%s", newest ? newest : "");
	return true;
}

bool adv_track__stable(const struct adv_track *t, uint64_t period_ns, uint64_t now)
{
	uint64_t since = t->learned_ns > t->last_new_ns ? t->learned_ns : t->last_new_ns;

	if (!since)
		since = t->start_ns;

	return period_ns && now >= since && now - since >= period_ns;
}

void adv_track__end(struct adv_track *t, enum adv_end end, uint64_t now)
{
	if (t->end != ADV_END_RUNNING)
		return;
	t->end = end;
	t->end_ns = now;
}

void adv_track__merge(struct adv_track *dst, const struct adv_track *src)
{
	if (src->start_ns && (!dst->start_ns || src->start_ns < dst->start_ns))
		dst->start_ns = src->start_ns;
	if (src->end_ns > dst->end_ns) {
		dst->end_ns = src->end_ns;
		dst->end = src->end;
	}
	if (src->last_new_ns > dst->last_new_ns) {
		dst->last_new_ns = src->last_new_ns;
		memcpy(dst->last_item, src->last_item, sizeof(dst->last_item));
	}
	if (src->learned_ns > dst->learned_ns)
		dst->learned_ns = src->learned_ns;
	if (src->items > dst->items)	/* items may overlap: the caller knows better */
		dst->items = src->items;
	dst->runs += src->runs;
	dst->containers += src->containers;
}

static const char *end_name(enum adv_end end)
{
	switch (end) {
	case ADV_END_EXIT: return "exit";
	case ADV_END_STABLE: return "until-stable";
	case ADV_END_STOP: return "stop";
	default: return "running";
	}
}

static json_t *ms(uint64_t ns)
{
	return json_integer((json_int_t)((ns + 500000) / 1000000));
}

/* RFC 3339 in UTC, to the millisecond. */
static void wall_text(uint64_t boot_ns, int64_t boot_to_wall, char *buf, size_t size)
{
	int64_t wall = (int64_t)boot_ns + boot_to_wall;
	time_t s = (time_t)(wall / 1000000000ll);
	struct tm tm;
	size_t n;

	gmtime_r(&s, &tm);
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, size - n, ".%03dZ", (int)(wall % 1000000000ll / 1000000));
}

json_t *adv_track__report(const struct adv_track *t, int64_t boot_to_wall, uint64_t until_stable_ns,
			  uint64_t now)
{
	uint64_t end = t->end_ns ? t->end_ns : now;
	json_t *o = json_object();
	char wall[64];
	int err = 0;

	if (!o)
		return NULL;
	err |= json_object_set_new(o, "recordedMs", ms(end - t->start_ns));
	if (t->runs)
		err |= json_object_set_new(o, "runs", json_integer(t->runs));
	if (t->containers)
		err |= json_object_set_new(o, "containers", json_integer(t->containers));
	err |= json_object_set_new(o, "items", json_integer((json_int_t)t->items));
	if (t->last_new_ns) {
		wall_text(t->last_new_ns, boot_to_wall, wall, sizeof(wall));
		err |= json_object_set_new(o, "lastNewAfterMs", ms(t->last_new_ns - t->start_ns));
		err |= json_object_set_new(o, "lastNew", json_string(wall));
		if (t->last_item[0])
			err |= json_object_set_new(o, "lastNewItem", json_string(t->last_item));
	}
	err |= json_object_set_new(o, "stoppedBy", json_string(end_name(t->end)));
	if (until_stable_ns)
		err |= json_object_set_new(o, "untilStableMs", ms(until_stable_ns));
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static void dur(char *buf, size_t size, uint64_t ns)
{
	uint64_t s = ns / 1000000000ull;

	if (s < 60)
		snprintf(buf, size, "%llus", (unsigned long long)s);
	else if (s < 3600)
		snprintf(buf, size, "%llum%02llus", (unsigned long long)s / 60,
			 (unsigned long long)s % 60);
	else
		snprintf(buf, size, "%lluh%02llum", (unsigned long long)s / 3600,
			 (unsigned long long)s / 60 % 60);
}

void adv_track__status(const struct adv_track *t, const char *name, const char *what,
		       uint64_t now, char *buf, size_t size)
{
	char rec[32], ago[32] = "nothing yet";

	dur(rec, sizeof(rec), now - t->start_ns);
	if (t->last_new_ns) {
		dur(ago, sizeof(ago) - 4, now - t->last_new_ns);
		strcat(ago, " ago");
	}
	snprintf(buf, size, "%s%s%llu %s in %s, new %s", name ? name : "", name ? " " : "",
		 (unsigned long long)t->items, what, rec, ago);
}

void *adv_targets__get(void *items, uint32_t *nr, size_t item_sz, size_t tr_off, uint64_t key,
		       uint32_t *idx)
{
	char *base = items, *at;
	uint64_t k;
	uint32_t i;

	for (i = 0; i < *nr; i++) {
		memcpy(&k, base + (size_t)i * item_sz, sizeof(k));
		if (k == key) {
			*idx = i;
			return items;
		}
	}
	base = realloc(items, ((size_t)*nr + 1) * item_sz);
	if (!base)
		return NULL;
	at = base + (size_t)*nr * item_sz;
	memset(at, 0, item_sz);
	memcpy(at, &key, sizeof(key));
	adv_track__start((struct adv_track *)(at + tr_off), adv_now_ns());
	*idx = (*nr)++;
	return base;
}

int adv_parse_seconds(const char *text, uint64_t *ns)
{
	char *end;
	double v;

	if (!text || !*text)
		return -EINVAL;
	errno = 0;
	v = strtod(text, &end);
	if (errno || *end || !isfinite(v) || v <= 0 || v > 1e6)
		return -EINVAL;
	*ns = (uint64_t)(v * 1e9);
	return 0;
}
