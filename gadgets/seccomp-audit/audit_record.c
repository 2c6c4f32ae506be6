// SPDX-License-Identifier: Apache-2.0
/*
 * Parsing the text of an AUDIT_SECCOMP record, e.g.
 *   audit(1795923510.245:2): auid=4294967295 uid=0 gid=0 ses=4294967295
 *   pid=8244 comm="t" exe="/tmp/t" sig=0 arch=c000003e syscall=110 compat=0
 *   ip=0x7fb414a27829 code=0x7ffc0000
 * Values with spaces or quotes are hex-encoded by the kernel, so splitting
 * on spaces is safe; comm and exe are either "quoted" or hex.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp_audit_int.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void parse_comm(const char *v, size_t len, char *out, size_t outlen)
{
	size_t i, o = 0;

	if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
		for (i = 1; i + 1 < len && o + 1 < outlen; i++)
			out[o++] = v[i];
	} else {
		for (i = 0; i + 1 < len && o + 1 < outlen; i += 2) {
			int hi = hexval(v[i]), lo = hexval(v[i + 1]);

			if (hi < 0 || lo < 0)
				break;
			out[o++] = (char)(hi << 4 | lo);
		}
	}
	out[o] = '\0';
}

/* strtoull on a bounded token; false if not all of it is a number */
static bool num(const char *v, size_t len, int base, unsigned long long *out)
{
	char tmp[32], *end;

	if (!len || len >= sizeof(tmp))
		return false;
	memcpy(tmp, v, len);
	tmp[len] = '\0';
	errno = 0;
	*out = strtoull(tmp, &end, base);
	return !errno && *end == '\0';
}

int sau_audit_parse(const char *txt, size_t len, struct sau_audit_rec *r)
{
	const char *p = txt, *end = txt + len;
	unsigned long long sec, ms, v;
	unsigned int found = 0;
	char *e;

	memset(r, 0, sizeof(*r));
	while (len && end[-1] == '\0')
		end--;
	if (end - p < 7 || strncmp(p, "audit(", 6))
		return -EINVAL;
	sec = strtoull(p + 6, &e, 10);
	if (e >= end || *e != '.')
		return -EINVAL;
	ms = strtoull(e + 1, &e, 10);
	if (e >= end || *e != ':')
		return -EINVAL;
	r->wall_ms = sec * 1000 + ms;
	p = e;
	while (p < end) {
		const char *tok = p, *eq, *tend;
		size_t klen, vlen;

		tend = memchr(tok, ' ', (size_t)(end - tok));
		if (!tend)
			tend = end;
		p = tend + 1;
		eq = memchr(tok, '=', (size_t)(tend - tok));
		if (!eq)
			continue;
		klen = (size_t)(eq - tok);
		vlen = (size_t)(tend - eq - 1);
#define KEY(k) (klen == sizeof(k) - 1 && !memcmp(tok, k, klen))
		if (KEY("pid") && num(eq + 1, vlen, 10, &v)) {
			r->pid = (uint32_t)v;
			found |= 1;
		} else if (KEY("arch") && num(eq + 1, vlen, 16, &v)) {
			r->arch = (uint32_t)v;
			found |= 2;
		} else if (KEY("syscall") && num(eq + 1, vlen, 10, &v)) {
			r->nr = (int32_t)v;
			found |= 4;
		} else if (KEY("code") && num(eq + 1, vlen, 16, &v)) {
			r->code = (uint32_t)v;
			found |= 8;
		} else if (KEY("comm")) {
			parse_comm(eq + 1, vlen, r->comm, sizeof(r->comm));
		} else if (KEY("exe")) {
			parse_comm(eq + 1, vlen, r->exe, sizeof(r->exe));
		}
#undef KEY
	}
	return found == 15 ? 0 : -EINVAL;
}
