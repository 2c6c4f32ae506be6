// SPDX-License-Identifier: Apache-2.0
/*
 * The config.json editing helpers, judged by runc: each edit must show up in
 * what the container really gets.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/lib/igtest.h"

static struct igt_result *run_sh(struct igt_bundle **bp, const char *tag, const char *script,
				 void (*edit)(struct igt_bundle *b))
{
	const char *const args[] = { "/bin/sh", "-c", script, NULL };
	struct igt_result *r;
	char id[64];

	*bp = igt_bundle_new(igt_unique_id(id, tag), args);
	if (edit)
		edit(*bp);
	r = igt_bundle_run(*bp, 20000);
	cr_assert_not(r->timed_out, "%s timed out", tag);
	return r;
}

Test(edits, default_caps_and_nnp, .timeout = 60)
{
	struct igt_bundle *b;
	struct igt_result *r = run_sh(&b, "defcaps",
		"grep -E '^(CapEff|CapBnd|CapAmb|NoNewPrivs)' /proc/self/status", NULL);

	/* The 14 default caps: 0xa80425fb as runc/docker grant them. */
	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	cr_assert(strstr(r->out, "CapEff:\t00000000a80425fb"), "%s", r->out);
	cr_assert(strstr(r->out, "CapBnd:\t00000000a80425fb"), "%s", r->out);
	cr_assert(strstr(r->out, "CapAmb:\t0000000000000000"), "%s", r->out);
	cr_assert(strstr(r->out, "NoNewPrivs:\t1"), "%s", r->out);
	igt_result_free(r);
	igt_bundle_destroy(b);
}

static void edit_caps_user_nnp(struct igt_bundle *b)
{
	const char *const caps[] = { "CAP_NET_RAW", "KILL", NULL };

	igt_bundle_set_caps(b, caps);
	igt_bundle_set_user(b, 65534, 65534);
	igt_bundle_set_nnp(b, false);
}

Test(edits, caps_user_nnp, .timeout = 60)
{
	struct igt_bundle *b;
	struct igt_result *r = run_sh(&b, "caps",
		"id -u; id -g; grep -E '^(CapEff|NoNewPrivs)' /proc/self/status",
		edit_caps_user_nnp);

	/* CAP_KILL = 5, CAP_NET_RAW = 13; ambient keeps them for uid 65534. */
	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	cr_assert_str_eq(r->out, "65534\n65534\nCapEff:\t0000000000002020\nNoNewPrivs:\t0\n");
	igt_result_free(r);
	igt_bundle_destroy(b);
}

static void edit_seccomp(struct igt_bundle *b)
{
	igt_bundle_set_seccomp(b, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
			       "{\"names\": [\"mkdir\", \"mkdirat\"],"
			       " \"action\": \"SCMP_ACT_ERRNO\","
			       " \"errnoRet\": 1}]}");
}

Test(edits, seccomp_profile_applies, .timeout = 60)
{
	struct igt_bundle *b;
	struct igt_result *r = run_sh(&b, "seccomp",
		"touch /tmp/f && echo touched; mkdir /tmp/d && echo made", edit_seccomp);

	cr_assert_neq(r->status, 0);
	cr_assert_str_eq(r->out, "touched\n");
	cr_assert(strstr(r->err, "Operation not permitted"), "stderr: %s", r->err);
	igt_result_free(r);
	igt_bundle_destroy(b);
}

static void edit_hostnet(struct igt_bundle *b)
{
	igt_bundle_set_netns(b, NULL);
}

Test(edits, host_network, .timeout = 60)
{
	char host_ns[128], want[140];
	struct igt_bundle *b;
	struct igt_result *r;
	ssize_t n;

	n = readlink("/proc/self/ns/net", host_ns, sizeof(host_ns) - 1);
	cr_assert_gt(n, 0);
	host_ns[n] = '\0';
	snprintf(want, sizeof(want), "%s\n", host_ns);
	r = run_sh(&b, "hostnet", "readlink /proc/self/ns/net", edit_hostnet);
	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	cr_assert_str_eq(r->out, want);
	igt_result_free(r);
	igt_bundle_destroy(b);

	r = run_sh(&b, "ownnet", "readlink /proc/self/ns/net", NULL);
	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	cr_assert_str_neq(r->out, want, "a default bundle must get its own netns");
	igt_result_free(r);
	igt_bundle_destroy(b);
}

