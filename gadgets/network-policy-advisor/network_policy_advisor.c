// SPDX-License-Identifier: Apache-2.0
/*
 * network-policy-advisor, user side: load and attach the flow programs,
 * read DNS answers in every observed network namespace, stream one record
 * per new flow, and at the end turn the kernel's flow table into
 * NetworkPolicy documents (report.c, policy.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <ig/bpf_gadget.h>
#include <ig/gadget.h>

#include "network_policy_advisor.skel.h"
#include "network_policy_advisor_int.h"

#define MAX_FLOWS_LIMIT	(1u << 20)

static const struct ig_param params[] = {
	{ .name = "format", .type = IG_PT_ENUM, .def = "kubernetes", .choices = "kubernetes|cilium",
	  .help = "report as networking.k8s.io/v1 NetworkPolicy, or as cilium.io/v2 "
		  "CiliumNetworkPolicy (egress to names DNS gave: toFQDNs)" },
	{ .name = "max-flows", .type = IG_PT_UINT, .def = "16384",
	  .help = "size of the in-kernel flow table (1..1048576); flows past it are "
		  "counted as lost and missing from the report" },
	{ .name = "until-stable", .type = IG_PT_STRING,
	  .help = "SECONDS: a workload's policy once it made no new flow for that long "
		  "(-- COMMAND: end the run then)" },
	{ .name = "output-dir", .type = IG_PT_DIR,
	  .help = "write one file per policy into this directory (made when missing)" },
};

static const struct ig_enum_name proto_names[] = {
	{ NPA_PROTO_TCP, "TCP" },
	{ NPA_PROTO_UDP, "UDP" },
	{ 0, NULL },
};

static const struct ig_enum_name dir_names[] = {
	{ NPA_DIR_INGRESS, "ingress" },
	{ NPA_DIR_EGRESS, "egress" },
	{ 0, NULL },
};

const struct ig_field npa_fields[NPA_NR_FIELDS] = {
	[NPA_F_TIMESTAMP] = { "timestamp", "when the flow was first seen", IG_FT_TIMESTAMP,
			      IG_FK_TIMESTAMP, 35, IG_ALIGN_LEFT, IG_FIELD_HIDDEN },
	[NPA_F_NETNS] = { "netns", "network namespace inode", IG_FT_UINT, IG_FK_NETNS, 10,
			  IG_ALIGN_RIGHT, IG_FIELD_HIDDEN },
	[NPA_F_PID] = { "pid", "process (tgid) that connected or received; empty for "
			"accepted TCP (seen in softirq)", IG_FT_UINT, IG_FK_PID, 7, IG_ALIGN_RIGHT },
	[NPA_F_COMM] = { "comm", "its command name", IG_FT_STRING, IG_FK_COMM, 16 },
	[NPA_F_PROTO] = { "proto", "TCP or UDP", IG_FT_ENUM, IG_FK_PROTO, 5, IG_ALIGN_LEFT, 0,
			  proto_names },
	[NPA_F_DIR] = { "direction", "ingress (accepted/received) or egress (connected/sent)",
			IG_FT_ENUM, IG_FK_NONE, 9, IG_ALIGN_LEFT, 0, dir_names },
	[NPA_F_LADDR] = { "local.addr", "local address (empty until bound)", IG_FT_STRING,
			  IG_FK_ADDR, 24, IG_ALIGN_LEFT, IG_FIELD_HIDDEN },
	[NPA_F_LPORT] = { "local.port", "local port (empty when not yet chosen)", IG_FT_UINT,
			  IG_FK_PORT, 6, IG_ALIGN_RIGHT },
	[NPA_F_RADDR] = { "remote.addr", "peer address", IG_FT_STRING, IG_FK_ADDR, 26 },
	[NPA_F_RPORT] = { "remote.port", "peer port", IG_FT_UINT, IG_FK_PORT, 6,
			  IG_ALIGN_RIGHT },
	[NPA_F_DNS] = { "dns", "name a DNS answer in this namespace gave the peer", IG_FT_STRING,
			IG_FK_NONE, 24 },
};

static void npa_container_added(void *state, const struct ig_container *c)
{
	struct npa_state *st = state;
	bool workload;

	if (!c->netns || !c->pid)
		return;
	/* Unselected containers (and all of them with -- COMMAND) are only peers:
	 * their addresses make traffic to them a podSelector rule. */
	workload = st->host->target(st->host->ctx) != IG_TARGET_COMMAND &&
		   st->host->container_selected(st->host->ctx, c);
	if (!npa_ns_observe(st, c->netns, c->pid, c, workload))
		IG_WARN(st->host, "cannot observe container %s: %s",
			c->name, strerror(errno));
}

