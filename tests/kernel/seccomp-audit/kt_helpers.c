// SPDX-License-Identifier: Apache-2.0
/* seccomp-audit kernel test helpers (see kt.h). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kt_helpers.h"

const char kt_profile_json[] =
	"{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n"
	" \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"],\n"
	" \"syscalls\": [\n"
	"  {\"names\": [\"getpriority\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13},\n"
	"  {\"names\": [\"sysinfo\"], \"action\": \"SCMP_ACT_LOG\"},\n"
	"  {\"names\": [\"getcpu\"], \"action\": \"SCMP_ACT_TRAP\"},\n"
	"  {\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ERRNO\",\n"
	"   \"args\": [{\"index\": 0, \"value\": 4294967295, \"op\": \"SCMP_CMP_EQ\"}]},\n"
	"  {\"names\": [\"acct\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"},\n"
	"  {\"names\": [\"pivot_root\", \"sethostname\", \"mount\"],\n"
	"   \"action\": \"SCMP_ACT_ERRNO\"}\n"
	" ]}\n";

const char kt_profile_spo_yaml[] =
	"apiVersion: security-profiles-operator.x-k8s.io/v1beta1\n"
	"kind: SeccompProfile\n"
	"metadata:\n"
	"  name: sau-test\n"
	"spec:\n"
	"  defaultAction: SCMP_ACT_ALLOW\n"
	"  architectures: [SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32]\n"
	"  syscalls:\n"
	"  - names: [getpriority]\n"
	"    action: SCMP_ACT_ERRNO\n"
	"    errnoRet: 13\n"
	"  - names: [sysinfo]\n"
	"    action: SCMP_ACT_LOG\n"
	"  - names: [getcpu]\n"
	"    action: SCMP_ACT_TRAP\n"
	"  - names: [personality]\n"
	"    action: SCMP_ACT_ERRNO\n"
	"    args:\n"
	"    - index: 0\n"
	"      value: 4294967295\n"
	"      op: SCMP_CMP_EQ\n"
	"  - names: [acct]\n"
	"    action: SCMP_ACT_KILL_PROCESS\n"
	"  - names: [pivot_root, sethostname, mount]\n"
	"    action: SCMP_ACT_ERRNO\n";

static int lock_fd = -1;

void kt_lock(void)
{
	lock_fd = open("/tmp/ig-seccomp-audit-tests.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	cr_assert_geq(lock_fd, 0);
	cr_assert_eq(flock(lock_fd, LOCK_EX), 0);
}

void kt_unlock(void)
{
	if (lock_fd >= 0)
		close(lock_fd);
	lock_fd = -1;
}

static int audit_req(uint16_t type, struct audit_status *st)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr h;
		struct audit_status s;
	} req = { 0 };
	char buf[512] __attribute__((aligned(8)));
	struct pollfd pfd;
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	int fd, ret = -EIO;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	cr_assert_geq(fd, 0, "NETLINK_AUDIT: %s", strerror(errno));
	req.h.nlmsg_len = NLMSG_LENGTH(type == AUDIT_SET ? sizeof(req.s) : 0);
	req.h.nlmsg_type = type;
	req.h.nlmsg_flags = NLM_F_REQUEST | (type == AUDIT_SET ? NLM_F_ACK : 0);
	if (type == AUDIT_SET)
		req.s = *st;
	cr_assert_geq(sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&k, sizeof(k)), 0);
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, 2000) > 0 && (n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		if (h->nlmsg_type == NLMSG_ERROR) {
			ret = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (ret || type == AUDIT_SET)
				break;
		} else if (h->nlmsg_type == AUDIT_GET) {
			memcpy(st, NLMSG_DATA(h), sizeof(*st));
			ret = 0;
			break;
		}
	}
	close(fd);
	return ret;
}

int kt_audit_enabled(void)
{
	struct audit_status st = { 0 };

	cr_assert_eq(audit_req(AUDIT_GET, &st), 0, "AUDIT_GET failed");
	return (int)st.enabled;
}

int kt_audit_pid(void)
{
	struct audit_status st = { 0 };

	cr_assert_eq(audit_req(AUDIT_GET, &st), 0, "AUDIT_GET failed");
	return (int)st.pid;
}

void kt_audit_set(int enabled)
{
	struct audit_status st = { .mask = AUDIT_STATUS_ENABLED, .enabled = (uint32_t)enabled };

	cr_assert_eq(audit_req(AUDIT_SET, &st), 0, "AUDIT_SET failed");
}

struct igt_bundle *kt_bundle(const char *tag, const char *const args[], const char *profile)
{
	const char *argv[8] = { "/bin/sau_work" };
	const char *const hook[] = { igt_ig_path(), "hook", "createRuntime", NULL };
	char id[64], host[512];
	struct igt_bundle *b;
	int i;

	for (i = 0; args[i] && i < 6; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	b = igt_bundle_new(igt_unique_id(id, tag), argv);
	snprintf(host, sizeof(host), "%s/tests/fixtures/static/sau_work", igt_build_dir());
	igt_bundle_add_file(b, host, "/bin/sau_work");
	if (profile)
		igt_bundle_set_seccomp(b, profile);
	/* ig registers the container from runc's state file, a race a loaded
	 * machine can lose (the workload's first syscalls run unselected: a
	 * dry run saw nothing, 1 in ~15 runs beside a CPU hog); the OCI hook
	 * makes runc wait until every listening ig has it. */
	igt_bundle_add_hook(b, "createRuntime", hook);
	return b;
}

