/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The world the network-policy-advisor kernel tests build: a hub network
 * namespace with a bridge, and three namespaces wired to it with veth pairs,
 * each with 10.231.N.x/24 and fd00:231:N::x/64 (N derived from the test pid;
 * nothing is routed outside these namespaces):
 *   srv  .2   runc container, CRI-O annotations (namespace shop, app=web):
 *             busybox httpd on 8080, npa_net UDP echo on 9000
 *   cli  .3   runc container without Kubernetes metadata: the client
 *   ext  .100 plain namespace (not a container): httpd on 80, UDP echo on
 *             9001, and a DNS server answering example.test with .100 and
 *             fd00:231:N::100
 */
#ifndef NPA_WORLD_H
#define NPA_WORLD_H

#include "tests/lib/igtest.h"

struct npa_world {
	int net;			/* N */
	char ns_hub[32], ns_srv[32], ns_cli[32], ns_ext[32], ns_late[32];
	char srv4[32], srv6[48], cli4[32], cli6[48], ext4[32], ext6[48];
	struct igt_bundle *srv, *cli;
	char srv_name[32];		/* its Kubernetes container name: web-<pid> */
	struct igt_proc *ext_procs[3];
	char www[128];			/* ext's httpd document root */
};

extern struct npa_world W;

void npa_world_up(void);
void npa_world_down(void);

/* One more namespace on the hub: W.ns_late with 10.231.N.4, fd00:231:N::4
 * (deleted by npa_world_down). */
void npa_world_add_late(void);

/* A bundle (not started) in network namespace ns, with /bin/npa_net. */
struct igt_bundle *npa_container(const char *tag, const char *ns, const char *script);

/* The traffic every run makes (asserts each step worked). */
void npa_traffic(void);

/* Run a shell command on the host, assert it exits 0. */
void npa_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* NPA_WORLD_H */