/*
 * A container exited. When it was the last of its pod (network namespace) and
 * the workload has no other pod left, its policy is final: emit it now rather
 * than when ig stops. The host has drained the ring buffer already.
 */
static void npa_container_removed(void *state, const struct ig_container *c)
{
	struct npa_state *st = state;
	struct npa_ns *ns = npa_ns_find(st, c->netns);
	int err;

	if (!ns || !ns->workload || ns->gone)
		return;
	for (size_t i = 0; i < ns->nr_containers; i++) {
		const struct ig_container *o = ns->containers[i];

		if (o != c && !(o->flags & IG_CONTAINER_REMOVED))
			return;		/* the pod lives on */
	}
	ns->gone = true;
	err = npa_report_finished(st);
	if (err && err != -EPIPE)
		IG_WARN(st->host, "cannot report on %s after it "
			"exited: %s; it is reported at the end", c->name, strerror(-err));
}

/* The mount point of the cgroup v2 hierarchy (/sys/fs/cgroup or, in hybrid
 * mode, /sys/fs/cgroup/unified). */
static int cgroup2_path(char *out, size_t len)
{
	FILE *f = setmntent("/proc/self/mounts", "r");
	struct mntent *m;
	int err = -ENOENT;

	if (!f)
		return -errno;
	while ((m = getmntent(f))) {
		if (strcmp(m->mnt_type, "cgroup2"))
			continue;
		snprintf(out, len, "%s", m->mnt_dir);
		err = 0;
		break;
	}
	endmntent(f);
	return err;
}

static int attach_one(struct npa_state *st, struct bpf_program *prog, const char *path)
{
	size_t i;

	for (i = 0; i < IG_ARRAY_SIZE(st->cg_links) && st->cg_links[i]; i++)
		;
	if (i == IG_ARRAY_SIZE(st->cg_links))
		return -ENOSPC;
	st->cg_links[i] = bpf_program__attach_cgroup(prog, st->cgroup_fd);
	if (!st->cg_links[i]) {
		int err = -errno;

		IG_ERROR(st->host, "cannot attach %s to %s: %s",
			 bpf_program__name(prog), path, strerror(-err));
		return err;
	}
	return 0;
}

static int attach_cgroup(struct npa_state *st, bool command)
{
	struct bpf_program *progs[] = {
		st->skel->progs.npa_recvmsg4, st->skel->progs.npa_recvmsg6,
		/* only -- COMMAND mode needs to know what gets bound, and where
		 * the command creates sockets */
		command ? st->skel->progs.npa_post_bind4 : NULL,
		command ? st->skel->progs.npa_post_bind6 : NULL,
		command ? st->skel->progs.npa_sock_create : NULL,
	};
	char path[256];
	int err = cgroup2_path(path, sizeof(path));

	if (err) {
		IG_ERROR(st->host, "no cgroup v2 hierarchy is mounted: "
			 "UDP flows need one (mount -t cgroup2 none /sys/fs/cgroup/unified)");
		return err;
	}
	st->cgroup_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (st->cgroup_fd < 0) {
		err = -errno;
		IG_ERROR(st->host, "cannot open %s: %s", path,
			 strerror(-err));
		return err;
	}
	for (size_t i = 0; i < IG_ARRAY_SIZE(progs) && !err; i++)
		if (progs[i])
			err = attach_one(st, progs[i], path);
	return err;
}

/*
 * Where the flows come from (ig/kernel.h). DNS answers from sk_data_ready
 * or, where the kernel lacks that tracepoint (before 6.6), from every
 * received packet. The cgroup and tracing programs read the current task
 * through a knob (ig_task.h): bpf_get_current_task_btf() is allowed in
 * cgroup programs later than in tracing ones.
 */
