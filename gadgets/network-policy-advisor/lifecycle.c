// SPDX-License-Identifier: Apache-2.0
/*
 * network-policy-advisor: how complete each policy's recording is. A flow's
 * first sighting comes with the kernel's timestamp, so each observed
 * namespace knows when it learned its last new flow exactly. A policy's
 * report (the annotation ig.io/report) merges its namespaces': how long
 * they were recorded, how many containers, how many flows, the last new
 * one, how it ended. --until-stable treats a workload that learned no new
 * flow for that long as finished (its policy comes then); -- COMMAND ends
 * the run. --output-dir writes each policy as a file.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network_policy_advisor_int.h"

int npa_lc__configure(struct npa_state *st)
{
	const struct ig_param_value *v = st->host->param(st->host->ctx, "until-stable");

	st->boot_to_wall = (int64_t)st->host->boot_to_wall_ns(st->host->ctx, 0);
	st->start_ns = adv_now_ns();
	if (v->str && adv_parse_seconds(v->str, &st->until_stable_ns)) {
		IG_ERROR(st->host, "--until-stable '%s': give a number of seconds > 0", v->str);
		return -EINVAL;
	}
	/* an IG_PT_DIR: made and checked by the host before init() */
	st->output_dir = st->host->param(st->host->ctx, "output-dir")->str;
	return 0;
}

/* A namespace's recording began when ig started or, later, when its first
 * container was created. */
static struct adv_track *track(struct npa_state *st, struct npa_ns *ns)
{
	const struct ig_container *c = ns->nr_containers ? ns->containers[0] : NULL;
	uint64_t start = st->start_ns, created;

	if (ns->tr.start_ns)
		return &ns->tr;
	if (c && IG_CONTAINER_HAS(c, created_ns) && c->created_ns) {
		created = c->created_ns - (uint64_t)st->boot_to_wall;
		if (created > start && created < adv_now_ns())
			start = created;
	}
	adv_track__start(&ns->tr, start);
	return &ns->tr;
}

void npa_lc__flow(struct npa_state *st, struct npa_ns *ns, const struct npa_flow_event *e)
{
	struct adv_track *t = track(st, ns);
	char item[96], peer[NPA_IP_STRLEN];
	struct npa_ip ip;

	npa_ip_set(&ip, e->key.family, e->key.peer);
	snprintf(item, sizeof(item), "%s %s %s:%u", e->key.dir == NPA_DIR_INGRESS ? "ingress" :
		 "egress", e->key.proto == NPA_PROTO_TCP ? "TCP" : "UDP",
		 npa_ip_str(&ip, peer, sizeof(peer)), e->key.port);
	adv_track__items(t, t->items + 1, e->val.first_ts ?: adv_now_ns(), item);
}

static void status(struct npa_state *st, uint64_t now)
{
	const struct npa_ns *best = NULL;
	char text[256];
	size_t i, live = 0;

	for (i = 0; i < st->nr_ns; i++) {
		const struct npa_ns *ns = &st->ns[i];

		if (!ns->workload || ns->reported || ns->gone || ns->stable)
			continue;
		live++;
		if (!best || ns->tr.last_new_ns > best->tr.last_new_ns)
			best = ns;
	}
	if (!best)
		return;
	adv_track__status(&best->tr, best->nr_containers ? best->containers[0]->name :
			  st->cmd_name, "flows", now, text, sizeof(text));
	if (live > 1)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), " (+%zu more)", live - 1);
	st->host->set_status(st->host->ctx, text);
}

/* -- COMMAND: the command is one workload, whatever namespaces it entered:
 * stable when none of them learned anything for the period. */
static void tick_command(struct npa_state *st, uint64_t now)
{
	struct adv_track all;
	size_t i;

	adv_track__start(&all, st->start_ns);
	for (i = 0; i < st->nr_ns; i++)
		if (st->ns[i].workload)
			adv_track__merge(&all, track(st, &st->ns[i]));
	if (!st->run_ended && adv_track__stable(&all, st->until_stable_ns, now)) {
		st->run_ended = true;
		st->host->end_run(st->host->ctx);
	}
}

bool npa_lc__tick(struct npa_state *st)
{
	uint64_t now = adv_now_ns();
	bool any = false;
	size_t i;

	if (st->until_stable_ns && st->host->target(st->host->ctx) == IG_TARGET_COMMAND)
		tick_command(st, now);
	for (i = 0; i < st->nr_ns && st->host->target(st->host->ctx) != IG_TARGET_COMMAND; i++) {
		struct npa_ns *ns = &st->ns[i];

		if (!ns->workload || ns->reported || ns->gone || ns->stable)
			continue;
		if (!st->until_stable_ns || !adv_track__stable(track(st, ns), st->until_stable_ns,
							       now))
			continue;
		ns->stable = true;
		adv_track__end(&ns->tr, ADV_END_STABLE, now);
		any = true;
	}
	status(st, now);
	return any;
}

/* The policy's namespaces' tracks, merged, ended as end if still open. */
static void merged(struct npa_state *st, const struct npa_policy *p, bool final,
		   struct adv_track *out)
{
	uint64_t now = adv_now_ns();
	enum adv_end end = ADV_END_STOP;
	int pid = st->host->command_pid(st->host->ctx);
	uint64_t items = 0;
	size_t j;

	bool command = st->host->target(st->host->ctx) == IG_TARGET_COMMAND;

	if (command)
		end = st->run_ended ? ADV_END_STABLE : pid > 0 && !kill(pid, 0) ? ADV_END_STOP :
		      ADV_END_EXIT;

	memset(out, 0, sizeof(*out));
	for (j = 0; j < p->nr_members; j++) {
		struct npa_ns *ns = npa_ns_find(st, p->members[j]);
		struct adv_track t;

		if (!ns)
			continue;
		t = *track(st, ns);
		/* a command's namespace may hold containers: their exit is not its */
		adv_track__end(&t, !final || (ns->gone && !command) ? ADV_END_EXIT : end, now);
		t.containers = (uint32_t)ns->nr_containers;
		items += t.items;	/* a flow belongs to one namespace */
		adv_track__merge(out, &t);
	}
	out->items = items;
	if (command) {
		out->containers = 0;
		out->runs = st->host->command_runs(st->host->ctx);
	}
}

int npa_lc__attach(struct npa_state *st, const struct npa_policy *p, bool final)
{
	json_t *ann = json_object_get(json_object_get(p->doc, "metadata"), "annotations");
	struct adv_track t;
	char path[4200], *text;
	json_t *report;
	int ret = 0;

	merged(st, p, final, &t);
	report = adv_track__report(&t, st->boot_to_wall, st->until_stable_ns, adv_now_ns());
	text = report ? json_dumps(report, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(report);
	if (!text)
		return -ENOMEM;
	if (!ann) {
		ann = json_object();
		if (!ann || json_object_set_new(json_object_get(p->doc, "metadata"), "annotations",
						ann))
			ret = -ENOMEM;
	}
	if (!ret && json_object_set_new(ann, "ig.io/report", json_string(text)))
		ret = -ENOMEM;
	free(text);
	if (!ret && st->output_dir) {
		/* safely, as root: host->write_file (one error line of its own) */
		text = json_dumps(p->doc, JSON_INDENT(2));
		ret = text ? st->host->write_file(st->host->ctx, st->output_dir, p->title, ".json",
						  text, strlen(text), path, sizeof(path)) : -ENOMEM;
		free(text);
	}
	return ret;
}
