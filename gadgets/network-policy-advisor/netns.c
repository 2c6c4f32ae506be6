// SPDX-License-Identifier: Apache-2.0
/*
 * network-policy-advisor: one entry per observed network namespace. Holding
 * an fd to the namespace keeps it readable after its processes are gone, so
 * the report still learns its addresses. Entering it (setns on ig's main
 * thread, and straight back) is how we open the DNS packet socket there and
 * list its addresses; both are done with the namespace's own view.
 */
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "network_policy_advisor.skel.h"
#include "network_policy_advisor_int.h"
#include "dns_filter.skel.h"

/* Run fn inside the namespace nsfd, then come back to ig's own. */
static int in_netns(struct npa_state *st, int nsfd, int (*fn)(struct npa_ns *), struct npa_ns *ns)
{
	int err, back;

	if (setns(nsfd, CLONE_NEWNET))
		return -errno;
	err = fn(ns);
	back = setns(st->self_netns_fd, CLONE_NEWNET);
	if (back) {
		/* Should never happen; staying in a container's netns would be worse
		 * than stopping. */
		IG_ERROR(st->host, "cannot return to ig's network namespace: %s", strerror(errno));
		abort();
	}
	return err;
}

int npa_ns_add_ip(struct npa_ns *ns, const struct npa_ip *ip)
{
	struct npa_ip *more;

	if (npa_ip_is_any(ip) || npa_ip_is_loopback(ip))
		return 0;
	for (uint32_t i = 0; i < ns->nr_ips; i++)
		if (npa_ip_equal(&ns->ips[i], ip))
			return 0;
	more = realloc(ns->ips, (ns->nr_ips + 1) * sizeof(*more));
	if (!more)
		return -ENOMEM;
	ns->ips = more;
	ns->ips[ns->nr_ips++] = *ip;
	return 0;
}

/* Inside the namespace: its interface addresses. */
static int read_addrs(struct npa_ns *ns)
{
	struct ifaddrs *ifa, *i;
	struct npa_ip ip;
	uint8_t raw[16];

	if (getifaddrs(&ifa))
		return -errno;
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr)
			continue;
		memset(raw, 0, sizeof(raw));
		if (i->ifa_addr->sa_family == AF_INET) {
			memcpy(raw, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
			npa_ip_set(&ip, NPA_AF_INET, raw);
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			memcpy(raw, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, 16);
			npa_ip_set(&ip, NPA_AF_INET6, raw);
		} else {
			continue;
		}
		if (npa_ns_add_ip(ns, &ip))
			break;
	}
	freeifaddrs(ifa);
	return 0;
}

/*
 * Inside the namespace: a packet socket that never queues (the filter
 * returns 0), only feeds the ring buffer. DNS answers are received packets:
 * PACKET_IGNORE_OUTGOING keeps every sent packet away from it, which would
 * otherwise be cloned and filtered for nothing on the sender's CPU (on
 * loopback each datagram is seen twice). The filter still drops outgoing
 * packets, so a kernel without the option only costs more.
 */
