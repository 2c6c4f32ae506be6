/* SPDX-License-Identifier: Apache-2.0 */
/*
 * How complete a recording is, the same way in every advisor: per target (a
 * container, a pod, the command), how long it was recorded, how many runs or
 * containers it merges, how many items (syscalls, capabilities, flows) it
 * learned and when the last new one was first seen, and how it ended.
 * --until-stable asks whether nothing new came for a while. Advisors call
 * adv_track__items() when they count (a tick, an event) and put
 * adv_track__report() into their report; the live status line shows
 * adv_track__status(). Times are CLOCK_BOOTTIME ns (the BPF clock).
 */
#ifndef IG_LIB_ADVISE_TRACK_H
#define IG_LIB_ADVISE_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

enum adv_end {
	ADV_END_RUNNING = 0,
	ADV_END_EXIT,		/* the container (or the command) exited */
	ADV_END_STABLE,		/* --until-stable: nothing new for the period */
	ADV_END_STOP,		/* ig stopped: timeout, signal, command exit */
};

struct adv_track {
	uint64_t start_ns;	/* recording began */
	uint64_t end_ns;	/* it ended (0: running) */
	uint64_t last_new_ns;	/* the last new item was first seen (0: none) */
	uint64_t learned_ns;	/* ... and when ig learned of it (an event or a
				 * poll can come later than the item's time) */
	uint64_t items;		/* distinct items learned */
	uint32_t runs;		/* -- COMMAND runs merged (0: not a command) */
	uint32_t containers;	/* containers merged (0: not containers) */
	enum adv_end end;
	char last_item[64];	/* the last new item's name, when known */
};

/* CLOCK_BOOTTIME now, in ns. */
uint64_t adv_now_ns(void);
void adv_track__start(struct adv_track *t, uint64_t now);
/* The count is now items; when it grew, the last new item is now (named
 * newest when not NULL). Returns whether it grew. */
bool adv_track__items(struct adv_track *t, uint64_t items, uint64_t now, const char *newest);
/* Whether nothing new came for period_ns: counted from when ig learned of
 * the last new item (from the start when nothing came at all), so an item
 * reported late does not end a recording that just learned it. */
bool adv_track__stable(const struct adv_track *t, uint64_t period_ns, uint64_t now);
/* The recording ended (the first call counts). */
void adv_track__end(struct adv_track *t, enum adv_end end, uint64_t now);
/* Merge src into dst (a pod's containers, several runs): the earlier start,
 * the later last new item, the sums of runs and containers, the larger
 * items (sets may overlap: a caller that knows they do not adds them). */
void adv_track__merge(struct adv_track *dst, const struct adv_track *src);

/* The report object: {"recordedMs", "runs" or "containers", "items",
 * "lastNewAfterMs" (after the start), "lastNew" (RFC 3339, wall clock, to
 * the ms), "lastNewItem", "stoppedBy" ("exit", "until-stable", "stop"),
 * "untilStableMs"}. boot_to_wall: add to a boot time to get
 * the wall clock, ns; until_stable_ns 0 when not given. New reference. */
json_t *adv_track__report(const struct adv_track *t, int64_t boot_to_wall, uint64_t until_stable_ns,
			  uint64_t now);
/* "web 41 syscalls 2m03s, new 12s ago" into buf (what: "syscalls"). */
void adv_track__status(const struct adv_track *t, const char *name, const char *what,
		       uint64_t now, char *buf, size_t size);

/*
 * An advisor's table of targets: items of item_sz bytes, each starting with
 * its uint64_t key and holding its struct adv_track at tr_off. The entry of
 * key, appended when missing (zeroed, key set, tracking started now) with
 * *nr counted up. Returns the table, which moves when it grows, with the
 * entry's index in *idx; NULL when out of memory (the table is unchanged).
 */
void *adv_targets__get(void *items, uint32_t *nr, size_t item_sz, size_t tr_off, uint64_t key,
		       uint32_t *idx);

/* --until-stable SECONDS: "10", "2.5"; 0 with *ns set, or -EINVAL. */
int adv_parse_seconds(const char *text, uint64_t *ns);

#endif /* IG_LIB_ADVISE_TRACK_H */