static const struct ig_hook hooks[] = {
	{ .role = "TCP connections", .kind = IG_HOOK_TP_BTF, .target = "inet_sock_set_state",
	  .progs = "npa_tcp_state" },
	{ .role = "UDP datagrams sent", .kind = IG_HOOK_TP_BTF, .target = "fib_table_lookup",
	  .progs = "npa_udp_out4" },
	{ .role = "UDP datagrams sent over IPv6", .kind = IG_HOOK_TP_BTF,
	  .target = "fib6_table_lookup", .progs = "npa_udp_out6" },
	{ .role = "UDP datagrams received", .kind = IG_HOOK_OTHER, .target = "cgroup/recvmsg",
	  .progs = "npa_recvmsg4 npa_recvmsg6" },
	{ .role = "sockets of the command", .kind = IG_HOOK_OTHER,
	  .target = "cgroup/post_bind,sock_create",
	  .progs = "npa_post_bind4 npa_post_bind6 npa_sock_create" },
	{ .role = "DNS answers", .kind = IG_HOOK_TP_BTF, .target = "sk_data_ready",
	  .progs = "npa_dns_ready", .since = "6.6" },
	{ .role = "DNS answers", .kind = IG_HOOK_TP_BTF, .target = "netif_receive_skb",
	  .progs = "npa_dns_rx", .note = "every received packet" },
};

static const struct ig_gadget_desc desc;

/* Open and set up the BPF object with the attach points the core chose. */
static int open_skel(struct npa_state *st, bool command)
{
	const struct ig_host *host = st->host;
	int err;

	st->skel = network_policy_advisor_bpf__open();
	if (!st->skel) {
		err = -errno;
		IG_ERROR(host, "cannot open the BPF object: %s",
			 strerror(-err));
		return err;
	}
	err = ig_gadget_select_programs(host, &desc, st->skel->obj);
	if (err) {
		IG_ERROR(host, "the hook table names a program the BPF object lacks: %s",
			 strerror(-err));
		return err;
	}
	st->skel->rodata->ig_task_btf = host->kernel_has(host->ctx, IG_KF_TASK_BTF_ANY) == 1;
	err = bpf_map__set_max_entries(st->skel->maps.npa_flows, st->max_flows);
	if (err) {
		IG_ERROR(host, "cannot size the flow table: %s",
			 strerror(-err));
		return err;
	}
	st->filtered = host->target(host->ctx) != IG_TARGET_HOST;
	st->skel->rodata->targ_netns_filter = st->filtered ? NPA_FILTER_NETNS : NPA_FILTER_NONE;
	if (command) {
		/* the command's process tree, kept up to date by the core */
		st->skel->rodata->ig_filter_mode = IG_FILTER_PID;
		err = ig_gadget_reuse_filter(host, st->skel->obj);
		if (err) {
			IG_ERROR(host, "cannot share ig's filter maps: %s",
				 strerror(-err));
			return err;
		}
	}
	return 0;
}

static int load(struct npa_state *st)
{
	const struct ig_host *host = st->host;
	bool command = host->target(host->ctx) == IG_TARGET_COMMAND;
	int err;

	err = open_skel(st, command);
	if (!err)
		err = network_policy_advisor_bpf__load(st->skel);
	if (err) {
		IG_ERROR(host, "cannot load the BPF programs (%s); "
			 "run with -v to see why", strerror(-err));
		return err;
	}
	err = network_policy_advisor_bpf__attach(st->skel);
	if (err) {
		IG_ERROR(host, "cannot attach to its tracepoints: %s",
			 strerror(-err));
		return err;
	}
	return attach_cgroup(st, command);
}

/* -- COMMAND: observe the command's network namespace. */
static int observe_command(struct npa_state *st)
{
	int pid = st->host->command_pid(st->host->ctx);
	char path[64], link[64];
	unsigned long long netns;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0 || (link[n] = '\0', sscanf(link, "net:[%llu]", &netns) != 1)) {
		IG_ERROR(st->host, "cannot read %s: %s", path,
			 strerror(errno));
		return -ENOENT;
	}
	snprintf(st->cmd_name, sizeof(st->cmd_name), "command");
	if (!npa_ns_observe(st, netns, pid, NULL, true))
		return -errno;
	return 0;
}

