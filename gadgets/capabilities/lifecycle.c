// SPDX-License-Identifier: Apache-2.0
/*
 * capabilities --advise, how complete each recording is, and what it grows
 * from. Every tick the advice table is read and each container's advised
 * set computed the way the report computes it (caps_advice_add): a
 * capability not advised before is new, now (within the tick). The status
 * line shows it; --until-stable hands back the containers that learned
 * nothing for that long; the report document gets a "report" member.
 * --update FILE unions a previous advice (or an OCI process.capabilities
 * block) into every advice, so a workload's set grows run after run; the
 * report names what came from the file. --output-dir writes each document.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <ig/gadget.h>

#include "capabilities_int.h"
#include "capabilities.skel.h"

struct caps_prog {
	uint64_t mntns;
	uint64_t needed;		/* the advised set at the last tick */
	bool reported;			/* --until-stable reported it */
	struct adv_track tr;
};

static struct caps_prog *prog_of(struct caps_state *st, uint64_t mntns)
{
	struct caps_prog *t;
	uint32_t i;

	t = adv_targets__get(st->prog, &st->nr_prog, sizeof(*t), offsetof(struct caps_prog, tr),
			     mntns, &i);
	if (!t)
		return NULL;
	st->prog = t;
	return &t[i];
}

/* The names of a capability set, from any of the places an advice or an
 * OCI config keeps them. Returns 0 or -EINVAL with what is wrong in err. */
static int caps_of(const json_t *doc, uint64_t *mask, char *err, size_t errlen)
{
	static const char *const sets[] = { "bounding", "effective", "permitted", "inheritable",
					    "ambient", "add" };
	const json_t *blocks[4], *arr, *v;
	size_t b, i, k;
	bool found = false;
	int cap;

	blocks[0] = json_object_get(json_object_get(doc, "process"), "capabilities");
	blocks[1] = json_object_get(json_object_get(doc, "securityContext"), "capabilities");
	blocks[2] = json_object_get(doc, "capabilities");
	blocks[3] = doc;
	for (b = 0; b < 4; b++) {
		for (i = 0; blocks[b] && json_is_object(blocks[b]) && i < IG_ARRAY_SIZE(sets); i++) {
			arr = json_object_get(blocks[b], sets[i]);
			if (!arr)
				continue;
			found = true;
			if (!json_is_array(arr)) {
				snprintf(err, errlen, "\"%s\" is not a list of capabilities", sets[i]);
				return -EINVAL;
			}
			json_array_foreach(arr, k, v) {
				cap = caps_from_name(json_string_value(v) ?: "");
				if (cap < 0) {
					snprintf(err, errlen, "\"%s\": \"%s\" is not a capability "
						 "(CAP_CHOWN, NET_BIND_SERVICE ...)", sets[i],
						 json_string_value(v) ?: "(not a string)");
					return -EINVAL;
				}
				*mask |= 1ull << cap;
			}
		}
		if (found)
			return 0;
	}
	snprintf(err, errlen, "no capabilities found: give an advice document of "
		 "'ig run capabilities --advise' or an OCI process.capabilities block");
	return -EINVAL;
}

#define UPDATE_MAX	(1u << 20)	/* an advice is a few kB */

static int load_update(struct caps_state *st, const char *path)
{
	json_error_t je;
	char err[512], *text;
	size_t len;
	json_t *doc;
	int ret;

	/* The host reads it: regular files only, no waiting on a FIFO. */
	text = st->host->read_file(st->host->ctx, "--update", path, UPDATE_MAX, &len);
	if (!text)
		return errno ? -errno : -EINVAL;
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	free(text);
	if (!doc) {
		IG_ERROR(st->host, "--update %s:%d:%d: %s", path, je.line, je.column, je.text);
		return -EINVAL;
	}
	ret = caps_of(doc, &st->update_caps, err, sizeof(err));
	json_decref(doc);
	if (ret)
		IG_ERROR(st->host, "--update %s: %s", path, err);
	return ret;
}

int caps_lifecycle__configure(struct caps_state *st)
{
	const struct ig_param_value *v;

	st->boot_to_wall = (int64_t)st->host->boot_to_wall_ns(st->host->ctx, 0);
	v = st->host->param(st->host->ctx, "until-stable");
	if (v->str && adv_parse_seconds(v->str, &st->until_stable_ns)) {
		IG_ERROR(st->host, "--until-stable '%s': give a number of seconds > 0", v->str);
		return -EINVAL;
	}
	st->output_dir = st->host->param(st->host->ctx, "output-dir")->str;
	v = st->host->param(st->host->ctx, "update");
	if (!st->advise && (st->until_stable_ns || st->output_dir || v->str)) {
		IG_ERROR(st->host, "--until-stable, --output-dir and --update go with --advise");
		return -EINVAL;
	}
	/* an IG_PT_DIR: made and checked by the host before init() */
	return v->str ? load_update(st, v->str) : 0;
}

/* Per container, the advised set now: the table read as the report reads
 * it. Returns how many containers; *out (mntns, set) malloc'ed. */
struct needed {
	uint64_t mntns;
	uint64_t caps;
};

