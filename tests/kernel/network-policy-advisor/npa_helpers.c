// SPDX-License-Identifier: Apache-2.0
/* The network-policy-advisor test world: namespaces, veths, containers. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "npa_helpers.h"

struct npa_world W;

static char npa_net_path[300];

void npa_sh(const char *fmt, ...)
{
	char cmd[1024];
	struct igt_result *r;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	{
		const char *const argv[] = { "/bin/sh", "-c", cmd, NULL };

		r = igt_run(argv, 20000);
	}
	cr_assert_eq(r->status, 0, "'%s' failed (%d): %s%s", cmd, r->status, r->out, r->err);
	igt_result_free(r);
}

/* Best effort, for cleanup: no assertion. */
static void sh_quiet(const char *cmd)
{
	const char *const argv[] = { "/bin/sh", "-c", cmd, NULL };

	igt_result_free(igt_run(argv, 10000));
}

/* veth pair: <name>-v inside ns, <name>-h in the hub's bridge. */
static void wire(const char *ns, const char *tag, const char *v4, const char *v6)
{
	npa_sh("ip netns add %s", ns);
	npa_sh("ip -n %s link add npa%s%d type veth peer name npa%s%dh netns %s",
	       W.ns_hub, tag, W.net, tag, W.net, ns);
	npa_sh("ip -n %s link set npa%s%d master br0 up", W.ns_hub, tag, W.net);
	npa_sh("ip -n %s link set lo up && ip -n %s link set npa%s%dh name eth0 && "
	       "ip -n %s addr add %s/24 dev eth0 && "
	       "ip -n %s addr add %s/64 dev eth0 nodad && ip -n %s link set eth0 up",
	       ns, ns, tag, W.net, ns, v4, ns, v6, ns);
}

struct igt_bundle *npa_container(const char *tag, const char *ns, const char *script)
{
	const char *const args[] = { "/bin/sh", "-c", script, NULL };
	char id[64], path[64];
	struct igt_bundle *b = igt_bundle_new(igt_unique_id(id, tag), args);

	snprintf(path, sizeof(path), "/var/run/netns/%s", ns);
	igt_bundle_set_netns(b, path);
	igt_bundle_add_file(b, npa_net_path, "/bin/npa_net");
	return b;
}

static struct igt_proc *in_ext(const char *a0, const char *a1, const char *a2, const char *a3,
			       const char *a4, const char *a5)
{
	const char *const argv[] = { "ip", "netns", "exec", W.ns_ext, a0, a1, a2, a3, a4, a5,
				     NULL };

	return igt_spawn(argv);
}

static void start_ext(void)
{
	snprintf(W.www, sizeof(W.www), "/tmp/npa-www-%d", (int)getpid());
	npa_sh("mkdir -p %s && echo hello-from-ext > %s/index.html", W.www, W.www);
	{
		const char *const argv[] = { "ip", "netns", "exec", W.ns_ext, "busybox", "httpd",
					     "-f", "-p", "80", "-h", W.www, NULL };

		W.ext_procs[0] = igt_spawn(argv);
	}
	W.ext_procs[1] = in_ext(npa_net_path, "udp-server", "9001", NULL, NULL, NULL);
	W.ext_procs[2] = in_ext(npa_net_path, "dns-server", "53", "example.test", W.ext4, W.ext6);
}

/* Namespaces of an earlier run that died before its .fini (killed on a
 * timeout): npa-<pid>-* whose pid is gone. */
static void reap_stale(void)
{
	sh_quiet("for f in /var/run/netns/npa-*-*; do [ -e \"$f\" ] || continue; "
		 "n=${f##*/}; p=${n#npa-}; p=${p%%-*}; "
		 "case $p in ''|*[!0-9]*) continue;; esac; "
		 "kill -0 \"$p\" 2>/dev/null || ip netns del \"$n\"; done");
}