static int npa_init(const struct ig_host *host, void **state)
{
	const struct ig_param_value *max_flows;
	struct npa_state *st;
	int err;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	*state = st;
	st->host = host;
	st->cgroup_fd = -1;
	st->self_netns_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (st->self_netns_fd < 0) {
		err = -errno;
		IG_ERROR(host, "cannot open ig's own network namespace: %s",
			 strerror(-err));
		return err;
	}
	max_flows = host->param(host->ctx, "max-flows");
	if (!max_flows || !max_flows->u || max_flows->u > MAX_FLOWS_LIMIT) {
		IG_ERROR(host, "--max-flows must be between 1 and %u",
			 MAX_FLOWS_LIMIT);
		return -EINVAL;
	}
	st->max_flows = (uint32_t)max_flows->u;
	err = npa_lc__configure(st);
	if (err)
		return err;
	err = load(st);
	if (err)
		return err;
	err = host->ring_add(host->ctx, bpf_map__fd(st->skel->maps.npa_events),
			     bpf_map__fd(st->skel->maps.npa_events_lost), npa_on_event, st);
	if (err) {
		IG_ERROR(host, "cannot read the event ring: %s",
			 strerror(-err));
		return err;
	}
	if (host->target(host->ctx) == IG_TARGET_COMMAND)
		return observe_command(st);
	return 0;
}

/* Every tick: the status line; workloads --until-stable is done with get
 * their policy now, as if they had exited. */
static void npa_tick(void *state)
{
	struct npa_state *st = state;
	int err;

	if (!st->skel || st->stopped || !npa_lc__tick(st))
		return;
	err = npa_report_finished(st);
	if (err && err != -EPIPE)
		IG_WARN(st->host, "cannot report the stable workloads: %s; they are reported "
			"at the end", strerror(-err));
}

static void npa_stop(void *state)
{
	struct npa_state *st = state;

	if (!st || st->stopped)
		return;
	st->stopped = true;
	for (size_t i = 0; i < IG_ARRAY_SIZE(st->cg_links); i++) {
		bpf_link__destroy(st->cg_links[i]);
		st->cg_links[i] = NULL;
	}
	if (st->skel)
		network_policy_advisor_bpf__detach(st->skel);
}

static void npa_destroy(void *state)
{
	struct npa_state *st = state;

	if (!st)
		return;
	npa_stop(st);
	for (size_t i = 0; i < st->nr_ns; i++)
		npa_ns_release(&st->ns[i]);
	free(st->ns);
	for (size_t i = 0; i < st->nr_names; i++)
		free((char *)st->names[i].name);
	free(st->names);
	network_policy_advisor_bpf__destroy(st->skel);
	if (st->cgroup_fd >= 0)
		close(st->cgroup_fd);
	if (st->self_netns_fd >= 0)
		close(st->self_netns_fd);
	free(st);
}

static const struct ig_gadget_desc desc = {
	IG_GADGET_DESC_HEADER,
	.name = "network-policy-advisor",
	.version = "1.0",
	.summary = "observe TCP/UDP flows and DNS answers, suggest Kubernetes NetworkPolicies",
	.description = "Streams one record per new flow (per network namespace, protocol,\n"
		       "direction, peer and service port): TCP connects and accepts, UDP\n"
		       "sends and receives, IPv4 and IPv6, with the names DNS answers gave\n"
		       "the peers. At the end, one networking.k8s.io/v1 NetworkPolicy per\n"
		       "workload allows exactly what was seen (table output: one summary\n"
		       "line per policy; json/yaml: the documents).",
	.kind = IG_KIND_TRACE | IG_KIND_ADVISE | IG_KIND_PEERS,
	.fields = npa_fields,
	.nr_fields = NPA_NR_FIELDS,
	.params = params,
	.nr_params = IG_ARRAY_SIZE(params),
	.hooks = hooks,
	.nr_hooks = IG_ARRAY_SIZE(hooks),
	.init = npa_init,
	.stop = npa_stop,
	.report = npa_report,
	.destroy = npa_destroy,
	.container_added = npa_container_added,
	.container_removed = npa_container_removed,
	.tick = npa_tick,
};

IG_GADGET_DEFINE(desc);