static int read_needed(struct caps_state *st, struct needed **out)
{
	int fd = bpf_map__fd(st->skel->maps.caps_agg), n = 0, i;
	struct cap_agg_key key, next, *prev = NULL;
	struct needed *v = NULL, *more;
	struct caps_advice *a = malloc(sizeof(*a));
	struct cap_agg_val val;

	*out = NULL;
	if (!a)
		return -ENOMEM;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &val))
			continue;
		for (i = 0; i < n && v[i].mntns != key.mntns; i++)
			;
		if (i == n) {
			more = realloc(v, (n + 1) * sizeof(*v));
			if (!more)
				break;
			v = more;
			v[n++] = (struct needed){ key.mntns, 0 };
		}
		/* one entry at a time: what it adds to the set */
		caps_advice_init(a, key.mntns);
		caps_advice_add(a, &key, &val);
		v[i].caps |= a->needed;
	}
	free(a);
	*out = v;
	return n;
}

static bool wanted(const struct caps_state *st, uint64_t mntns)
{
	const struct ig_container *c;

	if (st->host->target(st->host->ctx) != IG_TARGET_CONTAINERS)
		return true;
	c = st->host->container_by_mntns(st->host->ctx, mntns);
	return c && st->host->container_selected(st->host->ctx, c);
}

static void status(struct caps_state *st, uint64_t now)
{
	const struct caps_prog *best = NULL;
	const struct ig_container *c;
	char text[256];
	uint32_t i, live = 0;

	for (i = 0; i < st->nr_prog; i++) {
		if (st->prog[i].reported)
			continue;
		live++;
		if (!best || st->prog[i].tr.last_new_ns > best->tr.last_new_ns)
			best = &st->prog[i];
	}
	if (!best)
		return;
	c = st->host->container_by_mntns(st->host->ctx, best->mntns);
	adv_track__status(&best->tr, c && c->name ? c->name : NULL, "capabilities", now, text,
			  sizeof(text));
	if (live > 1)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), " (+%u more)", live - 1);
	st->host->set_status(st->host->ctx, text);
}

/* What the table held since the last tick counts too. */
static void last_poll(struct caps_prog *p, uint64_t recorded, uint64_t now)
{
	if (!(recorded & ~p->needed))
		return;
	adv_track__items(&p->tr, (uint64_t)__builtin_popcountll(p->needed | recorded), now,
			 caps_name((unsigned int)__builtin_ctzll(recorded & ~p->needed)));
	p->needed |= recorded;
}

int caps_lifecycle__tick(struct caps_state *st, uint64_t **stable)
{
	uint64_t now = adv_now_ns();
	struct needed *v = NULL;
	struct caps_prog *p;
	int i, n, out = 0;

	*stable = NULL;
	if (!st->advise || st->stopped)
		return 0;
	n = read_needed(st, &v);
	*stable = n > 0 ? calloc(n, sizeof(**stable)) : NULL;
	for (i = 0; i < n; i++) {
		if (!wanted(st, v[i].mntns) || !(p = prog_of(st, v[i].mntns)) || p->reported)
			continue;
		last_poll(p, v[i].caps, now);
		if (*stable && st->until_stable_ns &&
		    adv_track__stable(&p->tr, st->until_stable_ns, now))
			(*stable)[out++] = v[i].mntns;
	}
	free(v);
	status(st, now);
	return out;
}

bool caps_lifecycle__done(struct caps_state *st, uint64_t mntns)
{
	uint32_t i;

	for (i = 0; i < st->nr_prog; i++)
		if (st->prog[i].mntns == mntns)
			return st->prog[i].reported;
	return false;
}

uint64_t caps_lifecycle__union(const struct caps_state *st, struct caps_advice *a)
{
	uint64_t from_file = st->update_caps & ~a->needed;

	a->needed |= st->update_caps;
	return from_file;
}

/* A JSON list of the capabilities in mask. */
static json_t *names(uint64_t mask)
{
	json_t *arr = json_array();
	unsigned int i;

	for (i = 0; arr && i < CAPS_NR; i++)
		if (mask & (1ull << i))
			json_array_append_new(arr, json_string(caps_name(i)));
	return arr;
}

int caps_lifecycle__attach(struct caps_state *st, const struct caps_advice *a, const char *name,
			   json_t *doc, enum adv_end end, uint64_t from_file)
{
	struct caps_prog *p = prog_of(st, a->mntns);
	uint64_t now = adv_now_ns();
	char path[4200], *text;
	json_t *report;
	int ret;

	if (!p)
		return -ENOMEM;
	if (!p->reported)
		last_poll(p, a->needed & ~from_file, now);
	p->reported = true;
	adv_track__end(&p->tr, end, now);
	if (st->host->target(st->host->ctx) == IG_TARGET_COMMAND)
		p->tr.runs = st->host->command_runs(st->host->ctx);
	else
		p->tr.containers = 1;
	report = adv_track__report(&p->tr, st->boot_to_wall, st->until_stable_ns, now);
	if (!report)
		return -ENOMEM;
	ret = st->update_caps ? json_object_set_new(report, "fromUpdate", names(from_file)) |
				json_object_set_new(report, "updated",
						    json_string(st->host->param(st->host->ctx,
									"update")->str)) : 0;
	if (ret) {
		json_decref(report);
		return -ENOMEM;
	}
	ret = json_object_set_new(doc, "report", report) ? -ENOMEM : 0;
	if (!ret && st->output_dir) {
		/* safely, as root: host->write_file (one error line of its own) */
		text = json_dumps(doc, JSON_INDENT(2));
		ret = text ? st->host->write_file(st->host->ctx, st->output_dir, name, ".json", text,
						  strlen(text), path, sizeof(path)) : -ENOMEM;
		free(text);
	}
	return ret;
}

void caps_lifecycle__free(struct caps_state *st)
{
	free(st->prog);
	st->prog = NULL;
	st->nr_prog = 0;
}