void npa_world_up(void)
{
	int pid = (int)getpid();

	reap_stale();

	memset(&W, 0, sizeof(W));
	W.net = 10 + pid % 200;
	snprintf(npa_net_path, sizeof(npa_net_path), "%s/tests/fixtures/static/npa_net",
		 igt_build_dir());
	cr_assert_eq(access(npa_net_path, X_OK), 0, "%s is missing: make tests-build",
		     npa_net_path);
	snprintf(W.ns_hub, sizeof(W.ns_hub), "npa-%d-hub", pid);
	snprintf(W.ns_srv, sizeof(W.ns_srv), "npa-%d-srv", pid);
	snprintf(W.ns_cli, sizeof(W.ns_cli), "npa-%d-cli", pid);
	snprintf(W.ns_ext, sizeof(W.ns_ext), "npa-%d-ext", pid);
	snprintf(W.srv4, sizeof(W.srv4), "10.231.%d.2", W.net);
	snprintf(W.cli4, sizeof(W.cli4), "10.231.%d.3", W.net);
	snprintf(W.ext4, sizeof(W.ext4), "10.231.%d.100", W.net);
	snprintf(W.srv6, sizeof(W.srv6), "fd00:231:%d::2", W.net);
	snprintf(W.cli6, sizeof(W.cli6), "fd00:231:%d::3", W.net);
	snprintf(W.ext6, sizeof(W.ext6), "fd00:231:%d::100", W.net);

	npa_sh("ip netns add %s && ip -n %s link add br0 type bridge && "
	       "ip -n %s link set br0 up", W.ns_hub, W.ns_hub, W.ns_hub);
	wire(W.ns_srv, "s", W.srv4, W.srv6);
	wire(W.ns_cli, "c", W.cli4, W.cli6);
	wire(W.ns_ext, "e", W.ext4, W.ext6);
	start_ext();

	W.srv = npa_container("npasrv", W.ns_srv,
			  "mkdir -p /www && echo hello-from-web > /www/index.html && "
			  "httpd -p 8080 -h /www && exec /bin/npa_net udp-server 9000");
	igt_bundle_annotate(W.srv, "io.kubernetes.pod.namespace", "shop");
	igt_bundle_annotate(W.srv, "io.kubernetes.pod.name", "web-5d8f7-x2x9q");
	igt_bundle_annotate(W.srv, "io.kubernetes.pod.uid", "0b3c2a55-1111-2222-3333-444455556666");
	/* unique: Criterion runs tests in parallel, and -c selects by name */
	snprintf(W.srv_name, sizeof(W.srv_name), "web-%d", pid);
	igt_bundle_annotate(W.srv, "io.kubernetes.container.name", W.srv_name);
	igt_bundle_annotate(W.srv, "io.kubernetes.cri-o.Labels",
			    "{\"app\":\"web\",\"pod-template-hash\":\"5d8f7\","
			    "\"topology.kubernetes.io/zone\":\"z1\","
			    "\"io.kubernetes.pod.name\":\"web-5d8f7-x2x9q\"}");
	igt_bundle_start(W.srv);
	W.cli = npa_container("npacli", W.ns_cli, "while true; do sleep 1; done");
	igt_bundle_start(W.cli);
	/* the servers are up before any traffic */
	npa_sh("for i in $(seq 50); do ip netns exec %s busybox wget -q -O /dev/null "
	       "http://%s:8080/ && ip netns exec %s busybox wget -q -O /dev/null "
	       "http://%s:80/ && exit 0; sleep 0.1; done; exit 1",
	       W.ns_ext, W.srv4, W.ns_srv, W.ext4);
}

void npa_world_add_late(void)
{
	char v4[32], v6[48];

	snprintf(W.ns_late, sizeof(W.ns_late), "npa-%d-lat", (int)getpid());
	snprintf(v4, sizeof(v4), "10.231.%d.4", W.net);
	snprintf(v6, sizeof(v6), "fd00:231:%d::4", W.net);
	wire(W.ns_late, "l", v4, v6);
}

void npa_world_down(void)
{
	char cmd[512];

	igt_bundle_destroy(W.srv);
	igt_bundle_destroy(W.cli);
	W.srv = W.cli = NULL;
	for (size_t i = 0; i < sizeof(W.ext_procs) / sizeof(W.ext_procs[0]); i++) {
		if (W.ext_procs[i])
			igt_result_free(igt_proc_finish(W.ext_procs[i], SIGKILL, 2000));
		W.ext_procs[i] = NULL;
	}
	snprintf(cmd, sizeof(cmd), "for n in %s %s %s %s %s; do ip netns del $n; done; rm -rf %s",
		 W.ns_srv, W.ns_cli, W.ns_ext, W.ns_late, W.ns_hub, W.www);
	if (W.ns_hub[0])
		sh_quiet(cmd);
}

static void in_cli(const char *const argv[])
{
	struct igt_result *r = igt_bundle_exec(W.cli, argv, 20000);

	cr_assert_eq(r->status, 0, "in the client, %s %s failed (%d): %s%s", argv[0],
		     argv[1] ? argv[1] : "", r->status, r->out, r->err);
	igt_result_free(r);
}

void npa_traffic(void)
{
	char url4[96], url6[96], urlx[96];

	snprintf(url4, sizeof(url4), "http://%s:8080/", W.srv4);
	snprintf(url6, sizeof(url6), "http://[%s]:8080/", W.srv6);
	snprintf(urlx, sizeof(urlx), "http://%s:80/", W.ext4);
	{
		const char *const dns[] = { "nslookup", "example.test", W.ext4, NULL };
		const char *const tcp4[] = { "wget", "-q", "-O", "/dev/null", url4, NULL };
		const char *const tcp6[] = { "wget", "-q", "-O", "/dev/null", url6, NULL };
		const char *const udp4[] = { "/bin/npa_net", "udp-client", W.srv4, "9000", NULL };
		const char *const udpx[] = { "/bin/npa_net", "udp-client", W.ext6, "9001", NULL };
		const char *const tcpx[] = { "wget", "-q", "-O", "/dev/null", urlx, NULL };
		const char *const lo[] = { "wget", "-q", "-O", "/dev/null",
					   "http://127.0.0.1:8080/", NULL };
		struct igt_result *r;

		in_cli(dns);
		in_cli(tcp4);
		in_cli(tcp6);
		in_cli(udp4);
		in_cli(udpx);
		in_cli(tcpx);
		/* inside one pod: never a rule */
		r = igt_bundle_exec(W.srv, lo, 20000);
		cr_assert_eq(r->status, 0, "loopback wget in the server failed: %s", r->err);
		igt_result_free(r);
	}
	/* from outside any container into the server */
	npa_sh("ip netns exec %s busybox wget -q -O /dev/null http://%s:8080/", W.ns_ext, W.srv4);
}