json_t *kt_parse(const char *out)
{
	json_t *recs = json_array();
	char *copy = strdup(out), *line, *save = NULL;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_error_t e;
		json_t *j;

		if (!line[strspn(line, " ")])
			continue;
		j = json_loads(line, 0, &e);

		cr_assert(j, "ig printed a line that is not JSON (%s): %s", e.text, line);
		json_array_append_new(recs, j);
	}
	free(copy);
	return recs;
}

static const char *ex(const char *const extra[], int i)
{
	int k;

	for (k = 0; extra && k < i; k++)
		if (!extra[k])
			return NULL;
	return extra ? extra[i] : NULL;
}

json_t *kt_record(struct igt_bundle *b, const char *const extra[], struct igt_result **run)
{
	struct igt_result *r;
	struct igt_proc *p;
	json_t *recs;

	p = igt_spawn_ig_ready("run", "seccomp-audit", "-c", b->id, "-o", "json",
			       ex(extra, 0), ex(extra, 1), ex(extra, 2), ex(extra, 3), NULL);
	*run = igt_bundle_run(b, 30000);
	r = igt_proc_finish(p, SIGINT, 15000);
	cr_assert_eq(r->status, 0, "ig failed (%d): %s", r->status, r->err);
	recs = kt_parse(r->out);
	igt_result_free(r);
	return recs;
}

static const char *str(json_t *rec, const char *key)
{
	return json_string_value(json_object_get(rec, key));
}

int kt_count(json_t *recs, const char *syscall, const char *action, const char *err)
{
	json_t *rec;
	size_t i;
	int n = 0;

	json_array_foreach(recs, i, rec) {
		const char *e = str(rec, "errno");

		if (syscall && strcmp(str(rec, "syscall") ?: "", syscall))
			continue;
		if (action && strcmp(str(rec, "action") ?: "", action))
			continue;
		if (err && strcmp(e ?: "", err))
			continue;
		n++;
	}
	return n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *kt_set(json_t *recs)
{
	size_t i, n = json_array_size(recs), len = 1;
	char **items = calloc(n + 1, sizeof(*items)), *out;
	json_t *rec;

	json_array_foreach(recs, i, rec) {
		cr_assert(asprintf(&items[i], "%s/%s", str(rec, "syscall"),
				   str(rec, "action")) > 0);
		len += strlen(items[i]) + 1;
	}
	qsort(items, n, sizeof(*items), cmp_str);
	out = calloc(1, len);
	for (i = 0; i < n; i++) {
		if (i && !strcmp(items[i], items[i - 1]))
			continue;
		if (*out)
			strcat(out, ",");
		strcat(out, items[i]);
	}
	for (i = 0; i < n; i++)
		free(items[i]);
	free(items);
	return out;
}

const char *kt_write_temp(const char *tag, const char *text, char *path, size_t size)
{
	int fd;

	snprintf(path, size, "/tmp/igt-sau-%s-%d-XXXXXX", tag, getpid());
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}