static int open_packet_socket(struct npa_ns *ns)
{
	int one = 1;

	ns->pkt_fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (ns->pkt_fd < 0)
		return -errno;
	setsockopt(ns->pkt_fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	return 0;
}

static int attach_dns(struct npa_state *st, struct npa_ns *ns)
{
	int err, prog_fd;

	ns->dns = dns_filter_bpf__open();
	if (!ns->dns)
		return -errno;
	ns->dns->rodata->targ_netns = ns->netns;
	ns->dns->rodata->ig_rb_wakeup_bytes = st->skel->rodata->ig_rb_wakeup_bytes;
	err = bpf_map__reuse_fd(ns->dns->maps.npa_events, bpf_map__fd(st->skel->maps.npa_events));
	if (!err)
		err = bpf_map__reuse_fd(ns->dns->maps.npa_events_lost,
					bpf_map__fd(st->skel->maps.npa_events_lost));
	if (!err)
		err = dns_filter_bpf__load(ns->dns);
	if (err)
		return err;
	err = in_netns(st, ns->nsfd, open_packet_socket, ns);
	if (err)
		return err;
	prog_fd = bpf_program__fd(ns->dns->progs.npa_dns_filter);
	if (setsockopt(ns->pkt_fd, SOL_SOCKET, SO_ATTACH_BPF, &prog_fd, sizeof(prog_fd)))
		return -errno;
	return 0;
}

struct npa_ns *npa_ns_find(struct npa_state *st, uint64_t netns)
{
	for (size_t i = 0; i < st->nr_ns; i++)
		if (st->ns[i].netns == netns)
			return &st->ns[i];
	return NULL;
}

static struct npa_ns *ns_new(struct npa_state *st, uint64_t netns, int pid,
			     const struct ig_container *c)
{
	struct npa_ns *ns, *more;
	char path[64];

	more = realloc(st->ns, (st->nr_ns + 1) * sizeof(*more));
	if (!more)
		return NULL;
	st->ns = more;
	ns = &st->ns[st->nr_ns++];
	memset(ns, 0, sizeof(*ns));
	ns->netns = netns;
	ns->pkt_fd = -1;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	ns->nsfd = pid > 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	/* a short-lived process of the command may be gone already: not worth a
	 * warning, its flows still give the namespace's addresses */
	if (ns->nsfd < 0)
		IG_LOG(st->host, c ? IG_LOG_WARN : IG_LOG_INFO,
		       "cannot open %s: %s; the addresses "
		       "and DNS answers of network namespace %llu are unknown", path,
		       strerror(errno), (unsigned long long)netns);
	else
		in_netns(st, ns->nsfd, read_addrs, ns);
	return ns;
}

/* A namespace whose traffic we observe and make a policy for: DNS filter,
 * and the in-kernel netns filter. */
static void make_workload(struct npa_state *st, struct npa_ns *ns, const char *who)
{
	uint8_t one = 1;
	int err = -EBADF;

	ns->workload = true;
	if (ns->nsfd >= 0)
		err = attach_dns(st, ns);
	if (err)
		IG_WARN(st->host, "no DNS names for network namespace "
			"%llu: cannot attach the DNS filter: %s",
			(unsigned long long)ns->netns, strerror(-err));
	if (st->filtered && bpf_map_update_elem(bpf_map__fd(st->skel->maps.npa_netns),
						&ns->netns, &one, BPF_ANY))
		IG_WARN(st->host, "cannot observe network namespace "
			"%llu: %s", (unsigned long long)ns->netns, strerror(errno));
	IG_INFO(st->host, "observing network namespace %llu of %s: "
		"%u addresses, DNS answers %s", (unsigned long long)ns->netns, who,
		ns->nr_ips, ns->pkt_fd >= 0 ? "on" : "off");
}

/*
 * Learn the namespace of pid (container c, or NULL for the command). A
 * workload is observed and gets a policy; otherwise only its addresses are
 * read, so that traffic to it is recognised as traffic to that container.
 * Returns the entry (existing or new) or NULL with errno set.
 */
struct npa_ns *npa_ns_observe(struct npa_state *st, uint64_t netns, int pid,
			      const struct ig_container *c, bool workload)
{
	struct npa_ns *ns = npa_ns_find(st, netns);
	const struct ig_container **cs;

	if (!ns)
		ns = ns_new(st, netns, pid, c);
	if (!ns)
		return NULL;
	if (workload && !ns->workload)
		make_workload(st, ns, c ? c->name : "the command");
	if (!c)
		return ns;
	cs = realloc(ns->containers, (ns->nr_containers + 1) * sizeof(*cs));
	if (!cs)
		return NULL;
	ns->containers = cs;
	ns->containers[ns->nr_containers++] = c;
	return ns;
}

/* At report time: addresses may have been added after the start. */
void npa_ns_refresh(struct npa_state *st, struct npa_ns *ns)
{
	if (ns->nsfd >= 0)
		in_netns(st, ns->nsfd, read_addrs, ns);
}

void npa_ns_release(struct npa_ns *ns)
{
	if (ns->pkt_fd >= 0)
		close(ns->pkt_fd);
	if (ns->nsfd >= 0)
		close(ns->nsfd);
	dns_filter_bpf__destroy(ns->dns);
	free(ns->ips);
	free(ns->containers);
	ns->pkt_fd = ns->nsfd = -1;
	ns->dns = NULL;
}