static char hook_out[PATH_MAX];

static void edit_hook(struct igt_bundle *b)
{
	char script[PATH_MAX + 32];

	snprintf(hook_out, sizeof(hook_out), "%s/hook.state", b->dir);
	snprintf(script, sizeof(script), "cat > %s", hook_out);
	igt_bundle_add_hook(b, "createRuntime",
			    (const char *const[]){ "/bin/sh", "-c", script, NULL });
}

Test(edits, hook_gets_state, .timeout = 60)
{
	struct igt_bundle *b;
	struct igt_result *r = run_sh(&b, "hook", "true", edit_hook);
	char *state;

	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	state = igt_read_file(hook_out, NULL);
	cr_assert_not_null(state, "hook did not run");
	cr_assert(strstr(state, b->id), "hook state: %s", state);
	free(state);
	igt_result_free(r);
	igt_bundle_destroy(b);
}

Test(edits, exec_and_pid_of_started_container, .timeout = 60)
{
	const char *const args[] = { "/bin/sh", "-c", "echo up; exec sleep 60", NULL };
	char id[64], path[300], *out;
	struct igt_bundle *b = igt_bundle_new(igt_unique_id(id, "exec"), args);
	struct igt_result *r;
	pid_t pid;

	igt_bundle_start(b);
	pid = igt_bundle_pid(b);
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	out = igt_read_file(path, NULL);
	cr_assert_not_null(out);
	/* sh may still be exec'ing sleep: either is the container's init. */
	cr_assert(!strcmp(out, "sleep\n") || !strcmp(out, "sh\n"), "comm %s", out);
	free(out);
	r = igt_bundle_exec(b, (const char *const[]){ "/bin/sh", "-c", "echo in-$((1+1))", NULL },
			    20000);
	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	cr_assert_str_eq(r->out, "in-2\n");
	igt_result_free(r);
	snprintf(path, sizeof(path), "%s/container.out", b->dir);
	out = igt_read_file(path, NULL);
	cr_assert_str_eq(out ?: "", "up\n");
	free(out);
	igt_bundle_destroy(b);
}

static char netns_name[64];
static char netns_path[128];

static void netns_setup(void)
{
	struct igt_result *r;

	snprintf(netns_name, sizeof(netns_name), "igt-ns-%d", (int)getpid());
	snprintf(netns_path, sizeof(netns_path), "/var/run/netns/%s", netns_name);
	r = igt_run((const char *const[]){ "ip", "netns", "add", netns_name, NULL }, 10000);
	cr_assert_eq(r->status, 0, "ip netns add: %s", r->err);
	igt_result_free(r);
}

static void netns_teardown(void)
{
	igt_result_free(igt_run((const char *const[]){ "ip", "netns", "del", netns_name, NULL },
				10000));
}

static void edit_join_netns(struct igt_bundle *b)
{
	igt_bundle_set_netns(b, netns_path);
}

Test(edits, joins_named_netns, .init = netns_setup, .fini = netns_teardown, .timeout = 60)
{
	struct igt_bundle *b;
	struct igt_result *r;
	char want[140];

	r = igt_run((const char *const[]){ "ip", "netns", "exec", netns_name, "readlink",
					   "/proc/self/ns/net", NULL }, 10000);
	cr_assert_eq(r->status, 0, "%s", r->err);
	snprintf(want, sizeof(want), "%s", r->out);
	igt_result_free(r);
	r = run_sh(&b, "joinns", "readlink /proc/self/ns/net", edit_join_netns);
	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	cr_assert_str_eq(r->out, want);
	igt_result_free(r);
	igt_bundle_destroy(b);
}
